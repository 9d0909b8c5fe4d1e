#include "input.h"

#include <linux/input-event-codes.h>
#include <math.h>
#include <stdlib.h>
#include <wlr/backend/session.h>
#include <wlr/types/wlr_cursor.h>
#include <wlr/types/wlr_cursor_shape_v1.h>
#include <wlr/types/wlr_data_device.h>
#include <wlr/types/wlr_idle_notify_v1.h>
#include <wlr/types/wlr_keyboard.h>
#include <wlr/types/wlr_pointer.h>
#include <wlr/types/wlr_primary_selection.h>
#include <wlr/types/wlr_relative_pointer_v1.h>
#include <wlr/types/wlr_touch.h>
#include <wlr/types/wlr_virtual_keyboard_v1.h>
#include <wlr/types/wlr_virtual_pointer_v1.h>
#include <wlr/util/log.h>
#include <xkbcommon/xkbcommon.h>

#include "decoration.h"
#include "global_filter.h"
#include "grab.h"
#include "input_config.h"
#include "input_method.h"
#include "layer_shell.h"
#include "listeners.h"
#include "pointer_constraints.h"
#include "seat.h"
#include "server.h"
#include "view.h"
#include "window_policy.h"

/* A keyboard and its listeners. */
struct pb_keyboard {
	struct wl_list link; /* pb_seat.keyboards */
	struct pb_seat *seat;
	struct wlr_keyboard *keyboard;
	bool virtual; /* a client's (virtual-keyboard protocol): its keymap is its own */
	/* Keys whose press the focused client got: their release goes there too. */
	uint32_t pressed_to_seat[WLR_KEYBOARD_KEYS_CAP];
	size_t pressed_to_seat_count;
	struct wl_listener modifiers;
	struct wl_listener key;
	struct wl_listener destroy;
	struct pb_listeners listeners;
};

/* A pointer, touch screen or tablet moving the cursor. */
struct pb_pointer {
	struct wl_list link; /* pb_seat.pointers */
	struct pb_seat *seat;
	struct wlr_input_device *device;
	struct wl_listener destroy;
	struct wl_listener output_destroy; /* the output a virtual pointer is mapped to */
	struct pb_listeners listeners;
};

_Static_assert((int)PB_MOD_SHIFT == (int)WLR_MODIFIER_SHIFT &&
                       (int)PB_MOD_CTRL == (int)WLR_MODIFIER_CTRL &&
                       (int)PB_MOD_ALT == (int)WLR_MODIFIER_ALT &&
                       (int)PB_MOD_LOGO == (int)WLR_MODIFIER_LOGO,
        "key_binding.h's modifier bits are wlroots' own");

/*
 * Compositor key bindings ([bindings] in the configuration), checked before
 * the focused client sees the key: close the focused window, cycle focus,
 * quit, and Ctrl+Alt+F1..F12 (the keymap's XF86Switch_VT_n) to switch VT.
 */
static bool handle_binding(struct pb_server *server, uint32_t modifiers, xkb_keysym_t sym)
{
	const struct pb_bindings *bindings = &server->cfg->bindings;
	if (sym >= XKB_KEY_XF86Switch_VT_1 && sym <= XKB_KEY_XF86Switch_VT_12) {
		struct wlr_session *session = server->login->session;
		bool allowed =
		        bindings->vt_switch && pb_window_policy_allows_vt_switch(&server->policy);
		if (allowed && session) {
			wlr_session_change_vt(session, sym - XKB_KEY_XF86Switch_VT_1 + 1);
		}
		return true; /* swallowed either way: clients have no use for it */
	}
	if (server->seat->locked) {
		return false; /* the locker gets every other key */
	}
	if (pb_key_binding_matches(&bindings->quit, modifiers, sym)) {
		if (!pb_window_policy_allows_quit(&server->policy)) {
			return true;
		}
		wlr_log(WLR_INFO, "Quitting on the quit key binding");
		wl_display_terminate(server->display);
		return true;
	}
	if (pb_key_binding_matches(&bindings->close, modifiers, sym)) {
		return pb_view_close_focused(server);
	}
	if (pb_key_binding_matches(&bindings->cycle_focus, modifiers, sym)) {
		return pb_view_cycle_focus(server);
	}
	return false;
}

