/*
 * primebridgectl: what primebridge is doing, live, over its control protocol
 * (protocol/primebridge-control-unstable-v1.xml). See usage below.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <wayland-client.h>

#include "primebridge-control-unstable-v1-client-protocol.h"
#include "status_format.h"

static const char usage[] =
        "Usage: primebridgectl [--socket PATH] COMMAND\n"
        "\n"
        "Commands:\n"
        "  status [--json]                 devices, copy path, buffers and counters per output\n"
        "  watch [--updates N]             print the status again whenever it changes\n"
        "                                  (after N updates, stop)\n"
        "  outputs                         the outputs' names\n"
        "  reload                          re-read primebridge's configuration file\n"
        "  reset                           set every counter back to zero\n"
        "  set-host-update OUTPUT flip|in-place\n"
        "  set-copy-path OUTPUT gpu|readback|cpu   (for diagnosis)\n"
        "\n"
        "primebridgectl connects to $XDG_RUNTIME_DIR/$WAYLAND_DISPLAY.primebridge-control,\n"
        "primebridge's control socket, unless --socket names another (a Wayland socket\n"
        "works for clients primebridge trusts).\n"
        "Exit status: 0 ok, 1 a request failed, 2 usage, 3 not running under primebridge or\n"
        "not allowed.\n";

struct ctl {
	struct wl_display *display;
	struct wl_registry *registry;
	struct zpb_control_manager_v1 *manager;
	struct zpb_output_status_v1 *status_objects[CTL_MAX_OUTPUTS];
	struct ctl_status status;
	bool manager_done;
	int batches; /* output status batches received */
	bool result_seen, result_ok;
	char result_msg[768];
};

/* ------------------------------------------------------------ output status */

/* By the protocol's copy_path values. */
static const char *const copy_path_names[] = {
        [ZPB_CONTROL_MANAGER_V1_COPY_PATH_GPU] = "gpu",
        [ZPB_CONTROL_MANAGER_V1_COPY_PATH_CPU] = "cpu",
        [ZPB_CONTROL_MANAGER_V1_COPY_PATH_READBACK] = "readback",
};
#define COPY_PATH_COUNT (sizeof(copy_path_names) / sizeof(copy_path_names[0]))

static struct ctl_output *output_of(void *data)
{
	return data;
}

static void status_copy_path(
        void *data, struct zpb_output_status_v1 *s, uint32_t path, const char *reason)
{
	struct ctl_output *o = output_of(data);
	snprintf(o->copy_path, sizeof(o->copy_path), "%s",
	        path < COPY_PATH_COUNT ? copy_path_names[path] : "unknown");
	snprintf(o->copy_reason, sizeof(o->copy_reason), "%s", reason);
}

static void status_host_update(
        void *data, struct zpb_output_status_v1 *s, uint32_t mode, const char *reason)
{
	struct ctl_output *o = output_of(data);
	snprintf(o->host_update, sizeof(o->host_update), "%s",
	        mode == ZPB_CONTROL_MANAGER_V1_HOST_UPDATE_FLIP ? "flip" : "in-place");
	snprintf(o->update_reason, sizeof(o->update_reason), "%s", reason);
}

static void status_buffer(void *data, struct zpb_output_status_v1 *s, uint32_t width,
        uint32_t height, uint32_t stride, uint32_t rows, uint32_t kind, uint32_t count)
{
	struct ctl_output *o = output_of(data);
	o->width = width;
	o->height = height;
	o->stride = stride;
	o->rows = rows;
	o->buffer_count = count;
	snprintf(o->buffer_kind, sizeof(o->buffer_kind), "%s",
	        kind == ZPB_OUTPUT_STATUS_V1_BUFFER_KIND_BLOB ? "blob" : "dumb");
}

static void status_counter(
        void *data, struct zpb_output_status_v1 *s, const char *name, uint32_t hi, uint32_t lo)
{
	ctl_set_counter(output_of(data), name, (uint64_t)hi << 32 | lo);
}

