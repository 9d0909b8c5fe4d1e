#ifndef PB_LAYER_ARRANGE_H
#define PB_LAYER_ARRANGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Where wlr-layer-shell surfaces (panels, launchers, backgrounds, lock-like
 * overlays) go on an output, and what they leave to windows. Pure arithmetic:
 * the compositor turns wlroots' state into requests and the boxes back.
 */

/* The edges a surface is anchored to: the protocol's own values. */
enum pb_layer_anchor {
	PB_LAYER_ANCHOR_TOP = 1,
	PB_LAYER_ANCHOR_BOTTOM = 2,
	PB_LAYER_ANCHOR_LEFT = 4,
	PB_LAYER_ANCHOR_RIGHT = 8,
};

/* A rectangle in layout coordinates. */
struct pb_layer_box {
	int x, y, width, height;
};

/* What a surface committed. */
struct pb_layer_request {
	uint32_t anchor;        /* pb_layer_anchor bits; others are ignored */
	uint32_t width, height; /* 0: stretched between the two opposite anchors */
	int32_t margin_top, margin_right, margin_bottom, margin_left;
	/*
	 * > 0: reserved from the anchored edge (plus that edge's margin), when
	 * anchored to one edge or to one edge and both perpendicular ones;
	 * 0: placed clear of other surfaces' zones; < 0: over them.
	 */
	int32_t exclusive_zone;
};

enum pb_layer_problem {
	PB_LAYER_OK,
	PB_LAYER_BAD_WIDTH,  /* width 0 without both left and right anchors */
	PB_LAYER_BAD_HEIGHT, /* height 0 without both top and bottom anchors */
};

struct pb_layer_placement {
	/* Layout coordinates; empty when problem is not PB_LAYER_OK. */
	struct pb_layer_box box;
	enum pb_layer_problem problem; /* the client broke the protocol: post an error */
	bool reserves;                 /* its zone, margin included, took part of the area */
};

/*
 * Places count surfaces on an output: those reserving a zone first, each in
 * what earlier ones left, in the order given; then the rest, in order, in
 * the area all zones left (zone 0) or the whole output (zone < 0). A size
 * stretched to nothing by margins becomes 1 so the configure stays valid.
 * Returns the area left to windows (never negative in size).
 */
struct pb_layer_box pb_layer_arrange(struct pb_layer_box output,
        const struct pb_layer_request *requests, size_t count,
        struct pb_layer_placement *placements);

/* Whether a request breaks the size rule (checked by pb_layer_arrange too). */
enum pb_layer_problem pb_layer_check(const struct pb_layer_request *request);

#endif
