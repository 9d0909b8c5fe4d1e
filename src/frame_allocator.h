#ifndef PB_FRAME_ALLOCATOR_H
#define PB_FRAME_ALLOCATOR_H

#include <wlr/render/allocator.h>

/*
 * The frames the render device composes into, allocated with GBM on the DRM
 * node given, and handed to the renderer as dma-bufs.
 *
 * wlroots' own GBM allocator always reopens the render node, and vgem (the
 * test guest's stand-in for a dGPU) refuses dumb buffers there: the
 * stand-in allocates on vgem's card node through this one. A real render
 * device keeps wlroots' allocator.
 *
 * Takes drm_fd, closing it with the allocator (or at once on failure).
 */
struct wlr_allocator *pb_frame_allocator_create(int drm_fd);

/*
 * Whether GBM allocates a frame on the DRM node of drm_fd, as wlroots' own
 * allocator would there. vgem's render node does not.
 */
bool pb_frame_allocator_node_allocates(int drm_fd);

#endif
