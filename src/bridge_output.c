#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wlr/types/wlr_buffer.h>
#include <wlr/util/log.h>

#include "bridge_internal.h"

/* ------------------------------------------------------------ wlr_output_impl */

static const drmModeModeInfo *pending_mode(const struct wlr_output_state *state)
{
	if (state->mode_type != WLR_OUTPUT_STATE_MODE_FIXED || !state->mode) {
		return NULL;
	}
	struct pb_bridge_mode *mode = wl_container_of(state->mode, mode, base);
	return &mode->info;
}

static bool output_test(struct wlr_output *wlr_output, const struct wlr_output_state *state)
{
	struct pb_bridge_output *output = pb_bridge_output_from(wlr_output);
	if (state->committed & WLR_OUTPUT_STATE_MODE && !pending_mode(state)) {
		wlr_log(WLR_ERROR, "%s: only the connector's own modes can be set",
		        wlr_output->name);
		return false;
	}
	if (state->committed & WLR_OUTPUT_STATE_GAMMA_LUT) {
		wlr_log(WLR_DEBUG, "%s: gamma tables are not supported", wlr_output->name);
		return false;
	}
	/* A client's buffer the bridge cannot copy directly: the scene composes it instead. */
	if (state->committed & WLR_OUTPUT_STATE_BUFFER && wlr_client_buffer_get(state->buffer) &&
	        !pb_bridge_direct_source(output, state->buffer)) {
		return false;
	}
	return true;
}

static bool disable(struct pb_bridge_output *output)
{
	pb_bridge_finish_pending_flip(output);
	pb_bridge_stop_waiting_for_fence(output);
	if (output->lit &&
	        !pb_kms_disable(&output->backend->kms, output->crtc, output->connector)) {
		wlr_log_errno(WLR_ERROR, "%s: turning the output off failed", output->base.name);
	}
	pb_bridge_release_slots(output);
	wl_event_source_timer_update(output->frame_timer, 0);
	return true;
}

static bool output_commit(struct wlr_output *wlr_output, const struct wlr_output_state *state)
{
	struct pb_bridge_output *output = pb_bridge_output_from(wlr_output);
	if (!output_test(wlr_output, state)) {
		return false;
	}
	if (state->committed & WLR_OUTPUT_STATE_ENABLED && !state->enabled) {
		return disable(output);
	}
	const drmModeModeInfo *mode =
	        state->committed & WLR_OUTPUT_STATE_MODE ? pending_mode(state) : NULL;
	/* Turned back on (output power, wlr-randr --on): the buffers of the last mode again. */
	bool relight = !mode && state->committed & WLR_OUTPUT_STATE_ENABLED &&
	               output->slot_count == 0 && output->mode.hdisplay > 0;
	if (relight) {
		mode = &output->mode;
	}
	if (mode && (output->slot_count == 0 || memcmp(mode, &output->mode, sizeof(*mode)) != 0)) {
		if (output->queued >= 0) {
			wlr_log(WLR_ERROR, "%s: cannot change the mode while a frame is queued",
			        wlr_output->name);
			return false;
		}
		/* Two sets of buffers may not fit: free the old first, restore it on failure. */
		drmModeModeInfo previous = output->mode;
		bool had_buffers = output->slot_count > 0;
		pb_bridge_release_slots(output);
		if (!pb_bridge_alloc_slots(output, mode)) {
			if (had_buffers && !pb_bridge_alloc_slots(output, &previous)) {
				wlr_log(WLR_ERROR, "%s: cannot restore the previous mode's buffers",
				        wlr_output->name);
			}
			return false;
		}
	}
	if (!(state->committed & WLR_OUTPUT_STATE_BUFFER)) {
		/*
		 * wlroots holds back frame events after every commit of an enabled
		 * output, buffer or not: the timer sends the next one.
		 */
		if (output->slot_count > 0) {
			pb_bridge_schedule_frame_event(output);
		}
		return true;
	}
	if (output->slot_count == 0) {
		wlr_log(WLR_ERROR, "%s: a frame was committed before a mode", wlr_output->name);
		return false;
	}
	const pixman_region32_t *damage =
	        state->committed & WLR_OUTPUT_STATE_DAMAGE ? &state->damage : NULL;
	return pb_bridge_present_frame(output, state->buffer, damage);
}

