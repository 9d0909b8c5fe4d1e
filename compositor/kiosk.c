#include "kiosk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wlr/util/box.h>
#include <wlr/util/log.h>

#include "child.h"
#include "error_screen.h"
#include "frame_pacing.h"
#include "output.h"
#include "process_tree.h"
#include "restart_backoff.h"
#include "seat.h"
#include "server.h"
#include "view.h"
#include "window_policy.h"

struct pb_kiosk {
	struct pb_server *server;
	char *const *argv;                /* the command after "--", or sh_argv */
	char *sh_argv[4];                 /* /bin/sh -c "[kiosk] command" */
	char label[256];                  /* the command as the error screen shows it */
	char command[PB_CONFIG_LINE_MAX]; /* [kiosk] command as started (reload keeps it) */
	struct pb_child child;
	struct pb_backoff backoff;
	struct wl_event_source *restart_timer;
	struct wl_event_source *hide_timer;
	bool pointer_hidden;
	struct pb_error_screen *error_screen;
};

static void describe_status(int status, char *out, size_t len)
{
	if (status > 128) {
		snprintf(out, len, "killed by signal %d", status - 128);
	} else {
		snprintf(out, len, "exit status %d", status);
	}
}

static void show_error_screen(struct pb_kiosk *kiosk, uint32_t failures)
{
	pb_error_screen_destroy(kiosk->error_screen);
	kiosk->error_screen = NULL;
	struct wlr_box box;
	wlr_output_layout_get_box(kiosk->server->layout, NULL, &box);
	if (wlr_box_empty(&box)) {
		return;
	}
	char status[64], line1[320], line2[128], line3[128];
	describe_status(kiosk->child.status, status, sizeof(status));
	snprintf(line1, sizeof(line1), "Command: %s", kiosk->label);
	snprintf(line2, sizeof(line2),
	        "Last ended with %s, %u times in a row within %d s of starting.", status, failures,
	        PB_RAPID_FAILURE_MS / 1000);
	snprintf(line3, sizeof(line3), "primebridge keeps retrying every %.1f s.",
	        kiosk->backoff.max_ms / 1000.0);
	const char *lines[] = {"The kiosk application keeps failing.", line1, line2, line3};
	/* Over the application and its panels, under a screen lock. */
	kiosk->error_screen = pb_error_screen_create(kiosk->server->layers[PB_LAYER_OVERLAY],
	        box.width, box.height, lines, sizeof(lines) / sizeof(lines[0]));
}

static int handle_restart(void *data)
{
	struct pb_kiosk *kiosk = data;
	if (!pb_child_spawn(&kiosk->child, kiosk->argv)) {
		/* Fork failed (no memory?): count it as a failure and try again later. */
		kiosk->child.status = 127;
		struct pb_backoff_step step = pb_backoff_next(&kiosk->backoff, 0);
		wl_event_source_timer_update(kiosk->restart_timer, (int)step.delay_ms);
	}
	return 0;
}

static void handle_exit(struct pb_child *child, void *data)
{
	struct pb_kiosk *kiosk = data;
	uint64_t ran_ms = (uint64_t)(pb_monotonic_ns() - child->started) / 1000000;
	struct pb_backoff_step step = pb_backoff_next(&kiosk->backoff, ran_ms);
	char status[64];
	describe_status(child->status, status, sizeof(status));
	char failures[64] = "";
	if (step.error_screen) {
		snprintf(failures, sizeof(failures), " (failure %u: error screen shown)",
		        step.failures);
	} else if (step.failures) {
		snprintf(failures, sizeof(failures), " (failure %u of %u before the error screen)",
		        step.failures, kiosk->backoff.max_failures);
	}
	wlr_log(WLR_INFO, "Kiosk: %s ended with %s after %.1f s; restarting in %u ms%s",
	        kiosk->label, status, ran_ms / 1000.0, step.delay_ms, failures);
	if (step.error_screen) {
		show_error_screen(kiosk, step.failures);
	}
	wl_event_source_timer_update(kiosk->restart_timer, step.delay_ms ? (int)step.delay_ms : 1);
}

static int handle_hide_timer(void *data)
{
	struct pb_kiosk *kiosk = data;
	wlr_cursor_unset_image(kiosk->server->seat->cursor);
	kiosk->pointer_hidden = true;
	return 0;
}

/* Pointer motion: shows the pointer again and restarts the hide timer. */
static void pointer_moved(void *data)
{
	struct pb_kiosk *kiosk = data;
	uint32_t after = kiosk->server->cfg->hide_cursor_after_s;
	if (after == 0) {
		return;
	}
	if (kiosk->pointer_hidden) {
		kiosk->pointer_hidden = false;
		wlr_cursor_set_xcursor(
		        kiosk->server->seat->cursor, kiosk->server->seat->cursor_theme, "default");
	}
	wl_event_source_timer_update(kiosk->hide_timer, (int)(after * 1000));
}

/*
 * The application covers every output, placed as the configuration (or
 * wlr-randr) places them: its window spans the layout, as cage's "extend".
 * A dialog is centred on the first output, so that it never straddles two.
 */
