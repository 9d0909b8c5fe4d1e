/*
 * A panel that asks for the keyboard on demand (wlr-layer-shell), for
 * primebridge's tests.
 *
 *   pb-layer-keyboard
 *
 * A 400x60 green bar at the top of the output, on the top layer, with
 * keyboard interactivity "on demand": it should get the keyboard when
 * clicked, and lose it when a window is clicked. It prints "enter",
 * "leave" and "key CODE STATE" (evdev codes) as its keyboard hears them,
 * and runs until killed.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <wayland-client.h>

#include "wlr-layer-shell-unstable-v1-client-protocol.h"

#define WIDTH  400
#define HEIGHT 60
#define GREEN  0xff00c000u

struct panel {
	struct wl_compositor *compositor;
	struct wl_shm *shm;
	struct wl_seat *seat;
	struct zwlr_layer_shell_v1 *layer_shell;
	struct wl_surface *surface;
	struct wl_buffer *buffer;
};

static void die(const char *msg)
{
	fprintf(stderr, "pb-layer-keyboard: %s\n", msg);
	exit(1);
}

static void registry_global(void *data, struct wl_registry *registry, uint32_t name,
        const char *interface, uint32_t version)
{
	struct panel *p = data;
	if (strcmp(interface, wl_compositor_interface.name) == 0) {
		p->compositor = wl_registry_bind(registry, name, &wl_compositor_interface, 4);
	} else if (strcmp(interface, wl_shm_interface.name) == 0) {
		p->shm = wl_registry_bind(registry, name, &wl_shm_interface, 1);
	} else if (strcmp(interface, wl_seat_interface.name) == 0 && !p->seat) {
		p->seat = wl_registry_bind(registry, name, &wl_seat_interface, 1);
	} else if (strcmp(interface, zwlr_layer_shell_v1_interface.name) == 0) {
		p->layer_shell =
		        wl_registry_bind(registry, name, &zwlr_layer_shell_v1_interface, 4);
	}
}

static void registry_remove(void *data, struct wl_registry *registry, uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {
        .global = registry_global, .global_remove = registry_remove};

static void say(const char *line)
{
	printf("%s\n", line);
	fflush(stdout);
}

static void keyboard_keymap(
        void *data, struct wl_keyboard *keyboard, uint32_t format, int32_t fd, uint32_t size)
{
	close(fd);
}

static void keyboard_enter(void *data, struct wl_keyboard *keyboard, uint32_t serial,
        struct wl_surface *surface, struct wl_array *keys)
{
	say("enter");
}

static void keyboard_leave(
        void *data, struct wl_keyboard *keyboard, uint32_t serial, struct wl_surface *surface)
{
	say("leave");
}

static void keyboard_key(void *data, struct wl_keyboard *keyboard, uint32_t serial, uint32_t time,
        uint32_t key, uint32_t state)
{
	printf("key %u %u\n", key, state);
	fflush(stdout);
}

static void keyboard_modifiers(void *data, struct wl_keyboard *keyboard, uint32_t serial,
        uint32_t depressed, uint32_t latched, uint32_t locked, uint32_t group)
{
}

static const struct wl_keyboard_listener keyboard_listener = {
        .keymap = keyboard_keymap,
        .enter = keyboard_enter,
        .leave = keyboard_leave,
        .key = keyboard_key,
        .modifiers = keyboard_modifiers,
};

static struct wl_buffer *green_buffer(struct wl_shm *shm)
{
	size_t size = (size_t)WIDTH * HEIGHT * 4;
	int fd = memfd_create("pb-layer-keyboard", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, (off_t)size) < 0) {
		die("cannot make shared memory");
	}
	uint32_t *px = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (px == MAP_FAILED) {
		die("cannot map shared memory");
	}
	for (size_t i = 0; i < size / 4; i++) {
		px[i] = GREEN;
	}
	munmap(px, size);
	struct wl_shm_pool *pool = wl_shm_create_pool(shm, fd, (int32_t)size);
	struct wl_buffer *buffer = wl_shm_pool_create_buffer(
	        pool, 0, WIDTH, HEIGHT, WIDTH * 4, WL_SHM_FORMAT_XRGB8888);
	wl_shm_pool_destroy(pool);
	close(fd);
	return buffer;
}

static void layer_configure(void *data, struct zwlr_layer_surface_v1 *layer, uint32_t serial,
        uint32_t width, uint32_t height)
{
	struct panel *p = data;
	zwlr_layer_surface_v1_ack_configure(layer, serial);
	wl_surface_attach(p->surface, p->buffer, 0, 0);
	wl_surface_damage(p->surface, 0, 0, WIDTH, HEIGHT);
	wl_surface_commit(p->surface);
}

static void layer_closed(void *data, struct zwlr_layer_surface_v1 *layer)
{
	die("the compositor closed the panel");
}

static const struct zwlr_layer_surface_v1_listener layer_listener = {
        .configure = layer_configure, .closed = layer_closed};

int main(void)
{
	struct panel p = {0};
	struct wl_display *display = wl_display_connect(NULL);
	if (!display) {
		die("cannot connect to $WAYLAND_DISPLAY");
	}
	struct wl_registry *registry = wl_display_get_registry(display);
	wl_registry_add_listener(registry, &registry_listener, &p);
	wl_display_roundtrip(display);
	if (!p.compositor || !p.shm || !p.seat || !p.layer_shell) {
		die("the compositor offers no zwlr_layer_shell_v1");
	}
	wl_keyboard_add_listener(wl_seat_get_keyboard(p.seat), &keyboard_listener, &p);
	p.buffer = green_buffer(p.shm);
	p.surface = wl_compositor_create_surface(p.compositor);
	struct zwlr_layer_surface_v1 *layer = zwlr_layer_shell_v1_get_layer_surface(
	        p.layer_shell, p.surface, NULL, ZWLR_LAYER_SHELL_V1_LAYER_TOP, "pb-layer-keyboard");
	zwlr_layer_surface_v1_add_listener(layer, &layer_listener, &p);
	zwlr_layer_surface_v1_set_size(layer, WIDTH, HEIGHT);
	zwlr_layer_surface_v1_set_anchor(layer, ZWLR_LAYER_SURFACE_V1_ANCHOR_TOP);
	zwlr_layer_surface_v1_set_keyboard_interactivity(
	        layer, ZWLR_LAYER_SURFACE_V1_KEYBOARD_INTERACTIVITY_ON_DEMAND);
	wl_surface_commit(p.surface);
	while (wl_display_dispatch(display) >= 0) {
	}
	die("the compositor closed the connection");
}
