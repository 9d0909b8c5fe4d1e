#include "control.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <wlr/util/log.h>

#include "bridge_backend.h"
#include "global_filter.h"
#include "kiosk.h"
#include "output.h"
#include "primebridge-control-unstable-v1-protocol.h"
#include "process_tree.h"
#include "server.h"

#define MANAGER_VERSION 2
/* Changes are looked for this often, and sent only when there are some. */
#define REPORT_INTERVAL_MS 250

struct pb_control {
	struct pb_server *server;
	struct wl_global *global;
	struct wl_list managers; /* wl_resource links */
	struct wl_list statuses; /* output_status.link */
	struct wl_event_source *report_timer;
	int listen_fd;
	struct wl_event_source *listen_source;
	struct wl_event_source *relisten_timer;
	char socket_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct wl_list trusted; /* trusted_client.link */
};

/* A client that came through the control socket. */
struct trusted_client {
	struct wl_list link;
	struct wl_client *client;
	struct wl_listener destroy;
	struct pb_listeners listeners;
};

struct output_status {
	struct wl_list link;
	struct wl_resource *resource;
	struct pb_output *output; /* NULL once removed */
	struct pb_bridge_output_report last;
	uint64_t last_idle;
};

/* ------------------------------------------------------------ trust */

/*
 * Only trusted clients see the control protocol's global: the command
 * primebridge started and its children, [control] trusted-uids.
 */
static bool trusts(const struct wl_client *client, const void *data)
{
	const struct pb_control *control = data;
	struct trusted_client *t;
	wl_list_for_each(t, &control->trusted, link)
	{
		if (t->client == client) {
			return true;
		}
	}
	pid_t pid;
	uid_t uid;
	gid_t gid;
	wl_client_get_credentials((struct wl_client *)client, &pid, &uid, &gid);
	const struct pb_config *cfg = control->server->cfg;
	for (size_t i = 0; i < cfg->trusted_uid_count; i++) {
		if (cfg->trusted_uids[i] == uid) {
			return true;
		}
	}
	struct pb_kiosk *kiosk = control->server->kiosk;
	return pb_process_descends_from(pid, control->server->child.pid) ||
	       (kiosk && pb_process_descends_from(pid, pb_kiosk_pid(kiosk)));
}

static void handle_trusted_destroy(struct wl_listener *listener, void *data)
{
	struct trusted_client *t = wl_container_of(listener, t, destroy);
	wl_list_remove(&t->link);
	pb_disconnect_all(&t->listeners);
	free(t);
}

static int handle_control_connection(int fd, uint32_t mask, void *data)
{
	struct pb_control *control = data;
	int conn = accept(fd, NULL, NULL);
	if (conn >= 0) {
		fcntl(conn, F_SETFD, FD_CLOEXEC);
	}
	if (conn < 0) {
		wlr_log_errno(WLR_ERROR, "Accepting a control connection failed");
		/* Out of descriptors: the socket stays readable; stop listening a second. */
		wl_event_source_fd_update(control->listen_source, 0);
		wl_event_source_timer_update(control->relisten_timer, 1000);
		return 0;
	}
	struct trusted_client *t = calloc(1, sizeof(*t));
	struct wl_client *client = t ? wl_client_create(control->server->display, conn) : NULL;
	if (!client) {
		wlr_log(WLR_ERROR, "Cannot take a control connection");
		free(t);
		close(conn);
		return 0;
	}
	t->client = client;
	t->destroy.notify = handle_trusted_destroy;
	wl_client_add_destroy_listener(client, &t->destroy);
	pb_listen_recorded(&t->listeners, &t->destroy);
	wl_list_insert(&control->trusted, &t->link);
	return 0;
}

static int handle_relisten(void *data)
{
	struct pb_control *control = data;
	wl_event_source_fd_update(control->listen_source, WL_EVENT_READABLE);
	return 0;
}

