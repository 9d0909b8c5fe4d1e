#ifndef PB_RENDER_DEVICE_LOSS_H
#define PB_RENDER_DEVICE_LOSS_H

#include <wayland-server-core.h>

#include "listeners.h"

struct pb_server;

/*
 * Watches the render device while frames are composed on it: the device
 * removed (its card node's udev remove, through the session) or its
 * renderer lost (a GPU reset). Either moves the compositor to the cpu path
 * at once, with one log line: pixman composes, the outputs copy their next
 * frame whole, clients keep their connections.
 */
struct pb_render_device_loss {
	struct pb_server *server;
	int card_fd; /* the render device's card node, through the seat; -1 when not watched */
	struct wl_listener device_remove;
	struct wl_listener renderer_lost;
	struct pb_listeners listeners;
	/*
	 * The move waits for the event loop: both signals come from inside
	 * wlroots (a render pass, the session's device list) that would still
	 * use what the move destroys.
	 */
	struct wl_event_source *move;
	const char *what; /* what happened, for the log line */
};

/* Starts watching when the server composes on a render device; nothing to do otherwise. */
void pb_render_device_loss_init(struct pb_render_device_loss *loss, struct pb_server *server);
void pb_render_device_loss_finish(struct pb_render_device_loss *loss);

#endif
