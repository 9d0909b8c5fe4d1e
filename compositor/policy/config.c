#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xkbcommon/xkbcommon-keysyms.h>

#include "buffer_layout.h"

#define CONFIG_FILE_MAX (1 << 20)

/* How a key's value is read, and what it is stored as. */
enum key_type {
	KEY_DEVICE_PATH, /* "auto" or an absolute path: char[size] */
	KEY_STRIDE,      /* a power of two the buffer layout accepts: uint32_t */
	KEY_CHOICE,      /* one of pub.choices, stored as its index: an enum */
	KEY_BOOL,        /* true or false: bool */
	KEY_UINT,        /* a decimal integer from min (0 or 1) to max: uint32_t */
	KEY_DECIMAL,     /* a decimal number from min to max: double */
	KEY_XKB_NAME,    /* xkbcommon rule names: char[size] */
	KEY_BINDING,     /* Mod+...+Key or none: struct pb_key_binding */
	KEY_UIDS,        /* space-separated uids: trusted_uids and trusted_uid_count */
	KEY_TEXT,        /* any text, such as a shell command line: char[size] */
	KEY_MODE,        /* preferred or WIDTHxHEIGHT[@HZ], of an output section */
	KEY_POSITION,    /* X,Y, of an output section */
};

/*
 * A key: what the file calls it and what it takes (public), how it is read,
 * and where it is stored: at offset in struct pb_config, or, for output
 * sections, in that section's struct pb_output_config, which also records
 * output_bit as given.
 */
struct key_def {
	struct pb_config_key pub;
	enum key_type type;
	bool in_output;
	size_t offset, size;
	double min, max;
	uint32_t output_bit;
};

/* Choice keys store the index of the word in an enum: each is an int. */
_Static_assert(sizeof(enum pb_copy_preference) == sizeof(int) &&
                       sizeof(enum pb_egl_device) == sizeof(int) &&
                       sizeof(enum pb_host_update_preference) == sizeof(int) &&
                       sizeof(enum pb_accel_profile) == sizeof(int) &&
                       sizeof(enum pb_tristate) == sizeof(int),
        "choice keys are stored through an int");

#define CHOICES(names) .choices = (names), .choice_count = sizeof(names) / sizeof((names)[0])
#define FIELD(f)       .offset = offsetof(struct pb_config, f), .size = sizeof(((struct pb_config *)0)->f)
#define OUTPUT_FIELD(f, bit)                                                                       \
	.in_output = true, .offset = offsetof(struct pb_output_config, f),                         \
	.size = sizeof(((struct pb_output_config *)0)->f), .output_bit = (bit)
#define BINDING        "Mod+...+Key (Shift, Ctrl, Alt, Super; an xkb keysym name) or none"
#define RESTART        .needs_restart = true
#define NAMED(s, k, e) .section = (s), .key = (k), .expected = (e)

static const char *const copy_names[] = {"auto", "gpu", "readback", "cpu"};
static const char *const egl_device_names[] = {"node", "software"};
static const char *const host_update_names[] = {"auto", "flip", "in-place"};
/* In wl_output_transform order. */
static const char *const transform_names[] = {
        "normal", "90", "180", "270", "flipped", "flipped-90", "flipped-180", "flipped-270"};
static const char *const accel_names[] = {"device", "adaptive", "flat"};
static const char *const tristate_names[] = {"device", "false", "true"};
static const char *const bool_names[] = {"true", "false"};

