/*
 * A Wayland client for primebridge's tests: an xdg-shell toplevel with wl_shm
 * buffers whose pixels the tests know exactly.
 *
 *   pb-test-client pattern W H CMD1 CMD2  draw the test pattern, run CMD1 once
 *                                         it is shown, change a 20x10 patch at
 *                                         (50,40), run CMD2 once that is shown
 *   pb-test-client animate W H SECONDS    repaint the whole window every frame
 *   pb-test-client hold W H SECONDS       draw once, stay for SECONDS
 *   pb-test-client vanish W H             commit a frame and exit at once,
 *                                         without waiting or cleaning up
 *   pb-test-client fullscreen SECONDS     ask to be full-screen and animate like
 *                                         animate, at the size the compositor
 *                                         configures (following later changes)
 *
 * The pattern, for checking screendumps: pixel (x, y) of the window has
 * red (5x + 3y) & 255, green (x ^ y) & 255, blue ((x * y) >> 4) & 255.
 * The patch is solid 0xff8000.
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
#include <time.h>
#include <unistd.h>
#include <wayland-client.h>

#include "xdg-shell-client-protocol.h"

#define PATCH_X     50
#define PATCH_Y     40
#define PATCH_W     20
#define PATCH_H     10
#define PATCH_COLOR 0xffff8000u

#define USAGE                                                                                      \
	"usage: pb-test-client pattern|animate|hold|vanish W H [ARGS...] | "                       \
	"pb-test-client fullscreen SECONDS"

struct client {
	struct wl_display *display;
	struct wl_registry *registry;
	struct wl_compositor *compositor;
	struct wl_shm *shm;
	struct xdg_wm_base *wm_base;
	struct wl_surface *surface;
	struct xdg_surface *xdg_surface;
	struct xdg_toplevel *toplevel;
	struct wl_buffer *buffers[2];
	uint32_t *pixels[2];
	int width, height;
	bool fullscreen;              /* the size is the compositor's */
	int configure_w, configure_h; /* the last toplevel configure's, when full-screen */
	bool configured, closed;
	int frames_done;                  /* frame callbacks received */
	struct wl_callback *callbacks[8]; /* not yet done */
};

static void die(const char *what)
{
	fprintf(stderr, "pb-test-client: %s\n", what);
	exit(1);
}

static void wm_ping(void *data, struct xdg_wm_base *wm_base, uint32_t serial)
{
	xdg_wm_base_pong(wm_base, serial);
}

static const struct xdg_wm_base_listener wm_base_listener = {.ping = wm_ping};

static void registry_global(void *data, struct wl_registry *registry, uint32_t name,
        const char *interface, uint32_t version)
{
	struct client *c = data;
	if (strcmp(interface, wl_compositor_interface.name) == 0) {
		c->compositor = wl_registry_bind(registry, name, &wl_compositor_interface, 4);
	} else if (strcmp(interface, wl_shm_interface.name) == 0) {
		c->shm = wl_registry_bind(registry, name, &wl_shm_interface, 1);
	} else if (strcmp(interface, xdg_wm_base_interface.name) == 0) {
		c->wm_base = wl_registry_bind(registry, name, &xdg_wm_base_interface, 1);
		xdg_wm_base_add_listener(c->wm_base, &wm_base_listener, c);
	}
}

