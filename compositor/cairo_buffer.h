#ifndef PB_CAIRO_BUFFER_H
#define PB_CAIRO_BUFFER_H

#include <cairo.h>
#include <wayland-server-core.h>
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
 * The first text cairo draws waits for fontconfig to read its configuration
 * and caches (half a second in the test guest): loaded once in a thread,
 * with ready(data) called from loop when done, so that no frame waits for
 * it. Until then text is better left out than drawn. NULL: the thread could
 * not start (logged); the first text then loads the fonts itself.
 */
struct pb_cairo_fonts;
struct pb_cairo_fonts *pb_cairo_fonts_load(
        struct wl_event_loop *loop, void (*ready)(void *data), void *data);
/* Whether text may be drawn without waiting (true for NULL). */
bool pb_cairo_fonts_ready(const struct pb_cairo_fonts *fonts);
/* Waits for the thread if it still runs. Accepts NULL. */
void pb_cairo_fonts_destroy(struct pb_cairo_fonts *fonts);

/*
 * Frees the font caches cairo and fontconfig keep for the process, once no
 * cairo buffer exists any more (at exit), so leak checkers see a clean exit.
 */
void pb_cairo_release_fonts(void);

#endif
