#ifndef PB_SEAT_H
#define PB_SEAT_H

#include <stdbool.h>
#include <stdint.h>
#include <wayland-server-core.h>
#include <wlr/types/wlr_cursor.h>
#include <wlr/types/wlr_seat.h>
#include <wlr/types/wlr_xcursor_manager.h>

#include "grab.h"
#include "listeners.h"

struct pb_server;
struct wlr_cursor_shape_manager_v1;
struct wlr_relative_pointer_manager_v1;
struct wlr_surface;
struct wlr_virtual_keyboard_manager_v1;
struct wlr_virtual_pointer_manager_v1;

#define PB_MAX_TOUCH_POINTS 10

/* A finger down: the layout position of the surface it touches. */
struct pb_touch_origin {
	bool used;
	int32_t id;
	double x, y;
};

/*
 * The seat and its state: the cursor, the devices, fingers down, the
 * pointer's grab, whether the session is locked. input.c routes the events,
 * and makes the globals through which clients add devices, read relative
 * motion or set the cursor.
 */
struct pb_seat {
	struct pb_server *server;
	struct wlr_seat *wlr_seat;
	struct wlr_cursor *cursor;
	struct wlr_xcursor_manager *cursor_theme;
	struct wl_list keyboards; /* pb_keyboard.link (input.c) */
	struct wl_list pointers;  /* pb_pointer.link (input.c) */
	int touch_devices;
	struct pb_touch_origin touch_origins[PB_MAX_TOUCH_POINTS];
	struct pb_grab grab;
	/*
	 * The session is locked (session_lock.c says): only lock surfaces get
	 * the keyboard, and no binding but VT switching works.
	 */
	bool locked;
	/* The button whose press no client saw (a binding, a title bar took it); 0: none. */
	uint32_t press_taken;
	struct wlr_relative_pointer_manager_v1 *relative_pointer;
	struct wlr_virtual_keyboard_manager_v1 *virtual_keyboards;
	struct wlr_virtual_pointer_manager_v1 *virtual_pointers;
	struct wlr_cursor_shape_manager_v1 *cursor_shapes;
	/* input.c's */
	struct wl_listener new_input;
	struct wl_listener new_virtual_keyboard;
	struct wl_listener new_virtual_pointer;
	struct wl_listener cursor_motion;
	struct wl_listener cursor_motion_absolute;
	struct wl_listener cursor_button;
	struct wl_listener cursor_axis;
	struct wl_listener cursor_frame;
	struct wl_listener touch_down;
	struct wl_listener touch_motion;
	struct wl_listener touch_up;
	struct wl_listener touch_frame;
	struct wl_listener request_cursor;
	struct wl_listener request_cursor_shape;
	struct wl_listener request_set_selection;
	struct wl_listener request_set_primary_selection;
	struct pb_listeners listeners;
};

/* Creates the seat and the cursor on server->layout; NULL with the reason logged. */
struct pb_seat *pb_seat_create(struct pb_server *server);
/* Destroys the cursor and its theme; the seat goes with the display. */
void pb_seat_destroy(struct pb_seat *seat);

/*
 * Gives surface the keyboard, with the keys and modifiers held now: the one
 * way any surface gets it, so that while the session is locked nothing but
 * a lock surface can.
 */
void pb_seat_focus_keyboard(struct pb_seat *seat, struct wlr_surface *surface);

#endif
