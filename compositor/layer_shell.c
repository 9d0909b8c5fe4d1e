/* wlr-layer-shell surfaces in the scene's layer trees, arranged by policy/layer_arrange. */
#include "layer_shell.h"

#include <stdlib.h>
#include <wlr/types/wlr_layer_shell_v1.h>
#include <wlr/types/wlr_xdg_shell.h>
#include <wlr/util/log.h>

#include "global_filter.h"
#include "layer_arrange.h"
#include "listeners.h"
#include "output.h"
#include "seat.h"
#include "server.h"
#include "view.h"
#include "window_policy.h"
#include "xdg_popup.h"

/* wlr-layer-shell as wlroots 0.15 offered it: keyboard interactivity on demand. */
#define LAYER_SHELL_VERSION 4

struct pb_layer_shell {
	struct pb_server *server;
	struct wlr_layer_shell_v1 *wlr;
	struct wl_list surfaces; /* pb_layer_surface.link, oldest first */
	struct wl_listener new_surface;
	struct pb_listeners listeners;
};

struct pb_layer_surface {
	struct wl_list link;
	struct pb_layer_shell *shell;
	struct wlr_layer_surface_v1 *wlr;
	struct wlr_scene_tree *tree; /* in server->layers[layer], at box.x, box.y */
	/*
	 * Menus and tooltips: a panel on the bottom layer (waybar's default)
	 * would have them hidden under windows in its own tree.
	 */
	struct wlr_scene_tree *popups;              /* in the TOP layer or above */
	enum pb_layer layer;                        /* the layer the trees are in */
	struct wlr_layer_surface_v1_state arranged; /* the committed state last arranged */
	struct wlr_box box;                         /* layout coordinates, as arranged */
	bool mapped;
	/* Between the initial commit and map: sized and placed like a mapped one. */
	bool initializing;
	bool configured; /* a configure went out since initialising */
	uint32_t configured_width, configured_height;
	struct wl_event_source *close_idle; /* its output is gone: closing it */
	struct wl_listener map;
	struct wl_listener unmap;
	struct wl_listener destroy;
	struct wl_listener commit;
	struct wl_listener new_popup;
	struct wl_listener output_destroy;
	struct pb_listeners listeners;
};

static enum pb_layer pb_layer_of(enum zwlr_layer_shell_v1_layer layer)
{
	switch (layer) {
	case ZWLR_LAYER_SHELL_V1_LAYER_BACKGROUND:
		return PB_LAYER_BACKGROUND;
	case ZWLR_LAYER_SHELL_V1_LAYER_BOTTOM:
		return PB_LAYER_BOTTOM;
	case ZWLR_LAYER_SHELL_V1_LAYER_TOP:
		return PB_LAYER_TOP;
	default:
		return PB_LAYER_OVERLAY; /* wlroots refuses other values */
	}
}

static enum pb_layer popup_layer(enum pb_layer layer)
{
	return layer < PB_LAYER_TOP ? PB_LAYER_TOP : layer;
}

static bool takes_part(const struct pb_layer_surface *ls)
{
	return ls->mapped || ls->initializing;
}

static bool same_request(
        const struct wlr_layer_surface_v1_state *a, const struct wlr_layer_surface_v1_state *b)
{
	return a->anchor == b->anchor && a->exclusive_zone == b->exclusive_zone &&
	       a->margin.top == b->margin.top && a->margin.right == b->margin.right &&
	       a->margin.bottom == b->margin.bottom && a->margin.left == b->margin.left &&
	       a->keyboard_interactive == b->keyboard_interactive &&
	       a->desired_width == b->desired_width && a->desired_height == b->desired_height &&
	       a->layer == b->layer;
}

static struct pb_layer_request request_of(const struct wlr_layer_surface_v1_state *s)
{
	/* wlroots keeps the client's signed margins in unsigned fields. */
	return (struct pb_layer_request){
	        .anchor = s->anchor,
	        .width = s->desired_width,
	        .height = s->desired_height,
	        .margin_top = (int32_t)s->margin.top,
	        .margin_right = (int32_t)s->margin.right,
	        .margin_bottom = (int32_t)s->margin.bottom,
	        .margin_left = (int32_t)s->margin.left,
	        .exclusive_zone = s->exclusive_zone,
	};
}

/* The layer surface of surface (a subsurface's too), or NULL. */
static struct wlr_layer_surface_v1 *layer_surface_of(struct wlr_surface *surface)
{
	return surface ? wlr_layer_surface_v1_try_from_wlr_surface(
	                         wlr_surface_get_root_surface(surface))
	               : NULL;
}