static void registry_remove(void *data, struct wl_registry *registry, uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {
        .global = registry_global,
        .global_remove = registry_remove,
};

static void surface_configure(void *data, struct xdg_surface *xdg_surface, uint32_t serial)
{
	struct client *c = data;
	xdg_surface_ack_configure(xdg_surface, serial);
	c->configured = true;
}

static const struct xdg_surface_listener xdg_surface_listener = {.configure = surface_configure};

static void toplevel_configure(
        void *data, struct xdg_toplevel *toplevel, int32_t w, int32_t h, struct wl_array *states)
{
	/* The window keeps the size the test asked for, unless it is full-screen. */
	struct client *c = data;
	if (c->fullscreen && w > 0 && h > 0) {
		c->configure_w = w;
		c->configure_h = h;
	}
}

static void toplevel_close(void *data, struct xdg_toplevel *toplevel)
{
	((struct client *)data)->closed = true;
}

static const struct xdg_toplevel_listener toplevel_listener = {
        .configure = toplevel_configure,
        .close = toplevel_close,
};

static void create_buffers(struct client *c)
{
	size_t stride = (size_t)c->width * 4;
	size_t size = stride * (size_t)c->height;
	if (size > INT32_MAX / 2) {
		die("the window is too large for one shared memory pool");
	}
	int fd = memfd_create("pb-test-client", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, (off_t)(size * 2)) != 0) {
		die("cannot create shared memory");
	}
	uint8_t *map = mmap(NULL, size * 2, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		die("cannot map shared memory");
	}
	struct wl_shm_pool *pool = wl_shm_create_pool(c->shm, fd, (int32_t)(size * 2));
	for (int i = 0; i < 2; i++) {
		c->buffers[i] = wl_shm_pool_create_buffer(pool, (int32_t)(size * (size_t)i),
		        c->width, c->height, (int32_t)stride, WL_SHM_FORMAT_XRGB8888);
		c->pixels[i] = (uint32_t *)(map + size * (size_t)i);
	}
	wl_shm_pool_destroy(pool);
	close(fd);
}

static void destroy_buffers(struct client *c)
{
	for (int i = 0; i < 2; i++) {
		wl_buffer_destroy(c->buffers[i]);
		c->buffers[i] = NULL;
	}
	munmap(c->pixels[0], (size_t)c->width * 4 * (size_t)c->height * 2);
	c->pixels[0] = c->pixels[1] = NULL;
}

/* Full-screen: new buffers when the compositor configured another size. */
static void follow_configure(struct client *c)
{
	if (!c->fullscreen || (c->configure_w == c->width && c->configure_h == c->height)) {
		return;
	}
	destroy_buffers(c);
	c->width = c->configure_w;
	c->height = c->configure_h;
	create_buffers(c);
}

static uint32_t pattern_pixel(int x, int y)
{
	uint32_t r = (uint32_t)(5 * x + 3 * y) & 255;
	uint32_t g = (uint32_t)(x ^ y) & 255;
	uint32_t b = ((uint32_t)(x * y) >> 4) & 255;
	return 0xff000000u | r << 16 | g << 8 | b;
}

static void draw_pattern(struct client *c, uint32_t *px)
{
	for (int y = 0; y < c->height; y++) {
		for (int x = 0; x < c->width; x++) {
			px[y * c->width + x] = pattern_pixel(x, y);
		}
	}
}

/* Frame n of the animation: every pixel changes from one frame to the next. */
static void draw_animation(struct client *c, uint32_t *px, unsigned n)
{
	for (int y = 0; y < c->height; y++) {
		for (int x = 0; x < c->width; x++) {
			px[y * c->width + x] =
			        0xff000000u | ((uint32_t)(x + y + (int)n) & 255) << 8 | n % 256;
		}
	}
}

static void frame_done(void *data, struct wl_callback *callback, uint32_t time)
{
	struct client *c = data;
	c->frames_done++;
	for (size_t i = 0; i < sizeof(c->callbacks) / sizeof(c->callbacks[0]); i++) {
		if (c->callbacks[i] == callback) {
			c->callbacks[i] = NULL;
		}
	}
	wl_callback_destroy(callback);
}

static const struct wl_callback_listener frame_listener = {.done = frame_done};

static void request_frame(struct client *c)
{
	struct wl_callback *cb = wl_surface_frame(c->surface);
	wl_callback_add_listener(cb, &frame_listener, c);
	for (size_t i = 0; i < sizeof(c->callbacks) / sizeof(c->callbacks[0]); i++) {
		if (!c->callbacks[i]) {
			c->callbacks[i] = cb;
			return;
		}
	}
	die("too many frame callbacks pending");
}

