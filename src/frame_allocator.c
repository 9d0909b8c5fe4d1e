#include "frame_allocator.h"

#include <drm_fourcc.h>
#include <fcntl.h>
#include <gbm.h>
#include <stdlib.h>
#include <unistd.h>
#include <wlr/interfaces/wlr_buffer.h>
#include <wlr/render/dmabuf.h>
#include <wlr/render/drm_format_set.h>
#include <wlr/util/log.h>
#include <xf86drm.h>

struct frame_allocator {
	struct wlr_allocator base;
	struct gbm_device *gbm;
	int fd;
	struct wl_list buffers; /* frame_buffer.link */
};

struct frame_buffer {
	struct wlr_buffer base;
	struct gbm_bo *bo; /* NULL once the allocator is gone: the dma-buf lives on */
	struct wlr_dmabuf_attributes dmabuf; /* exported once; the fds live with the buffer */
	struct wl_list link;                 /* frame_allocator.buffers */
};

static void buffer_destroy(struct wlr_buffer *wlr_buffer)
{
	struct frame_buffer *buffer = wl_container_of(wlr_buffer, buffer, base);
	wlr_dmabuf_attributes_finish(&buffer->dmabuf);
	if (buffer->bo) {
		gbm_bo_destroy(buffer->bo);
	}
	wl_list_remove(&buffer->link);
	free(buffer);
}

static bool buffer_get_dmabuf(struct wlr_buffer *wlr_buffer, struct wlr_dmabuf_attributes *out)
{
	struct frame_buffer *buffer = wl_container_of(wlr_buffer, buffer, base);
	*out = buffer->dmabuf;
	return true;
}

static const struct wlr_buffer_impl buffer_impl = {
        .destroy = buffer_destroy,
        .get_dmabuf = buffer_get_dmabuf,
};

static bool export_planes(struct frame_buffer *buffer, int fd, uint32_t format, uint64_t modifier)
{
	struct gbm_bo *bo = buffer->bo;
	struct wlr_dmabuf_attributes *d = &buffer->dmabuf;
	int planes = gbm_bo_get_plane_count(bo);
	if (planes < 1 || planes > WLR_DMABUF_MAX_PLANES) {
		return false;
	}
	*d = (struct wlr_dmabuf_attributes){
	        .width = (int32_t)gbm_bo_get_width(bo),
	        .height = (int32_t)gbm_bo_get_height(bo),
	        .format = format,
	        .modifier = modifier,
	};
	for (int i = 0; i < planes; i++) {
		/*
		 * Exported read-write: GBM's own export is read-only, and Mesa's
		 * software device maps the buffer itself to render into it.
		 */
		uint32_t handle = gbm_bo_get_handle_for_plane(bo, i).u32;
		if (drmPrimeHandleToFD(fd, handle, DRM_CLOEXEC | DRM_RDWR, &d->fd[i]) != 0) {
			d->fd[i] = -1;
		}
		if (d->fd[i] < 0) {
			wlr_dmabuf_attributes_finish(d);
			return false;
		}
		d->n_planes = i + 1;
		d->offset[i] = gbm_bo_get_offset(bo, i);
		d->stride[i] = gbm_bo_get_stride_for_plane(bo, i);
	}
	return true;
}

/*
 * The explicit modifiers asked for (none when only the implicit one is), and
 * whether the implicit one (INVALID) is among them.
 */
static size_t explicit_modifiers(
        const struct wlr_drm_format *format, uint64_t *out, size_t max, bool *implicit_allowed)
{
	size_t n = 0;
	*implicit_allowed = false;
	for (size_t i = 0; i < format->len; i++) {
		if (format->modifiers[i] == DRM_FORMAT_MOD_INVALID) {
			*implicit_allowed = true;
		} else if (n < max) {
			out[n++] = format->modifiers[i];
		}
	}
	return n;
}

