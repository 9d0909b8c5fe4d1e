#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "copy_cpu.h"

#define W          300
#define H          200
#define SRC_STRIDE (W * 4)
#define DST_STRIDE 1280 /* ALIGN(W * 4, 256) */

int main(void)
{
	uint8_t *src = malloc(SRC_STRIDE * H);
	uint8_t *dst = malloc(DST_STRIDE * H);
	for (size_t i = 0; i < SRC_STRIDE * H; i++) {
		src[i] = (uint8_t)(i * 7 + 3);
	}
	memset(dst, 0xee, DST_STRIDE * H);

	pixman_region32_t r;
	pixman_region32_init_rect(&r, 10, 20, 30, 5);
	pixman_region32_union_rect(&r, &r, 290, 199, 10, 1); /* the last pixels */
	pb_copy_region_cpu(dst, DST_STRIDE, src, SRC_STRIDE, &r);

	int wrong = 0, copied = 0;
	for (int y = 0; y < H; y++) {
		for (int x = 0; x < W; x++) {
			bool inside = pixman_region32_contains_point(&r, x, y, NULL);
			for (int b = 0; b < 4; b++) {
				uint8_t got = dst[y * DST_STRIDE + x * 4 + b];
				uint8_t want = inside ? src[y * SRC_STRIDE + x * 4 + b] : 0xee;
				wrong += got != want;
			}
			copied += inside;
		}
		/* The stride padding is never written. */
		for (int b = W * 4; b < DST_STRIDE; b++) {
			wrong += dst[y * DST_STRIDE + b] != 0xee;
		}
	}
	CHECK_EQ_U(wrong, 0);
	CHECK_EQ_U(copied, 30 * 5 + 10);

	pixman_region32_fini(&r);
	free(src);
	free(dst);
	return check_result("copy_cpu");
}
