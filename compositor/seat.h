#ifndef PB_SEAT_H
#define PB_SEAT_H

#include <wayland-server-core.h>

#include "device_select.h"

/*
 * The login seat, through wlroots' session (libseat: logind, seatd or the
 * builtin backend), created on first use so that commands which find no
 * device never ask for a seat.
 */
struct pb_seat {
	struct wl_display *display;
	struct wlr_session *session;
	struct wlr_device *devices[PB_MAX_DRM_DEVICES];
};

bool pb_seat_init(struct pb_seat *seat);
void pb_seat_finish(struct pb_seat *seat);

/* An opener that opens and closes primary nodes through this seat. */
struct pb_device_opener pb_seat_opener(struct pb_seat *seat);

struct wl_event_loop *pb_seat_event_loop(struct pb_seat *seat);

/* The session's device for an fd it opened (its change signal is hotplug); NULL if none. */
struct wlr_device *pb_seat_device(struct pb_seat *seat, int fd);

#endif