static void remember_pressed_to_seat(struct pb_keyboard *keyboard, uint32_t keycode)
{
	if (keyboard->pressed_to_seat_count < WLR_KEYBOARD_KEYS_CAP) {
		keyboard->pressed_to_seat[keyboard->pressed_to_seat_count++] = keycode;
	}
}

/* Whether keycode's press went to the focused client; forgets it. */
static bool forget_pressed_to_seat(struct pb_keyboard *keyboard, uint32_t keycode)
{
	for (size_t i = 0; i < keyboard->pressed_to_seat_count; i++) {
		if (keyboard->pressed_to_seat[i] == keycode) {
			keyboard->pressed_to_seat[i] =
			        keyboard->pressed_to_seat[--keyboard->pressed_to_seat_count];
			return true;
		}
	}
	return false;
}

static void handle_key(struct wl_listener *listener, void *data)
{
	struct pb_keyboard *keyboard = wl_container_of(listener, keyboard, key);
	struct pb_seat *seat = keyboard->seat;
	struct pb_server *server = seat->server;
	struct wlr_keyboard_key_event *event = data;
	struct wlr_keyboard *wlr_keyboard = keyboard->keyboard;
	uint32_t keycode = event->keycode + 8; /* evdev to xkb */
	uint32_t modifiers = wlr_keyboard_get_modifiers(wlr_keyboard);
	bool handled = false;
	wlr_idle_notifier_v1_notify_activity(server->idle, seat->wlr_seat);
	if (event->state == WL_KEYBOARD_KEY_STATE_PRESSED) {
		/*
		 * The translated keysyms (Ctrl+Alt+F1 gives XF86Switch_VT_1), then the
		 * key's own (Super+Shift+1 is written with 1, not the exclam it types).
		 */
		const xkb_keysym_t *syms;
		int count = xkb_state_key_get_syms(wlr_keyboard->xkb_state, keycode, &syms);
		for (int i = 0; i < count && !handled; i++) {
			handled = handle_binding(server, modifiers, syms[i]);
		}
		xkb_layout_index_t layout =
		        xkb_state_key_get_layout(wlr_keyboard->xkb_state, keycode);
		count = xkb_keymap_key_get_syms_by_level(
		        wlr_keyboard->keymap, keycode, layout, 0, &syms);
		for (int i = 0; i < count && !handled; i++) {
			handled = handle_binding(server, modifiers, syms[i]);
		}
	}
	if (handled) {
		return;
	}
	/*
	 * A key the client saw go down comes up there too, even if an input
	 * method grabbed the keyboard meanwhile: else the client repeats it.
	 */
	bool pressed = event->state == WL_KEYBOARD_KEY_STATE_PRESSED;
	bool release_to_seat = !pressed && forget_pressed_to_seat(keyboard, event->keycode);
	if (release_to_seat || !pb_input_method_take_key(server, wlr_keyboard, event->time_msec,
	                               event->keycode, event->state)) {
		if (pressed) {
			remember_pressed_to_seat(keyboard, event->keycode);
		}
		wlr_seat_set_keyboard(seat->wlr_seat, wlr_keyboard);
		wlr_seat_keyboard_notify_key(
		        seat->wlr_seat, event->time_msec, event->keycode, event->state);
	}
}

static void handle_modifiers(struct wl_listener *listener, void *data)
{
	struct pb_keyboard *keyboard = wl_container_of(listener, keyboard, modifiers);
	if (pb_input_method_take_modifiers(keyboard->seat->server, keyboard->keyboard)) {
		return;
	}
	wlr_seat_set_keyboard(keyboard->seat->wlr_seat, keyboard->keyboard);
	wlr_seat_keyboard_notify_modifiers(
	        keyboard->seat->wlr_seat, &keyboard->keyboard->modifiers);
}

/* wlroots frees the keyboard, a virtual one too, once this signal is over. */
static void handle_keyboard_destroy(struct wl_listener *listener, void *data)
{
	struct pb_keyboard *keyboard = wl_container_of(listener, keyboard, destroy);
	pb_disconnect_all(&keyboard->listeners);
	wl_list_remove(&keyboard->link);
	free(keyboard);
}

