#include "view.h"

#include <stdlib.h>
#include <wlr/util/log.h>

#include "kiosk.h"
#include "server.h"

void pb_view_focus(struct pb_view *view, struct wlr_surface *surface)
{
	struct pb_server *server = view->server;
	struct wlr_seat *seat = server->seat;
	struct wlr_surface *prev = seat->keyboard_state.focused_surface;
	if (prev == surface) {
		return;
	}
	if (prev && wlr_surface_is_xdg_surface(prev)) {
		struct wlr_xdg_surface *previous = wlr_xdg_surface_from_wlr_surface(prev);
		if (previous && previous->role == WLR_XDG_SURFACE_ROLE_TOPLEVEL) {
			wlr_xdg_toplevel_set_activated(previous, false);
		}
	}
	wlr_scene_node_raise_to_top(view->scene_node);
	wl_list_remove(&view->link);
	wl_list_insert(&server->views, &view->link);
	wlr_xdg_toplevel_set_activated(view->xdg_surface, true);
	struct wlr_keyboard *keyboard = wlr_seat_get_keyboard(seat);
	if (keyboard) {
		wlr_seat_keyboard_notify_enter(seat, view->xdg_surface->surface, keyboard->keycodes,
		        keyboard->num_keycodes, &keyboard->modifiers);
	} else {
		wlr_seat_keyboard_notify_enter(seat, view->xdg_surface->surface, NULL, 0, NULL);
	}
}

struct pb_view *pb_view_at(struct pb_server *server, double lx, double ly,
        struct wlr_surface **surface, double *sx, double *sy)
{
	struct wlr_scene_node *node = wlr_scene_node_at(&server->scene->node, lx, ly, sx, sy);
	if (!node || node->type != WLR_SCENE_NODE_SURFACE) {
		return NULL;
	}
	*surface = wlr_scene_surface_from_node(node)->surface;
	/* The view is the data of the tree node the surface belongs to. */
	for (; node; node = node->parent) {
		if (node->data) {
			return node->data;
		}
	}
	return NULL;
}

/* New windows open centred on the first output, like a dialog on a fresh desktop. */
static void place(struct pb_view *view)
{
	struct wlr_box geometry;
	wlr_xdg_surface_get_geometry(view->xdg_surface, &geometry);
	struct wlr_box area = *wlr_output_layout_get_box(view->server->layout, NULL);
	struct wlr_output *first = wlr_output_layout_output_at(view->server->layout, 0, 0);
	if (first) {
		area.width = first->width;
		area.height = first->height;
	}
	view->x = area.x + (area.width - geometry.width) / 2 - geometry.x;
	view->y = area.y + (area.height - geometry.height) / 2 - geometry.y;
	if (view->x < area.x - geometry.x) {
		view->x = area.x - geometry.x;
	}
	if (view->y < area.y - geometry.y) {
		view->y = area.y - geometry.y;
	}
	wlr_scene_node_set_position(view->scene_node, view->x, view->y);
	view->placed = true;
}

static void handle_map(struct wl_listener *listener, void *data)
{
	struct pb_view *view = wl_container_of(listener, view, map);
	struct pb_kiosk *kiosk = view->server->kiosk;
	if (kiosk && !pb_kiosk_place(kiosk, view)) {
		return;
	}
	if (!view->placed) {
		place(view);
	}
	wlr_scene_node_set_enabled(view->scene_node, true);
	pb_view_focus(view, view->xdg_surface->surface);
}

static void handle_unmap(struct wl_listener *listener, void *data)
{
	struct pb_view *view = wl_container_of(listener, view, unmap);
	wlr_scene_node_set_enabled(view->scene_node, false);
	struct pb_server *server = view->server;
	if (server->grabbed == view) {
		server->cursor_mode = PB_CURSOR_PASSTHROUGH;
		server->grabbed = NULL;
	}
	/* Hand the keyboard to the next window down. */
	if (server->seat->keyboard_state.focused_surface == view->xdg_surface->surface) {
		wlr_seat_keyboard_clear_focus(server->seat);
		struct pb_view *next;
		wl_list_for_each(next, &server->views, link)
		{
			if (next != view && next->xdg_surface->mapped) {
				pb_view_focus(next, next->xdg_surface->surface);
				break;
			}
		}
	}
}

static void handle_destroy(struct wl_listener *listener, void *data)
{
	struct pb_view *view = wl_container_of(listener, view, destroy);
	if (view->server->grabbed == view) {
		view->server->cursor_mode = PB_CURSOR_PASSTHROUGH;
		view->server->grabbed = NULL;
	}
	wl_list_remove(&view->map.link);
	wl_list_remove(&view->unmap.link);
	wl_list_remove(&view->destroy.link);
	wl_list_remove(&view->request_move.link);
	wl_list_remove(&view->request_resize.link);
	wl_list_remove(&view->link);
	wlr_scene_node_destroy(view->scene_node);
	free(view);
}

