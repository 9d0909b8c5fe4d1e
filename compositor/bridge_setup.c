#include "bridge_setup.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <wlr/render/gles2.h>
#include <wlr/render/pixman.h>
#include <wlr/util/log.h>

#include "bridge_backend.h"
#include "copy_gpu.h"
#include "device_select.h"
#include "egl_import.h"
#include "linear_buffer.h"
#include "virtgpu_caps.h"

/* A small buffer is enough to learn whether the render device can write into one. */
#define IMPORT_CHECK_SIZE 64

static void check_import(int display_fd, int render_fd, const struct pb_config *cfg,
        struct pb_egl_import_result *result)
{
	struct pb_buffer_layout layout;
	struct pb_linear_buffer buf;
	struct pb_virtgpu_caps caps = {0};
	pb_virtgpu_caps_query(display_fd, &caps);
	char err[256];
	if (!pb_linear_buffer_layout(
	            IMPORT_CHECK_SIZE, IMPORT_CHECK_SIZE, cfg->stride_alignment, &layout) ||
	        !pb_linear_buffer_create(&buf, display_fd, &layout, caps.blob, err, sizeof(err))) {
		snprintf(result->error, sizeof(result->error), "no linear buffer to try: %.200s",
		        err);
		return;
	}
	pb_egl_import_check(render_fd, &buf, result);
	pb_linear_buffer_finish(&buf);
}

static bool use_environment_atomic(void)
{
	const char *no_atomic = getenv("PRIMEBRIDGE_NO_ATOMIC");
	return !(no_atomic && no_atomic[0] == '1');
}

/* The gles2 renderer on the render device and what its copies need; NULL with why. */
static struct wlr_renderer *gpu_renderer(
        int render_fd, struct pb_gpu_copier *gpu, char *why, size_t len)
{
	struct wlr_renderer *renderer = wlr_gles2_renderer_create_with_drm_fd(render_fd);
	if (!renderer) {
		snprintf(why, len, "wlroots' gles2 renderer cannot run on the render device");
		return NULL;
	}
	if (!pb_gpu_copier_init(gpu, renderer, why, len)) {
		wlr_renderer_destroy(renderer);
		return NULL;
	}
	return renderer;
}

static void close_render_fd(struct pb_bridge_setup *setup)
{
	if (setup->render_fd >= 0) {
		close(setup->render_fd);
		setup->render_fd = -1;
	}
}

/* Opens the render node and decides the path; fills why with the reason. */
static void choose_path(struct pb_bridge_setup *setup, const struct pb_device_selection *sel,
        const struct pb_config *cfg, char *why, size_t len)
{
	struct pb_copy_facts facts = {.preference = cfg->copy};
	struct pb_egl_import_result import = {0};
	if (sel->render >= 0 && cfg->copy != PB_COPY_PREFER_CPU) {
		const struct pb_drm_device *dev = &sel->devices[sel->render];
		facts.render_driver = dev->driver;
		setup->render_fd = open(dev->render_node, O_RDWR | O_CLOEXEC);
		if (setup->render_fd < 0) {
			snprintf(import.error, sizeof(import.error), "cannot open %s",
			        dev->render_node);
		} else {
			check_import(setup->display_fd, setup->render_fd, cfg, &import);
		}
		facts.import_ok = import.written;
		facts.import_error = import.error;
	}
	setup->path = pb_choose_copy_path(&facts, why, len);
	if (setup->path == PB_COPY_GPU) {
		setup->renderer = gpu_renderer(setup->render_fd, &setup->gpu, why, len);
		if (!setup->renderer) {
			setup->path = PB_COPY_CPU;
		}
	}
}

bool pb_bridge_setup(struct pb_bridge_setup *setup, struct wl_display *display,
        struct pb_seat *login, const struct pb_config *cfg)
{
	*setup = (struct pb_bridge_setup){.display_fd = -1, .render_fd = -1};
	struct pb_device_opener opener = pb_seat_opener(login);
	struct pb_device_selection sel;
	char err[512];
	if (!pb_select_devices(
	            &sel, &opener, cfg->display_device, cfg->render_device, err, sizeof(err))) {
		wlr_log(WLR_ERROR, "%s", err);
		return false;
	}
	setup->display_fd = opener.open(opener.data, sel.devices[sel.display].primary_node);
	if (setup->display_fd < 0) {
		return false;
	}
	setup->display_device = sel.devices[sel.display];
	if (sel.render >= 0) {
		setup->render_device = sel.devices[sel.render];
	}
	char why[512];
	choose_path(setup, &sel, cfg, why, sizeof(why));
	bool wanted_gpu = sel.render >= 0 && cfg->copy != PB_COPY_PREFER_CPU;
	if (setup->path == PB_COPY_CPU) {
		close_render_fd(setup);
		setup->renderer = wlr_pixman_renderer_create();
	}
	if (setup->path == PB_COPY_CPU && wanted_gpu) {
		wlr_log(WLR_ERROR, "Warning: copying frames on the CPU, not on %s: %s",
		        sel.devices[sel.render].render_node, why);
	} else {
		wlr_log(WLR_INFO, "Copy path: %s (%s)", pb_copy_path_name(setup->path), why);
	}
	if (!setup->renderer) {
		wlr_log(WLR_ERROR, "Cannot create the %s renderer", pb_copy_path_name(setup->path));
		pb_bridge_setup_release(setup, login);
		return false;
	}
	struct pb_bridge_options options = {
	        .display_fd = setup->display_fd,
	        .render_fd = setup->render_fd,
	        .copy_path = setup->path,
	        .copy_reason = why,
	        .host_update = cfg->host_update,
	        .stride_alignment = cfg->stride_alignment,
	        .allow_atomic = use_environment_atomic(),
	        .direct_copy = cfg->direct_copy,
	        .session = login->session,
	        .display_device = pb_seat_device(login, setup->display_fd),
	};
	setup->bridge = pb_bridge_backend_create(display, &options);
	if (!setup->bridge) {
		wlr_renderer_destroy(setup->renderer);
		setup->renderer = NULL;
		pb_bridge_setup_release(setup, login);
		return false;
	}
	pb_bridge_backend_set_renderer(
	        setup->bridge, setup->renderer, setup->path == PB_COPY_GPU ? &setup->gpu : NULL);
	wlr_log(WLR_INFO, "Display device %s (%s)%s%s", sel.devices[sel.display].primary_node,
	        sel.devices[sel.display].driver,
	        setup->path == PB_COPY_GPU ? ", render device " : "",
	        setup->path == PB_COPY_GPU ? sel.devices[sel.render].render_node : "");
	return true;
}

void pb_bridge_setup_release(struct pb_bridge_setup *setup, struct pb_seat *login)
{
	close_render_fd(setup);
	if (setup->display_fd >= 0) {
		struct pb_device_opener opener = pb_seat_opener(login);
		opener.close(opener.data, setup->display_fd);
		setup->display_fd = -1;
	}
}
