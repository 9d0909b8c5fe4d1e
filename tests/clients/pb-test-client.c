/*
 * A Wayland client for primebridge's tests: an xdg-shell toplevel with wl_shm
 * buffers whose pixels the tests know exactly.
 *
 *   pb-test-client pattern W H CMD1 CMD2  draw the test pattern, run CMD1 once
 *                                         it is shown, change a 20x10 patch at
 *                                         (50,40), run CMD2 once that is shown
 *   pb-test-client animate W H SECONDS    repaint the whole window every frame
 *   pb-test-client hold W H SECONDS       draw once, stay for SECONDS
 *   pb-test-client inhibit W H SECONDS    the same, keeping the session from going
 *                                         idle (an idle inhibitor on its window)
 *   pb-test-client vanish W H             commit a frame and exit at once,
 *                                         without waiting or cleaning up
 *   pb-test-client fullscreen SECONDS [OUTFILE]
 *                                         ask to be full-screen and animate like
 *                                         animate, at the size the compositor
 *                                         configures (following later changes);
 *                                         with OUTFILE, record latency as below
 *   pb-test-client latency W H SECONDS OUTFILE
 *                                         animate, and record in OUTFILE when
 *                                         each frame was committed and when the
 *                                         compositor says it was presented
 *
 * Latency (wp_presentation): every frame asks for presentation feedback. The
 * file gets a header line, then one line per frame as its feedback arrives,
 * written at once (the benchmark ends the client with a signal):
 *
 *   # pb-test-client latency WxH|fullscreen clock CLK_ID
 *   N COMMIT_NS presented PRESENTED_NS REFRESH_NS FLAGS
 *   N COMMIT_NS discarded
 *
 * N counts the frames from 0; COMMIT_NS is CLOCK_MONOTONIC just before the
 * frame's wl_surface.commit (flushed at once), PRESENTED_NS the feedback's
 * time, taken to CLOCK_MONOTONIC when the compositor's clock (CLK_ID) is
 * another; REFRESH_NS and FLAGS as the compositor sent them. Without
 * wp_presentation the header says "# no wp_presentation" and the client
 * animates all the same.
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

#include "client_common.h"
#include "idle-inhibit-unstable-v1-client-protocol.h"
#include "presentation-time-client-protocol.h"
#include "xdg-shell-client-protocol.h"

#define PATCH_X     50
#define PATCH_Y     40
#define PATCH_W     20
#define PATCH_H     10
#define PATCH_COLOR 0xffff8000u

#define USAGE                                                                                      \
	"usage: pb-test-client pattern|animate|hold|inhibit|vanish W H [ARGS...] | "               \
	"pb-test-client fullscreen SECONDS [OUTFILE] | "                                           \
	"pb-test-client latency W H SECONDS OUTFILE"

struct client {
	struct wl_display *display;
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
	/* Latency recording: a file and wp_presentation, or neither. */
	FILE *latency;
	struct wp_presentation *presentation;
	clockid_t presentation_clock;
	struct zwp_idle_inhibit_manager_v1 *inhibit_manager;
	unsigned commits;        /* frames committed with feedback */
	struct wl_list feedback; /* struct feedback: not yet presented or discarded */
};

/* One frame's presentation feedback, until it arrives. */
struct feedback {
	struct client *client;
	struct wp_presentation_feedback *proxy;
	struct wl_list link;
	unsigned n;
	int64_t commit_ns;
};

static void feedback_destroy(struct feedback *f)
{
	wp_presentation_feedback_destroy(f->proxy);
	wl_list_remove(&f->link);
	free(f);
}

static void wm_ping(void *data, struct xdg_wm_base *wm_base, uint32_t serial)
{
	xdg_wm_base_pong(wm_base, serial);
}

static const struct xdg_wm_base_listener wm_base_listener = {.ping = wm_ping};

