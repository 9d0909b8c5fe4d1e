#include "view.h"

#include <stdlib.h>
#include <string.h>
#include <wlr/types/wlr_ext_foreign_toplevel_list_v1.h>
#include <wlr/util/box.h>
#include <wlr/util/log.h>

#include "cairo_buffer.h"
#include "decoration.h"
#include "output.h"
#include "seat.h"
#include "server.h"
#include "window_policy.h"

void pb_view_init(struct pb_view *view, struct pb_server *server, const struct pb_view_impl *impl,
        struct wlr_scene_node *node)
{
	view->server = server;
	view->impl = impl;
	view->scene_node = node;
	node->data = view;
	wlr_scene_node_set_enabled(node, false);
	/* In server->views only while mapped: focus, Alt+Tab and placement see windows. */
	wl_list_init(&view->link);
	wl_signal_init(&view->events.unmap);
}

struct pb_view *pb_view_from_surface(struct pb_server *server, struct wlr_surface *surface)
{
	struct pb_view *view;
	wl_list_for_each(view, &server->views, link)
	{
		if (surface && view->surface == surface) {
			return view;
		}
	}
	return NULL;
}

/* Tells the window, taskbars and its title bar whether it has the keyboard. */
static void set_activated(struct pb_view *view, bool activated)
{
	view->activated = activated;
	view->impl->set_activated(view, activated);
	if (view->handle) {
		wlr_foreign_toplevel_handle_v1_set_activated(view->handle, activated);
	}
	pb_view_update_decoration(view);
}

/*
 * Every window but keep (NULL: every one) stops being active. Not only the
 * one with the keyboard: a panel or launcher may have it, and the window it
 * came from is still shown as active.
 */
static void deactivate_others(struct pb_server *server, struct pb_view *keep)
{
	struct pb_view *other;
	wl_list_for_each(other, &server->views, link)
	{
		if (other != keep && other->activated) {
			set_activated(other, false);
		}
	}
}

void pb_view_deactivate_all(struct pb_server *server)
{
	deactivate_others(server, NULL);
}

void pb_view_focus(struct pb_view *view)
{
	struct pb_server *server = view->server;
	struct wlr_seat *seat = server->seat->wlr_seat;
	if (!view->mapped) {
		return; /* a hidden window (activation, a taskbar) stays hidden */
	}
	wlr_scene_node_raise_to_top(view->scene_node);
	wl_list_remove(&view->link);
	wl_list_insert(&server->views, &view->link);
	struct wlr_surface *prev = seat->keyboard_state.focused_surface;
	if (prev == view->surface || server->exclusive_focus || server->seat->locked) {
		return; /* a lock or launcher holding the keyboard keeps it */
	}
	deactivate_others(server, view);
	set_activated(view, true);
	pb_seat_focus_keyboard(server->seat, view->surface);
}

void pb_view_focus_top(struct pb_server *server)
{
	if (!wl_list_empty(&server->views)) {
		struct pb_view *top = wl_container_of(server->views.next, top, link);
		pb_view_focus(top);
		return;
	}
	if (!server->seat->locked) {
		wlr_seat_keyboard_clear_focus(server->seat->wlr_seat);
	}
}

struct pb_view *pb_view_at(struct pb_server *server, double lx, double ly,
        struct wlr_surface **surface, double *sx, double *sy)
{
	*surface = NULL;
	struct wlr_scene_node *node = wlr_scene_node_at(&server->scene->tree.node, lx, ly, sx, sy);
	if (!node || node->type != WLR_SCENE_NODE_BUFFER) {
		return NULL;
	}
	struct wlr_scene_surface *scene_surface =
	        wlr_scene_surface_try_from_buffer(wlr_scene_buffer_from_node(node));
	if (scene_surface) {
		*surface = scene_surface->surface;
	}
	/*
	 * Windows' trees are the only nodes in server->windows with data; the
	 * only buffers in them that are no surface are title bars.
	 */
	for (; node->parent; node = &node->parent->node) {
		if (node->parent == server->windows) {
			return node->data;
		}
	}
	return NULL;
}

void pb_view_move(struct pb_view *view, int x, int y)
{
	view->x = x;
	view->y = y;
	wlr_scene_node_set_position(view->scene_node, x, y);
	view->impl->configure(view, 0, 0);
}

