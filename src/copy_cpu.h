#ifndef PB_COPY_CPU_H
#define PB_COPY_CPU_H

#include <pixman.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The CPU copy engine: for each rectangle of the region, copies its rows of
 * 4-byte pixels from the rendered frame into the linear buffer's mapping.
 * Both images have the same size; rectangles must lie inside them.
 */
void pb_copy_region_cpu(uint8_t *dst, size_t dst_stride, const uint8_t *src, size_t src_stride,
        const pixman_region32_t *region);

#endif