/* Virtual keyboards (wtype, on-screen keyboards) bring their own keymap. */
static void add_keyboard(struct pb_seat *seat, struct wlr_keyboard *wlr_keyboard, bool virtual)
{
	struct pb_server *server = seat->server;
	struct pb_keyboard *keyboard = calloc(1, sizeof(*keyboard));
	if (!keyboard) {
		wlr_log(WLR_ERROR, "%s: out of memory, keyboard ignored", wlr_keyboard->base.name);
		return;
	}
	if (!virtual) {
		pb_input_configure_keyboard(wlr_keyboard, &server->cfg->input);
	}
	keyboard->seat = seat;
	keyboard->keyboard = wlr_keyboard;
	keyboard->virtual = virtual;
	const struct pb_connection connections[] = {
	        {&wlr_keyboard->events.modifiers, &keyboard->modifiers, handle_modifiers},
	        {&wlr_keyboard->events.key, &keyboard->key, handle_key},
	        {&wlr_keyboard->base.events.destroy, &keyboard->destroy, handle_keyboard_destroy},
	};
	pb_connect_all(&keyboard->listeners, connections, PB_COUNT(connections));
	/* A virtual keyboard has no keymap until its client sends one: the seat's stays. */
	if (wlr_keyboard->keymap) {
		wlr_seat_set_keyboard(seat->wlr_seat, wlr_keyboard);
	}
	wl_list_insert(&seat->keyboards, &keyboard->link);
}

static void update_capabilities(struct pb_seat *seat)
{
	/*
	 * Keyboard always: a virtual keyboard (wtype, an on-screen keyboard)
	 * types at once, and clients that bind wl_keyboard only when it
	 * appears would lose the first keys.
	 */
	uint32_t caps = WL_SEAT_CAPABILITY_POINTER | WL_SEAT_CAPABILITY_KEYBOARD;
	if (seat->touch_devices > 0) {
		caps |= WL_SEAT_CAPABILITY_TOUCH;
	}
	wlr_seat_set_capabilities(seat->wlr_seat, caps);
}

static void handle_pointer_destroy(struct wl_listener *listener, void *data)
{
	struct pb_pointer *pointer = wl_container_of(listener, pointer, destroy);
	if (pointer->device->type == WLR_INPUT_DEVICE_TOUCH) {
		pointer->seat->touch_devices--;
		update_capabilities(pointer->seat);
	}
	pb_disconnect_all(&pointer->listeners);
	wl_list_remove(&pointer->link);
	free(pointer);
}

/* wlroots' cursor keeps the mapped output without watching it: unmap it first. */
static void handle_mapped_output_destroy(struct wl_listener *listener, void *data)
{
	struct pb_pointer *pointer = wl_container_of(listener, pointer, output_destroy);
	wlr_cursor_map_input_to_output(pointer->seat->cursor, pointer->device, NULL);
	pb_unlisten(&pointer->listeners, &pointer->output_destroy);
}

/* Pointers, touch screens and tablets all move the one cursor. */
static struct pb_pointer *add_pointer(struct pb_seat *seat, struct wlr_input_device *device)
{
	struct pb_server *server = seat->server;
	struct pb_pointer *pointer = calloc(1, sizeof(*pointer));
	if (!pointer) {
		wlr_log(WLR_ERROR, "%s: out of memory, device ignored", device->name);
		return NULL;
	}
	pointer->seat = seat;
	pointer->device = device;
	pb_listen(&pointer->listeners, &device->events.destroy, &pointer->destroy,
	        handle_pointer_destroy);
	wl_list_insert(&seat->pointers, &pointer->link);
	if (device->type == WLR_INPUT_DEVICE_TOUCH) {
		seat->touch_devices++;
	}
	pb_input_configure_pointer(device, &server->cfg->input);
	wlr_cursor_attach_input_device(seat->cursor, device);
	return pointer;
}