static struct ctl *the_ctl; /* for status batches: the listener data is the output */

static void status_done(void *data, struct zpb_output_status_v1 *s)
{
	the_ctl->batches++;
}

static void status_removed(void *data, struct zpb_output_status_v1 *s)
{
	output_of(data)->removed = true;
	the_ctl->batches++; /* a change watch shows */
}

static const struct zpb_output_status_v1_listener status_listener = {
        .copy_path = status_copy_path,
        .host_update = status_host_update,
        .buffer = status_buffer,
        .counter = status_counter,
        .done = status_done,
        .removed = status_removed,
};

/* ------------------------------------------------------------ manager */

static void manager_device(void *data, struct zpb_control_manager_v1 *m, uint32_t role,
        const char *path, const char *driver, const char *pci_id)
{
	struct ctl *ctl = data;
	if (ctl->status.device_count == CTL_MAX_DEVICES) {
		return;
	}
	struct ctl_device *d = &ctl->status.devices[ctl->status.device_count++];
	snprintf(d->role, sizeof(d->role), "%s",
	        role == ZPB_CONTROL_MANAGER_V1_ROLE_DISPLAY ? "display" : "render");
	snprintf(d->path, sizeof(d->path), "%s", path);
	snprintf(d->driver, sizeof(d->driver), "%s", driver);
	snprintf(d->pci_id, sizeof(d->pci_id), "%s", pci_id);
}

static void manager_output(void *data, struct zpb_control_manager_v1 *m,
        struct zpb_output_status_v1 *status, const char *name)
{
	struct ctl *ctl = data;
	if (ctl->status.output_count == CTL_MAX_OUTPUTS) {
		zpb_output_status_v1_destroy(status);
		return;
	}
	int i = ctl->status.output_count++;
	struct ctl_output *o = &ctl->status.outputs[i];
	snprintf(o->name, sizeof(o->name), "%s", name);
	ctl->status_objects[i] = status;
	zpb_output_status_v1_add_listener(status, &status_listener, o);
}

static void manager_done(void *data, struct zpb_control_manager_v1 *m)
{
	((struct ctl *)data)->manager_done = true;
}

static void manager_result(void *data, struct zpb_control_manager_v1 *m, const char *request,
        uint32_t success, const char *message)
{
	struct ctl *ctl = data;
	ctl->result_seen = true;
	ctl->result_ok = success != 0;
	snprintf(ctl->result_msg, sizeof(ctl->result_msg), "%s", message);
}

static const struct zpb_control_manager_v1_listener manager_listener = {
        .device = manager_device,
        .output = manager_output,
        .done = manager_done,
        .result = manager_result,
};

static void registry_global(void *data, struct wl_registry *registry, uint32_t name,
        const char *interface, uint32_t version)
{
	struct ctl *ctl = data;
	if (strcmp(interface, zpb_control_manager_v1_interface.name) == 0) {
		/* The newest version both speak: an older primebridge has no readback. */
		uint32_t ours = (uint32_t)zpb_control_manager_v1_interface.version;
		ctl->manager = wl_registry_bind(registry, name, &zpb_control_manager_v1_interface,
		        version < ours ? version : ours);
		zpb_control_manager_v1_add_listener(ctl->manager, &manager_listener, ctl);
	}
}

