#ifndef PB_BRIDGE_SETUP_H
#define PB_BRIDGE_SETUP_H

#include <wlr/backend.h>
#include <wlr/render/allocator.h>
#include <wlr/render/wlr_renderer.h>

#include "config.h"
#include "copy_gpu.h"
#include "drm_device.h"
#include "path_choice.h"
#include "seat.h"

/* The devices and engines the compositor runs on, decided once at start-up. */
struct pb_bridge_setup {
	int display_fd; /* through the seat */
	int render_fd;  /* -1 on the CPU path */
	enum pb_copy_path path;
	struct wlr_backend *bridge;
	struct wlr_renderer *renderer;
	struct wlr_allocator *allocator; /* the frames the renderer composes into */
	struct pb_gpu_copier gpu;        /* valid on the GPU path */
	struct pb_drm_device display_device;
	struct pb_drm_device render_device; /* valid on the GPU path */
};

/*
 * Selects the display and render devices, decides the copy path (trying
 * the render device's import of a linear buffer for real) and reports it in
 * one line, then creates the bridge backend, the renderer and the frames'
 * allocator. A GPU path
 * that fails at any step falls back to the CPU path with one warning.
 * Returns false with the reason logged when nothing can be shown.
 */
bool pb_bridge_setup(struct pb_bridge_setup *setup, struct wl_display *display,
        struct pb_seat *login, const struct pb_config *cfg);

/* Releases the device fds (the backend, renderer and allocator are destroyed by their owners). */
void pb_bridge_setup_release(struct pb_bridge_setup *setup, struct pb_seat *login);

#endif
