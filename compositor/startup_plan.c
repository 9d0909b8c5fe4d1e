#include "startup_plan.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wlr/render/egl.h>
#include <wlr/render/gles2.h>
#include <wlr/render/pixman.h>
#include <wlr/util/log.h>

#include "frame_allocator.h"
#include "render_egl.h"

/* Without a connected output, a small buffer still tells whether the render device writes one. */
#define IMPORT_CHECK_SIZE 64

bool pb_startup_plan_open(struct pb_startup_plan *plan, struct pb_login_session *login,
        const struct pb_config *cfg, char *err, size_t len)
{
	*plan = (struct pb_startup_plan){.display_fd = -1, .render_fd = -1};
	err[0] = '\0';
	struct pb_device_opener opener = pb_login_session_opener(login);
	if (!pb_select_devices(
	            &plan->sel, &opener, cfg->display_device, cfg->render_device, err, len)) {
		return false;
	}
	const char *node = plan->sel.devices[plan->sel.display].primary_node;
	plan->display_fd = opener.open(opener.data, node);
	if (plan->display_fd < 0) {
		return false;
	}
	const char *no_atomic = getenv("PRIMEBRIDGE_NO_ATOMIC");
	plan->allow_atomic = !(no_atomic && no_atomic[0] == '1');
	char why[256];
	if (!pb_kms_device_init(
	            &plan->kms, plan->display_fd, plan->allow_atomic, why, sizeof(why))) {
		snprintf(err, len, "%s: %s", node, why);
		pb_startup_plan_release(plan, login);
		return false;
	}
	plan->virtio_gpu = pb_virtgpu_caps_query(plan->display_fd, &plan->caps);
	return true;
}

