#ifndef PB_DEVICE_RANK_H
#define PB_DEVICE_RANK_H

#include <stddef.h>

#include "drm_device.h"

/*
 * Choosing the display and render devices from what discovery found.
 * Pure logic: no device is opened here, so recorded machines can be tested.
 */

/* How well a device serves as render device; 0 means it cannot. */
int pb_render_score(const struct pb_drm_device *dev);

/*
 * Index of the display device: the first virtio-gpu with a primary node and a
 * connected connector. -1 when there is none.
 */
int pb_rank_display(const struct pb_drm_device *devs, size_t count);

/*
 * Index of the render device: the best-scoring device other than the display
 * that has a render node, the earliest one on a tie. -1 when none qualifies
 * (then the CPU path renders).
 */
int pb_rank_render(const struct pb_drm_device *devs, size_t count, int display);

/* Index of the device owning node path (primary or render), or -1. */
int pb_find_device_by_node(const struct pb_drm_device *devs, size_t count, const char *node);

#endif
