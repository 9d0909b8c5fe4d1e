#ifndef PB_COPY_GPU_H
#define PB_COPY_GPU_H

#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <pixman.h>
#include <stdbool.h>
#include <stdint.h>
#include <wayland-server-core.h>
#include <wlr/render/wlr_renderer.h>
#include <wlr/types/wlr_buffer.h>

#include "linear_buffer.h"

/*
 * The GPU copy engine: the render device's wlroots renderer (gles2) imports
 * a linear buffer of the display device as a render target and blits the
 * rendered frame into it, one scissored draw per rectangle of the copy
 * region. The blit is asynchronous: the caller gets a sync_file that
 * signals when the render device has finished writing.
 */
struct pb_gpu_target {
	struct wlr_buffer base; /* the linear buffer, as the renderer sees it */
	struct pb_linear_buffer *linear;
};

void pb_gpu_target_init(struct pb_gpu_target *target, struct pb_linear_buffer *linear);
/* Drops the renderer's import of the buffer (its framebuffer object). */
void pb_gpu_target_finish(struct pb_gpu_target *target);

/*
 * What a copy needs from the render device's renderer, looked up once: the
 * EGL_ANDROID_native_fence_sync functions that turn its work into a
 * sync_file. Without them the copy could only be waited for with a CPU
 * stall, so the GPU path is not offered.
 */
struct pb_gpu_copier {
	struct wlr_renderer *renderer;
	EGLDisplay display;
	PFNEGLCREATESYNCKHRPROC create_sync;
	PFNEGLDESTROYSYNCKHRPROC destroy_sync;
	PFNEGLDUPNATIVEFENCEFDANDROIDPROC dup_fence;
};

/*
 * The textures of the frames an output copies from, one per buffer of its
 * swapchain, made when a buffer is first copied and kept while it lives, so
 * no buffer is imported per frame (the render pass and its fence are
 * wlroots' and EGL's per-frame objects). wlroots' texture of a dma-buf
 * locks the buffer it was made from, and a locked buffer never returns to
 * its swapchain: each texture is made from a stand-in buffer of ours
 * showing the frame's dma-buf, released when the frame is destroyed.
 *
 * So the scene renders a frame through wlroots' import of its dma-buf and
 * the copy samples it through ours: two EGLImages of one buffer in one GL
 * context. llvmpipe shares their memory; a real driver is expected to track
 * the buffer object behind both, which is untested here.
 */
struct pb_gpu_sources {
	struct wl_list list; /* pb_gpu_source.link */
};

void pb_gpu_sources_init(struct pb_gpu_sources *sources);

/* The texture of frame, from the cache or made now; NULL when the renderer cannot read it. */
struct wlr_texture *pb_gpu_source_texture(
        struct wlr_renderer *renderer, struct pb_gpu_sources *sources, struct wlr_buffer *frame);

void pb_gpu_sources_release(struct pb_gpu_sources *sources);

/* False, with why filled in, when the renderer cannot serve the GPU path. */
bool pb_gpu_copier_init(
        struct pb_gpu_copier *copier, struct wlr_renderer *renderer, char *why, size_t len);

/*
 * Copies the region of frame into target, in one render pass with the
 * region as clip and no blending. Returns the sync_file fd that signals
 * completion (the caller owns it), or -1 when the copy could not be issued.
 */
int pb_copy_region_gpu(const struct pb_gpu_copier *copier, struct pb_gpu_sources *sources,
        struct wlr_buffer *frame, struct pb_gpu_target *target, const pixman_region32_t *region);

#endif