static const struct key_def keys[] = {
        {.pub = {NAMED("devices", "display", "\"auto\" or an absolute path such as /dev/dri/card0"),
                 RESTART},
                .type = KEY_DEVICE_PATH,
                FIELD(display_device)},
        {.pub = {NAMED("devices", "render",
                         "\"auto\" or an absolute path such as /dev/dri/renderD128"),
                 RESTART},
                .type = KEY_DEVICE_PATH,
                FIELD(render_device)},
        {.pub = {NAMED("buffers", "stride-alignment", "a power of two from 4 to 4096 (bytes)"),
                 RESTART},
                .type = KEY_STRIDE,
                FIELD(stride_alignment)},
        {.pub = {NAMED("buffers", "host-update", "auto, flip or in-place"),
                 CHOICES(host_update_names)},
                .type = KEY_CHOICE,
                FIELD(host_update)},
        {.pub = {NAMED("render", "copy", "auto, gpu, readback or cpu"), CHOICES(copy_names),
                 RESTART},
                .type = KEY_CHOICE,
                FIELD(copy)},
        {.pub = {NAMED("render", "egl-device", "node or software"), CHOICES(egl_device_names),
                 RESTART},
                .type = KEY_CHOICE,
                FIELD(egl_device)},
        {.pub = {NAMED("render", "direct-copy", "true or false"), CHOICES(bool_names)},
                .type = KEY_BOOL,
                FIELD(direct_copy)},
        {.pub = {NAMED("output", "mode", "preferred or WIDTHxHEIGHT[@HZ], such as 1024x768@60")},
                .type = KEY_MODE,
                OUTPUT_FIELD(mode_width, PB_OUTPUT_SET_MODE)},
        {.pub = {NAMED("output", "position", "X,Y in layout pixels, such as 1280,0")},
                .type = KEY_POSITION,
                OUTPUT_FIELD(x, PB_OUTPUT_SET_POSITION)},
        {.pub = {NAMED("output", "scale", "a number from 0.25 to 8, such as 1.5")},
                .type = KEY_DECIMAL,
                OUTPUT_FIELD(scale, PB_OUTPUT_SET_SCALE),
                .min = 0.25,
                .max = 8},
        {.pub = {.section = "output",
                 .key = "transform",
                 .expected =
                         "normal, 90, 180, 270, flipped, flipped-90, flipped-180 or flipped-270",
                 CHOICES(transform_names)},
                .type = KEY_CHOICE,
                OUTPUT_FIELD(transform, PB_OUTPUT_SET_TRANSFORM)},
        {.pub = {NAMED("output", "enabled", "true or false"), CHOICES(bool_names)},
                .type = KEY_BOOL,
                OUTPUT_FIELD(enabled, PB_OUTPUT_SET_ENABLED)},
        {.pub = {NAMED("input", "keyboard-model", "an xkb model name such as pc105")},
                .type = KEY_XKB_NAME,
                FIELD(input.xkb_model)},
        {.pub = {NAMED("input", "keyboard-layout", "xkb layout names such as us or de,us")},
                .type = KEY_XKB_NAME,
                FIELD(input.xkb_layout)},
        {.pub = {NAMED("input", "keyboard-variant", "xkb variant names such as nodeadkeys")},
                .type = KEY_XKB_NAME,
                FIELD(input.xkb_variant)},
        {.pub = {NAMED(
                 "input", "keyboard-options", "xkb options such as ctrl:nocaps,compose:ralt")},
                .type = KEY_XKB_NAME,
                FIELD(input.xkb_options)},
        {.pub = {NAMED("input", "repeat-rate", "keys per second from 0 (no repeat) to 1000")},
                .type = KEY_UINT,
                FIELD(input.repeat_rate),
                .min = 0,
                .max = 1000},
        {.pub = {NAMED("input", "repeat-delay", "milliseconds from 1 to 10000")},
                .type = KEY_UINT,
                FIELD(input.repeat_delay_ms),
                .min = 1,
                .max = 10000},
        {.pub = {NAMED("input", "pointer-speed", "a number from -1 to 1")},
                .type = KEY_DECIMAL,
                FIELD(input.pointer_speed),
                .min = -1,
                .max = 1},
        {.pub = {NAMED("input", "pointer-acceleration", "device, adaptive or flat"),
                 CHOICES(accel_names)},
                .type = KEY_CHOICE,
                FIELD(input.accel_profile)},
        {.pub = {NAMED("input", "natural-scroll", "device, true or false"),
                 CHOICES(tristate_names)},
                .type = KEY_CHOICE,
                FIELD(input.natural_scroll)},
        {.pub = {NAMED("input", "tap-to-click", "device, true or false"), CHOICES(tristate_names)},
                .type = KEY_CHOICE,
                FIELD(input.tap_to_click)},
        {.pub = {NAMED("bindings", "close", BINDING)}, .type = KEY_BINDING, FIELD(bindings.close)},
        {.pub = {NAMED("bindings", "cycle-focus", BINDING)},
                .type = KEY_BINDING,
                FIELD(bindings.cycle_focus)},
        {.pub = {NAMED("bindings", "quit", BINDING)}, .type = KEY_BINDING, FIELD(bindings.quit)},
        {.pub = {NAMED("bindings", "vt-switch", "true or false"), CHOICES(bool_names)},
                .type = KEY_BOOL,
                FIELD(bindings.vt_switch)},
        {.pub = {NAMED("control", "trusted-uids", "up to 8 user ids from 1, separated by spaces")},
                .type = KEY_UIDS,
                FIELD(trusted_uids)},
        {.pub = {NAMED("kiosk", "command", "a shell command line (empty: the command after --)"),
                 RESTART},
                .type = KEY_TEXT,
                FIELD(kiosk_command)},
        {.pub = {NAMED("kiosk", "restart-delay-min", "milliseconds from 1 to 3600000"), RESTART},
                .type = KEY_UINT,
                FIELD(restart_delay_min_ms),
                .min = 1,
                .max = 3600000},
        {.pub = {NAMED("kiosk", "restart-delay-max", "milliseconds from 1 to 3600000"), RESTART},
                .type = KEY_UINT,
                FIELD(restart_delay_max_ms),
                .min = 1,
                .max = 3600000},
        {.pub = {NAMED("kiosk", "max-rapid-failures", "a number from 1 to 1000"), RESTART},
                .type = KEY_UINT,
                FIELD(max_rapid_failures),
                .min = 1,
                .max = 1000},
        {.pub = {NAMED("kiosk", "hide-cursor-after", "seconds from 0 (never) to 86400")},
                .type = KEY_UINT,
                FIELD(hide_cursor_after_s),
                .min = 0,
                .max = 86400},
        {.pub = {NAMED("kiosk", "allow-vt-switch", "true or false"), CHOICES(bool_names)},
                .type = KEY_BOOL,
                FIELD(allow_vt_switch)},
        {.pub = {NAMED("kiosk", "allow-quit", "true or false"), CHOICES(bool_names)},
                .type = KEY_BOOL,
                FIELD(allow_quit)},
};
#define KEY_COUNT (sizeof(keys) / sizeof(keys[0]))

