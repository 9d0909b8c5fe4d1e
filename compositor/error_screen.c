#include "error_screen.h"

#include <stdlib.h>

#include "cairo_buffer.h"

/* Dark red, so that it is told apart from a black (dead) screen at a glance. */
#define BACKGROUND 0x59 / 255.0, 0x0c / 255.0, 0x0c / 255.0
#define TEXT_SIZE  24.0

struct pb_error_screen {
	struct wlr_scene_buffer *node;
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
	struct pb_cairo_buffer *buffer = pb_cairo_buffer_create(width, height, "the error screen");
	if (!buffer) {
		free(screen);
		return NULL;
	}
	draw(buffer->surface, width, lines, line_count);
	screen->node = wlr_scene_buffer_create(parent, &buffer->base);
	/* The node holds its own lock on the buffer: ours goes now. */
	wlr_buffer_drop(&buffer->base);
	if (!screen->node) {
		free(screen);
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
	/* The buffer goes with the node's lock on it. */
	wlr_scene_node_destroy(&screen->node->node);
	free(screen);
}
