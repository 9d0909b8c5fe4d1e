#include "check.h"
#include "frame_pacing.h"

int main(void)
{
	CHECK_EQ_U(pb_refresh_period_ns(75000), 13333333);
	CHECK_EQ_U(pb_refresh_period_ns(60000), 16666666);
	CHECK_EQ_U(pb_refresh_period_ns(0), 16666666);

	int64_t period = pb_refresh_period_ns(75000);
	struct timespec last = {.tv_sec = 100, .tv_nsec = 0};
	struct timespec now = last;
	/* Right after a frame: wait the whole period, rounded up to whole ms. */
	CHECK_EQ_U(pb_frame_delay_ms(&now, &last, period), 14);
	now.tv_nsec = 13000000;
	CHECK_EQ_U(pb_frame_delay_ms(&now, &last, period), 1);
	/* The period has passed (a slow frame): no wait. */
	now.tv_nsec = 20000000;
	CHECK_EQ_U(pb_frame_delay_ms(&now, &last, period), 0);
	/* Across a second boundary. */
	last = (struct timespec){.tv_sec = 5, .tv_nsec = 995000000};
	now = (struct timespec){.tv_sec = 6, .tv_nsec = 0};
	CHECK_EQ_U(pb_frame_delay_ms(&now, &last, period), 9);
	return check_result("frame_pacing");
}
