/*
 * Output states applied the way wlroots 0.18 wants mode-sets done: buffers of
 * the new sizes from a swapchain manager for the backend's test of all the
 * outputs at once, then frames of the scene rendered into them and one
 * backend commit. The bridge backend has no test or commit of its own for
 * several outputs: wlroots tests and commits them one after the other.
 *
 * The bridge is asked directly, not the multi backend around it (every
 * output is the bridge's): wlroots 0.18's multi backend commits the states
 * of such a backend again for each state after the first, and then applies
 * them all a second time (fixed in 0.19).
 */
#include "output_commit.h"

#include <wlr/types/wlr_output_layout.h>
#include <wlr/types/wlr_output_swapchain_manager.h>
#include <wlr/types/wlr_scene.h>
#include <wlr/util/box.h>
#include <wlr/util/log.h>

#include "output.h"
#include "server.h"

/* Whether the state turns the output on or changes its mode: it must carry a frame. */
static bool needs_frame(const struct wlr_output *output, const struct wlr_output_state *state)
{
	bool enabled =
	        state->committed & WLR_OUTPUT_STATE_ENABLED ? state->enabled : output->enabled;
	if (!enabled) {
		return false;
	}
	return !output->enabled ||
	       (state->committed & WLR_OUTPUT_STATE_MODE && state->mode != output->current_mode);
}

/*
 * Where the output will be in the layout: where asked, where it is, or (new
 * in the layout) right of the rightmost output, as wlroots places it.
 */
static void planned_position(struct pb_server *server, struct pb_output *output,
        const struct pb_output_place *place, int *x, int *y)
{
	struct wlr_box box;
	wlr_output_layout_get_box(server->layout, output->wlr_output, &box);
	if (place->how == PB_PLACE_AT) {
		*x = place->x;
		*y = place->y;
		return;
	}
	if (!wlr_box_empty(&box)) {
		*x = box.x;
		*y = box.y;
		return;
	}
	*x = 0;
	*y = 0;
	bool found = false;
	struct pb_output *other;
	wl_list_for_each(other, &server->outputs, link)
	{
		wlr_output_layout_get_box(server->layout, other->wlr_output, &box);
		if (other != output && !wlr_box_empty(&box) && (!found || box.x + box.width > *x)) {
			*x = box.x + box.width;
			*y = box.y;
			found = true;
		}
	}
}

/*
 * Renders the scene into a buffer of the output's new swapchain. The
 * output's buffers in the backend hold nothing of the new state yet: the
 * whole frame is damage.
 */
static bool draw_first_frame(struct pb_server *server, struct pb_output *output,
        const struct pb_output_place *place, struct wlr_output_state *state,
        struct wlr_output_swapchain_manager *swapchains)
{
	int x, y;
	planned_position(server, output, place, &x, &y);
	wlr_scene_output_set_position(output->scene_output, x, y);
	struct wlr_scene_output_state_options options = {
	        .swapchain =
	                wlr_output_swapchain_manager_get_swapchain(swapchains, output->wlr_output),
	};
	if (!wlr_scene_output_build_state(output->scene_output, state, &options)) {
		wlr_log(WLR_ERROR, "%s: cannot draw the first frame of its new state",
		        output->wlr_output->name);
		return false;
	}
	pixman_region32_t whole;
	pixman_region32_init_rect(&whole, 0, 0, state->buffer->width, state->buffer->height);
	wlr_output_state_set_damage(state, &whole);
	pixman_region32_fini(&whole);
	return true;
}

/* Puts the output where its new state says, now that it is in force. */
static void move_in_layout(
        struct pb_server *server, struct wlr_output *output, const struct pb_output_place *place)
{
	if (place->how == PB_PLACE_KEEP) {
		return;
	}
	if (!output->enabled) {
		wlr_output_layout_remove(server->layout, output);
	} else if (place->how == PB_PLACE_AT) {
		wlr_output_layout_add(server->layout, output, place->x, place->y);
	} else {
		/* Also how a position given before (wlr-randr, the old file) is dropped. */
		wlr_output_layout_add_auto(server->layout, output);
	}
}

static bool commit(struct pb_server *server, struct wlr_backend_output_state *states,
        const struct pb_output_place *places, size_t count,
        struct wlr_output_swapchain_manager *swapchains)
{
	bool ok = true;
	for (size_t i = 0; i < count && ok; i++) {
		struct pb_output *output = pb_output_from_wlr(server, states[i].output);
		if (output && needs_frame(states[i].output, &states[i].base)) {
			ok = draw_first_frame(
			        server, output, &places[i], &states[i].base, swapchains);
		}
	}
	if (ok && !wlr_backend_commit(server->devices.bridge, states, count)) {
		wlr_log(WLR_ERROR, "The output configuration passed the test but failed to apply");
		ok = false;
	}
	if (!ok) {
		/* Views of the scene moved ahead of the layout go back. */
		struct pb_output *output;
		wl_list_for_each(output, &server->outputs, link)
		{
			pb_output_follow_layout(output);
		}
		return false;
	}
	wlr_output_swapchain_manager_apply(swapchains);
	for (size_t i = 0; i < count; i++) {
		move_in_layout(server, states[i].output, &places[i]);
	}
	return true;
}

enum pb_output_commit_result pb_output_commit(struct pb_server *server,
        struct wlr_backend_output_state *states, const struct pb_output_place *places, size_t count,
        bool test_only)
{
	if (count == 0) {
		return PB_OUTPUT_COMMITTED;
	}
	struct wlr_output_swapchain_manager swapchains;
	wlr_output_swapchain_manager_init(&swapchains, server->devices.bridge);
	enum pb_output_commit_result result = PB_OUTPUT_REFUSED;
	if (wlr_output_swapchain_manager_prepare(&swapchains, states, count)) {
		result = test_only || commit(server, states, places, count, &swapchains)
		                 ? PB_OUTPUT_COMMITTED
		                 : PB_OUTPUT_FAILED;
	}
	wlr_output_swapchain_manager_finish(&swapchains);
	return result;
}
