#ifndef PB_OUTPUT_H
#define PB_OUTPUT_H

#include <wayland-server-core.h>
#include <wlr/types/wlr_output.h>
#include <wlr/types/wlr_scene.h>

#include "config.h"
#include "listeners.h"

struct pb_server;

/* One output of the compositor: draws the scene when wlroots asks for a frame. */
struct pb_output {
	struct wl_list link;
	struct pb_server *server;
	struct wlr_output *wlr_output;
	struct wlr_scene_output *scene_output;
	uint64_t frames_idle; /* frame events with nothing new to draw */
	/* Layout coordinates left to windows once panels took their exclusive zones. */
	struct wlr_box usable_area;
	struct wl_listener frame;
	struct wl_listener destroy;
	struct pb_listeners listeners;
};

/* Moves the output's view of the scene to where the layout has the output. */
void pb_output_follow_layout(struct pb_output *output);

/* The compositor's output for a wlroots output; NULL for none (or one being destroyed). */
struct pb_output *pb_output_from_wlr(struct pb_server *server, struct wlr_output *wlr_output);
/* The first output (in the order they appeared) that is in the layout, or NULL. */
struct pb_output *pb_output_first_in_layout(struct pb_server *server);

/*
 * Draws the scene on a new output of the backend, listed last in
 * server->outputs; NULL (logged) when it cannot. When the output is
 * destroyed, server->events.output_removed is emitted with it.
 */
struct pb_output *pb_output_create(struct pb_server *server, struct wlr_output *wlr_output);

/* Stops drawing on every output and forgets them (at exit, before the scene goes). */
void pb_output_finish_all(struct pb_server *server);

#endif
