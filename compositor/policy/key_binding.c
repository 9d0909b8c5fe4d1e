#include "key_binding.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <xkbcommon/xkbcommon.h>

static const struct {
	const char *name;
	uint32_t bit;
} modifier_names[] = {
        {"Shift", PB_MOD_SHIFT},
        {"Ctrl", PB_MOD_CTRL},
        {"Control", PB_MOD_CTRL},
        {"Alt", PB_MOD_ALT},
        {"Super", PB_MOD_LOGO},
        {"Logo", PB_MOD_LOGO},
};
#define MODIFIER_COUNT (sizeof(modifier_names) / sizeof(modifier_names[0]))

static bool modifier_bit(const char *name, size_t len, uint32_t *bit)
{
	for (size_t i = 0; i < MODIFIER_COUNT; i++) {
		if (strlen(modifier_names[i].name) == len &&
		        strncasecmp(modifier_names[i].name, name, len) == 0) {
			*bit = modifier_names[i].bit;
			return true;
		}
	}
	return false;
}

bool pb_key_binding_parse(const char *text, struct pb_key_binding *out)
{
	if (strcmp(text, "none") == 0) {
		*out = (struct pb_key_binding){0};
		return true;
	}
	uint32_t modifiers = 0;
	const char *part = text;
	const char *plus;
	while ((plus = strchr(part, '+')) && plus[1] != '\0') {
		uint32_t bit;
		if (!modifier_bit(part, (size_t)(plus - part), &bit) || (modifiers & bit)) {
			return false;
		}
		modifiers |= bit;
		part = plus + 1;
	}
	if (*part == '\0') {
		return false;
	}
	xkb_keysym_t sym = xkb_keysym_from_name(part, XKB_KEYSYM_NO_FLAGS);
	if (sym == XKB_KEY_NoSymbol) {
		sym = xkb_keysym_from_name(part, XKB_KEYSYM_CASE_INSENSITIVE);
	}
	if (sym == XKB_KEY_NoSymbol) {
		return false;
	}
	/* Shift+a arrives as A: bindings compare the unshifted, lower-case keysym. */
	*out = (struct pb_key_binding){.modifiers = modifiers, .keysym = xkb_keysym_to_lower(sym)};
	return true;
}

bool pb_key_binding_matches(
        const struct pb_key_binding *binding, uint32_t modifiers, uint32_t keysym)
{
	const uint32_t relevant = PB_MOD_SHIFT | PB_MOD_CTRL | PB_MOD_ALT | PB_MOD_LOGO;
	return binding->keysym != 0 && xkb_keysym_to_lower(keysym) == binding->keysym &&
	       (modifiers & relevant) == binding->modifiers;
}

static void silent_log(
        struct xkb_context *context, enum xkb_log_level level, const char *format, va_list args)
{
}

struct xkb_keymap *pb_keymap_compile(struct xkb_context *context, const char *model,
        const char *layout, const char *variant, const char *options)
{
	const struct xkb_rule_names names = {
	        .model = model[0] ? model : NULL,
	        .layout = layout[0] ? layout : NULL,
	        .variant = variant[0] ? variant : NULL,
	        .options = options[0] ? options : NULL,
	};
	return xkb_keymap_new_from_names(context, &names, XKB_KEYMAP_COMPILE_NO_FLAGS);
}

bool pb_keymap_names_valid(const char *model, const char *layout, const char *variant,
        const char *options, char *err, size_t err_len)
{
	struct xkb_context *context = xkb_context_new(XKB_CONTEXT_NO_FLAGS);
	if (!context) {
		snprintf(err, err_len,
		        "xkbcommon cannot start (no XKB data in /usr/share/X11/xkb?)");
		return false;
	}
	xkb_context_set_log_fn(context, silent_log);
	struct xkb_keymap *keymap = pb_keymap_compile(context, model, layout, variant, options);
	bool ok = keymap != NULL;
	if (!ok) {
		snprintf(err, err_len,
		        "xkbcommon cannot compile layout '%s' variant '%s' model '%s' options "
		        "'%s'; "
		        "expected names listed in /usr/share/X11/xkb/rules/evdev.lst",
		        layout, variant, model, options);
	}
	xkb_keymap_unref(keymap);
	xkb_context_unref(context);
	return ok;
}
