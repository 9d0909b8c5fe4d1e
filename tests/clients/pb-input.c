/*
 * Input for primebridge's tests: a uinput mouse and keyboard that the
 * kernel, udev and libinput treat like real ones.
 *
 *   pb-input move STEPS DX DY       moves STEPS times by (DX, DY), 10 ms apart
 *   pb-input alt-drag STEPS DX DY   the same with Alt and the left button held
 *   pb-input alt-f4                 presses and releases Alt+F4
 *   pb-input ctrl-alt-backspace     presses and releases Ctrl+Alt+BackSpace
 *
 * The devices appear, then a second passes for the compositor to open them.
 */
#include <fcntl.h>
#include <linux/uinput.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void emit(int fd, unsigned short type, unsigned short code, int value)
{
	struct input_event ev = {.type = type, .code = code, .value = value};
	if (write(fd, &ev, sizeof(ev)) != (ssize_t)sizeof(ev)) {
		perror("pb-input: write");
		exit(1);
	}
}

static void sync_events(int fd)
{
	emit(fd, EV_SYN, SYN_REPORT, 0);
}

static void sleep_ms(long ms)
{
	struct timespec t = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000};
	nanosleep(&t, NULL);
}

static int create_device(void)
{
	int fd = open("/dev/uinput", O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		perror("pb-input: /dev/uinput");
		exit(1);
	}
	ioctl(fd, UI_SET_EVBIT, EV_KEY);
	ioctl(fd, UI_SET_KEYBIT, BTN_LEFT);
	ioctl(fd, UI_SET_KEYBIT, BTN_RIGHT);
	/* The keys of a keyboard, so that udev and libinput call it one. */
	for (int key = KEY_ESC; key <= KEY_F12; key++) {
		ioctl(fd, UI_SET_KEYBIT, key);
	}
	ioctl(fd, UI_SET_KEYBIT, KEY_LEFTMETA);
	ioctl(fd, UI_SET_EVBIT, EV_REL);
	ioctl(fd, UI_SET_RELBIT, REL_X);
	ioctl(fd, UI_SET_RELBIT, REL_Y);
	struct uinput_setup setup = {
	        .id = {.bustype = BUS_USB, .vendor = 0x1234, .product = 0x5678}};
	snprintf(setup.name, sizeof(setup.name), "pb-input");
	if (ioctl(fd, UI_DEV_SETUP, &setup) != 0 || ioctl(fd, UI_DEV_CREATE) != 0) {
		perror("pb-input: creating the device");
		exit(1);
	}
	sleep_ms(1000);
	return fd;
}

static void key(int fd, int code, int value)
{
	emit(fd, EV_KEY, (unsigned short)code, value);
	sync_events(fd);
	sleep_ms(20);
}

static void move(int fd, int steps, int dx, int dy)
{
	for (int i = 0; i < steps; i++) {
		emit(fd, EV_REL, REL_X, dx);
		emit(fd, EV_REL, REL_Y, dy);
		sync_events(fd);
		sleep_ms(10);
	}
}

int main(int argc, char *argv[])
{
	bool moving =
	        argc == 5 && (strcmp(argv[1], "move") == 0 || strcmp(argv[1], "alt-drag") == 0);
	bool chord = argc == 2 &&
	             (strcmp(argv[1], "alt-f4") == 0 || strcmp(argv[1], "ctrl-alt-backspace") == 0);
	bool keys = argc >= 3 && strcmp(argv[1], "keys") == 0;
	if (!moving && !chord && !keys) {
		fprintf(stderr,
		        "usage: pb-input move|alt-drag STEPS DX DY | "
		        "pb-input alt-f4|ctrl-alt-backspace | pb-input keys CODE[+CODE...]...\n");
		return 2;
	}
	int fd = create_device();
	if (keys) {
		/* Each argument is a chord of evdev key codes: pressed in order, released in
		 * reverse. */
		for (int i = 2; i < argc; i++) {
			int codes[8], count = 0;
			for (char *part = strtok(argv[i], "+"); part && count < 8;
			        part = strtok(NULL, "+")) {
				codes[count++] = atoi(part);
			}
			for (int k = 0; k < count; k++) {
				key(fd, codes[k], 1);
			}
			for (int k = count - 1; k >= 0; k--) {
				key(fd, codes[k], 0);
			}
		}
		printf("pb-input: pressed %d key chords\n", argc - 2);
	} else if (strcmp(argv[1], "alt-f4") == 0) {
		key(fd, KEY_LEFTALT, 1);
		key(fd, KEY_F4, 1);
		key(fd, KEY_F4, 0);
		key(fd, KEY_LEFTALT, 0);
		printf("pb-input: pressed Alt+F4\n");
	} else if (strcmp(argv[1], "ctrl-alt-backspace") == 0) {
		key(fd, KEY_LEFTCTRL, 1);
		key(fd, KEY_LEFTALT, 1);
		key(fd, KEY_BACKSPACE, 1);
		key(fd, KEY_BACKSPACE, 0);
		key(fd, KEY_LEFTALT, 0);
		key(fd, KEY_LEFTCTRL, 0);
		printf("pb-input: pressed Ctrl+Alt+BackSpace\n");
	} else {
		int steps = atoi(argv[2]), dx = atoi(argv[3]), dy = atoi(argv[4]);
		bool drag = strcmp(argv[1], "alt-drag") == 0;
		if (drag) {
			key(fd, KEY_LEFTALT, 1);
			key(fd, BTN_LEFT, 1);
		}
		move(fd, steps, dx, dy);
		if (drag) {
			key(fd, BTN_LEFT, 0);
			key(fd, KEY_LEFTALT, 0);
		}
		printf("pb-input: %s %d times by (%d, %d)\n", drag ? "dragged" : "moved", steps, dx,
		        dy);
	}
	sleep_ms(200);
	ioctl(fd, UI_DEV_DESTROY);
	close(fd);
	return 0;
}
