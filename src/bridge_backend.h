#ifndef PB_BRIDGE_BACKEND_H
#define PB_BRIDGE_BACKEND_H

#include <stdbool.h>
#include <stdint.h>
#include <wayland-server-core.h>
#include <wlr/backend.h>
#include <wlr/backend/session.h>
#include <wlr/render/wlr_renderer.h>
#include <wlr/types/wlr_output.h>

#include "path_choice.h"

/* What the bridge backend is built on; the fds stay the caller's. */
struct pb_bridge_options {
	int display_fd; /* the virtio-gpu's primary node, DRM master through the session */
	int render_fd;  /* the render device's render node; -1 on the CPU path */
	enum pb_copy_path copy_path;
	enum pb_host_update_preference host_update;
	uint32_t stride_alignment;
	bool allow_atomic;
	struct wlr_session *session; /* whose VT switches pause the outputs; may be NULL */
};

/* Per-output counters, for the log at exit and for diagnosis. */
struct pb_output_stats {
	uint64_t frames;     /* frames that reached the host */
	uint64_t damaged_px; /* pixels damaged by those frames */
	uint64_t copied_px;  /* pixels copied into linear buffers */
	uint64_t sent_px;    /* pixels the host was told to re-read */
	uint64_t flips;      /* page flips (frames on the flip path) */
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
bool pb_backend_is_bridge(struct wlr_backend *backend);

/* The renderer whose frames the GPU path blits; set before the backend starts. */
void pb_bridge_backend_set_renderer(struct wlr_backend *backend, struct wlr_renderer *renderer);

bool pb_output_is_bridge(struct wlr_output *output);
const struct pb_output_stats *pb_bridge_output_stats(struct wlr_output *output);

#endif
