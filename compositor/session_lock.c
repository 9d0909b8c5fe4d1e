#include "session_lock.h"

#include <stdlib.h>
#include <wlr/types/wlr_scene.h>
#include <wlr/types/wlr_session_lock_v1.h>
#include <wlr/util/log.h>

#include "global_filter.h"
#include "listeners.h"
#include "output.h"
#include "seat.h"
#include "server.h"
#include "view.h"

/* What shows where no lock surface does: before the locker draws, and after it died. */
static const float LOCKED_COLOUR[4] = {0.125f, 0.125f, 0.125f, 1.0f};

struct lock_surface {
	struct wl_list link; /* pb_session_lock.surfaces */
	struct pb_session_lock *lock;
	struct wlr_session_lock_surface_v1 *wlr;
	struct wlr_scene_tree *tree; /* NULL once gone with its surface */
	struct wl_listener map;
	struct wl_listener destroy;
	struct wl_listener tree_destroy;
	struct pb_listeners listeners;
};

/* An output that has not shown a frame of the lock yet. */
struct output_wait {
	struct wl_list link; /* pb_session_lock.waits */
	struct pb_session_lock *lock;
	struct wl_listener commit;
	struct wl_listener destroy;
	struct pb_listeners listeners;
};

struct pb_session_lock {
	struct pb_server *server;
	struct wlr_session_lock_v1 *locker; /* NULL when none, or once it died */
	bool locked_sent;
	struct wlr_scene_tree *tree; /* topmost: the colour, then the lock surfaces */
	struct wlr_scene_rect *cover;
	struct wl_list surfaces; /* lock_surface.link */
	struct wl_list waits;    /* output_wait.link */
	struct wl_listener new_lock;
	struct wl_listener new_surface;
	struct wl_listener unlock;
	struct wl_listener locker_destroy;
	/* While locked: a grab (a client's popup, a drag) would take input from the locker. */
	struct wl_listener pointer_grab_begin;
	struct wl_listener keyboard_grab_begin;
	struct wl_listener touch_grab_begin;
	struct pb_listeners listeners;
	struct pb_listeners locker_listeners; /* the current locker's */
	struct wl_event_source *end_grabs;    /* scheduled by a grab that began while locked */
};

/*
 * Whether the session is locked is kept by the seat, which lets only lock
 * surfaces have the keyboard then.
 */
static bool is_locked(const struct pb_session_lock *lock)
{
	return lock->server->seat->locked;
}

static void set_locked(struct pb_session_lock *lock, bool locked)
{
	lock->server->seat->locked = locked;
}

/* The colour covers the whole layout; each lock surface fills its output. */
static void arrange(struct pb_session_lock *lock)
{
	struct wlr_output_layout *layout = lock->server->layout;
	struct wlr_box all;
	wlr_output_layout_get_box(layout, NULL, &all);
	wlr_scene_node_set_position(&lock->cover->node, all.x, all.y);
	wlr_scene_rect_set_size(lock->cover, all.width, all.height);
	struct lock_surface *ls;
	wl_list_for_each(ls, &lock->surfaces, link)
	{
		if (!ls->tree) {
			continue;
		}
		struct wlr_box box;
		wlr_output_layout_get_box(layout, ls->wlr->output, &box);
		wlr_scene_node_set_enabled(&ls->tree->node, !wlr_box_empty(&box));
		if (!wlr_box_empty(&box)) {
			wlr_scene_node_set_position(&ls->tree->node, box.x, box.y);
			wlr_session_lock_surface_v1_configure(
			        ls->wlr, (uint32_t)box.width, (uint32_t)box.height);
		}
	}
}

void pb_session_lock_arrange(struct pb_session_lock *lock)
{
	if (lock && is_locked(lock)) {
		arrange(lock);
	}
}

static void send_locked_when_shown(struct pb_session_lock *lock)
{
	if (lock->locker && !lock->locked_sent && wl_list_empty(&lock->waits)) {
		wlr_session_lock_v1_send_locked(lock->locker);
		lock->locked_sent = true;
	}
}