static void handle_new_input(struct wl_listener *listener, void *data)
{
	struct pb_seat *seat = wl_container_of(listener, seat, new_input);
	struct wlr_input_device *device = data;
	switch (device->type) {
	case WLR_INPUT_DEVICE_KEYBOARD:
		add_keyboard(seat, wlr_keyboard_from_input_device(device), false);
		break;
	case WLR_INPUT_DEVICE_TABLET: /* tablet.c offers it to tablet-v2 clients */
	case WLR_INPUT_DEVICE_POINTER:
	case WLR_INPUT_DEVICE_TOUCH:
		add_pointer(seat, device);
		break;
	default:
		break;
	}
	update_capabilities(seat);
}

static void handle_new_virtual_keyboard(struct wl_listener *listener, void *data)
{
	struct pb_seat *seat = wl_container_of(listener, seat, new_virtual_keyboard);
	struct wlr_virtual_keyboard_v1 *keyboard = data;
	add_keyboard(seat, &keyboard->keyboard, true);
	update_capabilities(seat);
}

static void handle_new_virtual_pointer(struct wl_listener *listener, void *data)
{
	struct pb_seat *seat = wl_container_of(listener, seat, new_virtual_pointer);
	struct wlr_virtual_pointer_v1_new_pointer_event *event = data;
	struct wlr_input_device *device = &event->new_pointer->pointer.base;
	struct pb_pointer *pointer = add_pointer(seat, device);
	if (pointer && event->suggested_output) {
		/* Absolute motion (a remote desktop's) is then relative to that output. */
		wlr_cursor_map_input_to_output(seat->cursor, device, event->suggested_output);
		pb_listen(&pointer->listeners, &event->suggested_output->events.destroy,
		        &pointer->output_destroy, handle_mapped_output_destroy);
	}
}

void pb_input_apply_config(struct pb_seat *seat)
{
	struct pb_server *server = seat->server;
	struct pb_keyboard *keyboard;
	wl_list_for_each(keyboard, &seat->keyboards, link)
	{
		if (!keyboard->virtual) {
			pb_input_configure_keyboard(keyboard->keyboard, &server->cfg->input);
		}
	}
	struct pb_pointer *pointer;
	wl_list_for_each(pointer, &seat->pointers, link)
	{
		pb_input_configure_pointer(pointer->device, &server->cfg->input);
	}
}

void pb_input_notify_motion(struct pb_seat *seat, uint32_t time)
{
	struct pb_server *server = seat->server;
	wlr_idle_notifier_v1_notify_activity(server->idle, seat->wlr_seat);
	pb_window_policy_pointer_moved(&server->policy);
	if (pb_grab_follow_pointer(seat)) {
		return;
	}
	/* Windows, panels and X11 menus alike: whatever surface is under the pointer. */
	struct wlr_surface *surface = NULL;
	double sx, sy;
	pb_view_at(server, seat->cursor->x, seat->cursor->y, &surface, &sx, &sy);
	if (!surface) {
		/* wlroots sets it only when it changes: no upload to the cursor plane per motion.
		 */
		wlr_cursor_set_xcursor(seat->cursor, seat->cursor_theme, "default");
	}
	if (surface) {
		wlr_seat_pointer_notify_enter(seat->wlr_seat, surface, sx, sy);
		wlr_seat_pointer_notify_motion(seat->wlr_seat, time, sx, sy);
		pb_pointer_constraint_check(server, surface);
	} else {
		wlr_seat_pointer_clear_focus(seat->wlr_seat);
	}
}

static void handle_motion(struct wl_listener *listener, void *data)
{
	struct pb_seat *seat = wl_container_of(listener, seat, cursor_motion);
	struct pb_server *server = seat->server;
	struct wlr_pointer_motion_event *event = data;
	/* Games read unaccelerated, unconfined motion: sent before any constraint applies. */
	wlr_relative_pointer_manager_v1_send_relative_motion(seat->relative_pointer, seat->wlr_seat,
	        (uint64_t)event->time_msec * 1000, event->delta_x, event->delta_y,
	        event->unaccel_dx, event->unaccel_dy);
	double dx = event->delta_x, dy = event->delta_y;
	if (!pb_pointer_constraint_apply(server, &dx, &dy)) {
		wlr_idle_notifier_v1_notify_activity(server->idle, seat->wlr_seat);
		return; /* locked: the cursor stays */
	}
	wlr_cursor_move(seat->cursor, &event->pointer->base, dx, dy);
	pb_input_notify_motion(seat, event->time_msec);
}