static int64_t clock_ns(clockid_t clock)
{
	struct timespec t;
	clock_gettime(clock, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void presentation_clock_id(void *data, struct wp_presentation *presentation, uint32_t clk_id)
{
	((struct client *)data)->presentation_clock = (clockid_t)clk_id;
}

static const struct wp_presentation_listener presentation_listener = {
        .clock_id = presentation_clock_id,
};

static void feedback_sync_output(
        void *data, struct wp_presentation_feedback *feedback, struct wl_output *output)
{
}

static void feedback_presented(void *data, struct wp_presentation_feedback *feedback,
        uint32_t tv_sec_hi, uint32_t tv_sec_lo, uint32_t tv_nsec, uint32_t refresh, uint32_t seq_hi,
        uint32_t seq_lo, uint32_t flags)
{
	struct feedback *f = data;
	struct client *c = f->client;
	int64_t presented =
	        (int64_t)(((uint64_t)tv_sec_hi << 32) | tv_sec_lo) * 1000000000 + tv_nsec;
	if (c->presentation_clock != CLOCK_MONOTONIC) {
		/* The compositor's clock, moved onto CLOCK_MONOTONIC as it stands now. */
		presented += clock_ns(CLOCK_MONOTONIC) - clock_ns(c->presentation_clock);
	}
	fprintf(c->latency, "%u %lld presented %lld %u %u\n", f->n, (long long)f->commit_ns,
	        (long long)presented, refresh, flags);
	feedback_destroy(f);
}

static void feedback_discarded(void *data, struct wp_presentation_feedback *feedback)
{
	struct feedback *f = data;
	fprintf(f->client->latency, "%u %lld discarded\n", f->n, (long long)f->commit_ns);
	feedback_destroy(f);
}

static const struct wp_presentation_feedback_listener feedback_listener = {
        .sync_output = feedback_sync_output,
        .presented = feedback_presented,
        .discarded = feedback_discarded,
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
		pb_die("the window is too large for one shared memory pool");
	}
	int fd;
	uint8_t *map = pb_shm_map("pb-test-client", size * 2, &fd);
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
	pb_die("too many frame callbacks pending");
}

/*
 * Attaches buffer i with the damage given, asking to be told when it was shown. When recording
 * latency, also asks for presentation feedback and notes the time of the commit, sent at once.
 */
static void commit(struct client *c, int i, int x, int y, int w, int h)
{
	wl_surface_attach(c->surface, c->buffers[i], 0, 0);
	wl_surface_damage_buffer(c->surface, x, y, w, h);
	request_frame(c);
	if (!c->presentation) {
		wl_surface_commit(c->surface);
		return;
	}
	struct feedback *f = malloc(sizeof(*f));
	if (!f) {
		pb_die("out of memory");
	}
	*f = (struct feedback){.client = c, .n = c->commits++};
	f->proxy = wp_presentation_feedback(c->presentation, c->surface);
	wp_presentation_feedback_add_listener(f->proxy, &feedback_listener, f);
	wl_list_insert(c->feedback.prev, &f->link);
	f->commit_ns = clock_ns(CLOCK_MONOTONIC);
	wl_surface_commit(c->surface);
	wl_display_flush(c->display);
}

static void dispatch(struct client *c)
{
	if (wl_display_dispatch(c->display) < 0) {
		pb_die("the compositor closed the connection");
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
		pb_die("the compositor left the size of the full-screen window to the client "
		       "(configured 0x0), before and after it was mapped");
	}
	c->width = c->configure_w;
	c->height = c->configure_h;
}

/*
 * A full-screen window takes the size of the first configure; the others have width x height.
 * With a latency file, binds wp_presentation and writes the file's header.
 */
static void setup(struct client *c, int width, int height, bool fullscreen, FILE *latency)
{
	*c = (struct client){.width = width,
	        .height = height,
	        .fullscreen = fullscreen,
	        .latency = latency,
	        .presentation_clock = CLOCK_MONOTONIC};
	wl_list_init(&c->feedback);
	c->display = wl_display_connect(NULL);
	if (!c->display) {
		pb_die("cannot connect to the compositor (WAYLAND_DISPLAY)");
	}
	/* wp_presentation, last, only when recording latency. */
	const struct pb_wanted_global wanted[] = {
	        {&wl_compositor_interface, 4, (void **)&c->compositor},
	        {&wl_shm_interface, 1, (void **)&c->shm},
	        {&xdg_wm_base_interface, 1, (void **)&c->wm_base},
	        {&zwp_idle_inhibit_manager_v1_interface, 1, (void **)&c->inhibit_manager},
	        {&wp_presentation_interface, 1, (void **)&c->presentation},
	};
	size_t count = sizeof(wanted) / sizeof(wanted[0]);
	pb_bind_globals(c->display, wanted, latency ? count : count - 1);
	if (!c->compositor || !c->shm || !c->wm_base) {
		pb_die("the compositor lacks wl_compositor, wl_shm or xdg_wm_base");
	}
	xdg_wm_base_add_listener(c->wm_base, &wm_base_listener, c);
	if (c->presentation) {
		wp_presentation_add_listener(c->presentation, &presentation_listener, c);
	}
	if (latency) {
		wl_display_roundtrip(c->display); /* wp_presentation.clock_id */
		if (c->presentation) {
			fprintf(latency, "# pb-test-client latency ");
			if (fullscreen) {
				fprintf(latency, "fullscreen");
			} else {
				fprintf(latency, "%dx%d", width, height);
			}
			fprintf(latency, " clock %d\n", (int)c->presentation_clock);
		} else {
			fprintf(latency, "# no wp_presentation\n");
		}
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
	/* Feedback still pending is not waited for: those frames get no line. */
	struct feedback *f, *next;
	wl_list_for_each_safe(f, next, &c->feedback, link)
	{
		feedback_destroy(f);
	}
	if (c->presentation) {
		wp_presentation_destroy(c->presentation);
	}
	if (c->inhibit_manager) {
		zwp_idle_inhibit_manager_v1_destroy(c->inhibit_manager);
	}
	xdg_toplevel_destroy(c->toplevel);
	xdg_surface_destroy(c->xdg_surface);
	wl_surface_destroy(c->surface);
	xdg_wm_base_destroy(c->wm_base);
	wl_shm_destroy(c->shm);
	wl_compositor_destroy(c->compositor);
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

/* The latency file, line-buffered: each frame's line is written as it arrives. */
static FILE *open_latency(const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "pb-test-client: cannot write %s: %s\n", path, strerror(errno));
		exit(1);
	}
	setvbuf(f, NULL, _IOLBF, 0);
	return f;
}

static int parse_size(const char *text)
{
	int v = atoi(text);
	if (v <= 0 || v > 8192) {
		pb_die("sizes are 1 to 8192 pixels");
	}
	return v;
}

/* Draws the pattern once and stays for seconds, or until the compositor closes the window. */
static void hold(struct client *c, double seconds)
{
	draw_pattern(c, c->pixels[0]);
	commit(c, 0, 0, 0, c->width, c->height);
	double end = now_seconds() + seconds;
	wl_display_flush(c->display);
	while (now_seconds() < end && !c->closed) {
		struct pollfd pfd = {.fd = wl_display_get_fd(c->display), .events = POLLIN};
		if (poll(&pfd, 1, 100) > 0) {
			dispatch(c);
		}
	}
	if (c->closed) {
		printf("pb-test-client: closed by the compositor\n");
	}
}

int main(int argc, char *argv[])
{
	struct client c;
	if ((argc == 3 || argc == 4) && strcmp(argv[1], "fullscreen") == 0) {
		FILE *latency = argc == 4 ? open_latency(argv[3]) : NULL;
		setup(&c, 0, 0, true, latency);
		printf("pb-test-client: %u frames drawn\n", animate(&c, atof(argv[2])));
		teardown(&c);
		if (latency) {
			fclose(latency);
		}
		return 0;
	}
	if (argc < 4) {
		pb_die(USAGE);
	}
	const char *mode = argv[1];
	FILE *latency = NULL;
	if (strcmp(mode, "latency") == 0) {
		if (argc != 6) {
			pb_die(USAGE);
		}
		latency = open_latency(argv[5]);
	}
	setup(&c, parse_size(argv[2]), parse_size(argv[3]), false, latency);
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
	} else if ((strcmp(mode, "animate") == 0 && argc == 5) || latency) {
		printf("pb-test-client: %u frames drawn\n", animate(&c, atof(argv[4])));
	} else if (strcmp(mode, "hold") == 0 && argc == 5) {
		hold(&c, atof(argv[4]));
	} else if (strcmp(mode, "inhibit") == 0 && argc == 5) {
		if (!c.inhibit_manager) {
			pb_die("the compositor offers no idle inhibitor");
		}
		struct zwp_idle_inhibitor_v1 *inhibitor =
		        zwp_idle_inhibit_manager_v1_create_inhibitor(c.inhibit_manager, c.surface);
		hold(&c, atof(argv[4]));
		zwp_idle_inhibitor_v1_destroy(inhibitor);
	} else if (strcmp(mode, "vanish") == 0 && argc == 4) {
		draw_pattern(&c, c.pixels[0]);
		commit(&c, 0, 0, 0, c.width, c.height);
		wl_display_flush(c.display);
		_exit(0);
	} else {
		pb_die(USAGE);
	}
	teardown(&c);
	if (latency) {
		fclose(latency);
	}
	return 0;
}
