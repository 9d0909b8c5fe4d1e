#ifndef PB_LISTENERS_H
#define PB_LISTENERS_H

#include <stddef.h>
#include <wayland-server-core.h>

/*
 * The one way objects here listen: each keeps a pb_listeners that records
 * every listener it connected, and disconnecting goes through the same
 * record, so what is connected and what is removed on destroy cannot drift.
 */
#define PB_LISTENERS_MAX 24

struct pb_listeners {
	struct wl_listener *connected[PB_LISTENERS_MAX];
	size_t count;
};

/* A signal, the listener to add to it and its handler. */
struct pb_connection {
	struct wl_signal *signal;
	struct wl_listener *listener;
	wl_notify_func_t notify;
};

/* Adds listener to signal with its handler, and records it in set. */
void pb_listen(struct pb_listeners *set, struct wl_signal *signal, struct wl_listener *listener,
        wl_notify_func_t notify);
/*
 * Records a listener libwayland's own add_destroy_listener functions added
 * (a client's, the display's): they take no wl_signal.
 */
void pb_listen_recorded(struct pb_listeners *set, struct wl_listener *listener);
/* pb_listen for each connection. */
void pb_connect_all(
        struct pb_listeners *set, const struct pb_connection *connections, size_t count);
/*
 * Removes one recorded listener before the others (its signal's emitter went
 * first); nothing when it is not connected.
 */
void pb_unlisten(struct pb_listeners *set, struct wl_listener *listener);
/* Removes every recorded listener; set is empty after, so a second call is harmless. */
void pb_disconnect_all(struct pb_listeners *set);

#define PB_COUNT(array) (sizeof(array) / sizeof((array)[0]))

#endif
