#ifndef PB_DEVICE_SELECT_H
#define PB_DEVICE_SELECT_H

#include <stdbool.h>
#include <stddef.h>

#include "drm_device.h"

/*
 * How the engine opens primary nodes: through the seat (libseat) in the
 * compositor, so DRM master comes from the session, never from root.
 */
struct pb_device_opener {
	int (*open)(void *data, const char *path); /* fd, or -1 with the reason logged */
	void (*close)(void *data, int fd);
	void *data;
};

struct pb_device_selection {
	struct pb_drm_device devices[PB_MAX_DRM_DEVICES];
	size_t count;
	int display; /* index into devices */
	int render;  /* index into devices, -1 for none (CPU path) */
};

/*
 * Discovers the DRM devices, counts the connected connectors of each
 * virtio-gpu and picks the display and render devices, honouring the
 * overrides (NULL or "" for automatic). On failure writes one sentence
 * naming what was looked for and what to do.
 */
bool pb_select_devices(struct pb_device_selection *sel, const struct pb_device_opener *opener,
        const char *display_override, const char *render_override, char *err, size_t err_len);

#endif
