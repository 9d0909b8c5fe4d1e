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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wayland-client.h>

#include "client_common.h"
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
	pb_die("the compositor closed the panel");
}

static const struct zwlr_layer_surface_v1_listener layer_listener = {
        .configure = layer_configure, .closed = layer_closed};

int main(void)
{
	struct panel p = {0};
	struct wl_display *display = wl_display_connect(NULL);
	if (!display) {
		pb_die("cannot connect to $WAYLAND_DISPLAY");
	}
	const struct pb_wanted_global wanted[] = {
	        {&wl_compositor_interface, 4, (void **)&p.compositor},
	        {&wl_shm_interface, 1, (void **)&p.shm},
	        {&wl_seat_interface, 1, (void **)&p.seat},
	        {&zwlr_layer_shell_v1_interface, 4, (void **)&p.layer_shell},
	};
	pb_bind_globals(display, wanted, sizeof(wanted) / sizeof(wanted[0]));
	if (!p.compositor || !p.shm || !p.seat || !p.layer_shell) {
		pb_die("the compositor offers no zwlr_layer_shell_v1");
	}
	wl_keyboard_add_listener(wl_seat_get_keyboard(p.seat), &keyboard_listener, &p);
	p.buffer = pb_solid_buffer(p.shm, WIDTH, HEIGHT, GREEN);
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
	pb_die("the compositor closed the connection");
}