static bool parse_device_path(char *out, size_t size, const char *value)
{
	if (strcmp(value, "auto") == 0) {
		out[0] = '\0';
		return true;
	}
	if (value[0] != '/' || strlen(value) >= size) {
		return false;
	}
	snprintf(out, size, "%s", value);
	return true;
}

static bool parse_stride_alignment(const char *value, uint32_t *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(value, &end, 10);
	if (errno || *end != '\0' || value[0] < '0' || value[0] > '9' || v > UINT32_MAX ||
	        !pb_stride_align_valid((uint32_t)v)) {
		return false;
	}
	*out = (uint32_t)v;
	return true;
}

/* The index of value in names (count of them), as an enum's value. */
static bool parse_choice(const char *value, const char *const *names, size_t count, int *out)
{
	for (size_t i = 0; i < count; i++) {
		if (strcmp(value, names[i]) == 0) {
			*out = (int)i;
			return true;
		}
	}
	return false;
}

/* A decimal number from 1 to max, all of text. */
static bool parse_uint(const char *text, size_t len, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;
	if (len == 0 || len > 10) {
		return false;
	}
	for (size_t i = 0; i < len; i++) {
		if (text[i] < '0' || text[i] > '9') {
			return false;
		}
		v = v * 10 + (uint64_t)(text[i] - '0');
	}
	if (v == 0 || v > max) {
		return false;
	}
	*out = (uint32_t)v;
	return true;
}

/* A decimal number from min (0 or 1) to max: "0" only where min is 0. */
static bool parse_bounded_uint(const char *value, double min, double max, uint32_t *out)
{
	if (min == 0 && strcmp(value, "0") == 0) {
		*out = 0;
		return true;
	}
	return parse_uint(value, strlen(value), (uint32_t)max, out);
}

