#ifndef PB_SURFACE_LIMITS_H
#define PB_SURFACE_LIMITS_H

#include <stdbool.h>
#include <wlr/types/wlr_compositor.h>

struct pb_server;

/* The largest buffer side a client may commit, in pixels. */
#define PB_MAX_BUFFER_SIDE 8192

/*
 * Watches every surface's commits: a buffer larger than PB_MAX_BUFFER_SIDE
 * on a side ends its client (XWayland excepted) with a protocol error naming
 * the size.
 */
bool pb_surface_limits_init(struct pb_server *server, struct wlr_compositor *compositor);
void pb_surface_limits_finish(struct pb_server *server);

#endif
