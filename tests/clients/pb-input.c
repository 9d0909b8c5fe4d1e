/*
 * Input for primebridge's tests: a uinput mouse and keyboard that the
 * kernel, udev and libinput treat like real ones.
 *
 *   pb-input move STEPS DX DY       moves STEPS times by (DX, DY), 10 ms apart
 *   pb-input alt-drag STEPS DX DY   the same with Alt and the left button held
 *   pb-input drag STEPS DX DY       the same with the left button held alone
 *   pb-input click                  presses and releases the left button
 *   pb-input alt-f4                 presses and releases Alt+F4
 *   pb-input ctrl-alt-backspace     presses and releases Ctrl+Alt+BackSpace
 *   pb-input keys CODE[+CODE...]... presses each chord of evdev key codes, in
 *                                   order, and releases it in reverse
 *   pb-input type SECONDS RATE      types a..z over and over, RATE characters a
 *                                   second, for SECONDS
 *   pb-input wander SECONDS RATE    moves the pointer RATE times a second for
 *                                   SECONDS, round a 200x200 square (right, down,
 *                                   left, up: it stays right of and below where it
 *                                   started), no buttons
 *   pb-input idle SECONDS           the devices are there for SECONDS, unused
 *
 * The devices appear, then a second passes for the compositor to open them,
 * and longer if it has not yet (a loaded machine), up to ten seconds.
 * type and wander keep to a timetable of absolute times, so their rate does not drift.
 */
#include <dirent.h>
#include <errno.h>
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

/* Sleeps until offset nanoseconds after start, on CLOCK_MONOTONIC. */
static void sleep_until(const struct timespec *start, long long offset)
{
	long long ns = (long long)start->tv_nsec + offset % 1000000000;
	struct timespec t = {
	        .tv_sec = start->tv_sec + (time_t)(offset / 1000000000) + (time_t)(ns / 1000000000),
	        .tv_nsec = (long)(ns % 1000000000)};
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) == EINTR) {
	}
}

/* The time of event k of a timetable at rate events a second, in nanoseconds from its start. */
static long long event_time(long k, double rate)
{
	return (long long)((double)k * 1e9 / rate + 0.5);
}

/* Whether a process holds node open. */
static bool held_open(const char *node)
{
	DIR *proc = opendir("/proc");
	bool held = false;
	for (struct dirent *p = proc ? readdir(proc) : NULL; p && !held; p = readdir(proc)) {
		char dir[288];
		snprintf(dir, sizeof(dir), "/proc/%s/fd", p->d_name);
		DIR *fds = p->d_name[0] >= '1' && p->d_name[0] <= '9' ? opendir(dir) : NULL;
		for (struct dirent *f = fds ? readdir(fds) : NULL; f && !held; f = readdir(fds)) {
			char link[576], target[288];
			snprintf(link, sizeof(link), "%s/%s", dir, f->d_name);
			ssize_t len = readlink(link, target, sizeof(target) - 1);
			target[len > 0 ? len : 0] = '\0';
			held = strcmp(target, node) == 0;
		}
		if (fds) {
			closedir(fds);
		}
	}
	if (proc) {
		closedir(proc);
	}
	return held;
}

