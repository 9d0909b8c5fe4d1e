#ifndef PB_DAMAGE_CLIPS_H
#define PB_DAMAGE_CLIPS_H

#include <pixman.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xf86drm.h>

/*
 * The kernel takes at most this many clip rectangles per DIRTYFB
 * (DRM_MODE_FB_DIRTY_MAX_CLIPS); more are sent as their bounding box.
 */
#define PB_MAX_DAMAGE_CLIPS 256

/*
 * Turns a region into DRM clip rectangles (x1,y1 inclusive, x2,y2
 * exclusive) for DIRTYFB and FB_DAMAGE_CLIPS. Returns the count written,
 * and the pixels they cover in *area.
 */
size_t pb_damage_clips(
        const pixman_region32_t *region, struct drm_clip_rect *clips, size_t max, uint64_t *area);

/*
 * virtio-gpu merges the clips of one update into their bounding box before
 * it transfers and flushes. Where that box is much larger than the clips
 * (two small changes far apart), each clip is better sent in an update of
 * its own, up to this many updates per frame.
 */
#define PB_MAX_SEPARATE_UPDATES 8

/* Pixels in the bounding box of the clips: what one update of them sends. */
uint64_t pb_damage_merged_area(const struct drm_clip_rect *clips, size_t count);

/*
 * Whether to send the clips (covering `area` pixels) one update each
 * rather than in one update.
 */
bool pb_damage_send_separately(const struct drm_clip_rect *clips, size_t count, uint64_t area);

/* Pixels covered by a region (its rectangles do not overlap). */
uint64_t pb_region_area(const pixman_region32_t *region);

#endif
