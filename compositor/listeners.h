#ifndef PB_LISTENERS_H
#define PB_LISTENERS_H

#include <stddef.h>
#include <wayland-server-core.h>

/* A signal, the listener to add to it and its handler. */
struct pb_connection {
	struct wl_signal *signal;
	struct wl_listener *listener;
	wl_notify_func_t notify;
};

/* Adds each listener to its signal, with its handler. */
void pb_connect_all(const struct pb_connection *connections, size_t count);

/*
 * Removes each listener from its signal (the other half of pb_connect_all).
 * Their links are left empty, so disconnecting again (a finish after an
 * early stop) is harmless.
 */
void pb_disconnect_all(struct wl_listener *const *listeners, size_t count);

#define PB_COUNT(array) (sizeof(array) / sizeof((array)[0]))

#endif
