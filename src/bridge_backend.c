#include <drm_fourcc.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wlr/util/log.h>

#include "bridge_internal.h"
#include "crtc_assign.h"
#include "virtgpu_caps.h"

static const struct wlr_backend_impl backend_impl;

struct pb_bridge_backend *pb_bridge_backend_from(struct wlr_backend *backend)
{
	struct pb_bridge_backend *b = wl_container_of(backend, b, base);
	return b;
}

static bool backend_start(struct wlr_backend *wlr_backend)
{
	struct pb_bridge_backend *backend = pb_bridge_backend_from(wlr_backend);
	struct pb_kms_device *kms = &backend->kms;
	int crtc_for[PB_KMS_MAX_CONNECTORS];
	if (!pb_kms_assign_connected(kms, crtc_for)) {
		wlr_log(WLR_ERROR,
		        "The display device cannot drive all its connected outputs at once");
		return false;
	}
	backend->started = true;
	size_t created = 0;
	for (size_t i = 0; i < kms->connector_count; i++) {
		if (crtc_for[i] < 0) {
			continue;
		}
		struct pb_bridge_output *output =
		        pb_bridge_output_create(backend, i, (size_t)crtc_for[i]);
		if (output) {
			created++;
			wl_signal_emit(&backend->base.events.new_output, &output->base);
		}
	}
	if (created == 0) {
		wlr_log(WLR_ERROR, "No output of the display device could be set up");
		return false;
	}
	return true;
}

static void backend_destroy(struct wlr_backend *wlr_backend)
{
	struct pb_bridge_backend *backend = pb_bridge_backend_from(wlr_backend);
	struct pb_bridge_output *output, *tmp;
	wl_list_for_each_safe(output, tmp, &backend->outputs, link)
	{
		wlr_output_destroy(&output->base);
	}
	wlr_backend_finish(wlr_backend);
	wl_event_source_remove(backend->drm_source);
	wl_list_remove(&backend->display_destroy.link);
	wl_list_remove(&backend->session_active.link);
	wl_list_remove(&backend->device_change.link);
	wl_list_remove(&backend->renderer_destroy.link);
	wlr_drm_format_set_finish(&backend->primary_formats);
	wlr_drm_format_set_finish(&backend->cursor_formats);
	free(backend);
}

static int backend_get_drm_fd(struct wlr_backend *wlr_backend)
{
	return pb_bridge_backend_from(wlr_backend)->options.render_fd;
}

static uint32_t backend_get_buffer_caps(struct wlr_backend *wlr_backend)
{
	struct pb_bridge_backend *backend = pb_bridge_backend_from(wlr_backend);
	return pb_copy_path_on_render_device(backend->options.copy_path)
	               ? WLR_BUFFER_CAP_DMABUF
	               : WLR_BUFFER_CAP_DATA_PTR | WLR_BUFFER_CAP_SHM;
}

static const struct wlr_backend_impl backend_impl = {
        .start = backend_start,
        .destroy = backend_destroy,
        .get_drm_fd = backend_get_drm_fd,
        .get_buffer_caps = backend_get_buffer_caps,
};

static int handle_drm_event(int fd, uint32_t mask, void *data)
{
	if (!pb_kms_dispatch(fd)) {
		wlr_log_errno(WLR_ERROR, "Reading the display device's events failed");
	}
	return 0;
}

static void handle_display_destroy(struct wl_listener *listener, void *data)
{
	struct pb_bridge_backend *backend = wl_container_of(listener, backend, display_destroy);
	wlr_backend_destroy(&backend->base);
}

static void handle_session_active(struct wl_listener *listener, void *data)
{
	struct pb_bridge_backend *backend = wl_container_of(listener, backend, session_active);
	if (!backend->options.session->active) {
		wlr_log(WLR_INFO, "Session paused (another VT has the display): outputs stop");
		return;
	}
	wlr_log(WLR_INFO, "Session resumed: outputs are lit again with whole frames");
	struct pb_bridge_output *output;
	wl_list_for_each(output, &backend->outputs, link)
	{
		pb_bridge_output_resume(output);
	}
}

