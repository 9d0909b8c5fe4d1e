#include "damage_clips.h"

static struct drm_clip_rect clip_of(const pixman_box32_t *b)
{
	return (struct drm_clip_rect){
	        .x1 = (unsigned short)b->x1,
	        .y1 = (unsigned short)b->y1,
	        .x2 = (unsigned short)b->x2,
	        .y2 = (unsigned short)b->y2,
	};
}

static uint64_t box_area(const pixman_box32_t *b)
{
	return (uint64_t)(b->x2 - b->x1) * (uint64_t)(b->y2 - b->y1);
}

size_t pb_damage_clips(
        const pixman_region32_t *region, struct drm_clip_rect *clips, size_t max, uint64_t *area)
{
	int n = 0;
	const pixman_box32_t *boxes = pixman_region32_rectangles((pixman_region32_t *)region, &n);
	*area = 0;
	if (n <= 0 || max == 0) {
		return 0;
	}
	if ((size_t)n > max) {
		const pixman_box32_t *ext = pixman_region32_extents((pixman_region32_t *)region);
		clips[0] = clip_of(ext);
		*area = box_area(ext);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		clips[i] = clip_of(&boxes[i]);
		*area += box_area(&boxes[i]);
	}
	return (size_t)n;
}

uint64_t pb_region_area(const pixman_region32_t *region)
{
	int n = 0;
	const pixman_box32_t *boxes = pixman_region32_rectangles((pixman_region32_t *)region, &n);
	uint64_t area = 0;
	for (int i = 0; i < n; i++) {
		area += box_area(&boxes[i]);
	}
	return area;
}

uint64_t pb_damage_merged_area(const struct drm_clip_rect *clips, size_t count)
{
	if (count == 0) {
		return 0;
	}
	struct drm_clip_rect box = clips[0];
	for (size_t i = 1; i < count; i++) {
		const struct drm_clip_rect *c = &clips[i];
		box.x1 = c->x1 < box.x1 ? c->x1 : box.x1;
		box.y1 = c->y1 < box.y1 ? c->y1 : box.y1;
		box.x2 = c->x2 > box.x2 ? c->x2 : box.x2;
		box.y2 = c->y2 > box.y2 ? c->y2 : box.y2;
	}
	return (uint64_t)(box.x2 - box.x1) * (uint64_t)(box.y2 - box.y1);
}

bool pb_damage_send_separately(const struct drm_clip_rect *clips, size_t count, uint64_t area)
{
	/* Each update costs a blocking commit: split only when it halves the transfer. */
	return count > 1 && count <= PB_MAX_SEPARATE_UPDATES &&
	       pb_damage_merged_area(clips, count) > 2 * area;
}
