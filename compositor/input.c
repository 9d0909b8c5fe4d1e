#include "input.h"

#include <linux/input-event-codes.h>
#include <stdlib.h>
#include <wlr/backend/session.h>
#include <wlr/types/wlr_data_device.h>
#include <wlr/types/wlr_keyboard.h>
#include <wlr/util/log.h>
#include <xkbcommon/xkbcommon.h>

#include "kiosk.h"
#include "server.h"
#include "view.h"

/*
 * Compositor key bindings, checked before the focused client sees the key:
 * Alt+F4 closes the focused window, Alt+Tab cycles focus, Ctrl+Alt+F1..F12
 * switch VT, Ctrl+Alt+BackSpace quits.
 */
static bool handle_binding(struct pb_server *server, uint32_t modifiers, xkb_keysym_t sym)
{
	if (sym >= XKB_KEY_XF86Switch_VT_1 && sym <= XKB_KEY_XF86Switch_VT_12) {
		struct wlr_session *session = server->login->session;
		if (server->kiosk && !pb_kiosk_allows_vt_switch(server->kiosk)) {
			return true; /* swallowed: a kiosk stays on its VT */
		}
		if (session) {
			wlr_session_change_vt(session, sym - XKB_KEY_XF86Switch_VT_1 + 1);
		}
		return true;
	}
	bool alt = modifiers & WLR_MODIFIER_ALT;
	bool ctrl = modifiers & WLR_MODIFIER_CTRL;
	if (alt && ctrl && sym == XKB_KEY_BackSpace && server->kiosk &&
	        !pb_kiosk_allows_quit(server->kiosk)) {
		return true;
	}
	if (alt && ctrl && sym == XKB_KEY_BackSpace) {
		wlr_log(WLR_INFO, "Quitting on Ctrl+Alt+BackSpace");
		wl_display_terminate(server->display);
		return true;
	}
	if (alt && !ctrl && sym == XKB_KEY_F4) {
		return pb_view_close_focused(server);
	}
	if (alt && !ctrl && sym == XKB_KEY_Tab) {
		return pb_view_cycle_focus(server);
	}
	return false;
}

static void handle_key(struct wl_listener *listener, void *data)
{
	struct pb_keyboard *keyboard = wl_container_of(listener, keyboard, key);
	struct pb_server *server = keyboard->server;
	struct wlr_event_keyboard_key *event = data;
	struct wlr_keyboard *wlr_keyboard = keyboard->device->keyboard;
	uint32_t keycode = event->keycode + 8; /* evdev to xkb */
	const xkb_keysym_t *syms;
	int count = xkb_state_key_get_syms(wlr_keyboard->xkb_state, keycode, &syms);
	uint32_t modifiers = wlr_keyboard_get_modifiers(wlr_keyboard);
	bool handled = false;
	if (event->state == WL_KEYBOARD_KEY_STATE_PRESSED) {
		for (int i = 0; i < count && !handled; i++) {
			handled = handle_binding(server, modifiers, syms[i]);
		}
	}
	if (!handled) {
		wlr_seat_set_keyboard(server->seat, keyboard->device);
		wlr_seat_keyboard_notify_key(
		        server->seat, event->time_msec, event->keycode, event->state);
	}
}

static void handle_modifiers(struct wl_listener *listener, void *data)
{
	struct pb_keyboard *keyboard = wl_container_of(listener, keyboard, modifiers);
	wlr_seat_set_keyboard(keyboard->server->seat, keyboard->device);
	wlr_seat_keyboard_notify_modifiers(
	        keyboard->server->seat, &keyboard->device->keyboard->modifiers);
}

static void handle_keyboard_destroy(struct wl_listener *listener, void *data)
{
	struct pb_keyboard *keyboard = wl_container_of(listener, keyboard, destroy);
	wl_list_remove(&keyboard->modifiers.link);
	wl_list_remove(&keyboard->key.link);
	wl_list_remove(&keyboard->destroy.link);
	wl_list_remove(&keyboard->link);
	free(keyboard);
}

static void add_keyboard(struct pb_server *server, struct wlr_input_device *device)
{
	struct xkb_context *context = xkb_context_new(XKB_CONTEXT_NO_FLAGS);
	struct xkb_keymap *keymap =
	        context ? xkb_keymap_new_from_names(context, NULL, XKB_KEYMAP_COMPILE_NO_FLAGS)
	                : NULL;
	if (!keymap) {
		wlr_log(WLR_ERROR, "%s: cannot compile the default keymap, keyboard ignored",
		        device->name);
		xkb_context_unref(context);
		return;
	}
	struct pb_keyboard *keyboard = calloc(1, sizeof(*keyboard));
	if (!keyboard) {
		xkb_keymap_unref(keymap);
		xkb_context_unref(context);
		return;
	}
	wlr_keyboard_set_keymap(device->keyboard, keymap);
	xkb_keymap_unref(keymap);
	xkb_context_unref(context);
	wlr_keyboard_set_repeat_info(device->keyboard, 25, 600);
	keyboard->server = server;
	keyboard->device = device;
	keyboard->modifiers.notify = handle_modifiers;
	wl_signal_add(&device->keyboard->events.modifiers, &keyboard->modifiers);
	keyboard->key.notify = handle_key;
	wl_signal_add(&device->keyboard->events.key, &keyboard->key);
	keyboard->destroy.notify = handle_keyboard_destroy;
	wl_signal_add(&device->events.destroy, &keyboard->destroy);
	wlr_seat_set_keyboard(server->seat, device);
	wl_list_insert(&server->keyboards, &keyboard->link);
}

