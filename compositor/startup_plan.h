#ifndef PB_STARTUP_PLAN_H
#define PB_STARTUP_PLAN_H

#include <wlr/render/allocator.h>
#include <wlr/render/wlr_renderer.h>

#include "config.h"
#include "copy_gpu.h"
#include "device_select.h"
#include "egl_import.h"
#include "kms_device.h"
#include "linear_buffer.h"
#include "login_session.h"
#include "path_choice.h"
#include "virtgpu_caps.h"

/*
 * What start-up decides before anything is shown, made one way for the
 * compositor, --probe and --test-pattern, so that what --probe reports is
 * what the compositor does.
 */
struct pb_startup_plan {
	struct pb_device_selection sel;
	int display_fd;           /* through the login session; -1 until opened */
	bool allow_atomic;        /* PRIMEBRIDGE_NO_ATOMIC=1 forbids atomic commits */
	struct pb_kms_device kms; /* the display device's KMS resources */
	struct pb_virtgpu_caps caps;
	bool virtio_gpu; /* the caps were read: the display device is a virtio-gpu */

	/* From pb_startup_plan_choose_path(): */
	struct pb_buffer_layout buffer_layout; /* the linear buffer tried */
	enum pb_buffer_kind buffer_kind;
	char buffer_error[256]; /* why it could not be allocated; empty when it could */
	bool import_tried;
	struct pb_egl_import_result import;
	enum pb_copy_path path;
	char why[512];
	int render_fd;                   /* -1 on the cpu path */
	struct wlr_renderer *renderer;   /* for the path: gles2 on the render device, or pixman */
	struct wlr_allocator *allocator; /* only where wlroots' cannot serve the render node */
	struct pb_gpu_copier gpu;        /* the gpu path's */
};

/*
 * Selects the display and render devices, opens the display device through
 * the login session and reads its KMS resources and virtio-gpu capabilities. False,
 * nothing left open, when no display can be used: err says why, or is empty
 * when the login session has said it already.
 */
bool pb_startup_plan_open(struct pb_startup_plan *plan, struct pb_login_session *login,
        const struct pb_config *cfg, char *err, size_t len);

/*
 * Decides the copy path for real: allocates a linear buffer at the first
 * connected output's mode, tries the render device's import of it (in a
 * child, pb_egl_import_check), and makes the path's renderer and, where
 * needed, allocator. A path that cannot start on the render device falls
 * back to the cpu path, why saying so. renderer is NULL only when not even
 * pixman's could be made.
 */
void pb_startup_plan_choose_path(struct pb_startup_plan *plan, const struct pb_config *cfg);

/*
 * The render device was lost mid-session: its fd closes and the plan says
 * cpu, with why. Its renderer and allocator were handed on and are not
 * touched.
 */
void pb_startup_plan_forget_render_device(struct pb_startup_plan *plan, const char *why);

/* Destroys the renderer and allocator still held (not handed on to a compositor). */
void pb_startup_plan_drop_engines(struct pb_startup_plan *plan);

/* Closes the device fds; the renderer and allocator are their owners' to destroy. */
void pb_startup_plan_release(struct pb_startup_plan *plan, struct pb_login_session *login);

#endif
