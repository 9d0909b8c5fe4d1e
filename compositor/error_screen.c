#include "error_screen.h"

#include <cairo.h>
#include <drm_fourcc.h>
#include <stdlib.h>
#include <wlr/interfaces/wlr_buffer.h>
#include <wlr/util/log.h>

/* Dark red, so that it is told apart from a black (dead) screen at a glance. */
#define BACKGROUND 0x59 / 255.0, 0x0c / 255.0, 0x0c / 255.0
#define TEXT_SIZE  24.0

struct pb_error_screen {
	struct wlr_buffer base;
	cairo_surface_t *surface;
	struct wlr_scene_buffer *node;
};

static struct pb_error_screen *screen_from(struct wlr_buffer *buffer)
{
	struct pb_error_screen *screen = wl_container_of(buffer, screen, base);
	return screen;
}

static void buffer_destroy(struct wlr_buffer *buffer)
{
	struct pb_error_screen *screen = screen_from(buffer);
	cairo_surface_destroy(screen->surface);
	free(screen);
}

static bool buffer_begin_data_ptr_access(
        struct wlr_buffer *buffer, uint32_t flags, void **data, uint32_t *format, size_t *stride)
{
	cairo_surface_t *surface = screen_from(buffer)->surface;
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

static void draw(cairo_surface_t *surface, int width, const char *const *lines, size_t count)
{
	cairo_t *cr = cairo_create(surface);
	cairo_set_source_rgb(cr, BACKGROUND);
	cairo_paint(cr);
	cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, TEXT_SIZE);
	cairo_set_source_rgb(cr, 1, 1, 1);
	double y = 2 * TEXT_SIZE;
	for (size_t i = 0; i < count; i++) {
		cairo_move_to(cr, TEXT_SIZE, y);
		cairo_show_text(cr, lines[i]);
		y += TEXT_SIZE * 1.6;
	}
	(void)width;
	cairo_destroy(cr);
	cairo_surface_flush(surface);
}

struct pb_error_screen *pb_error_screen_create(struct wlr_scene_tree *parent, int width, int height,
        const char *const *lines, size_t line_count)
{
	struct pb_error_screen *screen = calloc(1, sizeof(*screen));
	if (!screen) {
		return NULL;
	}
	screen->surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
	if (cairo_surface_status(screen->surface) != CAIRO_STATUS_SUCCESS) {
		wlr_log(WLR_ERROR, "Cannot draw the error screen: %s",
		        cairo_status_to_string(cairo_surface_status(screen->surface)));
		cairo_surface_destroy(screen->surface);
		free(screen);
		return NULL;
	}
	draw(screen->surface, width, lines, line_count);
	wlr_buffer_init(&screen->base, &buffer_impl, width, height);
	screen->node = wlr_scene_buffer_create(parent, &screen->base);
	if (!screen->node) {
		wlr_buffer_drop(&screen->base);
		return NULL;
	}
	wlr_scene_node_raise_to_top(&screen->node->node);
	return screen;
}

void pb_error_screen_destroy(struct pb_error_screen *screen)
{
	if (!screen) {
		return;
	}
	/* The node holds a lock on the buffer; dropping ours frees it with the node. */
	wlr_scene_node_destroy(&screen->node->node);
	wlr_buffer_drop(&screen->base);
}

void pb_error_screen_release_fonts(void)
{
	cairo_debug_reset_static_data();
}
