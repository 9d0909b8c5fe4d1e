#include "arrange.h"

#include <wlr/util/log.h>

#include "control.h"
#include "layer_shell.h"
#include "output.h"
#include "output_config.h"
#include "output_management.h"
#include "seat.h"
#include "server.h"
#include "session_lock.h"
#include "window_policy.h"

void pb_arrange_handle_layout_change(struct wl_listener *listener, void *data)
{
	struct pb_server *server = wl_container_of(listener, server, layout_change);
	struct pb_output *output;
	wl_list_for_each(output, &server->outputs, link)
	{
		pb_output_follow_layout(output);
		/* An output that left the layout hides its panels (and their keyboard). */
		pb_layer_shell_arrange(output);
	}
	/* Once for all outputs, also for windows left on one that is gone. */
	pb_window_policy_arrange(&server->policy);
	pb_session_lock_arrange(server->session_lock);
	pb_output_management_update(server);
}

void pb_arrange_handle_new_output(struct wl_listener *listener, void *data)
{
	struct pb_server *server = wl_container_of(listener, server, new_output);
	struct wlr_output *wlr_output = data;
	struct pb_output *output = pb_output_create(server, wlr_output);
	if (!output) {
		return;
	}
	if (!pb_output_apply_config(server, &output, 1, server->cfg)) {
		/* A configured mode the connector refuses: fall back to what it prefers. */
		struct pb_config defaults;
		pb_config_defaults(&defaults);
		pb_output_apply_config(server, &output, 1, &defaults);
	}
	/*
	 * The pointer's theme is read now rather than on the first motion, which
	 * wlroots 0.18 would otherwise do: in the TCG guest that took over a
	 * second, during which the pointer did not move.
	 */
	if (!wlr_xcursor_manager_load(server->seat->cursor_theme, wlr_output->scale)) {
		wlr_log(WLR_ERROR, "%s: no cursor theme could be loaded", wlr_output->name);
	}
	if (server->control) {
		pb_control_output_added(server->control, output);
	}
	/* Also when it stays off (enabled = false): wlr-randr can turn it on. */
	pb_output_management_update(server);
	wlr_log(WLR_INFO, "Output %s: %dx%d@%.3f Hz", wlr_output->name, wlr_output->width,
	        wlr_output->height, wlr_output->refresh / 1000.0);
}

void pb_arrange_handle_output_removed(struct wl_listener *listener, void *data)
{
	struct pb_server *server = wl_container_of(listener, server, output_removed);
	struct pb_output *output = data;
	if (server->control) {
		pb_control_output_removed(server->control, output);
	}
	pb_output_management_update(server);
}
