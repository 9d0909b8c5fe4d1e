#include "input_method.h"

#include <stdlib.h>
#include <wlr/types/wlr_input_method_v2.h>
#include <wlr/types/wlr_output_layout.h>
#include <wlr/types/wlr_scene.h>
#include <wlr/types/wlr_text_input_v3.h>
#include <wlr/types/wlr_virtual_keyboard_v1.h>
#include <wlr/util/log.h>

#include "global_filter.h"
#include "listeners.h"
#include "seat.h"
#include "server.h"

struct pb_input_method {
	struct pb_server *server;
	struct wlr_input_method_v2 *method; /* the one input method, or NULL */
	struct wlr_scene_tree *popups;      /* its candidate popups, above windows and panels */
	struct wl_list text_inputs;         /* text_input.link */
	struct wl_list popup_list;          /* im_popup.link */
	struct wl_listener new_text_input;
	struct wl_listener new_method;
	struct wl_listener focus_change;
	struct wl_listener method_commit;
	struct wl_listener method_new_popup;
	struct wl_listener method_grab;
	struct wl_listener method_destroy;
	struct wl_listener grab_destroy;
	struct pb_listeners listeners;
	struct pb_listeners method_listeners; /* the running input method's, and its grab's */
};

struct text_input {
	struct wl_list link;
	struct pb_input_method *relay;
	struct wlr_text_input_v3 *wlr;
	struct wl_listener enable;
	struct wl_listener commit;
	struct wl_listener disable;
	struct wl_listener destroy;
	struct pb_listeners listeners;
};

struct im_popup {
	struct wl_list link;
	struct pb_input_method *relay;
	struct wlr_input_popup_surface_v2 *wlr;
	struct wlr_scene_tree *tree;
	/*
	 * The text cursor as last told, relative to the popup: told again only
	 * when it moves, or an input method redrawing on it would commit in a loop.
	 */
	struct wlr_box told;
	bool was_told;
	struct wl_listener commit;
	struct wl_listener map;
	struct wl_listener unmap;
	struct wl_listener destroy;
	struct pb_listeners listeners;
};

/* The enabled text input of the surface with the keyboard: the one the input method serves. */
static struct text_input *active_text_input(struct pb_input_method *relay)
{
	struct wlr_surface *focus = relay->server->seat->wlr_seat->keyboard_state.focused_surface;
	struct text_input *ti;
	wl_list_for_each(ti, &relay->text_inputs, link)
	{
		if (focus && ti->wlr->focused_surface == focus && ti->wlr->current_enabled) {
			return ti;
		}
	}
	return NULL;
}

struct surface_search {
	struct wlr_surface *surface;
	int x, y;
	bool found;
};

static void match_surface(struct wlr_scene_buffer *buffer, int lx, int ly, void *data)
{
	struct surface_search *search = data;
	struct wlr_scene_surface *scene_surface = wlr_scene_surface_try_from_buffer(buffer);
	if (!search->found && scene_surface && scene_surface->surface == search->surface) {
		*search = (struct surface_search){search->surface, lx, ly, true};
	}
}

/*
 * Below the text cursor, or above it when there is no room below on its
 * output, and inside that output. The scene is searched for the surface
 * because a text field may sit in a window, a panel, a menu or a
 * subsurface: no other index covers them all, and this runs only when the
 * cursor or a popup changes.
 */
