#ifndef PB_DAMAGE_RING_H
#define PB_DAMAGE_RING_H

#include <pixman.h>
#include <stdbool.h>
#include <stdint.h>

/* Frames remembered; a buffer last written longer ago gets a full copy. */
#define PB_DAMAGE_RING_LEN 8

/*
 * The damage of an output's last frames, so that a linear buffer that missed
 * some of them is brought up to date with exactly what changed since it was
 * last written (its "copy region"), not the whole frame.
 */
struct pb_damage_ring {
	int32_t width, height;
	uint64_t seq; /* frames pushed so far; frame n's damage is frames[n % LEN] */
	pixman_region32_t frames[PB_DAMAGE_RING_LEN];
};

void pb_damage_ring_init(struct pb_damage_ring *ring, int32_t width, int32_t height);
void pb_damage_ring_finish(struct pb_damage_ring *ring);
/* Forgets the history, e.g. after a mode change: every buffer is stale. */
void pb_damage_ring_reset(struct pb_damage_ring *ring, int32_t width, int32_t height);

/*
 * Records the damage of a new frame (clipped to the output) and returns
 * its sequence number, counting from 1.
 */
uint64_t pb_damage_ring_push(struct pb_damage_ring *ring, const pixman_region32_t *damage);

/*
 * The copy region of a buffer that last received frame written_seq (0: never
 * written), for the newest pushed frame: the union of the damage of every
 * later frame, or the whole output when that history is no longer kept.
 */
void pb_damage_ring_copy_region(
        const struct pb_damage_ring *ring, uint64_t written_seq, pixman_region32_t *out);

#endif
