#ifndef PB_CHILD_H
#define PB_CHILD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <wayland-server-core.h>

struct pb_child;

/* Called when the command ended; child->status holds its exit status. */
typedef void (*pb_child_exit_fn)(struct pb_child *child, void *data);

/*
 * A command primebridge runs: started once clients can connect, with
 * WAYLAND_DISPLAY set. Its exit status is 128 + signal when it was killed.
 */
struct pb_child {
	pid_t pid;       /* 0 when not running */
	int status;      /* valid once it ended */
	int64_t started; /* CLOCK_MONOTONIC ns of the last start */
	struct wl_event_source *sigchld;
	struct wl_display *display;
	char socket[64];
	pb_child_exit_fn on_exit;
	void *data;
};

/*
 * Watches for the command's end. on_exit NULL: the compositor ends with it,
 * as cage does.
 */
bool pb_child_init(struct pb_child *child, struct wl_display *display, const char *socket,
        pb_child_exit_fn on_exit, void *data);
/* Starts argv[0] (searched in PATH); false with the reason logged. */
bool pb_child_spawn(struct pb_child *child, char *const argv[]);
/* Stops watching; a command still running is sent SIGTERM (then SIGKILL) and reaped. */
void pb_child_finish(struct pb_child *child);

#endif
