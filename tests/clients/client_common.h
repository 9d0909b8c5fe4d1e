#ifndef PB_CLIENT_COMMON_H
#define PB_CLIENT_COMMON_H

/* What the test clients share: dying with a message, binding globals, shared memory. */

#include <stddef.h>
#include <stdint.h>
#include <wayland-client.h>

/* Prints "PROGRAM: message" on stderr and exits with status 1. */
_Noreturn void pb_die(const char *message);

/* A global a client wants: bound at version (never above the offered one) into *proxy. */
struct pb_wanted_global {
	const struct wl_interface *interface;
	uint32_t version;
	void **proxy;
};

/*
 * Binds the first global of each wanted interface the compositor offers, in
 * one roundtrip; the others' proxies stay NULL.
 */
void pb_bind_globals(
        struct wl_display *display, const struct pb_wanted_global *wanted, size_t count);

/* size bytes of shared memory, mapped; its fd in *fd, for a wl_shm_pool, then to close. */
void *pb_shm_map(const char *name, size_t size, int *fd);

/* A width x height buffer filled with one XRGB8888 colour. */
struct wl_buffer *pb_solid_buffer(struct wl_shm *shm, int width, int height, uint32_t colour);

#endif
