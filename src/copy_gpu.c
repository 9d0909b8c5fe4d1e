#include "copy_gpu.h"

#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <GLES2/gl2.h>
#include <drm_fourcc.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <wlr/interfaces/wlr_buffer.h>
#include <wlr/render/egl.h>
#include <wlr/render/gles2.h>
#include <wlr/render/pass.h>

#include "render_egl.h"

static struct pb_gpu_target *target_from_buffer(struct wlr_buffer *buffer)
{
	return wl_container_of(buffer, (struct pb_gpu_target *)NULL, base);
}

static void target_destroy(struct wlr_buffer *buffer)
{
	/* Embedded in its output: nothing to free. */
	(void)buffer;
}

static bool target_get_dmabuf(struct wlr_buffer *buffer, struct wlr_dmabuf_attributes *attribs)
{
	const struct pb_linear_buffer *linear = target_from_buffer(buffer)->linear;
	*attribs = (struct wlr_dmabuf_attributes){
	        .width = (int32_t)linear->layout.width,
	        .height = (int32_t)linear->layout.height,
	        .format = DRM_FORMAT_XRGB8888,
	        .modifier = DRM_FORMAT_MOD_LINEAR,
	        .n_planes = 1,
	        .offset = {0},
	        .stride = {linear->layout.stride},
	        .fd = {linear->dmabuf_fd},
	};
	return true;
}

static const struct wlr_buffer_impl target_impl = {
        .destroy = target_destroy,
        .get_dmabuf = target_get_dmabuf,
};

void pb_gpu_target_init(struct pb_gpu_target *target, struct pb_linear_buffer *linear)
{
	target->linear = linear;
	wlr_buffer_init(
	        &target->base, &target_impl, (int)linear->layout.width, (int)linear->layout.height);
}

void pb_gpu_target_finish(struct pb_gpu_target *target)
{
	/* Destroying the buffer releases the renderer's EGLImage and FBO for it. */
	wlr_buffer_drop(&target->base);
}

bool pb_gpu_copier_init(
        struct pb_gpu_copier *copier, struct wlr_renderer *renderer, char *why, size_t len)
{
	*copier = (struct pb_gpu_copier){.renderer = renderer};
	if (!wlr_renderer_is_gles2(renderer)) {
		snprintf(why, len, "the renderer is not gles2");
		return false;
	}
	copier->display = wlr_egl_get_display(wlr_gles2_renderer_get_egl(renderer));
	const char *exts = eglQueryString(copier->display, EGL_EXTENSIONS);
	if (!pb_egl_has_extension(exts, "EGL_ANDROID_native_fence_sync")) {
		snprintf(why, len, "EGL lacks EGL_ANDROID_native_fence_sync on the render device");
		return false;
	}
	copier->create_sync = (PFNEGLCREATESYNCKHRPROC)eglGetProcAddress("eglCreateSyncKHR");
	copier->destroy_sync = (PFNEGLDESTROYSYNCKHRPROC)eglGetProcAddress("eglDestroySyncKHR");
	copier->dup_fence =
	        (PFNEGLDUPNATIVEFENCEFDANDROIDPROC)eglGetProcAddress("eglDupNativeFenceFDANDROID");
	if (!copier->create_sync || !copier->destroy_sync || !copier->dup_fence) {
		snprintf(why, len, "EGL does not export the native fence functions");
		return false;
	}
	return true;
}

/* Must run with the renderer's context current, after the copy was issued. */
static int export_fence(const struct pb_gpu_copier *copier)
{
	const EGLint attribs[] = {EGL_NONE};
	EGLSyncKHR sync =
	        copier->create_sync(copier->display, EGL_SYNC_NATIVE_FENCE_ANDROID, attribs);
	if (sync == EGL_NO_SYNC_KHR) {
		return -1;
	}
	/* The fence only gets its fd once the commands before it are flushed. */
	glFlush();
	int fd = copier->dup_fence(copier->display, sync);
	copier->destroy_sync(copier->display, sync);
	return fd == EGL_NO_NATIVE_FENCE_FD_ANDROID ? -1 : fd;
}

