#ifndef PB_INPUT_H
#define PB_INPUT_H

#include <wayland-server-core.h>
#include <wlr/types/wlr_compositor.h>
#include <wlr/types/wlr_input_device.h>
#include <wlr/types/wlr_keyboard.h>
#include <wlr/types/wlr_pointer.h>

struct pb_server;

/* A keyboard and its listeners. */
struct pb_keyboard {
	struct wl_list link; /* pb_server.keyboards */
	struct pb_server *server;
	struct wlr_keyboard *keyboard;
	bool virtual; /* a client's (virtual-keyboard protocol): its keymap is its own */
	/* Keys whose press the focused client got: their release goes there too. */
	uint32_t pressed_to_seat[WLR_KEYBOARD_KEYS_CAP];
	size_t pressed_to_seat_count;
	struct wl_listener modifiers;
	struct wl_listener key;
	struct wl_listener destroy;
};

/* A pointer, touch screen or tablet moving the cursor. */
struct pb_pointer {
	struct wl_list link;
	struct pb_server *server;
	struct wlr_input_device *device;
	struct wl_listener destroy;
	struct wl_listener output_destroy; /* the output a virtual pointer is mapped to */
};

/* Connects the seat, cursor and input devices' signals to their handlers. */
void pb_input_init(struct pb_server *server);
/* Removes the listeners pb_input_init added. */
void pb_input_finish(struct pb_server *server);

/* Gives surface the keyboard, with the keys and modifiers held now. */
void pb_input_keyboard_enter(struct pb_server *server, struct wlr_surface *surface);

/* The pointer moved to where the cursor is now: focus, grabs and constraints follow. */
void pb_input_notify_motion(struct pb_server *server, uint32_t time);
/* A pointer button, as from a mouse (a pen's tip as a pointer comes here too). */
void pb_input_notify_button(struct pb_server *server, const struct wlr_pointer_button_event *event);

/* Applies [input] again to every keyboard and pointer (after a reload). */
void pb_input_apply_config(struct pb_server *server);

#endif