static void handle_motion_absolute(struct wl_listener *listener, void *data)
{
	struct pb_seat *seat = wl_container_of(listener, seat, cursor_motion_absolute);
	struct wlr_pointer_motion_absolute_event *event = data;
	wlr_cursor_warp_absolute(seat->cursor, &event->pointer->base, event->x, event->y);
	pb_input_notify_motion(seat, event->time_msec);
}

/*
 * A press on a title bar: the left button moves the window on the title and
 * closes it on the cross; other buttons do nothing there.
 */
static void press_title_bar(struct pb_view *view, uint32_t button, double bx, double by)
{
	view->server->seat->press_taken = button;
	enum pb_decoration_part part = pb_decoration_part_at(view->decoration, bx, by);
	if (part == PB_DECORATION_CLOSE && button == BTN_LEFT) {
		view->impl->close(view);
	} else if (part == PB_DECORATION_TITLE && button == BTN_LEFT) {
		pb_grab_begin(view->server->seat, view, false, 0);
	}
}

/*
 * Alt+left drag moves a window, Alt+right drag resizes it, any click
 * focuses it; on a title bar, see press_title_bar.
 */
void pb_input_notify_button(struct pb_seat *seat, const struct wlr_pointer_button_event *event)
{
	struct pb_server *server = seat->server;
	wlr_idle_notifier_v1_notify_activity(server->idle, seat->wlr_seat);
	if (event->state == WL_POINTER_BUTTON_STATE_RELEASED) {
		/*
		 * The button that began a move ends it; another button's release is
		 * the client's. The client saw the press unless a binding or a title
		 * bar took it.
		 */
		bool ours = seat->press_taken == event->button;
		if (ours || !seat->press_taken) {
			pb_grab_end(seat);
			seat->press_taken = 0;
		}
		if (!ours) {
			wlr_seat_pointer_notify_button(
			        seat->wlr_seat, event->time_msec, event->button, event->state);
		}
		return;
	}
	struct wlr_surface *surface = NULL;
	double sx, sy;
	struct pb_view *view =
	        pb_view_at(server, seat->cursor->x, seat->cursor->y, &surface, &sx, &sy);
	if (view && !surface) {
		pb_view_focus(view);
		press_title_bar(view, event->button, sx, sy);
		return;
	}
	if (view) {
		pb_view_focus(view);
		struct wlr_keyboard *keyboard = wlr_seat_get_keyboard(seat->wlr_seat);
		bool alt = keyboard && (wlr_keyboard_get_modifiers(keyboard) & WLR_MODIFIER_ALT);
		if (alt && (event->button == BTN_LEFT || event->button == BTN_RIGHT)) {
			bool resize = event->button == BTN_RIGHT;
			pb_grab_request(seat, view, resize, WLR_EDGE_BOTTOM | WLR_EDGE_RIGHT);
			seat->press_taken = seat->grab.view == view ? event->button : 0;
			return;
		}
	} else if (surface) {
		pb_layer_shell_focus_on_click(server, surface);
	}
	wlr_seat_pointer_notify_button(
	        seat->wlr_seat, event->time_msec, event->button, event->state);
}

static void handle_button(struct wl_listener *listener, void *data)
{
	struct pb_seat *seat = wl_container_of(listener, seat, cursor_button);
	pb_input_notify_button(seat, data);
}

static void handle_axis(struct wl_listener *listener, void *data)
{
	struct pb_seat *seat = wl_container_of(listener, seat, cursor_axis);
	struct pb_server *server = seat->server;
	struct wlr_pointer_axis_event *event = data;
	wlr_idle_notifier_v1_notify_activity(server->idle, seat->wlr_seat);
	wlr_seat_pointer_notify_axis(seat->wlr_seat, event->time_msec, event->orientation,
	        event->delta, event->delta_discrete, event->source, event->relative_direction);
}

static void handle_frame(struct wl_listener *listener, void *data)
{
	struct pb_seat *seat = wl_container_of(listener, seat, cursor_frame);
	wlr_seat_pointer_notify_frame(seat->wlr_seat);
}

