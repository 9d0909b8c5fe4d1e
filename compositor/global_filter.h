#ifndef PB_GLOBAL_FILTER_H
#define PB_GLOBAL_FILTER_H

#include <stdbool.h>
#include <wayland-server-core.h>

struct pb_server;

/*
 * Which client sees which global, decided in one place (the display has one
 * filter): the control protocol only for trusted clients (control.c
 * decides), XWayland's shell only for XWayland (xwayland.c), and the privileged globals
 * (screen capture, clipboard control, output management, virtual input,
 * layer-shell, locking, window lists, the control protocol) for no client
 * in a sandbox: one that connected through a security-context-v1 listener
 * (Flatpak makes one per application).
 */
bool pb_global_filter_init(struct pb_server *server);
void pb_global_filter_finish(struct pb_server *server);

/* A global a sandboxed client must not see; call once per global, at start-up. */
void pb_global_filter_mark_privileged(struct pb_server *server, const struct wl_global *global);

/* Whether a client may see a restricted global; data as given with it. */
typedef bool (*pb_client_check)(const struct wl_client *client, const void *data);
/*
 * A privileged global that, of the clients outside sandboxes, only those
 * check accepts see: its owner decides who they are.
 */
void pb_global_filter_restrict(struct pb_server *server, const struct wl_global *global,
        pb_client_check check, const void *data);
/* The global is about to be destroyed: it is filtered no more. */
void pb_global_filter_forget(struct pb_server *server, const struct wl_global *global);

#endif
