#include "server.h"

#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>
#include <wlr/backend/libinput.h>
#include <wlr/backend/multi.h>
#include <wlr/types/wlr_compositor.h>
#include <wlr/types/wlr_data_device.h>
#include <wlr/types/wlr_subcompositor.h>
#include <wlr/util/log.h>

#include "arrange.h"
#include "bridge_backend.h"
#include "cairo_buffer.h"
#include "control.h"
#include "desktop_protocols.h"
#include "global_filter.h"
#include "input.h"
#include "input_method.h"
#include "kiosk.h"
#include "layer_shell.h"
#include "linux_dmabuf.h"
#include "listeners.h"
#include "output.h"
#include "output_config.h"
#include "output_management.h"
#include "pointer_constraints.h"
#include "pointer_gestures.h"
#include "seat.h"
#include "session_lock.h"
#include "surface_limits.h"
#include "tablet.h"
#include "view.h"
#include "xdg_popup.h"
#include "xwayland.h"

/* xdg-shell as wlroots 0.15 offered it: version 2 needs nothing more of us. */
#define XDG_SHELL_VERSION 2
/* wl_compositor as wlroots 0.15 offered it. */
#define COMPOSITOR_VERSION 4

static bool create_globals(struct pb_server *server)
{
	struct wl_display *display = server->display;
	if (!wlr_renderer_init_wl_display(server->renderer, display)) {
		wlr_log(WLR_ERROR, "Cannot offer wl_shm and linux-dmabuf to clients");
		return false;
	}
	if (!pb_global_filter_init(server)) {
		wlr_log(WLR_ERROR, "Cannot offer security-context (out of memory)");
		return false;
	}
	const struct pb_drm_device *render = pb_bridge_setup_render_device(&server->devices);
	if (render && wlr_renderer_get_drm_fd(server->renderer) < 0 &&
	        !pb_linux_dmabuf_create(display, server->renderer, render->render_node)) {
		return false;
	}
	server->layout = wlr_output_layout_create(display);
	server->scene = wlr_scene_create();
	server->xdg_shell = wlr_xdg_shell_create(display, XDG_SHELL_VERSION);
	struct wlr_compositor *compositor =
	        wlr_compositor_create(display, COMPOSITOR_VERSION, server->renderer);
	server->compositor = compositor;
	if (!server->layout || !server->scene || !server->xdg_shell || !compositor ||
	        !wlr_subcompositor_create(display) || !wlr_data_device_manager_create(display)) {
		wlr_log(WLR_ERROR, "Cannot create the compositor's globals");
		return false;
	}
	for (int i = 0; i < PB_LAYER_COUNT; i++) {
		server->layers[i] = wlr_scene_tree_create(&server->scene->tree);
		if (!server->layers[i]) {
			return false;
		}
		if (i == PB_LAYER_BOTTOM) {
			server->windows = wlr_scene_tree_create(&server->scene->tree);
			if (!server->windows) {
				return false;
			}
		}
	}
	server->seat = pb_seat_create(server);
	if (!server->seat) {
		return false;
	}
	if (!pb_surface_limits_init(server, compositor) || !pb_desktop_protocols_init(server) ||
	        !pb_output_management_init(server) || !pb_pointer_constraints_init(server) ||
	        !pb_layer_shell_init(server) || !pb_session_lock_init(server) ||
	        !pb_input_method_init(server) || !pb_tablet_init(server) ||
	        !pb_pointer_gestures_init(server)) {
		wlr_log(WLR_ERROR, "Cannot create the desktop's globals");
		return false;
	}
	pb_xwayland_init(server, compositor);
	const struct pb_connection connections[] = {
	        {&server->backend->events.new_output, &server->new_output,
	                pb_arrange_handle_new_output},
	        {&server->events.output_removed, &server->output_removed,
	                pb_arrange_handle_output_removed},
	        {&server->layout->events.change, &server->layout_change,
	                pb_arrange_handle_layout_change},
	        {&server->xdg_shell->events.new_toplevel, &server->new_xdg_toplevel,
	                pb_xdg_view_handle_new_toplevel},
	        {&server->xdg_shell->events.new_popup, &server->new_xdg_popup,
	                pb_xdg_popup_handle_new},
	};
	pb_connect_all(&server->listeners, connections, PB_COUNT(connections));
	return pb_input_init(server->seat);
}

