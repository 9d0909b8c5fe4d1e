#ifndef PB_GRAB_H
#define PB_GRAB_H

#include <stdbool.h>
#include <stdint.h>
#include <wayland-server-core.h>
#include <wlr/util/box.h>

#include "listeners.h"

struct pb_seat;
struct pb_view;

/* A window being moved or resized with the pointer. */
struct pb_grab {
	struct pb_view *view; /* NULL: no grab */
	bool resize;
	uint32_t edges;          /* WLR_EDGE_* that follow the pointer, when resizing */
	double x, y;             /* where the cursor was when it began */
	struct wlr_box geometry; /* the window's visible part in the layout, then */
	struct wl_listener view_unmap;
	struct pb_listeners listeners;
};

/*
 * Starts moving (or resizing by edges) a view with the pointer, where the
 * cursor is now; nothing when the window policy keeps the view where it is.
 * The grab ends by itself when the view unmaps.
 */
void pb_grab_begin(struct pb_seat *seat, struct pb_view *view, bool resize, uint32_t edges);
/*
 * A move or resize asked for by a client (its own title bar) or by Alt and
 * a drag: granted only while the pointer is on the window (wlroots checks
 * no serial).
 */
void pb_grab_request(struct pb_seat *seat, struct pb_view *view, bool resize, uint32_t edges);
/*
 * The pointer moved: the grabbed view follows it. False when there is no
 * grab, and the motion is the clients'.
 */
bool pb_grab_follow_pointer(struct pb_seat *seat);
/* The move or resize stops where it is. */
void pb_grab_end(struct pb_seat *seat);

#endif
