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

int pb_frame_delay_ms(
        const struct timespec *now, const struct timespec *last_frame, int64_t period_ns)
{
	int64_t wait = pb_timespec_ns(last_frame) + period_ns - pb_timespec_ns(now);
	if (wait <= 0) {
		return 0;
	}
	return (int)((wait + 999999) / 1000000);
}
