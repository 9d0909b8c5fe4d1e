#include "check.h"
#include "stats_window.h"

int main(void)
{
	struct pb_stats_window w;
	pb_stats_window_reset(&w);
	CHECK_EQ_U(pb_stats_window_percentile(&w, 50), 0);

	/* 1..100 in a scrambled order. */
	for (uint64_t i = 0; i < 100; i++) {
		pb_stats_window_add(&w, (i * 37) % 100 + 1);
	}
	CHECK_EQ_U(pb_stats_window_percentile(&w, 50), 50);
	CHECK_EQ_U(pb_stats_window_percentile(&w, 99), 99);
	CHECK_EQ_U(pb_stats_window_percentile(&w, 100), 100);
	CHECK_EQ_U(pb_stats_window_percentile(&w, 0), 1);

	/* The window keeps the newest samples: old large ones fall out. */
	for (int i = 0; i < PB_STATS_WINDOW_LEN; i++) {
		pb_stats_window_add(&w, 7);
	}
	CHECK_EQ_U(w.count, PB_STATS_WINDOW_LEN);
	CHECK_EQ_U(pb_stats_window_percentile(&w, 99), 7);
	pb_stats_window_add(&w, 1000);
	CHECK_EQ_U(pb_stats_window_percentile(&w, 50), 7);
	CHECK_EQ_U(pb_stats_window_percentile(&w, 100), 1000);

	pb_stats_window_reset(&w);
	pb_stats_window_add(&w, 5);
	CHECK_EQ_U(pb_stats_window_percentile(&w, 99), 5);
	return check_result("stats_window");
}
