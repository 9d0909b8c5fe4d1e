#include "linear_buffer.h"

#include <drm_fourcc.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "virtgpu_abi.h"

static bool create_blob(struct pb_linear_buffer *buf, uint64_t *map_offset)
{
	struct pb_virtgpu_resource_create_blob req = {
	        .blob_mem = PB_VIRTGPU_BLOB_MEM_GUEST,
	        .blob_flags =
	                PB_VIRTGPU_BLOB_FLAG_USE_MAPPABLE | PB_VIRTGPU_BLOB_FLAG_USE_SHAREABLE,
	        .size = buf->layout.size,
	};
	if (drmIoctl(buf->drm_fd, PB_DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB, &req) != 0) {
		return false;
	}
	buf->handle = req.bo_handle;
	struct pb_virtgpu_map map = {.handle = buf->handle};
	if (drmIoctl(buf->drm_fd, PB_DRM_IOCTL_VIRTGPU_MAP, &map) != 0) {
		return false;
	}
	*map_offset = map.offset;
	return true;
}

/*
 * A dumb buffer dumb_width pixels wide has exactly the aligned stride on
 * virtio-gpu; another driver may pad further, which is accepted as long as
 * the pitch keeps the alignment the importer needs.
 */
static bool create_dumb(
        struct pb_linear_buffer *buf, uint64_t *map_offset, char *err, size_t err_len)
{
	struct drm_mode_create_dumb req = {
	        .width = buf->layout.dumb_width,
	        .height = buf->layout.rows,
	        .bpp = 32,
	};
	if (drmIoctl(buf->drm_fd, DRM_IOCTL_MODE_CREATE_DUMB, &req) != 0) {
		snprintf(err, err_len, "creating a %ux%u dumb buffer failed: %s", req.width,
		        req.height, strerror(errno));
		return false;
	}
	buf->handle = req.handle;
	if (req.pitch < buf->layout.stride || req.pitch % buf->layout.stride_align != 0) {
		snprintf(err, err_len,
		        "the kernel gave the dumb buffer pitch %u, not a multiple of %u", req.pitch,
		        buf->layout.stride_align);
		return false;
	}
	buf->layout.stride = req.pitch;
	buf->layout.size = req.size > buf->layout.size ? req.size : buf->layout.size;
	struct drm_mode_map_dumb map = {.handle = buf->handle};
	if (drmIoctl(buf->drm_fd, DRM_IOCTL_MODE_MAP_DUMB, &map) != 0) {
		snprintf(err, err_len, "mapping the dumb buffer failed: %s", strerror(errno));
		return false;
	}
	*map_offset = map.offset;
	return true;
}

bool pb_linear_buffer_layout(
        uint32_t width, uint32_t height, uint32_t stride_align, struct pb_buffer_layout *out)
{
	long page = sysconf(_SC_PAGESIZE);
	return page > 0 &&
	       pb_buffer_layout_compute(width, height, stride_align, (uint32_t)page, out);
}

bool pb_linear_buffer_create(struct pb_linear_buffer *buf, int drm_fd,
        const struct pb_buffer_layout *layout, bool try_blob, char *err, size_t err_len)
{
	*buf = (struct pb_linear_buffer){
	        .drm_fd = drm_fd,
	        .kind = PB_BUFFER_BLOB,
	        .layout = *layout,
	        .dmabuf_fd = -1,
	};
	uint64_t map_offset = 0;
	if (!try_blob || !create_blob(buf, &map_offset)) {
		if (buf->handle) {
			drmCloseBufferHandle(drm_fd, buf->handle);
			buf->handle = 0;
		}
		buf->kind = PB_BUFFER_DUMB;
		if (!create_dumb(buf, &map_offset, err, err_len)) {
			goto fail;
		}
	}
	uint32_t handles[4] = {buf->handle};
	uint32_t pitches[4] = {buf->layout.stride};
	uint32_t offsets[4] = {0};
	if (drmModeAddFB2(drm_fd, layout->width, layout->height, DRM_FORMAT_XRGB8888, handles,
	            pitches, offsets, &buf->fb_id, 0) != 0) {
		snprintf(err, err_len, "adding a %ux%u framebuffer with pitch %u failed: %s",
		        layout->width, layout->height, buf->layout.stride, strerror(errno));
		goto fail;
	}
	if (drmPrimeHandleToFD(drm_fd, buf->handle, DRM_CLOEXEC | DRM_RDWR, &buf->dmabuf_fd) != 0) {
		snprintf(err, err_len, "exporting the buffer as a dma-buf failed: %s",
		        strerror(errno));
		goto fail;
	}
	void *map = mmap(NULL, buf->layout.size, PROT_READ | PROT_WRITE, MAP_SHARED, drm_fd,
	        (off_t)map_offset);
	if (map == MAP_FAILED) {
		snprintf(err, err_len, "mapping %llu bytes of the buffer failed: %s",
		        (unsigned long long)buf->layout.size, strerror(errno));
		goto fail;
	}
	buf->map = map;
	return true;

fail:
	pb_linear_buffer_finish(buf);
	return false;
}

void pb_linear_buffer_finish(struct pb_linear_buffer *buf)
{
	if (buf->map) {
		munmap(buf->map, buf->layout.size);
	}
	if (buf->dmabuf_fd >= 0) {
		close(buf->dmabuf_fd);
	}
	if (buf->fb_id) {
		drmModeRmFB(buf->drm_fd, buf->fb_id);
	}
	if (buf->handle) {
		drmCloseBufferHandle(buf->drm_fd, buf->handle);
	}
	*buf = (struct pb_linear_buffer){.dmabuf_fd = -1};
}

const char *pb_buffer_kind_name(enum pb_buffer_kind kind)
{
	return kind == PB_BUFFER_BLOB ? "blob" : "dumb";
}
