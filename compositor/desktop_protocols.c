#include "desktop_protocols.h"

#include <stdlib.h>
#include <wlr/types/wlr_alpha_modifier_v1.h>
#include <wlr/types/wlr_content_type_v1.h>
#include <wlr/types/wlr_data_control_v1.h>
#include <wlr/types/wlr_export_dmabuf_v1.h>
#include <wlr/types/wlr_ext_foreign_toplevel_list_v1.h>
#include <wlr/types/wlr_foreign_toplevel_management_v1.h>
#include <wlr/types/wlr_fractional_scale_v1.h>
#include <wlr/types/wlr_gamma_control_v1.h>
#include <wlr/types/wlr_idle_inhibit_v1.h>
#include <wlr/types/wlr_idle_notify_v1.h>
#include <wlr/types/wlr_presentation_time.h>
#include <wlr/types/wlr_primary_selection_v1.h>
#include <wlr/types/wlr_screencopy_v1.h>
#include <wlr/types/wlr_single_pixel_buffer_v1.h>
#include <wlr/types/wlr_viewporter.h>
#include <wlr/types/wlr_xdg_activation_v1.h>
#include <wlr/types/wlr_xdg_decoration_v1.h>
#include <wlr/types/wlr_xdg_output_v1.h>
#include <wlr/util/log.h>

#include "global_filter.h"
#include "listeners.h"
#include "server.h"
#include "view.h"

struct pb_desktop_protocols {
	struct pb_server *server;
	struct wlr_idle_inhibit_manager_v1 *inhibit;
	int inhibitors;
	struct wl_listener new_decoration;
	struct wl_listener request_activate;
	struct wl_listener new_inhibitor;
	struct pb_listeners listeners;
};

/* A window's xdg-decoration object: its client's wish for a title bar. */
struct pb_xdg_decoration {
	struct wlr_xdg_toplevel_decoration_v1 *wlr;
	struct wl_listener request_mode;
	struct wl_listener commit;
	struct wl_listener destroy;
	struct pb_listeners listeners;
};

/* An idle inhibitor, counted while it lives. */
struct pb_inhibitor {
	struct pb_desktop_protocols *dp;
	struct wl_listener destroy;
	struct pb_listeners listeners;
};

/*
 * The client's wish is granted: client-side when it asks for that, our
 * title bar when it asks for server-side or leaves the choice to us (unset,
 * as labwc does; a client that binds xdg-decoration can do without its own
 * frame, while one that draws its own says client-side). The answer
 * travels with a configure of the window, which may go out only once the
 * window is initialised (its initial commit).
 */
static void answer(struct pb_xdg_decoration *decoration)
{
	struct wlr_xdg_toplevel *toplevel = decoration->wlr->toplevel;
	if (!toplevel->base->initialized) {
		return;
	}
	bool client_side =
	        decoration->wlr->requested_mode == WLR_XDG_TOPLEVEL_DECORATION_V1_MODE_CLIENT_SIDE;
	wlr_xdg_toplevel_decoration_v1_set_mode(
	        decoration->wlr, client_side ? WLR_XDG_TOPLEVEL_DECORATION_V1_MODE_CLIENT_SIDE
	                                     : WLR_XDG_TOPLEVEL_DECORATION_V1_MODE_SERVER_SIDE);
	struct pb_view *view = pb_xdg_view_from_toplevel(toplevel);
	if (view) {
		pb_view_set_server_side(view, !client_side);
	}
}

static void handle_decoration_request(struct wl_listener *listener, void *data)
{
	struct pb_xdg_decoration *decoration = wl_container_of(listener, decoration, request_mode);
	answer(decoration);
}

/* Asked before the window's initial commit (as clients do): answered with its first configure. */
static void handle_decoration_commit(struct wl_listener *listener, void *data)
{
	struct pb_xdg_decoration *decoration = wl_container_of(listener, decoration, commit);
	if (decoration->wlr->toplevel->base->initial_commit) {
		answer(decoration);
	}
}

/*
 * Without the object the client draws its own frame again. When the window
 * goes first, its view is gone already (and found no more).
 */
static void handle_decoration_destroy(struct wl_listener *listener, void *data)
{
	struct pb_xdg_decoration *decoration = wl_container_of(listener, decoration, destroy);
	struct pb_view *view = pb_xdg_view_from_toplevel(decoration->wlr->toplevel);
	if (view) {
		pb_view_set_server_side(view, false);
	}
	pb_disconnect_all(&decoration->listeners);
	free(decoration);
}

static void handle_new_decoration(struct wl_listener *listener, void *data)
{
	struct wlr_xdg_toplevel_decoration_v1 *wlr = data;
	struct pb_xdg_decoration *decoration = calloc(1, sizeof(*decoration));
	if (!decoration) {
		wlr_log(WLR_ERROR,
		        "Out of memory for a window's decoration; its client is told so");
		wl_resource_post_no_memory(wlr->resource);
		return;
	}
	decoration->wlr = wlr;
	const struct pb_connection connections[] = {
	        {&wlr->events.request_mode, &decoration->request_mode, handle_decoration_request},
	        {&wlr->toplevel->base->surface->events.commit, &decoration->commit,
	                handle_decoration_commit},
	        {&wlr->events.destroy, &decoration->destroy, handle_decoration_destroy},
	};
	pb_connect_all(&decoration->listeners, connections, PB_COUNT(connections));
	answer(decoration);
}

static void update_idle(struct pb_desktop_protocols *dp)
{
	wlr_idle_notifier_v1_set_inhibited(dp->server->idle, dp->inhibitors > 0);
}

