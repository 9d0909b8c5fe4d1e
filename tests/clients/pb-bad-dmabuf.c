/*
 * A Wayland client that sends linux-dmabuf buffers with one wrong parameter,
 * for primebridge's tests. The dma-buf is a real 64x64 XRGB8888 dumb buffer
 * of DEVICE (the render device's card node, vgem in the test guest):
 *
 *   pb-bad-dmabuf DEVICE good     correct parameters: the buffer is accepted
 *   pb-bad-dmabuf DEVICE stride   a stride that reaches past the buffer's end
 *   pb-bad-dmabuf DEVICE offset   an offset at the buffer's end
 *   pb-bad-dmabuf DEVICE size     a height the buffer does not hold
 *   pb-bad-dmabuf DEVICE planes   plane 1 given without plane 0
 *   pb-bad-dmabuf DEVICE format   a format no renderer knows
 *
 * Each uses create_immed and a roundtrip. Prints "accepted" when the
 * compositor took the buffer, "disconnected: protocol error N on IFACE@ID"
 * when it cut the connection, and exits 0 either way; 1 when it could not
 * even start.
 */
#include <drm_fourcc.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wayland-client.h>
#include <xf86drm.h>

#include "client_common.h"
#include "linux-dmabuf-v1-client-protocol.h"

#define SIZE 64

struct client {
	struct wl_display *display;
	struct zwp_linux_dmabuf_v1 *dmabuf;
};

/* A SIZExSIZE XRGB8888 dumb buffer of the device, as a dma-buf; its stride in *stride. */
static int dumb_dmabuf(const char *device, uint32_t *stride)
{
	int fd = open(device, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		pb_die("cannot open the device");
	}
	struct drm_mode_create_dumb create = {.width = SIZE, .height = SIZE, .bpp = 32};
	int dmabuf = -1;
	if (drmIoctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &create) != 0 ||
	        drmPrimeHandleToFD(fd, create.handle, DRM_CLOEXEC | DRM_RDWR, &dmabuf) != 0) {
		pb_die("cannot make a dumb buffer's dma-buf");
	}
	*stride = create.pitch;
	return dmabuf;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		pb_die("usage: pb-bad-dmabuf DEVICE good|stride|offset|size|planes|format");
	}
	const char *mode = argv[2];
	struct client c = {0};
	c.display = wl_display_connect(NULL);
	if (!c.display) {
		pb_die("cannot connect");
	}
	const struct pb_wanted_global wanted[] = {
	        {&zwp_linux_dmabuf_v1_interface, 3, (void **)&c.dmabuf},
	};
	pb_bind_globals(c.display, wanted, 1);
	if (!c.dmabuf) {
		pb_die("the compositor offers no zwp_linux_dmabuf_v1");
	}
	uint32_t stride;
	int fd = dumb_dmabuf(argv[1], &stride);
	uint32_t plane = 0, offset = 0, format = DRM_FORMAT_XRGB8888;
	int32_t height = SIZE;
	if (strcmp(mode, "stride") == 0) {
		stride = 1u << 20;
	} else if (strcmp(mode, "offset") == 0) {
		offset = stride * SIZE;
	} else if (strcmp(mode, "size") == 0) {
		height = SIZE * 64;
	} else if (strcmp(mode, "planes") == 0) {
		plane = 1;
	} else if (strcmp(mode, "format") == 0) {
		format = fourcc_code('P', 'B', 'X', 'X');
	} else if (strcmp(mode, "good") != 0) {
		pb_die("unknown mode");
	}
	struct zwp_linux_buffer_params_v1 *params = zwp_linux_dmabuf_v1_create_params(c.dmabuf);
	zwp_linux_buffer_params_v1_add(params, fd, plane, offset, stride, 0, 0);
	struct wl_buffer *buffer =
	        zwp_linux_buffer_params_v1_create_immed(params, SIZE, height, format, 0);
	close(fd);
	if (wl_display_roundtrip(c.display) < 0) {
		const struct wl_interface *interface = NULL;
		uint32_t id = 0;
		int code = wl_display_get_protocol_error(c.display, &interface, &id);
		printf("disconnected: protocol error %d on %s@%u\n", code,
		        interface ? interface->name : "?", id);
	} else {
		printf("accepted\n");
	}
	fflush(stdout);
	/* Destroying proxies only frees them on our side, whatever the connection's state. */
	wl_buffer_destroy(buffer);
	zwp_linux_buffer_params_v1_destroy(params);
	zwp_linux_dmabuf_v1_destroy(c.dmabuf);
	wl_display_disconnect(c.display);
	return 0;
}
