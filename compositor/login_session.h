#ifndef PB_LOGIN_SESSION_H
#define PB_LOGIN_SESSION_H

#include <wayland-server-core.h>

#include "device_select.h"

/*
 * The login session: the seat that grants devices, through wlroots'
 * session (libseat: logind, seatd or the builtin backend), taken on first
 * use so that commands which find no device never ask for one.
 */
struct pb_login_session {
	struct wl_display *display;
	struct wlr_session *session;
	struct wlr_device *devices[PB_MAX_DRM_DEVICES];
};

bool pb_login_session_init(struct pb_login_session *login);
void pb_login_session_finish(struct pb_login_session *login);

/* An opener that opens and closes primary nodes through this session. */
struct pb_device_opener pb_login_session_opener(struct pb_login_session *login);

struct wl_event_loop *pb_login_session_event_loop(struct pb_login_session *login);

/* The session's device for an fd it opened (its change signal is hotplug); NULL if none. */
struct wlr_device *pb_login_session_device(struct pb_login_session *login, int fd);

#endif
