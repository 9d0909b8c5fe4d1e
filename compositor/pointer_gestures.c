#include "pointer_gestures.h"

#include <stdlib.h>
#include <wlr/types/wlr_cursor.h>
#include <wlr/types/wlr_idle_notify_v1.h>
#include <wlr/types/wlr_pointer.h>
#include <wlr/types/wlr_pointer_gestures_v1.h>

#include "listeners.h"
#include "seat.h"
#include "server.h"

struct pb_pointer_gestures {
	struct pb_server *server;
	struct wlr_pointer_gestures_v1 *wlr;
	struct wl_listener swipe_begin, swipe_update, swipe_end;
	struct wl_listener pinch_begin, pinch_update, pinch_end;
	struct wl_listener hold_begin, hold_end;
	struct pb_listeners listeners;
};

/* A gesture is input: it keeps the session from going idle, as motion does. */
static struct pb_pointer_gestures *active(struct pb_pointer_gestures *gestures)
{
	wlr_idle_notifier_v1_notify_activity(
	        gestures->server->idle, gestures->server->seat->wlr_seat);
	return gestures;
}

static void handle_swipe_begin(struct wl_listener *listener, void *data)
{
	struct pb_pointer_gestures *g = active(wl_container_of(listener, g, swipe_begin));
	struct wlr_pointer_swipe_begin_event *event = data;
	wlr_pointer_gestures_v1_send_swipe_begin(
	        g->wlr, g->server->seat->wlr_seat, event->time_msec, event->fingers);
}

static void handle_swipe_update(struct wl_listener *listener, void *data)
{
	struct pb_pointer_gestures *g = active(wl_container_of(listener, g, swipe_update));
	struct wlr_pointer_swipe_update_event *event = data;
	wlr_pointer_gestures_v1_send_swipe_update(
	        g->wlr, g->server->seat->wlr_seat, event->time_msec, event->dx, event->dy);
}

static void handle_swipe_end(struct wl_listener *listener, void *data)
{
	struct pb_pointer_gestures *g = active(wl_container_of(listener, g, swipe_end));
	struct wlr_pointer_swipe_end_event *event = data;
	wlr_pointer_gestures_v1_send_swipe_end(
	        g->wlr, g->server->seat->wlr_seat, event->time_msec, event->cancelled);
}

static void handle_pinch_begin(struct wl_listener *listener, void *data)
{
	struct pb_pointer_gestures *g = active(wl_container_of(listener, g, pinch_begin));
	struct wlr_pointer_pinch_begin_event *event = data;
	wlr_pointer_gestures_v1_send_pinch_begin(
	        g->wlr, g->server->seat->wlr_seat, event->time_msec, event->fingers);
}

static void handle_pinch_update(struct wl_listener *listener, void *data)
{
	struct pb_pointer_gestures *g = active(wl_container_of(listener, g, pinch_update));
	struct wlr_pointer_pinch_update_event *event = data;
	wlr_pointer_gestures_v1_send_pinch_update(g->wlr, g->server->seat->wlr_seat,
	        event->time_msec, event->dx, event->dy, event->scale, event->rotation);
}

static void handle_pinch_end(struct wl_listener *listener, void *data)
{
	struct pb_pointer_gestures *g = active(wl_container_of(listener, g, pinch_end));
	struct wlr_pointer_pinch_end_event *event = data;
	wlr_pointer_gestures_v1_send_pinch_end(
	        g->wlr, g->server->seat->wlr_seat, event->time_msec, event->cancelled);
}

static void handle_hold_begin(struct wl_listener *listener, void *data)
{
	struct pb_pointer_gestures *g = active(wl_container_of(listener, g, hold_begin));
	struct wlr_pointer_hold_begin_event *event = data;
	wlr_pointer_gestures_v1_send_hold_begin(
	        g->wlr, g->server->seat->wlr_seat, event->time_msec, event->fingers);
}

static void handle_hold_end(struct wl_listener *listener, void *data)
{
	struct pb_pointer_gestures *g = active(wl_container_of(listener, g, hold_end));
	struct wlr_pointer_hold_end_event *event = data;
	wlr_pointer_gestures_v1_send_hold_end(
	        g->wlr, g->server->seat->wlr_seat, event->time_msec, event->cancelled);
}

bool pb_pointer_gestures_init(struct pb_server *server)
{
	struct pb_pointer_gestures *g = calloc(1, sizeof(*g));
	if (!g) {
		return false;
	}
	g->wlr = wlr_pointer_gestures_v1_create(server->display);
	if (!g->wlr) {
		free(g);
		return false;
	}
	g->server = server;
	struct wlr_cursor *cursor = server->seat->cursor;
	const struct pb_connection connections[] = {
	        {&cursor->events.swipe_begin, &g->swipe_begin, handle_swipe_begin},
	        {&cursor->events.swipe_update, &g->swipe_update, handle_swipe_update},
	        {&cursor->events.swipe_end, &g->swipe_end, handle_swipe_end},
	        {&cursor->events.pinch_begin, &g->pinch_begin, handle_pinch_begin},
	        {&cursor->events.pinch_update, &g->pinch_update, handle_pinch_update},
	        {&cursor->events.pinch_end, &g->pinch_end, handle_pinch_end},
	        {&cursor->events.hold_begin, &g->hold_begin, handle_hold_begin},
	        {&cursor->events.hold_end, &g->hold_end, handle_hold_end},
	};
	pb_connect_all(&g->listeners, connections, PB_COUNT(connections));
	server->pointer_gestures = g;
	return true;
}

void pb_pointer_gestures_finish(struct pb_server *server)
{
	struct pb_pointer_gestures *g = server->pointer_gestures;
	if (!g) {
		return;
	}
	pb_disconnect_all(&g->listeners);
	free(g);
	server->pointer_gestures = NULL;
}