struct pb_output *pb_view_output(struct pb_view *view)
{
	struct pb_server *server = view->server;
	struct wlr_box geometry;
	view->impl->get_geometry(view, &geometry);
	double cx = view->x + geometry.x + geometry.width / 2.0;
	double cy = view->y + geometry.y + geometry.height / 2.0;
	double lx, ly;
	wlr_output_layout_closest_point(server->layout, NULL, cx, cy, &lx, &ly);
	return pb_output_from_wlr(server, wlr_output_layout_output_at(server->layout, lx, ly));
}

/* The height of the title bar above the window: 0 when it has none. */
static int bar_height(struct pb_view *view)
{
	bool shown = view->server_side && !view->fullscreen &&
	             pb_window_policy_lets_user_arrange(&view->server->policy);
	return shown ? PB_TITLE_BAR_HEIGHT : 0;
}

void pb_view_get_frame(struct pb_view *view, struct wlr_box *box)
{
	view->impl->get_geometry(view, box);
	int bar = bar_height(view);
	box->y -= bar;
	box->height += bar;
}

void pb_view_cover(struct pb_view *view, const struct wlr_box *box)
{
	struct wlr_box geometry;
	view->impl->get_geometry(view, &geometry);
	pb_view_move(view, box->x - geometry.x, box->y - geometry.y);
	view->impl->configure(view, box->width, box->height);
}

static void handle_toplevel_activate(struct wl_listener *listener, void *data)
{
	struct pb_view *view = wl_container_of(listener, view, handle_activate);
	pb_view_focus(view);
}

static void handle_toplevel_close(struct wl_listener *listener, void *data)
{
	struct pb_view *view = wl_container_of(listener, view, handle_close);
	view->impl->close(view);
}

static void handle_toplevel_fullscreen(struct wl_listener *listener, void *data)
{
	struct pb_view *view = wl_container_of(listener, view, handle_fullscreen);
	struct wlr_foreign_toplevel_handle_v1_fullscreen_event *event = data;
	pb_view_set_fullscreen(view, event->fullscreen);
}

static void create_handle(struct pb_view *view)
{
	struct pb_server *server = view->server;
	view->handle = wlr_foreign_toplevel_handle_v1_create(server->foreign_toplevels);
	if (!view->handle) {
		wlr_log(WLR_ERROR, "Cannot show a window to taskbars (out of memory)");
		return;
	}
	pb_listen(&view->listeners, &view->handle->events.request_activate, &view->handle_activate,
	        handle_toplevel_activate);
	pb_listen(&view->listeners, &view->handle->events.request_close, &view->handle_close,
	        handle_toplevel_close);
	pb_listen(&view->listeners, &view->handle->events.request_fullscreen,
	        &view->handle_fullscreen, handle_toplevel_fullscreen);
	struct pb_output *output = pb_view_output(view);
	if (output) {
		wlr_foreign_toplevel_handle_v1_output_enter(view->handle, output->wlr_output);
	}
	const struct wlr_ext_foreign_toplevel_handle_v1_state nothing_yet = {0};
	view->listed =
	        wlr_ext_foreign_toplevel_handle_v1_create(server->toplevel_list, &nothing_yet);
}

static void destroy_handle(struct pb_view *view)
{
	if (view->listed) {
		wlr_ext_foreign_toplevel_handle_v1_destroy(view->listed);
		view->listed = NULL;
	}
	if (!view->handle) {
		return;
	}
	pb_disconnect_all(&view->listeners);
	wlr_foreign_toplevel_handle_v1_destroy(view->handle);
	view->handle = NULL;
}

void pb_view_map(struct pb_view *view, struct wlr_surface *surface)
{
	view->surface = surface;
	if (!pb_window_policy_place(&view->server->policy, view)) {
		return;
	}
	view->mapped = true;
	wl_list_insert(&view->server->views, &view->link);
	wlr_scene_node_set_enabled(view->scene_node, true);
	create_handle(view);
	pb_view_update_decoration(view);
	pb_view_focus(view);
}

void pb_view_set_title(struct pb_view *view, const char *title)
{
	if (title && (!view->title || strcmp(view->title, title) != 0)) {
		char *copy = strdup(title);
		if (!copy) {
			wlr_log(WLR_ERROR, "Cannot keep a window's new title: out of memory");
			return;
		}
		free(view->title);
		view->title = copy;
		pb_view_update_decoration(view);
	}
	if (view->handle && title) {
		wlr_foreign_toplevel_handle_v1_set_title(view->handle, title);
	}
	if (view->listed && title) {
		const struct wlr_ext_foreign_toplevel_handle_v1_state state = {
		        .title = title, .app_id = view->listed->app_id};
		wlr_ext_foreign_toplevel_handle_v1_update_state(view->listed, &state);
	}
}