static void update_capabilities(struct pb_server *server)
{
	uint32_t caps = WL_SEAT_CAPABILITY_POINTER;
	if (!wl_list_empty(&server->keyboards)) {
		caps |= WL_SEAT_CAPABILITY_KEYBOARD;
	}
	wlr_seat_set_capabilities(server->seat, caps);
}

static void handle_new_input(struct wl_listener *listener, void *data)
{
	struct pb_server *server = wl_container_of(listener, server, new_input);
	struct wlr_input_device *device = data;
	switch (device->type) {
	case WLR_INPUT_DEVICE_KEYBOARD:
		add_keyboard(server, device);
		break;
	case WLR_INPUT_DEVICE_POINTER:
	case WLR_INPUT_DEVICE_TOUCH:
	case WLR_INPUT_DEVICE_TABLET_TOOL:
		wlr_cursor_attach_input_device(server->cursor, device);
		break;
	default:
		break;
	}
	update_capabilities(server);
}

/* Moves or resizes the grabbed view with the pointer. */
static void process_grab(struct pb_server *server)
{
	struct pb_view *view = server->grabbed;
	double dx = server->cursor->x - server->grab_x;
	double dy = server->cursor->y - server->grab_y;
	struct wlr_box geo = server->grab_geometry;
	struct wlr_box current;
	wlr_xdg_surface_get_geometry(view->xdg_surface, &current);
	if (server->cursor_mode == PB_CURSOR_MOVE) {
		view->x = geo.x + (int)dx - current.x;
		view->y = geo.y + (int)dy - current.y;
		wlr_scene_node_set_position(view->scene_node, view->x, view->y);
		return;
	}
	int left = geo.x, right = geo.x + geo.width;
	int top = geo.y, bottom = geo.y + geo.height;
	uint32_t edges = server->resize_edges;
	if (edges & WLR_EDGE_TOP) {
		top = geo.y + (int)dy < bottom - 1 ? geo.y + (int)dy : bottom - 1;
	} else if (edges & WLR_EDGE_BOTTOM) {
		bottom = geo.y + geo.height + (int)dy > top + 1 ? geo.y + geo.height + (int)dy
		                                                : top + 1;
	}
	if (edges & WLR_EDGE_LEFT) {
		left = geo.x + (int)dx < right - 1 ? geo.x + (int)dx : right - 1;
	} else if (edges & WLR_EDGE_RIGHT) {
		right = geo.x + geo.width + (int)dx > left + 1 ? geo.x + geo.width + (int)dx
		                                               : left + 1;
	}
	view->x = left - current.x;
	view->y = top - current.y;
	wlr_scene_node_set_position(view->scene_node, view->x, view->y);
	wlr_xdg_toplevel_set_size(
	        view->xdg_surface, (uint32_t)(right - left), (uint32_t)(bottom - top));
}

static void process_motion(struct pb_server *server, uint32_t time)
{
	if (server->kiosk) {
		pb_kiosk_pointer_moved(server->kiosk);
	}
	if (server->cursor_mode != PB_CURSOR_PASSTHROUGH && server->grabbed) {
		process_grab(server);
		return;
	}
	struct wlr_surface *surface = NULL;
	double sx, sy;
	struct pb_view *view =
	        pb_view_at(server, server->cursor->x, server->cursor->y, &surface, &sx, &sy);
	if (!view && !server->default_cursor) {
		/* Setting it re-uploads the image to the cursor plane: only on change. */
		wlr_xcursor_manager_set_cursor_image(
		        server->cursor_theme, "left_ptr", server->cursor);
		server->default_cursor = true;
	}
	if (surface) {
		wlr_seat_pointer_notify_enter(server->seat, surface, sx, sy);
		wlr_seat_pointer_notify_motion(server->seat, time, sx, sy);
	} else {
		wlr_seat_pointer_clear_focus(server->seat);
	}
}

static void handle_motion(struct wl_listener *listener, void *data)
{
	struct pb_server *server = wl_container_of(listener, server, cursor_motion);
	struct wlr_event_pointer_motion *event = data;
	wlr_cursor_move(server->cursor, event->device, event->delta_x, event->delta_y);
	process_motion(server, event->time_msec);
}

