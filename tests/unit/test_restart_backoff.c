#include "check.h"
#include "restart_backoff.h"

int main(void)
{
	struct pb_backoff b;
	pb_backoff_init(&b, 500, 30000, 5);
	/* Crashing at once: 500, 1000, 2000, 4000, then the error screen at the maximum. */
	const uint32_t expected[] = {500, 1000, 2000, 4000, 30000, 30000};
	for (int i = 0; i < 6; i++) {
		struct pb_backoff_step s = pb_backoff_next(&b, 10);
		CHECK_EQ_U(s.delay_ms, expected[i]);
		CHECK_EQ_U(s.failures, (unsigned)i + 1);
		CHECK(s.error_screen == (i >= 4));
	}
	/* A long run resets everything. */
	struct pb_backoff_step s = pb_backoff_next(&b, PB_RAPID_FAILURE_MS);
	CHECK(s.delay_ms == 500 && s.failures == 0 && !s.error_screen);
	s = pb_backoff_next(&b, 9999);
	CHECK(s.delay_ms == 500 && s.failures == 1);

	/* Doubling stops at the maximum before the error screen. */
	pb_backoff_init(&b, 1000, 3000, 10);
	CHECK_EQ_U(pb_backoff_next(&b, 0).delay_ms, 1000);
	CHECK_EQ_U(pb_backoff_next(&b, 0).delay_ms, 2000);
	CHECK_EQ_U(pb_backoff_next(&b, 0).delay_ms, 3000);
	CHECK_EQ_U(pb_backoff_next(&b, 0).delay_ms, 3000);

	/* Nonsense settings stay safe. */
	pb_backoff_init(&b, 2000, 100, 0);
	s = pb_backoff_next(&b, 0);
	CHECK(s.delay_ms == 2000 && s.error_screen);
	return check_result("restart_backoff");
}
