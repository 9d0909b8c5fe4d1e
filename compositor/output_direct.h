#ifndef PB_OUTPUT_DIRECT_H
#define PB_OUTPUT_DIRECT_H

#include <stdbool.h>
#include <wlr/types/wlr_scene.h>

#include "output.h"

/*
 * The surface whose buffer can be the output's whole frame: opaque, exactly
 * covering the output, untransformed, with nothing drawn above it. NULL when
 * the frame must be composed.
 */
struct wlr_scene_surface *pb_direct_surface(struct pb_output *output);

/*
 * Commits the surface's buffer as the output's frame, with the damage already
 * set. False when the output refuses it (nothing shown): compose instead.
 */
bool pb_direct_commit(struct pb_output *output, struct wlr_scene_surface *surface);

#endif
