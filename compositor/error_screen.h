#ifndef PB_ERROR_SCREEN_H
#define PB_ERROR_SCREEN_H

#include <stddef.h>
#include <wlr/types/wlr_scene.h>

/*
 * A plain full-output message drawn with cairo and shown as a scene buffer
 * above everything: what the kiosk shows instead of a black screen.
 */
struct pb_error_screen;

struct pb_error_screen *pb_error_screen_create(struct wlr_scene_tree *parent, int width, int height,
        const char *const *lines, size_t line_count);
void pb_error_screen_destroy(struct pb_error_screen *screen);

#endif
