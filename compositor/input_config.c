#include "input_config.h"

#include <libinput.h>
#include <wlr/backend/libinput.h>
#include <wlr/types/wlr_keyboard.h>
#include <wlr/util/log.h>

#include "key_binding.h"

static struct xkb_keymap *compile(struct xkb_context *context, const struct pb_input_config *in)
{
	return pb_keymap_compile(
	        context, in->xkb_model, in->xkb_layout, in->xkb_variant, in->xkb_options);
}

struct xkb_keymap *pb_input_keymap(const struct pb_input_config *in)
{
	struct xkb_context *context = xkb_context_new(XKB_CONTEXT_NO_FLAGS);
	if (!context) {
		return NULL;
	}
	struct xkb_keymap *keymap = compile(context, in);
	if (!keymap) {
		/* The configuration was checked when read: the XKB data changed since. */
		wlr_log(WLR_ERROR,
		        "Keyboard layout '%s' variant '%s' does not compile any more; using the "
		        "default layout",
		        in->xkb_layout, in->xkb_variant);
		keymap = compile(context, &(struct pb_input_config){0});
	}
	xkb_context_unref(context);
	return keymap;
}

void pb_input_configure_keyboard(struct wlr_keyboard *keyboard, const struct pb_input_config *in)
{
	struct xkb_keymap *keymap = pb_input_keymap(in);
	if (keymap) {
		wlr_keyboard_set_keymap(keyboard, keymap);
		xkb_keymap_unref(keymap);
	} else {
		wlr_log(WLR_ERROR, "%s: no keymap compiles (is xkb-data installed?)",
		        keyboard->base.name);
	}
	wlr_keyboard_set_repeat_info(
	        keyboard, (int32_t)in->repeat_rate, (int32_t)in->repeat_delay_ms);
}

void pb_input_configure_pointer(struct wlr_input_device *device, const struct pb_input_config *in)
{
	if (!wlr_input_device_is_libinput(device)) {
		return; /* virtual pointers have no settings */
	}
	struct libinput_device *li = wlr_libinput_get_device_handle(device);
	if (libinput_device_config_accel_is_available(li)) {
		libinput_device_config_accel_set_speed(li, in->pointer_speed);
		if (in->accel_profile != PB_ACCEL_DEFAULT) {
			libinput_device_config_accel_set_profile(
			        li, in->accel_profile == PB_ACCEL_FLAT
			                    ? LIBINPUT_CONFIG_ACCEL_PROFILE_FLAT
			                    : LIBINPUT_CONFIG_ACCEL_PROFILE_ADAPTIVE);
		}
	}
	if (in->natural_scroll != PB_DEVICE_DEFAULT &&
	        libinput_device_config_scroll_has_natural_scroll(li)) {
		libinput_device_config_scroll_set_natural_scroll_enabled(
		        li, in->natural_scroll == PB_ON);
	}
	if (in->tap_to_click != PB_DEVICE_DEFAULT &&
	        libinput_device_config_tap_get_finger_count(li) > 0) {
		libinput_device_config_tap_set_enabled(li, in->tap_to_click == PB_ON
		                                                   ? LIBINPUT_CONFIG_TAP_ENABLED
		                                                   : LIBINPUT_CONFIG_TAP_DISABLED);
	}
}
