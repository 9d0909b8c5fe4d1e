#ifndef PB_KMS_PRESENT_H
#define PB_KMS_PRESENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <xf86drm.h>

#include "kms_device.h"

/*
 * Tells the display device which rectangles of a framebuffer on screen
 * changed (DRM_IOCTL_MODE_DIRTYFB): virtio-gpu then transfers and flushes
 * only those to the host. Returns false with errno set.
 */
bool pb_kms_dirty(int fd, uint32_t fb_id, const struct drm_clip_rect *clips, size_t count);

/* Who is told when a queued flip completes, with the kernel's timestamp. */
struct pb_kms_flip_waiter {
	void (*done)(struct pb_kms_flip_waiter *waiter, const struct timespec *when, unsigned seq);
};

/*
 * Queues a page flip of the CRTC's primary plane to fb_id, completing with
 * a page-flip event that calls waiter->done. Atomic commits carry the damage as
 * FB_DAMAGE_CLIPS where the plane has it and in_fence_fd (-1: none) as
 * IN_FENCE_FD; legacy flips carry neither, so the caller waits for the
 * fence first. Returns false with errno set.
 */
bool pb_kms_flip(struct pb_kms_device *kms, size_t crtc, uint32_t fb_id,
        const struct drm_clip_rect *clips, size_t count, int in_fence_fd,
        struct pb_kms_flip_waiter *waiter);

/* Turns a CRTC off (atomic, or drmModeSetCrtc with no framebuffer). */
bool pb_kms_disable(struct pb_kms_device *kms, size_t crtc, size_t connector);

/* Reads the display device's pending events, telling each flip's waiter. */
bool pb_kms_dispatch(int fd);

#endif
