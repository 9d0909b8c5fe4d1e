#include <drm_fourcc.h>
#include <inttypes.h>
#include <linux/dma-buf.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <wlr/render/pixman.h>
#include <wlr/render/wlr_texture.h>
#include <wlr/types/wlr_buffer.h>
#include <wlr/util/log.h>

#include "bridge_internal.h"
#include "copy_cpu.h"
#include "frame_pacing.h"
#include "kms_modeset.h"

static const struct wlr_output_impl output_impl;

static struct pb_bridge_output *output_from(struct wlr_output *wlr_output)
{
	struct pb_bridge_output *output = wl_container_of(wlr_output, output, base);
	return output;
}

static bool gpu_path(const struct pb_bridge_output *output)
{
	return output->backend->options.copy_path == PB_COPY_GPU;
}

/* ------------------------------------------------------------ linear buffers */

static void release_slots(struct pb_bridge_output *output)
{
	for (size_t i = 0; i < output->slot_count; i++) {
		if (gpu_path(output)) {
			pb_gpu_target_finish(&output->slots[i].target);
		}
		pb_linear_buffer_finish(&output->slots[i].linear);
	}
	pb_gpu_sources_release(&output->gpu_sources);
	output->slot_count = 0;
	output->front = -1;
	output->queued = -1;
	output->lit = false;
}

/* Allocates the linear buffers for a mode: one updated in place, or a flip set. */
static bool alloc_slots(struct pb_bridge_output *output, const drmModeModeInfo *mode)
{
	struct pb_bridge_backend *backend = output->backend;
	struct pb_buffer_layout layout;
	if (!pb_linear_buffer_layout(
	            mode->hdisplay, mode->vdisplay, backend->options.stride_alignment, &layout)) {
		wlr_log(WLR_ERROR, "%s: the mode %ux%u is not a valid buffer size",
		        output->base.name, mode->hdisplay, mode->vdisplay);
		return false;
	}
	size_t count = 1;
	for (size_t i = 0; i < count; i++) {
		struct pb_slot *slot = &output->slots[i];
		char err[256];
		if (!pb_linear_buffer_create(&slot->linear, backend->options.display_fd, &layout,
		            backend->blob, err, sizeof(err))) {
			wlr_log(WLR_ERROR, "%s: cannot allocate a linear buffer: %s",
			        output->base.name, err);
			release_slots(output);
			return false;
		}
		if (i == 0) {
			output->update =
			        pb_choose_host_update(slot->linear.kind, output->update_pref,
			                output->update_reason, sizeof(output->update_reason));
			count = output->update == PB_HOST_FLIP ? PB_FLIP_BUFFERS : 1;
			wlr_log(WLR_INFO, "%s: %ux%u, stride %u, %s buffers, host update by %s: %s",
			        output->base.name, layout.width, layout.height, layout.stride,
			        pb_buffer_kind_name(slot->linear.kind),
			        pb_host_update_name(output->update), output->update_reason);
		}
		if (gpu_path(output)) {
			pb_gpu_target_init(&slot->target, &slot->linear);
		}
		slot->written_seq = 0;
		output->slot_count++;
	}
	output->mode = *mode;
	output->period_ns = pb_refresh_period_ns((int32_t)mode->vrefresh * 1000);
	pb_damage_ring_reset(&output->ring, mode->hdisplay, mode->vdisplay);
	return true;
}

/*
 * Buffers again for the current mode and update_pref; the next frame goes
 * whole. On failure the previous strategy's buffers are made again (false).
 */
static bool reallocate(struct pb_bridge_output *output, enum pb_host_update_preference previous)
{
	drmModeModeInfo mode = output->mode;
	release_slots(output);
	if (alloc_slots(output, &mode)) {
		return true;
	}
	output->update_pref = previous;
	if (!alloc_slots(output, &mode)) {
		wlr_log(WLR_ERROR, "%s: no buffers could be allocated again; the output stays dark",
		        output->base.name);
	}
	return false;
}

/* ------------------------------------------------------------ presentation */

static void send_pending_present(struct pb_bridge_output *output)
{
	if (!output->present_pending) {
		return;
	}
	output->present_pending = false;
	output->present.when = &output->present_when;
	wlr_output_send_present(&output->base, &output->present);
}