static bool parse_mode(struct pb_output_config *out, const char *value)
{
	if (strcmp(value, "preferred") == 0) {
		out->mode_width = out->mode_height = out->mode_refresh_mhz = 0;
		return true;
	}
	const char *x = strchr(value, 'x');
	if (!x) {
		return false;
	}
	const char *at = strchr(x, '@');
	size_t height_len = at ? (size_t)(at - x - 1) : strlen(x + 1);
	uint32_t w, h, hz = 0;
	if (!parse_uint(value, (size_t)(x - value), 16384, &w) ||
	        !parse_uint(x + 1, height_len, 16384, &h) ||
	        (at && !parse_uint(at + 1, strlen(at + 1), 1000, &hz))) {
		return false;
	}
	out->mode_width = w;
	out->mode_height = h;
	out->mode_refresh_mhz = hz * 1000;
	return true;
}

/* An integer from -limit to limit, all of text. */
static bool parse_int(const char *text, size_t len, int32_t limit, int32_t *out)
{
	bool negative = len > 0 && text[0] == '-';
	uint32_t v;
	if (negative ? (len == 2 && text[1] == '0') : (len == 1 && text[0] == '0')) {
		*out = 0;
		return true;
	}
	if (!parse_uint(text + negative, len - negative, (uint32_t)limit, &v)) {
		return false;
	}
	*out = negative ? -(int32_t)v : (int32_t)v;
	return true;
}

static bool parse_position(struct pb_output_config *out, const char *value)
{
	const char *comma = strchr(value, ',');
	return comma && parse_int(value, (size_t)(comma - value), 32768, &out->x) &&
	       parse_int(comma + 1, strlen(comma + 1), 32768, &out->y);
}

/* A decimal number within [min, max], all of text. */
static bool parse_decimal(const char *value, double min, double max, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(value, &end);
	if (errno || end == value || *end != '\0' || !(v >= min && v <= max) ||
	        strpbrk(value, "xXpPnNiI")) {
		return false;
	}
	*out = v;
	return true;
}

static bool parse_bool(const char *value, bool *out)
{
	if (strcmp(value, "true") == 0 || strcmp(value, "false") == 0) {
		*out = value[0] == 't';
		return true;
	}
	return false;
}

/* Space-separated uids, at most PB_CONFIG_MAX_UIDS; empty for none. */
static bool parse_uids(struct pb_config *cfg, const char *value)
{
	uint32_t uids[PB_CONFIG_MAX_UIDS];
	size_t count = 0;
	const char *p = value;
	while (*p) {
		size_t len = strcspn(p, " ");
		if (len > 0) {
			uint32_t uid;
			/* uid 0 is refused: root is trusted only through the control socket. */
			if (count == PB_CONFIG_MAX_UIDS ||
			        !parse_uint(p, len, UINT32_MAX - 1, &uid)) {
				return false;
			}
			uids[count++] = uid;
		}
		p += len;
		p += strspn(p, " ");
	}
	memcpy(cfg->trusted_uids, uids, count * sizeof(uids[0]));
	cfg->trusted_uid_count = count;
	return true;
}

static bool parse_name(char *out, size_t size, const char *value)
{
	/* xkbcommon rule names: letters, digits, '_', '-', '(' ')', ':' (options) and ',' (lists).
	 */
	size_t len = strlen(value);
	if (len >= size || strspn(value, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                                 "0123456789_-():,") != len) {
		return false;
	}
	memcpy(out, value, len + 1);
	return true;
}

/* Reads value into the key's field of cfg, or of output for an output section's key. */
static bool parse_value(const struct key_def *def, struct pb_config *cfg,
        struct pb_output_config *output, const char *value)
{
	char *field = (char *)(def->in_output ? (void *)output : (void *)cfg) + def->offset;
	bool ok = false;
	switch (def->type) {
	case KEY_DEVICE_PATH:
		ok = parse_device_path(field, def->size, value);
		break;
	case KEY_STRIDE:
		ok = parse_stride_alignment(value, (uint32_t *)(void *)field);
		break;
	case KEY_CHOICE:
		ok = parse_choice(
		        value, def->pub.choices, def->pub.choice_count, (int *)(void *)field);
		break;
	case KEY_BOOL:
		ok = parse_bool(value, (bool *)field);
		break;
	case KEY_UINT:
		ok = parse_bounded_uint(value, def->min, def->max, (uint32_t *)(void *)field);
		break;
	case KEY_DECIMAL:
		ok = parse_decimal(value, def->min, def->max, (double *)(void *)field);
		break;
	case KEY_XKB_NAME:
		ok = parse_name(field, def->size, value);
		break;
	case KEY_BINDING:
		ok = pb_key_binding_parse(value, (struct pb_key_binding *)(void *)field);
		break;
	case KEY_UIDS:
		ok = parse_uids(cfg, value);
		break;
	case KEY_TEXT:
		snprintf(field, def->size, "%s", value);
		ok = true;
		break;
	case KEY_MODE:
		ok = parse_mode(output, value);
		break;
	case KEY_POSITION:
		ok = parse_position(output, value);
		break;
	}
	if (ok && def->in_output) {
		output->set |= def->output_bit;
	}
	return ok;
}