/* Attaches buffer i with the damage given, asking to be told when it was shown. */
static void commit(struct client *c, int i, int x, int y, int w, int h)
{
	wl_surface_attach(c->surface, c->buffers[i], 0, 0);
	wl_surface_damage_buffer(c->surface, x, y, w, h);
	request_frame(c);
	wl_surface_commit(c->surface);
}

static void dispatch(struct client *c)
{
	if (wl_display_dispatch(c->display) < 0) {
		die("the compositor closed the connection");
	}
}

/* Waits for the frame callbacks of the last commit and the one after it. */
static void wait_shown(struct client *c)
{
	int target = c->frames_done + 1;
	while (c->frames_done < target) {
		dispatch(c);
	}
	/* One more round trip through a frame: the first callback may precede the flush. */
	request_frame(c);
	wl_surface_commit(c->surface);
	wl_display_roundtrip(c->display);
}

static double now_seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void run(const char *cmd)
{
	int status = system(cmd);
	if (status != 0) {
		fprintf(stderr, "pb-test-client: '%s' failed with %d\n", cmd, status);
		exit(1);
	}
}

/*
 * Some compositors (cage 0.1.4, sway 1.7) act on set_fullscreen only when the window maps, and
 * configure it as 0x0 until then: map it with a 1x1 black placeholder and wait for the size.
 */
static void wait_fullscreen_size(struct client *c)
{
	c->width = c->height = 1;
	create_buffers(c);
	wl_surface_attach(c->surface, c->buffers[0], 0, 0);
	wl_surface_damage_buffer(c->surface, 0, 0, 1, 1);
	wl_surface_commit(c->surface);
	wl_display_flush(c->display);
	double end = now_seconds() + 2;
	while (c->configure_w == 0 && now_seconds() < end && !c->closed) {
		struct pollfd pfd = {.fd = wl_display_get_fd(c->display), .events = POLLIN};
		if (poll(&pfd, 1, 100) > 0) {
			dispatch(c);
		}
	}
	destroy_buffers(c);
	if (c->configure_w == 0) {
		die("the compositor left the size of the full-screen window to the client "
		    "(configured 0x0), before and after it was mapped");
	}
	c->width = c->configure_w;
	c->height = c->configure_h;
}

/* A full-screen window takes the size of the first configure; the others have width x height. */
static void setup(struct client *c, int width, int height, bool fullscreen)
{
	*c = (struct client){.width = width, .height = height, .fullscreen = fullscreen};
	c->display = wl_display_connect(NULL);
	if (!c->display) {
		die("cannot connect to the compositor (WAYLAND_DISPLAY)");
	}
	c->registry = wl_display_get_registry(c->display);
	wl_registry_add_listener(c->registry, &registry_listener, c);
	wl_display_roundtrip(c->display);
	if (!c->compositor || !c->shm || !c->wm_base) {
		die("the compositor lacks wl_compositor, wl_shm or xdg_wm_base");
	}
	c->surface = wl_compositor_create_surface(c->compositor);
	c->xdg_surface = xdg_wm_base_get_xdg_surface(c->wm_base, c->surface);
	xdg_surface_add_listener(c->xdg_surface, &xdg_surface_listener, c);
	c->toplevel = xdg_surface_get_toplevel(c->xdg_surface);
	xdg_toplevel_add_listener(c->toplevel, &toplevel_listener, c);
	xdg_toplevel_set_title(c->toplevel, "pb-test-client");
	if (fullscreen) {
		xdg_toplevel_set_fullscreen(c->toplevel, NULL);
	}
	wl_surface_commit(c->surface);
	while (!c->configured) {
		dispatch(c);
	}
	if (fullscreen) {
		c->width = c->configure_w;
		c->height = c->configure_h;
		if (c->width == 0) {
			wait_fullscreen_size(c);
		}
	}
	create_buffers(c);
}

