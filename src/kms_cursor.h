#ifndef PB_KMS_CURSOR_H
#define PB_KMS_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kms_device.h"

/*
 * The display device's cursor plane. virtio-gpu forwards the hotspot so the
 * host draws the pointer itself; moving it sends no frame to the host. The
 * hotspot goes through the plane's HOTSPOT_X/Y properties in atomic commits
 * where the kernel has them (6.8 on), else through the legacy
 * drmModeSetCursor2 (6.1).
 */
struct pb_kms_cursor {
	int fd;
	uint32_t crtc_id;
	const struct pb_kms_plane *plane; /* atomic with hotspot properties; NULL: legacy */
	uint32_t fb_id;                   /* the image's framebuffer, atomic only */
	uint32_t width, height;
	uint32_t handle, pitch;
	uint64_t size;
	uint8_t *map;
	int hotspot_x, hotspot_y;
	int x, y; /* where the hotspot was last put */
	bool visible;
};

/*
 * Allocates the width x height ARGB8888 image buffer; false with errno set.
 * plane is the CRTC's cursor plane when the device is driven atomically, or
 * NULL; the legacy ioctls are used unless it has hotspot properties.
 */
bool pb_kms_cursor_init(struct pb_kms_cursor *cursor, int fd, uint32_t crtc_id,
        const struct pb_kms_plane *plane, uint32_t width, uint32_t height);
void pb_kms_cursor_finish(struct pb_kms_cursor *cursor);

/*
 * Shows the image (ARGB8888 rows of `stride` bytes, at most the plane's
 * size; NULL hides the cursor) with its hotspot.
 */
bool pb_kms_cursor_set(struct pb_kms_cursor *cursor, const uint8_t *pixels, uint32_t width,
        uint32_t height, size_t stride, int hotspot_x, int hotspot_y);

/* Shows the last image again where it was (after another DRM master had the CRTC). */
bool pb_kms_cursor_restore(struct pb_kms_cursor *cursor);

/* Puts the hotspot at (x, y) on the CRTC. */
bool pb_kms_cursor_move(struct pb_kms_cursor *cursor, int x, int y);

#endif
