/*
 * Limits on what a client may commit. A 16384x16384 buffer is a gigabyte
 * the renderer would sample (or, on the GPU path, upload) on every frame it
 * shows; no display here is near 8192 pixels wide, GL drivers cap textures
 * there or at 16384, and the display device's framebuffers at 8192. Such a
 * client is ended with a protocol error, as libwayland ends one that floods
 * requests: the compositor and the other clients go on. The check follows
 * the commit, so the renderer has taken the buffer once (on the GPU path,
 * one upload). XWayland is exempt: ending it would end every X11 program.
 */
#include "surface_limits.h"

#include <stdlib.h>
#include <wayland-server-core.h>
#include <wlr/types/wlr_compositor.h>
#include <wlr/util/log.h>

#include "server.h"
#include "xwayland.h"

struct pb_surface_limits {
	struct pb_server *server;
	struct wl_listener new_surface;
	struct pb_listeners listeners;
};

struct surface_watch {
	struct pb_server *server;
	struct wlr_surface *surface;
	struct wl_listener commit;
	struct wl_listener destroy;
	struct pb_listeners listeners;
};

static void handle_commit(struct wl_listener *listener, void *data)
{
	struct surface_watch *watch = wl_container_of(listener, watch, commit);
	const struct wlr_surface_state *state = &watch->surface->current;
	if (state->buffer_width <= PB_MAX_BUFFER_SIDE &&
	        state->buffer_height <= PB_MAX_BUFFER_SIDE) {
		return;
	}
	struct wl_client *client = wl_resource_get_client(watch->surface->resource);
	/* The X server carries every X11 program: X allows windows up to 32767 px. */
	if (pb_xwayland_is_server(watch->server, client)) {
		return;
	}
	pid_t pid;
	wl_client_get_credentials(client, &pid, NULL, NULL);
	wlr_log(WLR_ERROR, "Disconnecting client %d: its buffer of %dx%d exceeds %dx%d", (int)pid,
	        state->buffer_width, state->buffer_height, PB_MAX_BUFFER_SIDE, PB_MAX_BUFFER_SIDE);
	/* Ends the client once this dispatch is over; its surfaces go with it. */
	wl_client_post_implementation_error(client, "buffer of %dx%d exceeds %dx%d",
	        state->buffer_width, state->buffer_height, PB_MAX_BUFFER_SIDE, PB_MAX_BUFFER_SIDE);
}

static void handle_destroy(struct wl_listener *listener, void *data)
{
	struct surface_watch *watch = wl_container_of(listener, watch, destroy);
	pb_disconnect_all(&watch->listeners);
	free(watch);
}

static void handle_new_surface(struct wl_listener *listener, void *data)
{
	struct pb_surface_limits *limits = wl_container_of(listener, limits, new_surface);
	struct wlr_surface *surface = data;
	struct surface_watch *watch = calloc(1, sizeof(*watch));
	if (!watch) {
		wl_client_post_no_memory(wl_resource_get_client(surface->resource));
		return;
	}
	watch->server = limits->server;
	watch->surface = surface;
	pb_listen(&watch->listeners, &surface->events.commit, &watch->commit, handle_commit);
	pb_listen(&watch->listeners, &surface->events.destroy, &watch->destroy, handle_destroy);
}

bool pb_surface_limits_init(struct pb_server *server, struct wlr_compositor *compositor)
{
	server->surface_limits = calloc(1, sizeof(*server->surface_limits));
	if (!server->surface_limits) {
		return false;
	}
	server->surface_limits->server = server;
	pb_listen(&server->surface_limits->listeners, &compositor->events.new_surface,
	        &server->surface_limits->new_surface, handle_new_surface);
	return true;
}

void pb_surface_limits_finish(struct pb_server *server)
{
	if (server->surface_limits) {
		pb_disconnect_all(&server->surface_limits->listeners);
		free(server->surface_limits);
		server->surface_limits = NULL;
	}
}
