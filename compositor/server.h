#ifndef PB_SERVER_H
#define PB_SERVER_H

#include <wayland-server-core.h>
#include <wlr/backend.h>
#include <wlr/render/allocator.h>
#include <wlr/render/wlr_renderer.h>
#include <wlr/types/wlr_output_layout.h>
#include <wlr/types/wlr_scene.h>
#include <wlr/types/wlr_xdg_shell.h>

#include "bridge_setup.h"
#include "child.h"
#include "config.h"
#include "listeners.h"
#include "login_session.h"
#include "render_device_loss.h"
#include "window_policy.h"

/* Layer-shell layers, bottom to top; windows lie between BOTTOM and TOP. */
enum pb_layer {
	PB_LAYER_BACKGROUND,
	PB_LAYER_BOTTOM,
	PB_LAYER_TOP,
	PB_LAYER_OVERLAY,
	PB_LAYER_COUNT,
};

/* The compositor: everything the Wayland side holds, for its whole life. */
struct pb_server {
	struct wl_display *display;
	struct pb_login_session *login;
	struct pb_config *cfg;
	const char *config_file; /* the file cfg was read from; NULL: defaults */
	struct pb_control *control;
	struct pb_surface_limits *surface_limits;
	struct pb_bridge_setup devices;

	struct wlr_backend *backend; /* multi: the bridge and libinput */
	struct wlr_renderer *renderer;
	struct wlr_allocator *allocator;
	struct wlr_compositor *compositor;
	struct pb_render_device_loss render_loss;
	struct wlr_scene *scene;
	/*
	 * Stacking, bottom to top: BACKGROUND, BOTTOM, windows, TOP, OVERLAY. No
	 * background node: where nothing is drawn the scene's clear colour
	 * (black) shows, for free.
	 */
	struct wlr_scene_tree *layers[PB_LAYER_COUNT];
	struct wlr_scene_tree *windows;
	struct wlr_output_layout *layout;
	struct wl_list outputs; /* pb_output.link, in the order they appeared */
	struct wl_listener layout_change;
	struct pb_output_management *output_management;
	struct pb_layer_shell *layer_shell;
	struct pb_desktop_protocols *protocols;
	struct pb_session_lock *session_lock;
	struct pb_input_method *input_method;
	struct pb_tablets *tablets;
	struct pb_pointer_gestures *pointer_gestures;
	struct pb_global_filter *global_filter;
	struct pb_xwayland *xwayland;
	struct pb_cairo_fonts *fonts; /* title bars show titles once loaded */

	struct wlr_xdg_shell *xdg_shell;
	struct wl_list views; /* pb_view.link, topmost first */

	struct pb_seat *seat;
	struct wlr_surface *exclusive_focus; /* a layer surface keeping the keyboard */
	struct wlr_idle_notifier_v1 *idle;
	struct wlr_foreign_toplevel_manager_v1 *foreign_toplevels;
	struct wlr_ext_foreign_toplevel_list_v1 *toplevel_list;
	struct pb_pointer_constraints *constraints;
	/* The desktop's, or the kiosk's while it runs. */
	struct pb_window_policy policy;

	struct {
		/* An output is gone (data: its pb_output, out of outputs and about to be freed). */
		struct wl_signal output_removed;
	} events;
	struct wl_listener new_output;
	struct wl_listener output_removed;
	struct wl_listener new_xdg_toplevel;
	struct wl_listener new_xdg_popup;
	struct pb_listeners listeners;

	struct pb_child child;
	bool cfg_kiosk;         /* --kiosk */
	struct pb_kiosk *kiosk; /* while running in kiosk mode */
};

/*
 * Sets up devices, backends and globals; false with the reason logged.
 * config_file is where cfg came from (NULL: defaults), for reloads.
 */
bool pb_server_init(struct pb_server *server, struct pb_login_session *login, struct pb_config *cfg,
        const char *config_file);

/*
 * Reads the configuration file again and applies what can change while
 * running ([output], [input], [bindings], host update, trusted uids); the
 * rest needs a restart, which msg says. On an error the old configuration
 * stays and msg says why.
 */
bool pb_server_reload_config(struct pb_server *server, char *msg, size_t len);
/*
 * Starts the backends, listens on a socket and starts the command (NULL:
 * none), then runs until quit or the command ends. Returns the exit status.
 */
int pb_server_run(struct pb_server *server, char *const command[]);
void pb_server_finish(struct pb_server *server);

#endif
