/*
 * libFuzzer target: the control protocol's request handling
 * (compositor/control.c) behind libwayland's own demarshalling, as a trusted
 * client reaches it.
 *
 * Each input is a fresh client on a socketpair that binds
 * zpb_control_manager_v1 with libwayland-client, then sends the input's
 * requests as raw wire messages (so malformed ones get through too): the
 * first byte of each picks the opcode, the target object (the manager or any
 * id) and whether the arguments are built well-formed (a string, an enum) or
 * taken raw. The server is dispatched after every message; a client it
 * disconnects ends the input. Sanitizers, and the server staying usable for
 * the next input, are the verdict.
 *
 * With PRIMEBRIDGE_FUZZ_DISPLAY naming a KMS device (the test guest's
 * virtio-gpu, /dev/dri/card0), the server starts on it as the compositor
 * does, on the CPU path, and holds its connected outputs, lit at their
 * preferred modes with one frame shown: set_host_update, set_copy_path,
 * reset_counters and the output status reports then act on real bridge
 * outputs. Without it (no /dev/dri on the build machines) there are no
 * outputs and requests naming one meet "unknown output". Either way a
 * reload answers from this file's pb_server_reload_config. At exit the
 * target says how many set_* requests reached an output.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <wayland-client.h>
#include <wayland-server-core.h>
#include <wlr/render/pass.h>
#include <wlr/util/log.h>

#include "bridge_backend.h"
#include "control.h"
#include "global_filter.h"
#include "kiosk.h"
#include "listeners.h"
#include "output.h"
#include "primebridge-control-unstable-v1-client-protocol.h"
#include "server.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct pb_server server;
static struct pb_config cfg;
static struct pb_login_session login;
static struct wl_listener new_output;

/* set_* requests that reached an output, counted from control.c's log of each answer. */
static struct {
	unsigned long host_update, copy_path;
} reached;

bool pb_server_reload_config(struct pb_server *srv, char *msg, size_t len)
{
	snprintf(msg, len, "reloaded the defaults (no file)");
	return true;
}

pid_t pb_kiosk_pid(const struct pb_kiosk *kiosk)
{
	abort(); /* no kiosk in this server */
}

/*
 * Errors are shown (the bridge failing on a real device is worth seeing);
 * the rest is only counted, since every input makes some.
 */
__attribute__((format(printf, 2, 0))) static void log_handler(
        enum wlr_log_importance importance, const char *fmt, va_list args)
{
	char line[1024];
	vsnprintf(line, sizeof(line), fmt, args);
	/* wlr_log puts "[file:line] " first. */
	if (strstr(line, "] Control: set_host_update: ")) {
		reached.host_update++;
	} else if (strstr(line, "] Control: set_copy_path: ")) {
		reached.copy_path++;
	}
	if (importance == WLR_ERROR) {
		fprintf(stderr, "fuzz-control: %s\n", line);
	}
}

static void print_reached(void)
{
	fprintf(stderr,
	        "fuzz-control: %lu set_host_update and %lu set_copy_path requests reached "
	        "an output\n",
	        reached.host_update, reached.copy_path);
}

static void handle_output_destroy(struct wl_listener *listener, void *data)
{
	struct pb_output *output = wl_container_of(listener, output, destroy);
	pb_control_output_removed(server.control, output);
	wl_list_remove(&output->link);
	pb_disconnect_all(&output->listeners);
	free(output);
}

/* Lit at the preferred mode, with one frame shown, the output has its buffers. */
static bool light(struct wlr_output *wlr_output)
{
	struct wlr_output_mode *mode = wlr_output_preferred_mode(wlr_output);
	if (!mode || !wlr_output_init_render(wlr_output, server.allocator, server.renderer)) {
		return false;
	}
	struct wlr_output_state state;
	wlr_output_state_init(&state);
	wlr_output_state_set_enabled(&state, true);
	wlr_output_state_set_mode(&state, mode);
	struct wlr_render_pass *pass = wlr_output_begin_render_pass(wlr_output, &state, NULL, NULL);
	bool ok = pass != NULL;
	if (ok) {
		wlr_render_pass_add_rect(
		        pass, &(struct wlr_render_rect_options){
		                      .box = {.width = mode->width, .height = mode->height},
		                      .color = {.g = 0.5f, .a = 1.0f},
		              });
		ok = wlr_render_pass_submit(pass) && wlr_output_commit_state(wlr_output, &state);
	}
	wlr_output_state_finish(&state);
	return ok;
}