size_t pb_config_key_count(void)
{
	return KEY_COUNT;
}

const struct pb_config_key *pb_config_key_at(size_t i)
{
	return i < KEY_COUNT ? &keys[i].pub : NULL;
}

/* Whether the key's value in a differs from b's (keys of output sections excluded). */
static bool key_differs(
        const struct key_def *def, const struct pb_config *a, const struct pb_config *b)
{
	const char *fa = (const char *)a + def->offset, *fb = (const char *)b + def->offset;
	switch (def->type) {
	case KEY_DEVICE_PATH:
	case KEY_XKB_NAME:
	case KEY_TEXT:
		return strcmp(fa, fb) != 0;
	case KEY_UIDS:
		return a->trusted_uid_count != b->trusted_uid_count ||
		       memcmp(a->trusted_uids, b->trusted_uids,
		               a->trusted_uid_count * sizeof(a->trusted_uids[0])) != 0;
	case KEY_DECIMAL:
		return *(const double *)(const void *)fa != *(const double *)(const void *)fb;
	case KEY_BINDING: {
		const struct pb_key_binding *ka = (const void *)fa, *kb = (const void *)fb;
		return ka->modifiers != kb->modifiers || ka->keysym != kb->keysym;
	}
	default:
		return memcmp(fa, fb, def->size) != 0;
	}
}

size_t pb_config_diff(const struct pb_config *old, const struct pb_config *fresh,
        const struct pb_config_key **changed, size_t max)
{
	size_t count = 0;
	for (size_t i = 0; i < KEY_COUNT; i++) {
		if (!keys[i].in_output && key_differs(&keys[i], old, fresh)) {
			if (count < max) {
				changed[count] = &keys[i].pub;
			}
			count++;
		}
	}
	return count;
}

void pb_config_keep_restart_values(struct pb_config *fresh, const struct pb_config *old)
{
	for (size_t i = 0; i < KEY_COUNT; i++) {
		const struct key_def *def = &keys[i];
		if (def->pub.needs_restart && !def->in_output) {
			memcpy((char *)fresh + def->offset, (const char *)old + def->offset,
			        def->size);
		}
	}
}

void pb_config_defaults(struct pb_config *cfg)
{
	*cfg = (struct pb_config){
	        /* [output] states every setting but the position, which is automatic. */
	        .outputs = {{.scale = 1.0,
	                .enabled = true,
	                .set = PB_OUTPUT_SET_MODE | PB_OUTPUT_SET_SCALE | PB_OUTPUT_SET_TRANSFORM |
	                       PB_OUTPUT_SET_ENABLED}},
	        .output_count = 1,
	        .input = {.repeat_rate = 25, .repeat_delay_ms = 600},
	        .bindings =
	                {
	                        .close = {PB_MOD_ALT, XKB_KEY_F4},
	                        .cycle_focus = {PB_MOD_ALT, XKB_KEY_Tab},
	                        .quit = {PB_MOD_CTRL | PB_MOD_ALT, XKB_KEY_BackSpace},
	                        .vt_switch = true,
	                },
	        .stride_alignment = PB_DEFAULT_STRIDE_ALIGN,
	        .copy = PB_COPY_PREFER_AUTO,
	        .egl_device = PB_EGL_DEVICE_NODE,
	        .direct_copy = true,
	        .restart_delay_min_ms = 500,
	        .restart_delay_max_ms = 30000,
	        .max_rapid_failures = 5,
	};
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t') {
		s++;
	}
	char *end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r')) {
		*--end = '\0';
	}
	return s;
}

