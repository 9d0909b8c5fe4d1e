#include "login_session.h"

#include <wlr/backend/session.h>
#include <wlr/util/log.h>

bool pb_login_session_init(struct pb_login_session *login)
{
	*login = (struct pb_login_session){.display = wl_display_create()};
	if (!login->display) {
		wlr_log(WLR_ERROR, "Cannot create the Wayland display");
		return false;
	}
	return true;
}

void pb_login_session_finish(struct pb_login_session *login)
{
	for (size_t i = 0; i < PB_MAX_DRM_DEVICES; i++) {
		if (login->devices[i]) {
			wlr_session_close_file(login->session, login->devices[i]);
		}
	}
	if (login->session) {
		wlr_session_destroy(login->session);
	}
	wl_display_destroy(login->display);
	*login = (struct pb_login_session){0};
}

static int seat_open(void *data, const char *path)
{
	struct pb_login_session *login = data;
	if (!login->session) {
		login->session = wlr_session_create(wl_display_get_event_loop(login->display));
		if (!login->session) {
			wlr_log(WLR_ERROR,
			        "Cannot open a login session to open %s: run from a "
			        "logind session or start seatd (LIBSEAT_BACKEND=seatd)",
			        path);
			return -1;
		}
	}
	for (size_t i = 0; i < PB_MAX_DRM_DEVICES; i++) {
		if (!login->devices[i]) {
			login->devices[i] = wlr_session_open_file(login->session, path);
			if (!login->devices[i]) {
				wlr_log(WLR_ERROR, "The login refused to open %s", path);
				return -1;
			}
			return login->devices[i]->fd;
		}
	}
	wlr_log(WLR_ERROR, "Too many devices open to open %s", path);
	return -1;
}

/* The slot of the device opened as fd; PB_MAX_DRM_DEVICES when none. */
static size_t device_slot(struct pb_login_session *login, int fd)
{
	size_t i = 0;
	while (i < PB_MAX_DRM_DEVICES && !(login->devices[i] && login->devices[i]->fd == fd)) {
		i++;
	}
	return i;
}

static void seat_close(void *data, int fd)
{
	struct pb_login_session *login = data;
	size_t i = device_slot(login, fd);
	if (i < PB_MAX_DRM_DEVICES) {
		wlr_session_close_file(login->session, login->devices[i]);
		login->devices[i] = NULL;
	}
}

struct pb_device_opener pb_login_session_opener(struct pb_login_session *login)
{
	return (struct pb_device_opener){.open = seat_open, .close = seat_close, .data = login};
}

struct wl_event_loop *pb_login_session_event_loop(struct pb_login_session *login)
{
	return wl_display_get_event_loop(login->display);
}

struct wlr_device *pb_login_session_device(struct pb_login_session *login, int fd)
{
	size_t i = device_slot(login, fd);
	return i < PB_MAX_DRM_DEVICES ? login->devices[i] : NULL;
}
