#include "kms_modeset.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <xf86drm.h>

static void add_plane(drmModeAtomicReq *req, const struct pb_kms_plane *plane, uint32_t crtc_id,
        uint32_t fb_id, uint32_t w, uint32_t h)
{
	const struct pb_kms_plane_props *p = &plane->props;
	drmModeAtomicAddProperty(req, plane->id, p->fb_id, fb_id);
	drmModeAtomicAddProperty(req, plane->id, p->crtc_id, crtc_id);
	drmModeAtomicAddProperty(req, plane->id, p->src_x, 0);
	drmModeAtomicAddProperty(req, plane->id, p->src_y, 0);
	drmModeAtomicAddProperty(req, plane->id, p->src_w, (uint64_t)w << 16);
	drmModeAtomicAddProperty(req, plane->id, p->src_h, (uint64_t)h << 16);
	drmModeAtomicAddProperty(req, plane->id, p->crtc_x, 0);
	drmModeAtomicAddProperty(req, plane->id, p->crtc_y, 0);
	drmModeAtomicAddProperty(req, plane->id, p->crtc_w, w);
	drmModeAtomicAddProperty(req, plane->id, p->crtc_h, h);
}

static bool modeset_atomic(struct pb_kms_device *kms, const struct pb_kms_output_state *outputs,
        size_t count, char *err, size_t err_len)
{
	drmModeAtomicReq *req = drmModeAtomicAlloc();
	uint32_t blobs[PB_KMS_MAX_CRTCS] = {0};
	bool ok = req != NULL;
	for (size_t i = 0; ok && i < count; i++) {
		const struct pb_kms_output_state *o = &outputs[i];
		const struct pb_kms_crtc *crtc = &kms->crtcs[o->crtc];
		const struct pb_kms_connector *conn = &kms->connectors[o->connector];
		if (crtc->primary < 0) {
			snprintf(err, err_len, "CRTC %u has no primary plane", crtc->id);
			ok = false;
			break;
		}
		if (drmModeCreatePropertyBlob(kms->fd, &o->mode, sizeof(o->mode), &blobs[i]) != 0) {
			snprintf(err, err_len, "creating a mode blob failed: %s", strerror(errno));
			ok = false;
			break;
		}
		drmModeAtomicAddProperty(req, crtc->id, crtc->prop_mode_id, blobs[i]);
		drmModeAtomicAddProperty(req, crtc->id, crtc->prop_active, 1);
		drmModeAtomicAddProperty(req, conn->id, conn->prop_crtc_id, crtc->id);
		add_plane(req, &kms->planes[crtc->primary], crtc->id, o->fb_id, o->mode.hdisplay,
		        o->mode.vdisplay);
	}
	if (ok && drmModeAtomicCommit(kms->fd, req, DRM_MODE_ATOMIC_ALLOW_MODESET, NULL) != 0) {
		snprintf(err, err_len, "the atomic modeset commit failed: %s", strerror(errno));
		ok = false;
	}
	for (size_t i = 0; i < count && i < PB_KMS_MAX_CRTCS; i++) {
		if (blobs[i]) {
			drmModeDestroyPropertyBlob(kms->fd, blobs[i]);
		}
	}
	drmModeAtomicFree(req);
	return ok;
}

static bool modeset_legacy(struct pb_kms_device *kms, const struct pb_kms_output_state *outputs,
        size_t count, char *err, size_t err_len)
{
	for (size_t i = 0; i < count; i++) {
		const struct pb_kms_output_state *o = &outputs[i];
		uint32_t connector_id = kms->connectors[o->connector].id;
		drmModeModeInfo mode = o->mode;
		if (drmModeSetCrtc(kms->fd, kms->crtcs[o->crtc].id, o->fb_id, 0, 0, &connector_id,
		            1, &mode) != 0) {
			snprintf(err, err_len, "drmModeSetCrtc on %s failed: %s",
			        kms->connectors[o->connector].name, strerror(errno));
			return false;
		}
	}
	return true;
}

bool pb_kms_modeset(struct pb_kms_device *kms, const struct pb_kms_output_state *outputs,
        size_t count, char *err, size_t err_len)
{
	if (count > PB_KMS_MAX_CRTCS) {
		snprintf(err, err_len, "%zu outputs exceed the %d CRTCs supported", count,
		        PB_KMS_MAX_CRTCS);
		return false;
	}
	return kms->atomic ? modeset_atomic(kms, outputs, count, err, err_len)
	                   : modeset_legacy(kms, outputs, count, err, err_len);
}