static bool section_known(const char *name)
{
	for (size_t i = 0; i < KEY_COUNT; i++) {
		if (strcmp(keys[i].pub.section, name) == 0) {
			return true;
		}
	}
	return false;
}

static const struct key_def *find_key(const char *section, const char *key)
{
	for (size_t i = 0; i < KEY_COUNT; i++) {
		if (strcmp(keys[i].pub.section, section) == 0 &&
		        strcmp(keys[i].pub.key, key) == 0) {
			return &keys[i];
		}
	}
	return NULL;
}

/* Lists the sections, in order, for "expected one of" messages. */
static void section_names(char *out, size_t len)
{
	out[0] = '\0';
	for (size_t i = 0; i < KEY_COUNT; i++) {
		if (i == 0 || strcmp(keys[i].pub.section, keys[i - 1].pub.section) != 0) {
			size_t used = strlen(out);
			snprintf(out + used, len - used, "%s[%s]", used ? ", " : "",
			        keys[i].pub.section);
		}
	}
}

/* Lists the keys of a section for "expected one of" messages. */
static void section_keys(const char *section, char *out, size_t len)
{
	out[0] = '\0';
	for (size_t i = 0; i < KEY_COUNT; i++) {
		if (strcmp(keys[i].pub.section, section) == 0) {
			size_t used = strlen(out);
			snprintf(out + used, len - used, "%s%s", used ? ", " : "", keys[i].pub.key);
		}
	}
}

struct parse_state {
	char section[64];
	size_t output;                /* the cfg->outputs entry of an output section */
	bool seen_key[KEY_COUNT];     /* in the current section */
	bool seen_section[KEY_COUNT]; /* indexed by the first key of the section */
	bool seen_output[PB_CONFIG_MAX_OUTPUTS];
	/* Lines of keyboard-model, -layout, -variant, -options; 0: not in this file. */
	unsigned keymap_lines[4];
	unsigned line;
};

static size_t section_index(const char *name)
{
	for (size_t i = 0; i < KEY_COUNT; i++) {
		if (strcmp(keys[i].pub.section, name) == 0) {
			return i;
		}
	}
	return KEY_COUNT;
}

/* [output NAME]: a connector name such as Virtual-1, each once per file. */
static bool begin_named_output(
        struct parse_state *st, struct pb_config *cfg, const char *name, char *msg, size_t len)
{
	size_t name_len = strlen(name);
	if (name_len == 0 || name_len >= sizeof(cfg->outputs[0].name) ||
	        strcspn(name, " \t[]") != name_len) {
		snprintf(msg, len,
		        "malformed section [output %s]; expected [output NAME] with a "
		        "connector name such as Virtual-1",
		        name);
		return false;
	}
	size_t i = 1;
	while (i < cfg->output_count && strcmp(cfg->outputs[i].name, name) != 0) {
		i++;
	}
	if (i < cfg->output_count && st->seen_output[i]) {
		snprintf(msg, len, "duplicate section [output %s]", name);
		return false;
	}
	if (i == cfg->output_count) {
		if (i == PB_CONFIG_MAX_OUTPUTS) {
			snprintf(msg, len, "more than %d [output NAME] sections",
			        PB_CONFIG_MAX_OUTPUTS - 1);
			return false;
		}
		cfg->outputs[i] = (struct pb_output_config){.scale = 1.0, .enabled = true};
		memcpy(cfg->outputs[i].name, name, name_len + 1);
		cfg->output_count++;
	}
	st->seen_output[i] = true;
	st->output = i;
	snprintf(st->section, sizeof(st->section), "output");
	return true;
}

