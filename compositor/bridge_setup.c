#include "bridge_setup.h"

#include <wlr/render/allocator.h>
#include <wlr/util/log.h>

#include "bridge_backend.h"

/* A start-up that failed part-way: everything made so far goes, whatever step failed. */
static void abandon(struct pb_bridge_setup *setup, struct pb_login_session *login)
{
	if (setup->bridge) {
		wlr_backend_destroy(setup->bridge);
		setup->bridge = NULL;
	}
	pb_startup_plan_drop_engines(&setup->plan);
	pb_bridge_setup_release(setup, login);
}

static void log_path(const struct pb_startup_plan *plan, const struct pb_config *cfg)
{
	const char *render =
	        plan->sel.render >= 0 ? plan->sel.devices[plan->sel.render].render_node : NULL;
	/* A user who did not ask for the CPU to copy hears why it does. */
	if (plan->path == PB_COPY_CPU && render && cfg->copy != PB_COPY_PREFER_CPU) {
		wlr_log(WLR_ERROR,
		        "Warning: composing and copying frames on the CPU, not on %s: %s", render,
		        plan->why);
	} else if (plan->path == PB_COPY_READBACK && cfg->copy != PB_COPY_PREFER_READBACK) {
		wlr_log(WLR_ERROR, "Warning: the CPU reads frames back from %s: %s", render,
		        plan->why);
	} else {
		wlr_log(WLR_INFO, "Copy path: %s (%s)", pb_copy_path_name(plan->path), plan->why);
	}
}

bool pb_bridge_setup(struct pb_bridge_setup *setup, struct wl_display *display,
        struct pb_login_session *login, const struct pb_config *cfg)
{
	*setup = (struct pb_bridge_setup){0};
	struct pb_startup_plan *plan = &setup->plan;
	char err[512];
	if (!pb_startup_plan_open(plan, login, cfg, err, sizeof(err))) {
		if (err[0]) {
			wlr_log(WLR_ERROR, "%s", err);
		}
		return false;
	}
	pb_startup_plan_choose_path(plan, cfg);
	log_path(plan, cfg);
	if (!plan->renderer) {
		wlr_log(WLR_ERROR, "Cannot create the %s renderer", pb_copy_path_name(plan->path));
		abandon(setup, login);
		return false;
	}
	struct pb_bridge_options options = {
	        .display_fd = plan->display_fd,
	        .render_fd = plan->render_fd,
	        .copy_path = plan->path,
	        .copy_reason = plan->why,
	        .host_update = cfg->host_update,
	        .stride_alignment = cfg->stride_alignment,
	        .kms = &plan->kms,
	        .caps = plan->virtio_gpu ? &plan->caps : NULL,
	        .direct_copy = cfg->direct_copy,
	        .session = login->session,
	        .display_device = pb_login_session_device(login, plan->display_fd),
	};
	setup->bridge = pb_bridge_backend_create(display, &options);
	if (!setup->bridge) {
		abandon(setup, login);
		return false;
	}
	if (!plan->allocator) {
		/* The render node's frames (or the CPU path's) are wlroots' to allocate. */
		plan->allocator = wlr_allocator_autocreate(setup->bridge, plan->renderer);
	}
	if (!plan->allocator) {
		wlr_log(WLR_ERROR, "Cannot allocate frame buffers for the %s path",
		        pb_copy_path_name(plan->path));
		abandon(setup, login);
		return false;
	}
	pb_bridge_backend_set_renderer(
	        setup->bridge, plan->renderer, plan->path == PB_COPY_GPU ? &plan->gpu : NULL);
	const struct pb_drm_device *shown = pb_bridge_setup_display_device(setup);
	const struct pb_drm_device *render = pb_bridge_setup_render_device(setup);
	if (render) {
		wlr_log(WLR_INFO, "Display device %s (%s), render device %s (%s, %s EGL device)",
		        shown->primary_node, shown->driver, render->render_node, render->driver,
		        pb_egl_device_name(cfg->egl_device));
	} else {
		wlr_log(WLR_INFO, "Display device %s (%s)", shown->primary_node, shown->driver);
	}
	return true;
}

void pb_bridge_setup_release(struct pb_bridge_setup *setup, struct pb_login_session *login)
{
	pb_startup_plan_release(&setup->plan, login);
}
