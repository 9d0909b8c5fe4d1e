#ifndef PB_CHILD_H
#define PB_CHILD_H

#include <stdbool.h>
#include <sys/types.h>
#include <wayland-server-core.h>

/*
 * The command given after "--": started once clients can connect, with
 * WAYLAND_DISPLAY set; when it ends, primebridge ends with its exit status
 * (128 + signal when it was killed), as cage does.
 */
struct pb_child {
	pid_t pid;
	int status; /* valid once pid is 0 again */
	struct wl_event_source *sigchld;
	struct wl_display *display;
};

bool pb_child_start(
        struct pb_child *child, struct wl_display *display, const char *socket, char *const argv[]);
/* Stops watching; a child still running is sent SIGTERM and reaped. */
void pb_child_finish(struct pb_child *child);

#endif
