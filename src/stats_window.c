#include "stats_window.h"

#include <stdlib.h>
#include <string.h>

void pb_stats_window_reset(struct pb_stats_window *w)
{
	w->count = 0;
	w->next = 0;
}

void pb_stats_window_add(struct pb_stats_window *w, uint64_t sample)
{
	w->samples[w->next] = sample;
	w->next = (w->next + 1) % PB_STATS_WINDOW_LEN;
	if (w->count < PB_STATS_WINDOW_LEN) {
		w->count++;
	}
}

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

uint64_t pb_stats_window_percentile(const struct pb_stats_window *w, unsigned p)
{
	if (w->count == 0) {
		return 0;
	}
	uint64_t sorted[PB_STATS_WINDOW_LEN];
	memcpy(sorted, w->samples, w->count * sizeof(sorted[0]));
	qsort(sorted, w->count, sizeof(sorted[0]), compare_u64);
	if (p > 100) {
		p = 100;
	}
	/* Nearest rank: the smallest sample with at least p% of them at or below it. */
	size_t rank = (p * w->count + 99) / 100;
	return sorted[rank == 0 ? 0 : rank - 1];
}