static const struct wlr_drm_format_set *output_get_primary_formats(
        struct wlr_output *wlr_output, uint32_t buffer_caps)
{
	return &pb_bridge_output_from(wlr_output)->backend->primary_formats;
}

static void output_destroy(struct wlr_output *wlr_output)
{
	struct pb_bridge_output *output = pb_bridge_output_from(wlr_output);
	const struct pb_bridge_output_stats *s = &output->stats;
	wlr_log(WLR_INFO,
	        "%s: %" PRIu64 " frames presented, %" PRIu64 " page flips, %" PRIu64
	        " px damaged, %" PRIu64 " px copied (%" PRIu64 " by the CPU; %" PRIu64
	        " frames straight from a client's buffer), %" PRIu64 " px sent to the host",
	        output->backend->kms.connectors[output->connector].name, s->frames, s->flips,
	        s->damaged_px, s->copied_px, s->cpu_copied_px, s->direct, s->sent_px);
	pb_bridge_present_finish(output);
	if (output->has_cursor) {
		pb_kms_cursor_finish(&output->cursor);
	}
	pb_bridge_release_slots(output);
	pb_damage_ring_finish(&output->ring);
	pixman_region32_fini(&output->frame_damage);
	pixman_region32_fini(&output->copy_region);
	wl_list_remove(&output->link);
	free(output->modes);
	free(output);
}

static const struct wlr_output_impl output_impl = {
        .set_cursor = pb_bridge_output_set_cursor,
        .move_cursor = pb_bridge_output_move_cursor,
        .destroy = output_destroy,
        .test = output_test,
        .commit = output_commit,
        .get_cursor_formats = pb_bridge_output_get_cursor_formats,
        .get_cursor_sizes = pb_bridge_output_get_cursor_sizes,
        .get_primary_formats = output_get_primary_formats,
};

void pb_bridge_output_report(struct wlr_output *wlr_output, struct pb_bridge_output_report *report)
{
	struct pb_bridge_output *output = pb_bridge_output_from(wlr_output);
	/* Compared with memcmp to detect changes: padding must be zero too. */
	memset(report, 0, sizeof(*report));
	*report = (struct pb_bridge_output_report){
	        .stats = output->stats,
	        .copy_ns_median = pb_stats_window_percentile(&output->copy_ns, 50),
	        .copy_ns_p99 = pb_stats_window_percentile(&output->copy_ns, 99),
	        .update_ns_median = pb_stats_window_percentile(&output->update_ns, 50),
	        .update_ns_p99 = pb_stats_window_percentile(&output->update_ns, 99),
	        .copy_path = output->copy_path,
	        .host_update = output->update,
	        .buffer_count = output->slot_count,
	};
	if (output->copy_path == output->backend->options.copy_path) {
		snprintf(report->copy_reason, sizeof(report->copy_reason), "%s",
		        output->backend->copy_reason);
	} else {
		snprintf(report->copy_reason, sizeof(report->copy_reason),
		        "set for diagnosis: frames rendered on the render device are read back");
	}
	snprintf(report->update_reason, sizeof(report->update_reason), "%s", output->update_reason);
	if (output->slot_count > 0) {
		report->layout = output->slots[0].linear.layout;
		report->kind = output->slots[0].linear.kind;
	}
}

void pb_bridge_output_reset_stats(struct wlr_output *wlr_output)
{
	struct pb_bridge_output *output = pb_bridge_output_from(wlr_output);
	output->stats = (struct pb_bridge_output_stats){0};
	pb_stats_window_reset(&output->copy_ns);
	pb_stats_window_reset(&output->update_ns);
}

