/*
 * A misbehaving Wayland client for primebridge's tests. Each mode does one
 * wrong thing, then reports how the compositor answered:
 *
 *   pb-bad-client flood       sends wl_display.sync as fast as it can and
 *                             never reads the replies
 *   pb-bad-client huge        shows a window whose buffer is 16384x16384
 *   pb-bad-client no-destroy  commits 300 new buffers in turn and never
 *                             destroys one; counts the compositor's releases
 *
 * Prints "disconnected: ERROR" when the compositor cut the connection (with
 * its protocol error, if it sent one), else what it saw, and exits 0 either
 * way; 1 when it could not even start.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <wayland-client.h>

#include "client_common.h"
#include "xdg-shell-client-protocol.h"

#define HUGE_SIZE        16384
#define NO_DESTROY_COUNT 300
#define NO_DESTROY_SIZE  64

struct client {
	struct wl_display *display;
	struct wl_compositor *compositor;
	struct wl_shm *shm;
	struct xdg_wm_base *wm_base;
	struct wl_surface *surface;
	struct xdg_surface *xdg_surface;
	struct xdg_toplevel *toplevel;
	bool configured;
	unsigned released;
};

/* The compositor's verdict once the connection failed. */
static void report_disconnect(struct client *c)
{
	const struct wl_interface *interface = NULL;
	uint32_t id = 0;
	int code = wl_display_get_protocol_error(c->display, &interface, &id);
	if (interface) {
		printf("disconnected: protocol error %d on %s@%u\n", code, interface->name, id);
	} else {
		printf("disconnected: %s\n", strerror(wl_display_get_error(c->display)));
	}
	fflush(stdout);
	/* Without tidying up: LeakSanitizer's check at exit is about primebridge, not this. */
	_exit(0);
}

static void surface_configure(void *data, struct xdg_surface *xdg_surface, uint32_t serial)
{
	xdg_surface_ack_configure(xdg_surface, serial);
	((struct client *)data)->configured = true;
}

static const struct xdg_surface_listener xdg_surface_listener = {.configure = surface_configure};

static void toplevel_configure(
        void *data, struct xdg_toplevel *toplevel, int32_t w, int32_t h, struct wl_array *states)
{
}

static void toplevel_close(void *data, struct xdg_toplevel *toplevel)
{
}

static const struct xdg_toplevel_listener toplevel_listener = {
        .configure = toplevel_configure,
        .close = toplevel_close,
};

static void buffer_release(void *data, struct wl_buffer *buffer)
{
	((struct client *)data)->released++;
}

static const struct wl_buffer_listener buffer_listener = {.release = buffer_release};

static void roundtrip(struct client *c)
{
	if (wl_display_roundtrip(c->display) < 0) {
		report_disconnect(c);
	}
}

static void setup(struct client *c)
{
	c->display = wl_display_connect(NULL);
	if (!c->display) {
		pb_die("cannot connect to the compositor (WAYLAND_DISPLAY)");
	}
	const struct pb_wanted_global wanted[] = {
	        {&wl_compositor_interface, 4, (void **)&c->compositor},
	        {&wl_shm_interface, 1, (void **)&c->shm},
	        {&xdg_wm_base_interface, 1, (void **)&c->wm_base},
	};
	pb_bind_globals(c->display, wanted, sizeof(wanted) / sizeof(wanted[0]));
	if (!c->compositor || !c->shm || !c->wm_base) {
		pb_die("the compositor lacks wl_compositor, wl_shm or xdg_wm_base");
	}
	c->surface = wl_compositor_create_surface(c->compositor);
	c->xdg_surface = xdg_wm_base_get_xdg_surface(c->wm_base, c->surface);
	xdg_surface_add_listener(c->xdg_surface, &xdg_surface_listener, c);
	c->toplevel = xdg_surface_get_toplevel(c->xdg_surface);
	xdg_toplevel_add_listener(c->toplevel, &toplevel_listener, c);
	wl_surface_commit(c->surface);
	while (!c->configured) {
		if (wl_display_dispatch(c->display) < 0) {
			report_disconnect(c);
		}
	}
}

