#ifndef PB_KMS_DEVICE_H
#define PB_KMS_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xf86drmMode.h>

#define PB_KMS_MAX_CRTCS      8
#define PB_KMS_MAX_PLANES     16
#define PB_KMS_MAX_CONNECTORS 8
#define PB_KMS_MAX_FORMATS    16

/* Property ids of a plane, looked up once; 0 where the plane lacks one. */
struct pb_kms_plane_props {
	uint32_t fb_id, crtc_id;
	uint32_t src_x, src_y, src_w, src_h;
	uint32_t crtc_x, crtc_y, crtc_w, crtc_h;
	uint32_t fb_damage_clips;
	uint32_t in_fence_fd;
	uint32_t hotspot_x, hotspot_y;
};

struct pb_kms_plane {
	uint32_t id;
	uint64_t type; /* DRM_PLANE_TYPE_* */
	uint32_t possible_crtcs;
	uint32_t formats[PB_KMS_MAX_FORMATS];
	size_t format_count;
	struct pb_kms_plane_props props;
};

struct pb_kms_crtc {
	uint32_t id;
	uint32_t prop_mode_id, prop_active;
	int primary, cursor; /* indexes into planes, -1 when none */
};

struct pb_kms_connector {
	uint32_t id;
	char name[32]; /* "Virtual-1" */
	bool connected;
	drmModeModeInfo preferred;
	uint32_t possible_crtcs;
	uint32_t prop_crtc_id;
};

/* The KMS side of one DRM device, read once when it is opened. */
struct pb_kms_device {
	int fd;
	bool atomic;
	bool addfb2_modifiers;
	uint64_t cursor_width, cursor_height;
	uint64_t prime;
	struct pb_kms_crtc crtcs[PB_KMS_MAX_CRTCS];
	size_t crtc_count;
	struct pb_kms_plane planes[PB_KMS_MAX_PLANES];
	size_t plane_count;
	struct pb_kms_connector connectors[PB_KMS_MAX_CONNECTORS];
	size_t connector_count;
};

/*
 * Reads resources, planes and properties of a primary node. Enables atomic
 * unless allow_atomic is false (legacy is then used, as on drivers without
 * it). On failure writes the reason to err.
 */
bool pb_kms_device_init(
        struct pb_kms_device *kms, int fd, bool allow_atomic, char *err, size_t err_len);

/*
 * Reads connector index again after a hotplug event: true when it was
 * plugged in or out or its preferred mode changed (a resized VM window).
 */
bool pb_kms_connector_refresh(struct pb_kms_device *kms, size_t index);

/* Number of connectors with a display attached. */
size_t pb_kms_connected_count(const struct pb_kms_device *kms);

/* The first connected connector (the one a single-output check sizes for); NULL when none. */
const struct pb_kms_connector *pb_kms_first_connected(const struct pb_kms_device *kms);

/*
 * A CRTC for every connected connector at once: crtc_for[i] is connector
 * i's, -1 for those not connected. False when they cannot all be driven.
 */
bool pb_kms_assign_connected(const struct pb_kms_device *kms, int crtc_for[PB_KMS_MAX_CONNECTORS]);

/* Renders a fourcc as its four characters, e.g. "XR24". */
void pb_fourcc_name(uint32_t fourcc, char out[5]);

#endif
