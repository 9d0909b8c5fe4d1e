#ifndef PB_XWAYLAND_H
#define PB_XWAYLAND_H

#include <stdbool.h>
#include <wlr/types/wlr_compositor.h>

struct pb_server;

/*
 * XWayland, started by wlroots when the first X11 client connects; sets
 * DISPLAY for the children started afterwards. False (logged) when
 * XWayland is not installed: the session goes on without X11.
 */
bool pb_xwayland_init(struct pb_server *server, struct wlr_compositor *compositor);
void pb_xwayland_finish(struct pb_server *server);

/* Whether client is the X server, which carries every X11 program's windows. */
bool pb_xwayland_is_server(const struct pb_server *server, const struct wl_client *client);

#endif
