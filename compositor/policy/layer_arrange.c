#include "layer_arrange.h"

#include <limits.h>

#define ANCHOR_ALL                                                                                 \
	(PB_LAYER_ANCHOR_TOP | PB_LAYER_ANCHOR_BOTTOM | PB_LAYER_ANCHOR_LEFT |                     \
	        PB_LAYER_ANCHOR_RIGHT)
#define ANCHOR_HORIZ (PB_LAYER_ANCHOR_LEFT | PB_LAYER_ANCHOR_RIGHT)
#define ANCHOR_VERT  (PB_LAYER_ANCHOR_TOP | PB_LAYER_ANCHOR_BOTTOM)

/* Clients send 32-bit sizes and margins: sums of them may not fit an int. */
static int clamp_int(int64_t v)
{
	return v < INT_MIN ? INT_MIN : v > INT_MAX ? INT_MAX : (int)v;
}

enum pb_layer_problem pb_layer_check(const struct pb_layer_request *request)
{
	if (request->width == 0 && (request->anchor & ANCHOR_HORIZ) != ANCHOR_HORIZ) {
		return PB_LAYER_BAD_WIDTH;
	}
	if (request->height == 0 && (request->anchor & ANCHOR_VERT) != ANCHOR_VERT) {
		return PB_LAYER_BAD_HEIGHT;
	}
	return PB_LAYER_OK;
}

/*
 * One axis of the bounds [start, start + length): lo and hi say whether the
 * surface is anchored to its low and high edge. Margins count only on
 * anchored edges; anchored to both, a fixed size is centred between them.
 */
static void place_axis(int start, int length, bool lo, bool hi, uint32_t want, int32_t margin_lo,
        int32_t margin_hi, int *pos, int *size)
{
	int64_t p, s = want;
	if (lo && hi) {
		int64_t inner_start = (int64_t)start + margin_lo;
		int64_t inner = (int64_t)length - margin_lo - margin_hi;
		if (want == 0) {
			p = inner_start;
			s = inner < 1 ? 1 : inner;
		} else {
			p = inner_start + (inner - s) / 2;
		}
	} else if (lo) {
		p = (int64_t)start + margin_lo;
	} else if (hi) {
		p = (int64_t)start + length - margin_hi - s;
	} else {
		p = (int64_t)start + (length - s) / 2;
	}
	*pos = clamp_int(p);
	*size = clamp_int(s);
}

static struct pb_layer_box place(struct pb_layer_box bounds, const struct pb_layer_request *r)
{
	struct pb_layer_box box;
	place_axis(bounds.x, bounds.width, r->anchor & PB_LAYER_ANCHOR_LEFT,
	        r->anchor & PB_LAYER_ANCHOR_RIGHT, r->width, r->margin_left, r->margin_right,
	        &box.x, &box.width);
	place_axis(bounds.y, bounds.height, r->anchor & PB_LAYER_ANCHOR_TOP,
	        r->anchor & PB_LAYER_ANCHOR_BOTTOM, r->height, r->margin_top, r->margin_bottom,
	        &box.y, &box.height);
	return box;
}

/*
 * The edge a positive zone is reserved from: the protocol honours it only
 * for one edge alone or one edge with both perpendicular ones (a bar).
 */
static uint32_t zone_edge(uint32_t anchor)
{
	switch (anchor & ANCHOR_ALL) {
	case PB_LAYER_ANCHOR_TOP:
	case PB_LAYER_ANCHOR_TOP | ANCHOR_HORIZ:
		return PB_LAYER_ANCHOR_TOP;
	case PB_LAYER_ANCHOR_BOTTOM:
	case PB_LAYER_ANCHOR_BOTTOM | ANCHOR_HORIZ:
		return PB_LAYER_ANCHOR_BOTTOM;
	case PB_LAYER_ANCHOR_LEFT:
	case PB_LAYER_ANCHOR_LEFT | ANCHOR_VERT:
		return PB_LAYER_ANCHOR_LEFT;
	case PB_LAYER_ANCHOR_RIGHT:
	case PB_LAYER_ANCHOR_RIGHT | ANCHOR_VERT:
		return PB_LAYER_ANCHOR_RIGHT;
	default:
		return 0;
	}
}

/* The protocol: "the exclusive zone includes the margin" of the anchored edge. */
static int64_t zone_size(const struct pb_layer_request *r, uint32_t edge)
{
	int32_t margin = edge == PB_LAYER_ANCHOR_TOP      ? r->margin_top
	                 : edge == PB_LAYER_ANCHOR_BOTTOM ? r->margin_bottom
	                 : edge == PB_LAYER_ANCHOR_LEFT   ? r->margin_left
	                                                  : r->margin_right;
	return (int64_t)r->exclusive_zone + margin;
}

/* Panels asking for more than there is leave an empty area, not a negative one. */
static void take_zone(struct pb_layer_box *area, uint32_t edge, int64_t amount)
{
	if (amount <= 0) {
		return;
	}
	bool vertical = edge == PB_LAYER_ANCHOR_TOP || edge == PB_LAYER_ANCHOR_BOTTOM;
	int room = vertical ? area->height : area->width;
	int take = amount > room ? room : (int)amount;
	switch (edge) {
	case PB_LAYER_ANCHOR_TOP:
		area->y += take;
		area->height -= take;
		break;
	case PB_LAYER_ANCHOR_BOTTOM:
		area->height -= take;
		break;
	case PB_LAYER_ANCHOR_LEFT:
		area->x += take;
		area->width -= take;
		break;
	default:
		area->width -= take;
		break;
	}
}

struct pb_layer_box pb_layer_arrange(struct pb_layer_box output,
        const struct pb_layer_request *requests, size_t count,
        struct pb_layer_placement *placements)
{
	output.width = output.width < 0 ? 0 : output.width;
	output.height = output.height < 0 ? 0 : output.height;
	struct pb_layer_box usable = output;
	for (size_t i = 0; i < count; i++) {
		placements[i] =
		        (struct pb_layer_placement){.problem = pb_layer_check(&requests[i])};
	}
	/* Zones first, so that surfaces avoiding them know where they end. */
	for (size_t i = 0; i < count; i++) {
		const struct pb_layer_request *r = &requests[i];
		uint32_t edge = zone_edge(r->anchor);
		if (placements[i].problem != PB_LAYER_OK || r->exclusive_zone <= 0 || !edge) {
			continue;
		}
		placements[i].box = place(usable, r);
		placements[i].reserves = zone_size(r, edge) > 0;
		take_zone(&usable, edge, zone_size(r, edge));
	}
	for (size_t i = 0; i < count; i++) {
		const struct pb_layer_request *r = &requests[i];
		if (placements[i].problem != PB_LAYER_OK ||
		        (r->exclusive_zone > 0 && zone_edge(r->anchor))) {
			continue;
		}
		/* Only -1 is defined for "over the zones"; other negatives are read the same. */
		placements[i].box = place(r->exclusive_zone < 0 ? output : usable, r);
	}
	return usable;
}
