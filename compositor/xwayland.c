/* X11 windows through XWayland: managed ones are views, override-redirect ones float. */
#include "xwayland.h"
#include "seat.h"

#include <stdlib.h>
#include <unistd.h>
#include <wlr/util/log.h>
#include <wlr/xwayland.h>
#include <wlr/xwayland/shell.h>

#include "global_filter.h"
#include "listeners.h"
#include "server.h"
#include "view.h"

struct pb_xwayland {
	struct pb_server *server;
	struct wlr_xwayland *xwayland;
	struct wl_listener ready;
	struct wl_listener new_surface;
	struct pb_listeners listeners;
};

struct pb_x11_view {
	struct pb_view base;
	struct wlr_xwayland_surface *xsurface;
	struct wlr_scene_tree *tree;    /* base.scene_node's */
	struct wlr_scene_tree *content; /* the surface's tree while mapped */
	/* How it was mapped: X11 may flip override-redirect while a window is up. */
	bool mapped_as_menu;
	struct wl_listener associate;
	struct wl_listener dissociate;
	struct wl_listener map;
	struct wl_listener unmap;
	struct wl_listener commit;
	struct wl_listener destroy;
	struct wl_listener request_configure;
	struct wl_listener request_fullscreen;
	struct wl_listener request_activate;
	struct wl_listener set_title;
	struct wl_listener set_class;
	struct wl_listener set_geometry;
	struct wl_listener set_decorations;
	struct pb_listeners listeners;
	struct pb_listeners surface_listeners; /* while associated with a wl_surface */
};

static struct pb_x11_view *x11_view(struct pb_view *view)
{
	struct pb_x11_view *xv = wl_container_of(view, xv, base);
	return xv;
}

static void get_geometry(struct pb_view *view, struct wlr_box *box)
{
	struct wlr_xwayland_surface *xs = x11_view(view)->xsurface;
	*box = (struct wlr_box){0, 0, xs->width, xs->height};
}

static pid_t get_pid(struct pb_view *view)
{
	return x11_view(view)->xsurface->pid;
}

static void set_activated(struct pb_view *view, bool activated)
{
	wlr_xwayland_surface_activate(x11_view(view)->xsurface, activated);
}

static void configure(struct pb_view *view, int width, int height)
{
	/* X11 windows know their position: it is sent with every size. */
	struct wlr_xwayland_surface *xs = x11_view(view)->xsurface;
	wlr_xwayland_surface_configure(xs, (int16_t)view->x, (int16_t)view->y,
	        (uint16_t)(width > 0 ? width : xs->width),
	        (uint16_t)(height > 0 ? height : xs->height));
}

static void set_fullscreen(struct pb_view *view, bool fullscreen)
{
	wlr_xwayland_surface_set_fullscreen(x11_view(view)->xsurface, fullscreen);
}

static void close_view(struct pb_view *view)
{
	wlr_xwayland_surface_close(x11_view(view)->xsurface);
}

static bool is_transient(struct pb_view *view)
{
	return x11_view(view)->xsurface->parent != NULL;
}

static bool can_resize_to(struct pb_view *view, int width, int height)
{
	const xcb_size_hints_t *hints = x11_view(view)->xsurface->size_hints;
	/* ICCCM: a window without size hints takes any size; 0 is no limit. */
	return !hints || (width >= hints->min_width && height >= hints->min_height &&
	                         (hints->max_width <= 0 || width <= hints->max_width) &&
	                         (hints->max_height <= 0 || height <= hints->max_height));
}

static const struct pb_view_impl x11_impl = {
        .get_geometry = get_geometry,
        .get_pid = get_pid,
        .set_activated = set_activated,
        .configure = configure,
        .set_fullscreen = set_fullscreen,
        .close = close_view,
        .is_transient = is_transient,
        .can_resize_to = can_resize_to,
};

/*
 * Our title bar, unless the window's Motif hints ask for no title or no
 * border (a client that draws its own frame or wants none). xterm sets none.
 * Menus and tooltips (override-redirect) never get one.
 */
static void update_server_side(struct pb_x11_view *xv)
{
	bool server_side = !xv->mapped_as_menu &&
	                   xv->xsurface->decorations == WLR_XWAYLAND_SURFACE_DECORATIONS_ALL;
	if (server_side != xv->base.server_side) {
		pb_view_set_server_side(&xv->base, server_side);
	}
}

