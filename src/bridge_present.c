#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <wlr/types/wlr_buffer.h>
#include <wlr/util/log.h>

#include "bridge_internal.h"
#include "frame_pacing.h"
#include "kms_modeset.h"

/* ------------------------------------------------------------ linear buffers */

void pb_bridge_release_slots(struct pb_bridge_output *output)
{
	for (size_t i = 0; i < output->slot_count; i++) {
		if (pb_bridge_gpu_path(output)) {
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
bool pb_bridge_alloc_slots(struct pb_bridge_output *output, const drmModeModeInfo *mode)
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
			pb_bridge_release_slots(output);
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
		if (pb_bridge_gpu_path(output)) {
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
bool pb_bridge_reallocate(struct pb_bridge_output *output, enum pb_host_update_preference previous)
{
	drmModeModeInfo mode = output->mode;
	pb_bridge_release_slots(output);
	if (pb_bridge_alloc_slots(output, &mode)) {
		return true;
	}
	output->update_pref = previous;
	if (!pb_bridge_alloc_slots(output, &mode)) {
		wlr_log(WLR_ERROR, "%s: no buffers could be allocated again; the output stays dark",
		        output->base.name);
	}
	return false;
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
void pb_bridge_schedule_frame_event(struct pb_bridge_output *output)
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
	pb_bridge_schedule_frame_event(output);
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
void pb_bridge_finish_pending_flip(struct pb_bridge_output *output)
{
	int fd = output->backend->options.display_fd;
	while (output->update == PB_HOST_FLIP && output->queued >= 0 && output->fence_fd < 0) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		if (poll(&pfd, 1, 1000) <= 0 || !pb_kms_dispatch(fd)) {
			wlr_log(WLR_ERROR, "%s: a page flip never completed", output->base.name);
			break;
		}
	}
}

void pb_bridge_stop_waiting_for_fence(struct pb_bridge_output *output)
{
	if (output->fence_fd >= 0) {
		epoll_ctl(output->fence_epoll, EPOLL_CTL_DEL, output->fence_fd, NULL);
		close(output->fence_fd);
		output->fence_fd = -1;
	}
}

void pb_bridge_drop_fenced_frame(struct pb_bridge_output *output)
{
	if (output->fence_fd < 0) {
		return; /* nothing waits, or a flip is queued: its event comes as usual */
	}
	pb_bridge_stop_waiting_for_fence(output);
	output->slots[output->queued].written_seq = 0;
	output->queued = -1;
	/* wlroots sends no frame event until it hears this frame is done. */
	frame_done_now(output, false);
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
	if (output->fence_fd < 0) {
		return 0; /* dropped meanwhile (the output went off) */
	}
	pb_bridge_stop_waiting_for_fence(output);
	output->stats.fences_awaited++;
	int slot = output->queued;
	output->queued = -1;
	if (!show_or_light(output, slot, -1)) {
		/* Keep the compositor drawing: the next frame tries again. */
		frame_done_now(output, false);
	}
	return 0;
}

bool pb_bridge_present_frame(
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
		if (!pb_bridge_reallocate(output, output->realloc_previous) &&
		        output->slot_count == 0) {
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

	if (pb_copy_path_on_render_device(output->copy_path) && !output->backend->renderer) {
		return false; /* the renderer is gone: the compositor is shutting down */
	}
	int fence;
	int64_t copy_start = pb_monotonic_ns();
	if (!pb_bridge_copy_frame(output, frame, slot, &fence)) {
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
		struct epoll_event event = {.events = EPOLLIN};
		if (epoll_ctl(output->fence_epoll, EPOLL_CTL_ADD, fence, &event) < 0) {
			wlr_log_errno(WLR_ERROR, "%s: cannot wait for the copy's fence",
			        wlr_output->name);
			close(fence);
			return false;
		}
		output->fence_fd = fence;
		output->queued = index;
		return true;
	}
	bool ok = show_or_light(output, index, fence);
	if (fence >= 0) {
		close(fence);
	}
	return ok;
}

bool pb_bridge_present_init(struct pb_bridge_output *output, struct wl_event_loop *loop)
{
	output->flip_waiter.done = handle_flip_done;
	output->frame_timer = wl_event_loop_add_timer(loop, handle_frame_timer, output);
	output->present_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (output->present_fd >= 0) {
		output->present_source = wl_event_loop_add_fd(
		        loop, output->present_fd, WL_EVENT_READABLE, handle_present, output);
	}
	/*
	 * Each frame's fence is a new fd: it joins this epoll set, made once,
	 * rather than an event source of its own, which would be allocated
	 * and freed every frame.
	 */
	output->fence_epoll = epoll_create1(EPOLL_CLOEXEC);
	if (output->fence_epoll >= 0) {
		output->fence_source = wl_event_loop_add_fd(
		        loop, output->fence_epoll, WL_EVENT_READABLE, handle_fence, output);
	}
	return output->frame_timer && output->present_source && output->fence_source;
}

void pb_bridge_present_finish(struct pb_bridge_output *output)
{
	pb_bridge_finish_pending_flip(output);
	pb_bridge_stop_waiting_for_fence(output);
	if (output->frame_timer) {
		wl_event_source_remove(output->frame_timer);
	}
	if (output->present_source) {
		wl_event_source_remove(output->present_source);
	}
	if (output->present_fd >= 0) {
		close(output->present_fd);
	}
	if (output->fence_source) {
		wl_event_source_remove(output->fence_source);
	}
	if (output->fence_epoll >= 0) {
		close(output->fence_epoll);
	}
}