static void end_wait(struct output_wait *wait)
{
	pb_disconnect_all(&wait->listeners);
	wl_list_remove(&wait->link);
	free(wait);
}

static void handle_wait_commit(struct wl_listener *listener, void *data)
{
	struct output_wait *wait = wl_container_of(listener, wait, commit);
	const struct wlr_output_event_commit *event = data;
	/* A frame of the lock shown, or the output turned off: nothing else shows there. */
	if (event->state->committed & WLR_OUTPUT_STATE_BUFFER || !event->output->enabled) {
		struct pb_session_lock *lock = wait->lock;
		end_wait(wait);
		send_locked_when_shown(lock);
	}
}

static void handle_wait_destroy(struct wl_listener *listener, void *data)
{
	struct output_wait *wait = wl_container_of(listener, wait, destroy);
	struct pb_session_lock *lock = wait->lock;
	end_wait(wait);
	send_locked_when_shown(lock);
}

static void wait_for_every_output(struct pb_session_lock *lock)
{
	struct pb_output *output;
	wl_list_for_each(output, &lock->server->outputs, link)
	{
		if (!output->wlr_output->enabled) {
			continue; /* off (configuration, output power): it shows nothing */
		}
		struct output_wait *wait = calloc(1, sizeof(*wait));
		if (!wait) {
			continue; /* that output is not waited for: better late than never locked */
		}
		wait->lock = lock;
		pb_listen(&wait->listeners, &output->wlr_output->events.commit, &wait->commit,
		        handle_wait_commit);
		pb_listen(&wait->listeners, &output->wlr_output->events.destroy, &wait->destroy,
		        handle_wait_destroy);
		wl_list_insert(&lock->waits, &wait->link);
		wlr_output_schedule_frame(output->wlr_output);
	}
}

/* The keyboard goes to a mapped lock surface, if it has none yet. */
static void focus_lock_surface(struct pb_session_lock *lock)
{
	struct pb_server *server = lock->server;
	struct wlr_surface *focused = server->seat->wlr_seat->keyboard_state.focused_surface;
	if (focused && wlr_session_lock_surface_v1_try_from_wlr_surface(focused)) {
		return;
	}
	struct lock_surface *ls;
	wl_list_for_each(ls, &lock->surfaces, link)
	{
		if (ls->wlr->surface->mapped) {
			pb_seat_focus_keyboard(server->seat, ls->wlr->surface);
			return;
		}
	}
	wlr_seat_keyboard_clear_focus(server->seat->wlr_seat);
}

static void handle_surface_map(struct wl_listener *listener, void *data)
{
	struct lock_surface *ls = wl_container_of(listener, ls, map);
	focus_lock_surface(ls->lock);
}

static void handle_tree_destroy(struct wl_listener *listener, void *data)
{
	struct lock_surface *ls = wl_container_of(listener, ls, tree_destroy);
	pb_unlisten(&ls->listeners, &ls->tree_destroy);
	ls->tree = NULL;
}

static void free_lock_surface(struct lock_surface *ls)
{
	pb_disconnect_all(&ls->listeners);
	wl_list_remove(&ls->link);
	free(ls);
}

/* Its output went, or the locker destroyed it: its picture goes too, and the keyboard moves on. */
static void handle_surface_destroy(struct wl_listener *listener, void *data)
{
	struct lock_surface *ls = wl_container_of(listener, ls, destroy);
	struct pb_session_lock *lock = ls->lock;
	struct wlr_seat *seat = lock->server->seat->wlr_seat;
	bool focused = seat->keyboard_state.focused_surface == ls->wlr->surface;
	if (ls->tree) {
		wlr_scene_node_destroy(&ls->tree->node);
	}
	free_lock_surface(ls);
	if (focused) {
		wlr_seat_keyboard_clear_focus(seat);
	}
	if (is_locked(lock)) {
		focus_lock_surface(lock);
	}
}

