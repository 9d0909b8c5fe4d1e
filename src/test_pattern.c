#include "test_pattern.h"

#include <string.h>

/* Full-intensity colours: a screendump must show exactly 0 or 255 per channel. */
static const uint32_t bar_colors[PB_TEST_PATTERN_BARS] = {
        0xffffff,
        0xffff00,
        0x00ffff,
        0x00ff00,
        0xff00ff,
        0xff0000,
        0x0000ff,
        0x000000,
};

uint32_t pb_test_pattern_color(unsigned bar)
{
	return bar < PB_TEST_PATTERN_BARS ? bar_colors[bar] : 0;
}

uint32_t pb_test_pattern_bar_start(unsigned bar, uint32_t width)
{
	return (uint32_t)(((uint64_t)bar * width) / PB_TEST_PATTERN_BARS);
}

void pb_test_pattern_fill(uint8_t *pixels, uint32_t width, uint32_t height, uint32_t stride)
{
	if (height == 0) {
		return;
	}
	uint32_t *row = (uint32_t *)pixels;
	for (unsigned bar = 0; bar < PB_TEST_PATTERN_BARS; bar++) {
		uint32_t end = pb_test_pattern_bar_start(bar + 1, width);
		for (uint32_t x = pb_test_pattern_bar_start(bar, width); x < end; x++) {
			row[x] = bar_colors[bar];
		}
	}
	for (uint32_t y = 1; y < height; y++) {
		memcpy(pixels + (size_t)y * stride, pixels, (size_t)width * 4);
	}
}
