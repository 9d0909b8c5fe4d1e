#ifndef PB_RESTART_BACKOFF_H
#define PB_RESTART_BACKOFF_H

#include <stdbool.h>
#include <stdint.h>

/* An application that ran less than this long when it ended has failed. */
#define PB_RAPID_FAILURE_MS 10000

/*
 * When to restart a kiosk application: at once-ish after a long run; after
 * a failure, a delay doubling from min_ms up to max_ms; after max_failures
 * failures in a row, the error screen, retrying every max_ms.
 */
struct pb_backoff {
	uint32_t min_ms, max_ms, max_failures;
	uint32_t delay_ms; /* the last delay */
	uint32_t failures; /* in a row */
};

struct pb_backoff_step {
	uint32_t delay_ms;
	uint32_t failures;
	bool error_screen;
};

void pb_backoff_init(struct pb_backoff *b, uint32_t min_ms, uint32_t max_ms, uint32_t max_failures);

/* The next restart, given how long the application ran before it ended. */
struct pb_backoff_step pb_backoff_next(struct pb_backoff *b, uint64_t runtime_ms);

#endif
