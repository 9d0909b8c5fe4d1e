#include "kms_present.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include "damage_clips.h"

bool pb_kms_dirty(int fd, uint32_t fb_id, const struct drm_clip_rect *clips, size_t count)
{
	if (count == 0) {
		return true;
	}
	int ret = drmModeDirtyFB(fd, fb_id, (drmModeClipPtr)clips, (uint32_t)count);
	if (ret != 0) {
		errno = -ret;
		return false;
	}
	return true;
}

static bool flip_atomic(struct pb_kms_device *kms, const struct pb_kms_crtc *crtc, uint32_t fb_id,
        const struct drm_clip_rect *clips, size_t count, int in_fence_fd,
        struct pb_kms_flip_waiter *waiter)
{
	const struct pb_kms_plane *plane = &kms->planes[crtc->primary];
	drmModeAtomicReq *req = drmModeAtomicAlloc();
	if (!req) {
		errno = ENOMEM;
		return false;
	}
	uint32_t damage_blob = 0;
	drmModeAtomicAddProperty(req, plane->id, plane->props.fb_id, fb_id);
	/*
	 * FB_DAMAGE_CLIPS takes struct drm_mode_rect (32-bit edges), not the
	 * 16-bit drm_clip_rect of DIRTYFB: a blob of the wrong element size fails
	 * the whole commit with EINVAL. More clips than fit: none, a whole frame.
	 */
	if (plane->props.fb_damage_clips && count > 0 && count <= PB_MAX_DAMAGE_CLIPS) {
		struct drm_mode_rect rects[PB_MAX_DAMAGE_CLIPS];
		for (size_t i = 0; i < count; i++) {
			rects[i] = (struct drm_mode_rect){
			        clips[i].x1, clips[i].y1, clips[i].x2, clips[i].y2};
		}
		if (drmModeCreatePropertyBlob(
		            kms->fd, rects, count * sizeof(*rects), &damage_blob) == 0) {
			drmModeAtomicAddProperty(
			        req, plane->id, plane->props.fb_damage_clips, damage_blob);
		}
	}
	if (in_fence_fd >= 0 && plane->props.in_fence_fd) {
		drmModeAtomicAddProperty(
		        req, plane->id, plane->props.in_fence_fd, (uint64_t)in_fence_fd);
	}
	int ret = drmModeAtomicCommit(
	        kms->fd, req, DRM_MODE_ATOMIC_NONBLOCK | DRM_MODE_PAGE_FLIP_EVENT, waiter);
	int saved = errno;
	if (damage_blob) {
		/* The commit holds its own reference to the blob. */
		drmModeDestroyPropertyBlob(kms->fd, damage_blob);
	}
	drmModeAtomicFree(req);
	errno = saved;
	return ret == 0;
}

bool pb_kms_flip(struct pb_kms_device *kms, size_t crtc, uint32_t fb_id,
        const struct drm_clip_rect *clips, size_t count, int in_fence_fd,
        struct pb_kms_flip_waiter *waiter)
{
	const struct pb_kms_crtc *c = &kms->crtcs[crtc];
	if (kms->atomic && c->primary >= 0) {
		return flip_atomic(kms, c, fb_id, clips, count, in_fence_fd, waiter);
	}
	return drmModePageFlip(kms->fd, c->id, fb_id, DRM_MODE_PAGE_FLIP_EVENT, waiter) == 0;
}

bool pb_kms_disable(struct pb_kms_device *kms, size_t crtc, size_t connector)
{
	const struct pb_kms_crtc *c = &kms->crtcs[crtc];
	if (!kms->atomic || c->primary < 0) {
		return drmModeSetCrtc(kms->fd, c->id, 0, 0, 0, NULL, 0, NULL) == 0;
	}
	const struct pb_kms_plane *plane = &kms->planes[c->primary];
	drmModeAtomicReq *req = drmModeAtomicAlloc();
	if (!req) {
		errno = ENOMEM;
		return false;
	}
	drmModeAtomicAddProperty(req, plane->id, plane->props.fb_id, 0);
	drmModeAtomicAddProperty(req, plane->id, plane->props.crtc_id, 0);
	drmModeAtomicAddProperty(
	        req, kms->connectors[connector].id, kms->connectors[connector].prop_crtc_id, 0);
	drmModeAtomicAddProperty(req, c->id, c->prop_active, 0);
	drmModeAtomicAddProperty(req, c->id, c->prop_mode_id, 0);
	int ret = drmModeAtomicCommit(kms->fd, req, DRM_MODE_ATOMIC_ALLOW_MODESET, NULL);
	drmModeAtomicFree(req);
	return ret == 0;
}

static void on_page_flip(
        int fd, unsigned seq, unsigned sec, unsigned usec, unsigned crtc_id, void *user_data)
{
	(void)fd;
	(void)crtc_id;
	struct timespec when = {.tv_sec = sec, .tv_nsec = (long)usec * 1000};
	struct pb_kms_flip_waiter *waiter = user_data;
	waiter->done(waiter, &when, seq);
}

bool pb_kms_dispatch(int fd)
{
	drmEventContext ctx = {
	        .version = 3,
	        .page_flip_handler2 = on_page_flip,
	};
	return drmHandleEvent(fd, &ctx) == 0;
}
