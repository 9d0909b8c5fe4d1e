#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "test_pattern.h"

static void check_pattern(uint32_t width, uint32_t height, uint32_t stride)
{
	uint8_t *pixels = malloc((size_t)stride * height);
	memset(pixels, 0xaa, (size_t)stride * height);
	pb_test_pattern_fill(pixels, width, height, stride);
	const uint32_t expected[8] = {
	        0xffffff, 0xffff00, 0x00ffff, 0x00ff00, 0xff00ff, 0xff0000, 0x0000ff, 0x000000};
	uint32_t min_w = UINT32_MAX, max_w = 0;
	for (unsigned bar = 0; bar < 8; bar++) {
		uint32_t start = pb_test_pattern_bar_start(bar, width);
		uint32_t end = pb_test_pattern_bar_start(bar + 1, width);
		min_w = end - start < min_w ? end - start : min_w;
		max_w = end - start > max_w ? end - start : max_w;
		CHECK_EQ_U(pb_test_pattern_color(bar), expected[bar]);
		/* Every pixel of the bar, on rows spread over the height. */
		for (uint32_t y = 0; y < height; y += height > 4 ? height / 4 : 1) {
			for (uint32_t x = start; x < end; x++) {
				uint32_t px;
				memcpy(&px, pixels + (size_t)y * stride + (size_t)x * 4, 4);
				CHECK_EQ_U(px, expected[bar]);
			}
		}
	}
	CHECK(max_w - min_w <= 1); /* equal widths, to the pixel */
	CHECK_EQ_U(pb_test_pattern_bar_start(8, width), width);
	/* The stride padding is left alone. */
	if (stride > width * 4) {
		CHECK(pixels[(size_t)width * 4] == 0xaa);
	}
	free(pixels);
}

int main(void)
{
	check_pattern(1280, 800, 5120);
	check_pattern(1366, 768, 5632);
	check_pattern(8, 1, 256);
	/* Narrower than eight bars: some are empty, the others still right. */
	check_pattern(3, 1, 256);
	return check_result("test_pattern");
}