/*
 * Present events leave from the event loop, never from inside a commit:
 * wlroots advances commit_seq and queues the frame's presentation feedback
 * only after the backend's commit returns, so an event sent from within it
 * would match nothing. An eventfd made once carries it, so that no frame
 * allocates (an idle source would).
 */
static int handle_present(int fd, uint32_t mask, void *data)
{
	struct pb_bridge_output *output = data;
	uint64_t count;
	if (read(fd, &count, sizeof(count)) < 0) {
		wlr_log_errno(WLR_DEBUG, "%s: reading the present eventfd", output->base.name);
	}
	send_pending_present(output);
	return 0;
}

static int handle_frame_timer(void *data)
{
	struct pb_bridge_output *output = data;
	/* The compositor hears that the last frame was shown before it draws the next. */
	send_pending_present(output);
	wlr_output_send_frame(&output->base);
	return 0;
}

/* The next frame event, one refresh period after the last frame was due. */
static void schedule_frame_event(struct pb_bridge_output *output)
{
	int64_t now_ns = pb_monotonic_ns();
	output->frame_due_ns = pb_next_frame_ns(now_ns, output->frame_due_ns, output->period_ns);
	/* Never send the frame from inside a commit: always through the timer. */
	wl_event_source_timer_update(
	        output->frame_timer, pb_timer_delay_ms(now_ns, output->frame_due_ns));
}

/*
 * Tells the compositor whether the frame was shown, and lets it draw again
 * one refresh period after it was last asked to.
 */
static void frame_done(struct pb_bridge_output *output, const struct timespec *when, unsigned seq,
        bool presented, bool flipped)
{
	if (presented) {
		output->stats.frames++;
	}
	/* One frame is in flight at a time, so at most one event waits here. */
	send_pending_present(output);
	output->present_when = *when;
	output->present = (struct wlr_output_event_present){
	        .output = &output->base,
	        .commit_seq = output->present_seq,
	        .presented = presented,
	        .seq = seq,
	        .refresh = (int)output->period_ns,
	        .flags = flipped ? WLR_OUTPUT_PRESENT_HW_COMPLETION : 0,
	};
	output->present_pending = true;
	uint64_t one = 1;
	if (write(output->present_fd, &one, sizeof(one)) < 0) {
		wlr_log_errno(WLR_ERROR, "%s: cannot signal the present event", output->base.name);
	}
	schedule_frame_event(output);
}

/* frame_done for an update that completed (or failed) just now, without a flip. */
static void frame_done_now(struct pb_bridge_output *output, bool presented)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	frame_done(output, &now, 0, presented, false);
}

static void handle_flip_done(
        struct pb_kms_flip_waiter *waiter, const struct timespec *when, unsigned seq)
{
	struct pb_bridge_output *output = wl_container_of(waiter, output, flip_waiter);
	pb_stats_window_add(
	        &output->update_ns, (uint64_t)(pb_monotonic_ns() - output->update_start_ns));
	output->front = output->queued;
	output->queued = -1;
	output->stats.flips++;
	frame_done(output, when, seq, true, true);
}

static uint64_t whole_frame_px(const struct pb_bridge_output *output)
{
	return (uint64_t)output->mode.hdisplay * output->mode.vdisplay;
}

