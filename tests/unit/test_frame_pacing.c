#include "check.h"
#include "frame_pacing.h"

#define MS 1000000LL

int main(void)
{
	CHECK_EQ_U(pb_refresh_period_ns(75000), 13333333);
	CHECK_EQ_U(pb_refresh_period_ns(60000), 16666666);
	CHECK_EQ_U(pb_refresh_period_ns(0), 16666666);

	int64_t period = pb_refresh_period_ns(75000);
	/* Keeping up: frames fall on an exact grid, whatever the rendering took. */
	int64_t due = 100 * MS;
	int64_t now = due + 5 * MS; /* 5 ms spent rendering and copying */
	int64_t next = pb_next_frame_ns(now, due, period);
	CHECK_EQ_U(next, due + period);
	CHECK_EQ_U(pb_timer_delay_ms(now, next), 9); /* 8.33 ms rounded up */
	/* 75 frames in a row take exactly one second of grid. */
	int64_t t = 0;
	for (int i = 0; i < 75; i++) {
		t = pb_next_frame_ns(t + 2 * MS, t, period);
	}
	CHECK(t >= 999999970 && t <= 1000000000);
	/* A slow frame (or an idle spell): due now, no burst to catch up. */
	now = due + 40 * MS;
	CHECK_EQ_U(pb_next_frame_ns(now, due, period), now);
	/* The timer never gets 0, which would disarm it. */
	CHECK_EQ_U(pb_timer_delay_ms(now, now), 1);
	CHECK_EQ_U(pb_timer_delay_ms(now, now - 5 * MS), 1);
	CHECK_EQ_U(pb_timer_delay_ms(now, now + MS + 1), 2);

	struct timespec ts = {.tv_sec = 2, .tv_nsec = 5};
	CHECK_EQ_U(pb_timespec_ns(&ts), 2000000005);
	return check_result("frame_pacing");
}