/*
 * Whether the keyboard may stay where it is: anywhere but on a layer surface
 * that no longer asks for it on demand (it unmapped or changed its mind).
 */
static bool keeps_focus_on_demand(struct pb_server *server)
{
	struct wlr_layer_surface_v1 *focused =
	        layer_surface_of(server->seat->wlr_seat->keyboard_state.focused_surface);
	return !focused || (focused->surface->mapped &&
	                           focused->current.keyboard_interactive ==
	                                   ZWLR_LAYER_SURFACE_V1_KEYBOARD_INTERACTIVITY_ON_DEMAND);
}

bool pb_layer_shell_focus_on_click(struct pb_server *server, struct wlr_surface *surface)
{
	struct wlr_layer_surface_v1 *layer = layer_surface_of(surface);
	if (!layer || !layer->surface->mapped ||
	        layer->current.keyboard_interactive !=
	                ZWLR_LAYER_SURFACE_V1_KEYBOARD_INTERACTIVITY_ON_DEMAND ||
	        (server->exclusive_focus && server->exclusive_focus != layer->surface)) {
		return false;
	}
	if (server->seat->wlr_seat->keyboard_state.focused_surface != layer->surface) {
		pb_view_deactivate_all(server);
		pb_seat_focus_keyboard(server->seat, layer->surface);
	}
	return true;
}

/*
 * The protocol gives the keyboard to the top-most mapped surface asking for
 * it exclusively on the top or overlay layer; among several on one layer,
 * the newest wins here.
 */
static void update_keyboard(struct pb_layer_shell *shell)
{
	struct pb_server *server = shell->server;
	struct pb_layer_surface *ls, *want = NULL;
	wl_list_for_each(ls, &shell->surfaces, link)
	{
		if (ls->mapped && ls->layer >= PB_LAYER_TOP &&
		        ls->wlr->current.keyboard_interactive ==
		                ZWLR_LAYER_SURFACE_V1_KEYBOARD_INTERACTIVITY_EXCLUSIVE &&
		        (!want || ls->layer >= want->layer)) {
			want = ls;
		}
	}
	struct wlr_surface *surface = want ? want->wlr->surface : NULL;
	if (surface == server->exclusive_focus) {
		if (surface && server->seat->wlr_seat->keyboard_state.focused_surface != surface) {
			pb_seat_focus_keyboard(server->seat, surface);
		} else if (!surface && !keeps_focus_on_demand(server)) {
			pb_view_focus_top(server);
		}
		return;
	}
	/* Set first: pb_view_focus leaves the keyboard alone while it is set. */
	server->exclusive_focus = surface;
	if (surface) {
		pb_seat_focus_keyboard(server->seat, surface);
	} else {
		pb_view_focus_top(server);
	}
}

static void apply(struct pb_layer_surface *ls, const struct pb_layer_placement *placement)
{
	ls->arranged = ls->wlr->current;
	if (placement->problem != PB_LAYER_OK) {
		/* wlroots checks this on commit already; kept for a state it let through. */
		wl_resource_post_error(ls->wlr->resource, ZWLR_LAYER_SURFACE_V1_ERROR_INVALID_SIZE,
		        placement->problem == PB_LAYER_BAD_WIDTH
		                ? "width 0 requested without setting left and right anchors"
		                : "height 0 requested without setting top and bottom anchors");
		wlr_scene_node_set_enabled(&ls->tree->node, false);
		return;
	}
	const struct pb_layer_box *b = &placement->box;
	ls->box = (struct wlr_box){b->x, b->y, b->width, b->height};
	wlr_scene_node_set_position(&ls->tree->node, b->x, b->y);
	wlr_scene_node_set_position(&ls->popups->node, b->x, b->y);
	wlr_scene_node_set_enabled(&ls->tree->node, ls->mapped);
	wlr_scene_node_set_enabled(&ls->popups->node, true);
	uint32_t width = (uint32_t)b->width, height = (uint32_t)b->height;
	if (!ls->configured || width != ls->configured_width || height != ls->configured_height) {
		wlr_layer_surface_v1_configure(ls->wlr, width, height);
		ls->configured = true;
		ls->configured_width = width;
		ls->configured_height = height;
	}
}