static void handle_map(struct wl_listener *listener, void *data)
{
	struct pb_x11_view *xv = wl_container_of(listener, xv, map);
	struct wlr_xwayland_surface *xs = xv->xsurface;
	struct pb_server *server = xv->base.server;
	/* Menus and tooltips float above windows, where X11 put them, never focused. */
	xv->mapped_as_menu = xs->override_redirect;
	struct wlr_scene_tree *parent =
	        xv->mapped_as_menu ? server->layers[PB_LAYER_TOP] : server->windows;
	wlr_scene_node_reparent(xv->base.scene_node, parent);
	xv->content = wlr_scene_subsurface_tree_create(xv->tree, xs->surface);
	if (!xv->content) {
		wlr_log(WLR_ERROR, "Out of memory showing an X11 window; it stays hidden");
		return;
	}
	if (xv->mapped_as_menu) {
		xv->base.x = xs->x;
		xv->base.y = xs->y;
		wlr_scene_node_set_position(xv->base.scene_node, xs->x, xs->y);
		wlr_scene_node_set_enabled(xv->base.scene_node, true);
		return;
	}
	/* Before placing: the bar takes room above the window. */
	update_server_side(xv);
	pb_view_map(&xv->base, xs->surface);
	pb_view_set_title(&xv->base, xs->title);
	pb_view_set_app_id(&xv->base, xs->class);
	if (xs->fullscreen) {
		pb_view_set_fullscreen(&xv->base, true);
	}
}

static void handle_unmap(struct wl_listener *listener, void *data)
{
	struct pb_x11_view *xv = wl_container_of(listener, xv, unmap);
	if (xv->mapped_as_menu) {
		wlr_scene_node_set_enabled(xv->base.scene_node, false);
	} else if (xv->content) {
		pb_view_unmap(&xv->base);
	}
	if (xv->content) {
		wlr_scene_node_destroy(&xv->content->node);
		xv->content = NULL;
	}
}

static void handle_request_configure(struct wl_listener *listener, void *data)
{
	struct pb_x11_view *xv = wl_container_of(listener, xv, request_configure);
	struct wlr_xwayland_surface_configure_event *event = data;
	if (!xv->base.mapped || xv->mapped_as_menu) {
		/* Before mapping (and for floating menus) the window decides: grant it. */
		wlr_xwayland_surface_configure(
		        xv->xsurface, event->x, event->y, event->width, event->height);
		return;
	}
	/* A mapped window may change its size, not its place. */
	xv->base.impl->configure(&xv->base, event->width, event->height);
}

static void handle_request_fullscreen(struct wl_listener *listener, void *data)
{
	struct pb_x11_view *xv = wl_container_of(listener, xv, request_fullscreen);
	pb_view_set_fullscreen(&xv->base, xv->xsurface->fullscreen);
}

static void handle_request_activate(struct wl_listener *listener, void *data)
{
	struct pb_x11_view *xv = wl_container_of(listener, xv, request_activate);
	pb_view_focus(&xv->base);
}

static void handle_set_title(struct wl_listener *listener, void *data)
{
	struct pb_x11_view *xv = wl_container_of(listener, xv, set_title);
	pb_view_set_title(&xv->base, xv->xsurface->title);
}

static void handle_set_class(struct wl_listener *listener, void *data)
{
	struct pb_x11_view *xv = wl_container_of(listener, xv, set_class);
	pb_view_set_app_id(&xv->base, xv->xsurface->class);
}

/* A menu or tooltip moved by its X11 client (windows are placed by us). */
static void handle_set_geometry(struct wl_listener *listener, void *data)
{
	struct pb_x11_view *xv = wl_container_of(listener, xv, set_geometry);
	if (xv->mapped_as_menu) {
		xv->base.x = xv->xsurface->x;
		xv->base.y = xv->xsurface->y;
		wlr_scene_node_set_position(xv->base.scene_node, xv->base.x, xv->base.y);
	}
}

static void handle_set_decorations(struct wl_listener *listener, void *data)
{
	struct pb_x11_view *xv = wl_container_of(listener, xv, set_decorations);
	update_server_side(xv);
}

/* The window's new size reached the screen: the title bar follows it. */
static void handle_commit(struct wl_listener *listener, void *data)
{
	struct pb_x11_view *xv = wl_container_of(listener, xv, commit);
	pb_view_update_decoration(&xv->base);
}

/* The X11 window got its wl_surface: it can map now. */
static void handle_associate(struct wl_listener *listener, void *data)
{
	struct pb_x11_view *xv = wl_container_of(listener, xv, associate);
	struct wlr_surface *surface = xv->xsurface->surface;
	const struct pb_connection connections[] = {
	        {&surface->events.map, &xv->map, handle_map},
	        {&surface->events.unmap, &xv->unmap, handle_unmap},
	        {&surface->events.commit, &xv->commit, handle_commit},
	};
	pb_connect_all(&xv->surface_listeners, connections, PB_COUNT(connections));
}