static void handle_new_surface(struct wl_listener *listener, void *data)
{
	struct pb_session_lock *lock = wl_container_of(listener, lock, new_surface);
	struct wlr_session_lock_surface_v1 *wlr = data;
	struct lock_surface *ls = calloc(1, sizeof(*ls));
	struct wlr_scene_tree *tree =
	        ls ? wlr_scene_subsurface_tree_create(lock->tree, wlr->surface) : NULL;
	if (!tree) {
		/* The colour stays over that output: still locked, only not drawn by the locker. */
		wlr_log(WLR_ERROR, "Cannot show the screen locker's surface on %s",
		        wlr->output->name);
		free(ls);
		return;
	}
	ls->lock = lock;
	ls->wlr = wlr;
	ls->tree = tree;
	const struct pb_connection connections[] = {
	        {&wlr->surface->events.map, &ls->map, handle_surface_map},
	        {&wlr->events.destroy, &ls->destroy, handle_surface_destroy},
	        {&tree->node.events.destroy, &ls->tree_destroy, handle_tree_destroy},
	};
	pb_connect_all(&ls->listeners, connections, PB_COUNT(connections));
	wl_list_insert(&lock->surfaces, &ls->link);
	arrange(lock);
}

/* Ends every grab and touch sequence: from now on input goes to the locker only. */
static void end_grabs(struct pb_session_lock *lock)
{
	struct wlr_seat *seat = lock->server->seat->wlr_seat;
	wlr_seat_pointer_end_grab(seat);
	wlr_seat_keyboard_end_grab(seat);
	wlr_seat_touch_end_grab(seat);
	while (!wl_list_empty(&seat->touch_state.touch_points)) {
		struct wlr_touch_point *point =
		        wl_container_of(seat->touch_state.touch_points.next, point, link);
		wlr_seat_touch_notify_cancel(seat, point->client);
	}
	pb_grab_end(lock->server->seat);
}

static void end_grabs_now(void *data)
{
	struct pb_session_lock *lock = data;
	lock->end_grabs = NULL;
	if (is_locked(lock)) {
		end_grabs(lock);
		focus_lock_surface(lock);
	}
}

/*
 * A client may start a grab (an xdg popup's) while locked. It is ended from
 * the event loop: wlroots goes on using the grab right after this signal.
 */
static void schedule_end_grabs(struct pb_session_lock *lock)
{
	if (is_locked(lock) && !lock->end_grabs) {
		lock->end_grabs = wl_event_loop_add_idle(
		        wl_display_get_event_loop(lock->server->display), end_grabs_now, lock);
	}
}

static void handle_pointer_grab_begin(struct wl_listener *listener, void *data)
{
	struct pb_session_lock *lock = wl_container_of(listener, lock, pointer_grab_begin);
	schedule_end_grabs(lock);
}

static void handle_keyboard_grab_begin(struct wl_listener *listener, void *data)
{
	struct pb_session_lock *lock = wl_container_of(listener, lock, keyboard_grab_begin);
	schedule_end_grabs(lock);
}

static void handle_touch_grab_begin(struct wl_listener *listener, void *data)
{
	struct pb_session_lock *lock = wl_container_of(listener, lock, touch_grab_begin);
	schedule_end_grabs(lock);
}

static void forget_locker(struct pb_session_lock *lock)
{
	pb_disconnect_all(&lock->locker_listeners);
	lock->locker = NULL;
	struct output_wait *wait, *tmp;
	wl_list_for_each_safe(wait, tmp, &lock->waits, link)
	{
		end_wait(wait);
	}
}

static void handle_unlock(struct wl_listener *listener, void *data)
{
	struct pb_session_lock *lock = wl_container_of(listener, lock, unlock);
	struct pb_server *server = lock->server;
	forget_locker(lock);
	set_locked(lock, false);
	wlr_scene_node_set_enabled(&lock->tree->node, false);
	wlr_log(WLR_INFO, "Session unlocked");
	if (server->exclusive_focus) {
		pb_seat_focus_keyboard(server->seat, server->exclusive_focus);
	} else {
		pb_view_focus_top(server);
	}
}

static void handle_locker_destroy(struct wl_listener *listener, void *data)
{
	struct pb_session_lock *lock = wl_container_of(listener, lock, locker_destroy);
	forget_locker(lock);
	wlr_log(WLR_ERROR, "The screen locker quit without unlocking: the session stays locked "
	                   "until a new locker (swaylock) unlocks it");
}

