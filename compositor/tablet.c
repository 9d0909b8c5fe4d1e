/*
 * Drawing tablets (tablet-v2): a pen over a surface whose client binds
 * tablet-v2 is sent as a pen, with pressure, tilt and the rest; over any
 * other surface it acts as an absolute pointer whose tip is the left button.
 */
#include "tablet.h"
#include "seat.h"

#include <linux/input-event-codes.h>
#include <math.h>
#include <stdlib.h>
#include <wlr/types/wlr_cursor.h>
#include <wlr/types/wlr_idle_notify_v1.h>
#include <wlr/types/wlr_tablet_tool.h>
#include <wlr/types/wlr_tablet_v2.h>
#include <wlr/util/log.h>

#include "input.h"
#include "listeners.h"
#include "server.h"
#include "view.h"

struct pb_tablets {
	struct pb_server *server;
	struct wlr_tablet_manager_v2 *manager;
	struct wl_listener axis;
	struct wl_listener proximity;
	struct wl_listener tip;
	struct wl_listener button;
	struct wl_listener new_input;
	struct pb_listeners listeners;
};

/* A pen (or eraser, airbrush...) as tablet-v2 knows it, made when first seen. */
struct tool {
	struct pb_tablets *tablets;
	struct wlr_tablet_v2_tablet_tool *v2;
	/* While the tip is down on a tablet client: that surface's layout position. */
	double origin_x, origin_y;
	/* The tip went down as the left button: the pen stays a pointer until it lifts. */
	bool tip_as_pointer;
	struct wl_listener set_cursor;
	struct wl_listener destroy;
	struct pb_listeners listeners;
};

static void handle_tool_set_cursor(struct wl_listener *listener, void *data)
{
	struct tool *tool = wl_container_of(listener, tool, set_cursor);
	struct wlr_tablet_v2_event_cursor *event = data;
	struct wlr_surface *focused = tool->v2->focused_surface;
	/* Only the client the pen is over may set its image. */
	if (focused && event->seat_client &&
	        event->seat_client->client == wl_resource_get_client(focused->resource)) {
		wlr_cursor_set_surface(tool->tablets->server->seat->cursor, event->surface,
		        event->hotspot_x, event->hotspot_y);
	}
}

static void handle_tool_destroy(struct wl_listener *listener, void *data)
{
	struct tool *tool = wl_container_of(listener, tool, destroy);
	pb_disconnect_all(&tool->listeners);
	free(tool);
}

static struct tool *tool_of(struct pb_tablets *tablets, struct wlr_tablet_tool *wlr_tool)
{
	if (wlr_tool->data) {
		return wlr_tool->data;
	}
	struct tool *tool = calloc(1, sizeof(*tool));
	struct wlr_tablet_v2_tablet_tool *v2 =
	        tool ? wlr_tablet_tool_create(
	                       tablets->manager, tablets->server->seat->wlr_seat, wlr_tool)
	             : NULL;
	if (!v2) {
		free(tool);
		return NULL;
	}
	tool->tablets = tablets;
	tool->v2 = v2;
	const struct pb_connection connections[] = {
	        {&v2->events.set_cursor, &tool->set_cursor, handle_tool_set_cursor},
	        {&wlr_tool->events.destroy, &tool->destroy, handle_tool_destroy},
	};
	pb_connect_all(&tool->listeners, connections, PB_COUNT(connections));
	wlr_tool->data = tool;
	return tool;
}

/*
 * The pen moved to the cursor's position. True when a tablet client got it;
 * false when it should act as a pointer. While the tip is down on a tablet
 * client, that client keeps it, wherever it goes, as a pointer button would.
 */
static bool send_position(
        struct pb_tablets *tablets, struct tool *tool, struct wlr_tablet *wlr_tablet, uint32_t time)
{
	struct pb_server *server = tablets->server;
	struct wlr_tablet_v2_tablet *tablet = wlr_tablet->data;
	if (!tool || !tablet || tool->tip_as_pointer) {
		return false;
	}
	if (tool->v2->is_down && tool->v2->focused_surface) {
		wlr_tablet_v2_tablet_tool_notify_motion(tool->v2,
		        server->seat->cursor->x - tool->origin_x,
		        server->seat->cursor->y - tool->origin_y);
		return true;
	}
	struct wlr_surface *surface = NULL;
	double sx, sy;
	pb_view_at(server, server->seat->cursor->x, server->seat->cursor->y, &surface, &sx, &sy);
	if (server->seat->grab.view || !surface ||
	        !wlr_surface_accepts_tablet_v2(tablet, surface)) {
		wlr_tablet_v2_tablet_tool_notify_proximity_out(tool->v2);
		return false;
	}
	if (tool->v2->focused_surface != surface) {
		/* The pointer leaves the surface the pen now speaks to. */
		wlr_seat_pointer_clear_focus(server->seat->wlr_seat);
	}
	wlr_tablet_v2_tablet_tool_notify_proximity_in(tool->v2, tablet, surface);
	wlr_tablet_v2_tablet_tool_notify_motion(tool->v2, sx, sy);
	tool->origin_x = server->seat->cursor->x - sx;
	tool->origin_y = server->seat->cursor->y - sy;
	return true;
}