static struct wlr_buffer *allocator_create_buffer(
        struct wlr_allocator *wlr_alloc, int width, int height, const struct wlr_drm_format *format)
{
	struct frame_allocator *alloc = wl_container_of(wlr_alloc, alloc, base);
	uint64_t modifiers[16];
	bool implicit_allowed;
	size_t n = explicit_modifiers(
	        format, modifiers, sizeof(modifiers) / sizeof(modifiers[0]), &implicit_allowed);
	struct gbm_bo *bo = NULL;
	uint64_t modifier = DRM_FORMAT_MOD_INVALID;
	if (n == 1 && modifiers[0] == DRM_FORMAT_MOD_LINEAR && !implicit_allowed) {
		/*
		 * Linear only: the cursor plane's images, which the CPU reads.
		 * Drivers without modifiers (vgem's kms_swrast) allocate these on
		 * request, and would not say which layout a modifier list gave.
		 */
		bo = gbm_bo_create(alloc->gbm, (uint32_t)width, (uint32_t)height, format->format,
		        GBM_BO_USE_RENDERING | GBM_BO_USE_LINEAR);
		modifier = DRM_FORMAT_MOD_LINEAR;
	} else if (n > 0) {
		bo = gbm_bo_create_with_modifiers2(alloc->gbm, (uint32_t)width, (uint32_t)height,
		        format->format, modifiers, (unsigned)n, GBM_BO_USE_RENDERING);
		modifier = bo ? gbm_bo_get_modifier(bo) : modifier;
	}
	/* Without explicit modifiers, or when none of them could be allocated: the driver's own
	 * layout. */
	if (!bo && (n == 0 || implicit_allowed)) {
		bo = gbm_bo_create(alloc->gbm, (uint32_t)width, (uint32_t)height, format->format,
		        GBM_BO_USE_RENDERING);
		modifier = DRM_FORMAT_MOD_INVALID;
	}
	if (!bo) {
		wlr_log_errno(WLR_ERROR, "Cannot allocate a %dx%d frame on the render device",
		        width, height);
		return NULL;
	}
	struct frame_buffer *buffer = calloc(1, sizeof(*buffer));
	if (!buffer) {
		gbm_bo_destroy(bo);
		return NULL;
	}
	buffer->bo = bo;
	if (!export_planes(buffer, alloc->fd, format->format, modifier)) {
		wlr_log(WLR_ERROR, "Cannot export a frame of the render device as a dma-buf");
		gbm_bo_destroy(bo);
		free(buffer);
		return NULL;
	}
	wl_list_insert(&alloc->buffers, &buffer->link);
	wlr_buffer_init(&buffer->base, &buffer_impl, width, height);
	return &buffer->base;
}

static void allocator_destroy(struct wlr_allocator *wlr_alloc)
{
	struct frame_allocator *alloc = wl_container_of(wlr_alloc, alloc, base);
	/* Frames outlive their allocator (the outputs still show them): their
	 * GBM objects go with the GBM device, their dma-bufs stay theirs. */
	struct frame_buffer *buffer, *tmp;
	wl_list_for_each_safe(buffer, tmp, &alloc->buffers, link)
	{
		gbm_bo_destroy(buffer->bo);
		buffer->bo = NULL;
		wl_list_remove(&buffer->link);
		wl_list_init(&buffer->link);
	}
	gbm_device_destroy(alloc->gbm);
	close(alloc->fd);
	free(alloc);
}

static const struct wlr_allocator_interface allocator_impl = {
        .create_buffer = allocator_create_buffer,
        .destroy = allocator_destroy,
};

struct wlr_allocator *pb_frame_allocator_create(int drm_fd)
{
	struct frame_allocator *alloc = calloc(1, sizeof(*alloc));
	if (!alloc) {
		close(drm_fd);
		return NULL;
	}
	alloc->fd = drm_fd;
	wl_list_init(&alloc->buffers);
	alloc->gbm = gbm_create_device(drm_fd);
	if (!alloc->gbm) {
		wlr_log(WLR_ERROR, "GBM cannot allocate on the render device");
		close(drm_fd);
		free(alloc);
		return NULL;
	}
	wlr_allocator_init(&alloc->base, &allocator_impl, WLR_BUFFER_CAP_DMABUF);
	return &alloc->base;
}

bool pb_frame_allocator_node_allocates(int drm_fd)
{
	struct gbm_device *gbm = gbm_create_device(drm_fd);
	if (!gbm) {
		return false;
	}
	struct gbm_bo *bo = gbm_bo_create(gbm, 64, 64, DRM_FORMAT_XRGB8888, GBM_BO_USE_RENDERING);
	bool allocates = bo != NULL;
	if (bo) {
		gbm_bo_destroy(bo);
	}
	gbm_device_destroy(gbm);
	return allocates;
}
