#include "linux_dmabuf.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <wlr/render/wlr_texture.h>
#include <wlr/types/wlr_linux_dmabuf_v1.h>
#include <wlr/util/log.h>

#include "listeners.h"

#define LINUX_DMABUF_VERSION 4

/*
 * The renderer a client's dma-buf must import into. It can go before the
 * global does (the render device lost mid-session): from then on no
 * dma-buf is taken, as pixman could not read it.
 */
struct import_check {
	struct wlr_renderer *renderer; /* NULL once destroyed */
	struct wl_listener renderer_destroy;
	struct wl_listener display_destroy;
	struct pb_listeners listeners;
};

static void stop_checking(struct import_check *check)
{
	pb_unlisten(&check->listeners, &check->renderer_destroy);
	check->renderer = NULL;
}

static void handle_renderer_destroy(struct wl_listener *listener, void *data)
{
	struct import_check *check = wl_container_of(listener, check, renderer_destroy);
	stop_checking(check);
}

static void handle_display_destroy(struct wl_listener *listener, void *data)
{
	struct import_check *check = wl_container_of(listener, check, display_destroy);
	stop_checking(check);
	pb_disconnect_all(&check->listeners);
	free(check);
}

static bool renderer_imports(struct wlr_dmabuf_attributes *attribs, void *data)
{
	struct import_check *check = data;
	if (!check->renderer) {
		return false;
	}
	struct wlr_texture *texture = wlr_texture_from_dmabuf(check->renderer, attribs);
	if (!texture) {
		return false;
	}
	wlr_texture_destroy(texture);
	return true;
}

bool pb_linux_dmabuf_create(
        struct wl_display *display, struct wlr_renderer *renderer, const char *render_node)
{
	struct stat st;
	if (stat(render_node, &st) != 0 || !S_ISCHR(st.st_mode)) {
		wlr_log_errno(
		        WLR_ERROR, "Cannot offer linux-dmabuf: %s is not a device", render_node);
		return false;
	}
	const struct wlr_drm_format_set *formats =
	        wlr_renderer_get_texture_formats(renderer, WLR_BUFFER_CAP_DMABUF);
	if (!formats || formats->len == 0) {
		wlr_log(WLR_ERROR,
		        "Cannot offer linux-dmabuf: the renderer imports no dma-buf format");
		return false;
	}
	struct wlr_linux_dmabuf_feedback_v1 feedback = {.main_device = st.st_rdev};
	wl_array_init(&feedback.tranches);
	struct wlr_linux_dmabuf_feedback_v1_tranche *tranche =
	        wlr_linux_dmabuf_feedback_add_tranche(&feedback);
	const struct wlr_drm_format_set none = {0};
	bool ok = tranche && wlr_drm_format_set_union(&tranche->formats, formats, &none);
	struct wlr_linux_dmabuf_v1 *dmabuf = NULL;
	struct import_check *check = ok ? calloc(1, sizeof(*check)) : NULL;
	if (check) {
		tranche->target_device = st.st_rdev;
		dmabuf = wlr_linux_dmabuf_v1_create(display, LINUX_DMABUF_VERSION, &feedback);
	}
	wlr_linux_dmabuf_feedback_v1_finish(&feedback);
	if (!dmabuf) {
		wlr_log(WLR_ERROR, "Cannot offer linux-dmabuf for %s", render_node);
		free(check);
		return false;
	}
	check->renderer = renderer;
	pb_listen(&check->listeners, &renderer->events.destroy, &check->renderer_destroy,
	        handle_renderer_destroy);
	check->display_destroy.notify = handle_display_destroy;
	wl_display_add_destroy_listener(display, &check->display_destroy);
	pb_listen_recorded(&check->listeners, &check->display_destroy);
	wlr_linux_dmabuf_v1_set_check_dmabuf_callback(dmabuf, renderer_imports, check);
	return true;
}
