#ifndef PB_BRIDGE_BACKEND_H
#define PB_BRIDGE_BACKEND_H

#include <stdbool.h>
#include <stdint.h>
#include <wayland-server-core.h>
#include <wlr/backend.h>
#include <wlr/backend/session.h>
#include <wlr/render/wlr_renderer.h>
#include <wlr/types/wlr_output.h>

#include "copy_gpu.h"
#include "kms_device.h"
#include "linear_buffer.h"
#include "path_choice.h"
#include "virtgpu_caps.h"

/* What the bridge backend is built on; the fds stay the caller's. */
struct pb_bridge_options {
	int display_fd; /* the virtio-gpu's primary node, DRM master through the session */
	int render_fd;  /* the render device's render node; -1 on the CPU path */
	enum pb_copy_path copy_path;
	const char *copy_reason; /* why that path, one sentence (copied) */
	enum pb_host_update_preference host_update;
	uint32_t stride_alignment;
	/* The display device as start-up read it (atomic or not, caps): copied at creation. */
	const struct pb_kms_device *kms;
	const struct pb_virtgpu_caps *caps; /* NULL when it is no virtio-gpu */
	/* A full-screen client's buffer may be copied without composing a frame. */
	bool direct_copy;
	struct wlr_session *session; /* whose VT switches pause the outputs; may be NULL */
	/* The display device as the session opened it: its change events are hotplugs. */
	struct wlr_device *display_device; /* may be NULL */
};

/* Per-output counters, for the log at exit and for diagnosis. */
struct pb_bridge_output_stats {
	uint64_t frames;         /* frames that reached the host */
	uint64_t damaged_px;     /* pixels damaged by those frames */
	uint64_t copied_px;      /* pixels copied into linear buffers */
	uint64_t cpu_copied_px;  /* of those, pixels the CPU copied (none on the GPU path) */
	uint64_t sent_px;        /* pixels the host was told to re-read */
	uint64_t flips;          /* page flips (frames on the flip path) */
	uint64_t fenced_flips;   /* flips that carried the copy's fence to the kernel */
	uint64_t fences_awaited; /* copies whose fence the event loop waited for */
	uint64_t fallbacks;      /* failed copies or updates, retried whole */
	uint64_t direct;         /* frames copied straight from a full-screen client's buffer */
};

/* Everything an output can tell about its work, for the control protocol. */
struct pb_bridge_output_report {
	struct pb_bridge_output_stats stats;
	uint64_t copy_ns_median, copy_ns_p99;     /* copying a frame's damage */
	uint64_t update_ns_median, update_ns_p99; /* submitting to the host until done */
	enum pb_copy_path copy_path;
	char copy_reason[256];
	enum pb_host_update host_update;
	char update_reason[160];
	struct pb_buffer_layout layout;
	enum pb_buffer_kind kind;
	size_t buffer_count;
};

/*
 * A wlroots backend whose outputs are the display device's connected
 * connectors. Frames rendered by the compositor (on the render device, or
 * with pixman on the CPU path) are copied, damage only, into linear buffers
 * of the display device, which are then shown and their changed rectangles
 * sent to the host, at most once per refresh period.
 */
struct wlr_backend *pb_bridge_backend_create(
        struct wl_display *display, const struct pb_bridge_options *options);

/*
 * The renderer whose frames the outputs copy, and on the GPU path what its
 * blits need (NULL on the CPU path); set before the backend starts.
 */
void pb_bridge_backend_set_renderer(struct wlr_backend *backend, struct wlr_renderer *renderer,
        const struct pb_gpu_copier *gpu);

/*
 * The render device is gone (removed, or its renderer lost): the outputs
 * drop what they held there while its renderer still exists, then copy on
 * the CPU what pixman composes, the next frame whole. The caller then
 * gives each output pixman and an allocator for it (wlr_output_init_render)
 * and destroys the old renderer. why, one sentence, is the new path's reason.
 */
void pb_bridge_backend_lose_render_device(
        struct wlr_backend *backend, struct wlr_renderer *pixman, const char *why);

/* Whether a full-screen client's buffer may be copied without composing a frame. */
void pb_bridge_backend_set_direct_copy(struct wlr_backend *backend, bool allowed);

void pb_bridge_output_report(struct wlr_output *output, struct pb_bridge_output_report *report);
/* Counters and timing windows back to zero. */
void pb_bridge_output_reset_stats(struct wlr_output *output);

/*
 * For diagnosis: the output's buffers are allocated again for this
 * strategy and the next frame is sent whole. False with msg saying why.
 */
bool pb_bridge_output_set_host_update(
        struct wlr_output *output, enum pb_host_update_preference mode, char *msg, size_t len);
/*
 * For diagnosis: copy this output's frames another way. From the GPU path
 * the CPU path reads frames back from the render device; the GPU path
 * needs a backend started on it. False with msg saying why.
 */
bool pb_bridge_output_set_copy_path(
        struct wlr_output *output, enum pb_copy_path path, char *msg, size_t len);

#endif
