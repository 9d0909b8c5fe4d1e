#include "seat.h"

#include <wlr/backend/session.h>
#include <wlr/util/log.h>

bool pb_seat_init(struct pb_seat *seat)
{
	*seat = (struct pb_seat){.display = wl_display_create()};
	if (!seat->display) {
		wlr_log(WLR_ERROR, "Cannot create the Wayland display");
		return false;
	}
	return true;
}

void pb_seat_finish(struct pb_seat *seat)
{
	for (size_t i = 0; i < PB_MAX_DRM_DEVICES; i++) {
		if (seat->devices[i]) {
			wlr_session_close_file(seat->session, seat->devices[i]);
		}
	}
	if (seat->session) {
		wlr_session_destroy(seat->session);
	}
	wl_display_destroy(seat->display);
	*seat = (struct pb_seat){0};
}

static int seat_open(void *data, const char *path)
{
	struct pb_seat *seat = data;
	if (!seat->session) {
		seat->session = wlr_session_create(wl_display_get_event_loop(seat->display));
		if (!seat->session) {
			wlr_log(WLR_ERROR,
			        "Cannot open a seat session to open %s: run from a "
			        "logind session or start seatd (LIBSEAT_BACKEND=seatd)",
			        path);
			return -1;
		}
	}
	for (size_t i = 0; i < PB_MAX_DRM_DEVICES; i++) {
		if (!seat->devices[i]) {
			seat->devices[i] = wlr_session_open_file(seat->session, path);
			if (!seat->devices[i]) {
				wlr_log(WLR_ERROR, "The seat refused to open %s", path);
				return -1;
			}
			return seat->devices[i]->fd;
		}
	}
	wlr_log(WLR_ERROR, "Too many devices open to open %s", path);
	return -1;
}

/* The slot of the device opened as fd; PB_MAX_DRM_DEVICES when none. */
static size_t device_slot(struct pb_seat *seat, int fd)
{
	size_t i = 0;
	while (i < PB_MAX_DRM_DEVICES && !(seat->devices[i] && seat->devices[i]->fd == fd)) {
		i++;
	}
	return i;
}

static void seat_close(void *data, int fd)
{
	struct pb_seat *seat = data;
	size_t i = device_slot(seat, fd);
	if (i < PB_MAX_DRM_DEVICES) {
		wlr_session_close_file(seat->session, seat->devices[i]);
		seat->devices[i] = NULL;
	}
}

struct pb_device_opener pb_seat_opener(struct pb_seat *seat)
{
	return (struct pb_device_opener){.open = seat_open, .close = seat_close, .data = seat};
}

struct wl_event_loop *pb_seat_event_loop(struct pb_seat *seat)
{
	return wl_display_get_event_loop(seat->display);
}

struct wlr_device *pb_seat_device(struct pb_seat *seat, int fd)
{
	size_t i = device_slot(seat, fd);
	return i < PB_MAX_DRM_DEVICES ? seat->devices[i] : NULL;
}