static void handle_new_output(struct wl_listener *listener, void *data)
{
	struct wlr_output *wlr_output = data;
	struct pb_output *output = calloc(1, sizeof(*output));
	if (!output || !light(wlr_output)) {
		fprintf(stderr, "fuzz-control: cannot light %s\n", wlr_output->name);
		abort();
	}
	struct pb_bridge_output_report r;
	pb_bridge_output_report(wlr_output, &r);
	fprintf(stderr, "fuzz-control: output %s, %dx%d, %zu buffers\n", wlr_output->name,
	        wlr_output->width, wlr_output->height, r.buffer_count);
	output->server = &server;
	output->wlr_output = wlr_output;
	pb_listen(&output->listeners, &wlr_output->events.destroy, &output->destroy,
	        handle_output_destroy);
	wl_list_insert(server.outputs.prev, &output->link);
	pb_control_output_added(server.control, output);
}

/* The compositor's start-up on the display device, on the CPU path (pixman). */
static void start_bridge(const char *device)
{
	if (snprintf(cfg.display_device, sizeof(cfg.display_device), "%s", device) >=
	        (int)sizeof(cfg.display_device)) {
		fprintf(stderr, "fuzz-control: PRIMEBRIDGE_FUZZ_DISPLAY is too long\n");
		abort();
	}
	cfg.copy = PB_COPY_PREFER_CPU;
	if (!pb_bridge_setup(&server.devices, server.display, &login, &cfg)) {
		fprintf(stderr, "fuzz-control: cannot start the bridge on %s\n", device);
		abort();
	}
	server.login = &login;
	server.renderer = server.devices.plan.renderer;
	server.allocator = server.devices.plan.allocator;
	new_output.notify = handle_new_output;
	wl_signal_add(&server.devices.bridge->events.new_output, &new_output);
	if (!wlr_backend_start(server.devices.bridge) || wl_list_empty(&server.outputs)) {
		fprintf(stderr, "fuzz-control: no output on %s\n", device);
		abort();
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static char runtime[] = "/tmp/pb-fuzz-control-XXXXXX";
	if (!mkdtemp(runtime) || setenv("XDG_RUNTIME_DIR", runtime, 1) != 0) {
		abort();
	}
	wlr_log_init(WLR_INFO, log_handler);
	pb_config_defaults(&cfg);
	/* This process is the client: trusted by uid, as [control] trusted-uids allows. */
	cfg.trusted_uids[0] = getuid();
	cfg.trusted_uid_count = 1;
	if (!pb_login_session_init(&login)) {
		abort();
	}
	server.display = login.display;
	server.cfg = &cfg;
	wl_list_init(&server.outputs);
	/* The control global reaches the client through the compositor's own filter. */
	if (!pb_global_filter_init(&server)) {
		abort();
	}
	server.control = pb_control_create(&server, "wayland-fuzz");
	if (!server.control) {
		abort();
	}
	const char *device = getenv("PRIMEBRIDGE_FUZZ_DISPLAY");
	if (device) {
		start_bridge(device);
	}
	atexit(print_reached);
	return 0;
}

/* One round: the server reads and answers, the client reads what came. */
static void pump(struct wl_display *client)
{
	wl_event_loop_dispatch(wl_display_get_event_loop(server.display), 0);
	wl_display_flush_clients(server.display);
	if (client && wl_display_prepare_read(client) == 0) {
		wl_display_read_events(client);
	}
	if (client) {
		wl_display_dispatch_pending(client);
	}
}

/* The status objects the bind announced are the client's to destroy. */
#define MAX_STATUSES 8

struct binding {
	struct zpb_control_manager_v1 *manager;
	struct zpb_output_status_v1 *statuses[MAX_STATUSES];
	size_t status_count;
};

static void manager_device(void *data, struct zpb_control_manager_v1 *manager, uint32_t role,
        const char *path, const char *driver, const char *pci_id)
{
}

static void manager_output(void *data, struct zpb_control_manager_v1 *manager,
        struct zpb_output_status_v1 *status, const char *name)
{
	struct binding *b = data;
	if (b->status_count == MAX_STATUSES) {
		abort(); /* more outputs than this client keeps track of */
	}
	b->statuses[b->status_count++] = status;
}

static void manager_done(void *data, struct zpb_control_manager_v1 *manager)
{
}

static void manager_result(void *data, struct zpb_control_manager_v1 *manager, const char *request,
        uint32_t success, const char *message)
{
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
	struct binding *b = data;
	if (strcmp(interface, zpb_control_manager_v1_interface.name) == 0) {
		b->manager = wl_registry_bind(registry, name, &zpb_control_manager_v1_interface, 1);
		zpb_control_manager_v1_add_listener(b->manager, &manager_listener, b);
	}
}

static void registry_remove(void *data, struct wl_registry *registry, uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {
        .global = registry_global,
        .global_remove = registry_remove,
};

/* Appends a wire string (length with the NUL, bytes, padding) built from the input. */
static size_t put_string(uint8_t *out, const uint8_t *text, size_t len)
{
	uint32_t n = (uint32_t)len + 1;
	memcpy(out, &n, 4);
	memcpy(out + 4, text, len);
	memset(out + 4 + len, 0, ((n + 3) & ~3u) - len);
	return 4 + ((n + 3) & ~3u);
}

/*
 * The next message from the input into msg: header (object id, size and
 * opcode) and arguments. Returns its size, 0 when the input is used up.
 */
static size_t next_message(const uint8_t **data, size_t *size, uint32_t manager, uint8_t *msg)
{
	if (*size < 2) {
		return 0;
	}
	uint8_t how = (*data)[0], len = (*data)[1];
	*data += 2;
	*size -= 2;
	if (len > *size) {
		len = (uint8_t)*size;
	}
	uint32_t object = how & 0x80 ? (uint32_t)(len % 8) : manager;
	uint32_t opcode = how & 0x07;
	size_t body = 0;
	if (how & 0x40) {
		/* Well-formed: an output name from the input, then an enum value. */
		body = put_string(msg + 8, *data, len > 4 ? len - 4u : 0u);
		uint32_t value = len >= 4 ? (uint32_t)(*data)[len - 1] % 4 : 0;
		memcpy(msg + 8 + body, &value, 4);
		body += 4;
	} else {
		memcpy(msg + 8, *data, len);
		body = (len + 3u) & ~3u;
		memset(msg + 8 + len, 0, body - len);
	}
	*data += len;
	*size -= len;
	uint32_t header[2] = {object, (uint32_t)(8 + body) << 16 | opcode};
	memcpy(msg, header, 8);
	return 8 + body;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fds[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
		abort();
	}
	struct wl_client *peer = wl_client_create(server.display, fds[0]);
	struct wl_display *client = wl_display_connect_to_fd(fds[1]);
	if (!peer || !client) {
		abort();
	}
	struct binding b = {0};
	struct wl_registry *registry = wl_display_get_registry(client);
	wl_registry_add_listener(registry, &registry_listener, &b);
	for (int i = 0; i < 4 && !b.manager; i++) {
		wl_display_flush(client);
		pump(client);
	}
	if (!b.manager) {
		abort(); /* a trusted client must see the global */
	}
	wl_display_flush(client);
	pump(client);
	uint32_t manager = wl_proxy_get_id((struct wl_proxy *)b.manager);
	uint8_t msg[8 + 4 + 256 + 4 + 4];
	size_t len;
	while ((len = next_message(&data, &size, manager, msg)) > 0) {
		if (send(fds[1], msg, len, MSG_NOSIGNAL) != (ssize_t)len) {
			break; /* the server hung up on this client */
		}
		pump(NULL);
		/* What the server sent back is read and dropped, so it never blocks. */
		uint8_t sink[4096];
		while (recv(fds[1], sink, sizeof(sink), MSG_DONTWAIT) > 0) {
		}
	}
	/* The client goes; the server must clean up after it and go on. */
	for (size_t i = 0; i < b.status_count; i++) {
		zpb_output_status_v1_destroy(b.statuses[i]);
	}
	wl_registry_destroy(registry);
	zpb_control_manager_v1_destroy(b.manager);
	wl_display_disconnect(client);
	pump(NULL);
	return 0;
}