/* Waits up to ten seconds for a process (the compositor's libinput) to open the device. */
static void wait_until_opened(int fd)
{
	char sysname[64], dir[128], node[288] = "";
	if (ioctl(fd, UI_GET_SYSNAME(sizeof(sysname)), sysname) < 0) {
		return;
	}
	snprintf(dir, sizeof(dir), "/sys/devices/virtual/input/%s", sysname);
	DIR *d = opendir(dir);
	for (struct dirent *e = d ? readdir(d) : NULL; e; e = readdir(d)) {
		if (strncmp(e->d_name, "event", 5) == 0) {
			snprintf(node, sizeof(node), "/dev/input/%s", e->d_name);
		}
	}
	if (d) {
		closedir(d);
	}
	for (int i = 0; node[0] && i < 90 && !held_open(node); i++) {
		sleep_ms(100);
	}
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
	wait_until_opened(fd);
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

/* Types a..z cyclically; each key is held for half the interval, at most 50 ms. */
static long type_letters(int fd, double seconds, double rate)
{
	static const unsigned short letters[26] = {KEY_A, KEY_B, KEY_C, KEY_D, KEY_E, KEY_F, KEY_G,
	        KEY_H, KEY_I, KEY_J, KEY_K, KEY_L, KEY_M, KEY_N, KEY_O, KEY_P, KEY_Q, KEY_R, KEY_S,
	        KEY_T, KEY_U, KEY_V, KEY_W, KEY_X, KEY_Y, KEY_Z};
	long long hold = event_time(1, rate) / 2;
	if (hold > 50000000) {
		hold = 50000000;
	}
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	long k = 0;
	for (; event_time(k, rate) < (long long)(seconds * 1e9); k++) {
		unsigned short code = letters[k % 26];
		sleep_until(&start, event_time(k, rate));
		emit(fd, EV_KEY, code, 1);
		sync_events(fd);
		sleep_until(&start, event_time(k, rate) + hold);
		emit(fd, EV_KEY, code, 0);
		sync_events(fd);
	}
	return k;
}

/*
 * Moves round a square of side 200: right, down, left, up, back where it started after each
 * round. The step (1 to 10 units) keeps the speed at or under 350 units a second where the rate
 * allows: libinput's default profile moves the pointer a pixel a unit between 70 and 400 units
 * a second, slower below and faster above.
 */
static long wander(int fd, double seconds, double rate)
{
	int step = (int)(350 / rate);
	step = step < 1 ? 1 : step > 10 ? 10 : step;
	long per_side = 200 / step;
	static const int dirs[4][2] = {{1, 0}, {0, 1}, {-1, 0}, {0, -1}};
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	long k = 0;
	for (; event_time(k, rate) < (long long)(seconds * 1e9); k++) {
		const int *dir = dirs[(k / per_side) % 4];
		sleep_until(&start, event_time(k, rate));
		if (dir[0] != 0) {
			emit(fd, EV_REL, REL_X, dir[0] * step);
		}
		if (dir[1] != 0) {
			emit(fd, EV_REL, REL_Y, dir[1] * step);
		}
		sync_events(fd);
	}
	return k;
}

/* A positive number no larger than max, or 0. */
static double parse_positive(const char *text, double max)
{
	char *end;
	double v = strtod(text, &end);
	return *text && !*end && v > 0 && v <= max ? v : 0;
}

int main(int argc, char *argv[])
{
	bool moving =
	        argc == 5 && (strcmp(argv[1], "move") == 0 || strcmp(argv[1], "alt-drag") == 0 ||
	                             strcmp(argv[1], "drag") == 0);
	bool chord = argc == 2 && (strcmp(argv[1], "alt-f4") == 0 ||
	                                  strcmp(argv[1], "ctrl-alt-backspace") == 0 ||
	                                  strcmp(argv[1], "click") == 0);
	bool keys = argc >= 3 && strcmp(argv[1], "keys") == 0;
	bool paced = argc == 4 && (strcmp(argv[1], "type") == 0 || strcmp(argv[1], "wander") == 0);
	bool idle = argc == 3 && strcmp(argv[1], "idle") == 0;
	double seconds = paced || idle ? parse_positive(argv[2], 86400) : 0;
	double rate = paced ? parse_positive(argv[3], 1000) : 0;
	if ((!moving && !chord && !keys && !paced && !idle) ||
	        (paced && (seconds == 0 || rate == 0)) || (idle && seconds == 0)) {
		fprintf(stderr, "usage: pb-input move|alt-drag|drag STEPS DX DY | "
		                "pb-input alt-f4|ctrl-alt-backspace|click | pb-input keys "
		                "CODE[+CODE...]... | "
		                "pb-input type|wander SECONDS RATE | pb-input idle SECONDS\n"
		                "(SECONDS up to 86400, RATE events a second up to 1000)\n");
		return 2;
	}
	int fd = create_device();
	if (idle) {
		sleep_ms((long)(seconds * 1000));
	} else if (paced && strcmp(argv[1], "type") == 0) {
		printf("pb-input: typed %ld characters\n", type_letters(fd, seconds, rate));
	} else if (paced) {
		printf("pb-input: %ld motions\n", wander(fd, seconds, rate));
	} else if (keys) {
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
	} else if (strcmp(argv[1], "click") == 0) {
		key(fd, BTN_LEFT, 1);
		key(fd, BTN_LEFT, 0);
		printf("pb-input: clicked\n");
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
		bool alt = strcmp(argv[1], "alt-drag") == 0;
		bool drag = alt || strcmp(argv[1], "drag") == 0;
		if (alt) {
			key(fd, KEY_LEFTALT, 1);
		}
		if (drag) {
			key(fd, BTN_LEFT, 1);
			/*
			 * libinput emulates the middle button on a mouse without one:
			 * it holds a lone left press up to 50 ms, and motion meanwhile
			 * would come before it.
			 */
			sleep_ms(100);
		}
		move(fd, steps, dx, dy);
		if (drag) {
			key(fd, BTN_LEFT, 0);
		}
		if (alt) {
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