/* A pen not over a tablet client: an absolute pointer. */
static void emulate_pointer(struct pb_server *server, uint32_t time)
{
	pb_input_notify_motion(server->seat, time);
	wlr_seat_pointer_notify_frame(server->seat->wlr_seat);
}

static void move_cursor(struct pb_server *server, struct wlr_tablet_tool *wlr_tool,
        struct wlr_tablet *wlr_tablet, bool has_x, bool has_y, double x, double y, double dx,
        double dy)
{
	if (wlr_tool->type == WLR_TABLET_TOOL_TYPE_MOUSE) {
		/* A tablet's puck moves relatively, as a mouse does. */
		wlr_cursor_move(server->seat->cursor, &wlr_tablet->base, dx, dy);
	} else {
		wlr_cursor_warp_absolute(
		        server->seat->cursor, &wlr_tablet->base, has_x ? x : NAN, has_y ? y : NAN);
	}
}

static void handle_axis(struct wl_listener *listener, void *data)
{
	struct pb_tablets *tablets = wl_container_of(listener, tablets, axis);
	struct pb_server *server = tablets->server;
	struct wlr_tablet_tool_axis_event *event = data;
	struct tool *tool = tool_of(tablets, event->tool);
	uint32_t axes = event->updated_axes;
	wlr_idle_notifier_v1_notify_activity(server->idle, server->seat->wlr_seat);
	bool moved = axes & (WLR_TABLET_TOOL_AXIS_X | WLR_TABLET_TOOL_AXIS_Y);
	if (moved) {
		move_cursor(server, event->tool, event->tablet, axes & WLR_TABLET_TOOL_AXIS_X,
		        axes & WLR_TABLET_TOOL_AXIS_Y, event->x, event->y, event->dx, event->dy);
	}
	if (!send_position(tablets, tool, event->tablet, event->time_msec)) {
		if (moved) {
			emulate_pointer(server, event->time_msec);
		}
		return;
	}
	struct wlr_tablet_v2_tablet_tool *v2 = tool->v2;
	if (axes & WLR_TABLET_TOOL_AXIS_PRESSURE) {
		wlr_tablet_v2_tablet_tool_notify_pressure(v2, event->pressure);
	}
	if (axes & WLR_TABLET_TOOL_AXIS_DISTANCE) {
		wlr_tablet_v2_tablet_tool_notify_distance(v2, event->distance);
	}
	if (axes & (WLR_TABLET_TOOL_AXIS_TILT_X | WLR_TABLET_TOOL_AXIS_TILT_Y)) {
		wlr_tablet_v2_tablet_tool_notify_tilt(v2, event->tilt_x, event->tilt_y);
	}
	if (axes & WLR_TABLET_TOOL_AXIS_ROTATION) {
		wlr_tablet_v2_tablet_tool_notify_rotation(v2, event->rotation);
	}
	if (axes & WLR_TABLET_TOOL_AXIS_SLIDER) {
		wlr_tablet_v2_tablet_tool_notify_slider(v2, event->slider);
	}
	if (axes & WLR_TABLET_TOOL_AXIS_WHEEL) {
		wlr_tablet_v2_tablet_tool_notify_wheel(v2, event->wheel_delta, 0);
	}
}

static void handle_proximity(struct wl_listener *listener, void *data)
{
	struct pb_tablets *tablets = wl_container_of(listener, tablets, proximity);
	struct wlr_tablet_tool_proximity_event *event = data;
	struct tool *tool = tool_of(tablets, event->tool);
	if (event->state == WLR_TABLET_TOOL_PROXIMITY_OUT) {
		if (tool) {
			wlr_tablet_v2_tablet_tool_notify_proximity_out(tool->v2);
		}
		return;
	}
	move_cursor(
	        tablets->server, event->tool, event->tablet, true, true, event->x, event->y, 0, 0);
	if (!send_position(tablets, tool, event->tablet, event->time_msec)) {
		emulate_pointer(tablets->server, event->time_msec);
	}
}

