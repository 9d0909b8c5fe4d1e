/* xdg-shell toplevels as views. */
#include <stdlib.h>
#include <wlr/types/wlr_xdg_shell.h>
#include <wlr/util/log.h>

#include "grab.h"
#include "listeners.h"
#include "seat.h"
#include "server.h"
#include "view.h"

struct pb_xdg_view {
	struct pb_view base;
	struct wlr_xdg_toplevel *toplevel;
	struct wl_listener map;
	struct wl_listener unmap;
	struct wl_listener commit;
	struct wl_listener destroy;
	struct wl_listener request_move;
	struct wl_listener request_resize;
	struct wl_listener request_fullscreen;
	struct wl_listener request_maximize;
	struct wl_listener set_title;
	struct wl_listener set_app_id;
	struct pb_listeners listeners;
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
	wlr_xdg_surface_get_geometry(xdg_view(view)->toplevel->base, &geometry);
	*box = (struct wlr_box){0, 0, geometry.width, geometry.height};
}

static pid_t get_pid(struct pb_view *view)
{
	pid_t pid;
	wl_client_get_credentials(
	        wl_resource_get_client(xdg_view(view)->toplevel->resource), &pid, NULL, NULL);
	return pid;
}

static void set_activated(struct pb_view *view, bool activated)
{
	wlr_xdg_toplevel_set_activated(xdg_view(view)->toplevel, activated);
}

static void configure(struct pb_view *view, int width, int height)
{
	/* xdg clients do not know where they are: only sizes are sent. */
	if (width > 0 && height > 0) {
		wlr_xdg_toplevel_set_size(xdg_view(view)->toplevel, width, height);
	}
}

static void set_fullscreen(struct pb_view *view, bool fullscreen)
{
	wlr_xdg_toplevel_set_fullscreen(xdg_view(view)->toplevel, fullscreen);
}

static void close_view(struct pb_view *view)
{
	wlr_xdg_toplevel_send_close(xdg_view(view)->toplevel);
}

static bool is_transient(struct pb_view *view)
{
	return xdg_view(view)->toplevel->parent != NULL;
}

static bool can_resize_to(struct pb_view *view, int width, int height)
{
	const struct wlr_xdg_toplevel_state *state = &xdg_view(view)->toplevel->current;
	/* 0 means no limit, in both directions. */
	return width >= state->min_width && height >= state->min_height &&
	       (state->max_width == 0 || width <= state->max_width) &&
	       (state->max_height == 0 || height <= state->max_height);
}

static const struct pb_view_impl xdg_impl = {
        .get_geometry = get_geometry,
        .get_pid = get_pid,
        .set_activated = set_activated,
        .configure = configure,
        .can_resize_to = can_resize_to,
        .set_fullscreen = set_fullscreen,
        .close = close_view,
        .is_transient = is_transient,
};

static void handle_map(struct wl_listener *listener, void *data)
{
	struct pb_xdg_view *xv = wl_container_of(listener, xv, map);
	struct wlr_xdg_toplevel *toplevel = xv->toplevel;
	pb_view_map(&xv->base, toplevel->base->surface);
	pb_view_set_title(&xv->base, toplevel->title);
	pb_view_set_app_id(&xv->base, toplevel->app_id);
	if (toplevel->requested.fullscreen) {
		pb_view_set_fullscreen(&xv->base, true);
	}
}

static void handle_unmap(struct wl_listener *listener, void *data)
{
	struct pb_xdg_view *xv = wl_container_of(listener, xv, unmap);
	pb_view_unmap(&xv->base);
}

/*
 * After the initial commit the client waits for a configure: an empty one
 * lets it pick its size. Later commits may change its width: the title bar
 * follows.
 */
static void handle_commit(struct wl_listener *listener, void *data)
{
	struct pb_xdg_view *xv = wl_container_of(listener, xv, commit);
	if (xv->toplevel->base->initial_commit) {
		wlr_xdg_surface_schedule_configure(xv->toplevel->base);
	}
	pb_view_update_decoration(&xv->base);
}

static void handle_destroy(struct wl_listener *listener, void *data)
{
	struct pb_xdg_view *xv = wl_container_of(listener, xv, destroy);
	pb_disconnect_all(&xv->listeners);
	/* The xdg surface may outlive its role: no popup may find the tree freed below. */
	xv->toplevel->base->data = NULL;
	pb_view_finish(&xv->base);
	free(xv);
}

