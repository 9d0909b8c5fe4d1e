#ifndef PB_FRAME_PACING_H
#define PB_FRAME_PACING_H

#include <stdint.h>
#include <time.h>

/* Nanoseconds between refreshes of a mode refreshing at refresh_mhz (0: 60 Hz). */
int64_t pb_refresh_period_ns(int32_t refresh_mhz);

/*
 * virtio-gpu has no vblank: a flip completes as soon as the host handles it.
 * Frames are held to one per refresh period, on a grid of exact periods so
 * that the average rate is the mode's: the next frame is due one period
 * after the previous one was due, or now when that has passed (after an
 * idle spell or a slow frame; no catching up in bursts). Nanoseconds.
 */
int64_t pb_next_frame_ns(int64_t now, int64_t last_frame, int64_t period_ns);

/* Milliseconds from now until `due`, rounded up, at least 1 (0 disarms a wl timer). */
int pb_timer_delay_ms(int64_t now, int64_t due);

int64_t pb_timespec_ns(const struct timespec *t);

/* CLOCK_MONOTONIC now, in nanoseconds: the clock of page-flip events and pacing. */
int64_t pb_monotonic_ns(void);

#endif