static void registry_remove(void *data, struct wl_registry *registry, uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {
        .global = registry_global,
        .global_remove = registry_remove,
};

/* ------------------------------------------------------------ connection */

__attribute__((format(printf, 2, 3))) static int fail(int status, const char *fmt, ...)
{
	va_list args;
	va_start(args, fmt);
	fprintf(stderr, "primebridgectl: ");
	vfprintf(stderr, fmt, args);
	fputc('\n', stderr);
	va_end(args);
	return status;
}

/* The socket to use: --socket, else primebridge's control socket for $WAYLAND_DISPLAY. */
static int default_socket(char *path, size_t len)
{
	const char *dir = getenv("XDG_RUNTIME_DIR");
	const char *display = getenv("WAYLAND_DISPLAY");
	if (!display || !display[0]) {
		return fail(3, "not running under primebridge: %s", "WAYLAND_DISPLAY is not set");
	}
	if (display[0] == '/') {
		snprintf(path, len, "%s.primebridge-control", display);
	} else if (!dir) {
		return fail(
		        3, "%s", "XDG_RUNTIME_DIR is not set: cannot find primebridge's socket");
	} else {
		snprintf(path, len, "%s/%s.primebridge-control", dir, display);
	}
	return 0;
}

static int connect_to(struct ctl *ctl, const char *path)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof(addr.sun_path)) {
		return fail(2, "%s: the path is too long for a socket", path);
	}
	strcpy(addr.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
		if (fd >= 0) {
			close(fd);
		}
		return fail(3,
		        "not running under primebridge: cannot connect to %s "
		        "(is WAYLAND_DISPLAY a primebridge session?)",
		        path);
	}
	ctl->display = wl_display_connect_to_fd(fd); /* closes fd on failure */
	if (!ctl->display) {
		return fail(3, "%s: not a Wayland socket", path);
	}
	ctl->registry = wl_display_get_registry(ctl->display);
	wl_registry_add_listener(ctl->registry, &registry_listener, ctl);
	if (wl_display_roundtrip(ctl->display) < 0) {
		return fail(3, "%s closed the connection: not primebridge's control socket", path);
	}
	if (!ctl->manager) {
		return fail(3,
		        "not allowed: %s offers no primebridge control to this client (use the "
		        "control socket, or add the user to [control] trusted-uids)",
		        path);
	}
	while (!ctl->manager_done || ctl->batches < ctl->status.output_count) {
		if (wl_display_dispatch(ctl->display) < 0) {
			return fail(1, "%s", "primebridge closed the connection");
		}
	}
	return 0;
}

static void disconnect(struct ctl *ctl)
{
	for (int i = 0; i < ctl->status.output_count; i++) {
		if (ctl->status_objects[i]) {
			zpb_output_status_v1_destroy(ctl->status_objects[i]);
		}
	}
	if (ctl->manager) {
		zpb_control_manager_v1_destroy(ctl->manager);
	}
	if (ctl->registry) {
		wl_registry_destroy(ctl->registry);
	}
	if (ctl->display) {
		wl_display_roundtrip(ctl->display);
		wl_display_disconnect(ctl->display);
	}
}

/* Waits for the answer to the request just sent. */
static int await_result(struct ctl *ctl)
{
	while (!ctl->result_seen) {
		if (wl_display_dispatch(ctl->display) < 0) {
			return fail(1, "%s", "primebridge closed the connection");
		}
	}
	printf("%s\n", ctl->result_msg);
	return ctl->result_ok ? 0 : 1;
}

/* ------------------------------------------------------------ commands */

static int watch(struct ctl *ctl, long updates)
{
	for (long n = 0; updates <= 0 || n < updates; n++) {
		ctl_print_table(stdout, &ctl->status);
		printf("---\n");
		fflush(stdout);
		int seen = ctl->batches;
		while (ctl->batches == seen) {
			if (wl_display_dispatch(ctl->display) < 0) {
				return fail(1, "%s", "primebridge closed the connection");
			}
		}
	}
	return 0;
}

static int output_arg(struct ctl *ctl, const char *name)
{
	for (int i = 0; i < ctl->status.output_count; i++) {
		if (strcmp(ctl->status.outputs[i].name, name) == 0) {
			return 0;
		}
	}
	return fail(1, "no output is named '%s' (see primebridgectl outputs)", name);
}