static void place_popup(struct im_popup *popup, const struct text_input *ti)
{
	struct pb_server *server = popup->relay->server;
	struct surface_search search = {.surface = ti->wlr->focused_surface};
	wlr_scene_node_for_each_buffer(&server->scene->tree.node, match_surface, &search);
	if (!search.found) {
		wlr_scene_node_set_enabled(&popup->tree->node, false);
		return;
	}
	struct wlr_box cursor = {.x = search.x, .y = search.y};
	if (ti->wlr->current.features & WLR_TEXT_INPUT_V3_FEATURE_CURSOR_RECTANGLE) {
		const struct wlr_box *rect = &ti->wlr->current.cursor_rectangle;
		cursor = (struct wlr_box){
		        search.x + rect->x, search.y + rect->y, rect->width, rect->height};
	}
	int width = popup->wlr->surface->current.width;
	int height = popup->wlr->surface->current.height;
	int x = cursor.x, y = cursor.y + cursor.height;
	struct wlr_output *output = wlr_output_layout_output_at(server->layout, cursor.x, cursor.y);
	if (output) {
		struct wlr_box area;
		wlr_output_layout_get_box(server->layout, output, &area);
		if (y + height > area.y + area.height && cursor.y - height >= area.y) {
			y = cursor.y - height;
		}
		if (x + width > area.x + area.width) {
			x = area.x + area.width - width;
		}
		if (x < area.x) {
			x = area.x;
		}
	}
	wlr_scene_node_set_position(&popup->tree->node, x, y);
	wlr_scene_node_set_enabled(&popup->tree->node, popup->wlr->surface->mapped);
	struct wlr_box relative = {cursor.x - x, cursor.y - y, cursor.width, cursor.height};
	if (!popup->was_told || !wlr_box_equal(&relative, &popup->told)) {
		wlr_input_popup_surface_v2_send_text_input_rectangle(popup->wlr, &relative);
		popup->told = relative;
		popup->was_told = true;
	}
}

/* Shown at the text cursor while the input method serves a field, hidden otherwise. */
static void follow_popup(struct im_popup *popup)
{
	struct pb_input_method *relay = popup->relay;
	struct text_input *ti = relay->method ? active_text_input(relay) : NULL;
	if (ti) {
		place_popup(popup, ti);
	} else {
		wlr_scene_node_set_enabled(&popup->tree->node, false);
	}
}

static void update_popups(struct pb_input_method *relay)
{
	struct im_popup *popup;
	wl_list_for_each(popup, &relay->popup_list, link)
	{
		follow_popup(popup);
	}
}

/* What the application's field holds, as far as it tells, for the input method. */
static void send_state(struct pb_input_method *relay, struct text_input *ti)
{
	struct wlr_input_method_v2 *method = relay->method;
	const struct wlr_text_input_v3_state *state = &ti->wlr->current;
	if (ti->wlr->active_features & WLR_TEXT_INPUT_V3_FEATURE_SURROUNDING_TEXT) {
		wlr_input_method_v2_send_surrounding_text(method,
		        state->surrounding.text ? state->surrounding.text : "",
		        state->surrounding.cursor, state->surrounding.anchor);
	}
	wlr_input_method_v2_send_text_change_cause(method, state->text_change_cause);
	if (ti->wlr->active_features & WLR_TEXT_INPUT_V3_FEATURE_CONTENT_TYPE) {
		wlr_input_method_v2_send_content_type(
		        method, state->content_type.hint, state->content_type.purpose);
	}
	wlr_input_method_v2_send_done(method);
}

static void activate(struct pb_input_method *relay, struct text_input *ti)
{
	if (relay->method) {
		wlr_input_method_v2_send_activate(relay->method);
		send_state(relay, ti);
	}
	update_popups(relay);
}

static void deactivate(struct pb_input_method *relay)
{
	if (relay->method) {
		wlr_input_method_v2_send_deactivate(relay->method);
		wlr_input_method_v2_send_done(relay->method);
	}
	update_popups(relay);
}

static void handle_text_input_enable(struct wl_listener *listener, void *data)
{
	struct text_input *ti = wl_container_of(listener, ti, enable);
	if (ti == active_text_input(ti->relay)) {
		activate(ti->relay, ti);
	}
}

static void handle_text_input_commit(struct wl_listener *listener, void *data)
{
	struct text_input *ti = wl_container_of(listener, ti, commit);
	if (ti->relay->method && ti == active_text_input(ti->relay)) {
		send_state(ti->relay, ti);
		update_popups(ti->relay);
	}
}

/* The field lost its focus in the application, or the application went. */
static void handle_text_input_disable(struct wl_listener *listener, void *data)
{
	struct text_input *ti = wl_container_of(listener, ti, disable);
	if (ti->wlr->focused_surface &&
	        ti->wlr->focused_surface ==
	                ti->relay->server->seat->wlr_seat->keyboard_state.focused_surface) {
		deactivate(ti->relay);
	}
}

static void free_text_input(struct text_input *ti)
{
	pb_disconnect_all(&ti->listeners);
	wl_list_remove(&ti->link);
	free(ti);
}