/* Surfaces of an output that has no place in the layout (disabled) are not shown. */
static void hide_all(struct pb_layer_shell *shell, struct pb_output *output)
{
	struct pb_layer_surface *ls;
	wl_list_for_each(ls, &shell->surfaces, link)
	{
		if (ls->wlr->output == output->wlr_output) {
			wlr_scene_node_set_enabled(&ls->tree->node, false);
			wlr_scene_node_set_enabled(&ls->popups->node, false);
		}
	}
}

/* What the layers leave; false (nothing changed) when out of memory. */
static bool arrange_surfaces(
        struct pb_layer_shell *shell, struct pb_output *output, struct wlr_box *usable)
{
	size_t count = 0;
	struct pb_layer_surface *ls;
	wl_list_for_each(ls, &shell->surfaces, link)
	{
		count += ls->wlr->output == output->wlr_output && takes_part(ls);
	}
	if (count == 0) {
		return true;
	}
	struct pb_layer_surface **order = calloc(count, sizeof(*order));
	struct pb_layer_request *requests = calloc(count, sizeof(*requests));
	struct pb_layer_placement *placements = calloc(count, sizeof(*placements));
	if (!order || !requests || !placements) {
		wlr_log(WLR_ERROR, "%s: out of memory; panels keep their places",
		        output->wlr_output->name);
		free(order);
		free(requests);
		free(placements);
		return false;
	}
	/* Higher layers claim their zones first, older surfaces before newer ones. */
	size_t n = 0;
	for (int layer = PB_LAYER_OVERLAY; layer >= PB_LAYER_BACKGROUND; layer--) {
		wl_list_for_each(ls, &shell->surfaces, link)
		{
			if (ls->layer == (enum pb_layer)layer &&
			        ls->wlr->output == output->wlr_output && takes_part(ls)) {
				order[n] = ls;
				requests[n] = request_of(&ls->wlr->current);
				n++;
			}
		}
	}
	struct pb_layer_box whole = {usable->x, usable->y, usable->width, usable->height};
	struct pb_layer_box left = pb_layer_arrange(whole, requests, n, placements);
	*usable = (struct wlr_box){left.x, left.y, left.width, left.height};
	/* Configures and errors are only queued to clients: no surface goes away meanwhile. */
	for (size_t i = 0; i < n; i++) {
		apply(order[i], &placements[i]);
	}
	free(order);
	free(requests);
	free(placements);
	return true;
}

bool pb_layer_shell_arrange(struct pb_output *output)
{
	struct pb_server *server = output->server;
	struct pb_layer_shell *shell = server->layer_shell;
	struct wlr_box before = output->usable_area;
	if (!wlr_output_layout_get(server->layout, output->wlr_output)) {
		output->usable_area = (struct wlr_box){0};
		if (shell) {
			hide_all(shell, output);
		}
		return before.width != 0;
	}
	struct wlr_box usable;
	wlr_output_layout_get_box(server->layout, output->wlr_output, &usable);
	if (shell && !arrange_surfaces(shell, output, &usable)) {
		return false;
	}
	output->usable_area = usable;
	return before.x != usable.x || before.y != usable.y || before.width != usable.width ||
	       before.height != usable.height;
}

/*
 * A panel of output changed: the panels are placed again, and when that
 * changed the area left to windows, the window policy moves them (arrange.c
 * does both for changes of the outputs themselves).
 */
static void rearrange(struct pb_output *output)
{
	if (pb_layer_shell_arrange(output)) {
		pb_window_policy_arrange(&output->server->policy);
	}
}

/* Re-arranges the output a surface is on, unless that output is going away. */
static void arrange_output_of(struct pb_layer_surface *ls)
{
	struct pb_output *output = pb_output_from_wlr(ls->shell->server, ls->wlr->output);
	if (output) {
		rearrange(output);
	}
}

static void move_to_layer(struct pb_layer_surface *ls, enum pb_layer layer)
{
	struct pb_server *server = ls->shell->server;
	ls->layer = layer;
	wlr_scene_node_reparent(&ls->tree->node, server->layers[layer]);
	wlr_scene_node_reparent(&ls->popups->node, server->layers[popup_layer(layer)]);
}

/*
 * The initial commit (again after each unmap, when wlroots resets the
 * surface) asks for a configure, which the client waits for before drawing.
 */
