#ifndef PB_CONFIG_H
#define PB_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "path_choice.h"

#define PB_CONFIG_PATH_MAX 256
#define PB_CONFIG_LINE_MAX 1024
#define PB_CONFIG_MAX_UIDS 8

/* Every setting, each with its default from pb_config_defaults(). */
struct pb_config {
	char display_device[PB_CONFIG_PATH_MAX]; /* "" = choose automatically */
	char render_device[PB_CONFIG_PATH_MAX];  /* "" = choose automatically */
	uint32_t stride_alignment;
	enum pb_host_update_preference host_update;
	enum pb_copy_preference copy;
	/* [output] mode: 0 x 0 for the connector's preferred mode; refresh 0 for any. */
	uint32_t mode_width, mode_height, mode_refresh_mhz;
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

/*
 * Parses INI text into cfg (which holds defaults or earlier values). On the
 * first error writes "NAME:LINE: what was wrong, what was expected" to err and
 * returns false; cfg is then unchanged.
 */
bool pb_config_parse(struct pb_config *cfg, const char *text, size_t len, const char *name,
        char *err, size_t err_len);

/* Reads and parses the file at path; errors name the file as pb_config_parse does. */
bool pb_config_load(struct pb_config *cfg, const char *path, char *err, size_t err_len);

/*
 * The file to read when none is given: $XDG_CONFIG_HOME/primebridge/primebridge.conf
 * (~/.config when unset), then PB_SYSCONFDIR/primebridge/primebridge.conf. Returns
 * false when neither exists, which means defaults.
 */
bool pb_config_find(char *path, size_t len);

#endif