/* Sends the slot's copy region to the host, in place or by flipping to it. */
static bool show_slot(struct pb_bridge_output *output, int slot, int fence)
{
	struct pb_bridge_backend *backend = output->backend;
	struct pb_linear_buffer *linear = &output->slots[slot].linear;
	output->update_start_ns = pb_monotonic_ns();
	if (output->update == PB_HOST_FLIP) {
		output->queued = slot;
		if (pb_kms_flip(&backend->kms, output->crtc, linear->fb_id, output->clips,
		            output->clip_count, fence, &output->flip_waiter)) {
			/*
			 * A flip changes the plane's framebuffer, and virtio-gpu then
			 * sends the whole frame: from 6.4 because each dumb buffer has
			 * its own host copy (the damage clips still go, for kernels
			 * that may use them), and 6.1 takes no clips at all.
			 */
			output->stats.sent_px += whole_frame_px(output);
			output->stats.fenced_flips += fence >= 0;
			return true;
		}
		output->queued = -1;
		wlr_log_errno(WLR_ERROR, "%s: page flip failed", output->base.name);
		return false;
	}
	/* Where every update is a whole frame, one update is the cheapest. */
	bool separately = !backend->whole_frames && pb_damage_send_separately(output->clips,
	                                                    output->clip_count, output->clip_area);
	size_t updates = separately ? output->clip_count : 1;
	for (size_t i = 0; i < updates; i++) {
		if (!pb_kms_dirty(backend->options.display_fd, linear->fb_id, &output->clips[i],
		            separately ? 1 : output->clip_count)) {
			wlr_log_errno(WLR_ERROR, "%s: sending the damage to the host failed",
			        output->base.name);
			return false;
		}
	}
	if (backend->whole_frames) {
		output->stats.sent_px += whole_frame_px(output);
	} else {
		output->stats.sent_px +=
		        separately ? output->clip_area
		                   : pb_damage_merged_area(output->clips, output->clip_count);
	}
	pb_stats_window_add(
	        &output->update_ns, (uint64_t)(pb_monotonic_ns() - output->update_start_ns));
	output->front = slot;
	frame_done_now(output, true);
	return true;
}

/*
 * The kernel holds a pointer to this output until a queued flip completes:
 * wait for it (a bounded wait, only when the output goes away).
 */
static void finish_pending_flip(struct pb_bridge_output *output)
{
	int fd = output->backend->options.display_fd;
	while (output->update == PB_HOST_FLIP && output->queued >= 0 && !output->fence_source) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		if (poll(&pfd, 1, 1000) <= 0 || !pb_kms_dispatch(fd)) {
			wlr_log(WLR_ERROR, "%s: a page flip never completed", output->base.name);
			break;
		}
	}
}

static void stop_waiting_for_fence(struct pb_bridge_output *output)
{
	if (output->fence_source) {
		wl_event_source_remove(output->fence_source);
		output->fence_source = NULL;
	}
	if (output->fence_fd >= 0) {
		close(output->fence_fd);
		output->fence_fd = -1;
	}
}

static bool modeset(struct pb_bridge_output *output, int slot);

/*
 * Shows a written slot: lights the CRTC with it first if needed. On failure
 * the slot's host copy is in doubt, so it will be copied whole next time.
 */
static bool show_or_light(struct pb_bridge_output *output, int slot, int fence)
{
	bool ok = output->lit ? show_slot(output, slot, fence) : modeset(output, slot);
	if (!ok) {
		output->slots[slot].written_seq = 0;
		output->stats.fallbacks++;
	}
	return ok;
}

/* The render device finished the copy: only now may the host read the buffer. */
static int handle_fence(int fd, uint32_t mask, void *data)
{
	struct pb_bridge_output *output = data;
	stop_waiting_for_fence(output);
	output->stats.fences_awaited++;
	int slot = output->queued;
	output->queued = -1;
	if (!show_or_light(output, slot, -1)) {
		/* Keep the compositor drawing: the next frame tries again. */
		frame_done_now(output, false);
	}
	return 0;
}

/* A slot neither on screen nor queued, the one written longest ago. */
static int pick_slot(const struct pb_bridge_output *output)
{
	if (output->update == PB_HOST_IN_PLACE) {
		return 0;
	}
	int best = -1;
	for (size_t i = 0; i < output->slot_count; i++) {
		if ((int)i == output->front || (int)i == output->queued) {
			continue;
		}
		if (best < 0 || output->slots[i].written_seq < output->slots[best].written_seq) {
			best = (int)i;
		}
	}
	return best;
}

/*
 * The direct path: the scene commits a full-screen client's own buffer
 * instead of composing a frame, and its pixels are copied straight into the
 * linear buffer. Only buffers that wlroots' pixman renderer reads in place:
 * it keeps them from the client (unreleased) while the surface shows them,
 * so they cannot change under the copy; the GL renderer releases shm
 * buffers once uploaded. NULL when the buffer cannot be copied directly.
 */
