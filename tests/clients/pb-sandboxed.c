/*
 * The globals a sandboxed client is offered, for primebridge's tests.
 *
 *   pb-sandboxed    prints the interface of each global, one per line
 *
 * It makes a sandbox the way Flatpak does (security-context-v1): a
 * listening socket and the read end of a pipe go to the compositor with a
 * sandbox engine and app id, then it connects through that socket as the
 * sandboxed application would, and lists what that connection sees.
 * Closing the pipe's write end tells the compositor the sandbox is gone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <wayland-client.h>

#include "client_common.h"
#include "security-context-v1-client-protocol.h"

static void print_global(void *data, struct wl_registry *registry, uint32_t name,
        const char *interface, uint32_t version)
{
	printf("%s\n", interface);
}

static void global_remove(void *data, struct wl_registry *registry, uint32_t name)
{
}

static const struct wl_registry_listener global_printer = {
        .global = print_global, .global_remove = global_remove};

int main(void)
{
	struct wl_display *display = wl_display_connect(NULL);
	if (!display) {
		pb_die("cannot connect to $WAYLAND_DISPLAY");
	}
	struct wp_security_context_manager_v1 *manager = NULL;
	const struct pb_wanted_global wanted[] = {
	        {&wp_security_context_manager_v1_interface, 1, (void **)&manager},
	};
	pb_bind_globals(display, wanted, 1);
	if (!manager) {
		pb_die("the compositor offers no security-context-v1");
	}

	const char *runtime = getenv("XDG_RUNTIME_DIR");
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/pb-sandboxed-%d",
	        runtime ? runtime : "/tmp", (int)getpid());
	int listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int close_fds[2];
	if (listen_fd < 0 || bind(listen_fd, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
	        listen(listen_fd, 1) != 0 || pipe(close_fds) != 0) {
		pb_die("cannot make the sandbox's socket");
	}
	struct wp_security_context_v1 *context =
	        wp_security_context_manager_v1_create_listener(manager, listen_fd, close_fds[0]);
	wp_security_context_v1_set_sandbox_engine(context, "org.primebridge.tests");
	wp_security_context_v1_set_app_id(context, "org.primebridge.Sandboxed");
	wp_security_context_v1_commit(context);
	wp_security_context_v1_destroy(context);
	if (wl_display_roundtrip(display) < 0) {
		pb_die("the compositor refused the security context");
	}
	close(listen_fd);
	close(close_fds[0]);

	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
		pb_die("cannot connect through the sandbox's socket");
	}
	struct wl_display *sandboxed = wl_display_connect_to_fd(fd);
	if (!sandboxed) {
		pb_die("cannot talk Wayland through the sandbox's socket");
	}
	struct wl_registry *sandboxed_registry = wl_display_get_registry(sandboxed);
	wl_registry_add_listener(sandboxed_registry, &global_printer, NULL);
	if (wl_display_roundtrip(sandboxed) < 0) {
		pb_die("the sandboxed connection was refused");
	}
	wl_registry_destroy(sandboxed_registry);
	wl_display_disconnect(sandboxed);

	close(close_fds[1]);
	unlink(addr.sun_path);
	wp_security_context_manager_v1_destroy(manager);
	wl_display_disconnect(display);
	return 0;
}
