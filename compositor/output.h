#ifndef PB_OUTPUT_H
#define PB_OUTPUT_H

#include <wayland-server-core.h>
#include <wlr/types/wlr_output.h>
#include <wlr/types/wlr_scene.h>

struct pb_server;

/* One output of the compositor: draws the scene when wlroots asks for a frame. */
struct pb_output {
	struct wl_list link;
	struct pb_server *server;
	struct wlr_output *wlr_output;
	struct wlr_scene_output *scene_output;
	struct wl_listener frame;
	struct wl_listener mode;
	struct wl_listener destroy;
};

/* Handles the backend's new_output signal (data: the wlr_output). */
void pb_output_handle_new(struct wl_listener *listener, void *data);

#endif
