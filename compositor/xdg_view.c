/* xdg-shell toplevels as views; their popups in the parent's scene tree. */
#include <stdlib.h>
#include <wlr/types/wlr_xdg_shell.h>
#include <wlr/util/log.h>

#include "listeners.h"
#include "server.h"
#include "view.h"

struct pb_xdg_view {
	struct pb_view base;
	struct wlr_xdg_surface *xdg;
	struct wl_listener map;
	struct wl_listener unmap;
	struct wl_listener destroy;
	struct wl_listener request_move;
	struct wl_listener request_resize;
	struct wl_listener request_fullscreen;
	struct wl_listener request_maximize;
	struct wl_listener set_title;
	struct wl_listener set_app_id;
};

static struct pb_xdg_view *xdg_view(struct pb_view *view)
{
	struct pb_xdg_view *xv = wl_container_of(view, xv, base);
	return xv;
}

static void get_geometry(struct pb_view *view, struct wlr_box *box)
{
	/* wlroots' xdg scene helper already shifts the surface by the geometry's offset. */
	struct wlr_box geometry;
	wlr_xdg_surface_get_geometry(xdg_view(view)->xdg, &geometry);
	*box = (struct wlr_box){0, 0, geometry.width, geometry.height};
}

static pid_t get_pid(struct pb_view *view)
{
	pid_t pid;
	wl_client_get_credentials(
	        wl_resource_get_client(xdg_view(view)->xdg->resource), &pid, NULL, NULL);
	return pid;
}

static void set_activated(struct pb_view *view, bool activated)
{
	wlr_xdg_toplevel_set_activated(xdg_view(view)->xdg, activated);
}

static void configure(struct pb_view *view, int width, int height)
{
	/* xdg clients do not know where they are: only sizes are sent. */
	if (width > 0 && height > 0) {
		wlr_xdg_toplevel_set_size(xdg_view(view)->xdg, (uint32_t)width, (uint32_t)height);
	}
}

static void set_fullscreen(struct pb_view *view, bool fullscreen)
{
	wlr_xdg_toplevel_set_fullscreen(xdg_view(view)->xdg, fullscreen);
}

static void close_view(struct pb_view *view)
{
	wlr_xdg_toplevel_send_close(xdg_view(view)->xdg);
}

static bool is_transient(struct pb_view *view)
{
	return xdg_view(view)->xdg->toplevel->parent != NULL;
}

static const struct pb_view_impl xdg_impl = {
        .get_geometry = get_geometry,
        .get_pid = get_pid,
        .set_activated = set_activated,
        .configure = configure,
        .set_fullscreen = set_fullscreen,
        .close = close_view,
        .is_transient = is_transient,
};

static void handle_map(struct wl_listener *listener, void *data)
{
	struct pb_xdg_view *xv = wl_container_of(listener, xv, map);
	pb_view_map(&xv->base, xv->xdg->surface);
	pb_view_set_title(&xv->base, xv->xdg->toplevel->title);
	pb_view_set_app_id(&xv->base, xv->xdg->toplevel->app_id);
	if (xv->xdg->toplevel->requested.fullscreen) {
		pb_view_set_fullscreen(&xv->base, true);
	}
}

static void handle_unmap(struct wl_listener *listener, void *data)
{
	struct pb_xdg_view *xv = wl_container_of(listener, xv, unmap);
	pb_view_unmap(&xv->base);
}

static void handle_destroy(struct wl_listener *listener, void *data)
{
	struct pb_xdg_view *xv = wl_container_of(listener, xv, destroy);
	struct wl_listener *const listeners[] = {&xv->map, &xv->unmap, &xv->destroy,
	        &xv->request_move, &xv->request_resize, &xv->request_fullscreen,
	        &xv->request_maximize, &xv->set_title, &xv->set_app_id};
	pb_disconnect_all(listeners, PB_COUNT(listeners));
	pb_view_finish(&xv->base);
	free(xv);
}

/* Clients ask to be moved or resized when the user drags their own title or border. */
static void handle_request_move(struct wl_listener *listener, void *data)
{
	struct pb_xdg_view *xv = wl_container_of(listener, xv, request_move);
	pb_view_begin_grab(&xv->base, false, 0);
}

static void handle_request_resize(struct wl_listener *listener, void *data)
{
	struct pb_xdg_view *xv = wl_container_of(listener, xv, request_resize);
	struct wlr_xdg_toplevel_resize_event *event = data;
	pb_view_begin_grab(&xv->base, true, event->edges);
}

static void handle_request_fullscreen(struct wl_listener *listener, void *data)
{
	struct pb_xdg_view *xv = wl_container_of(listener, xv, request_fullscreen);
	struct wlr_xdg_toplevel *toplevel = xv->xdg->toplevel;
	bool changed = xv->xdg->mapped &&
	               pb_view_set_fullscreen(&xv->base, toplevel->requested.fullscreen);
	/* xdg-shell wants a configure in reply, even when the answer is no. */
	if (!changed && toplevel->added) {
		wlr_xdg_surface_schedule_configure(xv->xdg);
	}
}