/* The bridge for outputs, libinput for input devices (through the same seat). */
static bool create_backends(struct pb_server *server)
{
	server->backend = wlr_multi_backend_create(wl_display_get_event_loop(server->display));
	if (!server->backend) {
		return false;
	}
	if (!wlr_multi_backend_add(server->backend, server->devices.bridge)) {
		wlr_backend_destroy(server->devices.bridge);
		return false;
	}
	struct wlr_backend *libinput = wlr_libinput_backend_create(server->login->session);
	if (!libinput || !wlr_multi_backend_add(server->backend, libinput)) {
		wlr_log(WLR_ERROR, "Cannot read input devices through libinput");
		return false;
	}
	return true;
}

bool pb_server_init(struct pb_server *server, struct pb_login_session *login, struct pb_config *cfg,
        const char *config_file)
{
	*server = (struct pb_server){
	        .display = login->display,
	        .login = login,
	        .cfg = cfg,
	        .config_file = config_file,
	};
	wl_list_init(&server->outputs);
	wl_list_init(&server->views);
	server->policy = pb_desktop_policy(server);
	wl_signal_init(&server->events.output_removed);
	if (!pb_bridge_setup(&server->devices, server->display, login, cfg)) {
		return false;
	}
	server->renderer = server->devices.plan.renderer;
	server->allocator = server->devices.plan.allocator;
	if (!create_backends(server) || !create_globals(server)) {
		pb_server_finish(server);
		return false;
	}
	pb_render_device_loss_init(&server->render_loss, server);
	return true;
}

static int handle_sighup(int signal_number, void *data)
{
	struct pb_server *server = data;
	char msg[768];
	pb_server_reload_config(server, msg, sizeof(msg));
	return 0;
}

/*
 * Under systemd (Type=notify): clients of the user manager and of D-Bus
 * activation get WAYLAND_DISPLAY, then systemd hears we are ready.
 */
static void announce_to_systemd(const char *socket)
{
	if (!getenv("NOTIFY_SOCKET")) {
		return;
	}
	const char *import[][6] = {
	        {"systemctl", "--user", "import-environment", "WAYLAND_DISPLAY", "DISPLAY", NULL},
	        {"dbus-update-activation-environment", "--systemd", "WAYLAND_DISPLAY", "DISPLAY",
	                NULL},
	};
	for (size_t i = 0; i < sizeof(import) / sizeof(import[0]); i++) {
		pid_t pid = fork();
		if (pid == 0) {
			sigset_t none;
			sigemptyset(&none);
			sigprocmask(SIG_SETMASK, &none, NULL);
			/* systemd 254's tools report their own EXIT_STATUS to it. */
			unsetenv("NOTIFY_SOCKET");
			execvp(import[i][0], (char *const *)import[i]);
			_exit(127);
		}
		if (pid > 0) {
			/* Both return at once; waiting keeps the order: environment, then ready. */
			waitpid(pid, NULL, 0);
		}
	}
	sd_notifyf(0, "READY=1\nSTATUS=Running on WAYLAND_DISPLAY=%s", socket);
}

static int handle_quit_signal(int signal_number, void *data)
{
	struct pb_server *server = data;
	wlr_log(WLR_INFO, "Quitting on signal %d", signal_number);
	wl_display_terminate(server->display);
	return 0;
}

/* Title bars drawn so far show no title: now they can. */
static void handle_fonts_ready(void *data)
{
	struct pb_server *server = data;
	struct pb_view *view;
	wl_list_for_each(view, &server->views, link)
	{
		pb_view_update_decoration(view);
	}
}