static struct wlr_buffer *direct_source(
        const struct pb_bridge_output *output, struct wlr_buffer *buffer)
{
	struct wlr_client_buffer *client = wlr_client_buffer_get(buffer);
	if (!client || !output->backend->options.direct_copy || !client->source ||
	        !client->texture || !wlr_texture_is_pixman(client->texture)) {
		return NULL;
	}
	void *data = NULL;
	uint32_t format = 0;
	size_t stride = 0;
	if (!wlr_buffer_begin_data_ptr_access(
	            client->source, WLR_BUFFER_DATA_PTR_ACCESS_READ, &data, &format, &stride)) {
		return NULL;
	}
	wlr_buffer_end_data_ptr_access(client->source);
	/* Composed over black, premultiplied ARGB shows its RGB bytes unchanged. */
	return format == DRM_FORMAT_XRGB8888 || format == DRM_FORMAT_ARGB8888 ? client->source
	                                                                      : NULL;
}

static bool copy_cpu(
        struct pb_bridge_output *output, struct wlr_buffer *frame, struct pb_slot *slot)
{
	/* A client's buffer passed direct_source() in this commit's test. */
	struct wlr_client_buffer *client = wlr_client_buffer_get(frame);
	struct wlr_buffer *pixels = client ? client->source : frame;
	void *data = NULL;
	uint32_t format = 0;
	size_t stride = 0;
	if (!pixels || !wlr_buffer_begin_data_ptr_access(
	                       pixels, WLR_BUFFER_DATA_PTR_ACCESS_READ, &data, &format, &stride)) {
		wlr_log(WLR_ERROR, "%s: the frame cannot be read by the CPU", output->base.name);
		return false;
	}
	pb_copy_region_cpu(
	        slot->linear.map, slot->linear.layout.stride, data, stride, &output->copy_region);
	wlr_buffer_end_data_ptr_access(pixels);
	output->stats.cpu_copied_px += pb_region_area(&output->copy_region);
	return true;
}

/*
 * The CPU path on a GPU-rendered frame, for diagnosis: the render device's
 * renderer reads each rectangle back into the linear buffer's mapping.
 */
static bool copy_read_back(
        struct pb_bridge_output *output, struct wlr_buffer *frame, struct pb_slot *slot)
{
	struct wlr_texture *texture =
	        pb_gpu_source_texture(output->backend->renderer, &output->gpu_sources, frame);
	if (!texture) {
		return false;
	}
	bool ok = true;
	int n = 0;
	const pixman_box32_t *boxes = pixman_region32_rectangles(&output->copy_region, &n);
	for (int i = 0; i < n && ok; i++) {
		const pixman_box32_t *b = &boxes[i];
		ok = wlr_texture_read_pixels(
		        texture, &(struct wlr_texture_read_pixels_options){
		                         .data = slot->linear.map,
		                         .format = DRM_FORMAT_XRGB8888,
		                         .stride = slot->linear.layout.stride,
		                         .dst_x = (uint32_t)b->x1,
		                         .dst_y = (uint32_t)b->y1,
		                         .src_box = {b->x1, b->y1, b->x2 - b->x1, b->y2 - b->y1},
		                 });
	}
	if (ok) {
		output->stats.cpu_copied_px += pb_region_area(&output->copy_region);
	}
	return ok;
}

/* Lights the CRTC with the slot's framebuffer: the host receives the whole frame. */
static bool modeset(struct pb_bridge_output *output, int slot)
{
	struct pb_bridge_backend *backend = output->backend;
	struct pb_kms_output_state state = {
	        .connector = output->connector,
	        .crtc = output->crtc,
	        .fb_id = output->slots[slot].linear.fb_id,
	        .mode = output->mode,
	};
	char err[256];
	if (!pb_kms_modeset(&backend->kms, &state, 1, err, sizeof(err))) {
		wlr_log(WLR_ERROR, "%s: %s", output->base.name, err);
		return false;
	}
	output->lit = true;
	output->front = slot;
	output->stats.sent_px += whole_frame_px(output);
	frame_done_now(output, true);
	return true;
}