static void handle_text_input_destroy(struct wl_listener *listener, void *data)
{
	struct text_input *ti = wl_container_of(listener, ti, destroy);
	struct pb_input_method *relay = ti->relay;
	bool was_active = ti == active_text_input(relay);
	free_text_input(ti);
	if (was_active) {
		deactivate(relay);
	}
}

static bool same_client(struct wlr_text_input_v3 *ti, struct wlr_surface *surface)
{
	return wl_resource_get_client(ti->resource) == wl_resource_get_client(surface->resource);
}

static void handle_new_text_input(struct wl_listener *listener, void *data)
{
	struct pb_input_method *relay = wl_container_of(listener, relay, new_text_input);
	struct wlr_text_input_v3 *wlr = data;
	struct text_input *ti = calloc(1, sizeof(*ti));
	if (!ti) {
		wl_resource_post_no_memory(wlr->resource);
		return;
	}
	ti->relay = relay;
	ti->wlr = wlr;
	const struct pb_connection connections[] = {
	        {&wlr->events.enable, &ti->enable, handle_text_input_enable},
	        {&wlr->events.commit, &ti->commit, handle_text_input_commit},
	        {&wlr->events.disable, &ti->disable, handle_text_input_disable},
	        {&wlr->events.destroy, &ti->destroy, handle_text_input_destroy},
	};
	pb_connect_all(&ti->listeners, connections, PB_COUNT(connections));
	wl_list_insert(&relay->text_inputs, &ti->link);
	struct wlr_surface *focus = relay->server->seat->wlr_seat->keyboard_state.focused_surface;
	if (focus && same_client(wlr, focus)) {
		wlr_text_input_v3_send_enter(wlr, focus);
	}
}

/* The keyboard moved: the text inputs of the client that has it follow it. */
static void handle_focus_change(struct wl_listener *listener, void *data)
{
	struct pb_input_method *relay = wl_container_of(listener, relay, focus_change);
	struct wlr_seat_keyboard_focus_change_event *event = data;
	bool was_active = false;
	struct text_input *ti;
	wl_list_for_each(ti, &relay->text_inputs, link)
	{
		if (ti->wlr->focused_surface && ti->wlr->focused_surface != event->new_surface) {
			was_active |= ti->wlr->current_enabled &&
			              ti->wlr->focused_surface == event->old_surface;
			wlr_text_input_v3_send_leave(ti->wlr);
		}
		if (event->new_surface && !ti->wlr->focused_surface &&
		        same_client(ti->wlr, event->new_surface)) {
			wlr_text_input_v3_send_enter(ti->wlr, event->new_surface);
		}
	}
	if (was_active) {
		deactivate(relay);
	}
}

/* The input method's text, preedit and deletions go to the field it serves. */
static void handle_method_commit(struct wl_listener *listener, void *data)
{
	struct pb_input_method *relay = wl_container_of(listener, relay, method_commit);
	struct text_input *ti = active_text_input(relay);
	if (!ti) {
		return;
	}
	const struct wlr_input_method_v2_state *state = &relay->method->current;
	if (state->preedit.text) {
		wlr_text_input_v3_send_preedit_string(ti->wlr, state->preedit.text,
		        state->preedit.cursor_begin, state->preedit.cursor_end);
	}
	if (state->commit_text) {
		wlr_text_input_v3_send_commit_string(ti->wlr, state->commit_text);
	}
	if (state->delete.before_length || state->delete.after_length) {
		wlr_text_input_v3_send_delete_surrounding_text(
		        ti->wlr, state->delete.before_length, state->delete.after_length);
	}
	wlr_text_input_v3_send_done(ti->wlr);
}

static void free_popup(struct im_popup *popup)
{
	pb_disconnect_all(&popup->listeners);
	wl_list_remove(&popup->link);
	wlr_scene_node_destroy(&popup->tree->node);
	free(popup);
}

static void handle_popup_destroy(struct wl_listener *listener, void *data)
{
	struct im_popup *popup = wl_container_of(listener, popup, destroy);
	free_popup(popup);
}

static void handle_popup_commit(struct wl_listener *listener, void *data)
{
	struct im_popup *popup = wl_container_of(listener, popup, commit);
	follow_popup(popup);
}

