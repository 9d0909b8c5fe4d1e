#include "child.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <wlr/util/log.h>

#include "frame_pacing.h"

static int status_of(int wstatus)
{
	if (WIFEXITED(wstatus)) {
		return WEXITSTATUS(wstatus);
	}
	return WIFSIGNALED(wstatus) ? 128 + WTERMSIG(wstatus) : 1;
}

static int handle_sigchld(int signal_number, void *data)
{
	struct pb_child *child = data;
	int wstatus;
	/*
	 * Only the command: other children are their owners' to reap (wlroots
	 * waits for its Xwayland launcher itself, once Xwayland is ready).
	 */
	if (child->pid > 0 && waitpid(child->pid, &wstatus, WNOHANG) == child->pid) {
		child->pid = 0;
		child->status = status_of(wstatus);
		if (child->on_exit) {
			child->on_exit(child, child->data);
		} else {
			wlr_log(WLR_INFO, "The command ended with status %d", child->status);
			wl_display_terminate(child->display);
		}
	}
	return 0;
}

bool pb_child_init(struct pb_child *child, struct wl_display *display, const char *socket,
        pb_child_exit_fn on_exit, void *data)
{
	*child = (struct pb_child){.display = display, .on_exit = on_exit, .data = data};
	snprintf(child->socket, sizeof(child->socket), "%s", socket);
	child->sigchld = wl_event_loop_add_signal(
	        wl_display_get_event_loop(display), SIGCHLD, handle_sigchld, child);
	if (!child->sigchld) {
		wlr_log(WLR_ERROR, "Cannot watch for the command's exit");
		return false;
	}
	return true;
}

bool pb_child_spawn(struct pb_child *child, char *const argv[])
{
	pid_t pid = fork();
	if (pid < 0) {
		wlr_log_errno(WLR_ERROR, "Cannot start %s", argv[0]);
		return false;
	}
	if (pid == 0) {
		/* The event loop blocks the signals it watches; the command must not inherit that.
		 */
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		/*
		 * Only async-signal-safe calls after fork (another thread may hold
		 * malloc's lock): WAYLAND_DISPLAY is already in our environment.
		 */
		execvp(argv[0], argv);
		static const char msg[] = "primebridge: cannot run the command: ";
		ssize_t ignored = write(2, msg, sizeof(msg) - 1);
		ignored = write(2, argv[0], strlen(argv[0]));
		ignored = write(2, "\n", 1);
		(void)ignored;
		_exit(127);
	}
	child->started = pb_monotonic_ns();
	child->pid = pid;
	wlr_log(WLR_INFO, "Started %s (pid %d) on %s", argv[0], (int)pid, child->socket);
	return true;
}

/* Waits up to about a second for the child; true when it was reaped. */
static bool reap_within_a_second(struct pb_child *child)
{
	for (int i = 0; i < 100; i++) {
		int wstatus;
		if (waitpid(child->pid, &wstatus, WNOHANG) == child->pid) {
			child->status = status_of(wstatus);
			child->pid = 0;
			return true;
		}
		nanosleep(&(struct timespec){.tv_nsec = 10000000}, NULL);
	}
	return false;
}

void pb_child_finish(struct pb_child *child)
{
	if (child->pid > 0) {
		kill(child->pid, SIGTERM);
		if (!reap_within_a_second(child)) {
			wlr_log(WLR_INFO, "The command ignored SIGTERM; killing it");
			kill(child->pid, SIGKILL);
			waitpid(child->pid, NULL, 0);
			child->status = 128 + SIGKILL;
			child->pid = 0;
		}
	}
	if (child->sigchld) {
		wl_event_source_remove(child->sigchld);
		child->sigchld = NULL;
	}
}