static bool present_frame(
        struct pb_bridge_output *output, struct wlr_buffer *frame, const pixman_region32_t *damage)
{
	struct wlr_output *wlr_output = &output->base;
	struct wlr_session *session = output->backend->options.session;
	if (session && !session->active) {
		/* Another VT has the display; the scene keeps the damage for our return. */
		return false;
	}
	if (output->queued >= 0) {
		wlr_log(WLR_ERROR, "%s: a frame was committed before the previous one was shown",
		        wlr_output->name);
		return false;
	}
	if (output->realloc_pending) {
		output->realloc_pending = false;
		if (!reallocate(output, output->realloc_previous) && output->slot_count == 0) {
			return false;
		}
	}
	if (frame->width != output->mode.hdisplay || frame->height != output->mode.vdisplay) {
		wlr_log(WLR_ERROR, "%s: frame of %dx%d does not match the mode %ux%u",
		        wlr_output->name, frame->width, frame->height, output->mode.hdisplay,
		        output->mode.vdisplay);
		return false;
	}
	/*
	 * A frame wlroots started on its own (after an idle spell) counts from
	 * now, so that the next one still waits a whole period.
	 */
	int64_t now = pb_monotonic_ns();
	if (now - output->frame_due_ns > output->period_ns) {
		output->frame_due_ns = now;
	}
	int index = pick_slot(output);
	struct pb_slot *slot = &output->slots[index];
	if (damage) {
		pixman_region32_copy(&output->frame_damage, (pixman_region32_t *)damage);
	} else {
		pixman_region32_fini(&output->frame_damage);
		pixman_region32_init_rect(
		        &output->frame_damage, 0, 0, output->mode.hdisplay, output->mode.vdisplay);
	}
	uint64_t seq = pb_damage_ring_push(&output->ring, &output->frame_damage);
	pb_damage_ring_copy_region(&output->ring, slot->written_seq, &output->copy_region);
	output->stats.damaged_px += pb_region_area(&output->ring.frames[seq % PB_DAMAGE_RING_LEN]);
	output->stats.copied_px += pb_region_area(&output->copy_region);

	if (gpu_path(output) && !output->backend->renderer) {
		return false; /* the renderer is gone: the compositor is shutting down */
	}
	int fence = -1;
	int64_t copy_start = pb_monotonic_ns();
	if (output->copy_path == PB_COPY_GPU) {
		fence = pb_copy_region_gpu(&output->backend->gpu, &output->gpu_sources, frame,
		        &slot->target, &output->copy_region);
		if (fence < 0) {
			wlr_log(WLR_ERROR, "%s: the render device could not copy the frame",
			        wlr_output->name);
			output->stats.fallbacks++;
			return false;
		}
	} else if (!(gpu_path(output) ? copy_read_back(output, frame, slot)
	                              : copy_cpu(output, frame, slot))) {
		output->stats.fallbacks++;
		return false;
	}
	/* On the GPU path this is the time to issue the blit; the fence covers the rest. */
	pb_stats_window_add(&output->copy_ns, (uint64_t)(pb_monotonic_ns() - copy_start));
	if (wlr_client_buffer_get(frame)) {
		output->stats.direct++;
	}
	slot->written_seq = seq;
	/* What this buffer's host copy lacks is exactly what was copied into it. */
	output->clip_count = pb_damage_clips(
	        &output->copy_region, output->clips, PB_MAX_DAMAGE_CLIPS, &output->clip_area);
	output->present_seq = wlr_output->commit_seq + 1;

	bool carried = output->lit && output->update == PB_HOST_FLIP && output->backend->kms.atomic;
	if (fence >= 0 && !carried) {
		/* Nothing carries the fence to the kernel: show the buffer once it signals. */
		output->fence_fd = fence;
		output->queued = index;
		output->fence_source =
		        wl_event_loop_add_fd(wl_display_get_event_loop(output->backend->display),
		                fence, WL_EVENT_READABLE, handle_fence, output);
		if (!output->fence_source) {
			stop_waiting_for_fence(output);
			output->queued = -1;
			return false;
		}
		return true;
	}
	bool ok = show_or_light(output, index, fence);
	if (fence >= 0) {
		close(fence);
	}
	return ok;
}

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
	struct pb_bridge_output *output = output_from(wlr_output);
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
	        !direct_source(output, state->buffer)) {
		return false;
	}
	return true;
}

static bool disable(struct pb_bridge_output *output)
{
	finish_pending_flip(output);
	stop_waiting_for_fence(output);
	if (output->lit &&
	        !pb_kms_disable(&output->backend->kms, output->crtc, output->connector)) {
		wlr_log_errno(WLR_ERROR, "%s: turning the output off failed", output->base.name);
	}
	release_slots(output);
	wl_event_source_timer_update(output->frame_timer, 0);
	return true;
}