/* The control socket: a second way into the same display, owner only. */
static bool open_control_socket(struct pb_control *control, const char *display_socket)
{
	const char *dir = getenv("XDG_RUNTIME_DIR");
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	if (!dir || snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/%s.primebridge-control", dir,
	                    display_socket) >= (int)sizeof(addr.sun_path)) {
		wlr_log(WLR_ERROR, "No room for the control socket's path in $XDG_RUNTIME_DIR");
		return false;
	}
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		return false;
	}
	unlink(addr.sun_path);
	/* Created with no permissions for others, before anyone can connect. */
	mode_t old = umask(0177);
	int bound = bind(fd, (struct sockaddr *)&addr, sizeof(addr));
	umask(old);
	if (bound != 0 || listen(fd, 8) != 0) {
		wlr_log_errno(WLR_ERROR, "Cannot listen on %s", addr.sun_path);
		close(fd);
		return false;
	}
	control->listen_fd = fd;
	snprintf(control->socket_path, sizeof(control->socket_path), "%s", addr.sun_path);
	control->listen_source =
	        wl_event_loop_add_fd(wl_display_get_event_loop(control->server->display), fd,
	                WL_EVENT_READABLE, handle_control_connection, control);
	return control->listen_source != NULL;
}

/* ------------------------------------------------------------ reports */

static void send_counter(struct wl_resource *resource, const char *name, uint64_t value)
{
	zpb_output_status_v1_send_counter(resource, name, (uint32_t)(value >> 32), (uint32_t)value);
}

/* The protocol's copy_path values, in the order of enum pb_copy_path. */
static const uint32_t copy_path_values[] = {
        [PB_COPY_GPU] = ZPB_CONTROL_MANAGER_V1_COPY_PATH_GPU,
        [PB_COPY_READBACK] = ZPB_CONTROL_MANAGER_V1_COPY_PATH_READBACK,
        [PB_COPY_CPU] = ZPB_CONTROL_MANAGER_V1_COPY_PATH_CPU,
};

/* The other way, for the values request_target() lets through. */
static const enum pb_copy_path copy_paths[] = {
        [ZPB_CONTROL_MANAGER_V1_COPY_PATH_GPU] = PB_COPY_GPU,
        [ZPB_CONTROL_MANAGER_V1_COPY_PATH_CPU] = PB_COPY_CPU,
        [ZPB_CONTROL_MANAGER_V1_COPY_PATH_READBACK] = PB_COPY_READBACK,
};

/* Read-back came with version 2: the CPU copies there too, so a version 1 client hears cpu. */
static uint32_t copy_path_value(struct wl_resource *resource, enum pb_copy_path path)
{
	if (path == PB_COPY_READBACK &&
	        wl_resource_get_version(resource) <
	                ZPB_CONTROL_MANAGER_V1_COPY_PATH_READBACK_SINCE_VERSION) {
		return ZPB_CONTROL_MANAGER_V1_COPY_PATH_CPU;
	}
	return copy_path_values[path];
}

static void send_status(
        struct output_status *status, const struct pb_bridge_output_report *r, uint64_t idle)
{
	struct wl_resource *res = status->resource;
	zpb_output_status_v1_send_copy_path(
	        res, copy_path_value(res, r->copy_path), r->copy_reason);
	zpb_output_status_v1_send_host_update(res,
	        r->host_update == PB_HOST_FLIP ? ZPB_CONTROL_MANAGER_V1_HOST_UPDATE_FLIP
	                                       : ZPB_CONTROL_MANAGER_V1_HOST_UPDATE_IN_PLACE,
	        r->update_reason);
	zpb_output_status_v1_send_buffer(res, r->layout.width, r->layout.height, r->layout.stride,
	        r->layout.rows,
	        r->kind == PB_BUFFER_BLOB ? ZPB_OUTPUT_STATUS_V1_BUFFER_KIND_BLOB
	                                  : ZPB_OUTPUT_STATUS_V1_BUFFER_KIND_DUMB,
	        (uint32_t)r->buffer_count);
	send_counter(res, "frames_presented", r->stats.frames);
	send_counter(res, "frames_idle", idle);
	send_counter(res, "flips", r->stats.flips);
	send_counter(res, "px_damaged", r->stats.damaged_px);
	send_counter(res, "px_copied", r->stats.copied_px);
	send_counter(res, "px_copied_cpu", r->stats.cpu_copied_px);
	send_counter(res, "fenced_flips", r->stats.fenced_flips);
	send_counter(res, "fences_awaited", r->stats.fences_awaited);
	send_counter(res, "px_sent", r->stats.sent_px);
	send_counter(res, "fallbacks", r->stats.fallbacks);
	send_counter(res, "copy_ns_median", r->copy_ns_median);
	send_counter(res, "copy_ns_p99", r->copy_ns_p99);
	send_counter(res, "update_ns_median", r->update_ns_median);
	send_counter(res, "update_ns_p99", r->update_ns_p99);
	zpb_output_status_v1_send_done(res);
	status->last = *r;
	status->last_idle = idle;
}

