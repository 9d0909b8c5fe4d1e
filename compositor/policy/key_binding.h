#ifndef PB_KEY_BINDING_H
#define PB_KEY_BINDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Modifier bits, the values wlroots uses (WLR_MODIFIER_*). */
enum pb_modifier {
	PB_MOD_SHIFT = 1 << 0,
	PB_MOD_CTRL = 1 << 2,
	PB_MOD_ALT = 1 << 3,
	PB_MOD_LOGO = 1 << 6,
};

/* A shortcut: the modifiers held and the key's keysym (0: no shortcut). */
struct pb_key_binding {
	uint32_t modifiers;
	uint32_t keysym;
};

/*
 * Parses "Mod+Mod+Key" (modifiers Shift, Ctrl, Alt, Super or Logo; the key
 * an xkbcommon keysym name such as F4, Tab, BackSpace, q) or "none".
 */
bool pb_key_binding_parse(const char *text, struct pb_key_binding *out);

/* Whether the key with these modifiers held triggers the binding. */
bool pb_key_binding_matches(
        const struct pb_key_binding *binding, uint32_t modifiers, uint32_t keysym);

struct xkb_context;

/* xkbcommon's keymap for these rule names ("" for the default of each); NULL if none compiles. */
struct xkb_keymap *pb_keymap_compile(struct xkb_context *context, const char *model,
        const char *layout, const char *variant, const char *options);

/*
 * Whether xkbcommon compiles a keymap from these rule names ("" for the
 * default of each); on failure err says which names were tried.
 */
bool pb_keymap_names_valid(const char *model, const char *layout, const char *variant,
        const char *options, char *err, size_t err_len);

#endif
