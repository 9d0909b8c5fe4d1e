#ifndef PB_DRM_DISCOVERY_H
#define PB_DRM_DISCOVERY_H

#include <stdbool.h>
#include <stddef.h>

#include "drm_device.h"

/*
 * Lists the DRM devices under /sys/class/drm, one entry per device with its
 * primary and render nodes, driver and bus, ordered by minor number.
 * Connected connectors are left at -1: counting them needs the device opened
 * through the seat. Returns how many were found (at most max).
 */
size_t pb_drm_discover(struct pb_drm_device *out, size_t max);

/*
 * Checks that path names a DRM device node and writes its canonical path
 * (symlinks such as /dev/dri/by-path/... resolved) to canonical. On failure
 * writes a sentence naming the path and the problem to err.
 */
bool pb_drm_node_check(
        const char *path, char *canonical, size_t canonical_len, char *err, size_t err_len);

#endif