/* On an error writes the message, without its location, to msg. */
static bool parse_line(
        struct parse_state *st, struct pb_config *cfg, char *line, char *msg, size_t len)
{
	char *s = trim(line);
	if (*s == '\0' || *s == '#' || *s == ';') {
		return true;
	}
	if (*s == '[') {
		char *close = strchr(s, ']');
		if (!close || *trim(close + 1) != '\0') {
			snprintf(msg, len, "malformed section header; expected [name]");
			return false;
		}
		*close = '\0';
		char *name = trim(s + 1);
		memset(st->seen_key, 0, sizeof(st->seen_key));
		if (strncmp(name, "output", 6) == 0 && (name[6] == ' ' || name[6] == '\t')) {
			return begin_named_output(st, cfg, trim(name + 6), msg, len);
		}
		if (!section_known(name)) {
			char known[256];
			section_names(known, sizeof(known));
			snprintf(msg, len,
			        "unknown section [%s]; expected one of: %s, [output NAME]", name,
			        known);
			return false;
		}
		size_t idx = section_index(name);
		if (st->seen_section[idx]) {
			snprintf(msg, len, "duplicate section [%s]", name);
			return false;
		}
		st->seen_section[idx] = true;
		snprintf(st->section, sizeof(st->section), "%s", name);
		st->output = 0;
		return true;
	}
	char *eq = strchr(s, '=');
	if (!eq) {
		snprintf(msg, len, "expected key = value, a [section] or a # comment");
		return false;
	}
	*eq = '\0';
	char *key = trim(s);
	char *value = trim(eq + 1);
	if (st->section[0] == '\0') {
		snprintf(msg, len, "key '%s' before any [section]", key);
		return false;
	}
	const struct key_def *def = find_key(st->section, key);
	if (!def) {
		char known[256];
		section_keys(st->section, known, sizeof(known));
		snprintf(msg, len, "unknown key '%s' in [%s]; expected one of: %s", key,
		        st->section, known);
		return false;
	}
	size_t idx = (size_t)(def - keys);
	if (st->seen_key[idx]) {
		snprintf(msg, len, "duplicate key '%s' in [%s]", key, st->section);
		return false;
	}
	st->seen_key[idx] = true;
	static const char *const keymap_keys[] = {
	        "keyboard-model", "keyboard-layout", "keyboard-variant", "keyboard-options"};
	for (size_t i = 0; i < 4; i++) {
		if (strcmp(key, keymap_keys[i]) == 0) {
			st->keymap_lines[i] = st->line;
		}
	}
	if (!parse_value(def, cfg, &cfg->outputs[st->output], value)) {
		snprintf(msg, len, "%s = '%s': expected %s", key, value, def->pub.expected);
		return false;
	}
	return true;
}

/* Well-formed UTF-8: no stray continuation bytes, overlongs, surrogates or > U+10FFFF. */
static bool utf8_valid(const unsigned char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned char c = s[i];
		size_t n = c < 0x80             ? 0
		           : (c & 0xe0) == 0xc0 ? 1
		           : (c & 0xf0) == 0xe0 ? 2
		           : (c & 0xf8) == 0xf0 ? 3
		                                : 4;
		if (n == 4 || (n > 0 && i + n >= len)) {
			return false;
		}
		uint32_t cp = n == 0 ? c : c & (0x3f >> n);
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80) {
				return false;
			}
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		static const uint32_t min_cp[] = {0, 0x80, 0x800, 0x10000};
		if (cp < min_cp[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
			return false;
		}
		i += n + 1;
	}
	return true;
}

/*
 * The line of the first name that breaks the keymap, adding them one by one
 * (layout, variant, options, model); a name given in an earlier file has no
 * line here, so the first line given stands in for it.
 */
static unsigned keymap_culprit_line(const struct pb_input_config *in, const unsigned lines[4])
{
	char unused[512];
	const char *layout = in->xkb_layout, *variant = in->xkb_variant;
	const char *steps[][4] = {
	        {"", layout, "", ""},
	        {"", layout, variant, ""},
	        {"", layout, variant, in->xkb_options},
	};
	const unsigned step_lines[] = {lines[1], lines[2], lines[3]};
	unsigned culprit = lines[0];
	for (size_t i = 0; i < 3; i++) {
		if (!pb_keymap_names_valid(steps[i][0], steps[i][1], steps[i][2], steps[i][3],
		            unused, sizeof(unused))) {
			culprit = step_lines[i];
			break;
		}
	}
	for (size_t i = 0; i < 4 && culprit == 0; i++) {
		culprit = lines[i];
	}
	return culprit;
}