bool pb_bridge_output_set_host_update(
        struct wlr_output *wlr_output, enum pb_host_update_preference mode, char *msg, size_t len)
{
	struct pb_bridge_output *output = pb_bridge_output_from(wlr_output);
	enum pb_host_update_preference previous = output->update_pref;
	output->update_pref = mode;
	if (output->slot_count == 0) {
		snprintf(msg, len, "%s is off; it will use this when it is on", wlr_output->name);
		return true;
	}
	if (output->queued >= 0) {
		/* A frame is on its way: the buffers change before the next one. */
		output->realloc_previous = previous;
		output->realloc_pending = true;
		snprintf(msg, len, "%s changes its host update from the next frame",
		        wlr_output->name);
		return true;
	}
	if (!pb_bridge_reallocate(output, previous)) {
		snprintf(msg, len, "%s: cannot allocate the buffers (see the log); unchanged",
		        wlr_output->name);
		return false;
	}
	wlr_output_schedule_frame(&output->base);
	snprintf(msg, len, "%s now updates the host by %s", wlr_output->name,
	        pb_host_update_name(output->update));
	return true;
}

bool pb_bridge_output_set_copy_path(
        struct wlr_output *wlr_output, enum pb_copy_path path, char *msg, size_t len)
{
	struct pb_bridge_output *output = pb_bridge_output_from(wlr_output);
	const struct pb_bridge_backend *backend = output->backend;
	enum pb_copy_path started = backend->options.copy_path;
	/* The renderer is chosen at start-up: only the copy after it can change. */
	if (path == PB_COPY_GPU && started != PB_COPY_GPU) {
		snprintf(msg, len,
		        "the GPU path needs a render device that writes the linear buffers, found "
		        "at "
		        "start-up; primebridge started on the %s path (%s)",
		        pb_copy_path_name(started), backend->copy_reason);
		return false;
	}
	if (pb_copy_path_on_render_device(path) != pb_copy_path_on_render_device(started)) {
		snprintf(msg, len,
		        "primebridge started on the %s path (%s); %s needs a restart with "
		        "[render] copy = %s",
		        pb_copy_path_name(started), backend->copy_reason,
		        path == PB_COPY_CPU ? "composing with pixman"
		                            : "composing on the render device",
		        pb_copy_path_name(path));
		return false;
	}
	output->copy_path = path;
	snprintf(msg, len, "%s now copies frames on the %s path", wlr_output->name,
	        pb_copy_path_name(path));
	return true;
}

/* No frame in the slots can be trusted any more: the next one is copied whole into each. */
static void forget_written_frames(struct pb_bridge_output *output)
{
	pb_bridge_drop_fenced_frame(output);
	for (size_t i = 0; i < output->slot_count; i++) {
		output->slots[i].written_seq = 0;
	}
	wlr_output_schedule_frame(&output->base);
}

void pb_bridge_output_resume(struct pb_bridge_output *output)
{
	output->lit = false;
	if (output->has_cursor) {
		pb_kms_cursor_restore(&output->cursor);
	}
	forget_written_frames(output);
}

void pb_bridge_output_leave_render_device(struct pb_bridge_output *output)
{
	if (pb_bridge_gpu_path(output)) {
		for (size_t i = 0; i < output->slot_count; i++) {
			pb_gpu_target_finish(&output->slots[i].target);
		}
	}
	pb_gpu_sources_release(&output->gpu_sources);
	output->copy_path = PB_COPY_CPU;
	/* A frame queued behind the lost device's fence may never be written. */
	forget_written_frames(output);
}

/* ------------------------------------------------------------ creation */

