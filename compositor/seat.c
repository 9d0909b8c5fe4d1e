#include "seat.h"

#include <stdlib.h>
#include <wlr/types/wlr_session_lock_v1.h>
#include <wlr/util/log.h>

#include "server.h"

struct pb_seat *pb_seat_create(struct pb_server *server)
{
	struct wl_display *display = server->display;
	struct pb_seat *seat = calloc(1, sizeof(*seat));
	if (!seat) {
		wlr_log(WLR_ERROR, "Cannot set up input: out of memory");
		return NULL;
	}
	seat->server = server;
	wl_list_init(&seat->keyboards);
	wl_list_init(&seat->pointers);
	seat->wlr_seat = wlr_seat_create(display, "seat0");
	seat->cursor = wlr_cursor_create();
	seat->cursor_theme = wlr_xcursor_manager_create(NULL, 24);
	if (!seat->wlr_seat || !seat->cursor || !seat->cursor_theme) {
		wlr_log(WLR_ERROR, "Cannot create the seat or the cursor");
		pb_seat_destroy(seat);
		return NULL;
	}
	wlr_cursor_attach_output_layout(seat->cursor, server->layout);
	return seat;
}

void pb_seat_destroy(struct pb_seat *seat)
{
	if (!seat) {
		return;
	}
	pb_grab_end(seat);
	if (seat->cursor) {
		wlr_cursor_destroy(seat->cursor);
	}
	if (seat->cursor_theme) {
		wlr_xcursor_manager_destroy(seat->cursor_theme);
	}
	free(seat);
}

void pb_seat_focus_keyboard(struct pb_seat *seat, struct wlr_surface *surface)
{
	if (seat->locked &&
	        !(surface && wlr_session_lock_surface_v1_try_from_wlr_surface(surface))) {
		return; /* while locked, the keyboard is the locker's */
	}
	struct wlr_keyboard *keyboard = wlr_seat_get_keyboard(seat->wlr_seat);
	if (keyboard) {
		wlr_seat_keyboard_notify_enter(seat->wlr_seat, surface, keyboard->keycodes,
		        keyboard->num_keycodes, &keyboard->modifiers);
	} else {
		wlr_seat_keyboard_notify_enter(seat->wlr_seat, surface, NULL, 0, NULL);
	}
}
