#ifndef PB_INPUT_CONFIG_H
#define PB_INPUT_CONFIG_H

#include <wlr/types/wlr_input_device.h>
#include <wlr/types/wlr_keyboard.h>
#include <xkbcommon/xkbcommon.h>

#include "config.h"

/*
 * The keymap [input] names; the default (us) keymap, said in the log, when
 * those no longer compile. NULL when not even that compiles.
 */
struct xkb_keymap *pb_input_keymap(const struct pb_input_config *in);

/* Gives a keyboard the configured keymap and repeat rate. */
void pb_input_configure_keyboard(struct wlr_keyboard *keyboard, const struct pb_input_config *in);

/* Pointer speed, acceleration, natural scrolling and tapping on a libinput device. */
void pb_input_configure_pointer(struct wlr_input_device *device, const struct pb_input_config *in);

#endif