/* The input method maps and unmaps its popups with its own commits, not theirs. */
static void handle_popup_map(struct wl_listener *listener, void *data)
{
	struct im_popup *popup = wl_container_of(listener, popup, map);
	follow_popup(popup);
}

static void handle_popup_unmap(struct wl_listener *listener, void *data)
{
	struct im_popup *popup = wl_container_of(listener, popup, unmap);
	wlr_scene_node_set_enabled(&popup->tree->node, false);
}

static void handle_method_new_popup(struct wl_listener *listener, void *data)
{
	struct pb_input_method *relay = wl_container_of(listener, relay, method_new_popup);
	struct wlr_input_popup_surface_v2 *wlr = data;
	struct im_popup *popup = calloc(1, sizeof(*popup));
	struct wlr_scene_tree *tree =
	        popup ? wlr_scene_subsurface_tree_create(relay->popups, wlr->surface) : NULL;
	if (!tree) {
		free(popup);
		wl_resource_post_no_memory(wlr->resource);
		return;
	}
	popup->relay = relay;
	popup->wlr = wlr;
	popup->tree = tree;
	wlr_scene_node_set_enabled(&tree->node, false);
	const struct pb_connection connections[] = {
	        {&wlr->surface->events.commit, &popup->commit, handle_popup_commit},
	        {&wlr->surface->events.map, &popup->map, handle_popup_map},
	        {&wlr->surface->events.unmap, &popup->unmap, handle_popup_unmap},
	        {&wlr->events.destroy, &popup->destroy, handle_popup_destroy},
	};
	pb_connect_all(&popup->listeners, connections, PB_COUNT(connections));
	wl_list_insert(&relay->popup_list, &popup->link);
}

/* Keys held during the grab are the focused client's again, with the modifiers as they are now. */
static void give_keyboard_back(struct pb_input_method *relay)
{
	struct wlr_keyboard *keyboard = wlr_seat_get_keyboard(relay->server->seat->wlr_seat);
	if (keyboard) {
		wlr_seat_keyboard_notify_modifiers(
		        relay->server->seat->wlr_seat, &keyboard->modifiers);
	}
}

static void handle_grab_destroy(struct wl_listener *listener, void *data)
{
	struct pb_input_method *relay = wl_container_of(listener, relay, grab_destroy);
	pb_unlisten(&relay->method_listeners, &relay->grab_destroy);
	give_keyboard_back(relay);
}

static void handle_method_grab(struct wl_listener *listener, void *data)
{
	struct pb_input_method *relay = wl_container_of(listener, relay, method_grab);
	struct wlr_input_method_keyboard_grab_v2 *grab = data;
	/* Sends the keymap the input method has to interpret the keys with. */
	wlr_input_method_keyboard_grab_v2_set_keyboard(
	        grab, wlr_seat_get_keyboard(relay->server->seat->wlr_seat));
	pb_listen(&relay->method_listeners, &grab->events.destroy, &relay->grab_destroy,
	        handle_grab_destroy);
}

static void forget_method(struct pb_input_method *relay)
{
	pb_disconnect_all(&relay->method_listeners);
	relay->method = NULL;
}

static void handle_method_destroy(struct wl_listener *listener, void *data)
{
	struct pb_input_method *relay = wl_container_of(listener, relay, method_destroy);
	/* wlroots ends the grab after this signal, once we no longer listen. */
	bool grabbing = relay->method->keyboard_grab != NULL;
	forget_method(relay);
	if (grabbing) {
		give_keyboard_back(relay);
	}
	update_popups(relay);
}

static void handle_new_method(struct wl_listener *listener, void *data)
{
	struct pb_input_method *relay = wl_container_of(listener, relay, new_method);
	struct wlr_input_method_v2 *method = data;
	if (relay->method) {
		wlr_log(WLR_INFO, "A second input method was refused: one is running already");
		wlr_input_method_v2_send_unavailable(method);
		return;
	}
	relay->method = method;
	const struct pb_connection connections[] = {
	        {&method->events.commit, &relay->method_commit, handle_method_commit},
	        {&method->events.new_popup_surface, &relay->method_new_popup,
	                handle_method_new_popup},
	        {&method->events.grab_keyboard, &relay->method_grab, handle_method_grab},
	        {&method->events.destroy, &relay->method_destroy, handle_method_destroy},
	};
	pb_connect_all(&relay->method_listeners, connections, PB_COUNT(connections));
	struct text_input *ti = active_text_input(relay);
	if (ti) {
		activate(relay, ti);
	}
}

