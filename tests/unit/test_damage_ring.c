#include "check.h"
#include "damage_clips.h"
#include "damage_ring.h"

static uint64_t area(pixman_region32_t *r)
{
	return pb_region_area(r);
}

static void push_rect(struct pb_damage_ring *ring, int x, int y, unsigned w, unsigned h)
{
	pixman_region32_t d;
	pixman_region32_init_rect(&d, x, y, w, h);
	pb_damage_ring_push(ring, &d);
	pixman_region32_fini(&d);
}

int main(void)
{
	struct pb_damage_ring ring;
	pixman_region32_t out;
	pixman_region32_init(&out);
	pb_damage_ring_init(&ring, 1280, 800);

	/* A buffer never written gets the whole output. */
	push_rect(&ring, 10, 10, 20, 20);
	pb_damage_ring_copy_region(&ring, 0, &out);
	CHECK_EQ_U(area(&out), 1280 * 800);

	/* Written at the previous frame: this frame's damage only. */
	push_rect(&ring, 100, 100, 10, 10);
	pb_damage_ring_copy_region(&ring, 1, &out);
	CHECK_EQ_U(area(&out), 100);
	CHECK(pixman_region32_contains_point(&out, 105, 105, NULL));

	/* Two frames behind (a flip set of three): the union of both frames. */
	push_rect(&ring, 200, 0, 5, 4);
	pb_damage_ring_copy_region(&ring, 1, &out);
	CHECK_EQ_U(area(&out), 100 + 20);

	/* Overlapping damage is counted once. */
	push_rect(&ring, 100, 100, 20, 10);
	pb_damage_ring_copy_region(&ring, 2, &out);
	CHECK_EQ_U(area(&out), 20 + 200);

	/* Damage outside the output is clipped. */
	push_rect(&ring, 1270, 790, 100, 100);
	pb_damage_ring_copy_region(&ring, 4, &out);
	CHECK_EQ_U(area(&out), 100);

	/* Older than the history kept: whole output again. */
	for (int i = 0; i < PB_DAMAGE_RING_LEN; i++) {
		push_rect(&ring, 0, 0, 1, 1);
	}
	uint64_t newest = ring.seq;
	pb_damage_ring_copy_region(&ring, newest - PB_DAMAGE_RING_LEN - 1, &out);
	CHECK_EQ_U(area(&out), 1280 * 800);
	pb_damage_ring_copy_region(&ring, newest - PB_DAMAGE_RING_LEN, &out);
	CHECK_EQ_U(area(&out), 1);
	/* Written at the newest frame already: nothing known to copy, so everything. */
	pb_damage_ring_copy_region(&ring, newest, &out);
	CHECK_EQ_U(area(&out), 1280 * 800);

	/* A mode change forgets everything. */
	pb_damage_ring_reset(&ring, 640, 480);
	push_rect(&ring, 0, 0, 10, 10);
	pb_damage_ring_copy_region(&ring, newest, &out);
	CHECK_EQ_U(area(&out), 640 * 480);

	pb_damage_ring_finish(&ring);
	pixman_region32_fini(&out);
	return check_result("damage_ring");
}
