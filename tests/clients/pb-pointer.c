/*
 * A pointer for primebridge's tests: a uinput mouse the kernel, udev and
 * libinput treat like a real one.
 *
 *   pb-pointer STEPS DX DY   after a second for the compositor to find it,
 *                            moves STEPS times by (DX, DY) every 10 ms
 */
#include <fcntl.h>
#include <linux/uinput.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void emit(int fd, unsigned short type, unsigned short code, int value)
{
	struct input_event ev = {.type = type, .code = code, .value = value};
	if (write(fd, &ev, sizeof(ev)) != (ssize_t)sizeof(ev)) {
		perror("pb-pointer: write");
		exit(1);
	}
}

static void sleep_ms(long ms)
{
	struct timespec t = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000};
	nanosleep(&t, NULL);
}

int main(int argc, char *argv[])
{
	if (argc != 4) {
		fprintf(stderr, "usage: pb-pointer STEPS DX DY\n");
		return 2;
	}
	int steps = atoi(argv[1]), dx = atoi(argv[2]), dy = atoi(argv[3]);
	int fd = open("/dev/uinput", O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		perror("pb-pointer: /dev/uinput");
		return 1;
	}
	ioctl(fd, UI_SET_EVBIT, EV_KEY);
	ioctl(fd, UI_SET_KEYBIT, BTN_LEFT);
	ioctl(fd, UI_SET_KEYBIT, BTN_RIGHT);
	ioctl(fd, UI_SET_EVBIT, EV_REL);
	ioctl(fd, UI_SET_RELBIT, REL_X);
	ioctl(fd, UI_SET_RELBIT, REL_Y);
	struct uinput_setup setup = {
	        .id = {.bustype = BUS_USB, .vendor = 0x1234, .product = 0x5678}};
	snprintf(setup.name, sizeof(setup.name), "pb-pointer");
	if (ioctl(fd, UI_DEV_SETUP, &setup) != 0 || ioctl(fd, UI_DEV_CREATE) != 0) {
		perror("pb-pointer: creating the device");
		return 1;
	}
	sleep_ms(1000);
	for (int i = 0; i < steps; i++) {
		emit(fd, EV_REL, REL_X, dx);
		emit(fd, EV_REL, REL_Y, dy);
		emit(fd, EV_SYN, SYN_REPORT, 0);
		sleep_ms(10);
	}
	sleep_ms(200);
	ioctl(fd, UI_DEV_DESTROY);
	close(fd);
	printf("pb-pointer: moved %d times by (%d, %d)\n", steps, dx, dy);
	return 0;
}
