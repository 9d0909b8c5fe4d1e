#ifndef PB_FRAME_PACING_H
#define PB_FRAME_PACING_H

#include <stdint.h>
#include <time.h>

/* Nanoseconds between refreshes of a mode refreshing at refresh_mhz (0: 60 Hz). */
int64_t pb_refresh_period_ns(int32_t refresh_mhz);

/*
 * virtio-gpu has no vblank: a flip completes as soon as the host handles it.
 * Frames are held to one per refresh period: returns the milliseconds (at
 * least 0, rounded up) from now until the next frame may start, given when
 * the previous one started.
 */
int pb_frame_delay_ms(
        const struct timespec *now, const struct timespec *last_frame, int64_t period_ns);

int64_t pb_timespec_ns(const struct timespec *t);

#endif
