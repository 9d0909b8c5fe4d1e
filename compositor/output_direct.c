/*
 * The direct path: when one client's opaque surface covers an output and
 * nothing is drawn above it, its buffer is committed as the output's frame,
 * with no composition pass; the bridge copies the damaged part of it straight
 * into the output's linear buffer.
 *
 * wlroots 0.15's scene has a direct scan-out of its own, but it requires the
 * surface to be the only node touching the output: every window behind a
 * full-screen one defeats it. Only what lies above the surface matters when
 * the surface is opaque.
 */
#include "output_direct.h"

#include <wlr/types/wlr_presentation_time.h>
#include <wlr/util/box.h>

#include "server.h"

/* The node's box in layout coordinates; false for nodes that draw nothing. */
static bool leaf_box(struct wlr_scene_node *node, int x, int y, struct wlr_box *box)
{
	*box = (struct wlr_box){.x = x, .y = y};
	switch (node->type) {
	case WLR_SCENE_NODE_SURFACE:
		box->width = wlr_scene_surface_from_node(node)->surface->current.width;
		box->height = wlr_scene_surface_from_node(node)->surface->current.height;
		return true;
	case WLR_SCENE_NODE_RECT:;
		struct wlr_scene_rect *rect = wl_container_of(node, rect, node);
		box->width = rect->width;
		box->height = rect->height;
		return true;
	case WLR_SCENE_NODE_BUFFER:;
		struct wlr_scene_buffer *buffer = wl_container_of(node, buffer, node);
		if (buffer->dst_width > 0 && buffer->dst_height > 0) {
			box->width = buffer->dst_width;
			box->height = buffer->dst_height;
		} else if (buffer->buffer) {
			bool turned = buffer->transform & WL_OUTPUT_TRANSFORM_90;
			box->width = turned ? buffer->buffer->height : buffer->buffer->width;
			box->height = turned ? buffer->buffer->width : buffer->buffer->height;
		}
		return true;
	default:
		return false;
	}
}

/* Finds the topmost enabled node drawing on the box, bottom to top as the scene draws. */
static void find_top(struct wlr_scene_node *node, int x, int y, const struct wlr_box *output,
        struct wlr_scene_node **top, int *top_x, int *top_y)
{
	if (!node->state.enabled) {
		return;
	}
	x += node->state.x;
	y += node->state.y;
	struct wlr_box box, overlap;
	if (leaf_box(node, x, y, &box) && wlr_box_intersection(&overlap, &box, output)) {
		*top = node;
		*top_x = x;
		*top_y = y;
	}
	struct wlr_scene_node *child;
	wl_list_for_each(child, &node->state.children, state.link)
	{
		find_top(child, x, y, output, top, top_x, top_y);
	}
}

struct wlr_scene_surface *pb_direct_surface(struct pb_output *output)
{
	struct wlr_output *wlr_output = output->wlr_output;
	struct wlr_box *placed = wlr_output_layout_get_box(output->server->layout, wlr_output);
	if (!placed || wlr_output->transform != WL_OUTPUT_TRANSFORM_NORMAL) {
		return NULL;
	}
	struct wlr_box box = *placed;
	struct wlr_scene_node *top = NULL;
	int x = 0, y = 0;
	find_top(&output->server->scene->node, 0, 0, &box, &top, &x, &y);
	if (!top || top->type != WLR_SCENE_NODE_SURFACE) {
		return NULL;
	}
	struct wlr_scene_surface *scene_surface = wlr_scene_surface_from_node(top);
	struct wlr_surface *surface = scene_surface->surface;
	struct wlr_surface_state *state = &surface->current;
	if (x != box.x || y != box.y || state->width != box.width || state->height != box.height ||
	        !surface->buffer || state->viewport.has_src ||
	        state->transform != WL_OUTPUT_TRANSFORM_NORMAL) {
		return NULL;
	}
	/* What lies beneath must not show through: composed, it would. */
	if (pixman_region32_contains_rectangle(&surface->opaque_region,
	            &(pixman_box32_t){0, 0, state->width, state->height}) != PIXMAN_REGION_IN) {
		return NULL;
	}
	return scene_surface;
}

bool pb_direct_commit(struct pb_output *output, struct wlr_scene_surface *scene_surface)
{
	struct wlr_output *wlr_output = output->wlr_output;
	struct wlr_surface *surface = scene_surface->surface;
	wlr_output_attach_buffer(wlr_output, &surface->buffer->base);
	/* The bridge refuses buffers it cannot copy (GPU path, not shm, direct copy off). */
	if (!wlr_output_test(wlr_output)) {
		wlr_output_rollback(wlr_output);
		return false;
	}
	/* Outputs may overlap: feedback comes from the one the surface is mostly on. */
	if (output->server->presentation && scene_surface->primary_output == wlr_output) {
		wlr_presentation_surface_sampled_on_output(
		        output->server->presentation, surface, wlr_output);
	}
	if (!wlr_output_commit(wlr_output)) {
		wlr_output_rollback(wlr_output);
		return false;
	}
	return true;
}
