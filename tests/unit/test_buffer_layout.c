#include <stdint.h>

#include "buffer_layout.h"
#include "check.h"

/* The model: walk up one unit at a time until the rule holds. */
static uint64_t brute_round_up(uint64_t v, uint64_t multiple)
{
	uint64_t r = 0;
	while (r < v) {
		r += multiple;
	}
	return r;
}

static void check_against_model(uint32_t w, uint32_t h, uint32_t align, uint32_t page)
{
	struct pb_buffer_layout l;
	CHECK(pb_buffer_layout_compute(w, h, align, page, &l));
	uint64_t stride = brute_round_up((uint64_t)w * 4, align);
	uint64_t rows = brute_round_up(h, 16);
	CHECK_EQ_U(l.stride, stride);
	CHECK_EQ_U(l.rows, rows);
	CHECK_EQ_U(l.size, brute_round_up(stride * rows, page));
	CHECK_EQ_U(l.dumb_width * 4ull, l.stride);
	CHECK_EQ_U(l.width, w);
	CHECK_EQ_U(l.height, h);
	CHECK(l.stride % align == 0 && l.stride >= w * 4ull && l.stride - w * 4ull < align);
	CHECK(l.size % page == 0 && l.size >= (uint64_t)l.stride * l.rows);
}

int main(void)
{
	const uint32_t widths[] = {1, 2, 63, 64, 65, 640, 800, 1024, 1280, 1366, 1440, 1600, 1920,
	        2560, 3440, 3840, 5120, 7680};
	const uint32_t heights[] = {
	        1, 3, 15, 16, 17, 480, 599, 768, 800, 1079, 1080, 1081, 1440, 2160, 4319, 4320};
	const uint32_t aligns[] = {4, 64, 256, 512, 4096};
	const uint32_t pages[] = {4096, 16384, 65536};
	for (size_t a = 0; a < sizeof(aligns) / sizeof(aligns[0]); a++) {
		for (size_t p = 0; p < sizeof(pages) / sizeof(pages[0]); p++) {
			for (size_t w = 0; w < sizeof(widths) / sizeof(widths[0]); w++) {
				for (size_t h = 0; h < sizeof(heights) / sizeof(heights[0]); h++) {
					check_against_model(
					        widths[w], heights[h], aligns[a], pages[p]);
				}
			}
		}
	}

	/* Figures from the design brief and the platform notes. */
	struct pb_buffer_layout l;
	CHECK(pb_buffer_layout_compute(1366, 768, 256, 4096, &l));
	CHECK_EQ_U(l.stride, 5632);
	CHECK_EQ_U(l.dumb_width, 1408);
	CHECK(pb_buffer_layout_compute(1920, 1081, 256, 4096, &l));
	CHECK_EQ_U(l.stride, 7680);
	CHECK_EQ_U(l.rows, 1088);

	/* Refused: zero or huge dimensions, alignments that are no power of two or too small. */
	CHECK(!pb_buffer_layout_compute(0, 768, 256, 4096, &l));
	CHECK(!pb_buffer_layout_compute(1366, 0, 256, 4096, &l));
	CHECK(!pb_buffer_layout_compute(16385, 16, 256, 4096, &l));
	CHECK(!pb_buffer_layout_compute(64, 64, 100, 4096, &l));
	CHECK(!pb_buffer_layout_compute(64, 64, 2, 4096, &l));
	CHECK(!pb_buffer_layout_compute(64, 64, 8192, 4096, &l));
	CHECK(!pb_buffer_layout_compute(64, 64, 256, 1000, &l));
	CHECK(pb_stride_align_valid(256) && !pb_stride_align_valid(0) &&
	        !pb_stride_align_valid(96));
	return check_result("buffer_layout");
}