/* Sends the status when anything in it changed since last sent (or force). */
static void report(struct output_status *status, bool force)
{
	if (!status->output) {
		return;
	}
	struct pb_bridge_output_report r;
	pb_bridge_output_report(status->output->wlr_output, &r);
	uint64_t idle = status->output->frames_idle;
	if (force || idle != status->last_idle || memcmp(&r, &status->last, sizeof(r)) != 0) {
		send_status(status, &r, idle);
	}
}

static int handle_report_timer(void *data)
{
	struct pb_control *control = data;
	struct output_status *status;
	wl_list_for_each(status, &control->statuses, link)
	{
		report(status, false);
	}
	if (!wl_list_empty(&control->statuses)) {
		wl_event_source_timer_update(control->report_timer, REPORT_INTERVAL_MS);
	}
	return 0;
}

static void status_handle_destroy_request(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct zpb_output_status_v1_interface status_impl = {
        .destroy = status_handle_destroy_request,
};

static void status_handle_resource_destroy(struct wl_resource *resource)
{
	struct output_status *status = wl_resource_get_user_data(resource);
	wl_list_remove(&status->link);
	free(status);
}

static void announce_output(
        struct pb_control *control, struct wl_resource *manager, struct pb_output *output)
{
	struct wl_client *client = wl_resource_get_client(manager);
	struct output_status *status = calloc(1, sizeof(*status));
	struct wl_resource *res =
	        status ? wl_resource_create(client, &zpb_output_status_v1_interface,
	                         wl_resource_get_version(manager), 0)
	               : NULL;
	if (!res) {
		free(status);
		wl_client_post_no_memory(client);
		return;
	}
	status->resource = res;
	status->output = output;
	wl_resource_set_implementation(res, &status_impl, status, status_handle_resource_destroy);
	wl_list_insert(&control->statuses, &status->link);
	zpb_control_manager_v1_send_output(manager, res, output->wlr_output->name);
	report(status, true);
	wl_event_source_timer_update(control->report_timer, REPORT_INTERVAL_MS);
}

void pb_control_output_added(struct pb_control *control, struct pb_output *output)
{
	struct wl_resource *manager;
	wl_resource_for_each(manager, &control->managers)
	{
		announce_output(control, manager, output);
		zpb_control_manager_v1_send_done(manager);
	}
}

void pb_control_output_removed(struct pb_control *control, struct pb_output *output)
{
	struct output_status *status;
	wl_list_for_each(status, &control->statuses, link)
	{
		if (status->output == output) {
			status->output = NULL;
			zpb_output_status_v1_send_removed(status->resource);
		}
	}
}

/* ------------------------------------------------------------ requests */

static struct pb_output *output_named(
        struct pb_control *control, struct wl_resource *resource, const char *name)
{
	struct pb_output *output;
	wl_list_for_each(output, &control->server->outputs, link)
	{
		if (strcmp(output->wlr_output->name, name) == 0) {
			return output;
		}
	}
	wl_resource_post_error(resource, ZPB_CONTROL_MANAGER_V1_ERROR_INVALID_OUTPUT,
	        "no output is named '%s'", name);
	return NULL;
}

static void report_all_now(struct pb_control *control)
{
	struct output_status *status;
	wl_list_for_each(status, &control->statuses, link)
	{
		report(status, false);
	}
}

/*
 * The output a set_* request is about, or NULL when it is refused: the
 * control is gone, the enum value is not among the first values of the enum,
 * or no output has that name (protocol errors).
 */
static struct pb_output *request_target(struct wl_resource *resource, const char *name,
        uint32_t value, uint32_t values, const char *what)
{
	struct pb_control *control = wl_resource_get_user_data(resource);
	if (!control) {
		return NULL;
	}
	if (value >= values) {
		wl_resource_post_error(resource, ZPB_CONTROL_MANAGER_V1_ERROR_INVALID_VALUE,
		        "%s %u is not in the enum", what, value);
		return NULL;
	}
	return output_named(control, resource, name);
}

/* Answers a set_* request and reports what it changed. */
static void answer(struct wl_resource *resource, const char *request, bool ok, const char *msg)
{
	wlr_log(WLR_INFO, "Control: %s: %s", request, msg);
	zpb_control_manager_v1_send_result(resource, request, ok, msg);
	report_all_now(wl_resource_get_user_data(resource));
}

static void manager_handle_set_host_update(
        struct wl_client *client, struct wl_resource *resource, const char *name, uint32_t mode)
{
	struct pb_output *output = request_target(resource, name, mode, 2, "host update mode");
	if (!output) {
		return;
	}
	char msg[256];
	bool ok = pb_bridge_output_set_host_update(output->wlr_output,
	        mode == ZPB_CONTROL_MANAGER_V1_HOST_UPDATE_FLIP ? PB_HOST_UPDATE_PREFER_FLIP
	                                                        : PB_HOST_UPDATE_PREFER_IN_PLACE,
	        msg, sizeof(msg));
	answer(resource, "set_host_update", ok, msg);
}

static void manager_handle_set_copy_path(
        struct wl_client *client, struct wl_resource *resource, const char *name, uint32_t path)
{
	bool readback = wl_resource_get_version(resource) >=
	                ZPB_CONTROL_MANAGER_V1_COPY_PATH_READBACK_SINCE_VERSION;
	struct pb_output *output =
	        request_target(resource, name, path, readback ? 3 : 2, "copy path");
	if (!output) {
		return;
	}
	char msg[512];
	bool ok = pb_bridge_output_set_copy_path(
	        output->wlr_output, copy_paths[path], msg, sizeof(msg));
	answer(resource, "set_copy_path", ok, msg);
}

static void manager_handle_reload(struct wl_client *client, struct wl_resource *resource)
{
	struct pb_control *control = wl_resource_get_user_data(resource);
	if (!control) {
		return;
	}
	char msg[768];
	bool ok = pb_server_reload_config(control->server, msg, sizeof(msg));
	zpb_control_manager_v1_send_result(resource, "reload", ok, msg);
	report_all_now(control);
}

static void manager_handle_reset_counters(struct wl_client *client, struct wl_resource *resource)
{
	struct pb_control *control = wl_resource_get_user_data(resource);
	if (!control) {
		return;
	}
	struct pb_output *output;
	wl_list_for_each(output, &control->server->outputs, link)
	{
		pb_bridge_output_reset_stats(output->wlr_output);
		output->frames_idle = 0;
	}
	report_all_now(control);
}

static void manager_handle_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct zpb_control_manager_v1_interface manager_impl = {
        .destroy = manager_handle_destroy,
        .reload = manager_handle_reload,
        .reset_counters = manager_handle_reset_counters,
        .set_host_update = manager_handle_set_host_update,
        .set_copy_path = manager_handle_set_copy_path,
};

static void manager_handle_resource_destroy(struct wl_resource *resource)
{
	wl_list_remove(wl_resource_get_link(resource));
}

static void send_device(
        struct wl_resource *resource, uint32_t role, const struct pb_drm_device *dev, bool render)
{
	char pci[16] = "";
	if (dev->vendor_id) {
		snprintf(pci, sizeof(pci), "%04x:%04x", dev->vendor_id, dev->device_id);
	}
	zpb_control_manager_v1_send_device(
	        resource, role, render ? dev->render_node : dev->primary_node, dev->driver, pci);
}

static void manager_bind(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct pb_control *control = data;
	struct wl_resource *resource =
	        wl_resource_create(client, &zpb_control_manager_v1_interface, (int)version, id);
	if (!resource) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(
	        resource, &manager_impl, control, manager_handle_resource_destroy);
	wl_list_insert(&control->managers, wl_resource_get_link(resource));
	const struct pb_bridge_setup *devices = &control->server->devices;
	send_device(resource, ZPB_CONTROL_MANAGER_V1_ROLE_DISPLAY,
	        pb_bridge_setup_display_device(devices), false);
	const struct pb_drm_device *render = pb_bridge_setup_render_device(devices);
	if (render) {
		send_device(resource, ZPB_CONTROL_MANAGER_V1_ROLE_RENDER, render, true);
	}
	struct pb_output *output;
	wl_list_for_each(output, &control->server->outputs, link)
	{
		announce_output(control, resource, output);
	}
	zpb_control_manager_v1_send_done(resource);
}

/* ------------------------------------------------------------ lifetime */

struct pb_control *pb_control_create(struct pb_server *server, const char *socket)
{
	struct pb_control *control = calloc(1, sizeof(*control));
	if (!control) {
		return NULL;
	}
	control->server = server;
	control->listen_fd = -1;
	wl_list_init(&control->managers);
	wl_list_init(&control->statuses);
	wl_list_init(&control->trusted);
	control->global = wl_global_create(server->display, &zpb_control_manager_v1_interface,
	        MANAGER_VERSION, control, manager_bind);
	control->report_timer = wl_event_loop_add_timer(
	        wl_display_get_event_loop(server->display), handle_report_timer, control);
	control->relisten_timer = wl_event_loop_add_timer(
	        wl_display_get_event_loop(server->display), handle_relisten, control);
	if (control->global) {
		pb_global_filter_restrict(server, control->global, trusts, control);
	}
	if (!control->global || !control->report_timer || !control->relisten_timer ||
	        !open_control_socket(control, socket)) {
		wlr_log(WLR_ERROR,
		        "Cannot offer the control protocol; primebridgectl will not work");
		pb_control_destroy(control);
		return NULL;
	}
	wlr_log(WLR_INFO, "Control socket: %s", control->socket_path);
	return control;
}

void pb_control_destroy(struct pb_control *control)
{
	if (!control) {
		return;
	}
	struct trusted_client *t, *tmp;
	wl_list_for_each_safe(t, tmp, &control->trusted, link)
	{
		handle_trusted_destroy(&t->destroy, NULL);
	}
	struct wl_resource *resource, *next;
	wl_resource_for_each_safe(resource, next, &control->managers)
	{
		/* Requests from survivors find no control and do nothing. */
		wl_resource_set_user_data(resource, NULL);
		wl_resource_set_destructor(resource, NULL);
		wl_list_remove(wl_resource_get_link(resource));
		wl_list_init(wl_resource_get_link(resource));
	}
	struct output_status *status, *stmp;
	wl_list_for_each_safe(status, stmp, &control->statuses, link)
	{
		wl_resource_set_destructor(status->resource, NULL);
		wl_resource_set_user_data(status->resource, NULL);
		wl_list_remove(&status->link);
		free(status);
	}
	if (control->listen_source) {
		wl_event_source_remove(control->listen_source);
	}
	if (control->listen_fd >= 0) {
		close(control->listen_fd);
		unlink(control->socket_path);
	}
	if (control->report_timer) {
		wl_event_source_remove(control->report_timer);
	}
	if (control->relisten_timer) {
		wl_event_source_remove(control->relisten_timer);
	}
	if (control->global) {
		pb_global_filter_forget(control->server, control->global);
		wl_global_destroy(control->global);
	}
	free(control);
}
