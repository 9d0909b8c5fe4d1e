#ifndef PB_VIEW_H
#define PB_VIEW_H

#include <sys/types.h>
#include <wayland-server-core.h>
#include <wlr/types/wlr_foreign_toplevel_management_v1.h>
#include <wlr/types/wlr_scene.h>

#include "listeners.h"

struct pb_decoration;
struct pb_output;
struct pb_server;
struct pb_view;
struct wlr_xdg_toplevel;

/* What differs between an xdg-shell toplevel and an X11 window. */
struct pb_view_impl {
	/* The window's visible part, relative to the view's scene node. */
	void (*get_geometry)(struct pb_view *view, struct wlr_box *box);
	/* The process that owns the window (X11: the X client, not XWayland); 0 unknown. */
	pid_t (*get_pid)(struct pb_view *view);
	void (*set_activated)(struct pb_view *view, bool activated);
	/* The node moved to view->x, view->y and/or should become width x height (0: as is). */
	void (*configure)(struct pb_view *view, int width, int height);
	void (*set_fullscreen)(struct pb_view *view, bool fullscreen);
	void (*close)(struct pb_view *view);
	/* A dialog of another window of the same client. */
	bool (*is_transient)(struct pb_view *view);
	/* Whether the window's client lets it be made width x height (its minimum and maximum). */
	bool (*can_resize_to)(struct pb_view *view, int width, int height);
};

/* A top-level window (xdg-shell or X11) and its place in the scene. */
struct pb_view {
	struct wl_list link; /* pb_server.views (while mapped), topmost first */
	struct pb_server *server;
	const struct pb_view_impl *impl;
	struct wlr_surface *surface;       /* while mapped */
	struct wlr_scene_node *scene_node; /* a tree in server->windows */
	int x, y;                          /* the scene node's layout position */
	bool mapped, placed, fullscreen, activated;
	/*
	 * The window draws no frame of its own and gets our title bar (shown
	 * while mapped, not full screen and not in the kiosk).
	 */
	bool server_side;
	struct pb_decoration *decoration; /* while shown */
	char *title;                      /* the last one set; NULL: none */
	struct wlr_box saved;             /* geometry before going full screen */
	/* Shown to taskbars (foreign-toplevel) while mapped. */
	struct wlr_foreign_toplevel_handle_v1 *handle;
	/* Listed (ext-foreign-toplevel-list) while mapped: title and app_id only. */
	struct wlr_ext_foreign_toplevel_handle_v1 *listed;
	struct {
		struct wl_signal unmap; /* the window is hidden, or about to go */
	} events;
	struct wl_listener handle_activate;
	struct wl_listener handle_close;
	struct wl_listener handle_fullscreen;
	struct pb_listeners listeners;
};

/* Sets up the common part; node is the view's tree (disabled until mapped). */
void pb_view_init(struct pb_view *view, struct pb_server *server, const struct pb_view_impl *impl,
        struct wlr_scene_node *node);
/* The window appeared: placed (first time), shown, focused, listed for taskbars. */
void pb_view_map(struct pb_view *view, struct wlr_surface *surface);
void pb_view_unmap(struct pb_view *view);
/* Before the view is freed: removes it from every list. */
void pb_view_finish(struct pb_view *view);
void pb_view_set_title(struct pb_view *view, const char *title);
void pb_view_set_app_id(struct pb_view *view, const char *app_id);
/* Whether the window gets our title bar (it draws no frame of its own). */
void pb_view_set_server_side(struct pb_view *view, bool server_side);
/* The window committed: its title bar follows its width. */
void pb_view_update_decoration(struct pb_view *view);
/*
 * Full screen on the output the window is on, or back to where it was.
 * False when nothing changed (already so, the kiosk decides, no output).
 */
bool pb_view_set_fullscreen(struct pb_view *view, bool fullscreen);
/* Moves the view's node to a layout position and tells the window. */
void pb_view_move(struct pb_view *view, int x, int y);
/* Full screen: the window's visible part covers box (in the layout). */
void pb_view_cover(struct pb_view *view, const struct wlr_box *box);
/* The window's visible part and its title bar, relative to the view's node. */
void pb_view_get_frame(struct pb_view *view, struct wlr_box *box);
/* The output a view is on: the one under the centre of its geometry, else the nearest. */
struct pb_output *pb_view_output(struct pb_view *view);

/* Gives a mapped view keyboard focus and raises it above the others. */
void pb_view_focus(struct pb_view *view);
/* No window is shown as active (a panel or launcher took the keyboard). */
void pb_view_deactivate_all(struct pb_server *server);
/* Focuses the topmost mapped view, or clears keyboard focus when there is none. */
void pb_view_focus_top(struct pb_server *server);

/* The view whose main surface is surface, or NULL. */
struct pb_view *pb_view_from_surface(struct pb_server *server, struct wlr_surface *surface);

/*
 * The view and surface under a layout point, with surface-local coordinates.
 * Over a title bar: the view, no surface, and coordinates in the bar.
 * Over a panel or an X11 menu: no view, but its surface.
 */
struct pb_view *pb_view_at(struct pb_server *server, double lx, double ly,
        struct wlr_surface **surface, double *sx, double *sy);

/* Asks the focused view to close; false when there is none. */
bool pb_view_close_focused(struct pb_server *server);

/* Focuses the next view in stacking order; false when there is none. */
bool pb_view_cycle_focus(struct pb_server *server);

/* Handles xdg-shell's new_toplevel signal: windows become views (xdg_view.c). */
void pb_xdg_view_handle_new_toplevel(struct wl_listener *listener, void *data);
/* The view of an xdg toplevel; NULL once the view is gone (xdg_view.c). */
struct pb_view *pb_xdg_view_from_toplevel(struct wlr_xdg_toplevel *toplevel);

#endif