static void teardown(struct client *c)
{
	for (size_t i = 0; i < sizeof(c->callbacks) / sizeof(c->callbacks[0]); i++) {
		if (c->callbacks[i]) {
			wl_callback_destroy(c->callbacks[i]);
		}
	}
	destroy_buffers(c);
	xdg_toplevel_destroy(c->toplevel);
	xdg_surface_destroy(c->xdg_surface);
	wl_surface_destroy(c->surface);
	xdg_wm_base_destroy(c->wm_base);
	wl_shm_destroy(c->shm);
	wl_compositor_destroy(c->compositor);
	wl_registry_destroy(c->registry);
	wl_display_disconnect(c->display);
}

/* Repaints the whole window every frame for the seconds given; returns the frames drawn. */
static unsigned animate(struct client *c, double seconds)
{
	double end = now_seconds() + seconds;
	unsigned n = 0;
	int pending = 0;
	while (now_seconds() < end && !c->closed) {
		if (c->frames_done >= pending) {
			follow_configure(c);
			int i = (int)(n % 2);
			draw_animation(c, c->pixels[i], n++);
			commit(c, i, 0, 0, c->width, c->height);
			pending = c->frames_done + 1;
		}
		dispatch(c);
	}
	return n;
}

static int parse_size(const char *text)
{
	int v = atoi(text);
	if (v <= 0 || v > 8192) {
		die("sizes are 1 to 8192 pixels");
	}
	return v;
}

int main(int argc, char *argv[])
{
	struct client c;
	if (argc == 3 && strcmp(argv[1], "fullscreen") == 0) {
		setup(&c, 0, 0, true);
		printf("pb-test-client: %u frames drawn\n", animate(&c, atof(argv[2])));
		teardown(&c);
		return 0;
	}
	if (argc < 4) {
		die(USAGE);
	}
	const char *mode = argv[1];
	setup(&c, parse_size(argv[2]), parse_size(argv[3]), false);
	if (strcmp(mode, "pattern") == 0 && argc == 6) {
		draw_pattern(&c, c.pixels[0]);
		commit(&c, 0, 0, 0, c.width, c.height);
		wait_shown(&c);
		run(argv[4]);
		/* The second buffer: the pattern with one small patch changed, damaged alone. */
		draw_pattern(&c, c.pixels[1]);
		for (int y = PATCH_Y; y < PATCH_Y + PATCH_H; y++) {
			for (int x = PATCH_X; x < PATCH_X + PATCH_W; x++) {
				c.pixels[1][y * c.width + x] = PATCH_COLOR;
			}
		}
		commit(&c, 1, PATCH_X, PATCH_Y, PATCH_W, PATCH_H);
		wait_shown(&c);
		run(argv[5]);
	} else if (strcmp(mode, "animate") == 0 && argc == 5) {
		printf("pb-test-client: %u frames drawn\n", animate(&c, atof(argv[4])));
	} else if (strcmp(mode, "hold") == 0 && argc == 5) {
		draw_pattern(&c, c.pixels[0]);
		commit(&c, 0, 0, 0, c.width, c.height);
		double end = now_seconds() + atof(argv[4]);
		wl_display_flush(c.display);
		while (now_seconds() < end && !c.closed) {
			struct pollfd pfd = {.fd = wl_display_get_fd(c.display), .events = POLLIN};
			if (poll(&pfd, 1, 100) > 0) {
				dispatch(&c);
			}
		}
		if (c.closed) {
			printf("pb-test-client: closed by the compositor\n");
		}
	} else if (strcmp(mode, "vanish") == 0 && argc == 4) {
		draw_pattern(&c, c.pixels[0]);
		commit(&c, 0, 0, 0, c.width, c.height);
		wl_display_flush(c.display);
		_exit(0);
	} else {
		die(USAGE);
	}
	teardown(&c);
	return 0;
}
