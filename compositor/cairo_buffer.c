#include "cairo_buffer.h"

#include <drm_fourcc.h>
#include <stdlib.h>
#include <wlr/interfaces/wlr_buffer.h>
#include <wlr/util/log.h>

static struct pb_cairo_buffer *cairo_buffer_from(struct wlr_buffer *buffer)
{
	struct pb_cairo_buffer *cb = wl_container_of(buffer, cb, base);
	return cb;
}

static void buffer_destroy(struct wlr_buffer *buffer)
{
	struct pb_cairo_buffer *cb = cairo_buffer_from(buffer);
	cairo_surface_destroy(cb->surface);
	free(cb);
}

static bool buffer_begin_data_ptr_access(
        struct wlr_buffer *buffer, uint32_t flags, void **data, uint32_t *format, size_t *stride)
{
	cairo_surface_t *surface = cairo_buffer_from(buffer)->surface;
	/* The scene may read whatever was drawn last, so cairo must have written it out. */
	cairo_surface_flush(surface);
	*data = cairo_image_surface_get_data(surface);
	*format = DRM_FORMAT_ARGB8888;
	*stride = (size_t)cairo_image_surface_get_stride(surface);
	return true;
}

static void buffer_end_data_ptr_access(struct wlr_buffer *buffer)
{
}

static const struct wlr_buffer_impl buffer_impl = {
        .destroy = buffer_destroy,
        .begin_data_ptr_access = buffer_begin_data_ptr_access,
        .end_data_ptr_access = buffer_end_data_ptr_access,
};

struct pb_cairo_buffer *pb_cairo_buffer_create(int width, int height, const char *what)
{
	struct pb_cairo_buffer *cb = calloc(1, sizeof(*cb));
	if (!cb) {
		wlr_log(WLR_ERROR, "Cannot draw %s: out of memory", what);
		return NULL;
	}
	cb->surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
	if (cairo_surface_status(cb->surface) != CAIRO_STATUS_SUCCESS) {
		wlr_log(WLR_ERROR, "Cannot draw %s: %s", what,
		        cairo_status_to_string(cairo_surface_status(cb->surface)));
		cairo_surface_destroy(cb->surface);
		free(cb);
		return NULL;
	}
	wlr_buffer_init(&cb->base, &buffer_impl, width, height);
	return cb;
}

void pb_cairo_release_fonts(void)
{
	cairo_debug_reset_static_data();
}
