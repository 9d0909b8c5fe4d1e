#include "cairo_buffer.h"

#include <drm_fourcc.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <wlr/interfaces/wlr_buffer.h>
#include <wlr/util/log.h>

static struct pb_cairo_buffer *cairo_buffer_from(struct wlr_buffer *buffer)
{
	struct pb_cairo_buffer *cb = wl_container_of(buffer, cb, base);
	return cb;
}

static void buffer_destroy(struct wlr_buffer *buffer)
{
	struct pb_cairo_buffer *cb = cairo_buffer_from(buffer);
	cairo_surface_destroy(cb->surface);
	free(cb);
}

static bool buffer_begin_data_ptr_access(
        struct wlr_buffer *buffer, uint32_t flags, void **data, uint32_t *format, size_t *stride)
{
	cairo_surface_t *surface = cairo_buffer_from(buffer)->surface;
	/* The scene may read whatever was drawn last, so cairo must have written it out. */
	cairo_surface_flush(surface);
	*data = cairo_image_surface_get_data(surface);
	*format = DRM_FORMAT_ARGB8888;
	*stride = (size_t)cairo_image_surface_get_stride(surface);
	return true;
}

static void buffer_end_data_ptr_access(struct wlr_buffer *buffer)
{
}

static const struct wlr_buffer_impl buffer_impl = {
        .destroy = buffer_destroy,
        .begin_data_ptr_access = buffer_begin_data_ptr_access,
        .end_data_ptr_access = buffer_end_data_ptr_access,
};

struct pb_cairo_buffer *pb_cairo_buffer_create(int width, int height, const char *what)
{
	struct pb_cairo_buffer *cb = calloc(1, sizeof(*cb));
	if (!cb) {
		wlr_log(WLR_ERROR, "Cannot draw %s: out of memory", what);
		return NULL;
	}
	cb->surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
	if (cairo_surface_status(cb->surface) != CAIRO_STATUS_SUCCESS) {
		wlr_log(WLR_ERROR, "Cannot draw %s: %s", what,
		        cairo_status_to_string(cairo_surface_status(cb->surface)));
		cairo_surface_destroy(cb->surface);
		free(cb);
		return NULL;
	}
	wlr_buffer_init(&cb->base, &buffer_impl, width, height);
	return cb;
}

struct pb_cairo_fonts {
	pthread_t thread;
	bool running; /* the thread is to be joined */
	bool ready;
	int done_fd; /* an eventfd the thread writes when the fonts are loaded */
	struct wl_event_source *done;
	void (*ready_cb)(void *data);
	void *data;
};

/* Draws nothing: measuring a text makes cairo load fontconfig and a font. */
static void *load_fonts(void *arg)
{
	struct pb_cairo_fonts *fonts = arg;
	cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
	cairo_t *cr = cairo_create(surface);
	cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
	cairo_text_extents_t extents;
	cairo_text_extents(cr, "x", &extents);
	cairo_destroy(cr);
	cairo_surface_destroy(surface);
	uint64_t one = 1;
	if (write(fonts->done_fd, &one, sizeof(one)) != (ssize_t)sizeof(one)) {
		wlr_log_errno(WLR_ERROR, "Fonts are loaded but the compositor cannot be told");
	}
	return NULL;
}

static void join(struct pb_cairo_fonts *fonts)
{
	if (fonts->running) {
		pthread_join(fonts->thread, NULL);
		fonts->running = false;
	}
	if (fonts->done) {
		wl_event_source_remove(fonts->done);
		fonts->done = NULL;
	}
}

static int handle_fonts_done(int fd, uint32_t mask, void *data)
{
	struct pb_cairo_fonts *fonts = data;
	join(fonts);
	fonts->ready = true;
	fonts->ready_cb(fonts->data);
	return 0;
}

/*
 * With every signal blocked: the event loop reads SIGCHLD, SIGTERM and the
 * others through signalfd, which only sees signals no thread takes (the
 * kiosk's command exiting while the fonts loaded was never noticed).
 */
static int start_thread(struct pb_cairo_fonts *fonts)
{
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int err = pthread_create(&fonts->thread, NULL, load_fonts, fonts);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return err;
}

struct pb_cairo_fonts *pb_cairo_fonts_load(
        struct wl_event_loop *loop, void (*ready)(void *data), void *data)
{
	struct pb_cairo_fonts *fonts = calloc(1, sizeof(*fonts));
	if (!fonts) {
		wlr_log(WLR_ERROR, "Out of memory loading fonts; the first title bar will wait");
		return NULL;
	}
	*fonts = (struct pb_cairo_fonts){.ready_cb = ready, .data = data};
	fonts->done_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	fonts->done = fonts->done_fd >= 0 ? wl_event_loop_add_fd(loop, fonts->done_fd,
	                                            WL_EVENT_READABLE, handle_fonts_done, fonts)
	                                  : NULL;
	int err = fonts->done ? start_thread(fonts) : 0;
	if (!fonts->done || err != 0) {
		wlr_log(WLR_ERROR,
		        "Cannot load fonts in the background; the first title bar will wait");
		if (fonts->done) {
			wl_event_source_remove(fonts->done);
		}
		if (fonts->done_fd >= 0) {
			close(fonts->done_fd);
		}
		free(fonts);
		return NULL;
	}
	fonts->running = true;
	return fonts;
}

bool pb_cairo_fonts_ready(const struct pb_cairo_fonts *fonts)
{
	return !fonts || fonts->ready;
}

void pb_cairo_fonts_destroy(struct pb_cairo_fonts *fonts)
{
	if (!fonts) {
		return;
	}
	join(fonts);
	close(fonts->done_fd);
	free(fonts);
}

void pb_cairo_release_fonts(void)
{
	cairo_debug_reset_static_data();
}
