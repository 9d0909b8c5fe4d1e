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
 *   pb-input swipe COUNT            a touchpad; three fingers swipe right COUNT
 *                                   times, a second apart
 *   pb-input pen X0 Y0 X1 Y1 STEPS...
 *                                   a drawing tablet; on each SIGUSR1 its pen draws
 *                                   the next stroke: comes near at (X0, Y0), touches
 *                                   down, draws to (X1, Y1) in STEPS steps 10 ms
 *                                   apart, lifts and goes away; positions in
 *                                   thousandths of the tablet's width and height.
 *                                   A signal lets a test wait until clients were
 *                                   told of the tablet (libinput reads libwacom's
 *                                   database first: seconds in the guest).
 *
 * pen makes a tablet of its own (libinput tells tablets by their pen tool).
 * The devices appear, then it waits until the compositor has set them up.
 * type and wander keep to a timetable of absolute times, so their rate does not drift.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/uinput.h>
#include <signal.h>
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

/*
 * Whether the compositor holds node open: a process other than ours, udev's
 * (its rules open devices briefly) and the seat manager's (seatd or logind
 * open devices for the compositor, a moment before it has them).
 */
static bool held_open(const char *node)
{
	bool held = false;
	DIR *procs = opendir("/proc");
	for (struct dirent *proc; !held && procs && (proc = readdir(procs));) {
		pid_t pid = (pid_t)atoi(proc->d_name);
		if (pid <= 0 || pid == getpid()) {
			continue;
		}
		char path[300], comm[64] = "";
		snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
		DIR *fds = opendir(path);
		for (struct dirent *fd; !held && fds && (fd = readdir(fds));) {
			char link[300], target[300];
			snprintf(link, sizeof(link), "/proc/%d/fd/%s", (int)pid, fd->d_name);
			ssize_t len = readlink(link, target, sizeof(target) - 1);
			if (len <= 0) {
				continue;
			}
			target[len] = '\0';
			held = strcmp(target, node) == 0;
		}
		if (fds) {
			closedir(fds);
		}
		if (held) {
			snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
			FILE *f = fopen(path, "r");
			if (f && fgets(comm, sizeof(comm), f)) {
				held = !strstr(comm, "udev") && !strstr(comm, "seatd") &&
				       !strstr(comm, "logind");
			}
			if (f) {
				fclose(f);
			}
		}
	}
	if (procs) {
		closedir(procs);
	}
	return held;
}

/*
 * Waits until the compositor has the device open, and a little more:
 * libinput opens a device only once udev is done with it, which takes from a
 * fraction of a second to several under load in the guest, so no fixed sleep
 * fits; it then drops what the device sent before it set it up, right after
 * opening it. (A keyboard's LEDs would say exactly when wlroots has it, but
 * the console's keyboard handler sets them first.) Tests of tablets wait
 * for clients to be told of the tablet too (wayland-info), since libinput
 * reads libwacom's database before it announces one. Gives up after 20 s,
 * saying so.
 */
static void wait_opened(int fd)
{
	char sysname[64], node[300] = "";
	if (ioctl(fd, UI_GET_SYSNAME(sizeof(sysname)), sysname) < 0) {
		perror("pb-input: UI_GET_SYSNAME");
		exit(1);
	}
	char dir_path[128];
	snprintf(dir_path, sizeof(dir_path), "/sys/devices/virtual/input/%s", sysname);
	DIR *dir = opendir(dir_path);
	for (struct dirent *entry; dir && (entry = readdir(dir));) {
		if (strncmp(entry->d_name, "event", 5) == 0) {
			snprintf(node, sizeof(node), "/dev/input/%s", entry->d_name);
		}
	}
	if (dir) {
		closedir(dir);
	}
	for (int waited_ms = 0; node[0] && waited_ms < 20000; waited_ms += 50) {
		if (held_open(node)) {
			sleep_ms(300);
			return;
		}
		sleep_ms(50);
	}
	fprintf(stderr, "pb-input: nothing opened %s's event node within 20 s; going on\n",
	        sysname);
}

static int open_uinput(void)
{
	int fd = open("/dev/uinput", O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		perror("pb-input: /dev/uinput");
		exit(1);
	}
	return fd;
}