int pb_server_run(struct pb_server *server, char *const command[])
{
	const char *socket = wl_display_add_socket_auto(server->display);
	if (!socket) {
		wlr_log(WLR_ERROR, "Cannot create a Wayland socket in $XDG_RUNTIME_DIR");
		return 1;
	}
	/*
	 * A kiosk VM may have no input device at all, or get one later: start
	 * anyway, as wlroots only does when told (without passing that on).
	 */
	bool told = getenv("WLR_LIBINPUT_NO_DEVICES") != NULL;
	if (!told) {
		setenv("WLR_LIBINPUT_NO_DEVICES", "1", 1);
	}
	bool started = wlr_backend_start(server->backend);
	if (!told) {
		unsetenv("WLR_LIBINPUT_NO_DEVICES");
	}
	if (!started) {
		wlr_log(WLR_ERROR, "Cannot start the display and input backends");
		return 1;
	}
	server->control = pb_control_create(server, socket);
	setenv("WAYLAND_DISPLAY", socket, 1);
	wlr_log(WLR_INFO, "Running on WAYLAND_DISPLAY=%s", socket);
	if (server->cfg_kiosk) {
		server->kiosk = pb_kiosk_create(server, socket, command);
		if (!server->kiosk) {
			return 1;
		}
	} else if (command &&
	           (!pb_child_init(&server->child, server->display, socket, NULL, NULL) ||
	                   !pb_child_spawn(&server->child, command))) {
		pb_child_finish(&server->child);
		return 1;
	}
	announce_to_systemd(socket);
	struct wl_event_loop *loop = wl_display_get_event_loop(server->display);
	struct wl_event_source *sigterm =
	        wl_event_loop_add_signal(loop, SIGTERM, handle_quit_signal, server);
	struct wl_event_source *sigint =
	        wl_event_loop_add_signal(loop, SIGINT, handle_quit_signal, server);
	struct wl_event_source *sighup =
	        wl_event_loop_add_signal(loop, SIGHUP, handle_sighup, server);
	if (!sigterm || !sigint) {
		wlr_log(WLR_ERROR,
		        "Cannot watch for SIGTERM and SIGINT; they will skip the cleanup");
	}
	/*
	 * Last, once the environment is as it stays (WAYLAND_DISPLAY, NOTIFY_SOCKET):
	 * setenv may free the array fontconfig's getenv walks in the thread.
	 */
	server->fonts = pb_cairo_fonts_load(loop, handle_fonts_ready, server);
	wl_display_run(server->display);
	if (sigterm) {
		wl_event_source_remove(sigterm);
	}
	if (sigint) {
		wl_event_source_remove(sigint);
	}
	if (sighup) {
		wl_event_source_remove(sighup);
	}
	/*
	 * XWayland before the other clients: destroying its client first would
	 * make wlroots re-arm it (lazy) for nothing. Then clients: the command
	 * is told its display is gone before SIGTERM.
	 */
	pb_xwayland_finish(server);
	wl_display_destroy_clients(server->display);
	pb_control_destroy(server->control);
	server->control = NULL;
	if (server->kiosk) {
		/* The kiosk ends only when asked to: that is a success. */
		pb_kiosk_destroy(server->kiosk);
		server->kiosk = NULL;
		return 0;
	}
	if (command) {
		pb_child_finish(&server->child);
		return server->child.status;
	}
	return 0;
}

/* Appends ", name" (or "name" first) to a list of settings needing a restart. */
static void note_restart(char *list, size_t len, bool changed, const char *name)
{
	if (changed) {
		size_t used = strlen(list);
		snprintf(list + used, len - used, "%s%s", used ? ", " : "", name);
	}
}