static void handle_tip(struct wl_listener *listener, void *data)
{
	struct pb_tablets *tablets = wl_container_of(listener, tablets, tip);
	struct pb_server *server = tablets->server;
	struct wlr_tablet_tool_tip_event *event = data;
	struct tool *tool = tool_of(tablets, event->tool);
	bool down = event->state == WLR_TABLET_TOOL_TIP_DOWN;
	wlr_idle_notifier_v1_notify_activity(server->idle, server->seat->wlr_seat);
	if (down && tool && tool->v2->focused_surface) {
		struct wlr_surface *surface;
		double sx, sy;
		struct pb_view *view = pb_view_at(server, server->seat->cursor->x,
		        server->seat->cursor->y, &surface, &sx, &sy);
		if (view) {
			pb_view_focus(view);
		}
		wlr_tablet_v2_tablet_tool_notify_down(tool->v2);
		return;
	}
	if (!down && tool && tool->v2->is_down) {
		/* Even when the surface it drew on is gone: else its next client hears "down". */
		wlr_tablet_v2_tablet_tool_notify_up(tool->v2);
		/* Lifted off the client it was drawing in: it goes where the pen is. */
		send_position(tablets, tool, event->tablet, event->time_msec);
		return;
	}
	if (tool) {
		tool->tip_as_pointer = down;
	}
	struct wlr_pointer_button_event button = {
	        .time_msec = event->time_msec,
	        .button = BTN_LEFT,
	        .state = down ? WL_POINTER_BUTTON_STATE_PRESSED : WL_POINTER_BUTTON_STATE_RELEASED,
	};
	pb_input_notify_button(server->seat, &button);
	wlr_seat_pointer_notify_frame(server->seat->wlr_seat);
	if (!down) {
		send_position(tablets, tool, event->tablet, event->time_msec);
	}
}

/* The pen's own buttons reach tablet clients; as a pointer, the pen has only its tip. */
static void handle_button(struct wl_listener *listener, void *data)
{
	struct pb_tablets *tablets = wl_container_of(listener, tablets, button);
	struct wlr_tablet_tool_button_event *event = data;
	struct tool *tool = tool_of(tablets, event->tool);
	if (tool && tool->v2->focused_surface) {
		wlr_tablet_v2_tablet_tool_notify_button(tool->v2, event->button,
		        event->state == WLR_BUTTON_PRESSED
		                ? ZWP_TABLET_PAD_V2_BUTTON_STATE_PRESSED
		                : ZWP_TABLET_PAD_V2_BUTTON_STATE_RELEASED);
	}
}

/* A tablet appeared: tablet-v2 clients hear of it (input.c makes it move the cursor too). */
static void handle_new_input(struct wl_listener *listener, void *data)
{
	struct pb_tablets *tablets = wl_container_of(listener, tablets, new_input);
	struct pb_server *server = tablets->server;
	struct wlr_input_device *device = data;
	if (device->type != WLR_INPUT_DEVICE_TABLET) {
		return;
	}
	struct wlr_tablet *wlr_tablet = wlr_tablet_from_input_device(device);
	/* wlroots frees it with the device. */
	wlr_tablet->data = wlr_tablet_create(tablets->manager, server->seat->wlr_seat, device);
	if (!wlr_tablet->data) {
		wlr_log(WLR_ERROR, "%s: out of memory: it works as a pointer only", device->name);
	}
}

bool pb_tablet_init(struct pb_server *server)
{
	struct pb_tablets *tablets = calloc(1, sizeof(*tablets));
	if (!tablets) {
		return false;
	}
	tablets->manager = wlr_tablet_v2_create(server->display);
	if (!tablets->manager) {
		free(tablets);
		return false;
	}
	tablets->server = server;
	struct wlr_cursor *cursor = server->seat->cursor;
	const struct pb_connection connections[] = {
	        {&server->backend->events.new_input, &tablets->new_input, handle_new_input},
	        {&cursor->events.tablet_tool_axis, &tablets->axis, handle_axis},
	        {&cursor->events.tablet_tool_proximity, &tablets->proximity, handle_proximity},
	        {&cursor->events.tablet_tool_tip, &tablets->tip, handle_tip},
	        {&cursor->events.tablet_tool_button, &tablets->button, handle_button},
	};
	pb_connect_all(&tablets->listeners, connections, PB_COUNT(connections));
	server->tablets = tablets;
	return true;
}

void pb_tablet_finish(struct pb_server *server)
{
	struct pb_tablets *tablets = server->tablets;
	if (!tablets) {
		return;
	}
	pb_disconnect_all(&tablets->listeners);
	free(tablets);
	server->tablets = NULL;
}
