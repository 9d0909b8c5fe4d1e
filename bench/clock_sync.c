/*
 * pb-clock-sync COUNT: ties the guest's CLOCK_MONOTONIC to the host's clock for
 * the guest benchmark's latency figures (bench/guest_bench.py runs it between
 * compositors, when no one holds the display).
 *
 * Takes the virtio-gpu card (DRM master: nobody else may have it), shows a
 * grey dumb buffer on its first connected connector, then COUNT times reads
 * CLOCK_MONOTONIC and asks for a 16x16 update of that buffer (DIRTYFB), which
 * the host logs as one virtio_gpu_cmd_res_flush with its own time, and waits
 * 10 to 30 ms (a pattern, so that the host can tell which flush is which).
 * Prints "# DEVICE WxH", then one line per update: the monotonic nanoseconds
 * before and after the ioctl. The host cannot have seen an update before the
 * guest asked for it, so the smallest host-minus-guest difference over the
 * updates is the clocks' offset, to within the fastest update's delay.
 *
 * Exits 1 with a message when the display cannot be had.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#define MASTER_WAIT_MS 5000 /* a compositor that just exited may still hold the card */
#define UPDATE_SIZE    16
#define MAX_COUNT      1000

static int64_t monotonic_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void sleep_ms(int ms)
{
	struct timespec t = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000};
	while (nanosleep(&t, &t) != 0 && errno == EINTR) {
	}
}

static void fail(const char *what)
{
	fprintf(stderr, "pb-clock-sync: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* The first /dev/dri/cardN whose driver is virtio_gpu, or -1. */
static int open_virtio_gpu(char *path, size_t size)
{
	for (int i = 0; i < 16; i++) {
		snprintf(path, size, "/dev/dri/card%d", i);
		int fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			continue;
		}
		drmVersionPtr version = drmGetVersion(fd);
		bool virtio = version && strcmp(version->name, "virtio_gpu") == 0;
		drmFreeVersion(version);
		if (virtio) {
			return fd;
		}
		close(fd);
	}
	return -1;
}

/* The card as DRM master: the first to open a card nobody masters becomes it. */
static int open_as_master(char *path, size_t size)
{
	for (int waited = 0;; waited += 100) {
		int fd = open_virtio_gpu(path, size);
		if (fd < 0) {
			fprintf(stderr, "pb-clock-sync: no virtio_gpu card in /dev/dri\n");
			exit(1);
		}
		if (drmIsMaster(fd) || drmSetMaster(fd) == 0) {
			return fd;
		}
		close(fd);
		if (waited >= MASTER_WAIT_MS) {
			fprintf(stderr, "pb-clock-sync: %s: someone else is DRM master\n", path);
			exit(1);
		}
		sleep_ms(100);
	}
}

int main(int argc, char *argv[])
{
	int count = argc == 2 ? atoi(argv[1]) : 0;
	if (count <= 0 || count > MAX_COUNT) {
		fprintf(stderr, "usage: pb-clock-sync COUNT  (1 to %d)\n", MAX_COUNT);
		return 2;
	}
	char path[64];
	int fd = open_as_master(path, sizeof(path));

	drmModeRes *res = drmModeGetResources(fd);
	if (!res || res->count_crtcs == 0) {
		fail("drmModeGetResources");
	}
	drmModeConnector *conn = NULL;
	for (int i = 0; i < res->count_connectors && !conn; i++) {
		conn = drmModeGetConnector(fd, res->connectors[i]);
		if (conn && (conn->connection != DRM_MODE_CONNECTED || conn->count_modes == 0)) {
			drmModeFreeConnector(conn);
			conn = NULL;
		}
	}
	if (!conn) {
		fprintf(stderr, "pb-clock-sync: %s: no connected connector\n", path);
		return 1;
	}
	drmModeModeInfo mode = conn->modes[0];
	for (int i = 0; i < conn->count_modes; i++) {
		if (conn->modes[i].type & DRM_MODE_TYPE_PREFERRED) {
			mode = conn->modes[i];
			break;
		}
	}
	/* A CRTC the connector's encoders can drive. */
	uint32_t crtc = res->crtcs[0];
	for (int i = 0; i < conn->count_encoders; i++) {
		drmModeEncoder *enc = drmModeGetEncoder(fd, conn->encoders[i]);
		if (!enc) {
			continue;
		}
		for (int j = 0; j < res->count_crtcs; j++) {
			if (enc->possible_crtcs & (1u << j)) {
				crtc = res->crtcs[j];
				i = conn->count_encoders;
				break;
			}
		}
		drmModeFreeEncoder(enc);
	}

	uint32_t handle, pitch, fb;
	uint64_t size;
	if (drmModeCreateDumbBuffer(
	            fd, mode.hdisplay, mode.vdisplay, 32, 0, &handle, &pitch, &size)) {
		fail("creating a dumb buffer");
	}
	uint64_t offset;
	if (drmModeMapDumbBuffer(fd, handle, &offset)) {
		fail("mapping the dumb buffer");
	}
	uint8_t *map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)offset);
	if (map == MAP_FAILED) {
		fail("mmap");
	}
	memset(map, 0x30, size);
	if (drmModeAddFB(fd, mode.hdisplay, mode.vdisplay, 24, 32, pitch, handle, &fb)) {
		fail("drmModeAddFB");
	}
	if (drmModeSetCrtc(fd, crtc, fb, 0, 0, &conn->connector_id, 1, &mode)) {
		fail("drmModeSetCrtc");
	}
	printf("# %s %ux%u\n", path, mode.hdisplay, mode.vdisplay);
	/* Let the mode set's own update reach the host first. */
	sleep_ms(50);
	for (int i = 0; i < count; i++) {
		/* Something changes, though the kernel sends the region either way. */
		map[i % UPDATE_SIZE * 4] ^= 0xff;
		drmModeClip clip = {.x1 = 0, .y1 = 0, .x2 = UPDATE_SIZE, .y2 = UPDATE_SIZE};
		int64_t before = monotonic_ns();
		int ret = drmModeDirtyFB(fd, fb, &clip, 1);
		int64_t after = monotonic_ns();
		if (ret) {
			errno = -ret;
			fail("drmModeDirtyFB");
		}
		printf("%lld %lld\n", (long long)before, (long long)after);
		sleep_ms(10 + i * 7 % 21);
	}
	fflush(stdout);
	drmModeRmFB(fd, fb);
	munmap(map, size);
	drmModeDestroyDumbBuffer(fd, handle);
	drmModeFreeConnector(conn);
	drmModeFreeResources(res);
	close(fd);
	return 0;
}
