#include "buffer_layout.h"

#define PB_MAX_DIMENSION 16384u

static bool is_power_of_two(uint64_t v)
{
	return v != 0 && (v & (v - 1)) == 0;
}

static uint64_t align_up(uint64_t v, uint64_t alignment)
{
	return (v + alignment - 1) & ~(alignment - 1);
}

bool pb_stride_align_valid(uint32_t stride_align)
{
	return is_power_of_two(stride_align) && stride_align >= PB_BYTES_PER_PIXEL &&
	       stride_align <= 4096;
}

bool pb_buffer_layout_compute(uint32_t width, uint32_t height, uint32_t stride_align,
        uint32_t page_size, struct pb_buffer_layout *out)
{
	if (width == 0 || height == 0 || width > PB_MAX_DIMENSION || height > PB_MAX_DIMENSION) {
		return false;
	}
	if (!pb_stride_align_valid(stride_align) || !is_power_of_two(page_size)) {
		return false;
	}
	uint64_t stride = align_up((uint64_t)width * PB_BYTES_PER_PIXEL, stride_align);
	uint64_t rows = align_up(height, PB_ROW_ALIGN);
	*out = (struct pb_buffer_layout){
	        .width = width,
	        .height = height,
	        .stride = (uint32_t)stride,
	        .stride_align = stride_align,
	        .rows = (uint32_t)rows,
	        .size = align_up(stride * rows, page_size),
	        .dumb_width = (uint32_t)(stride / PB_BYTES_PER_PIXEL),
	};
	return true;
}
