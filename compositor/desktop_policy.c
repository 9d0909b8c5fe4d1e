/* The desktop's window policy: windows open centred, then stay where users put them. */
#include <wlr/types/wlr_output_layout.h>

#include "output.h"
#include "server.h"
#include "view.h"
#include "window_policy.h"

/*
 * New windows open centred in the area left by panels on the first output.
 * One larger than that area opens at its top-left corner, made to fit when
 * its client allows, instead of running off the output's right edge.
 */
static void place_new(struct pb_view *view)
{
	/* The title bar counts: it stays inside the area too. */
	struct wlr_box frame, geometry;
	pb_view_get_frame(view, &frame);
	view->impl->get_geometry(view, &geometry);
	int bar = frame.height - geometry.height;
	struct pb_output *first = NULL, *output;
	wl_list_for_each(output, &view->server->outputs, link)
	{
		if (output->usable_area.width > 0) {
			first = output;
			break;
		}
	}
	struct wlr_box area = first ? first->usable_area : (struct wlr_box){0};
	int width = frame.width < area.width ? frame.width : area.width;
	int height = frame.height < area.height ? frame.height : area.height;
	bool too_large = first && (width != frame.width || height != frame.height);
	int x = too_large ? area.x : area.x + (area.width - frame.width) / 2;
	int y = too_large ? area.y : area.y + (area.height - frame.height) / 2;
	/* No output yet: the layout's origin. */
	x = x < area.x ? area.x : x;
	y = y < area.y ? area.y : y;
	pb_view_move(view, x - frame.x, y - frame.y);
	if (too_large && view->impl->can_resize_to(view, width, height - bar)) {
		view->impl->configure(view, width, height - bar);
	}
	view->placed = true;
}

/* Every window is shown; one mapped again keeps its place. */
static bool place(void *data, struct pb_view *view)
{
	if (!view->placed) {
		place_new(view);
	}
	return true;
}

/*
 * Windows whose top-left corner left the area windows may use (a panel's
 * exclusive zone, a removed output) move back into it, on their own output
 * or the first one; full-screen windows cover their output again.
 */
static void arrange(void *data)
{
	struct pb_server *server = data;
	struct pb_view *view;
	wl_list_for_each(view, &server->views, link)
	{
		struct pb_output *output = pb_view_output(view);
		if (!output || output->usable_area.width == 0) {
			continue;
		}
		if (view->fullscreen) {
			struct wlr_box box;
			wlr_output_layout_get_box(server->layout, output->wlr_output, &box);
			pb_view_cover(view, &box);
			continue;
		}
		/* The top-left corner of the title bar, or of the window when it has none. */
		struct wlr_box frame, area = output->usable_area;
		pb_view_get_frame(view, &frame);
		int x = view->x + frame.x, y = view->y + frame.y;
		int fx = x < area.x ? area.x : x >= area.x + area.width ? area.x : x;
		int fy = y < area.y ? area.y : y >= area.y + area.height ? area.y : y;
		if (fx != x || fy != y) {
			pb_view_move(view, fx - frame.x, fy - frame.y);
		}
	}
}

static bool allowed(void *data)
{
	return true;
}

static const struct pb_window_policy_impl desktop_policy = {
        .place = place,
        .arrange = arrange,
        .allows_quit = allowed,
        .allows_vt_switch = allowed,
        .user_arranges = true,
};

struct pb_window_policy pb_desktop_policy(struct pb_server *server)
{
	return (struct pb_window_policy){.impl = &desktop_policy, .data = server};
}