bool pb_server_reload_config(struct pb_server *server, char *msg, size_t len)
{
	char found[512];
	const char *file = server->config_file;
	if (!file && pb_config_find(found, sizeof(found))) {
		file = found;
	}
	struct pb_config fresh;
	pb_config_defaults(&fresh);
	char err[640];
	if (file && !pb_config_load(&fresh, file, err, sizeof(err))) {
		snprintf(msg, len, "%s; the configuration in force is unchanged", err);
		wlr_log(WLR_ERROR, "Reload: %s", msg);
		return false;
	}
	struct pb_config *cfg = server->cfg;
	/* Devices given on the command line stay; devices cannot change anyway. */
	memcpy(fresh.display_device, cfg->display_device, sizeof(fresh.display_device));
	memcpy(fresh.render_device, cfg->render_device, sizeof(fresh.render_device));
	const struct pb_config_key *changed[64];
	size_t changes = pb_config_diff(cfg, &fresh, changed, PB_COUNT(changed));
	char restart[256] = "";
	for (size_t i = 0; i < changes && i < PB_COUNT(changed); i++) {
		if (changed[i]->needs_restart) {
			char name[96];
			snprintf(name, sizeof(name), "[%s] %s", changed[i]->section,
			        changed[i]->key);
			note_restart(restart, sizeof(restart), true, name);
		}
	}
	pb_bridge_backend_set_direct_copy(server->devices.bridge, fresh.direct_copy);
	bool update_changed = fresh.host_update != cfg->host_update;
	/* What needs a restart stays as it was, so cfg says what is in force. */
	pb_config_keep_restart_values(&fresh, cfg);
	*cfg = fresh;
	pb_input_apply_config(server->seat);
	char failed[256] = "";
	size_t count = (size_t)wl_list_length(&server->outputs);
	struct pb_output **outputs = calloc(count ? count : 1, sizeof(*outputs));
	size_t n = 0;
	struct pb_output *output;
	wl_list_for_each(output, &server->outputs, link)
	{
		char why[256];
		if (update_changed && !pb_bridge_output_set_host_update(output->wlr_output,
		                              cfg->host_update, why, sizeof(why))) {
			wlr_log(WLR_ERROR, "Reload: %s", why);
			note_restart(failed, sizeof(failed), true, output->wlr_output->name);
		}
		if (outputs) {
			outputs[n++] = output;
		}
	}
	/* Tested together, committed together: a refused change leaves every output as it was. */
	if (!outputs || !pb_output_apply_config(server, outputs, n, cfg)) {
		note_restart(failed, sizeof(failed), true, "[output]");
	}
	free(outputs);
	snprintf(msg, len, "reloaded %s%s%s%s%s", file ? file : "the defaults (no file)",
	        restart[0] ? "; needs a restart to apply: " : "", restart,
	        failed[0] ? "; could not apply it to: " : "", failed);
	wlr_log(failed[0] ? WLR_ERROR : WLR_INFO, "Reload: %s", msg);
	return failed[0] == '\0';
}

void pb_server_finish(struct pb_server *server)
{
	pb_xwayland_finish(server);
	if (server->display) {
		wl_display_destroy_clients(server->display);
	}
	/* Left over only when running stopped early (the kiosk could not start). */
	pb_control_destroy(server->control);
	server->control = NULL;
	pb_global_filter_finish(server);
	/* Nothing of ours may still listen when wlroots destroys what it signals from. */
	pb_disconnect_all(&server->listeners);
	pb_input_finish(server->seat);
	pb_output_finish_all(server);
	pb_pointer_gestures_finish(server);
	pb_tablet_finish(server);
	pb_input_method_finish(server);
	pb_session_lock_finish(server);
	pb_layer_shell_finish(server);
	pb_pointer_constraints_finish(server);
	pb_output_management_finish(server);
	pb_desktop_protocols_finish(server);
	pb_surface_limits_finish(server);
	if (server->scene) {
		wlr_scene_node_destroy(&server->scene->tree.node);
	}
	pb_seat_destroy(server->seat);
	server->seat = NULL;
	if (server->layout) {
		wlr_output_layout_destroy(server->layout);
	}
	pb_render_device_loss_finish(&server->render_loss);
	if (server->allocator) {
		wlr_allocator_destroy(server->allocator);
	}
	if (server->renderer) {
		wlr_renderer_destroy(server->renderer);
	}
	/* Outputs log their counters as the backend destroys them. */
	if (server->backend) {
		wlr_backend_destroy(server->backend);
	} else if (server->devices.bridge) {
		wlr_backend_destroy(server->devices.bridge);
	}
	pb_bridge_setup_release(&server->devices, server->login);
	/* Title bars and the kiosk's error screen went with the scene. */
	pb_cairo_fonts_destroy(server->fonts);
	server->fonts = NULL;
	pb_cairo_release_fonts();
}
