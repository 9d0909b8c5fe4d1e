#include "grab.h"

#include <wlr/types/wlr_cursor.h>
#include <wlr/util/edges.h>

#include "seat.h"
#include "server.h"
#include "view.h"
#include "window_policy.h"

static void handle_view_unmap(struct wl_listener *listener, void *data)
{
	struct pb_grab *grab = wl_container_of(listener, grab, view_unmap);
	pb_disconnect_all(&grab->listeners);
	grab->view = NULL;
}

void pb_grab_begin(struct pb_seat *seat, struct pb_view *view, bool resize, uint32_t edges)
{
	if (!view->mapped || view->fullscreen ||
	        !pb_window_policy_lets_user_arrange(&seat->server->policy)) {
		return;
	}
	pb_grab_end(seat);
	struct pb_grab *grab = &seat->grab;
	grab->view = view;
	grab->resize = resize;
	grab->edges = edges;
	grab->x = seat->cursor->x;
	grab->y = seat->cursor->y;
	view->impl->get_geometry(view, &grab->geometry);
	grab->geometry.x += view->x;
	grab->geometry.y += view->y;
	pb_listen(&grab->listeners, &view->events.unmap, &grab->view_unmap, handle_view_unmap);
}

void pb_grab_request(struct pb_seat *seat, struct pb_view *view, bool resize, uint32_t edges)
{
	struct wlr_surface *focused = seat->wlr_seat->pointer_state.focused_surface;
	if (focused && wlr_surface_get_root_surface(focused) == view->surface) {
		pb_grab_begin(seat, view, resize, edges);
	}
}

/* One edge of a resize: follows the pointer, but stays at least a pixel from the other. */
static int follow_edge(int start, double delta, int other, bool is_low_edge)
{
	int moved = start + (int)delta;
	if (is_low_edge) {
		return moved < other - 1 ? moved : other - 1;
	}
	return moved > other + 1 ? moved : other + 1;
}

bool pb_grab_follow_pointer(struct pb_seat *seat)
{
	const struct pb_grab *grab = &seat->grab;
	struct pb_view *view = grab->view;
	if (!view) {
		return false;
	}
	double dx = seat->cursor->x - grab->x;
	double dy = seat->cursor->y - grab->y;
	const struct wlr_box *geo = &grab->geometry;
	struct wlr_box current;
	view->impl->get_geometry(view, &current);
	if (!grab->resize) {
		pb_view_move(view, geo->x + (int)dx - current.x, geo->y + (int)dy - current.y);
		return true;
	}
	int left = geo->x, right = geo->x + geo->width;
	int top = geo->y, bottom = geo->y + geo->height;
	if (grab->edges & WLR_EDGE_TOP) {
		top = follow_edge(top, dy, bottom, true);
	} else if (grab->edges & WLR_EDGE_BOTTOM) {
		bottom = follow_edge(bottom, dy, top, false);
	}
	if (grab->edges & WLR_EDGE_LEFT) {
		left = follow_edge(left, dx, right, true);
	} else if (grab->edges & WLR_EDGE_RIGHT) {
		right = follow_edge(right, dx, left, false);
	}
	view->x = left - current.x;
	view->y = top - current.y;
	wlr_scene_node_set_position(view->scene_node, view->x, view->y);
	view->impl->configure(view, right - left, bottom - top);
	return true;
}

void pb_grab_end(struct pb_seat *seat)
{
	pb_disconnect_all(&seat->grab.listeners);
	seat->grab.view = NULL;
}
