#include "probe.h"

#include <stdio.h>
#include <wlr/util/log.h>

#include "device_rank.h"
#include "startup_plan.h"
#include "virtgpu_caps.h"

static const char *yes_no(bool v)
{
	return v ? "yes" : "no";
}

static const char *role_of(const struct pb_device_selection *sel, size_t i)
{
	if ((int)i == sel->display && (int)i == sel->render) {
		return "display+render";
	}
	if ((int)i == sel->display) {
		return "display";
	}
	return (int)i == sel->render ? "render" : "unused";
}

static void print_formats(const struct pb_kms_plane *plane)
{
	for (size_t i = 0; i < plane->format_count; i++) {
		char name[5];
		pb_fourcc_name(plane->formats[i], name);
		printf("%s%s", i ? " " : "", name);
	}
}

static void print_kms(const struct pb_kms_device *kms)
{
	printf("  atomic: %s\n", yes_no(kms->atomic));
	printf("  addfb2 modifiers: %s\n", yes_no(kms->addfb2_modifiers));
	printf("  prime: import %s, export %s\n", yes_no(kms->prime & DRM_PRIME_CAP_IMPORT),
	        yes_no(kms->prime & DRM_PRIME_CAP_EXPORT));
	for (size_t i = 0; i < kms->connector_count; i++) {
		const struct pb_kms_connector *c = &kms->connectors[i];
		printf("  connector %s: %s", c->name, c->connected ? "connected" : "disconnected");
		if (c->connected) {
			printf(", preferred mode %ux%u@%u", c->preferred.hdisplay,
			        c->preferred.vdisplay, c->preferred.vrefresh);
		}
		printf("\n");
	}
	if (kms->crtc_count == 0) {
		return;
	}
	const struct pb_kms_crtc *crtc = &kms->crtcs[0];
	if (crtc->primary >= 0) {
		const struct pb_kms_plane *primary = &kms->planes[crtc->primary];
		printf("  primary plane formats: ");
		print_formats(primary);
		printf("\n  FB_DAMAGE_CLIPS: %s\n", yes_no(primary->props.fb_damage_clips != 0));
	}
	if (crtc->cursor >= 0) {
		const struct pb_kms_plane *cursor = &kms->planes[crtc->cursor];
		printf("  cursor plane: yes, %llux%llu, formats ",
		        (unsigned long long)kms->cursor_width,
		        (unsigned long long)kms->cursor_height);
		print_formats(cursor);
		printf(", hotspot properties %s\n", yes_no(cursor->props.hotspot_x != 0));
	} else {
		printf("  cursor plane: no\n");
	}
}

static void print_device(const struct pb_device_selection *sel, size_t i)
{
	const struct pb_drm_device *dev = &sel->devices[i];
	printf("device %s\n", dev->primary_node[0] ? dev->primary_node : dev->render_node);
	printf("  role: %s\n", role_of(sel, i));
	printf("  driver: %s\n", dev->driver);
	printf("  bus: %s %s", dev->bus, dev->bus_id);
	if (dev->vendor_id) {
		printf(" [%04x:%04x]", dev->vendor_id, dev->device_id);
	}
	printf("\n  nodes: %s%s%s\n", dev->primary_node, dev->primary_node[0] ? " " : "",
	        dev->render_node);
	printf("  render score: %d\n", pb_render_score(dev));
}

static void print_virtgpu(const struct pb_virtgpu_caps *caps)
{
	printf("  blob: %s\n", yes_no(caps->blob));
	printf("  host-visible: %s\n", yes_no(caps->host_visible));
	printf("  3d: %s\n", yes_no(caps->has_3d));
	printf("  context-init: %s\n", yes_no(caps->context_init));
	printf("  cross-device: %s\n", yes_no(caps->cross_device));
	printf("  damage to the host: %s\n",
	        caps->whole_frame_updates
	                ? "whole frames (this kernel's virtio-gpu ignores damage once the "
	                  "framebuffer has changed, a bug from 6.8; install primebridge's "
	                  "fixed module, modules/virtio-gpu-damage-fix/install, for "
	                  "damage-limited transfers)"
	                : "limited to the damage");
}

static void print_outcome(const char *step, bool ok, const char *ok_text, const char *error)
{
	if (ok) {
		printf("%s: %s\n", step, ok_text);
	} else {
		printf("%s: failed: %s\n", step, error);
	}
}

static void print_import(const struct pb_egl_import_result *result)
{
	print_outcome("import into render device", result->imported, "ok (EGL dma-buf import)",
	        result->error);
	if (result->imported) {
		print_outcome("render into imported buffer", result->written,
		        "ok (pixels verified through the CPU mapping)", result->error);
	}
	if (result->renderer[0]) {
		printf("render device renderer: %s\n", result->renderer);
	}
}

/* The display's KMS and virtio-gpu details, then the plan's buffer and path. */
static int probe_plan(struct pb_startup_plan *plan, const struct pb_config *cfg)
{
	const struct pb_device_selection *sel = &plan->sel;
	const char *node = sel->devices[sel->display].primary_node;
	printf("display capabilities (%s):\n", node);
	print_kms(&plan->kms);
	if (plan->virtio_gpu) {
		print_virtgpu(&plan->caps);
	}
	/* Without a connected output the probe has no mode to try a linear buffer at. */
	if (!pb_kms_first_connected(&plan->kms)) {
		wlr_log(WLR_ERROR, "%s has no connected output with a usable mode", node);
		return 1;
	}
	pb_startup_plan_choose_path(plan, cfg);
	if (plan->buffer_error[0]) {
		wlr_log(WLR_ERROR, "Cannot allocate a linear scanout buffer on %s: %s", node,
		        plan->buffer_error);
		return 1;
	}
	const struct pb_buffer_layout *layout = &plan->buffer_layout;
	printf("summary:\n");
	printf("display device: %s (%s)\n", node, sel->devices[sel->display].driver);
	printf("linear buffer: %ux%u, stride %u (alignment %u), %u rows, %llu bytes, %s\n",
	        layout->width, layout->height, layout->stride, layout->stride_align, layout->rows,
	        (unsigned long long)layout->size, pb_buffer_kind_name(plan->buffer_kind));
	if (sel->render >= 0) {
		printf("render device: %s (%s)\n", sel->devices[sel->render].render_node,
		        sel->devices[sel->render].driver);
		printf("render EGL device: %s\n", pb_egl_device_name(cfg->egl_device));
		if (plan->import_tried) {
			print_import(&plan->import);
		}
	} else {
		printf("render device: none\n");
	}
	printf("copy path: %s (%s)\n", pb_copy_path_name(plan->path), plan->why);
	char why[384];
	enum pb_host_update update =
	        pb_choose_host_update(plan->buffer_kind, cfg->host_update, why, sizeof(why));
	printf("host update: %s (%s)\n", pb_host_update_name(update), why);
	return 0;
}

int pb_probe_run(struct pb_login_session *login, const struct pb_config *cfg)
{
	struct pb_startup_plan plan;
	char err[512];
	bool opened = pb_startup_plan_open(&plan, login, cfg, err, sizeof(err));
	for (size_t i = 0; i < plan.sel.count; i++) {
		print_device(&plan.sel, i);
	}
	if (!opened) {
		if (err[0]) {
			fprintf(stderr, "primebridge: %s\n", err);
		}
		return 1;
	}
	int status = probe_plan(&plan, cfg);
	pb_startup_plan_drop_engines(&plan);
	pb_startup_plan_release(&plan, login);
	return status;
}
