#include "output.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <wlr/util/log.h>

#include "control.h"
#include "server.h"

static void handle_frame(struct wl_listener *listener, void *data)
{
	struct pb_output *output = wl_container_of(listener, output, frame);
	/* The scene renders and commits only when something on this output changed. */
	uint32_t seq = output->wlr_output->commit_seq;
	if (!wlr_scene_output_commit(output->scene_output)) {
		wlr_log(WLR_ERROR, "%s: the frame could not be committed",
		        output->wlr_output->name);
	} else if (output->wlr_output->commit_seq == seq) {
		output->frames_idle++;
	}
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	wlr_scene_output_send_frame_done(output->scene_output, &now);
}

/* Keeps the background under the whole layout when an output changes size. */
static void handle_mode(struct wl_listener *listener, void *data)
{
	struct pb_output *output = wl_container_of(listener, output, mode);
	struct wlr_box box = *wlr_output_layout_get_box(output->server->layout, NULL);
	wlr_scene_rect_set_size(output->server->background, box.width, box.height);
	wlr_scene_node_set_position(&output->server->background->node, box.x, box.y);
}

static void handle_destroy(struct wl_listener *listener, void *data)
{
	struct pb_output *output = wl_container_of(listener, output, destroy);
	if (output->server->control) {
		pb_control_output_removed(output->server->control, output);
	}
	wl_list_remove(&output->frame.link);
	wl_list_remove(&output->mode.link);
	wl_list_remove(&output->destroy.link);
	wl_list_remove(&output->link);
	free(output);
}

struct wlr_output_mode *pb_output_configured_mode(
        struct wlr_output *wlr_output, const struct pb_config *cfg)
{
	struct wlr_output_mode *preferred = wlr_output_preferred_mode(wlr_output);
	if (cfg->mode_width == 0) {
		return preferred;
	}
	struct wlr_output_mode *mode;
	wl_list_for_each(mode, &wlr_output->modes, link)
	{
		bool size = mode->width == (int32_t)cfg->mode_width &&
		            mode->height == (int32_t)cfg->mode_height;
		bool rate = cfg->mode_refresh_mhz == 0 ||
		            abs(mode->refresh - (int32_t)cfg->mode_refresh_mhz) <= 500;
		if (size && rate) {
			return mode;
		}
	}
	char rate[16] = "";
	if (cfg->mode_refresh_mhz) {
		snprintf(rate, sizeof(rate), "@%u", cfg->mode_refresh_mhz / 1000);
	}
	char listed[512] = "";
	size_t used = 0;
	wl_list_for_each(mode, &wlr_output->modes, link)
	{
		int n = snprintf(listed + used, sizeof(listed) - used, "%s%dx%d@%d",
		        used ? " " : "", mode->width, mode->height, (mode->refresh + 500) / 1000);
		if (n < 0 || (size_t)n >= sizeof(listed) - used) {
			break;
		}
		used += (size_t)n;
	}
	wlr_log(WLR_ERROR,
	        "%s has no mode %ux%u%s as configured in [output] mode; using its preferred mode "
	        "%dx%d. It has: %s",
	        wlr_output->name, cfg->mode_width, cfg->mode_height, rate,
	        preferred ? preferred->width : 0, preferred ? preferred->height : 0, listed);
	return preferred;
}

void pb_output_handle_new(struct wl_listener *listener, void *data)
{
	struct pb_server *server = wl_container_of(listener, server, new_output);
	struct wlr_output *wlr_output = data;
	if (!wlr_output_init_render(wlr_output, server->allocator, server->renderer)) {
		wlr_log(WLR_ERROR, "%s: cannot render to this output", wlr_output->name);
		return;
	}
	struct wlr_output_mode *mode = pb_output_configured_mode(wlr_output, server->cfg);
	if (mode) {
		wlr_output_set_mode(wlr_output, mode);
	}
	wlr_output_enable(wlr_output, true);
	if (!wlr_output_commit(wlr_output)) {
		wlr_log(WLR_ERROR, "%s: cannot enable the output", wlr_output->name);
		return;
	}
	struct pb_output *output = calloc(1, sizeof(*output));
	if (!output) {
		wlr_log_errno(WLR_ERROR, "Allocation failed");
		return;
	}
	output->server = server;
	output->wlr_output = wlr_output;
	output->frame.notify = handle_frame;
	wl_signal_add(&wlr_output->events.frame, &output->frame);
	output->mode.notify = handle_mode;
	wl_signal_add(&wlr_output->events.mode, &output->mode);
	output->destroy.notify = handle_destroy;
	wl_signal_add(&wlr_output->events.destroy, &output->destroy);
	wl_list_insert(&server->outputs, &output->link);

	wlr_output_layout_add_auto(server->layout, wlr_output);
	output->scene_output = wlr_scene_output_create(server->scene, wlr_output);
	handle_mode(&output->mode, NULL);
	if (server->control) {
		pb_control_output_added(server->control, output);
	}
	wlr_log(WLR_INFO, "Output %s: %dx%d@%.3f Hz", wlr_output->name, wlr_output->width,
	        wlr_output->height, wlr_output->refresh / 1000.0);
}
