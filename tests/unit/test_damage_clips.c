#include "check.h"
#include "damage_clips.h"

int main(void)
{
	struct drm_clip_rect clips[PB_MAX_DAMAGE_CLIPS];
	uint64_t area = 0;
	pixman_region32_t r;
	pixman_region32_init(&r);

	CHECK_EQ_U(pb_damage_clips(&r, clips, PB_MAX_DAMAGE_CLIPS, &area), 0);
	CHECK_EQ_U(area, 0);

	/* Two small changes far apart: two clips, sent as two updates. */
	pixman_region32_union_rect(&r, &r, 0, 0, 10, 10);
	pixman_region32_union_rect(&r, &r, 1000, 700, 20, 10);
	size_t n = pb_damage_clips(&r, clips, PB_MAX_DAMAGE_CLIPS, &area);
	CHECK_EQ_U(n, 2);
	CHECK_EQ_U(area, 100 + 200);
	CHECK(clips[1].x1 == 1000 && clips[1].y1 == 700 && clips[1].x2 == 1020 &&
	        clips[1].y2 == 710);
	CHECK_EQ_U(pb_damage_merged_area(clips, n), 1020ull * 710);
	CHECK(pb_damage_send_separately(clips, n, area));

	/* Two halves of one rectangle: one update, the box is no bigger. */
	pixman_region32_fini(&r);
	pixman_region32_init_rect(&r, 0, 0, 100, 50);
	pixman_region32_union_rect(&r, &r, 0, 50, 50, 50);
	n = pb_damage_clips(&r, clips, PB_MAX_DAMAGE_CLIPS, &area);
	CHECK_EQ_U(n, 2);
	CHECK(!pb_damage_send_separately(clips, n, area));

	/* More rectangles than DIRTYFB takes: their bounding box. */
	pixman_region32_clear(&r);
	for (int i = 0; i < 300; i++) {
		pixman_region32_union_rect(&r, &r, i * 4, i, 2, 1);
	}
	n = pb_damage_clips(&r, clips, PB_MAX_DAMAGE_CLIPS, &area);
	CHECK_EQ_U(n, 1);
	CHECK(clips[0].x1 == 0 && clips[0].y1 == 0 && clips[0].x2 == 299 * 4 + 2 &&
	        clips[0].y2 == 300);
	CHECK_EQ_U(area, (299ull * 4 + 2) * 300);

	/* Too many separate rectangles: one merged update. */
	pixman_region32_clear(&r);
	for (int i = 0; i < PB_MAX_SEPARATE_UPDATES + 1; i++) {
		pixman_region32_union_rect(&r, &r, i * 100, i * 50, 2, 2);
	}
	n = pb_damage_clips(&r, clips, PB_MAX_DAMAGE_CLIPS, &area);
	CHECK(!pb_damage_send_separately(clips, n, area));

	pixman_region32_fini(&r);
	return check_result("damage_clips");
}