void pb_view_begin_grab(struct pb_view *view, bool resize, uint32_t edges)
{
	struct pb_server *server = view->server;
	if (server->kiosk) {
		return; /* the kiosk's windows stay where they are */
	}
	/* Only a mapped window the pointer is on may be grabbed (wlroots 0.15 checks no serial). */
	struct wlr_surface *focused = server->seat->pointer_state.focused_surface;
	if (!view->xdg_surface->mapped || !focused ||
	        wlr_surface_get_root_surface(focused) != view->xdg_surface->surface) {
		return;
	}
	server->grabbed = view;
	server->cursor_mode = resize ? PB_CURSOR_RESIZE : PB_CURSOR_MOVE;
	server->grab_x = server->cursor->x;
	server->grab_y = server->cursor->y;
	wlr_xdg_surface_get_geometry(view->xdg_surface, &server->grab_geometry);
	server->grab_geometry.x += view->x;
	server->grab_geometry.y += view->y;
	server->resize_edges = edges;
}

/* Clients ask to be moved or resized when the user drags their own title or border. */
static void handle_request_move(struct wl_listener *listener, void *data)
{
	struct pb_view *view = wl_container_of(listener, view, request_move);
	pb_view_begin_grab(view, false, 0);
}

static void handle_request_resize(struct wl_listener *listener, void *data)
{
	struct pb_view *view = wl_container_of(listener, view, request_resize);
	struct wlr_xdg_toplevel_resize_event *event = data;
	pb_view_begin_grab(view, true, event->edges);
}

void pb_view_handle_new_xdg_surface(struct wl_listener *listener, void *data)
{
	struct pb_server *server = wl_container_of(listener, server, new_xdg_surface);
	struct wlr_xdg_surface *xdg_surface = data;
	if (xdg_surface->role == WLR_XDG_SURFACE_ROLE_POPUP) {
		/* Popups live in their parent's scene tree, positioned by wlroots. */
		/* A popup without an xdg parent was already refused with a protocol error. */
		struct wlr_surface *parent_surface = xdg_surface->popup->parent;
		struct wlr_xdg_surface *parent =
		        parent_surface && wlr_surface_is_xdg_surface(parent_surface)
		                ? wlr_xdg_surface_from_wlr_surface(parent_surface)
		                : NULL;
		struct wlr_scene_node *parent_node = parent ? parent->data : NULL;
		if (parent_node) {
			xdg_surface->data = wlr_scene_xdg_surface_create(parent_node, xdg_surface);
		}
		return;
	}
	if (xdg_surface->role != WLR_XDG_SURFACE_ROLE_TOPLEVEL) {
		return;
	}
	struct pb_view *view = calloc(1, sizeof(*view));
	if (!view) {
		wlr_log_errno(WLR_ERROR, "Allocation failed");
		wl_resource_post_no_memory(xdg_surface->resource);
		return;
	}
	/*
	 * wlroots' xdg helper enables its node on map, before our map handler
	 * places it: inside a tree of our own, kept disabled until placed, that
	 * does not damage (and send the host) the window's area at 0,0.
	 */
	struct wlr_scene_tree *tree = wlr_scene_tree_create(&server->windows->node);
	if (!tree || !wlr_scene_xdg_surface_create(&tree->node, xdg_surface)) {
		if (tree) {
			wlr_scene_node_destroy(&tree->node);
		}
		free(view);
		wl_resource_post_no_memory(xdg_surface->resource);
		return;
	}
	view->scene_node = &tree->node;
	view->server = server;
	view->xdg_surface = xdg_surface;
	view->scene_node->data = view;
	xdg_surface->data = view->scene_node;
	wlr_scene_node_set_enabled(view->scene_node, false);
	wl_list_insert(&server->views, &view->link);

	view->map.notify = handle_map;
	wl_signal_add(&xdg_surface->events.map, &view->map);
	view->unmap.notify = handle_unmap;
	wl_signal_add(&xdg_surface->events.unmap, &view->unmap);
	view->destroy.notify = handle_destroy;
	wl_signal_add(&xdg_surface->events.destroy, &view->destroy);
	struct wlr_xdg_toplevel *toplevel = xdg_surface->toplevel;
	view->request_move.notify = handle_request_move;
	wl_signal_add(&toplevel->events.request_move, &view->request_move);
	view->request_resize.notify = handle_request_resize;
	wl_signal_add(&toplevel->events.request_resize, &view->request_resize);
}

static struct pb_view *focused_view(struct pb_server *server)
{
	struct wlr_surface *focused = server->seat->keyboard_state.focused_surface;
	struct pb_view *view;
	wl_list_for_each(view, &server->views, link)
	{
		if (view->xdg_surface->surface == focused) {
			return view;
		}
	}
	return NULL;
}

bool pb_view_close_focused(struct pb_server *server)
{
	struct pb_view *view = focused_view(server);
	if (!view) {
		return false;
	}
	wlr_xdg_toplevel_send_close(view->xdg_surface);
	return true;
}

bool pb_view_cycle_focus(struct pb_server *server)
{
	/* The bottom-most mapped view comes to the top: repeated, it visits them all. */
	struct pb_view *view;
	wl_list_for_each_reverse(view, &server->views, link)
	{
		if (view->xdg_surface->mapped && view != focused_view(server)) {
			pb_view_focus(view, view->xdg_surface->surface);
			return true;
		}
	}
	return false;
}