static bool output_commit(struct wlr_output *wlr_output, const struct wlr_output_state *state)
{
	struct pb_bridge_output *output = output_from(wlr_output);
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
		release_slots(output);
		if (!alloc_slots(output, mode)) {
			if (had_buffers && !alloc_slots(output, &previous)) {
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
			schedule_frame_event(output);
		}
		return true;
	}
	if (output->slot_count == 0) {
		wlr_log(WLR_ERROR, "%s: a frame was committed before a mode", wlr_output->name);
		return false;
	}
	const pixman_region32_t *damage =
	        state->committed & WLR_OUTPUT_STATE_DAMAGE ? &state->damage : NULL;
	return present_frame(output, state->buffer, damage);
}

static bool output_set_cursor(
        struct wlr_output *wlr_output, struct wlr_buffer *buffer, int hotspot_x, int hotspot_y)
{
	struct pb_bridge_output *output = output_from(wlr_output);
	if (!output->has_cursor) {
		return false;
	}
	if (!buffer) {
		return pb_kms_cursor_set(&output->cursor, NULL, 0, 0, 0, 0, 0);
	}
	void *data = NULL;
	uint32_t format = 0;
	size_t stride = 0;
	bool ok = false;
	if (wlr_buffer_begin_data_ptr_access(
	            buffer, WLR_BUFFER_DATA_PTR_ACCESS_READ, &data, &format, &stride)) {
		ok = pb_kms_cursor_set(&output->cursor, data, (uint32_t)buffer->width,
		        (uint32_t)buffer->height, stride, hotspot_x, hotspot_y);
		if (!ok) {
			/* wlroots then draws the pointer into frames. */
			wlr_log_errno(WLR_DEBUG, "%s: the cursor plane refused the image",
			        wlr_output->name);
		}
		wlr_buffer_end_data_ptr_access(buffer);
		return ok;
	}
	/* On the GPU path the image is a linear dma-buf of the render device: map it. */
	struct wlr_dmabuf_attributes dmabuf;
	if (!wlr_buffer_get_dmabuf(buffer, &dmabuf) || dmabuf.n_planes != 1 ||
	        dmabuf.modifier != DRM_FORMAT_MOD_LINEAR) {
		return false;
	}
	size_t size = (size_t)dmabuf.offset[0] + (size_t)dmabuf.stride[0] * (size_t)dmabuf.height;
	void *map = mmap(NULL, size, PROT_READ, MAP_SHARED, dmabuf.fd[0], 0);
	if (map == MAP_FAILED) {
		return false;
	}
	/* Waits for the render device's writes (the renderer only flushed them). */
	struct dma_buf_sync sync = {.flags = DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ};
	ioctl(dmabuf.fd[0], DMA_BUF_IOCTL_SYNC, &sync);
	ok = pb_kms_cursor_set(&output->cursor, (uint8_t *)map + dmabuf.offset[0],
	        (uint32_t)buffer->width, (uint32_t)buffer->height, dmabuf.stride[0], hotspot_x,
	        hotspot_y);
	sync.flags = DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ;
	ioctl(dmabuf.fd[0], DMA_BUF_IOCTL_SYNC, &sync);
	munmap(map, size);
	return ok;
}

static bool output_move_cursor(struct wlr_output *wlr_output, int x, int y)
{
	struct pb_bridge_output *output = output_from(wlr_output);
	if (!output->has_cursor) {
		return false;
	}
	if (!pb_kms_cursor_move(&output->cursor, x, y)) {
		wlr_log_errno(WLR_DEBUG, "%s: the cursor plane did not move", wlr_output->name);
		return false;
	}
	return true;
}

static const struct wlr_drm_format_set *output_get_cursor_formats(
        struct wlr_output *wlr_output, uint32_t buffer_caps)
{
	struct pb_bridge_output *output = output_from(wlr_output);
	return output->has_cursor ? &output->backend->cursor_formats : NULL;
}

static const struct wlr_output_cursor_size *output_get_cursor_sizes(
        struct wlr_output *wlr_output, size_t *len)
{
	struct pb_bridge_output *output = output_from(wlr_output);
	*len = 1;
	return &output->cursor_size;
}