static int run(struct ctl *ctl, int argc, char **argv)
{
	const char *cmd = argv[0];
	if (strcmp(cmd, "status") == 0 && argc <= 2) {
		if (argc == 2 && strcmp(argv[1], "--json") != 0) {
			return fail(2, "status: unknown option %s", argv[1]);
		}
		(argc == 2 ? ctl_print_json : ctl_print_table)(stdout, &ctl->status);
		return 0;
	}
	if (strcmp(cmd, "outputs") == 0 && argc == 1) {
		for (int i = 0; i < ctl->status.output_count; i++) {
			if (!ctl->status.outputs[i].removed) {
				printf("%s\n", ctl->status.outputs[i].name);
			}
		}
		return 0;
	}
	if (strcmp(cmd, "watch") == 0 &&
	        (argc == 1 || (argc == 3 && !strcmp(argv[1], "--updates")))) {
		char *end = NULL;
		long updates = argc == 3 ? strtol(argv[2], &end, 10) : 0;
		if (argc == 3 && (*end != '\0' || updates < 1)) {
			return fail(2, "watch: --updates '%s': expected a number from 1", argv[2]);
		}
		return watch(ctl, updates);
	}
	if (strcmp(cmd, "reload") == 0 && argc == 1) {
		zpb_control_manager_v1_reload(ctl->manager);
		return await_result(ctl);
	}
	if (strcmp(cmd, "reset") == 0 && argc == 1) {
		zpb_control_manager_v1_reset_counters(ctl->manager);
		if (wl_display_roundtrip(ctl->display) < 0) {
			return fail(1, "%s", "primebridge closed the connection");
		}
		return 0;
	}
	if (strcmp(cmd, "set-host-update") == 0 && argc == 3) {
		bool flip = strcmp(argv[2], "flip") == 0;
		if (!flip && strcmp(argv[2], "in-place") != 0) {
			return fail(2, "set-host-update: '%s': expected flip or in-place", argv[2]);
		}
		int status = output_arg(ctl, argv[1]);
		if (status) {
			return status;
		}
		zpb_control_manager_v1_set_host_update(ctl->manager, argv[1],
		        flip ? ZPB_CONTROL_MANAGER_V1_HOST_UPDATE_FLIP
		             : ZPB_CONTROL_MANAGER_V1_HOST_UPDATE_IN_PLACE);
		return await_result(ctl);
	}
	if (strcmp(cmd, "set-copy-path") == 0 && argc == 3) {
		uint32_t path = 0;
		while (path < COPY_PATH_COUNT && strcmp(argv[2], copy_path_names[path]) != 0) {
			path++;
		}
		if (path == COPY_PATH_COUNT) {
			return fail(
			        2, "set-copy-path: '%s': expected gpu, readback or cpu", argv[2]);
		}
		int status = output_arg(ctl, argv[1]);
		if (status) {
			return status;
		}
		if (path == ZPB_CONTROL_MANAGER_V1_COPY_PATH_READBACK &&
		        wl_proxy_get_version((struct wl_proxy *)ctl->manager) <
		                ZPB_CONTROL_MANAGER_V1_COPY_PATH_READBACK_SINCE_VERSION) {
			return fail(
			        1, "set-copy-path: this primebridge predates the readback path");
		}
		zpb_control_manager_v1_set_copy_path(ctl->manager, argv[1], path);
		return await_result(ctl);
	}
	return fail(2, "%s: unknown command or wrong arguments (see --help)", cmd);
}

int main(int argc, char *argv[])
{
	int first = 1;
	char path[256] = "";
	if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc >= 3 && strcmp(argv[1], "--socket") == 0) {
		snprintf(path, sizeof(path), "%s", argv[2]);
		first = 3;
	}
	if (first >= argc) {
		fputs(usage, stderr);
		return 2;
	}
	if (!path[0]) {
		int status = default_socket(path, sizeof(path));
		if (status) {
			return status;
		}
	}
	static struct ctl ctl;
	the_ctl = &ctl;
	int status = connect_to(&ctl, path);
	if (status == 0) {
		status = run(&ctl, argc - first, argv + first);
	}
	disconnect(&ctl);
	return status;
}
