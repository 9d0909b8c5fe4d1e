#include "bridge_setup.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wlr/render/allocator.h>
#include <wlr/render/egl.h>
#include <wlr/render/gles2.h>
#include <wlr/render/pixman.h>
#include <wlr/util/log.h>

#include "bridge_backend.h"
#include "copy_gpu.h"
#include "device_select.h"
#include "egl_import.h"
#include "frame_allocator.h"
#include "linear_buffer.h"
#include "render_egl.h"
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
	pb_egl_import_check(cfg->egl_device, render_fd, &buf, result);
	pb_linear_buffer_finish(&buf);
}

static bool use_environment_atomic(void)
{
	const char *no_atomic = getenv("PRIMEBRIDGE_NO_ATOMIC");
	return !(no_atomic && no_atomic[0] == '1');
}

/*
 * wlroots' gles2 renderer on the chosen EGL device. For the node, wlroots
 * finds the EGL device itself; Mesa's software device is opened here and
 * wlroots takes its display and context.
 */
static struct wlr_renderer *create_renderer(
        int render_fd, enum pb_egl_device device, char *why, size_t len)
{
	if (device == PB_EGL_DEVICE_NODE) {
		return wlr_gles2_renderer_create_with_drm_fd(render_fd);
	}
	struct pb_render_egl render_egl;
	if (!pb_render_egl_open(&render_egl, device, render_fd, why, len)) {
		return NULL;
	}
	/*
	 * wlroots refuses a software EGL device unless this is set; the
	 * configuration asked for one. Only for this call: clients started
	 * later must not inherit it.
	 */
	const char *allowed = getenv("WLR_RENDERER_ALLOW_SOFTWARE");
	char *previous = allowed ? strdup(allowed) : NULL;
	setenv("WLR_RENDERER_ALLOW_SOFTWARE", "1", 1);
	struct wlr_egl *egl = wlr_egl_create_with_context(render_egl.display, render_egl.context);
	if (previous) {
		setenv("WLR_RENDERER_ALLOW_SOFTWARE", previous, 1);
		free(previous);
	} else {
		unsetenv("WLR_RENDERER_ALLOW_SOFTWARE");
	}
	if (!egl) {
		pb_render_egl_close(&render_egl);
		return NULL;
	}
	struct wlr_renderer *renderer = wlr_gles2_renderer_create(egl);
	if (!renderer) {
		/* wlroots 0.18 has no public wlr_egl_destroy: the display and context
		 * are released, the small wlr_egl itself is lost, once, at start-up. */
		pb_render_egl_close(&render_egl);
	}
	return renderer;
}

/* The gles2 renderer on the render device and what its copies need; NULL with why. */
static struct wlr_renderer *gpu_renderer(
        int render_fd, enum pb_egl_device device, struct pb_gpu_copier *gpu, char *why, size_t len)
{
	struct wlr_renderer *renderer = create_renderer(render_fd, device, why, len);
	if (!renderer) {
		if (why[0] == '\0') {
			snprintf(why, len,
			        "wlroots' gles2 renderer cannot run on the %s EGL device",
			        pb_egl_device_name(device));
		}
		return NULL;
	}
	if (!pb_gpu_copier_init(gpu, renderer, why, len)) {
		wlr_renderer_destroy(renderer);
		return NULL;
	}
	return renderer;
}

/*
 * The software stand-in's frames live on the render device's card node:
 * vgem refuses dumb buffers on its render node, where wlroots' own
 * allocator would put them. NULL with why when that node cannot serve.
 */
static struct wlr_allocator *stand_in_allocator(
        const struct pb_drm_device *render, char *why, size_t len)
{
	const char *node = render->primary_node;
	int fd = node[0] ? open(node, O_RDWR | O_CLOEXEC) : -1;
	if (fd < 0) {
		snprintf(why, len,
		        "the software EGL device allocates frames on the render device's card "
		        "node, and %s cannot be opened",
		        node[0] ? node : "it has none");
		return NULL;
	}
	struct wlr_allocator *allocator = pb_frame_allocator_create(fd);
	if (!allocator) {
		snprintf(why, len, "GBM cannot allocate frames on %s", node);
	}
	return allocator;
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
		char failure[256] = "";
		setup->renderer = gpu_renderer(
		        setup->render_fd, cfg->egl_device, &setup->gpu, failure, sizeof(failure));
		if (setup->renderer && cfg->egl_device == PB_EGL_DEVICE_SOFTWARE) {
			setup->allocator = stand_in_allocator(
			        &sel->devices[sel->render], failure, sizeof(failure));
			if (!setup->allocator) {
				wlr_renderer_destroy(setup->renderer);
				setup->renderer = NULL;
			}
		}
		if (!setup->renderer) {
			setup->path = PB_COPY_CPU;
			snprintf(why, len, "%s", failure);
		}
	}
}

/* A start-up that failed part-way: everything made so far goes, whatever step failed. */
static void abandon(struct pb_bridge_setup *setup, struct pb_seat *login)
{
	if (setup->bridge) {
		wlr_backend_destroy(setup->bridge);
		setup->bridge = NULL;
	}
	if (setup->allocator) {
		wlr_allocator_destroy(setup->allocator);
		setup->allocator = NULL;
	}
	if (setup->renderer) {
		wlr_renderer_destroy(setup->renderer);
		setup->renderer = NULL;
	}
	pb_bridge_setup_release(setup, login);
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
		abandon(setup, login);
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
		abandon(setup, login);
		return false;
	}
	if (!setup->allocator) {
		/* The render node's frames (or the CPU path's) are wlroots' to allocate. */
		setup->allocator = wlr_allocator_autocreate(setup->bridge, setup->renderer);
	}
	if (!setup->allocator) {
		wlr_log(WLR_ERROR, "Cannot allocate frame buffers for the %s path",
		        pb_copy_path_name(setup->path));
		abandon(setup, login);
		return false;
	}
	pb_bridge_backend_set_renderer(
	        setup->bridge, setup->renderer, setup->path == PB_COPY_GPU ? &setup->gpu : NULL);
	if (setup->path == PB_COPY_GPU) {
		wlr_log(WLR_INFO, "Display device %s (%s), render device %s (%s, %s EGL device)",
		        sel.devices[sel.display].primary_node, sel.devices[sel.display].driver,
		        sel.devices[sel.render].render_node, sel.devices[sel.render].driver,
		        pb_egl_device_name(cfg->egl_device));
	} else {
		wlr_log(WLR_INFO, "Display device %s (%s)", sel.devices[sel.display].primary_node,
		        sel.devices[sel.display].driver);
	}
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