bool pb_config_parse(struct pb_config *cfg, const char *text, size_t len, const char *name,
        char *err, size_t err_len)
{
	struct pb_config result = *cfg;
	struct parse_state st = {0};
	size_t pos = 0;
	for (unsigned line_no = 1; pos < len; line_no++) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t line_len = nl ? (size_t)(nl - (text + pos)) : len - pos;
		char line[PB_CONFIG_LINE_MAX];
		char msg[512];
		bool ok;
		if (line_len >= sizeof(line)) {
			snprintf(msg, sizeof(msg), "line longer than %d bytes",
			        PB_CONFIG_LINE_MAX - 1);
			ok = false;
		} else if (memchr(text + pos, '\0', line_len)) {
			snprintf(msg, sizeof(msg), "NUL byte in line; expected text");
			ok = false;
		} else if (!utf8_valid((const unsigned char *)text + pos, line_len)) {
			snprintf(msg, sizeof(msg), "invalid UTF-8; expected UTF-8 text");
			ok = false;
		} else {
			memcpy(line, text + pos, line_len);
			line[line_len] = '\0';
			st.line = line_no;
			ok = parse_line(&st, &result, line, msg, sizeof(msg));
		}
		if (!ok) {
			snprintf(err, err_len, "%s:%u: %s", name, line_no, msg);
			return false;
		}
		pos += line_len + 1;
	}
	/* A layout xkbcommon cannot compile would leave keyboards without a keymap. */
	const struct pb_input_config *in = &result.input;
	char msg[512];
	const unsigned *lines = st.keymap_lines;
	if ((lines[0] || lines[1] || lines[2] || lines[3]) &&
	        !pb_keymap_names_valid(in->xkb_model, in->xkb_layout, in->xkb_variant,
	                in->xkb_options, msg, sizeof(msg))) {
		snprintf(err, err_len, "%s:%u: %s", name, keymap_culprit_line(in, lines), msg);
		return false;
	}
	*cfg = result;
	return true;
}

void pb_config_output(const struct pb_config *cfg, const char *name, struct pb_output_config *out)
{
	*out = cfg->outputs[0];
	for (size_t i = 1; i < cfg->output_count; i++) {
		const struct pb_output_config *named = &cfg->outputs[i];
		if (strcmp(named->name, name) != 0) {
			continue;
		}
		if (named->set & PB_OUTPUT_SET_MODE) {
			out->mode_width = named->mode_width;
			out->mode_height = named->mode_height;
			out->mode_refresh_mhz = named->mode_refresh_mhz;
		}
		if (named->set & PB_OUTPUT_SET_POSITION) {
			out->x = named->x;
			out->y = named->y;
		}
		if (named->set & PB_OUTPUT_SET_SCALE) {
			out->scale = named->scale;
		}
		if (named->set & PB_OUTPUT_SET_TRANSFORM) {
			out->transform = named->transform;
		}
		if (named->set & PB_OUTPUT_SET_ENABLED) {
			out->enabled = named->enabled;
		}
		out->set |= named->set;
	}
	snprintf(out->name, sizeof(out->name), "%s", name);
}

bool pb_config_load(struct pb_config *cfg, const char *path, char *err, size_t err_len)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, err_len, "%s: cannot open: %s", path, strerror(errno));
		return false;
	}
	struct stat st;
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > CONFIG_FILE_MAX) {
		snprintf(err, err_len, "%s: expected a regular file of at most %d bytes", path,
		        CONFIG_FILE_MAX);
		fclose(f);
		return false;
	}
	char *text = malloc((size_t)st.st_size + 1);
	size_t got = text ? fread(text, 1, (size_t)st.st_size, f) : 0;
	bool read_ok = text && !ferror(f);
	fclose(f);
	bool ok = false;
	if (!read_ok) {
		snprintf(err, err_len, "%s: cannot read: %s", path, strerror(errno));
	} else {
		ok = pb_config_parse(cfg, text, got, path, err, err_len);
	}
	free(text);
	return ok;
}

static bool file_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

bool pb_config_find(char *path, size_t len)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	if (xdg && xdg[0] == '/') {
		snprintf(path, len, "%s/primebridge/primebridge.conf", xdg);
	} else if (home) {
		snprintf(path, len, "%s/.config/primebridge/primebridge.conf", home);
	} else {
		path[0] = '\0';
	}
	if (path[0] && file_exists(path)) {
		return true;
	}
	snprintf(path, len, "%s/primebridge/primebridge.conf", PB_SYSCONFDIR);
	return file_exists(path);
}