static void handle_motion_absolute(struct wl_listener *listener, void *data)
{
	struct pb_server *server = wl_container_of(listener, server, cursor_motion_absolute);
	struct wlr_event_pointer_motion_absolute *event = data;
	wlr_cursor_warp_absolute(server->cursor, event->device, event->x, event->y);
	process_motion(server, event->time_msec);
}

/* Alt+left drag moves a window, Alt+right drag resizes it, any click focuses it. */
static void handle_button(struct wl_listener *listener, void *data)
{
	struct pb_server *server = wl_container_of(listener, server, cursor_button);
	struct wlr_event_pointer_button *event = data;
	if (event->state == WLR_BUTTON_RELEASED) {
		bool ours = server->grab_from_binding;
		server->cursor_mode = PB_CURSOR_PASSTHROUGH;
		server->grabbed = NULL;
		server->grab_from_binding = false;
		/* The client saw the press unless an Alt binding took it. */
		if (!ours) {
			wlr_seat_pointer_notify_button(
			        server->seat, event->time_msec, event->button, event->state);
		}
		return;
	}
	struct wlr_surface *surface = NULL;
	double sx, sy;
	struct pb_view *view =
	        pb_view_at(server, server->cursor->x, server->cursor->y, &surface, &sx, &sy);
	if (view) {
		pb_view_focus(view, view->xdg_surface->surface);
		struct wlr_keyboard *keyboard = wlr_seat_get_keyboard(server->seat);
		bool alt = keyboard && (wlr_keyboard_get_modifiers(keyboard) & WLR_MODIFIER_ALT);
		if (alt && (event->button == BTN_LEFT || event->button == BTN_RIGHT)) {
			bool resize = event->button == BTN_RIGHT;
			pb_view_begin_grab(view, resize, WLR_EDGE_BOTTOM | WLR_EDGE_RIGHT);
			server->grab_from_binding = server->grabbed == view;
			return;
		}
	}
	wlr_seat_pointer_notify_button(server->seat, event->time_msec, event->button, event->state);
}

static void handle_axis(struct wl_listener *listener, void *data)
{
	struct pb_server *server = wl_container_of(listener, server, cursor_axis);
	struct wlr_event_pointer_axis *event = data;
	wlr_seat_pointer_notify_axis(server->seat, event->time_msec, event->orientation,
	        event->delta, event->delta_discrete, event->source);
}

static void handle_frame(struct wl_listener *listener, void *data)
{
	struct pb_server *server = wl_container_of(listener, server, cursor_frame);
	wlr_seat_pointer_notify_frame(server->seat);
}

static void handle_request_cursor(struct wl_listener *listener, void *data)
{
	struct pb_server *server = wl_container_of(listener, server, request_cursor);
	struct wlr_seat_pointer_request_set_cursor_event *event = data;
	/* Only the client with pointer focus may set the image. */
	if (server->seat->pointer_state.focused_client == event->seat_client) {
		wlr_cursor_set_surface(
		        server->cursor, event->surface, event->hotspot_x, event->hotspot_y);
		server->default_cursor = false;
	}
}

static void handle_request_set_selection(struct wl_listener *listener, void *data)
{
	struct pb_server *server = wl_container_of(listener, server, request_set_selection);
	struct wlr_seat_request_set_selection_event *event = data;
	wlr_seat_set_selection(server->seat, event->source, event->serial);
}

void pb_input_init(struct pb_server *server)
{
	wl_list_init(&server->keyboards);
	server->new_input.notify = handle_new_input;
	wl_signal_add(&server->backend->events.new_input, &server->new_input);
	server->cursor_motion.notify = handle_motion;
	wl_signal_add(&server->cursor->events.motion, &server->cursor_motion);
	server->cursor_motion_absolute.notify = handle_motion_absolute;
	wl_signal_add(&server->cursor->events.motion_absolute, &server->cursor_motion_absolute);
	server->cursor_button.notify = handle_button;
	wl_signal_add(&server->cursor->events.button, &server->cursor_button);
	server->cursor_axis.notify = handle_axis;
	wl_signal_add(&server->cursor->events.axis, &server->cursor_axis);
	server->cursor_frame.notify = handle_frame;
	wl_signal_add(&server->cursor->events.frame, &server->cursor_frame);
	server->request_cursor.notify = handle_request_cursor;
	wl_signal_add(&server->seat->events.request_set_cursor, &server->request_cursor);
	server->request_set_selection.notify = handle_request_set_selection;
	wl_signal_add(&server->seat->events.request_set_selection, &server->request_set_selection);
	update_capabilities(server);
}

void pb_input_finish(struct pb_server *server)
{
	wl_list_remove(&server->new_input.link);
	wl_list_remove(&server->cursor_motion.link);
	wl_list_remove(&server->cursor_motion_absolute.link);
	wl_list_remove(&server->cursor_button.link);
	wl_list_remove(&server->cursor_axis.link);
	wl_list_remove(&server->cursor_frame.link);
	wl_list_remove(&server->request_cursor.link);
	wl_list_remove(&server->request_set_selection.link);
}
