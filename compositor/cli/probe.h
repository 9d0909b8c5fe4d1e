#ifndef PB_PROBE_H
#define PB_PROBE_H

#include "config.h"
#include "login_session.h"

/*
 * Prints every DRM device with its role and capabilities, tries a linear
 * buffer import into the render device and prints the copy path that would
 * be chosen. Returns the process exit status: 0 when a display is usable.
 */
int pb_probe_run(struct pb_login_session *login, const struct pb_config *cfg);

#endif
