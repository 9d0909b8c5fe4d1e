#ifndef PB_CONFIG_H
#define PB_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "key_binding.h"
#include "path_choice.h"

#define PB_CONFIG_PATH_MAX    256
#define PB_CONFIG_LINE_MAX    1024
#define PB_CONFIG_MAX_UIDS    8
#define PB_CONFIG_MAX_OUTPUTS 8
#define PB_CONFIG_NAME_MAX    64

/* Which settings of an output section were given (the rest stay automatic). */
enum pb_output_setting {
	PB_OUTPUT_SET_MODE = 1 << 0,
	PB_OUTPUT_SET_POSITION = 1 << 1,
	PB_OUTPUT_SET_SCALE = 1 << 2,
	PB_OUTPUT_SET_TRANSFORM = 1 << 3,
	PB_OUTPUT_SET_ENABLED = 1 << 4,
};

/* [output] (every output) or [output NAME] (the connector called NAME). */
struct pb_output_config {
	char name[32]; /* "" for [output] */
	uint32_t set;  /* enum pb_output_setting bits */
	/* 0 x 0: the connector's preferred mode; refresh 0: any. */
	uint32_t mode_width, mode_height, mode_refresh_mhz;
	int32_t x, y; /* layout position of the top-left corner */
	double scale;
	int transform; /* wl_output_transform: 0 normal, 1-3 rotated, 4-7 flipped */
	bool enabled;
};

/* How scroll and motion feel; "device" keeps libinput's default for the device. */
enum pb_tristate { PB_DEVICE_DEFAULT, PB_OFF, PB_ON };
enum pb_accel_profile { PB_ACCEL_DEFAULT, PB_ACCEL_ADAPTIVE, PB_ACCEL_FLAT };

/* [input]: keyboard layout (xkbcommon rule names), repeat, pointer and touchpad. */
struct pb_input_config {
	char xkb_model[PB_CONFIG_NAME_MAX], xkb_layout[PB_CONFIG_NAME_MAX];
	char xkb_variant[PB_CONFIG_NAME_MAX], xkb_options[PB_CONFIG_LINE_MAX / 4];
	uint32_t repeat_rate;     /* keys per second; 0: no repeat */
	uint32_t repeat_delay_ms; /* before the first repeat */
	double pointer_speed;     /* libinput's -1 (slowest) to 1 (fastest) */
	enum pb_accel_profile accel_profile;
	enum pb_tristate natural_scroll, tap_to_click;
};

/* [bindings]: compositor shortcuts (modifiers 0 and keysym 0: none). */
struct pb_bindings {
	struct pb_key_binding close, cycle_focus, quit;
	bool vt_switch; /* Ctrl+Alt+F1..F12 (the keymap's XF86Switch_VT_n) */
};

/* Every setting, each with its default from pb_config_defaults(). */
struct pb_config {
	char display_device[PB_CONFIG_PATH_MAX]; /* "" = choose automatically */
	char render_device[PB_CONFIG_PATH_MAX];  /* "" = choose automatically */
	uint32_t stride_alignment;
	enum pb_host_update_preference host_update;
	enum pb_copy_preference copy;
	enum pb_egl_device egl_device;
	bool direct_copy; /* a full-screen client's buffer skips composition */
	/* [output] first, then [output NAME] sections in file order. */
	struct pb_output_config outputs[PB_CONFIG_MAX_OUTPUTS];
	size_t output_count;
	struct pb_input_config input;
	struct pb_bindings bindings;
	/* [control] trusted-uids: users whose clients see the control protocol. */
	uint32_t trusted_uids[PB_CONFIG_MAX_UIDS];
	size_t trusted_uid_count;
	/* [kiosk]: one application, full screen, restarted when it ends. */
	char kiosk_command[PB_CONFIG_LINE_MAX]; /* run with /bin/sh -c; "" for none */
	uint32_t restart_delay_min_ms, restart_delay_max_ms;
	uint32_t max_rapid_failures;  /* then the error screen */
	uint32_t hide_cursor_after_s; /* 0: never */
	bool allow_vt_switch, allow_quit;
};

void pb_config_defaults(struct pb_config *cfg);

/* A key of the configuration file, as the file spells it. */
struct pb_config_key {
	const char *section, *key;
	const char *expected;       /* what the value may be, for error messages */
	const char *const *choices; /* the words the key takes, when it takes words */
	size_t choice_count;
	bool needs_restart; /* a reload keeps the value in force until primebridge restarts */
};

/* Every key, in the order of the file's documentation. */
size_t pb_config_key_count(void);
const struct pb_config_key *pb_config_key_at(size_t i);

/*
 * The keys (of every section but the output sections, which a reload applies
 * as a whole) whose values differ between old and fresh, in order, into
 * changed (at most max of them); returns how many differ.
 */
size_t pb_config_diff(const struct pb_config *old, const struct pb_config *fresh,
        const struct pb_config_key **changed, size_t max);

/* Puts back into fresh old's values of the keys that need a restart: what stays in force. */
void pb_config_keep_restart_values(struct pb_config *fresh, const struct pb_config *old);

/*
 * Parses INI text into cfg (which holds defaults or earlier values). On the
 * first error writes "NAME:LINE: what was wrong, what was expected" to err and
 * returns false; cfg is then unchanged.
 */
bool pb_config_parse(struct pb_config *cfg, const char *text, size_t len, const char *name,
        char *err, size_t err_len);

/*
 * The settings for the output called name: [output NAME] over [output], each
 * setting taken from the most specific section that gives it.
 */
void pb_config_output(const struct pb_config *cfg, const char *name, struct pb_output_config *out);

/* Reads and parses the file at path; errors name the file as pb_config_parse does. */
bool pb_config_load(struct pb_config *cfg, const char *path, char *err, size_t err_len);

/*
 * The file to read when none is given: $XDG_CONFIG_HOME/primebridge/primebridge.conf
 * (~/.config when unset), then PB_SYSCONFDIR/primebridge/primebridge.conf. Returns
 * false when neither exists, which means defaults.
 */
bool pb_config_find(char *path, size_t len);

#endif