static void handle_request_cursor(struct wl_listener *listener, void *data)
{
	struct pb_seat *seat = wl_container_of(listener, seat, request_cursor);
	struct wlr_seat_pointer_request_set_cursor_event *event = data;
	/* Only the client with pointer focus may set the image. */
	if (seat->wlr_seat->pointer_state.focused_client == event->seat_client) {
		wlr_cursor_set_surface(
		        seat->cursor, event->surface, event->hotspot_x, event->hotspot_y);
	}
}

/*
 * A client names a cursor shape instead of uploading an image: drawn from
 * the cursor theme, as wl_pointer.set_cursor would be, for the client that
 * has the pointer only.
 */
static void handle_request_cursor_shape(struct wl_listener *listener, void *data)
{
	struct pb_seat *seat = wl_container_of(listener, seat, request_cursor_shape);
	const struct wlr_cursor_shape_manager_v1_request_set_shape_event *event = data;
	if (event->device_type == WLR_CURSOR_SHAPE_MANAGER_V1_DEVICE_TYPE_POINTER &&
	        event->seat_client == seat->wlr_seat->pointer_state.focused_client) {
		wlr_cursor_set_xcursor(
		        seat->cursor, seat->cursor_theme, wlr_cursor_shape_v1_name(event->shape));
	}
}

static void handle_request_set_selection(struct wl_listener *listener, void *data)
{
	struct pb_seat *seat = wl_container_of(listener, seat, request_set_selection);
	struct wlr_seat_request_set_selection_event *event = data;
	wlr_seat_set_selection(seat->wlr_seat, event->source, event->serial);
}

static void handle_request_set_primary_selection(struct wl_listener *listener, void *data)
{
	struct pb_seat *seat = wl_container_of(listener, seat, request_set_primary_selection);
	struct wlr_seat_request_set_primary_selection_event *event = data;
	wlr_seat_set_primary_selection(seat->wlr_seat, event->source, event->serial);
}

/* Where the surface a finger went down on lies in the layout; NULL when no slot is free. */
static struct pb_touch_origin *touch_origin(struct pb_seat *seat, int32_t id, bool create)
{
	struct pb_touch_origin *free_slot = NULL;
	for (size_t i = 0; i < PB_MAX_TOUCH_POINTS; i++) {
		struct pb_touch_origin *o = &seat->touch_origins[i];
		if (o->used && o->id == id) {
			return o;
		}
		if (!o->used && !free_slot) {
			free_slot = o;
		}
	}
	if (create && free_slot) {
		*free_slot = (struct pb_touch_origin){.used = true, .id = id};
		return free_slot;
	}
	return NULL;
}

/* Touch goes to the surface under the finger, with no pointer emulation. */
static void handle_touch_down(struct wl_listener *listener, void *data)
{
	struct pb_seat *seat = wl_container_of(listener, seat, touch_down);
	struct pb_server *server = seat->server;
	struct wlr_touch_down_event *event = data;
	wlr_idle_notifier_v1_notify_activity(server->idle, seat->wlr_seat);
	double lx, ly, sx, sy;
	wlr_cursor_absolute_to_layout_coords(
	        seat->cursor, &event->touch->base, event->x, event->y, &lx, &ly);
	struct wlr_surface *surface = NULL;
	struct pb_view *view = pb_view_at(server, lx, ly, &surface, &sx, &sy);
	if (view) {
		pb_view_focus(view);
	}
	struct pb_touch_origin *origin = touch_origin(seat, event->touch_id, true);
	if (surface && origin && wlr_surface_accepts_touch(seat->wlr_seat, surface)) {
		/* The finger keeps talking to this surface, wherever it moves. */
		origin->x = lx - sx;
		origin->y = ly - sy;
		wlr_seat_touch_notify_down(
		        seat->wlr_seat, surface, event->time_msec, event->touch_id, sx, sy);
	} else if (origin) {
		origin->used = false;
	}
}

static void handle_touch_motion(struct wl_listener *listener, void *data)
{
	struct pb_seat *seat = wl_container_of(listener, seat, touch_motion);
	struct wlr_touch_motion_event *event = data;
	struct wlr_touch_point *point = wlr_seat_touch_get_point(seat->wlr_seat, event->touch_id);
	struct pb_touch_origin *origin = touch_origin(seat, event->touch_id, false);
	if (!point || !point->surface || !origin) {
		return; /* its surface is gone: nothing to tell until the finger lifts */
	}
	double lx, ly;
	wlr_cursor_absolute_to_layout_coords(
	        seat->cursor, &event->touch->base, event->x, event->y, &lx, &ly);
	wlr_seat_touch_notify_motion(
	        seat->wlr_seat, event->time_msec, event->touch_id, lx - origin->x, ly - origin->y);
}