static const struct wlr_drm_format_set *output_get_primary_formats(
        struct wlr_output *wlr_output, uint32_t buffer_caps)
{
	return &output_from(wlr_output)->backend->primary_formats;
}

static void output_destroy(struct wlr_output *wlr_output)
{
	struct pb_bridge_output *output = output_from(wlr_output);
	const struct pb_output_stats *s = &output->stats;
	wlr_log(WLR_INFO,
	        "%s: %" PRIu64 " frames presented, %" PRIu64 " page flips, %" PRIu64
	        " px damaged, %" PRIu64 " px copied (%" PRIu64 " by the CPU; %" PRIu64
	        " frames straight from a client's buffer), %" PRIu64 " px sent to the host",
	        output->backend->kms.connectors[output->connector].name, s->frames, s->flips,
	        s->damaged_px, s->copied_px, s->cpu_copied_px, s->direct, s->sent_px);
	finish_pending_flip(output);
	stop_waiting_for_fence(output);
	if (output->frame_timer) {
		wl_event_source_remove(output->frame_timer);
	}
	if (output->present_source) {
		wl_event_source_remove(output->present_source);
	}
	if (output->present_fd >= 0) {
		close(output->present_fd);
	}
	if (output->has_cursor) {
		pb_kms_cursor_finish(&output->cursor);
	}
	release_slots(output);
	pb_damage_ring_finish(&output->ring);
	pixman_region32_fini(&output->frame_damage);
	pixman_region32_fini(&output->copy_region);
	wl_list_remove(&output->link);
	free(output->modes);
	free(output);
}

static const struct wlr_output_impl output_impl = {
        .set_cursor = output_set_cursor,
        .move_cursor = output_move_cursor,
        .destroy = output_destroy,
        .test = output_test,
        .commit = output_commit,
        .get_cursor_formats = output_get_cursor_formats,
        .get_cursor_sizes = output_get_cursor_sizes,
        .get_primary_formats = output_get_primary_formats,
};

void pb_bridge_output_report(struct wlr_output *wlr_output, struct pb_output_report *report)
{
	struct pb_bridge_output *output = output_from(wlr_output);
	/* Compared with memcmp to detect changes: padding must be zero too. */
	memset(report, 0, sizeof(*report));
	*report = (struct pb_output_report){
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
	struct pb_bridge_output *output = output_from(wlr_output);
	output->stats = (struct pb_output_stats){0};
	pb_stats_window_reset(&output->copy_ns);
	pb_stats_window_reset(&output->update_ns);
}

bool pb_bridge_output_set_host_update(
        struct wlr_output *wlr_output, enum pb_host_update_preference mode, char *msg, size_t len)
{
	struct pb_bridge_output *output = output_from(wlr_output);
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
	if (!reallocate(output, previous)) {
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
	struct pb_bridge_output *output = output_from(wlr_output);
	if (path == PB_COPY_GPU && output->backend->options.copy_path != PB_COPY_GPU) {
		snprintf(msg, len,
		        "the GPU path needs a render device that writes the linear buffers; "
		        "primebridge started on the CPU path (%s)",
		        output->backend->copy_reason);
		return false;
	}
	output->copy_path = path;
	snprintf(msg, len, "%s now copies frames on the %s path", wlr_output->name,
	        pb_copy_path_name(path));
	return true;
}

void pb_bridge_output_resume(struct pb_bridge_output *output)
{
	stop_waiting_for_fence(output);
	output->queued = -1;
	output->lit = false;
	for (size_t i = 0; i < output->slot_count; i++) {
		output->slots[i].written_seq = 0;
	}
	if (output->has_cursor) {
		pb_kms_cursor_restore(&output->cursor);
	}
	/* The frame buffer is whole; the slots' copy regions make the copy whole too. */
	wlr_output_schedule_frame(&output->base);
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
	output->present_fd = -1;
	output->flip_waiter.done = handle_flip_done;
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
	output->frame_timer = wl_event_loop_add_timer(loop, handle_frame_timer, output);
	output->present_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (output->present_fd >= 0) {
		output->present_source = wl_event_loop_add_fd(
		        loop, output->present_fd, WL_EVENT_READABLE, handle_present, output);
	}
	if (!output->frame_timer || !output->present_source || !read_modes(output, conn->id)) {
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
