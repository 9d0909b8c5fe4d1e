#include "output.h"

#include <stdlib.h>
#include <time.h>
#include <wlr/util/log.h>

#include "server.h"

/*
 * The scene commits a frame only when something changed on the output, with
 * the damage it tracks; a full-screen client alone on the output is offered
 * to the bridge as the frame itself (direct scan-out), which the bridge
 * copies without composition when its test accepts the client's buffer.
 */
static void handle_frame(struct wl_listener *listener, void *data)
{
	struct pb_output *output = wl_container_of(listener, output, frame);
	uint32_t seq = output->wlr_output->commit_seq;
	if (!wlr_scene_output_commit(output->scene_output, NULL)) {
		wlr_log(WLR_ERROR, "%s: the frame could not be committed",
		        output->wlr_output->name);
	} else if (output->wlr_output->commit_seq == seq) {
		output->frames_idle++;
	}
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	wlr_scene_output_send_frame_done(output->scene_output, &now);
}

/*
 * Stops drawing on the output: no listener or scene output of ours is left on
 * it, and it is no longer among the outputs. The caller frees it.
 */
static void output_finish(struct pb_output *output)
{
	pb_disconnect_all(&output->listeners);
	wl_list_remove(&output->link);
	wlr_scene_output_destroy(output->scene_output);
}

/*
 * The scene output goes before the layout (an addon too) hears of the
 * removal and windows move: damage must not reach this output any more.
 */
static void handle_destroy(struct wl_listener *listener, void *data)
{
	struct pb_output *output = wl_container_of(listener, output, destroy);
	output_finish(output);
	wl_signal_emit_mutable(&output->server->events.output_removed, output);
	free(output);
}

void pb_output_finish_all(struct pb_server *server)
{
	struct pb_output *output, *tmp;
	wl_list_for_each_safe(output, tmp, &server->outputs, link)
	{
		output_finish(output);
		free(output);
	}
}

struct pb_output *pb_output_from_wlr(struct pb_server *server, struct wlr_output *wlr_output)
{
	struct pb_output *output;
	wl_list_for_each(output, &server->outputs, link)
	{
		if (wlr_output && output->wlr_output == wlr_output) {
			return output;
		}
	}
	return NULL;
}

struct pb_output *pb_output_first_in_layout(struct pb_server *server)
{
	struct pb_output *output;
	wl_list_for_each(output, &server->outputs, link)
	{
		if (wlr_output_layout_get(server->layout, output->wlr_output)) {
			return output;
		}
	}
	return NULL;
}

void pb_output_follow_layout(struct pb_output *output)
{
	struct wlr_box placed;
	wlr_output_layout_get_box(output->server->layout, output->wlr_output, &placed);
	if (!wlr_box_empty(&placed)) {
		wlr_scene_output_set_position(output->scene_output, placed.x, placed.y);
	}
}

struct pb_output *pb_output_create(struct pb_server *server, struct wlr_output *wlr_output)
{
	if (!wlr_output_init_render(wlr_output, server->allocator, server->renderer)) {
		wlr_log(WLR_ERROR, "%s: cannot render to this output", wlr_output->name);
		return NULL;
	}
	struct wlr_scene_output *scene_output = wlr_scene_output_create(server->scene, wlr_output);
	struct pb_output *output = scene_output ? calloc(1, sizeof(*output)) : NULL;
	if (!output) {
		wlr_log_errno(
		        WLR_ERROR, "%s: cannot show the desktop on this output", wlr_output->name);
		if (scene_output) {
			wlr_scene_output_destroy(scene_output);
		}
		return NULL;
	}
	output->scene_output = scene_output;
	output->server = server;
	output->wlr_output = wlr_output;
	pb_listen(&output->listeners, &wlr_output->events.frame, &output->frame, handle_frame);
	pb_listen(
	        &output->listeners, &wlr_output->events.destroy, &output->destroy, handle_destroy);
	wl_list_insert(server->outputs.prev, &output->link);
	return output;
}
