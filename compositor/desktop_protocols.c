#include "desktop_protocols.h"

#include <stdlib.h>
#include <wlr/types/wlr_data_control_v1.h>
#include <wlr/types/wlr_export_dmabuf_v1.h>
#include <wlr/types/wlr_foreign_toplevel_management_v1.h>
#include <wlr/types/wlr_gamma_control_v1.h>
#include <wlr/types/wlr_idle.h>
#include <wlr/types/wlr_idle_inhibit_v1.h>
#include <wlr/types/wlr_presentation_time.h>
#include <wlr/types/wlr_primary_selection_v1.h>
#include <wlr/types/wlr_relative_pointer_v1.h>
#include <wlr/types/wlr_screencopy_v1.h>
#include <wlr/types/wlr_viewporter.h>
#include <wlr/types/wlr_virtual_keyboard_v1.h>
#include <wlr/types/wlr_virtual_pointer_v1.h>
#include <wlr/types/wlr_xdg_activation_v1.h>
#include <wlr/types/wlr_xdg_decoration_v1.h>
#include <wlr/types/wlr_xdg_output_v1.h>
#include <wlr/util/log.h>

#include "server.h"
#include "view.h"

struct pb_desktop_protocols {
	struct pb_server *server;
	struct wlr_idle_inhibit_manager_v1 *inhibit;
	int inhibitors;
	struct wl_listener new_decoration;
	struct wl_listener request_activate;
	struct wl_listener new_inhibitor;
};

/* Per object: answers a decoration's mode requests, counts an inhibitor's end. */
struct pb_tracked {
	struct pb_desktop_protocols *dp;
	void *object;
	struct wl_listener request;
	struct wl_listener destroy;
};

static void untrack(struct pb_tracked *tracked)
{
	wl_list_remove(&tracked->request.link);
	wl_list_remove(&tracked->destroy.link);
	free(tracked);
}

static struct pb_tracked *track(struct pb_desktop_protocols *dp, void *object,
        struct wl_signal *request, wl_notify_func_t on_request, struct wl_signal *destroy,
        wl_notify_func_t on_destroy)
{
	struct pb_tracked *tracked = calloc(1, sizeof(*tracked));
	if (!tracked) {
		wlr_log(WLR_ERROR, "Out of memory tracking a client object");
		return NULL;
	}
	tracked->dp = dp;
	tracked->object = object;
	tracked->request.notify = on_request; /* NULL with no request signal */
	if (request) {
		wl_signal_add(request, &tracked->request);
	} else {
		wl_list_init(&tracked->request.link);
	}
	tracked->destroy.notify = on_destroy;
	wl_signal_add(destroy, &tracked->destroy);
	return tracked;
}

/* Whatever the client asks, it draws its own decorations: primebridge draws none. */
static void handle_decoration_request(struct wl_listener *listener, void *data)
{
	struct pb_tracked *tracked = wl_container_of(listener, tracked, request);
	wlr_xdg_toplevel_decoration_v1_set_mode(
	        tracked->object, WLR_XDG_TOPLEVEL_DECORATION_V1_MODE_CLIENT_SIDE);
}

static void handle_decoration_destroy(struct wl_listener *listener, void *data)
{
	struct pb_tracked *tracked = wl_container_of(listener, tracked, destroy);
	untrack(tracked);
}

static void handle_new_decoration(struct wl_listener *listener, void *data)
{
	struct pb_desktop_protocols *dp = wl_container_of(listener, dp, new_decoration);
	struct wlr_xdg_toplevel_decoration_v1 *decoration = data;
	struct pb_tracked *tracked = track(dp, decoration, &decoration->events.request_mode,
	        handle_decoration_request, &decoration->events.destroy, handle_decoration_destroy);
	if (tracked) {
		handle_decoration_request(&tracked->request, NULL);
	}
}

static void update_idle(struct pb_desktop_protocols *dp)
{
	wlr_idle_set_enabled(dp->server->idle, dp->server->seat, dp->inhibitors == 0);
}

static void handle_inhibitor_destroy(struct wl_listener *listener, void *data)
{
	struct pb_tracked *tracked = wl_container_of(listener, tracked, destroy);
	struct pb_desktop_protocols *dp = tracked->dp;
	dp->inhibitors--;
	untrack(tracked);
	update_idle(dp);
}

/* A video player or presentation keeps the screen from going idle while it lives. */
static void handle_new_inhibitor(struct wl_listener *listener, void *data)
{
	struct pb_desktop_protocols *dp = wl_container_of(listener, dp, new_inhibitor);
	struct wlr_idle_inhibitor_v1 *inhibitor = data;
	if (track(dp, inhibitor, NULL, NULL, &inhibitor->events.destroy,
	            handle_inhibitor_destroy)) {
		dp->inhibitors++;
		update_idle(dp);
	}
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
	struct wlr_presentation *presentation = wlr_presentation_create(display, server->backend);
	struct wlr_xdg_decoration_manager_v1 *decorations =
	        wlr_xdg_decoration_manager_v1_create(display);
	struct wlr_xdg_activation_v1 *activation = wlr_xdg_activation_v1_create(display);
	dp->inhibit = wlr_idle_inhibit_v1_create(display);
	server->idle = wlr_idle_create(display);
	server->relative_pointer = wlr_relative_pointer_manager_v1_create(display);
	server->foreign_toplevels = wlr_foreign_toplevel_manager_v1_create(display);
	server->virtual_keyboards = wlr_virtual_keyboard_manager_v1_create(display);
	server->virtual_pointers = wlr_virtual_pointer_manager_v1_create(display);
	/* Gamma control asks the output, which refuses: the virtio-gpu plane has no LUT. */
	if (!presentation || !decorations || !activation || !dp->inhibit || !server->idle ||
	        !server->relative_pointer || !server->foreign_toplevels ||
	        !server->virtual_keyboards || !server->virtual_pointers ||
	        !wlr_xdg_output_manager_v1_create(display, server->layout) ||
	        !wlr_viewporter_create(display) ||
	        !wlr_primary_selection_v1_device_manager_create(display) ||
	        !wlr_data_control_manager_v1_create(display) ||
	        !wlr_gamma_control_manager_v1_create(display) ||
	        !wlr_screencopy_manager_v1_create(display) ||
	        !wlr_export_dmabuf_manager_v1_create(display)) {
		wlr_log(WLR_ERROR, "Cannot create the desktop protocols' globals");
		free(dp);
		server->protocols = NULL;
		return false;
	}
	wlr_scene_set_presentation(server->scene, presentation);
	server->presentation = presentation;
	dp->new_decoration.notify = handle_new_decoration;
	wl_signal_add(&decorations->events.new_toplevel_decoration, &dp->new_decoration);
	dp->request_activate.notify = handle_request_activate;
	wl_signal_add(&activation->events.request_activate, &dp->request_activate);
	dp->new_inhibitor.notify = handle_new_inhibitor;
	wl_signal_add(&dp->inhibit->events.new_inhibitor, &dp->new_inhibitor);
	return true;
}

void pb_desktop_protocols_finish(struct pb_server *server)
{
	struct pb_desktop_protocols *dp = server->protocols;
	if (!dp) {
		return;
	}
	wl_list_remove(&dp->new_decoration.link);
	wl_list_remove(&dp->request_activate.link);
	wl_list_remove(&dp->new_inhibitor.link);
	free(dp);
	server->protocols = NULL;
}
