/* xdg-shell popups, in the scene tree of what they belong to. */
#include "xdg_popup.h"

#include <stdlib.h>
#include <wlr/types/wlr_output_layout.h>
#include <wlr/util/log.h>

#include "server.h"
#include "view.h"

/* A popup until its end: its first configure waits for its initial commit. */
struct pb_popup {
	struct wlr_xdg_popup *wlr;
	bool constrained;
	struct wlr_box box; /* while constrained */
	struct wl_listener commit;
	struct wl_listener destroy;
	struct pb_listeners listeners;
};

static void handle_commit(struct wl_listener *listener, void *data)
{
	struct pb_popup *popup = wl_container_of(listener, popup, commit);
	if (!popup->wlr->base->initial_commit) {
		return;
	}
	if (popup->constrained) {
		/* Schedules the configure with the corrected position. */
		wlr_xdg_popup_unconstrain_from_box(popup->wlr, &popup->box);
	} else {
		wlr_xdg_surface_schedule_configure(popup->wlr->base);
	}
}

static void handle_destroy(struct wl_listener *listener, void *data)
{
	struct pb_popup *popup = wl_container_of(listener, popup, destroy);
	pb_disconnect_all(&popup->listeners);
	free(popup);
}

bool pb_xdg_popup_add(
        struct wlr_xdg_popup *wlr, struct wlr_scene_tree *parent, const struct wlr_box *box)
{
	struct pb_popup *popup = calloc(1, sizeof(*popup));
	struct wlr_scene_tree *tree =
	        popup ? wlr_scene_xdg_surface_create(parent, wlr->base) : NULL;
	if (!tree) {
		free(popup);
		wl_resource_post_no_memory(wlr->resource);
		return false;
	}
	popup->wlr = wlr;
	popup->constrained = box != NULL;
	if (box) {
		popup->box = *box;
	}
	wlr->base->data = tree;
	pb_listen(&popup->listeners, &wlr->base->surface->events.commit, &popup->commit,
	        handle_commit);
	pb_listen(&popup->listeners, &wlr->events.destroy, &popup->destroy, handle_destroy);
	return true;
}

/* The window at the root of a chain of popups, or NULL (a panel's popups). */
static struct pb_view *root_view(struct pb_server *server, struct wlr_xdg_popup *popup)
{
	struct wlr_surface *surface = popup->parent;
	struct wlr_xdg_surface *xdg;
	while (surface && (xdg = wlr_xdg_surface_try_from_wlr_surface(surface)) &&
	        xdg->role == WLR_XDG_SURFACE_ROLE_POPUP && xdg->popup) {
		surface = xdg->popup->parent;
	}
	return pb_view_from_surface(server, surface);
}

void pb_xdg_popup_handle_new(struct wl_listener *listener, void *data)
{
	struct pb_server *server = wl_container_of(listener, server, new_xdg_popup);
	struct wlr_xdg_popup *popup = data;
	struct wlr_xdg_surface *parent =
	        popup->parent ? wlr_xdg_surface_try_from_wlr_surface(popup->parent) : NULL;
	struct wlr_scene_tree *parent_tree = parent ? parent->data : NULL;
	if (!parent_tree) {
		return;
	}
	/* Menus stay on the window's output: the box in the window's coordinates. */
	struct pb_view *view = root_view(server, popup);
	struct wlr_output *output =
	        view ? wlr_output_layout_output_at(server->layout, view->x, view->y) : NULL;
	struct wlr_box box = {0};
	if (output) {
		wlr_output_layout_get_box(server->layout, output, &box);
		box.x -= view->x;
		box.y -= view->y;
	}
	if (!pb_xdg_popup_add(popup, parent_tree, output ? &box : NULL)) {
		wlr_log(WLR_ERROR, "Out of memory for a menu; its client is told so");
	}
}
