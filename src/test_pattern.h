#ifndef PB_TEST_PATTERN_H
#define PB_TEST_PATTERN_H

#include <stdint.h>

#define PB_TEST_PATTERN_BARS 8

/* XRGB8888 colour of bar i, left to right: white, yellow, cyan, green, magenta, red, blue, black.
 */
uint32_t pb_test_pattern_color(unsigned bar);

/* First column of bar i in a width-pixel row; bar i spans [start(i), start(i+1)). */
uint32_t pb_test_pattern_bar_start(unsigned bar, uint32_t width);

/* Writes the eight bars into a width x height XRGB8888 image with the given stride. */
void pb_test_pattern_fill(uint8_t *pixels, uint32_t width, uint32_t height, uint32_t stride);

#endif
