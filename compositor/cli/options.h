#ifndef PB_OPTIONS_H
#define PB_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

enum pb_action {
	PB_ACTION_RUN, /* the compositor itself */
	PB_ACTION_PROBE,
	PB_ACTION_TEST_PATTERN,
	PB_ACTION_CHECK_CONFIG,
	PB_ACTION_HELP,
	PB_ACTION_VERSION,
};

#define PB_DEFAULT_TEST_PATTERN_SECONDS 10

struct pb_options {
	enum pb_action action;
	unsigned test_pattern_seconds;
	const char *display_device; /* NULL: from the configuration */
	const char *render_device;
	const char *config_path; /* NULL: searched */
	bool debug;
	bool kiosk;
	bool allow_root; /* run as root all the same */
	char **command;  /* after "--": started once the socket is ready; NULL: none */
};

/* Parses argv; on a bad argument writes the message to err and returns false. */
bool pb_options_parse(struct pb_options *opts, int argc, char *argv[], char *err, size_t err_len);

extern const char pb_usage[];

#endif
