#ifndef PB_ARRANGE_H
#define PB_ARRANGE_H

#include <wayland-server-core.h>

struct pb_server;

/*
 * Where everything on the outputs goes after the outputs change: each
 * output's view of the scene, panels and the area they leave, windows (as
 * the window policy places them), the lock screen, and what control and
 * output-management clients are told. Every output and layout change comes
 * through here; a panel's own change is arranged by layer_shell.c.
 */

/* Handles the layout's change signal: outputs added, moved, resized, rotated or gone. */
void pb_arrange_handle_layout_change(struct wl_listener *listener, void *data);

/*
 * Handles the backend's new_output signal: the output is configured, and
 * control and output-management clients hear of it (also of one left off,
 * which wlr-randr can turn on).
 */
void pb_arrange_handle_new_output(struct wl_listener *listener, void *data);
/* Handles server->events.output_removed: control and output-management clients hear of it. */
void pb_arrange_handle_output_removed(struct wl_listener *listener, void *data);

#endif
