#include "kms_cursor.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

bool pb_kms_cursor_init(
        struct pb_kms_cursor *cursor, int fd, uint32_t crtc_id, uint32_t width, uint32_t height)
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
		drmModeSetCursor(cursor->fd, cursor->crtc_id, 0, 0, 0);
	}
	munmap(cursor->map, cursor->size);
	drmModeDestroyDumbBuffer(cursor->fd, cursor->handle);
	cursor->handle = 0;
}

bool pb_kms_cursor_set(struct pb_kms_cursor *cursor, const uint8_t *pixels, uint32_t width,
        uint32_t height, size_t stride, int hotspot_x, int hotspot_y)
{
	if (!pixels) {
		cursor->visible = false;
		return drmModeSetCursor(cursor->fd, cursor->crtc_id, 0, 0, 0) == 0;
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
	cursor->visible = drmModeSetCursor2(cursor->fd, cursor->crtc_id, cursor->handle,
	                          cursor->width, cursor->height, hotspot_x, hotspot_y) == 0;
	/* The image's top-left corner moves with a new hotspot. */
	return cursor->visible && pb_kms_cursor_move(cursor, cursor->x, cursor->y);
}

bool pb_kms_cursor_move(struct pb_kms_cursor *cursor, int x, int y)
{
	cursor->x = x;
	cursor->y = y;
	return drmModeMoveCursor(cursor->fd, cursor->crtc_id, x - cursor->hotspot_x,
	               y - cursor->hotspot_y) == 0;
}

bool pb_kms_cursor_restore(struct pb_kms_cursor *cursor)
{
	if (!cursor->visible) {
		return true;
	}
	return drmModeSetCursor2(cursor->fd, cursor->crtc_id, cursor->handle, cursor->width,
	               cursor->height, cursor->hotspot_x, cursor->hotspot_y) == 0 &&
	       pb_kms_cursor_move(cursor, cursor->x, cursor->y);
}