static void handle_touch_up(struct wl_listener *listener, void *data)
{
	struct pb_seat *seat = wl_container_of(listener, seat, touch_up);
	struct wlr_touch_up_event *event = data;
	struct pb_touch_origin *origin = touch_origin(seat, event->touch_id, false);
	if (origin) {
		origin->used = false;
	}
	if (wlr_seat_touch_get_point(seat->wlr_seat, event->touch_id)) {
		wlr_seat_touch_notify_up(seat->wlr_seat, event->time_msec, event->touch_id);
	}
}

static void handle_touch_frame(struct wl_listener *listener, void *data)
{
	struct pb_seat *seat = wl_container_of(listener, seat, touch_frame);
	wlr_seat_touch_notify_frame(seat->wlr_seat);
}

bool pb_input_init(struct pb_seat *seat)
{
	struct pb_server *server = seat->server;
	struct wl_display *display = server->display;
	seat->relative_pointer = wlr_relative_pointer_manager_v1_create(display);
	seat->virtual_keyboards = wlr_virtual_keyboard_manager_v1_create(display);
	seat->virtual_pointers = wlr_virtual_pointer_manager_v1_create(display);
	seat->cursor_shapes = wlr_cursor_shape_manager_v1_create(display, 1);
	if (!seat->relative_pointer || !seat->virtual_keyboards || !seat->virtual_pointers ||
	        !seat->cursor_shapes) {
		wlr_log(WLR_ERROR, "Cannot create the input globals");
		return false;
	}
	/* Keys and pointer motion typed into any window: not for sandboxes. */
	pb_global_filter_mark_privileged(server, seat->virtual_keyboards->global);
	pb_global_filter_mark_privileged(server, seat->virtual_pointers->global);
	struct wlr_cursor *cursor = seat->cursor;
	struct wlr_seat *wlr_seat = seat->wlr_seat;
	const struct pb_connection connections[] = {
	        {&server->backend->events.new_input, &seat->new_input, handle_new_input},
	        {&seat->virtual_keyboards->events.new_virtual_keyboard, &seat->new_virtual_keyboard,
	                handle_new_virtual_keyboard},
	        {&seat->virtual_pointers->events.new_virtual_pointer, &seat->new_virtual_pointer,
	                handle_new_virtual_pointer},
	        {&cursor->events.motion, &seat->cursor_motion, handle_motion},
	        {&cursor->events.motion_absolute, &seat->cursor_motion_absolute,
	                handle_motion_absolute},
	        {&cursor->events.button, &seat->cursor_button, handle_button},
	        {&cursor->events.axis, &seat->cursor_axis, handle_axis},
	        {&cursor->events.frame, &seat->cursor_frame, handle_frame},
	        {&cursor->events.touch_down, &seat->touch_down, handle_touch_down},
	        {&cursor->events.touch_motion, &seat->touch_motion, handle_touch_motion},
	        {&cursor->events.touch_up, &seat->touch_up, handle_touch_up},
	        {&cursor->events.touch_frame, &seat->touch_frame, handle_touch_frame},
	        {&wlr_seat->events.request_set_cursor, &seat->request_cursor,
	                handle_request_cursor},
	        {&seat->cursor_shapes->events.request_set_shape, &seat->request_cursor_shape,
	                handle_request_cursor_shape},
	        {&wlr_seat->events.request_set_selection, &seat->request_set_selection,
	                handle_request_set_selection},
	        {&wlr_seat->events.request_set_primary_selection,
	                &seat->request_set_primary_selection, handle_request_set_primary_selection},
	};
	pb_connect_all(&seat->listeners, connections, PB_COUNT(connections));
	update_capabilities(seat);
	return true;
}

void pb_input_finish(struct pb_seat *seat)
{
	if (seat) {
		pb_disconnect_all(&seat->listeners);
	}
}