/* Creates the device set up on fd and returns once the compositor has it. */
static void make_device(int fd, unsigned short product, const char *name)
{
	struct uinput_setup setup = {
	        .id = {.bustype = BUS_USB, .vendor = 0x1234, .product = product}};
	snprintf(setup.name, sizeof(setup.name), "%s", name);
	if (ioctl(fd, UI_DEV_SETUP, &setup) != 0 || ioctl(fd, UI_DEV_CREATE) != 0) {
		perror("pb-input: creating the device");
		exit(1);
	}
	wait_opened(fd);
}

static int create_device(void)
{
	int fd = open_uinput();
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
	make_device(fd, 0x5678, "pb-input");
	return fd;
}

#define TABLET_UNITS    10000
#define PEN_PRESSURE    600
#define TOUCHPAD_WIDTH  1200
#define TOUCHPAD_HEIGHT 800

/* An absolute axis from 0 to max, resolution units a millimetre. */
static void add_axis(int fd, unsigned short code, int max, int resolution)
{
	ioctl(fd, UI_SET_EVBIT, EV_ABS);
	ioctl(fd, UI_SET_ABSBIT, code);
	struct uinput_abs_setup abs = {
	        .code = code, .absinfo = {.maximum = max, .resolution = resolution}};
	if (ioctl(fd, UI_ABS_SETUP, &abs) != 0) {
		perror("pb-input: setting up an axis");
		exit(1);
	}
}

/* A pen tablet as libinput accepts one: absolute axes with a resolution, a pen tool. */
static int create_tablet(void)
{
	int fd = open_uinput();
	ioctl(fd, UI_SET_EVBIT, EV_KEY);
	ioctl(fd, UI_SET_KEYBIT, BTN_TOOL_PEN);
	ioctl(fd, UI_SET_KEYBIT, BTN_TOUCH);
	ioctl(fd, UI_SET_KEYBIT, BTN_STYLUS);
	ioctl(fd, UI_SET_PROPBIT, INPUT_PROP_POINTER);
	add_axis(fd, ABS_X, TABLET_UNITS, 40);
	add_axis(fd, ABS_Y, TABLET_UNITS, 40);
	add_axis(fd, ABS_PRESSURE, 1023, 0);
	make_device(fd, 0x5679, "pb-input pen tablet");
	return fd;
}

static void pen_at(int fd, int x, int y)
{
	emit(fd, EV_ABS, ABS_X, x * TABLET_UNITS / 1000);
	emit(fd, EV_ABS, ABS_Y, y * TABLET_UNITS / 1000);
}

static void pen_stroke(int fd, int x0, int y0, int x1, int y1, int steps)
{
	pen_at(fd, x0, y0);
	emit(fd, EV_KEY, BTN_TOOL_PEN, 1);
	sync_events(fd);
	/*
	 * Never 50 ms near the tablet without an event: libinput then takes the
	 * pen for gone (its proximity-out quirk) and drops the stroke.
	 */
	sleep_ms(10);
	emit(fd, EV_KEY, BTN_TOUCH, 1);
	emit(fd, EV_ABS, ABS_PRESSURE, PEN_PRESSURE);
	sync_events(fd);
	for (int i = 1; i <= steps; i++) {
		sleep_ms(10);
		pen_at(fd, x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps);
		sync_events(fd);
	}
	emit(fd, EV_KEY, BTN_TOUCH, 0);
	emit(fd, EV_ABS, ABS_PRESSURE, 0);
	sync_events(fd);
	sleep_ms(10);
	emit(fd, EV_KEY, BTN_TOOL_PEN, 0);
	sync_events(fd);
}

/* A clickpad as libinput accepts one: three-slot multitouch with a resolution. */
static int create_touchpad(void)
{
	int fd = open_uinput();
	ioctl(fd, UI_SET_EVBIT, EV_KEY);
	static const unsigned short keys[] = {
	        BTN_LEFT, BTN_TOUCH, BTN_TOOL_FINGER, BTN_TOOL_DOUBLETAP, BTN_TOOL_TRIPLETAP};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		ioctl(fd, UI_SET_KEYBIT, keys[i]);
	}
	ioctl(fd, UI_SET_PROPBIT, INPUT_PROP_POINTER);
	ioctl(fd, UI_SET_PROPBIT, INPUT_PROP_BUTTONPAD);
	add_axis(fd, ABS_X, TOUCHPAD_WIDTH, 12);
	add_axis(fd, ABS_Y, TOUCHPAD_HEIGHT, 12);
	add_axis(fd, ABS_MT_SLOT, 2, 0);
	add_axis(fd, ABS_MT_TRACKING_ID, 65535, 0);
	add_axis(fd, ABS_MT_POSITION_X, TOUCHPAD_WIDTH, 12);
	add_axis(fd, ABS_MT_POSITION_Y, TOUCHPAD_HEIGHT, 12);
	make_device(fd, 0x567a, "pb-input touchpad");
	return fd;
}

