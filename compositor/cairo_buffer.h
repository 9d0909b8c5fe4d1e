#ifndef PB_CAIRO_BUFFER_H
#define PB_CAIRO_BUFFER_H

#include <cairo.h>
#include <wlr/types/wlr_buffer.h>

/*
 * A wlr_buffer whose pixels are a cairo image surface (ARGB32): what the
 * compositor draws itself (the kiosk's error screen, title bars) and hands
 * to the scene as a buffer node.
 */
struct pb_cairo_buffer {
	struct wlr_buffer base;
	cairo_surface_t *surface;
};

/*
 * A width x height buffer, all transparent. NULL with one line logged that
 * names what was to be drawn. Freed by wlr_buffer_drop once every lock (a
 * scene node's) is gone.
 */
struct pb_cairo_buffer *pb_cairo_buffer_create(int width, int height, const char *what);

/*
 * Frees the font caches cairo and fontconfig keep for the process, once no
 * cairo buffer exists any more (at exit), so leak checkers see a clean exit.
 */
void pb_cairo_release_fonts(void);

#endif
