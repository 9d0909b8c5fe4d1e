/*
 * A minimal input method (input-method-v2), for primebridge's tests.
 *
 *   pb-input-method FIRST SECOND
 *   pb-input-method --grab TEXT
 *
 * When the compositor activates it (a text field has the keyboard), it
 * commits FIRST to that field; on SIGUSR1 it commits SECOND. With --grab it
 * commits nothing on activation but grabs the keyboard, and commits TEXT for
 * each press of the A key it hears through the grab (printing "key CODE" for
 * every press), as an input method that turns keys into other text does. Its candidate
 * popup is a plain 160x24 magenta rectangle, shown while it is active.
 * It prints, one per line: "activated", "committed TEXT", "deactivated",
 * "rectangle X Y W H" (the text cursor relative to the popup, as the
 * compositor tells it) and "surrounding TEXT". It runs until killed, and
 * exits 1 if the compositor says another input method is running.
 */
#include <linux/input-event-codes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wayland-client.h>

#include "client_common.h"
#include "input-method-unstable-v2-client-protocol.h"

#define POPUP_WIDTH  160
#define POPUP_HEIGHT 24
#define MAGENTA      0xffff00ffu

struct method {
	struct wl_compositor *compositor;
	struct wl_shm *shm;
	struct wl_seat *seat;
	struct zwp_input_method_manager_v2 *manager;
	struct zwp_input_method_v2 *im;
	uint32_t serial; /* done events so far: what a commit refers to */
	bool pending_active, active, committed_first;
	const char *first;
	const char *on_a; /* --grab: committed for each press of A */
	struct zwp_input_method_keyboard_grab_v2 *grab;
};

static volatile sig_atomic_t second_wanted;

static void commit_text(struct method *m, const char *text)
{
	zwp_input_method_v2_commit_string(m->im, text);
	zwp_input_method_v2_commit(m->im, m->serial);
	printf("committed %s\n", text);
}

static void im_activate(void *data, struct zwp_input_method_v2 *im)
{
	((struct method *)data)->pending_active = true;
}

static void im_deactivate(void *data, struct zwp_input_method_v2 *im)
{
	((struct method *)data)->pending_active = false;
}

static void im_surrounding_text(void *data, struct zwp_input_method_v2 *im, const char *text,
        uint32_t cursor, uint32_t anchor)
{
	printf("surrounding %s\n", text);
}

static void im_text_change_cause(void *data, struct zwp_input_method_v2 *im, uint32_t cause)
{
}

static void im_content_type(
        void *data, struct zwp_input_method_v2 *im, uint32_t hint, uint32_t purpose)
{
}

static void grab_keymap(void *data, struct zwp_input_method_keyboard_grab_v2 *grab, uint32_t format,
        int32_t fd, uint32_t size)
{
	close(fd);
}

static void grab_key(void *data, struct zwp_input_method_keyboard_grab_v2 *grab, uint32_t serial,
        uint32_t time, uint32_t key, uint32_t state)
{
	struct method *m = data;
	if (state != WL_KEYBOARD_KEY_STATE_PRESSED) {
		return;
	}
	printf("key %u\n", key);
	if (key == KEY_A) {
		commit_text(m, m->on_a);
	}
	fflush(stdout);
}

static void grab_modifiers(void *data, struct zwp_input_method_keyboard_grab_v2 *grab,
        uint32_t serial, uint32_t depressed, uint32_t latched, uint32_t locked, uint32_t group)
{
}

static void grab_repeat_info(
        void *data, struct zwp_input_method_keyboard_grab_v2 *grab, int32_t rate, int32_t delay)
{
}

static const struct zwp_input_method_keyboard_grab_v2_listener grab_listener = {
        .keymap = grab_keymap,
        .key = grab_key,
        .modifiers = grab_modifiers,
        .repeat_info = grab_repeat_info,
};

static void im_done(void *data, struct zwp_input_method_v2 *im)
{
	struct method *m = data;
	m->serial++;
	if (m->pending_active != m->active) {
		m->active = m->pending_active;
		printf("%s\n", m->active ? "activated" : "deactivated");
	}
	if (m->active && m->on_a && !m->grab) {
		m->grab = zwp_input_method_v2_grab_keyboard(im);
		zwp_input_method_keyboard_grab_v2_add_listener(m->grab, &grab_listener, m);
		printf("grabbed\n");
	} else if (m->active && !m->on_a && !m->committed_first) {
		m->committed_first = true;
		commit_text(m, m->first);
	}
	fflush(stdout);
}

static void im_unavailable(void *data, struct zwp_input_method_v2 *im)
{
	pb_die("the compositor has another input method");
}

static const struct zwp_input_method_v2_listener im_listener = {
        .activate = im_activate,
        .deactivate = im_deactivate,
        .surrounding_text = im_surrounding_text,
        .text_change_cause = im_text_change_cause,
        .content_type = im_content_type,
        .done = im_done,
        .unavailable = im_unavailable,
};

static void popup_rectangle(void *data, struct zwp_input_popup_surface_v2 *popup, int32_t x,
        int32_t y, int32_t width, int32_t height)
{
	printf("rectangle %d %d %d %d\n", x, y, width, height);
	fflush(stdout);
}

static const struct zwp_input_popup_surface_v2_listener popup_listener = {
        .text_input_rectangle = popup_rectangle};

static void want_second(int sig)
{
	second_wanted = 1;
}

int main(int argc, char *argv[])
{
	if (argc != 3) {
		fprintf(stderr,
		        "usage: pb-input-method FIRST SECOND | pb-input-method --grab TEXT\n");
		return 2;
	}
	bool grab = strcmp(argv[1], "--grab") == 0;
	struct method m = {.first = argv[1], .on_a = grab ? argv[2] : NULL};
	signal(SIGUSR1, want_second);
	struct wl_display *display = wl_display_connect(NULL);
	if (!display) {
		pb_die("cannot connect to $WAYLAND_DISPLAY");
	}
	const struct pb_wanted_global wanted[] = {
	        {&wl_compositor_interface, 4, (void **)&m.compositor},
	        {&wl_shm_interface, 1, (void **)&m.shm},
	        {&wl_seat_interface, 1, (void **)&m.seat},
	        {&zwp_input_method_manager_v2_interface, 1, (void **)&m.manager},
	};
	pb_bind_globals(display, wanted, sizeof(wanted) / sizeof(wanted[0]));
	if (!m.compositor || !m.shm || !m.seat || !m.manager) {
		pb_die("the compositor offers no zwp_input_method_manager_v2");
	}
	m.im = zwp_input_method_manager_v2_get_input_method(m.manager, m.seat);
	zwp_input_method_v2_add_listener(m.im, &im_listener, &m);
	struct wl_surface *surface = wl_compositor_create_surface(m.compositor);
	struct zwp_input_popup_surface_v2 *popup =
	        zwp_input_method_v2_get_input_popup_surface(m.im, surface);
	zwp_input_popup_surface_v2_add_listener(popup, &popup_listener, &m);
	wl_surface_attach(
	        surface, pb_solid_buffer(m.shm, POPUP_WIDTH, POPUP_HEIGHT, MAGENTA), 0, 0);
	wl_surface_commit(surface);
	struct pollfd fd = {.fd = wl_display_get_fd(display), .events = POLLIN};
	for (;;) {
		if (second_wanted && !grab) {
			second_wanted = 0;
			commit_text(&m, argv[2]);
			fflush(stdout);
		}
		wl_display_flush(display);
		if (poll(&fd, 1, 100) > 0 && wl_display_dispatch(display) < 0) {
			pb_die("the compositor closed the connection");
		}
	}
}
