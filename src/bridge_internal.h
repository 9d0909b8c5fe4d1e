#ifndef PB_BRIDGE_INTERNAL_H
#define PB_BRIDGE_INTERNAL_H

#include <wlr/backend/interface.h>
#include <wlr/interfaces/wlr_output.h>
#include <wlr/render/drm_format_set.h>
#include <xf86drmMode.h>

#include "bridge_backend.h"
#include "copy_gpu.h"
#include "damage_clips.h"
#include "damage_ring.h"
#include "kms_cursor.h"
#include "kms_device.h"
#include "kms_present.h"
#include "linear_buffer.h"
#include "stats_window.h"

/* Buffers per output when flipping: one on screen, one queued, one being written. */
#define PB_FLIP_BUFFERS 3

struct pb_bridge_backend {
	struct wlr_backend base;
	struct pb_bridge_options options;
	char copy_reason[256];
	struct wl_display *display;
	struct wl_event_source *drm_source;
	struct wl_listener display_destroy;
	struct wl_listener session_active;
	struct wl_listener device_change;
	struct pb_kms_device kms;
	bool blob;                     /* the display device offers blob resources */
	bool whole_frames;             /* the kernel sends whole frames whatever the damage */
	struct wlr_renderer *renderer; /* NULL once destroyed */
	struct wl_listener renderer_destroy;
	struct pb_gpu_copier gpu; /* GPU path only */
	struct wl_list outputs;   /* pb_bridge_output.link */
	struct wlr_drm_format_set primary_formats;
	struct wlr_drm_format_set cursor_formats;
	bool started;
};

struct pb_bridge_mode {
	struct wlr_output_mode base;
	drmModeModeInfo info;
};

struct pb_slot {
	struct pb_linear_buffer linear;
	struct pb_gpu_target target; /* GPU path only */
	uint64_t written_seq;        /* last frame copied in; 0: never */
};

struct pb_bridge_output {
	struct wlr_output base;
	struct pb_bridge_backend *backend;
	struct wl_list link;
	size_t connector, crtc;
	struct pb_bridge_mode *modes;
	size_t mode_count;
	drmModeModeInfo mode; /* the mode the buffers are sized for */
	enum pb_host_update update;
	enum pb_host_update_preference update_pref;
	bool realloc_pending; /* update_pref changed while a frame was queued */
	enum pb_host_update_preference realloc_previous;
	char update_reason[160];
	enum pb_copy_path copy_path; /* the backend's, or the CPU read-back for diagnosis */

	struct pb_slot slots[PB_FLIP_BUFFERS];
	size_t slot_count;
	int front;  /* slot on screen, -1 before the first frame */
	int queued; /* slot waiting for its fence or flip, -1 when none */
	bool lit;   /* the CRTC shows our framebuffer with the current mode */

	struct pb_gpu_sources gpu_sources; /* the frames' textures, on the render device */
	struct pb_damage_ring ring;
	pixman_region32_t frame_damage, copy_region;
	struct drm_clip_rect clips[PB_MAX_DAMAGE_CLIPS];
	size_t clip_count;
	uint64_t clip_area;

	int fence_fd;    /* the copy's fence awaited before the host update; -1 when none */
	int fence_epoll; /* watches fence_fd for fence_source */
	struct wl_event_source *fence_source;
	struct pb_kms_flip_waiter flip_waiter;
	uint32_t present_seq; /* commit_seq of the frame being presented */
	/* The present event of the last frame, until the event loop sends it. */
	struct wlr_output_event_present present;
	struct timespec present_when;
	bool present_pending;
	int present_fd; /* eventfd: a present event is waiting */
	struct wl_event_source *present_source;
	int64_t frame_due_ns; /* when the last frame was due (CLOCK_MONOTONIC) */
	int64_t period_ns;
	struct wl_event_source *frame_timer;

	struct pb_kms_cursor cursor;
	struct wlr_output_cursor_size cursor_size;
	bool has_cursor;

	struct pb_bridge_output_stats stats;
	struct pb_stats_window copy_ns, update_ns;
	int64_t update_start_ns; /* when the frame being shown was submitted */
};

struct pb_bridge_backend *pb_bridge_backend_from(struct wlr_backend *backend);

