#ifndef PB_KMS_MODESET_H
#define PB_KMS_MODESET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kms_device.h"

/* One output to light: a connector on a CRTC scanning out a framebuffer. */
struct pb_kms_output_state {
	size_t connector; /* index into kms->connectors */
	size_t crtc;      /* index into kms->crtcs */
	uint32_t fb_id;
	drmModeModeInfo mode;
};

/*
 * Sets the mode and framebuffer of every output in one atomic commit, or
 * with drmModeSetCrtc per output where the device has no atomic support.
 */
bool pb_kms_modeset(struct pb_kms_device *kms, const struct pb_kms_output_state *outputs,
        size_t count, char *err, size_t err_len);

#endif