/* The linear buffer the first connected output would really use, written by the import check. */
static bool check_buffer(
        struct pb_startup_plan *plan, const struct pb_config *cfg, struct pb_linear_buffer *buf)
{
	uint32_t width = IMPORT_CHECK_SIZE, height = IMPORT_CHECK_SIZE;
	const struct pb_kms_connector *first = pb_kms_first_connected(&plan->kms);
	if (first) {
		width = first->preferred.hdisplay;
		height = first->preferred.vdisplay;
	}
	if (!pb_linear_buffer_layout(width, height, cfg->stride_alignment, &plan->buffer_layout)) {
		snprintf(plan->buffer_error, sizeof(plan->buffer_error),
		        "the mode %ux%u is not a valid buffer size", width, height);
		return false;
	}
	if (!pb_linear_buffer_create(buf, plan->display_fd, &plan->buffer_layout, plan->caps.blob,
	            plan->buffer_error, sizeof(plan->buffer_error))) {
		return false;
	}
	plan->buffer_kind = buf->kind;
	return true;
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

/* The renderer on the render device; NULL with why. */
static struct wlr_renderer *device_renderer(
        int render_fd, enum pb_egl_device device, char *why, size_t len)
{
	struct wlr_renderer *renderer = create_renderer(render_fd, device, why, len);
	if (!renderer && why[0] == '\0') {
		snprintf(why, len, "wlroots' gles2 renderer cannot run on the %s EGL device",
		        pb_egl_device_name(device));
	}
	return renderer;
}

/*
 * Frames on the render device's card node: vgem refuses dumb buffers on its
 * render node, where wlroots' own allocator would put them. NULL with why
 * when that node cannot serve.
 */
static struct wlr_allocator *card_node_allocator(
        const struct pb_drm_device *render, char *why, size_t len)
{
	const char *node = render->primary_node;
	int fd = node[0] ? open(node, O_RDWR | O_CLOEXEC) : -1;
	if (fd < 0) {
		snprintf(why, len,
		        "%s cannot allocate frames, and its card node %s cannot be opened",
		        render->render_node, node[0] ? node : "(none)");
		return NULL;
	}
	struct wlr_allocator *allocator = pb_frame_allocator_create(fd);
	if (!allocator) {
		snprintf(why, len, "GBM cannot allocate frames on %s", node);
	}
	return allocator;
}

/*
 * The renderer and, where wlroots' allocator cannot serve the render node,
 * the frames' allocator for a path on the render device. False with why.
 */
static bool render_device_engines(struct pb_startup_plan *plan, const struct pb_drm_device *render,
        const struct pb_config *cfg, char *why, size_t len)
{
	plan->renderer = device_renderer(plan->render_fd, cfg->egl_device, why, len);
	if (!plan->renderer) {
		return false;
	}
	char copier[256];
	if (plan->path == PB_COPY_GPU &&
	        !pb_gpu_copier_init(&plan->gpu, plan->renderer, copier, sizeof(copier))) {
		/* It still composes: the CPU copies what it composed. */
		snprintf(plan->why, sizeof(plan->why),
		        "the render device (%s) composes but cannot copy on its own (%s): the CPU "
		        "reads the damage back",
		        render->driver, copier);
		plan->path = PB_COPY_READBACK;
	}
	if (pb_frame_allocator_node_allocates(plan->render_fd)) {
		return true; /* wlroots' allocator, made with the backend */
	}
	plan->allocator = card_node_allocator(render, why, len);
	if (!plan->allocator) {
		wlr_renderer_destroy(plan->renderer);
		plan->renderer = NULL;
		return false;
	}
	return true;
}

static void close_render_fd(struct pb_startup_plan *plan)
{
	if (plan->render_fd >= 0) {
		close(plan->render_fd);
		plan->render_fd = -1;
	}
}

/*
 * The render device's facts: opened, and the linear buffer's import tried
 * unless pointless. False, with why, when it cannot even be opened.
 */
static bool render_device_facts(struct pb_startup_plan *plan, const struct pb_config *cfg,
        struct pb_linear_buffer *buf, bool have_buffer, struct pb_copy_facts *facts)
{
	const struct pb_drm_device *dev = &plan->sel.devices[plan->sel.render];
	plan->render_fd = open(dev->render_node, O_RDWR | O_CLOEXEC);
	if (plan->render_fd < 0) {
		snprintf(plan->why, sizeof(plan->why),
		        "the render device %s cannot be opened (%s): pixman renders on the CPU",
		        dev->render_node, strerror(errno));
		return false;
	}
	facts->render_driver = dev->driver;
	if (cfg->copy != PB_COPY_PREFER_READBACK) {
		plan->import_tried = true;
		if (have_buffer) {
			pb_egl_import_check(cfg->egl_device, plan->render_fd, buf, &plan->import);
		} else {
			snprintf(plan->import.error, sizeof(plan->import.error),
			        "no linear buffer to try: %.200s", plan->buffer_error);
		}
	}
	facts->import_ok = plan->import.written;
	facts->import_error = plan->import.error;
	return true;
}

void pb_startup_plan_choose_path(struct pb_startup_plan *plan, const struct pb_config *cfg)
{
	struct pb_linear_buffer buf;
	bool have_buffer = check_buffer(plan, cfg, &buf);
	struct pb_copy_facts facts = {.preference = cfg->copy};
	bool opened = plan->sel.render < 0 || cfg->copy == PB_COPY_PREFER_CPU ||
	              render_device_facts(plan, cfg, &buf, have_buffer, &facts);
	if (have_buffer) {
		pb_linear_buffer_finish(&buf);
	}
	if (!opened) {
		plan->path = PB_COPY_CPU;
		plan->renderer = wlr_pixman_renderer_create();
		return;
	}
	plan->path = pb_choose_copy_path(&facts, plan->why, sizeof(plan->why));
	char failure[256] = "";
	if (pb_copy_path_on_render_device(plan->path) &&
	        !render_device_engines(plan, &plan->sel.devices[plan->sel.render], cfg, failure,
	                sizeof(failure))) {
		snprintf(plan->why, sizeof(plan->why),
		        "the %s path cannot start on the render device (%s): pixman renders on the "
		        "CPU",
		        pb_copy_path_name(plan->path), failure);
		plan->path = PB_COPY_CPU;
	}
	if (plan->path == PB_COPY_CPU) {
		close_render_fd(plan);
		plan->renderer = wlr_pixman_renderer_create();
	}
}

void pb_startup_plan_forget_render_device(struct pb_startup_plan *plan, const char *why)
{
	close_render_fd(plan);
	plan->path = PB_COPY_CPU;
	plan->renderer = NULL;
	plan->allocator = NULL;
	snprintf(plan->why, sizeof(plan->why), "%s", why);
}

void pb_startup_plan_drop_engines(struct pb_startup_plan *plan)
{
	if (plan->allocator) {
		wlr_allocator_destroy(plan->allocator);
		plan->allocator = NULL;
	}
	if (plan->renderer) {
		wlr_renderer_destroy(plan->renderer);
		plan->renderer = NULL;
	}
}

void pb_startup_plan_release(struct pb_startup_plan *plan, struct pb_login_session *login)
{
	close_render_fd(plan);
	if (plan->display_fd >= 0) {
		struct pb_device_opener opener = pb_login_session_opener(login);
		opener.close(opener.data, plan->display_fd);
		plan->display_fd = -1;
	}
}