/* Only for this backend's outputs: the wlr_output is embedded, and not checked. */
static inline struct pb_bridge_output *pb_bridge_output_from(struct wlr_output *wlr_output)
{
	struct pb_bridge_output *output = wl_container_of(wlr_output, output, base);
	return output;
}

/* Started on the gpu path: the slots have render targets on the render device. */
static inline bool pb_bridge_gpu_path(const struct pb_bridge_output *output)
{
	return output->backend->options.copy_path == PB_COPY_GPU;
}

/* bridge_output.c */

/* Creates the output of a connected connector on a CRTC; NULL on failure. */
struct pb_bridge_output *pb_bridge_output_create(
        struct pb_bridge_backend *backend, size_t connector, size_t crtc);

/*
 * The session is back (VT switched back to us): whatever was on the CRTC
 * meanwhile is gone, so the output is lit again with a whole frame.
 */
void pb_bridge_output_resume(struct pb_bridge_output *output);

/*
 * The render device is gone: what the output held there goes while its
 * renderer still exists, and from the next frame on, copied whole, the CPU
 * copies. The backend's path changes after every output has left.
 */
void pb_bridge_output_leave_render_device(struct pb_bridge_output *output);

/* bridge_present.c */

/* The frame timer, present eventfd and flip callback; false if one is missing. */
bool pb_bridge_present_init(struct pb_bridge_output *output, struct wl_event_loop *loop);

/* Waits out a queued flip, then frees what init made (also after a failed init). */
void pb_bridge_present_finish(struct pb_bridge_output *output);

/* Call with no slots; on failure there are none and the mode is unchanged. */
bool pb_bridge_alloc_slots(struct pb_bridge_output *output, const drmModeModeInfo *mode);

/* Frees the slots and the frames' textures: the next frame lights the CRTC again. */
void pb_bridge_release_slots(struct pb_bridge_output *output);

/* For a changed update_pref, only while no frame is queued. */
bool pb_bridge_reallocate(struct pb_bridge_output *output, enum pb_host_update_preference previous);

/* Blocks until a queued flip completes: before the buffers it shows are freed. */
void pb_bridge_finish_pending_flip(struct pb_bridge_output *output);

/* Drops the fence a queued frame waits for; the caller forgets that frame. */
void pb_bridge_stop_waiting_for_fence(struct pb_bridge_output *output);

/*
 * A frame waiting for its copy's fence is given up (its fence may never
 * signal): not presented, its slot copied whole next time, and the
 * compositor may draw again. A queued flip is left to complete.
 */
void pb_bridge_drop_fenced_frame(struct pb_bridge_output *output);

/* Arms the frame timer; wlroots must never get a frame event from inside a commit. */
void pb_bridge_schedule_frame_event(struct pb_bridge_output *output);

/* Copies a committed frame into a free slot and shows it; false fails the commit. */
bool pb_bridge_present_frame(
        struct pb_bridge_output *output, struct wlr_buffer *frame, const pixman_region32_t *damage);

/* bridge_copy.c */

/* For output_test: the buffer a client's frame is copied from, or NULL if it cannot be. */
struct wlr_buffer *pb_bridge_direct_source(
        const struct pb_bridge_output *output, struct wlr_buffer *buffer);

/*
 * Copies output->copy_region of the frame into the slot on the output's copy
 * path; *fence is the GPU copy's fence (the caller's to close) or -1.
 */
bool pb_bridge_copy_frame(struct pb_bridge_output *output, struct wlr_buffer *frame,
        struct pb_slot *slot, int *fence);

/* bridge_cursor.c: the cursor plane for output_impl; without one, wlroots draws the pointer. */

bool pb_bridge_output_set_cursor(
        struct wlr_output *wlr_output, struct wlr_buffer *buffer, int hotspot_x, int hotspot_y);
bool pb_bridge_output_move_cursor(struct wlr_output *wlr_output, int x, int y);
const struct wlr_drm_format_set *pb_bridge_output_get_cursor_formats(
        struct wlr_output *wlr_output, uint32_t buffer_caps);
const struct wlr_output_cursor_size *pb_bridge_output_get_cursor_sizes(
        struct wlr_output *wlr_output, size_t *len);

#endif