static struct pb_bridge_output *output_of_connector(
        struct pb_bridge_backend *backend, size_t connector)
{
	struct pb_bridge_output *output;
	wl_list_for_each(output, &backend->outputs, link)
	{
		if (output->connector == connector) {
			return output;
		}
	}
	return NULL;
}

/* A CRTC the connector can use that no output holds; -1 when none is left. */
static int free_crtc(struct pb_bridge_backend *backend, size_t connector)
{
	uint32_t used = 0;
	struct pb_bridge_output *output;
	wl_list_for_each(output, &backend->outputs, link)
	{
		used |= 1u << output->crtc;
	}
	return pb_free_crtc(
	        backend->kms.connectors[connector].possible_crtcs, used, backend->kms.crtc_count);
}

/*
 * A connector was plugged in or out, or its display changed size (a VM
 * viewer resized): outputs follow without a restart. A changed output is
 * made anew, so its modes and buffers are the display's new ones.
 */
static void handle_device_change(struct wl_listener *listener, void *data)
{
	struct pb_bridge_backend *backend = wl_container_of(listener, backend, device_change);
	if (!backend->started) {
		return;
	}
	for (size_t i = 0; i < backend->kms.connector_count; i++) {
		if (!pb_kms_connector_refresh(&backend->kms, i)) {
			continue;
		}
		const struct pb_kms_connector *conn = &backend->kms.connectors[i];
		struct pb_bridge_output *old = output_of_connector(backend, i);
		if (old) {
			wlr_log(WLR_INFO, "%s: %s", conn->name,
			        conn->connected ? "the display changed" : "unplugged");
			wlr_output_destroy(&old->base);
		}
		if (!conn->connected) {
			continue;
		}
		int crtc = free_crtc(backend, i);
		struct pb_bridge_output *output =
		        crtc >= 0 ? pb_bridge_output_create(backend, i, (size_t)crtc) : NULL;
		if (!output) {
			wlr_log(WLR_ERROR, "%s: plugged in, but no CRTC or buffers are left for it",
			        conn->name);
			continue;
		}
		wlr_log(WLR_INFO, "%s: plugged in", conn->name);
		wl_signal_emit(&backend->base.events.new_output, &output->base);
	}
}

/* Formats the compositor may render in: 32-bit, like the XRGB8888 scanout. */
static void fill_formats(struct pb_bridge_backend *backend, enum pb_copy_path path)
{
	/*
	 * CPU path: frames are rows copied verbatim, so XRGB8888 (or ARGB8888,
	 * the same layout) in memory. On the render device the blit or the
	 * read-back reads any layout, so frames keep the device's own tiling
	 * (implicit modifier), but cursor images are read by the CPU and must be
	 * linear.
	 */
	bool gpu = pb_copy_path_on_render_device(path);
	const uint64_t frame_mods[] = {DRM_FORMAT_MOD_INVALID, DRM_FORMAT_MOD_LINEAR};
	for (size_t i = 0; i < (gpu ? 1 : 2); i++) {
		wlr_drm_format_set_add(
		        &backend->primary_formats, DRM_FORMAT_XRGB8888, frame_mods[i]);
		wlr_drm_format_set_add(
		        &backend->primary_formats, DRM_FORMAT_ARGB8888, frame_mods[i]);
	}
	wlr_drm_format_set_add(
	        &backend->cursor_formats, DRM_FORMAT_ARGB8888, DRM_FORMAT_MOD_LINEAR);
	if (!gpu) {
		wlr_drm_format_set_add(
		        &backend->cursor_formats, DRM_FORMAT_ARGB8888, DRM_FORMAT_MOD_INVALID);
	}
}

