#ifndef PB_OUTPUT_CONFIG_H
#define PB_OUTPUT_CONFIG_H

#include <stdbool.h>
#include <wlr/types/wlr_output.h>

#include "config.h"

struct pb_output;
struct pb_server;

/* The output's mode of that size (and rate within 0.5 Hz; 0: any), or NULL. */
struct wlr_output_mode *pb_output_find_mode(
        struct wlr_output *wlr_output, int32_t width, int32_t height, int32_t refresh_mhz);

/*
 * The mode an output section asks for, or the connector's preferred one when
 * none is configured or the connector lacks it (said in the log).
 */
struct wlr_output_mode *pb_output_configured_mode(
        struct wlr_output *wlr_output, const struct pb_output_config *oc);

/*
 * Applies the configuration's settings for these outputs (mode, scale,
 * transform, on or off, position in the layout) in one commit of them all.
 * False when they were refused, which the log says; they keep their state.
 */
bool pb_output_apply_config(struct pb_server *server, struct pb_output *const *outputs,
        size_t count, const struct pb_config *cfg);

#endif