static void handle_commit(struct wl_listener *listener, void *data)
{
	struct pb_layer_surface *ls = wl_container_of(listener, ls, commit);
	bool initial = ls->wlr->initial_commit;
	if (initial) {
		ls->initializing = true;
		ls->configured = false;
	}
	if (!ls->mapped && !ls->initializing) {
		return; /* the commit that unmapped it */
	}
	enum pb_layer layer = pb_layer_of(ls->wlr->current.layer);
	if (layer != ls->layer) {
		move_to_layer(ls, layer);
	}
	if (initial || !same_request(&ls->arranged, &ls->wlr->current)) {
		arrange_output_of(ls);
		update_keyboard(ls->shell);
	}
}

static void handle_map(struct wl_listener *listener, void *data)
{
	struct pb_layer_surface *ls = wl_container_of(listener, ls, map);
	ls->mapped = true;
	ls->initializing = false;
	arrange_output_of(ls);
	wlr_scene_node_set_enabled(&ls->tree->node, true);
	update_keyboard(ls->shell);
}

static void handle_unmap(struct wl_listener *listener, void *data)
{
	struct pb_layer_surface *ls = wl_container_of(listener, ls, unmap);
	ls->mapped = false;
	ls->initializing = false;
	ls->configured = false;
	wlr_scene_node_set_enabled(&ls->tree->node, false);
	arrange_output_of(ls);
	update_keyboard(ls->shell);
}

static void remove_surface(struct pb_layer_surface *ls)
{
	pb_disconnect_all(&ls->listeners);
	wl_list_remove(&ls->link);
	if (ls->close_idle) {
		wl_event_source_remove(ls->close_idle);
	}
	/* Popups can outlive an unmapped surface: their nodes go with ours. */
	struct wlr_xdg_popup *popup;
	wl_list_for_each(popup, &ls->wlr->popups, link)
	{
		popup->base->data = NULL;
	}
	wlr_scene_node_destroy(&ls->popups->node);
	wlr_scene_node_destroy(&ls->tree->node);
	free(ls);
}

static void handle_destroy(struct wl_listener *listener, void *data)
{
	struct pb_layer_surface *ls = wl_container_of(listener, ls, destroy);
	struct pb_layer_shell *shell = ls->shell;
	struct pb_output *output = pb_output_from_wlr(shell->server, ls->wlr->output);
	/* Mapped ones were unmapped first; one still initialising had its place. */
	bool had_place = ls->initializing;
	remove_surface(ls);
	if (had_place && output) {
		rearrange(output);
	}
}

static void close_surface(void *data)
{
	struct pb_layer_surface *ls = data;
	ls->close_idle = NULL;
	/* The client is told "closed"; the unmap and destroy handlers free ls. */
	wlr_layer_surface_v1_destroy(ls->wlr);
}

static void handle_output_destroy(struct wl_listener *listener, void *data)
{
	struct pb_layer_surface *ls = wl_container_of(listener, ls, output_destroy);
	struct pb_server *server = ls->shell->server;
	wlr_log(WLR_INFO, "Layer surface %s closed: output %s is gone", ls->wlr->namespace,
	        ls->wlr->output->name);
	/* Whichever of output.c's handlers runs first, nothing arranges this output again. */
	ls->wlr->output = NULL;
	pb_unlisten(&ls->listeners, &ls->output_destroy);
	/*
	 * Not now: the output is half destroyed while this signal runs, and
	 * changing the scene would damage it (and schedule a frame on it) if
	 * output.c has not dropped its scene output yet.
	 */
	ls->close_idle = wl_event_loop_add_idle(
	        wl_display_get_event_loop(server->display), close_surface, ls);
	if (!ls->close_idle) {
		wlr_log(WLR_ERROR,
		        "Out of memory closing layer surface %s; it stays until its client ends",
		        ls->wlr->namespace);
	}
}

static void handle_new_popup(struct wl_listener *listener, void *data)
{
	struct pb_layer_surface *ls = wl_container_of(listener, ls, new_popup);
	struct wlr_xdg_popup *popup = data;
	struct pb_server *server = ls->shell->server;
	/* Menus stay on the panel's output: the box is relative to the panel. */
	struct wlr_box box = {0};
	if (ls->wlr->output) {
		wlr_output_layout_get_box(server->layout, ls->wlr->output, &box);
		box.x -= ls->box.x;
		box.y -= ls->box.y;
	}
	if (!pb_xdg_popup_add(popup, ls->popups, wlr_box_empty(&box) ? NULL : &box)) {
		wlr_log(WLR_ERROR, "Out of memory for a menu of %s; its client is told so",
		        ls->wlr->namespace);
		return;
	}
	wlr_scene_node_raise_to_top(&ls->popups->node);
}

