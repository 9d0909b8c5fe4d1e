#include "decoration.h"

#include <stdlib.h>
#include <string.h>
#include <wlr/util/log.h>

#include "cairo_buffer.h"

#define ACTIVE_BACKGROUND   0x28 / 255.0, 0x4b / 255.0, 0x7a / 255.0
#define INACTIVE_BACKGROUND 0x3c / 255.0, 0x3c / 255.0, 0x3c / 255.0
#define ACTIVE_TEXT         1.0, 1.0, 1.0
#define INACTIVE_TEXT       0.7, 0.7, 0.7
#define TEXT_SIZE           14.0
#define PADDING             8.0
/* The close button is a square as high as the bar at its right end; the cross is inset. */
#define CROSS_INSET 8.0
/* Titles longer than this are cut before measuring: no bar shows more. */
#define MAX_TITLE_BYTES 512

struct pb_decoration {
	struct wlr_scene_buffer *node;
	struct pb_cairo_buffer *buffer; /* ours: the node holds a lock of its own */
	/* What the buffer shows: drawn again only when one of these changes. */
	char *title;
	bool active;
};

struct pb_decoration *pb_decoration_create(struct wlr_scene_tree *parent)
{
	struct pb_decoration *decoration = calloc(1, sizeof(*decoration));
	if (!decoration) {
		wlr_log(WLR_ERROR, "Cannot draw a title bar: out of memory");
		return NULL;
	}
	decoration->node = wlr_scene_buffer_create(parent, NULL);
	if (!decoration->node) {
		wlr_log(WLR_ERROR, "Cannot draw a title bar: out of memory");
		free(decoration);
		return NULL;
	}
	/* Below the window's popups, which may overlap it. */
	wlr_scene_node_lower_to_bottom(&decoration->node->node);
	return decoration;
}

void pb_decoration_destroy(struct pb_decoration *decoration)
{
	if (!decoration) {
		return;
	}
	wlr_scene_node_destroy(&decoration->node->node);
	if (decoration->buffer) {
		wlr_buffer_drop(&decoration->buffer->base);
	}
	free(decoration->title);
	free(decoration);
}

/* The length of the first len bytes of text cut back to whole UTF-8 characters. */
static size_t utf8_cut(const char *text, size_t len)
{
	while (len > 0 && ((unsigned char)text[len] & 0xc0) == 0x80) {
		len--;
	}
	return len;
}

/* The title, cut at the end with an ellipsis until it fits in width. */
static void show_title(cairo_t *cr, const char *title, double width)
{
	char shown[MAX_TITLE_BYTES + sizeof("…")];
	size_t len = strlen(title);
	len = utf8_cut(title, len < MAX_TITLE_BYTES ? len : MAX_TITLE_BYTES);
	memcpy(shown, title, len);
	shown[len] = '\0';
	cairo_text_extents_t extents;
	cairo_text_extents(cr, shown, &extents);
	while (len > 0 && extents.x_advance > width) {
		len = utf8_cut(title, len - 1);
		memcpy(shown + len, "…", sizeof("…"));
		cairo_text_extents(cr, shown, &extents);
	}
	cairo_show_text(cr, shown);
}

static void draw(struct pb_decoration *decoration)
{
	cairo_surface_t *surface = decoration->buffer->surface;
	double width = cairo_image_surface_get_width(surface);
	double height = PB_TITLE_BAR_HEIGHT;
	bool active = decoration->active;
	cairo_t *cr = cairo_create(surface);
	if (active) {
		cairo_set_source_rgb(cr, ACTIVE_BACKGROUND);
	} else {
		cairo_set_source_rgb(cr, INACTIVE_BACKGROUND);
	}
	cairo_paint(cr);
	if (active) {
		cairo_set_source_rgb(cr, ACTIVE_TEXT);
	} else {
		cairo_set_source_rgb(cr, INACTIVE_TEXT);
	}
	/* The close button: a cross in the square at the right end. */
	double left = width - height;
	cairo_set_line_width(cr, 2.0);
	cairo_move_to(cr, left + CROSS_INSET, CROSS_INSET);
	cairo_line_to(cr, width - CROSS_INSET, height - CROSS_INSET);
	cairo_move_to(cr, width - CROSS_INSET, CROSS_INSET);
	cairo_line_to(cr, left + CROSS_INSET, height - CROSS_INSET);
	cairo_stroke(cr);
	if (decoration->title && left - 2 * PADDING > 0) {
		cairo_select_font_face(
		        cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
		cairo_set_font_size(cr, TEXT_SIZE);
		cairo_font_extents_t font;
		cairo_font_extents(cr, &font);
		/* Centred vertically on the font's ascent and descent, left-aligned. */
		cairo_move_to(cr, PADDING, (height + font.ascent - font.descent) / 2);
		show_title(cr, decoration->title, left - 2 * PADDING);
	}
	cairo_destroy(cr);
}

static bool same_title(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

void pb_decoration_update(struct pb_decoration *decoration, const struct wlr_box *geometry,
        const char *title, bool active)
{
	wlr_scene_node_set_position(
	        &decoration->node->node, geometry->x, geometry->y - PB_TITLE_BAR_HEIGHT);
	int width = geometry->width > PB_TITLE_BAR_HEIGHT ? geometry->width : PB_TITLE_BAR_HEIGHT;
	struct pb_cairo_buffer *buffer = decoration->buffer;
	bool resized = !buffer || buffer->base.width != width;
	if (!resized && active == decoration->active && same_title(title, decoration->title)) {
		return;
	}
	if (!same_title(title, decoration->title)) {
		char *copy = title ? strdup(title) : NULL;
		if (title && !copy) {
			wlr_log(WLR_ERROR, "Cannot show a window's new title: out of memory");
			return;
		}
		free(decoration->title);
		decoration->title = copy;
	}
	decoration->active = active;
	if (resized) {
		/* A new size is a new buffer; the old one goes once the node lets it go. */
		buffer = pb_cairo_buffer_create(width, PB_TITLE_BAR_HEIGHT, "a title bar");
		if (!buffer) {
			return;
		}
		if (decoration->buffer) {
			wlr_buffer_drop(&decoration->buffer->base);
		}
		decoration->buffer = buffer;
	}
	draw(decoration);
	/* Set again even when the same: the scene uploads the pixels anew. */
	wlr_scene_buffer_set_buffer(decoration->node, &buffer->base);
}

enum pb_decoration_part pb_decoration_part_at(
        const struct pb_decoration *decoration, double x, double y)
{
	if (!decoration || !decoration->buffer || y < 0 || y >= PB_TITLE_BAR_HEIGHT || x < 0) {
		return PB_DECORATION_NONE;
	}
	int width = decoration->buffer->base.width;
	if (x >= width) {
		return PB_DECORATION_NONE;
	}
	return x >= width - PB_TITLE_BAR_HEIGHT ? PB_DECORATION_CLOSE : PB_DECORATION_TITLE;
}
