#ifndef PB_BRIDGE_SETUP_H
#define PB_BRIDGE_SETUP_H

#include <wlr/backend.h>

#include "config.h"
#include "login_session.h"
#include "startup_plan.h"

/* The devices and engines the compositor runs on, decided once at start-up. */
struct pb_bridge_setup {
	struct pb_startup_plan plan; /* its renderer and allocator are the compositor's */
	struct wlr_backend *bridge;
};

/*
 * Makes the start-up plan (devices, copy path, renderer) and reports the
 * path in one line, then creates the bridge backend and the frames'
 * allocator. A path on the render device that fails at any step falls back
 * to the cpu path with one warning. Returns false with the reason logged
 * when nothing can be shown.
 */
bool pb_bridge_setup(struct pb_bridge_setup *setup, struct wl_display *display,
        struct pb_login_session *login, const struct pb_config *cfg);

/* The display device in use. */
static inline const struct pb_drm_device *pb_bridge_setup_display_device(
        const struct pb_bridge_setup *setup)
{
	return &setup->plan.sel.devices[setup->plan.sel.display];
}

/* The render device in use: NULL on the cpu path. */
static inline const struct pb_drm_device *pb_bridge_setup_render_device(
        const struct pb_bridge_setup *setup)
{
	const struct pb_startup_plan *plan = &setup->plan;
	return pb_copy_path_on_render_device(plan->path) ? &plan->sel.devices[plan->sel.render]
	                                                 : NULL;
}

/* Releases the device fds (the backend, renderer and allocator are destroyed by their owners). */
void pb_bridge_setup_release(struct pb_bridge_setup *setup, struct pb_login_session *login);

#endif