/* The grab that should take keyboard's keys now, or NULL. */
static struct wlr_input_method_keyboard_grab_v2 *grab_for(
        struct pb_server *server, struct wlr_keyboard *keyboard)
{
	struct pb_input_method *relay = server->input_method;
	struct wlr_input_method_keyboard_grab_v2 *grab =
	        relay && relay->method ? relay->method->keyboard_grab : NULL;
	if (!grab || server->seat->locked) {
		return NULL;
	}
	struct wlr_virtual_keyboard_v1 *virtual = wlr_input_device_get_virtual_keyboard(
	        &keyboard->base);
	if (virtual && wl_resource_get_client(virtual->resource) ==
	                       wl_resource_get_client(grab->resource)) {
		return NULL; /* what the input method types: for the application */
	}
	return grab;
}

bool pb_input_method_take_key(struct pb_server *server, struct wlr_keyboard *keyboard,
        uint32_t time, uint32_t key, uint32_t state)
{
	struct wlr_input_method_keyboard_grab_v2 *grab = grab_for(server, keyboard);
	if (!grab) {
		return false;
	}
	wlr_input_method_keyboard_grab_v2_set_keyboard(grab, keyboard);
	wlr_input_method_keyboard_grab_v2_send_key(grab, time, key, state);
	return true;
}

bool pb_input_method_take_modifiers(struct pb_server *server, struct wlr_keyboard *keyboard)
{
	struct wlr_input_method_keyboard_grab_v2 *grab = grab_for(server, keyboard);
	if (!grab) {
		return false;
	}
	wlr_input_method_keyboard_grab_v2_set_keyboard(grab, keyboard);
	wlr_input_method_keyboard_grab_v2_send_modifiers(grab, &keyboard->modifiers);
	return true;
}

bool pb_input_method_init(struct pb_server *server)
{
	struct pb_input_method *relay = calloc(1, sizeof(*relay));
	if (!relay) {
		return false;
	}
	struct wlr_text_input_manager_v3 *text_inputs =
	        wlr_text_input_manager_v3_create(server->display);
	struct wlr_input_method_manager_v2 *methods =
	        wlr_input_method_manager_v2_create(server->display);
	relay->popups = wlr_scene_tree_create(server->layers[PB_LAYER_OVERLAY]);
	if (!text_inputs || !methods || !relay->popups) {
		if (relay->popups) {
			wlr_scene_node_destroy(&relay->popups->node);
		}
		free(relay);
		return false;
	}
	/* An input method reads every key while it grabs the keyboard. */
	pb_global_filter_mark_privileged(server, methods->global);
	relay->server = server;
	wl_list_init(&relay->text_inputs);
	wl_list_init(&relay->popup_list);
	const struct pb_connection connections[] = {
	        {&text_inputs->events.text_input, &relay->new_text_input, handle_new_text_input},
	        {&methods->events.input_method, &relay->new_method, handle_new_method},
	        {&server->seat->wlr_seat->keyboard_state.events.focus_change, &relay->focus_change,
	                handle_focus_change},
	};
	pb_connect_all(&relay->listeners, connections, PB_COUNT(connections));
	server->input_method = relay;
	return true;
}

void pb_input_method_finish(struct pb_server *server)
{
	struct pb_input_method *relay = server->input_method;
	if (!relay) {
		return;
	}
	if (relay->method) {
		forget_method(relay);
	}
	struct text_input *ti, *ti_tmp;
	wl_list_for_each_safe(ti, ti_tmp, &relay->text_inputs, link)
	{
		free_text_input(ti);
	}
	struct im_popup *popup, *popup_tmp;
	wl_list_for_each_safe(popup, popup_tmp, &relay->popup_list, link)
	{
		free_popup(popup);
	}
	pb_disconnect_all(&relay->listeners);
	free(relay);
	server->input_method = NULL;
}
