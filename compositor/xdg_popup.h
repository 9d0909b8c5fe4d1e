#ifndef PB_XDG_POPUP_H
#define PB_XDG_POPUP_H

#include <stdbool.h>
#include <wayland-server-core.h>
#include <wlr/types/wlr_scene.h>
#include <wlr/types/wlr_xdg_shell.h>
#include <wlr/util/box.h>

/*
 * Shows a popup (a menu, a tooltip) in its parent's scene tree and sends its
 * first configure on its initial commit, moved back inside box (in the
 * coordinates of the window or panel at the root of the popups; NULL: where
 * the client put it) if it would leave it. The popup's tree becomes its xdg
 * surface's data, for popups of its own. False when out of memory (the
 * client is told).
 */
bool pb_xdg_popup_add(
        struct wlr_xdg_popup *popup, struct wlr_scene_tree *parent, const struct wlr_box *box);

/*
 * Handles xdg-shell's new_popup signal: popups of windows and of other
 * popups. A popup whose parent is no xdg surface (a panel's) waits for
 * layer-shell to adopt it.
 */
void pb_xdg_popup_handle_new(struct wl_listener *listener, void *data);

#endif