/* wlroots unmapped it first if it was mapped. */
static void handle_dissociate(struct wl_listener *listener, void *data)
{
	struct pb_x11_view *xv = wl_container_of(listener, xv, dissociate);
	pb_disconnect_all(&xv->surface_listeners);
}

/* wlroots dissociated it first: map and unmap are no longer listened to. */
static void handle_destroy(struct wl_listener *listener, void *data)
{
	struct pb_x11_view *xv = wl_container_of(listener, xv, destroy);
	pb_disconnect_all(&xv->listeners);
	pb_view_finish(&xv->base);
	free(xv);
}

static void handle_new_surface(struct wl_listener *listener, void *data)
{
	struct pb_xwayland *xw = wl_container_of(listener, xw, new_surface);
	struct pb_server *server = xw->server;
	struct wlr_xwayland_surface *xs = data;
	struct pb_x11_view *xv = calloc(1, sizeof(*xv));
	/* Placed in the windows' or the menus' tree when it maps. */
	struct wlr_scene_tree *tree = xv ? wlr_scene_tree_create(server->windows) : NULL;
	if (!tree) {
		wlr_log(WLR_ERROR, "Out of memory for an X11 window; it is closed");
		free(xv);
		wlr_xwayland_surface_close(xs);
		return;
	}
	xv->xsurface = xs;
	xv->tree = tree;
	pb_view_init(&xv->base, server, &x11_impl, &tree->node);
	const struct pb_connection connections[] = {
	        {&xs->events.associate, &xv->associate, handle_associate},
	        {&xs->events.dissociate, &xv->dissociate, handle_dissociate},
	        {&xs->events.destroy, &xv->destroy, handle_destroy},
	        {&xs->events.request_configure, &xv->request_configure, handle_request_configure},
	        {&xs->events.request_fullscreen, &xv->request_fullscreen,
	                handle_request_fullscreen},
	        {&xs->events.request_activate, &xv->request_activate, handle_request_activate},
	        {&xs->events.set_title, &xv->set_title, handle_set_title},
	        {&xs->events.set_class, &xv->set_class, handle_set_class},
	        {&xs->events.set_geometry, &xv->set_geometry, handle_set_geometry},
	        {&xs->events.set_decorations, &xv->set_decorations, handle_set_decorations},
	};
	pb_connect_all(&xv->listeners, connections, PB_COUNT(connections));
}

static void handle_ready(struct wl_listener *listener, void *data)
{
	struct pb_xwayland *xw = wl_container_of(listener, xw, ready);
	wlr_xwayland_set_seat(xw->xwayland, xw->server->seat->wlr_seat);
	wlr_log(WLR_INFO, "XWayland is running on DISPLAY=%s", xw->xwayland->display_name);
}

static bool is_x_server(const struct wl_client *client, const void *server)
{
	return pb_xwayland_is_server(server, client);
}

bool pb_xwayland_init(struct pb_server *server, struct wlr_compositor *compositor)
{
	if (access("/usr/bin/Xwayland", X_OK) != 0) {
		wlr_log(WLR_INFO,
		        "No /usr/bin/Xwayland (package xwayland): X11 programs cannot run");
		return false;
	}
	struct pb_xwayland *xw = calloc(1, sizeof(*xw));
	if (!xw) {
		return false;
	}
	xw->server = server;
	xw->xwayland = wlr_xwayland_create(server->display, compositor, true);
	if (!xw->xwayland) {
		wlr_log(WLR_ERROR, "Cannot set up XWayland: X11 programs cannot run");
		free(xw);
		return false;
	}
	pb_listen(&xw->listeners, &xw->xwayland->events.ready, &xw->ready, handle_ready);
	pb_listen(&xw->listeners, &xw->xwayland->events.new_surface, &xw->new_surface,
	        handle_new_surface);
	/* xwayland_shell_v1 pairs X11 windows with surfaces: only the X server may see it. */
	pb_global_filter_restrict(server, xw->xwayland->shell_v1->global, is_x_server, server);
	setenv("DISPLAY", xw->xwayland->display_name, 1);
	server->xwayland = xw;
	return true;
}

bool pb_xwayland_is_server(const struct pb_server *server, const struct wl_client *client)
{
	const struct pb_xwayland *x = server->xwayland;
	return x && x->xwayland->server && x->xwayland->server->client == client;
}

void pb_xwayland_finish(struct pb_server *server)
{
	struct pb_xwayland *xw = server->xwayland;
	if (!xw) {
		return;
	}
	pb_disconnect_all(&xw->listeners);
	pb_global_filter_forget(server, xw->xwayland->shell_v1->global);
	wlr_xwayland_destroy(xw->xwayland);
	free(xw);
	server->xwayland = NULL;
}