/* Windows are not maximized here; the reply keeps the client's size. */
static void handle_request_maximize(struct wl_listener *listener, void *data)
{
	struct pb_xdg_view *xv = wl_container_of(listener, xv, request_maximize);
	if (xv->xdg->toplevel->added) {
		wlr_xdg_surface_schedule_configure(xv->xdg);
	}
}

static void handle_set_title(struct wl_listener *listener, void *data)
{
	struct pb_xdg_view *xv = wl_container_of(listener, xv, set_title);
	pb_view_set_title(&xv->base, xv->xdg->toplevel->title);
}

static void handle_set_app_id(struct wl_listener *listener, void *data)
{
	struct pb_xdg_view *xv = wl_container_of(listener, xv, set_app_id);
	pb_view_set_app_id(&xv->base, xv->xdg->toplevel->app_id);
}

/*
 * Popups live in their parent's scene tree (a window, a panel or another
 * popup); a parent that is no xdg surface (a layer surface's popup before
 * layer-shell adopts it) is handled where that parent is.
 */
static void add_popup(struct pb_server *server, struct wlr_xdg_surface *xdg_surface)
{
	struct wlr_xdg_popup *popup = xdg_surface->popup;
	struct wlr_surface *parent_surface = popup->parent;
	struct wlr_xdg_surface *parent =
	        parent_surface && wlr_surface_is_xdg_surface(parent_surface)
	                ? wlr_xdg_surface_from_wlr_surface(parent_surface)
	                : NULL;
	struct wlr_scene_node *parent_node = parent ? parent->data : NULL;
	if (!parent_node) {
		return;
	}
	xdg_surface->data = wlr_scene_xdg_surface_create(parent_node, xdg_surface);
	/* Menus stay on the window's output: the box in the window's coordinates. */
	struct wlr_xdg_surface *root = parent;
	while (root->role == WLR_XDG_SURFACE_ROLE_POPUP && root->popup->parent &&
	        wlr_surface_is_xdg_surface(root->popup->parent)) {
		root = wlr_xdg_surface_from_wlr_surface(root->popup->parent);
	}
	struct pb_view *view = pb_view_from_surface(server, root->surface);
	struct wlr_output *output =
	        view ? wlr_output_layout_output_at(server->layout, view->x, view->y) : NULL;
	struct wlr_box *box = output ? wlr_output_layout_get_box(server->layout, output) : NULL;
	if (box) {
		struct wlr_box area = {box->x - view->x, box->y - view->y, box->width, box->height};
		wlr_xdg_popup_unconstrain_from_box(popup, &area);
	}
}

void pb_xdg_view_handle_new_surface(struct wl_listener *listener, void *data)
{
	struct pb_server *server = wl_container_of(listener, server, new_xdg_surface);
	struct wlr_xdg_surface *xdg_surface = data;
	if (xdg_surface->role == WLR_XDG_SURFACE_ROLE_POPUP) {
		add_popup(server, xdg_surface);
		return;
	}
	if (xdg_surface->role != WLR_XDG_SURFACE_ROLE_TOPLEVEL) {
		return;
	}
	struct pb_xdg_view *xv = calloc(1, sizeof(*xv));
	/*
	 * wlroots' xdg helper enables its node on map, before our map handler
	 * places it: inside a tree of our own, kept disabled until placed, that
	 * does not damage (and send the host) the window's area at 0,0.
	 */
	struct wlr_scene_tree *tree = xv ? wlr_scene_tree_create(&server->windows->node) : NULL;
	if (!tree || !wlr_scene_xdg_surface_create(&tree->node, xdg_surface)) {
		wlr_log(WLR_ERROR, "Out of memory for a new window; its client is told so");
		if (tree) {
			wlr_scene_node_destroy(&tree->node);
		}
		free(xv);
		wl_resource_post_no_memory(xdg_surface->resource);
		return;
	}
	xv->xdg = xdg_surface;
	xdg_surface->data = &tree->node;
	pb_view_init(&xv->base, server, &xdg_impl, &tree->node);

	struct wlr_xdg_toplevel *toplevel = xdg_surface->toplevel;
	const struct pb_connection connections[] = {
	        {&xdg_surface->events.map, &xv->map, handle_map},
	        {&xdg_surface->events.unmap, &xv->unmap, handle_unmap},
	        {&xdg_surface->events.destroy, &xv->destroy, handle_destroy},
	        {&toplevel->events.request_move, &xv->request_move, handle_request_move},
	        {&toplevel->events.request_resize, &xv->request_resize, handle_request_resize},
	        {&toplevel->events.request_fullscreen, &xv->request_fullscreen,
	                handle_request_fullscreen},
	        {&toplevel->events.request_maximize, &xv->request_maximize,
	                handle_request_maximize},
	        {&toplevel->events.set_title, &xv->set_title, handle_set_title},
	        {&toplevel->events.set_app_id, &xv->set_app_id, handle_set_app_id},
	};
	pb_connect_all(connections, PB_COUNT(connections));
}