/* A pool of size bytes of shared memory, never touched: the pages stay unallocated. */
static struct wl_shm_pool *create_pool(struct client *c, size_t size)
{
	int fd = memfd_create("pb-bad-client", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, (off_t)size) != 0) {
		pb_die("cannot create shared memory");
	}
	struct wl_shm_pool *pool = wl_shm_create_pool(c->shm, fd, (int32_t)size);
	close(fd);
	return pool;
}

static void flood(struct client *c)
{
	int fd = wl_display_get_fd(c->display);
	for (int round = 0; round < 1000000; round++) {
		for (int i = 0; i < 64; i++) {
			wl_callback_destroy(wl_display_sync(c->display));
		}
		if (wl_display_flush(c->display) < 0 && errno != EAGAIN) {
			report_disconnect(c);
		}
		/* Never reading: the compositor's replies pile up on its side. */
		struct pollfd pfd = {.fd = fd, .events = POLLOUT};
		if (poll(&pfd, 1, 100) > 0 && pfd.revents & (POLLHUP | POLLERR)) {
			printf("disconnected: the compositor hung up\n");
			return;
		}
	}
	printf("still connected after 64000000 requests\n");
}

static void huge(struct client *c)
{
	size_t stride = (size_t)HUGE_SIZE * 4;
	struct wl_shm_pool *pool = create_pool(c, stride * HUGE_SIZE);
	struct wl_buffer *buffer = wl_shm_pool_create_buffer(
	        pool, 0, HUGE_SIZE, HUGE_SIZE, (int32_t)stride, WL_SHM_FORMAT_XRGB8888);
	wl_shm_pool_destroy(pool);
	wl_surface_attach(c->surface, buffer, 0, 0);
	wl_surface_damage_buffer(c->surface, 0, 0, HUGE_SIZE, HUGE_SIZE);
	wl_surface_commit(c->surface);
	roundtrip(c);
	roundtrip(c);
	printf("still connected: a %dx%d buffer was accepted\n", HUGE_SIZE, HUGE_SIZE);
}

static void no_destroy(struct client *c)
{
	size_t stride = NO_DESTROY_SIZE * 4, size = stride * NO_DESTROY_SIZE;
	struct wl_shm_pool *pool = create_pool(c, size * NO_DESTROY_COUNT);
	for (int i = 0; i < NO_DESTROY_COUNT; i++) {
		struct wl_buffer *buffer = wl_shm_pool_create_buffer(pool,
		        (int32_t)(size * (size_t)i), NO_DESTROY_SIZE, NO_DESTROY_SIZE,
		        (int32_t)stride, WL_SHM_FORMAT_XRGB8888);
		wl_buffer_add_listener(buffer, &buffer_listener, c);
		wl_surface_attach(c->surface, buffer, 0, 0);
		wl_surface_damage_buffer(c->surface, 0, 0, NO_DESTROY_SIZE, NO_DESTROY_SIZE);
		wl_surface_commit(c->surface);
		roundtrip(c);
	}
	roundtrip(c);
	printf("still connected: %d buffers committed, %u released\n", NO_DESTROY_COUNT,
	        c->released);
}

int main(int argc, char *argv[])
{
	if (argc != 2 || (strcmp(argv[1], "flood") != 0 && strcmp(argv[1], "huge") != 0 &&
	                         strcmp(argv[1], "no-destroy") != 0)) {
		pb_die("usage: pb-bad-client flood|huge|no-destroy");
	}
	struct client c = {0};
	setup(&c);
	if (strcmp(argv[1], "flood") == 0) {
		flood(&c);
	} else if (strcmp(argv[1], "huge") == 0) {
		huge(&c);
	} else {
		no_destroy(&c);
	}
	fflush(stdout);
	_exit(0); /* as in report_disconnect */
}