static void handle_new_lock(struct wl_listener *listener, void *data)
{
	struct pb_session_lock *lock = wl_container_of(listener, lock, new_lock);
	struct wlr_session_lock_v1 *locker = data;
	struct pb_server *server = lock->server;
	if (lock->locker) {
		wlr_log(WLR_INFO, "A second screen locker was refused: one holds the lock");
		wlr_session_lock_v1_destroy(locker);
		return;
	}
	lock->locker = locker;
	const struct pb_connection connections[] = {
	        {&locker->events.new_surface, &lock->new_surface, handle_new_surface},
	        {&locker->events.unlock, &lock->unlock, handle_unlock},
	        {&locker->events.destroy, &lock->locker_destroy, handle_locker_destroy},
	};
	pb_connect_all(&lock->locker_listeners, connections, PB_COUNT(connections));
	lock->locked_sent = false;
	if (is_locked(lock)) {
		/* Taking over from a locker that died: the colour is on screen already. */
		wlr_log(WLR_INFO, "A new screen locker took over the lock");
		send_locked_when_shown(lock);
		return;
	}
	wlr_log(WLR_INFO, "Session locked");
	set_locked(lock, true);
	end_grabs(lock);
	wlr_seat_pointer_clear_focus(server->seat->wlr_seat);
	wlr_seat_keyboard_clear_focus(server->seat->wlr_seat);
	/* The last client's cursor image must not stay drawn over the lock. */
	wlr_cursor_set_xcursor(server->seat->cursor, server->seat->cursor_theme, "default");
	arrange(lock);
	wlr_scene_node_raise_to_top(&lock->tree->node);
	wlr_scene_node_set_enabled(&lock->tree->node, true);
	wait_for_every_output(lock);
	send_locked_when_shown(lock);
}

bool pb_session_lock_init(struct pb_server *server)
{
	struct pb_session_lock *lock = calloc(1, sizeof(*lock));
	if (!lock) {
		return false;
	}
	/* Made after every other layer of the scene: it stays on top. */
	lock->tree = wlr_scene_tree_create(&server->scene->tree);
	lock->cover = lock->tree ? wlr_scene_rect_create(lock->tree, 0, 0, LOCKED_COLOUR) : NULL;
	struct wlr_session_lock_manager_v1 *manager =
	        lock->cover ? wlr_session_lock_manager_v1_create(server->display) : NULL;
	if (!manager) {
		if (lock->tree) {
			wlr_scene_node_destroy(&lock->tree->node);
		}
		free(lock);
		return false;
	}
	pb_global_filter_mark_privileged(server, manager->global);
	lock->server = server;
	wl_list_init(&lock->surfaces);
	wl_list_init(&lock->waits);
	wlr_scene_node_set_enabled(&lock->tree->node, false);
	struct wlr_seat *seat = server->seat->wlr_seat;
	const struct pb_connection connections[] = {
	        {&manager->events.new_lock, &lock->new_lock, handle_new_lock},
	        {&seat->events.pointer_grab_begin, &lock->pointer_grab_begin,
	                handle_pointer_grab_begin},
	        {&seat->events.keyboard_grab_begin, &lock->keyboard_grab_begin,
	                handle_keyboard_grab_begin},
	        {&seat->events.touch_grab_begin, &lock->touch_grab_begin, handle_touch_grab_begin},
	};
	pb_connect_all(&lock->listeners, connections, PB_COUNT(connections));
	server->session_lock = lock;
	return true;
}

void pb_session_lock_finish(struct pb_server *server)
{
	struct pb_session_lock *lock = server->session_lock;
	if (!lock) {
		return;
	}
	forget_locker(lock);
	struct lock_surface *ls, *tmp;
	wl_list_for_each_safe(ls, tmp, &lock->surfaces, link)
	{
		free_lock_surface(ls);
	}
	if (lock->end_grabs) {
		wl_event_source_remove(lock->end_grabs);
	}
	pb_disconnect_all(&lock->listeners);
	free(lock);
	server->session_lock = NULL;
}
