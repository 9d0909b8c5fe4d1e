#ifndef PB_BUFFER_LAYOUT_H
#define PB_BUFFER_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

#define PB_BYTES_PER_PIXEL      4u
#define PB_DEFAULT_STRIDE_ALIGN 256u
#define PB_ROW_ALIGN            16u

/*
 * Memory layout of one linear XRGB8888 scanout buffer. The render GPU
 * imports it, so its stride and padded size must satisfy the strictest
 * importer (AMD: stride ALIGN(w*4, 256), rows padded to 16).
 */
struct pb_buffer_layout {
	uint32_t width, height; /* visible size, pixels */
	uint32_t stride;        /* bytes per row */
	uint32_t stride_align;  /* the importer's stride alignment, bytes */
	uint32_t rows;          /* allocated rows, >= height */
	uint64_t size;          /* bytes, a multiple of the page size */
	uint32_t dumb_width;    /* pixels per row of a dumb buffer with this stride */
};

/* A stride alignment is valid when it is a power of two from 4 to 4096. */
bool pb_stride_align_valid(uint32_t stride_align);

/*
 * Fills *out for a width x height buffer. Returns false when a dimension is
 * zero, the alignment or page size is invalid, or the size overflows.
 */
bool pb_buffer_layout_compute(uint32_t width, uint32_t height, uint32_t stride_align,
        uint32_t page_size, struct pb_buffer_layout *out);

#endif
