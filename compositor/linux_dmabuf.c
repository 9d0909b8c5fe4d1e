#include "linux_dmabuf.h"

#include <sys/stat.h>
#include <wlr/render/wlr_texture.h>
#include <wlr/types/wlr_linux_dmabuf_v1.h>
#include <wlr/util/log.h>

#define LINUX_DMABUF_VERSION 4

static bool renderer_imports(struct wlr_dmabuf_attributes *attribs, void *data)
{
	struct wlr_texture *texture = wlr_texture_from_dmabuf(data, attribs);
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
	if (ok) {
		tranche->target_device = st.st_rdev;
		dmabuf = wlr_linux_dmabuf_v1_create(display, LINUX_DMABUF_VERSION, &feedback);
	}
	wlr_linux_dmabuf_feedback_v1_finish(&feedback);
	if (!dmabuf) {
		wlr_log(WLR_ERROR, "Cannot offer linux-dmabuf for %s", render_node);
		return false;
	}
	wlr_linux_dmabuf_v1_set_check_dmabuf_callback(dmabuf, renderer_imports, renderer);
	return true;
}