static bool read_modes(struct pb_bridge_output *output, uint32_t connector_id)
{
	int fd = output->backend->options.display_fd;
	drmModeConnector *conn = drmModeGetConnector(fd, connector_id);
	if (!conn) {
		return false;
	}
	output->modes = calloc((size_t)conn->count_modes, sizeof(*output->modes));
	if (conn->count_modes > 0 && !output->modes) {
		drmModeFreeConnector(conn);
		return false;
	}
	output->base.phys_width = (int32_t)conn->mmWidth;
	output->base.phys_height = (int32_t)conn->mmHeight;
	for (int i = 0; i < conn->count_modes; i++) {
		struct pb_bridge_mode *mode = &output->modes[output->mode_count++];
		const drmModeModeInfo *info = &conn->modes[i];
		mode->info = *info;
		mode->base.width = info->hdisplay;
		mode->base.height = info->vdisplay;
		mode->base.refresh = (int32_t)(((int64_t)info->clock * 1000000 / info->htotal +
		                                       info->vtotal / 2) /
		                               info->vtotal);
		mode->base.preferred = info->type & DRM_MODE_TYPE_PREFERRED;
		wl_list_insert(output->base.modes.prev, &mode->base.link);
	}
	drmModeFreeConnector(conn);
	return output->mode_count > 0;
}

struct pb_bridge_output *pb_bridge_output_create(
        struct pb_bridge_backend *backend, size_t connector, size_t crtc)
{
	const struct pb_kms_connector *conn = &backend->kms.connectors[connector];
	struct pb_bridge_output *output = calloc(1, sizeof(*output));
	if (!output) {
		wlr_log_errno(WLR_ERROR, "Allocation failed");
		return NULL;
	}
	output->backend = backend;
	output->connector = connector;
	output->crtc = crtc;
	output->front = -1;
	output->queued = -1;
	output->fence_fd = -1;
	output->fence_epoll = -1;
	output->present_fd = -1;
	output->update_pref = backend->options.host_update;
	output->copy_path = backend->options.copy_path;
	pb_gpu_sources_init(&output->gpu_sources);
	pb_stats_window_reset(&output->copy_ns);
	pb_stats_window_reset(&output->update_ns);
	struct wl_event_loop *loop = wl_display_get_event_loop(backend->display);
	struct wlr_output_state initial;
	wlr_output_state_init(&initial);
	wlr_output_init(&output->base, &backend->base, &output_impl, loop, &initial);
	wlr_output_state_finish(&initial);
	wl_list_init(&output->link);
	pb_damage_ring_init(&output->ring, 0, 0);
	pixman_region32_init(&output->frame_damage);
	pixman_region32_init(&output->copy_region);
	if (!pb_bridge_present_init(output, loop) || !read_modes(output, conn->id)) {
		wlr_log(WLR_ERROR, "%s: cannot read the connector's modes", conn->name);
		wlr_output_destroy(&output->base);
		return NULL;
	}
	wlr_output_set_name(&output->base, conn->name);
	char description[64];
	snprintf(description, sizeof(description), "primebridge output %s", conn->name);
	wlr_output_set_description(&output->base, description);
	output->base.make = strdup("primebridge");
	output->base.model = strdup("virtio-gpu");

	int cursor_plane = backend->kms.crtcs[crtc].cursor;
	if (cursor_plane >= 0 && backend->kms.cursor_width > 0) {
		const struct pb_kms_plane *plane =
		        backend->kms.atomic ? &backend->kms.planes[cursor_plane] : NULL;
		output->has_cursor = pb_kms_cursor_init(&output->cursor,
		        backend->options.display_fd, backend->kms.crtcs[crtc].id, plane,
		        (uint32_t)backend->kms.cursor_width, (uint32_t)backend->kms.cursor_height);
		output->cursor_size = (struct wlr_output_cursor_size){
		        .width = backend->kms.cursor_width,
		        .height = backend->kms.cursor_height,
		};
	}
	if (!output->has_cursor) {
		wlr_log(WLR_INFO, "%s: no cursor plane, the pointer is drawn into frames",
		        conn->name);
	}
	wl_list_insert(&backend->outputs, &output->link);
	return output;
}
