#include "copy_cpu.h"

#include <string.h>

void pb_copy_region_cpu(uint8_t *dst, size_t dst_stride, const uint8_t *src, size_t src_stride,
        const pixman_region32_t *region)
{
	int n = 0;
	const pixman_box32_t *boxes = pixman_region32_rectangles((pixman_region32_t *)region, &n);
	for (int i = 0; i < n; i++) {
		const pixman_box32_t *b = &boxes[i];
		size_t offset = (size_t)b->x1 * 4;
		size_t len = (size_t)(b->x2 - b->x1) * 4;
		for (int32_t y = b->y1; y < b->y2; y++) {
			memcpy(dst + (size_t)y * dst_stride + offset,
			        src + (size_t)y * src_stride + offset, len);
		}
	}
}
