#include "kms_device.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <xf86drm.h>

#include "crtc_assign.h"

/* Kernel 6.8 hides the cursor plane of virtual GPUs from atomic clients without it. */
#define PB_DRM_CLIENT_CAP_CURSOR_PLANE_HOTSPOT 6

struct prop_slot {
	const char *name;
	uint32_t *id;
};

static void read_prop_ids(int fd, uint32_t object_id, uint32_t object_type,
        const struct prop_slot *slots, size_t slot_count, uint64_t *plane_type)
{
	drmModeObjectProperties *props = drmModeObjectGetProperties(fd, object_id, object_type);
	if (!props) {
		return;
	}
	for (uint32_t i = 0; i < props->count_props; i++) {
		drmModePropertyRes *prop = drmModeGetProperty(fd, props->props[i]);
		if (!prop) {
			continue;
		}
		for (size_t s = 0; s < slot_count; s++) {
			if (strcmp(prop->name, slots[s].name) == 0) {
				*slots[s].id = prop->prop_id;
			}
		}
		if (plane_type && strcmp(prop->name, "type") == 0) {
			*plane_type = props->prop_values[i];
		}
		drmModeFreeProperty(prop);
	}
	drmModeFreeObjectProperties(props);
}

static void read_plane(int fd, uint32_t plane_id, struct pb_kms_plane *plane)
{
	*plane = (struct pb_kms_plane){.id = plane_id};
	drmModePlane *p = drmModeGetPlane(fd, plane_id);
	if (p) {
		plane->possible_crtcs = p->possible_crtcs;
		for (uint32_t i = 0; i < p->count_formats && i < PB_KMS_MAX_FORMATS; i++) {
			plane->formats[plane->format_count++] = p->formats[i];
		}
		drmModeFreePlane(p);
	}
	struct pb_kms_plane_props *pp = &plane->props;
	const struct prop_slot slots[] = {
	        {"FB_ID", &pp->fb_id},
	        {"CRTC_ID", &pp->crtc_id},
	        {"SRC_X", &pp->src_x},
	        {"SRC_Y", &pp->src_y},
	        {"SRC_W", &pp->src_w},
	        {"SRC_H", &pp->src_h},
	        {"CRTC_X", &pp->crtc_x},
	        {"CRTC_Y", &pp->crtc_y},
	        {"CRTC_W", &pp->crtc_w},
	        {"CRTC_H", &pp->crtc_h},
	        {"FB_DAMAGE_CLIPS", &pp->fb_damage_clips},
	        {"IN_FENCE_FD", &pp->in_fence_fd},
	        {"HOTSPOT_X", &pp->hotspot_x},
	        {"HOTSPOT_Y", &pp->hotspot_y},
	};
	read_prop_ids(fd, plane_id, DRM_MODE_OBJECT_PLANE, slots, sizeof(slots) / sizeof(slots[0]),
	        &plane->type);
}

static void read_connector(int fd, uint32_t connector_id, struct pb_kms_connector *out)
{
	*out = (struct pb_kms_connector){.id = connector_id};
	drmModeConnector *conn = drmModeGetConnector(fd, connector_id);
	if (!conn) {
		return;
	}
	const char *type = drmModeGetConnectorTypeName(conn->connector_type);
	snprintf(out->name, sizeof(out->name), "%s-%u", type ? type : "Unknown",
	        conn->connector_type_id);
	out->connected = conn->connection == DRM_MODE_CONNECTED && conn->count_modes > 0;
	for (int i = 0; i < conn->count_modes; i++) {
		if (i == 0 || (conn->modes[i].type & DRM_MODE_TYPE_PREFERRED)) {
			out->preferred = conn->modes[i];
		}
		if (conn->modes[i].type & DRM_MODE_TYPE_PREFERRED) {
			break;
		}
	}
	for (int i = 0; i < conn->count_encoders; i++) {
		drmModeEncoder *enc = drmModeGetEncoder(fd, conn->encoders[i]);
		if (enc) {
			out->possible_crtcs |= enc->possible_crtcs;
			drmModeFreeEncoder(enc);
		}
	}
	drmModeFreeConnector(conn);
	const struct prop_slot slots[] = {{"CRTC_ID", &out->prop_crtc_id}};
	read_prop_ids(fd, connector_id, DRM_MODE_OBJECT_CONNECTOR, slots, 1, NULL);
}

/* Each CRTC gets the first primary and cursor plane that can drive it. */
static void link_planes(struct pb_kms_device *kms)
{
	for (size_t c = 0; c < kms->crtc_count; c++) {
		struct pb_kms_crtc *crtc = &kms->crtcs[c];
		crtc->primary = crtc->cursor = -1;
		for (size_t p = 0; p < kms->plane_count; p++) {
			const struct pb_kms_plane *plane = &kms->planes[p];
			if (!(plane->possible_crtcs & (1u << c))) {
				continue;
			}
			if (plane->type == DRM_PLANE_TYPE_PRIMARY && crtc->primary < 0) {
				crtc->primary = (int)p;
			} else if (plane->type == DRM_PLANE_TYPE_CURSOR && crtc->cursor < 0) {
				crtc->cursor = (int)p;
			}
		}
	}
}

