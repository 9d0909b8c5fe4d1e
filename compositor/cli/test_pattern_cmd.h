#ifndef PB_TEST_PATTERN_CMD_H
#define PB_TEST_PATTERN_CMD_H

#include "config.h"
#include "login_session.h"

/*
 * Shows the eight-bar test pattern on every connected output of the display
 * device for the given time (or until SIGINT/SIGTERM), through the linear
 * buffer allocator and one modeset commit. Returns the exit status.
 */
int pb_test_pattern_run(
        struct pb_login_session *login, const struct pb_config *cfg, unsigned seconds);

#endif
