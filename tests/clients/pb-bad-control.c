/*
 * A misbehaving control client for primebridge's tests. Each mode does one
 * wrong thing and reports how the compositor answered:
 *
 *   pb-bad-control bind-hidden CONTROL_SOCKET WAYLAND_SOCKET
 *       learns the control global's name through the control socket, then
 *       binds that name through the Wayland socket, where it is hidden
 *   pb-bad-control bad-enum CONTROL_SOCKET     set_host_update with mode 7
 *   pb-bad-control v1-readback CONTROL_SOCKET  set_copy_path readback, bound at
 *       version 1, which predates it
 *   pb-bad-control bad-output CONTROL_SOCKET   set_copy_path on a missing output
 *   pb-bad-control garbage CONTROL_SOCKET      bytes that are no Wayland message
 *
 * Prints "disconnected: ..." with the protocol error when the compositor
 * cut the connection, "still connected" otherwise.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <wayland-client.h>

#include "primebridge-control-unstable-v1-client-protocol.h"

struct probe {
	uint32_t name; /* the control global's, 0 when not offered */
};

static void registry_global(void *data, struct wl_registry *registry, uint32_t name,
        const char *interface, uint32_t version)
{
	if (strcmp(interface, zpb_control_manager_v1_interface.name) == 0) {
		((struct probe *)data)->name = name;
	}
}

static void registry_remove(void *data, struct wl_registry *registry, uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {
        .global = registry_global,
        .global_remove = registry_remove,
};

static int connect_socket(const char *path)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
		fprintf(stderr, "pb-bad-control: cannot connect to %s: %s\n", path,
		        strerror(errno));
		exit(1);
	}
	return fd;
}

static struct wl_display *connect_display(
        const char *path, struct wl_registry **registry, struct probe *probe)
{
	struct wl_display *display = wl_display_connect_to_fd(connect_socket(path));
	if (!display) {
		fprintf(stderr, "pb-bad-control: %s is not a Wayland socket\n", path);
		exit(1);
	}
	*registry = wl_display_get_registry(display);
	wl_registry_add_listener(*registry, &registry_listener, probe);
	wl_display_roundtrip(display);
	return display;
}

/*
 * Lets the compositor answer, then says whether it cut the connection. The
 * proxies are freed either way (allowed after a protocol error).
 */
static int outcome(struct wl_display *display, struct wl_registry *registry, void *bound)
{
	int ret = wl_display_roundtrip(display);
	int err = wl_display_get_error(display);
	if (ret < 0 || err) {
		uint32_t code = 0;
		const struct wl_interface *iface = NULL;
		if (err == EPROTO) {
			code = wl_display_get_protocol_error(display, &iface, NULL);
		}
		printf("disconnected: %s error %u (%s)\n", iface ? iface->name : "connection", code,
		        strerror(err));
	} else {
		printf("still connected\n");
	}
	if (bound) {
		wl_proxy_destroy(bound);
	}
	wl_registry_destroy(registry);
	wl_display_disconnect(display);
	return 0;
}

static void manager_device(void *data, struct zpb_control_manager_v1 *m, uint32_t role,
        const char *path, const char *driver, const char *pci_id)
{
}

/* This client wants no reports: each output's status object goes at once. */
static void manager_output(void *data, struct zpb_control_manager_v1 *m,
        struct zpb_output_status_v1 *status, const char *name)
{
	zpb_output_status_v1_destroy(status);
}

static void manager_done(void *data, struct zpb_control_manager_v1 *m)
{
}

static void manager_result(void *data, struct zpb_control_manager_v1 *m, const char *request,
        uint32_t success, const char *message)
{
}

static const struct zpb_control_manager_v1_listener manager_listener = {
        .device = manager_device,
        .output = manager_output,
        .done = manager_done,
        .result = manager_result,
};

static struct zpb_control_manager_v1 *bind_control(
        struct wl_display *display, struct wl_registry *registry, const struct probe *probe)
{
	if (!probe->name) {
		fprintf(stderr, "pb-bad-control: no control global offered\n");
		exit(1);
	}
	struct zpb_control_manager_v1 *control =
	        wl_registry_bind(registry, probe->name, &zpb_control_manager_v1_interface, 1);
	zpb_control_manager_v1_add_listener(control, &manager_listener, NULL);
	/* Takes the initial reports first: objects queued behind a fatal error would leak. */
	wl_display_roundtrip(display);
	return control;
}

int main(int argc, char *argv[])
{
	if (argc < 3) {
		fprintf(stderr,
		        "usage: pb-bad-control bind-hidden|bad-enum|v1-readback|bad-output|garbage "
		        "CONTROL_SOCKET [WAYLAND_SOCKET]\n");
		return 2;
	}
	const char *mode = argv[1];
	struct probe probe = {0};
	struct wl_registry *registry;
	if (strcmp(mode, "garbage") == 0) {
		int fd = connect_socket(argv[2]);
		/* A header claiming object 1 and a size smaller than a header. */
		const uint32_t junk[] = {1, 0x00020000, 0xdeadbeef, 0xffffffff};
		if (write(fd, junk, sizeof(junk)) != (ssize_t)sizeof(junk)) {
			return 1;
		}
		/* The compositor may say why (a wl_display.error) before it closes. */
		alarm(10);
		char buf[256];
		ssize_t n;
		while ((n = read(fd, buf, sizeof(buf))) > 0) {
		}
		printf(n == 0 ? "disconnected: connection closed\n" : "still connected\n");
		close(fd);
		return 0;
	}
	struct wl_display *display = connect_display(argv[2], &registry, &probe);
	if (strcmp(mode, "bind-hidden") == 0 && argc == 4) {
		uint32_t name = probe.name;
		wl_registry_destroy(registry);
		wl_display_disconnect(display);
		struct probe hidden = {0};
		display = connect_display(argv[3], &registry, &hidden);
		printf("offered on %s: %s\n", argv[3], hidden.name ? "yes" : "no");
		void *bound =
		        wl_registry_bind(registry, name, &zpb_control_manager_v1_interface, 1);
		return outcome(display, registry, bound);
	}
	struct zpb_control_manager_v1 *control = bind_control(display, registry, &probe);
	if (strcmp(mode, "bad-enum") == 0) {
		zpb_control_manager_v1_set_host_update(control, "Virtual-1", 7);
	} else if (strcmp(mode, "v1-readback") == 0) {
		zpb_control_manager_v1_set_copy_path(
		        control, "Virtual-1", ZPB_CONTROL_MANAGER_V1_COPY_PATH_READBACK);
	} else if (strcmp(mode, "bad-output") == 0) {
		zpb_control_manager_v1_set_copy_path(
		        control, "no-such-output", ZPB_CONTROL_MANAGER_V1_COPY_PATH_CPU);
	} else {
		fprintf(stderr, "pb-bad-control: unknown mode %s\n", mode);
		outcome(display, registry, control);
		return 2;
	}
	return outcome(display, registry, control);
}