struct pb_gpu_source {
	struct wlr_buffer base; /* shows the frame's dma-buf to the renderer */
	struct wlr_buffer *frame;
	struct wlr_texture *texture;
	struct wl_listener frame_destroy;
	struct wl_list link; /* pb_gpu_sources.list */
};

static struct pb_gpu_source *source_from_buffer(struct wlr_buffer *buffer)
{
	return wl_container_of(buffer, (struct pb_gpu_source *)NULL, base);
}

static void source_destroy(struct wlr_buffer *buffer)
{
	free(source_from_buffer(buffer));
}

static bool source_get_dmabuf(struct wlr_buffer *buffer, struct wlr_dmabuf_attributes *attribs)
{
	return wlr_buffer_get_dmabuf(source_from_buffer(buffer)->frame, attribs);
}

static const struct wlr_buffer_impl source_impl = {
        .destroy = source_destroy,
        .get_dmabuf = source_get_dmabuf,
};

static void source_release(struct pb_gpu_source *source)
{
	wl_list_remove(&source->link);
	wl_list_remove(&source->frame_destroy.link);
	if (source->texture) {
		/* Unlocks the stand-in; dropping it then frees it and the renderer's import. */
		wlr_texture_destroy(source->texture);
	}
	wlr_buffer_drop(&source->base);
}

static void handle_frame_destroy(struct wl_listener *listener, void *data)
{
	struct pb_gpu_source *source = wl_container_of(listener, source, frame_destroy);
	source_release(source);
}

void pb_gpu_sources_init(struct pb_gpu_sources *sources)
{
	wl_list_init(&sources->list);
}

void pb_gpu_sources_release(struct pb_gpu_sources *sources)
{
	struct pb_gpu_source *source, *tmp;
	wl_list_for_each_safe(source, tmp, &sources->list, link)
	{
		source_release(source);
	}
}

struct wlr_texture *pb_gpu_source_texture(
        struct wlr_renderer *renderer, struct pb_gpu_sources *sources, struct wlr_buffer *frame)
{
	struct pb_gpu_source *source;
	wl_list_for_each(source, &sources->list, link)
	{
		if (source->frame == frame) {
			return source->texture;
		}
	}
	source = calloc(1, sizeof(*source));
	if (!source) {
		return NULL;
	}
	wlr_buffer_init(&source->base, &source_impl, frame->width, frame->height);
	source->frame = frame;
	source->frame_destroy.notify = handle_frame_destroy;
	wl_signal_add(&frame->events.destroy, &source->frame_destroy);
	wl_list_insert(&sources->list, &source->link);
	source->texture = wlr_texture_from_buffer(renderer, &source->base);
	if (!source->texture) {
		source_release(source);
		return NULL;
	}
	return source->texture;
}

int pb_copy_region_gpu(const struct pb_gpu_copier *copier, struct pb_gpu_sources *sources,
        struct wlr_buffer *frame, struct pb_gpu_target *target, const pixman_region32_t *region)
{
	struct wlr_renderer *renderer = copier->renderer;
	struct wlr_texture *texture = pb_gpu_source_texture(renderer, sources, frame);
	if (!texture) {
		return -1;
	}
	/* The target's framebuffer object is wlroots' own, kept while the target lives. */
	struct wlr_render_pass *pass =
	        wlr_renderer_begin_buffer_pass(renderer, &target->base, NULL);
	if (!pass) {
		return -1;
	}
	/* The frame maps 1:1 onto the target; the region is the clip, nothing blends. */
	wlr_render_pass_add_texture(pass, &(struct wlr_render_texture_options){
	                                          .texture = texture,
	                                          .clip = region,
	                                          .blend_mode = WLR_RENDER_BLEND_MODE_NONE,
	                                  });
	/* gles2 passes draw as they go: the fence, made in the pass's context, covers the copy. */
	int fence = export_fence(copier);
	if (!wlr_render_pass_submit(pass) && fence >= 0) {
		close(fence);
		fence = -1;
	}
	return fence;
}
