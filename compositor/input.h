#ifndef PB_INPUT_H
#define PB_INPUT_H

#include <stdbool.h>
#include <wlr/types/wlr_pointer.h>

struct pb_seat;

/*
 * Input routing: keys to bindings, the input method or the focused client;
 * pointer, touch and pen to the surface under them, a grab or a title bar.
 * Makes the input globals (virtual keyboards and pointers, relative
 * pointer, cursor shapes) and listens to them, the backend's devices, the
 * cursor and the seat's requests. False with the reason logged.
 */
bool pb_input_init(struct pb_seat *seat);
/* Stops listening (before the seat goes). */
void pb_input_finish(struct pb_seat *seat);

/* The pointer moved to where the cursor is now: focus, grabs and constraints follow. */
void pb_input_notify_motion(struct pb_seat *seat, uint32_t time);
/* A pointer button, as from a mouse (a pen's tip as a pointer comes here too). */
void pb_input_notify_button(struct pb_seat *seat, const struct wlr_pointer_button_event *event);

/* Applies [input] again to every keyboard and pointer (after a reload). */
void pb_input_apply_config(struct pb_seat *seat);

#endif