/* Where a surface goes when its client lets the compositor choose. */
static struct pb_output *default_output(struct pb_server *server)
{
	struct wlr_output *under = wlr_output_layout_output_at(
	        server->layout, server->seat->cursor->x, server->seat->cursor->y);
	struct pb_output *output = under ? pb_output_from_wlr(server, under) : NULL;
	return output ? output : pb_output_first_in_layout(server);
}

static void handle_new_surface(struct wl_listener *listener, void *data)
{
	struct pb_layer_shell *shell = wl_container_of(listener, shell, new_surface);
	struct pb_server *server = shell->server;
	struct wlr_layer_surface_v1 *wlr = data;
	struct pb_output *output =
	        wlr->output ? pb_output_from_wlr(server, wlr->output) : default_output(server);
	if (!output || !wlr_output_layout_get(server->layout, output->wlr_output)) {
		wlr_log(WLR_INFO, "Layer surface %s closed: %s", wlr->namespace,
		        wlr->output ? "its output is not in use" : "no output is in use");
		wlr_layer_surface_v1_destroy(wlr);
		return;
	}
	wlr->output = output->wlr_output;
	enum pb_layer layer = pb_layer_of(wlr->current.layer);
	struct pb_layer_surface *ls = calloc(1, sizeof(*ls));
	struct wlr_scene_tree *tree = ls ? wlr_scene_tree_create(server->layers[layer]) : NULL;
	struct wlr_scene_tree *popups =
	        tree ? wlr_scene_tree_create(server->layers[popup_layer(layer)]) : NULL;
	if (!popups || !wlr_scene_subsurface_tree_create(tree, wlr->surface)) {
		wlr_log(WLR_ERROR, "Out of memory for layer surface %s; its client is told so",
		        wlr->namespace);
		if (popups) {
			wlr_scene_node_destroy(&popups->node);
		}
		if (tree) {
			wlr_scene_node_destroy(&tree->node);
		}
		free(ls);
		wl_resource_post_no_memory(wlr->resource);
		return;
	}
	ls->shell = shell;
	ls->wlr = wlr;
	ls->tree = tree;
	ls->popups = popups;
	ls->layer = layer;
	wlr_scene_node_set_enabled(&tree->node, false);
	wl_list_insert(shell->surfaces.prev, &ls->link);
	/* It takes part in the arrangement from its initial commit (handle_commit). */
	const struct pb_connection connections[] = {
	        {&wlr->surface->events.map, &ls->map, handle_map},
	        {&wlr->surface->events.unmap, &ls->unmap, handle_unmap},
	        {&wlr->surface->events.commit, &ls->commit, handle_commit},
	        {&wlr->events.destroy, &ls->destroy, handle_destroy},
	        {&wlr->events.new_popup, &ls->new_popup, handle_new_popup},
	        {&output->wlr_output->events.destroy, &ls->output_destroy, handle_output_destroy},
	};
	pb_connect_all(&ls->listeners, connections, PB_COUNT(connections));
}

bool pb_layer_shell_init(struct pb_server *server)
{
	struct pb_layer_shell *shell = calloc(1, sizeof(*shell));
	if (!shell) {
		wlr_log(WLR_ERROR, "Out of memory for layer-shell; panels cannot start");
		return false;
	}
	shell->wlr = wlr_layer_shell_v1_create(server->display, LAYER_SHELL_VERSION);
	if (!shell->wlr) {
		wlr_log(WLR_ERROR, "Cannot offer layer-shell (out of memory); panels cannot start");
		free(shell);
		return false;
	}
	/* A sandboxed application may not cover the screen or take the keyboard. */
	pb_global_filter_mark_privileged(server, shell->wlr->global);
	shell->server = server;
	wl_list_init(&shell->surfaces);
	pb_listen(&shell->listeners, &shell->wlr->events.new_surface, &shell->new_surface,
	        handle_new_surface);
	server->layer_shell = shell;
	return true;
}

void pb_layer_shell_finish(struct pb_server *server)
{
	struct pb_layer_shell *shell = server->layer_shell;
	if (!shell) {
		return;
	}
	/* Normally none: clients were disconnected first. The display frees wlroots' side. */
	struct pb_layer_surface *ls, *tmp;
	wl_list_for_each_safe(ls, tmp, &shell->surfaces, link)
	{
		remove_surface(ls);
	}
	server->exclusive_focus = NULL;
	pb_disconnect_all(&shell->listeners);
	free(shell);
	server->layer_shell = NULL;
}
