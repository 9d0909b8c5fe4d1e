#include "kms_cursor.h"

#include <drm_fourcc.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

bool pb_kms_cursor_init(struct pb_kms_cursor *cursor, int fd, uint32_t crtc_id,
        const struct pb_kms_plane *plane, uint32_t width, uint32_t height)
{
	*cursor = (struct pb_kms_cursor){.fd = fd, .crtc_id = crtc_id};
	uint64_t offset = 0;
	if (drmModeCreateDumbBuffer(fd, width, height, 32, 0, &cursor->handle, &cursor->pitch,
	            &cursor->size) != 0) {
		return false;
	}
	if (drmModeMapDumbBuffer(fd, cursor->handle, &offset) != 0) {
		goto err;
	}
	void *map = mmap(NULL, cursor->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)offset);
	if (map == MAP_FAILED) {
		goto err;
	}
	cursor->map = map;
	cursor->width = width;
	cursor->height = height;
	if (plane && plane->props.hotspot_x && plane->props.hotspot_y) {
		uint32_t handles[4] = {cursor->handle}, pitches[4] = {cursor->pitch},
		         offsets[4] = {0};
		if (drmModeAddFB2(fd, width, height, DRM_FORMAT_ARGB8888, handles, pitches, offsets,
		            &cursor->fb_id, 0) != 0) {
			munmap(map, cursor->size);
			goto err;
		}
		cursor->plane = plane;
	}
	return true;
err:;
	int saved = errno;
	drmModeDestroyDumbBuffer(fd, cursor->handle);
	cursor->handle = 0;
	errno = saved;
	return false;
}

void pb_kms_cursor_finish(struct pb_kms_cursor *cursor)
{
	if (!cursor->handle) {
		return;
	}
	if (cursor->visible) {
		pb_kms_cursor_set(cursor, NULL, 0, 0, 0, 0, 0);
	}
	if (cursor->fb_id) {
		drmModeRmFB(cursor->fd, cursor->fb_id);
	}
	munmap(cursor->map, cursor->size);
	drmModeDestroyDumbBuffer(cursor->fd, cursor->handle);
	cursor->handle = 0;
}

/*
 * One atomic commit of the cursor plane: shown at the hotspot position with
 * the image and hotspot, or taken off the CRTC. Blocking: virtio-gpu completes
 * a commit as soon as it has queued the cursor command.
 */
static bool commit_plane(struct pb_kms_cursor *cursor, bool show)
{
	const struct pb_kms_plane_props *p = &cursor->plane->props;
	uint32_t id = cursor->plane->id;
	drmModeAtomicReq *req = drmModeAtomicAlloc();
	if (!req) {
		errno = ENOMEM;
		return false;
	}
	drmModeAtomicAddProperty(req, id, p->fb_id, show ? cursor->fb_id : 0);
	drmModeAtomicAddProperty(req, id, p->crtc_id, show ? cursor->crtc_id : 0);
	if (show) {
		drmModeAtomicAddProperty(req, id, p->src_x, 0);
		drmModeAtomicAddProperty(req, id, p->src_y, 0);
		drmModeAtomicAddProperty(req, id, p->src_w, (uint64_t)cursor->width << 16);
		drmModeAtomicAddProperty(req, id, p->src_h, (uint64_t)cursor->height << 16);
		drmModeAtomicAddProperty(
		        req, id, p->crtc_x, (uint64_t)(cursor->x - cursor->hotspot_x));
		drmModeAtomicAddProperty(
		        req, id, p->crtc_y, (uint64_t)(cursor->y - cursor->hotspot_y));
		drmModeAtomicAddProperty(req, id, p->crtc_w, cursor->width);
		drmModeAtomicAddProperty(req, id, p->crtc_h, cursor->height);
		drmModeAtomicAddProperty(req, id, p->hotspot_x, (uint64_t)cursor->hotspot_x);
		drmModeAtomicAddProperty(req, id, p->hotspot_y, (uint64_t)cursor->hotspot_y);
	}
	int ret = drmModeAtomicCommit(cursor->fd, req, 0, NULL);
	drmModeAtomicFree(req);
	return ret == 0;
}

/* Shows the image (set up in the buffer) with the current hotspot and position. */
static bool show(struct pb_kms_cursor *cursor)
{
	if (cursor->plane) {
		return commit_plane(cursor, true);
	}
	return drmModeSetCursor2(cursor->fd, cursor->crtc_id, cursor->handle, cursor->width,
	               cursor->height, cursor->hotspot_x, cursor->hotspot_y) == 0 &&
	       pb_kms_cursor_move(cursor, cursor->x, cursor->y);
}

bool pb_kms_cursor_set(struct pb_kms_cursor *cursor, const uint8_t *pixels, uint32_t width,
        uint32_t height, size_t stride, int hotspot_x, int hotspot_y)
{
	if (!pixels) {
		cursor->visible = false;
		return cursor->plane ? commit_plane(cursor, false)
		                     : drmModeSetCursor(cursor->fd, cursor->crtc_id, 0, 0, 0) == 0;
	}
	if (width > cursor->width || height > cursor->height) {
		errno = EINVAL;
		return false;
	}
	memset(cursor->map, 0, cursor->size);
	for (uint32_t y = 0; y < height; y++) {
		memcpy(cursor->map + (size_t)y * cursor->pitch, pixels + (size_t)y * stride,
		        (size_t)width * 4);
	}
	cursor->hotspot_x = hotspot_x;
	cursor->hotspot_y = hotspot_y;
	/* The image's top-left corner moves with a new hotspot. */
	cursor->visible = show(cursor);
	return cursor->visible;
}

bool pb_kms_cursor_move(struct pb_kms_cursor *cursor, int x, int y)
{
	cursor->x = x;
	cursor->y = y;
	if (cursor->plane) {
		return !cursor->visible || commit_plane(cursor, true);
	}
	return drmModeMoveCursor(cursor->fd, cursor->crtc_id, x - cursor->hotspot_x,
	               y - cursor->hotspot_y) == 0;
}

bool pb_kms_cursor_restore(struct pb_kms_cursor *cursor)
{
	return !cursor->visible || show(cursor);
}
