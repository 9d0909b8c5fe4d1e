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

	int fence_fd;
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

	struct pb_output_stats stats;
	struct pb_stats_window copy_ns, update_ns;
	int64_t update_start_ns; /* when the frame being shown was submitted */
};

struct pb_bridge_backend *pb_bridge_backend_from(struct wlr_backend *backend);

/*
 * The session is back (VT switched back to us): whatever was on the CRTC
 * meanwhile is gone, so the output is lit again with a whole frame.
 */
void pb_bridge_output_resume(struct pb_bridge_output *output);

/* Creates the output of a connected connector on a CRTC; NULL on failure. */
struct pb_bridge_output *pb_bridge_output_create(
        struct pb_bridge_backend *backend, size_t connector, size_t crtc);

#endif
