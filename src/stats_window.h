#ifndef PB_STATS_WINDOW_H
#define PB_STATS_WINDOW_H

#include <stddef.h>
#include <stdint.h>

/* Samples kept: about two seconds of frames at 60 Hz. */
#define PB_STATS_WINDOW_LEN 128

/*
 * The last samples of a duration (copy time, update latency), for the
 * median and the 99th percentile over that window. Fixed size: adding a
 * sample on the hot path allocates nothing.
 */
struct pb_stats_window {
	uint64_t samples[PB_STATS_WINDOW_LEN];
	size_t count; /* samples kept, at most PB_STATS_WINDOW_LEN */
	size_t next;  /* where the next sample goes */
};

void pb_stats_window_reset(struct pb_stats_window *w);
void pb_stats_window_add(struct pb_stats_window *w, uint64_t sample);

/*
 * The p-th percentile (0 to 100, nearest rank) of the window, or 0 when it
 * is empty. Sorts a copy: call it when reporting, not per frame.
 */
uint64_t pb_stats_window_percentile(const struct pb_stats_window *w, unsigned p);

#endif
