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
 * The server around control.c holds no outputs and no devices (there is no
 * virtio-gpu here): requests naming an output meet "unknown output", and a
 * reload answers from this file's pb_server_reload_config.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <wayland-client.h>
#include <wayland-server-core.h>
#include <wlr/util/log.h>

#include "control.h"
#include "kiosk.h"
#include "primebridge-control-unstable-v1-client-protocol.h"
#include "server.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct pb_server server;
static struct pb_config cfg;

bool pb_server_reload_config(struct pb_server *srv, char *msg, size_t len)
{
	snprintf(msg, len, "reloaded the defaults (no file)");
	return true;
}

pid_t pb_kiosk_pid(const struct pb_kiosk *kiosk)
{
	abort(); /* no kiosk in this server */
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static char runtime[] = "/tmp/pb-fuzz-control-XXXXXX";
	if (!mkdtemp(runtime) || setenv("XDG_RUNTIME_DIR", runtime, 1) != 0) {
		abort();
	}
	wlr_log_init(WLR_SILENT, NULL);
	pb_config_defaults(&cfg);
	/* This process is the client: trusted by uid, as [control] trusted-uids allows. */
	cfg.trusted_uids[0] = getuid();
	cfg.trusted_uid_count = 1;
	server.display = wl_display_create();
	server.cfg = &cfg;
	wl_list_init(&server.outputs);
	server.control = pb_control_create(&server, "wayland-fuzz");
	if (!server.display || !server.control) {
		abort();
	}
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

struct binding {
	struct zpb_control_manager_v1 *manager;
};

static void registry_global(void *data, struct wl_registry *registry, uint32_t name,
        const char *interface, uint32_t version)
{
	struct binding *b = data;
	if (strcmp(interface, zpb_control_manager_v1_interface.name) == 0) {
		b->manager = wl_registry_bind(registry, name, &zpb_control_manager_v1_interface, 1);
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
	wl_registry_destroy(registry);
	zpb_control_manager_v1_destroy(b.manager);
	wl_display_disconnect(client);
	pump(NULL);
	return 0;
}