static void read_caps(struct pb_kms_device *kms, bool allow_atomic)
{
	int fd = kms->fd;
	drmSetClientCap(fd, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1);
	kms->atomic = allow_atomic && drmSetClientCap(fd, DRM_CLIENT_CAP_ATOMIC, 1) == 0;
	if (kms->atomic) {
		drmSetClientCap(fd, PB_DRM_CLIENT_CAP_CURSOR_PLANE_HOTSPOT, 1);
	}
	uint64_t value = 0;
	kms->addfb2_modifiers = drmGetCap(fd, DRM_CAP_ADDFB2_MODIFIERS, &value) == 0 && value;
	if (drmGetCap(fd, DRM_CAP_CURSOR_WIDTH, &kms->cursor_width) != 0) {
		kms->cursor_width = 0;
	}
	if (drmGetCap(fd, DRM_CAP_CURSOR_HEIGHT, &kms->cursor_height) != 0) {
		kms->cursor_height = 0;
	}
	if (drmGetCap(fd, DRM_CAP_PRIME, &kms->prime) != 0) {
		kms->prime = 0;
	}
}

bool pb_kms_device_init(
        struct pb_kms_device *kms, int fd, bool allow_atomic, char *err, size_t err_len)
{
	*kms = (struct pb_kms_device){.fd = fd};
	read_caps(kms, allow_atomic);
	drmModeRes *res = drmModeGetResources(fd);
	if (!res) {
		snprintf(err, err_len, "the device has no modesetting resources (%s)",
		        strerror(errno));
		return false;
	}
	for (int i = 0; i < res->count_crtcs && kms->crtc_count < PB_KMS_MAX_CRTCS; i++) {
		struct pb_kms_crtc *crtc = &kms->crtcs[kms->crtc_count++];
		crtc->id = res->crtcs[i];
		const struct prop_slot slots[] = {
		        {"MODE_ID", &crtc->prop_mode_id},
		        {"ACTIVE", &crtc->prop_active},
		};
		read_prop_ids(fd, crtc->id, DRM_MODE_OBJECT_CRTC, slots, 2, NULL);
	}
	for (int i = 0; i < res->count_connectors && kms->connector_count < PB_KMS_MAX_CONNECTORS;
	        i++) {
		read_connector(fd, res->connectors[i], &kms->connectors[kms->connector_count++]);
	}
	drmModeFreeResources(res);

	drmModePlaneRes *planes = drmModeGetPlaneResources(fd);
	for (uint32_t i = 0; planes && i < planes->count_planes && i < PB_KMS_MAX_PLANES; i++) {
		read_plane(fd, planes->planes[i], &kms->planes[kms->plane_count++]);
	}
	drmModeFreePlaneResources(planes);
	link_planes(kms);
	return true;
}

bool pb_kms_connector_refresh(struct pb_kms_device *kms, size_t index)
{
	struct pb_kms_connector before = kms->connectors[index];
	read_connector(kms->fd, before.id, &kms->connectors[index]);
	const struct pb_kms_connector *now = &kms->connectors[index];
	return now->connected != before.connected ||
	       memcmp(&now->preferred, &before.preferred, sizeof(now->preferred)) != 0;
}

size_t pb_kms_connected_count(const struct pb_kms_device *kms)
{
	size_t n = 0;
	for (size_t i = 0; i < kms->connector_count; i++) {
		n += kms->connectors[i].connected;
	}
	return n;
}

const struct pb_kms_connector *pb_kms_first_connected(const struct pb_kms_device *kms)
{
	for (size_t i = 0; i < kms->connector_count; i++) {
		if (kms->connectors[i].connected) {
			return &kms->connectors[i];
		}
	}
	return NULL;
}

bool pb_kms_assign_connected(const struct pb_kms_device *kms, int crtc_for[PB_KMS_MAX_CONNECTORS])
{
	uint32_t possible[PB_KMS_MAX_CONNECTORS] = {0};
	for (size_t i = 0; i < kms->connector_count; i++) {
		possible[i] = kms->connectors[i].connected ? kms->connectors[i].possible_crtcs : 0;
	}
	return pb_assign_crtcs(possible, kms->connector_count, kms->crtc_count, crtc_for);
}

void pb_fourcc_name(uint32_t fourcc, char out[5])
{
	for (int i = 0; i < 4; i++) {
		char c = (char)((fourcc >> (8 * i)) & 0xff);
		out[i] = (c >= ' ' && c <= '~') ? c : '?';
	}
	out[4] = '\0';
}