static void handle_inhibitor_destroy(struct wl_listener *listener, void *data)
{
	struct pb_inhibitor *inhibitor = wl_container_of(listener, inhibitor, destroy);
	struct pb_desktop_protocols *dp = inhibitor->dp;
	pb_disconnect_all(&inhibitor->listeners);
	free(inhibitor);
	dp->inhibitors--;
	update_idle(dp);
}

/* A video player or presentation keeps the screen from going idle while it lives. */
static void handle_new_inhibitor(struct wl_listener *listener, void *data)
{
	struct pb_desktop_protocols *dp = wl_container_of(listener, dp, new_inhibitor);
	struct wlr_idle_inhibitor_v1 *wlr = data;
	struct pb_inhibitor *inhibitor = calloc(1, sizeof(*inhibitor));
	if (!inhibitor) {
		wlr_log(WLR_ERROR,
		        "Out of memory for an idle inhibitor; the screen may still idle");
		return;
	}
	inhibitor->dp = dp;
	pb_listen(&inhibitor->listeners, &wlr->events.destroy, &inhibitor->destroy,
	        handle_inhibitor_destroy);
	dp->inhibitors++;
	update_idle(dp);
}

/*
 * A launcher or notification hands focus to a window. Only tokens made for
 * an input event (with a seat) count: a client may not raise itself at will.
 */
static void handle_request_activate(struct wl_listener *listener, void *data)
{
	struct pb_desktop_protocols *dp = wl_container_of(listener, dp, request_activate);
	struct wlr_xdg_activation_v1_request_activate_event *event = data;
	if (!event->token->seat) {
		return;
	}
	struct pb_view *view = pb_view_from_surface(dp->server, event->surface);
	if (view) {
		pb_view_focus(view);
	}
}

bool pb_desktop_protocols_init(struct pb_server *server)
{
	struct wl_display *display = server->display;
	struct pb_desktop_protocols *dp = calloc(1, sizeof(*dp));
	if (!dp) {
		return false;
	}
	dp->server = server;
	server->protocols = dp;
	/* The scene sends presentation feedback itself, from the output a surface is mostly on. */
	struct wlr_presentation *presentation = wlr_presentation_create(display, server->backend);
	struct wlr_xdg_decoration_manager_v1 *decorations =
	        wlr_xdg_decoration_manager_v1_create(display);
	struct wlr_xdg_activation_v1 *activation = wlr_xdg_activation_v1_create(display);
	dp->inhibit = wlr_idle_inhibit_v1_create(display);
	server->idle = wlr_idle_notifier_v1_create(display);
	server->foreign_toplevels = wlr_foreign_toplevel_manager_v1_create(display);
	server->toplevel_list = wlr_ext_foreign_toplevel_list_v1_create(display, 1);
	struct wlr_data_control_manager_v1 *data_control =
	        wlr_data_control_manager_v1_create(display);
	struct wlr_gamma_control_manager_v1 *gamma = wlr_gamma_control_manager_v1_create(display);
	struct wlr_screencopy_manager_v1 *screencopy = wlr_screencopy_manager_v1_create(display);
	struct wlr_export_dmabuf_manager_v1 *export_dmabuf =
	        wlr_export_dmabuf_manager_v1_create(display);
	/*
	 * Gamma control: the bridge's outputs have no gamma table (size 0), so
	 * wlroots refuses every client's control at once.
	 */
	if (!presentation || !decorations || !activation || !dp->inhibit || !server->idle ||
	        !server->foreign_toplevels || !server->toplevel_list || !data_control || !gamma ||
	        !screencopy || !export_dmabuf ||
	        !wlr_xdg_output_manager_v1_create(display, server->layout) ||
	        !wlr_viewporter_create(display) ||
	        !wlr_primary_selection_v1_device_manager_create(display) ||
	        /* The scene applies these itself: surfaces' scale, opacity and solid colours. */
	        !wlr_fractional_scale_manager_v1_create(display, 1) ||
	        !wlr_alpha_modifier_v1_create(display) ||
	        !wlr_single_pixel_buffer_manager_v1_create(display) ||
	        /* Told by a video or game what it shows; nothing here differs by it (no VRR). */
	        !wlr_content_type_manager_v1_create(display, 1)) {
		wlr_log(WLR_ERROR, "Cannot create the desktop protocols' globals");
		free(dp);
		server->protocols = NULL;
		return false;
	}
	/* What a sandboxed application may not see: others' windows, pixels, clipboard, input. */
	const struct wl_global *privileged[] = {data_control->global, gamma->global,
	        screencopy->global, export_dmabuf->global, server->foreign_toplevels->global,
	        server->toplevel_list->global};
	for (size_t i = 0; i < PB_COUNT(privileged); i++) {
		pb_global_filter_mark_privileged(server, privileged[i]);
	}
	pb_listen(&dp->listeners, &decorations->events.new_toplevel_decoration, &dp->new_decoration,
	        handle_new_decoration);
	pb_listen(&dp->listeners, &activation->events.request_activate, &dp->request_activate,
	        handle_request_activate);
	pb_listen(&dp->listeners, &dp->inhibit->events.new_inhibitor, &dp->new_inhibitor,
	        handle_new_inhibitor);
	return true;
}

void pb_desktop_protocols_finish(struct pb_server *server)
{
	struct pb_desktop_protocols *dp = server->protocols;
	if (!dp) {
		return;
	}
	pb_disconnect_all(&dp->listeners);
	free(dp);
	server->protocols = NULL;
}