static void fill_layout(struct pb_kiosk *kiosk, struct pb_view *view)
{
	struct pb_server *server = kiosk->server;
	struct wlr_box area, geometry;
	wlr_output_layout_get_box(server->layout, NULL, &area);
	if (wlr_box_empty(&area)) {
		return;
	}
	view->impl->get_geometry(view, &geometry);
	if (!view->impl->is_transient(view)) {
		pb_view_move(view, area.x - geometry.x, area.y - geometry.y);
		view->impl->set_fullscreen(view, true);
		view->impl->configure(view, area.width, area.height);
		return;
	}
	struct pb_output *first = pb_output_first_in_layout(server);
	if (first) {
		wlr_output_layout_get_box(server->layout, first->wlr_output, &area);
	}
	pb_view_move(view, area.x + (area.width - geometry.width) / 2 - geometry.x,
	        area.y + (area.height - geometry.height) / 2 - geometry.y);
}

/* Only the application's windows are shown: the others stay hidden and unfocused. */
static bool place(void *data, struct pb_view *view)
{
	struct pb_kiosk *kiosk = data;
	/* For X11 windows, the X client's pid (_NET_WM_PID), not XWayland's. */
	pid_t pid = view->impl->get_pid(view);
	if (pid <= 0 || !pb_process_descends_from(pid, kiosk->child.pid)) {
		wlr_log(WLR_INFO, "Kiosk: a window of another client stays hidden");
		return false;
	}
	/* The application is back: its window replaces the error screen. */
	pb_error_screen_destroy(kiosk->error_screen);
	kiosk->error_screen = NULL;
	fill_layout(kiosk, view);
	view->placed = true;
	return true;
}

/* The application spans the outputs again, wherever they are now. */
static void arrange(void *data)
{
	struct pb_kiosk *kiosk = data;
	struct pb_view *view;
	wl_list_for_each(view, &kiosk->server->views, link)
	{
		if (view->placed) {
			fill_layout(kiosk, view);
		}
	}
}

pid_t pb_kiosk_pid(const struct pb_kiosk *kiosk)
{
	return kiosk->child.pid;
}

static bool allows_vt_switch(void *data)
{
	struct pb_kiosk *kiosk = data;
	return kiosk->server->cfg->allow_vt_switch;
}

static bool allows_quit(void *data)
{
	struct pb_kiosk *kiosk = data;
	return kiosk->server->cfg->allow_quit;
}

/* Users do not move the application, and it has no title bar. */
static const struct pb_window_policy_impl kiosk_policy = {
        .place = place,
        .arrange = arrange,
        .pointer_moved = pointer_moved,
        .allows_quit = allows_quit,
        .allows_vt_switch = allows_vt_switch,
        .user_arranges = false,
};

struct pb_kiosk *pb_kiosk_create(struct pb_server *server, const char *socket, char *const *argv)
{
	struct pb_kiosk *kiosk = calloc(1, sizeof(*kiosk));
	if (!kiosk) {
		return NULL;
	}
	const struct pb_config *cfg = server->cfg;
	kiosk->server = server;
	if (argv) {
		kiosk->argv = argv;
		size_t used = 0;
		for (char *const *a = argv; *a && used < sizeof(kiosk->label); a++) {
			int n = snprintf(kiosk->label + used, sizeof(kiosk->label) - used, "%s%s",
			        used ? " " : "", *a);
			used += n > 0 ? (size_t)n : 0;
		}
	} else {
		kiosk->sh_argv[0] = "/bin/sh";
		kiosk->sh_argv[1] = "-c";
		snprintf(kiosk->command, sizeof(kiosk->command), "%s", cfg->kiosk_command);
		kiosk->sh_argv[2] = kiosk->command;
		kiosk->argv = kiosk->sh_argv;
		snprintf(kiosk->label, sizeof(kiosk->label), "%.250s", cfg->kiosk_command);
	}
	pb_backoff_init(&kiosk->backoff, cfg->restart_delay_min_ms, cfg->restart_delay_max_ms,
	        cfg->max_rapid_failures);
	struct wl_event_loop *loop = wl_display_get_event_loop(server->display);
	kiosk->restart_timer = wl_event_loop_add_timer(loop, handle_restart, kiosk);
	kiosk->hide_timer = wl_event_loop_add_timer(loop, handle_hide_timer, kiosk);
	if (!kiosk->restart_timer || !kiosk->hide_timer ||
	        !pb_child_init(&kiosk->child, server->display, socket, handle_exit, kiosk) ||
	        !pb_child_spawn(&kiosk->child, kiosk->argv)) {
		pb_kiosk_destroy(kiosk);
		return NULL;
	}
	server->policy = (struct pb_window_policy){.impl = &kiosk_policy, .data = kiosk};
	pointer_moved(kiosk);
	wlr_log(WLR_INFO, "Kiosk: running %s", kiosk->label);
	return kiosk;
}

void pb_kiosk_destroy(struct pb_kiosk *kiosk)
{
	if (!kiosk) {
		return;
	}
	if (kiosk->server->policy.data == kiosk) {
		kiosk->server->policy = pb_desktop_policy(kiosk->server);
	}
	pb_child_finish(&kiosk->child);
	if (kiosk->restart_timer) {
		wl_event_source_remove(kiosk->restart_timer);
	}
	if (kiosk->hide_timer) {
		wl_event_source_remove(kiosk->hide_timer);
	}
	pb_error_screen_destroy(kiosk->error_screen);
	free(kiosk);
}