struct wlr_backend *pb_bridge_backend_create(
        struct wl_display *display, const struct pb_bridge_options *options)
{
	struct pb_bridge_backend *backend = calloc(1, sizeof(*backend));
	if (!backend) {
		wlr_log_errno(WLR_ERROR, "Allocation failed");
		return NULL;
	}
	backend->kms = *options->kms;
	struct wl_event_loop *loop = wl_display_get_event_loop(display);
	backend->drm_source = wl_event_loop_add_fd(
	        loop, options->display_fd, WL_EVENT_READABLE, handle_drm_event, backend);
	if (!backend->drm_source) {
		wlr_log(WLR_ERROR, "Cannot watch the display device for page-flip events");
		free(backend);
		return NULL;
	}
	const struct pb_virtgpu_caps none = {0};
	const struct pb_virtgpu_caps *caps = options->caps ? options->caps : &none;
	backend->blob = caps->blob;
	backend->whole_frames = caps->whole_frame_updates;
	if (caps->whole_frame_updates) {
		wlr_log(WLR_INFO,
		        "This kernel's virtio-gpu sends the host whole frames, whatever the "
		        "damage (a bug from 6.8); install primebridge's fixed module "
		        "(modules/virtio-gpu-damage-fix/install) for damage-limited transfers");
	}
	backend->options = *options;
	backend->options.kms = NULL; /* copied above; the caller's may go */
	backend->options.caps = NULL;
	snprintf(backend->copy_reason, sizeof(backend->copy_reason), "%s",
	        options->copy_reason ? options->copy_reason : "");
	backend->options.copy_reason = backend->copy_reason;
	backend->display = display;
	wl_list_init(&backend->outputs);
	wl_list_init(&backend->renderer_destroy.link);
	fill_formats(backend, options->copy_path);
	wlr_backend_init(&backend->base, &backend_impl);
	backend->display_destroy.notify = handle_display_destroy;
	wl_display_add_destroy_listener(display, &backend->display_destroy);
	backend->session_active.notify = handle_session_active;
	if (options->session) {
		wl_signal_add(&options->session->events.active, &backend->session_active);
	} else {
		wl_list_init(&backend->session_active.link);
	}
	backend->device_change.notify = handle_device_change;
	if (options->display_device) {
		wl_signal_add(&options->display_device->events.change, &backend->device_change);
	} else {
		wl_list_init(&backend->device_change.link);
	}
	return &backend->base;
}

void pb_bridge_backend_set_direct_copy(struct wlr_backend *backend, bool allowed)
{
	pb_bridge_backend_from(backend)->options.direct_copy = allowed;
}

/* The outputs' textures are the renderer's: they go back while it can still take them. */
static void handle_renderer_destroy(struct wl_listener *listener, void *data)
{
	struct pb_bridge_backend *backend = wl_container_of(listener, backend, renderer_destroy);
	struct pb_bridge_output *output;
	wl_list_for_each(output, &backend->outputs, link)
	{
		pb_gpu_sources_release(&output->gpu_sources);
	}
	wl_list_remove(&backend->renderer_destroy.link);
	wl_list_init(&backend->renderer_destroy.link);
	backend->renderer = NULL;
}

void pb_bridge_backend_lose_render_device(
        struct wlr_backend *wlr_backend, struct wlr_renderer *pixman, const char *why)
{
	struct pb_bridge_backend *backend = pb_bridge_backend_from(wlr_backend);
	struct pb_bridge_output *output;
	wl_list_for_each(output, &backend->outputs, link)
	{
		pb_bridge_output_leave_render_device(output);
	}
	backend->options.copy_path = PB_COPY_CPU;
	backend->options.render_fd = -1;
	backend->gpu = (struct pb_gpu_copier){0};
	snprintf(backend->copy_reason, sizeof(backend->copy_reason), "%s", why);
	/* The CPU copies rows verbatim: new swapchains must be linear XRGB8888 or ARGB8888. */
	wlr_drm_format_set_finish(&backend->primary_formats);
	wlr_drm_format_set_finish(&backend->cursor_formats);
	fill_formats(backend, PB_COPY_CPU);
	pb_bridge_backend_set_renderer(wlr_backend, pixman, NULL);
}

void pb_bridge_backend_set_renderer(
        struct wlr_backend *backend, struct wlr_renderer *renderer, const struct pb_gpu_copier *gpu)
{
	struct pb_bridge_backend *b = pb_bridge_backend_from(backend);
	b->renderer = renderer;
	wl_list_remove(&b->renderer_destroy.link);
	b->renderer_destroy.notify = handle_renderer_destroy;
	wl_signal_add(&renderer->events.destroy, &b->renderer_destroy);
	if (gpu) {
		b->gpu = *gpu;
	}
}
