#include <drm_fourcc.h>
#include <linux/dma-buf.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <wlr/types/wlr_buffer.h>
#include <wlr/util/log.h>

#include "bridge_internal.h"

bool pb_bridge_output_set_cursor(
        struct wlr_output *wlr_output, struct wlr_buffer *buffer, int hotspot_x, int hotspot_y)
{
	struct pb_bridge_output *output = pb_bridge_output_from(wlr_output);
	if (!output->has_cursor) {
		return false;
	}
	if (!buffer) {
		return pb_kms_cursor_set(&output->cursor, NULL, 0, 0, 0, 0, 0);
	}
	void *data = NULL;
	uint32_t format = 0;
	size_t stride = 0;
	bool ok = false;
	if (wlr_buffer_begin_data_ptr_access(
	            buffer, WLR_BUFFER_DATA_PTR_ACCESS_READ, &data, &format, &stride)) {
		ok = pb_kms_cursor_set(&output->cursor, data, (uint32_t)buffer->width,
		        (uint32_t)buffer->height, stride, hotspot_x, hotspot_y);
		if (!ok) {
			/* wlroots then draws the pointer into frames. */
			wlr_log_errno(WLR_DEBUG, "%s: the cursor plane refused the image",
			        wlr_output->name);
		}
		wlr_buffer_end_data_ptr_access(buffer);
		return ok;
	}
	/* On the GPU path the image is a linear dma-buf of the render device: map it. */
	struct wlr_dmabuf_attributes dmabuf;
	if (!wlr_buffer_get_dmabuf(buffer, &dmabuf) || dmabuf.n_planes != 1 ||
	        dmabuf.modifier != DRM_FORMAT_MOD_LINEAR) {
		return false;
	}
	size_t size = (size_t)dmabuf.offset[0] + (size_t)dmabuf.stride[0] * (size_t)dmabuf.height;
	void *map = mmap(NULL, size, PROT_READ, MAP_SHARED, dmabuf.fd[0], 0);
	if (map == MAP_FAILED) {
		return false;
	}
	/* Waits for the render device's writes (the renderer only flushed them). */
	struct dma_buf_sync sync = {.flags = DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ};
	ioctl(dmabuf.fd[0], DMA_BUF_IOCTL_SYNC, &sync);
	ok = pb_kms_cursor_set(&output->cursor, (uint8_t *)map + dmabuf.offset[0],
	        (uint32_t)buffer->width, (uint32_t)buffer->height, dmabuf.stride[0], hotspot_x,
	        hotspot_y);
	sync.flags = DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ;
	ioctl(dmabuf.fd[0], DMA_BUF_IOCTL_SYNC, &sync);
	munmap(map, size);
	return ok;
}

bool pb_bridge_output_move_cursor(struct wlr_output *wlr_output, int x, int y)
{
	struct pb_bridge_output *output = pb_bridge_output_from(wlr_output);
	if (!output->has_cursor) {
		return false;
	}
	if (!pb_kms_cursor_move(&output->cursor, x, y)) {
		wlr_log_errno(WLR_DEBUG, "%s: the cursor plane did not move", wlr_output->name);
		return false;
	}
	return true;
}

const struct wlr_drm_format_set *pb_bridge_output_get_cursor_formats(
        struct wlr_output *wlr_output, uint32_t buffer_caps)
{
	struct pb_bridge_output *output = pb_bridge_output_from(wlr_output);
	return output->has_cursor ? &output->backend->cursor_formats : NULL;
}

const struct wlr_output_cursor_size *pb_bridge_output_get_cursor_sizes(
        struct wlr_output *wlr_output, size_t *len)
{
	struct pb_bridge_output *output = pb_bridge_output_from(wlr_output);
	*len = 1;
	return &output->cursor_size;
}