/* Clients ask to be moved or resized when the user drags their own title or border. */
static void handle_request_move(struct wl_listener *listener, void *data)
{
	struct pb_xdg_view *xv = wl_container_of(listener, xv, request_move);
	pb_grab_request(xv->base.server->seat, &xv->base, false, 0);
}

static void handle_request_resize(struct wl_listener *listener, void *data)
{
	struct pb_xdg_view *xv = wl_container_of(listener, xv, request_resize);
	struct wlr_xdg_toplevel_resize_event *event = data;
	pb_grab_request(xv->base.server->seat, &xv->base, true, event->edges);
}

static void handle_request_fullscreen(struct wl_listener *listener, void *data)
{
	struct pb_xdg_view *xv = wl_container_of(listener, xv, request_fullscreen);
	struct wlr_xdg_toplevel *toplevel = xv->toplevel;
	bool changed = toplevel->base->surface->mapped &&
	               pb_view_set_fullscreen(&xv->base, toplevel->requested.fullscreen);
	/* xdg-shell wants a configure in reply, even a no (once the window is initialised). */
	if (!changed && toplevel->base->initialized) {
		wlr_xdg_surface_schedule_configure(toplevel->base);
	}
}

/* Windows are not maximized here; the reply keeps the client's size. */
static void handle_request_maximize(struct wl_listener *listener, void *data)
{
	struct pb_xdg_view *xv = wl_container_of(listener, xv, request_maximize);
	if (xv->toplevel->base->initialized) {
		wlr_xdg_surface_schedule_configure(xv->toplevel->base);
	}
}

static void handle_set_title(struct wl_listener *listener, void *data)
{
	struct pb_xdg_view *xv = wl_container_of(listener, xv, set_title);
	pb_view_set_title(&xv->base, xv->toplevel->title);
}

static void handle_set_app_id(struct wl_listener *listener, void *data)
{
	struct pb_xdg_view *xv = wl_container_of(listener, xv, set_app_id);
	pb_view_set_app_id(&xv->base, xv->toplevel->app_id);
}

struct pb_view *pb_xdg_view_from_toplevel(struct wlr_xdg_toplevel *toplevel)
{
	/* The view's tree, cleared when the view goes (handle_destroy). */
	struct wlr_scene_tree *tree = toplevel->base->data;
	return tree ? tree->node.data : NULL;
}

void pb_xdg_view_handle_new_toplevel(struct wl_listener *listener, void *data)
{
	struct pb_server *server = wl_container_of(listener, server, new_xdg_toplevel);
	struct wlr_xdg_toplevel *toplevel = data;
	struct pb_xdg_view *xv = calloc(1, sizeof(*xv));
	/*
	 * wlroots' xdg helper enables its node on map, before our map handler
	 * places it: inside a tree of our own, kept disabled until placed, that
	 * does not damage (and send the host) the window's area at 0,0.
	 */
	struct wlr_scene_tree *tree = xv ? wlr_scene_tree_create(server->windows) : NULL;
	if (!tree || !wlr_scene_xdg_surface_create(tree, toplevel->base)) {
		wlr_log(WLR_ERROR, "Out of memory for a new window; its client is told so");
		if (tree) {
			wlr_scene_node_destroy(&tree->node);
		}
		free(xv);
		wl_resource_post_no_memory(toplevel->resource);
		return;
	}
	xv->toplevel = toplevel;
	/* Its popups go in this tree (xdg_popup.c). */
	toplevel->base->data = tree;
	pb_view_init(&xv->base, server, &xdg_impl, &tree->node);

	struct wlr_surface *surface = toplevel->base->surface;
	const struct pb_connection connections[] = {
	        {&surface->events.map, &xv->map, handle_map},
	        {&surface->events.unmap, &xv->unmap, handle_unmap},
	        {&surface->events.commit, &xv->commit, handle_commit},
	        {&toplevel->events.destroy, &xv->destroy, handle_destroy},
	        {&toplevel->events.request_move, &xv->request_move, handle_request_move},
	        {&toplevel->events.request_resize, &xv->request_resize, handle_request_resize},
	        {&toplevel->events.request_fullscreen, &xv->request_fullscreen,
	                handle_request_fullscreen},
	        {&toplevel->events.request_maximize, &xv->request_maximize,
	                handle_request_maximize},
	        {&toplevel->events.set_title, &xv->set_title, handle_set_title},
	        {&toplevel->events.set_app_id, &xv->set_app_id, handle_set_app_id},
	};
	pb_connect_all(&xv->listeners, connections, PB_COUNT(connections));
}
