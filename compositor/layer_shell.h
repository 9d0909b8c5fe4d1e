#ifndef PB_LAYER_SHELL_H
#define PB_LAYER_SHELL_H

#include <stdbool.h>
#include <wlr/types/wlr_compositor.h>

struct pb_output;
struct pb_server;

/*
 * wlr-layer-shell (version 4): panels, launchers, backgrounds and lock-like
 * overlays, each on one output in one of the four layer trees of the scene.
 * A mapped surface asking for exclusive keyboard focus on the top or overlay
 * layer keeps the keyboard (server->exclusive_focus) while it is mapped.
 */

/* Offers the global; false with the reason logged. */
bool pb_layer_shell_init(struct pb_server *server);
/* Stops listening and frees what init made; safe when init failed or never ran. */
void pb_layer_shell_finish(struct pb_server *server);

/*
 * Places every layer surface of the output (configuring new sizes), or hides
 * them while the output is out of the layout, and sets output->usable_area to
 * what their exclusive zones leave to windows. True when that area changed:
 * the caller moves windows out of the zones (arrange.c).
 */
bool pb_layer_shell_arrange(struct pb_output *output);

/*
 * A click on surface: if it belongs to a layer surface asking for the
 * keyboard on demand (a launcher's search field, a panel's menu), that
 * surface gets the keyboard, unless another keeps it exclusively. True when
 * it did.
 */
bool pb_layer_shell_focus_on_click(struct pb_server *server, struct wlr_surface *surface);

#endif
