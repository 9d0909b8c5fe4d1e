#include "restart_backoff.h"

void pb_backoff_init(struct pb_backoff *b, uint32_t min_ms, uint32_t max_ms, uint32_t max_failures)
{
	/* A maximum below the minimum means the minimum throughout. */
	*b = (struct pb_backoff){
	        .min_ms = min_ms,
	        .max_ms = max_ms < min_ms ? min_ms : max_ms,
	        .max_failures = max_failures ? max_failures : 1,
	};
}

struct pb_backoff_step pb_backoff_next(struct pb_backoff *b, uint64_t runtime_ms)
{
	if (runtime_ms >= PB_RAPID_FAILURE_MS) {
		b->failures = 0;
		b->delay_ms = b->min_ms;
		return (struct pb_backoff_step){.delay_ms = b->delay_ms};
	}
	b->failures++;
	if (b->failures == 1) {
		b->delay_ms = b->min_ms;
	} else {
		uint64_t doubled = (uint64_t)b->delay_ms * 2;
		b->delay_ms = doubled > b->max_ms ? b->max_ms : (uint32_t)doubled;
	}
	bool error_screen = b->failures >= b->max_failures;
	if (error_screen) {
		b->delay_ms = b->max_ms;
	}
	return (struct pb_backoff_step){
	        .delay_ms = b->delay_ms,
	        .failures = b->failures,
	        .error_screen = error_screen,
	};
}
