#ifndef PB_VIEW_H
#define PB_VIEW_H

#include <wayland-server-core.h>
#include <wlr/types/wlr_scene.h>
#include <wlr/types/wlr_xdg_shell.h>

struct pb_server;

/* An xdg-shell toplevel window and its place in the scene. */
struct pb_view {
	struct wl_list link;
	struct pb_server *server;
	struct wlr_xdg_surface *xdg_surface;
	struct wlr_scene_node *scene_node;
	int x, y;
	bool placed;
	struct wl_listener map;
	struct wl_listener unmap;
	struct wl_listener destroy;
	struct wl_listener request_move;
	struct wl_listener request_resize;
};

/* Handles xdg-shell's new_surface signal: toplevels become views, popups follow their parent. */
void pb_view_handle_new_xdg_surface(struct wl_listener *listener, void *data);

/* Gives the view keyboard focus and raises it above the others. */
void pb_view_focus(struct pb_view *view, struct wlr_surface *surface);

/* The view and surface under a layout point, with surface-local coordinates. */
struct pb_view *pb_view_at(struct pb_server *server, double lx, double ly,
        struct wlr_surface **surface, double *sx, double *sy);

/* Starts moving or resizing a view with the pointer. */
void pb_view_begin_grab(struct pb_view *view, bool resize, uint32_t edges);

/* Asks the focused view to close; false when there is none. */
bool pb_view_close_focused(struct pb_server *server);

/* Focuses the next view in stacking order; false when there is none. */
bool pb_view_cycle_focus(struct pb_server *server);

#endif
