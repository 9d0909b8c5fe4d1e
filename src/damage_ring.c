#include "damage_ring.h"

void pb_damage_ring_init(struct pb_damage_ring *ring, int32_t width, int32_t height)
{
	ring->width = width;
	ring->height = height;
	ring->seq = 0;
	for (int i = 0; i < PB_DAMAGE_RING_LEN; i++) {
		pixman_region32_init(&ring->frames[i]);
	}
}

void pb_damage_ring_finish(struct pb_damage_ring *ring)
{
	for (int i = 0; i < PB_DAMAGE_RING_LEN; i++) {
		pixman_region32_fini(&ring->frames[i]);
	}
}

void pb_damage_ring_reset(struct pb_damage_ring *ring, int32_t width, int32_t height)
{
	ring->width = width;
	ring->height = height;
	ring->seq = 0;
	for (int i = 0; i < PB_DAMAGE_RING_LEN; i++) {
		pixman_region32_clear(&ring->frames[i]);
	}
}

uint64_t pb_damage_ring_push(struct pb_damage_ring *ring, const pixman_region32_t *damage)
{
	ring->seq++;
	pixman_region32_t *slot = &ring->frames[ring->seq % PB_DAMAGE_RING_LEN];
	pixman_region32_intersect_rect(slot, (pixman_region32_t *)damage, 0, 0,
	        (unsigned)ring->width, (unsigned)ring->height);
	return ring->seq;
}

void pb_damage_ring_copy_region(
        const struct pb_damage_ring *ring, uint64_t written_seq, pixman_region32_t *out)
{
	/*
	 * A buffer written at or after the newest frame (impossible unless the
	 * caller mixed up outputs) or too long ago gets everything.
	 */
	bool known = written_seq != 0 && written_seq < ring->seq &&
	             ring->seq - written_seq <= PB_DAMAGE_RING_LEN;
	if (!known) {
		pixman_region32_fini(out);
		pixman_region32_init_rect(out, 0, 0, (unsigned)ring->width, (unsigned)ring->height);
		return;
	}
	pixman_region32_clear(out);
	for (uint64_t s = written_seq + 1; s <= ring->seq; s++) {
		pixman_region32_union(
		        out, out, (pixman_region32_t *)&ring->frames[s % PB_DAMAGE_RING_LEN]);
	}
}