void pb_view_set_app_id(struct pb_view *view, const char *app_id)
{
	if (view->handle && app_id) {
		wlr_foreign_toplevel_handle_v1_set_app_id(view->handle, app_id);
	}
	if (view->listed && app_id) {
		const struct wlr_ext_foreign_toplevel_handle_v1_state state = {
		        .title = view->listed->title, .app_id = app_id};
		wlr_ext_foreign_toplevel_handle_v1_update_state(view->listed, &state);
	}
}

void pb_view_set_server_side(struct pb_view *view, bool server_side)
{
	view->server_side = server_side;
	pb_view_update_decoration(view);
}

void pb_view_update_decoration(struct pb_view *view)
{
	if (!view->mapped || bar_height(view) == 0) {
		pb_decoration_destroy(view->decoration);
		view->decoration = NULL;
		return;
	}
	if (!view->decoration) {
		view->decoration = pb_decoration_create(wlr_scene_tree_from_node(view->scene_node));
		if (!view->decoration) {
			return;
		}
	}
	struct wlr_box geometry;
	view->impl->get_geometry(view, &geometry);
	/* No title until the fonts are loaded: drawing it now would stall every output. */
	const char *title = pb_cairo_fonts_ready(view->server->fonts) ? view->title : NULL;
	pb_decoration_update(view->decoration, &geometry, title, view->activated);
}

void pb_view_unmap(struct pb_view *view)
{
	struct pb_server *server = view->server;
	bool had_focus = view->surface &&
	                 server->seat->wlr_seat->keyboard_state.focused_surface == view->surface;
	wlr_scene_node_set_enabled(view->scene_node, false);
	view->mapped = false;
	wl_signal_emit_mutable(&view->events.unmap, view);
	view->activated = false;
	wl_list_remove(&view->link);
	wl_list_init(&view->link);
	destroy_handle(view);
	pb_view_update_decoration(view);
	if (had_focus) {
		/* The keyboard goes to the next window down. */
		wlr_seat_keyboard_clear_focus(server->seat->wlr_seat);
		pb_view_focus_top(server);
	}
	view->surface = NULL;
}

void pb_view_finish(struct pb_view *view)
{
	if (view->mapped) {
		pb_view_unmap(view);
	}
	destroy_handle(view);
	pb_decoration_destroy(view->decoration);
	view->decoration = NULL;
	free(view->title);
	view->title = NULL;
	wl_list_remove(&view->link);
	wlr_scene_node_destroy(view->scene_node);
}

bool pb_view_set_fullscreen(struct pb_view *view, bool fullscreen)
{
	if (!pb_window_policy_lets_user_arrange(&view->server->policy) ||
	        fullscreen == view->fullscreen || !view->mapped) {
		return false; /* the kiosk decides what is full screen */
	}
	struct wlr_box geometry;
	view->impl->get_geometry(view, &geometry);
	struct pb_output *output = pb_view_output(view);
	struct wlr_box box = {0};
	if (output) {
		wlr_output_layout_get_box(view->server->layout, output->wlr_output, &box);
	}
	if (fullscreen && wlr_box_empty(&box)) {
		return false;
	}
	view->fullscreen = fullscreen;
	view->impl->set_fullscreen(view, fullscreen);
	if (view->handle) {
		wlr_foreign_toplevel_handle_v1_set_fullscreen(view->handle, fullscreen);
	}
	if (fullscreen) {
		view->saved = (struct wlr_box){view->x + geometry.x, view->y + geometry.y,
		        geometry.width, geometry.height};
		pb_view_cover(view, &box);
		wlr_scene_node_raise_to_top(view->scene_node);
	} else {
		pb_view_move(view, view->saved.x - geometry.x, view->saved.y - geometry.y);
		view->impl->configure(view, view->saved.width, view->saved.height);
	}
	/* No title bar in full screen; back with the window. */
	pb_view_update_decoration(view);
	return true;
}

static struct pb_view *focused_view(struct pb_server *server)
{
	return pb_view_from_surface(server, server->seat->wlr_seat->keyboard_state.focused_surface);
}

bool pb_view_close_focused(struct pb_server *server)
{
	struct pb_view *view = focused_view(server);
	if (!view) {
		return false;
	}
	view->impl->close(view);
	return true;
}

bool pb_view_cycle_focus(struct pb_server *server)
{
	/* The bottom-most view comes to the top: repeated, it visits them all. */
	struct pb_view *view;
	wl_list_for_each_reverse(view, &server->views, link)
	{
		if (view != focused_view(server)) {
			pb_view_focus(view);
			return true;
		}
	}
	return false;
}