/* Three fingers down on the left, 60 units apart, moved right together, lifted. */
static void swipe(int fd, int tracking_id)
{
	for (int frame = 0; frame <= 20; frame++) {
		for (int finger = 0; finger < 3; finger++) {
			emit(fd, EV_ABS, ABS_MT_SLOT, finger);
			if (frame == 0) {
				emit(fd, EV_ABS, ABS_MT_TRACKING_ID, tracking_id + finger);
			}
			emit(fd, EV_ABS, ABS_MT_POSITION_X, 200 + frame * 30);
			emit(fd, EV_ABS, ABS_MT_POSITION_Y, 300 + finger * 60);
		}
		if (frame == 0) {
			emit(fd, EV_KEY, BTN_TOUCH, 1);
			emit(fd, EV_KEY, BTN_TOOL_TRIPLETAP, 1);
		}
		emit(fd, EV_ABS, ABS_X, 200 + frame * 30);
		emit(fd, EV_ABS, ABS_Y, 300);
		sync_events(fd);
		sleep_ms(10);
	}
	for (int finger = 0; finger < 3; finger++) {
		emit(fd, EV_ABS, ABS_MT_SLOT, finger);
		emit(fd, EV_ABS, ABS_MT_TRACKING_ID, -1);
	}
	emit(fd, EV_KEY, BTN_TOUCH, 0);
	emit(fd, EV_KEY, BTN_TOOL_TRIPLETAP, 0);
	sync_events(fd);
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
	bool pen = argc >= 7 && (argc - 2) % 5 == 0 && strcmp(argv[1], "pen") == 0;
	int swipes = argc == 3 && strcmp(argv[1], "swipe") == 0 ? atoi(argv[2]) : 0;
	double seconds = paced || idle ? parse_positive(argv[2], 86400) : 0;
	double rate = paced ? parse_positive(argv[3], 1000) : 0;
	if ((!moving && !chord && !keys && !paced && !idle && !pen && swipes <= 0) ||
	        (paced && (seconds == 0 || rate == 0)) || (idle && seconds == 0)) {
		fprintf(stderr, "usage: pb-input move|alt-drag|drag STEPS DX DY | "
		                "pb-input alt-f4|ctrl-alt-backspace|click | pb-input keys "
		                "CODE[+CODE...]... | "
		                "pb-input type|wander SECONDS RATE | pb-input idle SECONDS | "
		                "pb-input pen X0 Y0 X1 Y1 STEPS... | pb-input swipe COUNT\n"
		                "(SECONDS up to 86400, RATE events a second up to 1000)\n");
		return 2;
	}
	int fd = pen ? create_tablet() : swipes ? create_touchpad() : create_device();
	if (swipes) {
		/* A margin for libinput to finish setting the touchpad up (quirks, size). */
		sleep_ms(2000);
		for (int i = 0; i < swipes; i++) {
			swipe(fd, 10 * i + 1);
			sleep_ms(1000);
		}
		printf("pb-input: swiped %d times\n", swipes);
	} else if (pen) {
		sigset_t usr1;
		sigemptyset(&usr1);
		sigaddset(&usr1, SIGUSR1);
		sigprocmask(SIG_BLOCK, &usr1, NULL);
		for (int i = 2; i < argc; i += 5) {
			int sig;
			sigwait(&usr1, &sig);
			pen_stroke(fd, atoi(argv[i]), atoi(argv[i + 1]), atoi(argv[i + 2]),
			        atoi(argv[i + 3]), atoi(argv[i + 4]) > 0 ? atoi(argv[i + 4]) : 1);
			printf("pb-input: drew pen stroke %d\n", (i - 2) / 5 + 1);
			fflush(stdout);
		}
	} else if (idle) {
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
