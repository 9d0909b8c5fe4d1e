#include "crtc_assign.h"

/* Depth-first search: outputs are few (a VM has at most 16 connectors). */
static bool assign_from(const uint32_t *possible, size_t count, size_t crtc_count, size_t index,
        uint32_t used, int *crtc_for)
{
	if (index == count) {
		return true;
	}
	if (possible[index] == 0) {
		crtc_for[index] = -1;
		return assign_from(possible, count, crtc_count, index + 1, used, crtc_for);
	}
	for (size_t c = 0; c < crtc_count && c < 32; c++) {
		uint32_t bit = 1u << c;
		if ((possible[index] & bit) && !(used & bit)) {
			crtc_for[index] = (int)c;
			if (assign_from(
			            possible, count, crtc_count, index + 1, used | bit, crtc_for)) {
				return true;
			}
		}
	}
	return false;
}

bool pb_assign_crtcs(const uint32_t *possible_crtcs, size_t count, size_t crtc_count, int *crtc_for)
{
	return assign_from(possible_crtcs, count, crtc_count, 0, 0, crtc_for);
}

int pb_free_crtc(uint32_t possible_crtcs, uint32_t used_crtcs, size_t crtc_count)
{
	uint32_t free_crtcs = possible_crtcs & ~used_crtcs;
	for (size_t c = 0; c < crtc_count && c < 32; c++) {
		if (free_crtcs & (1u << c)) {
			return (int)c;
		}
	}
	return -1;
}
