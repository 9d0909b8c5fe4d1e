#ifndef PB_INPUT_METHOD_H
#define PB_INPUT_METHOD_H

#include <stdbool.h>
#include <wlr/types/wlr_keyboard.h>

struct pb_server;

/*
 * text-input-v3 for applications and input-method-v2 for one input method
 * (fcitx5, an on-screen keyboard), and the relay between them: the text
 * field of the window with the keyboard activates the input method, whose
 * text goes to that field; its candidate popups are placed at the text
 * cursor. input-method-v2 is privileged: sandboxed clients do not see it.
 */
bool pb_input_method_init(struct pb_server *server);
void pb_input_method_finish(struct pb_server *server);

/*
 * A key of keyboard, if the input method has grabbed the keyboard: it goes
 * to the input method, which types through its own virtual keyboard. False
 * when the key is the focused client's (no grab, the input method's own
 * keys, or the session is locked: a password is for the locker only).
 */
bool pb_input_method_take_key(struct pb_server *server, struct wlr_keyboard *keyboard,
        uint32_t time, uint32_t key, uint32_t state);
/* The same for a modifier change. */
bool pb_input_method_take_modifiers(struct pb_server *server, struct wlr_keyboard *keyboard);

#endif
