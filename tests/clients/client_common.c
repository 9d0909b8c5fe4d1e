#define _GNU_SOURCE
#include "client_common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

_Noreturn void pb_die(const char *message)
{
	fprintf(stderr, "%s: %s\n", program_invocation_short_name, message);
	exit(1);
}

struct binding {
	const struct pb_wanted_global *wanted;
	size_t count;
};

static void registry_global(void *data, struct wl_registry *registry, uint32_t name,
        const char *interface, uint32_t version)
{
	const struct binding *b = data;
	for (size_t i = 0; i < b->count; i++) {
		const struct pb_wanted_global *w = &b->wanted[i];
		if (!*w->proxy && strcmp(interface, w->interface->name) == 0) {
			*w->proxy = wl_registry_bind(registry, name, w->interface,
			        version < w->version ? version : w->version);
		}
	}
}

static void registry_remove(void *data, struct wl_registry *registry, uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {
        .global = registry_global,
        .global_remove = registry_remove,
};

void pb_bind_globals(
        struct wl_display *display, const struct pb_wanted_global *wanted, size_t count)
{
	struct binding b = {wanted, count};
	struct wl_registry *registry = wl_display_get_registry(display);
	wl_registry_add_listener(registry, &registry_listener, &b);
	if (wl_display_roundtrip(display) < 0) {
		pb_die("the compositor closed the connection");
	}
	/* Later globals (an output plugged in) are not for these clients. */
	wl_registry_destroy(registry);
}

void *pb_shm_map(const char *name, size_t size, int *fd)
{
	*fd = memfd_create(name, MFD_CLOEXEC);
	if (*fd < 0 || ftruncate(*fd, (off_t)size) != 0) {
		pb_die("cannot create shared memory");
	}
	void *map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, *fd, 0);
	if (map == MAP_FAILED) {
		pb_die("cannot map shared memory");
	}
	return map;
}

struct wl_buffer *pb_solid_buffer(struct wl_shm *shm, int width, int height, uint32_t colour)
{
	size_t size = (size_t)width * (size_t)height * 4;
	int fd;
	uint32_t *px = pb_shm_map("pb-solid", size, &fd);
	for (size_t i = 0; i < size / 4; i++) {
		px[i] = colour;
	}
	munmap(px, size);
	struct wl_shm_pool *pool = wl_shm_create_pool(shm, fd, (int32_t)size);
	struct wl_buffer *buffer = wl_shm_pool_create_buffer(
	        pool, 0, width, height, width * 4, WL_SHM_FORMAT_XRGB8888);
	wl_shm_pool_destroy(pool);
	close(fd);
	return buffer;
}
