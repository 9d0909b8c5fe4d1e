#ifndef PB_DECORATION_H
#define PB_DECORATION_H

#include <stdbool.h>
#include <wlr/types/wlr_scene.h>
#include <wlr/util/box.h>

/*
 * The title bar primebridge draws for windows that draw no frame of their
 * own (X11 windows without Motif hints, xdg-decoration's server-side mode):
 * a band as wide as the window, right above it, with the title and a close
 * button, drawn with cairo into a scene buffer in the window's tree.
 */
#define PB_TITLE_BAR_HEIGHT 26

enum pb_decoration_part {
	PB_DECORATION_NONE,
	PB_DECORATION_TITLE, /* dragging moves the window */
	PB_DECORATION_CLOSE, /* a click closes it */
};

struct pb_decoration;

/* A bar in parent (the window's tree), drawn by the first update. NULL: logged. */
struct pb_decoration *pb_decoration_create(struct wlr_scene_tree *parent);
/* Accepts NULL. */
void pb_decoration_destroy(struct pb_decoration *decoration);

/*
 * Puts the bar above geometry (the window's visible part, in parent's
 * coordinates) and draws it again if the width, the title (NULL: none) or
 * the activation changed since the last time: nothing is allocated or drawn
 * otherwise.
 */
void pb_decoration_update(struct pb_decoration *decoration, const struct wlr_box *geometry,
        const char *title, bool active);

/* What lies at x, y in the bar's own coordinates (wlr_scene_node_at's sx, sy). */
enum pb_decoration_part pb_decoration_part_at(
        const struct pb_decoration *decoration, double x, double y);

#endif
