#include "frame_pacing.h"

int64_t pb_refresh_period_ns(int32_t refresh_mhz)
{
	if (refresh_mhz <= 0) {
		refresh_mhz = 60000;
	}
	return 1000000000000LL / refresh_mhz;
}

int64_t pb_timespec_ns(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000000LL + t->tv_nsec;
}

int64_t pb_monotonic_ns(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return pb_timespec_ns(&now);
}

int64_t pb_next_frame_ns(int64_t now, int64_t last_frame, int64_t period_ns)
{
	int64_t due = last_frame + period_ns;
	return due > now ? due : now;
}

int pb_timer_delay_ms(int64_t now, int64_t due)
{
	int64_t wait = due - now;
	if (wait <= 1000000) {
		return 1;
	}
	return (int)((wait + 999999) / 1000000);
}
