#include "device_select.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "device_rank.h"
#include "drm_discovery.h"
#include "kms_device.h"

#define ADVICE_NO_VIRTGPU                                                                          \
	"give the VM a virtio-gpu display (QEMU: -device virtio-gpu-pci; Xen: a virtio GPU "       \
	"device), or name a KMS device with --display-device"

static void count_connected(struct pb_drm_device *dev, const struct pb_device_opener *opener)
{
	int fd = opener->open(opener->data, dev->primary_node);
	if (fd < 0) {
		return;
	}
	struct pb_kms_device kms;
	char err[128];
	if (pb_kms_device_init(&kms, fd, false, err, sizeof(err))) {
		dev->connected = (int)pb_kms_connected_count(&kms);
	}
	opener->close(opener->data, fd);
}

/* Index of the device owning an override's canonical node path. */
static int find_override(const struct pb_device_selection *sel, const char *node,
        const char *option, char *err, size_t err_len)
{
	int index = pb_find_device_by_node(sel->devices, sel->count, node);
	if (index < 0) {
		snprintf(err, err_len, "%s: %s is not among the DRM devices in /sys/class/drm",
		        option, node);
	}
	return index;
}

static bool pick_display(
        struct pb_device_selection *sel, const char *override, char *err, size_t err_len)
{
	if (override && override[0]) {
		sel->display = find_override(sel, override, "--display-device", err, err_len);
		if (sel->display < 0) {
			return false;
		}
		const struct pb_drm_device *dev = &sel->devices[sel->display];
		if (dev->primary_node[0] == '\0' || dev->connected <= 0) {
			snprintf(err, err_len,
			        "--display-device: %s (%s) has no connected connector to show on",
			        override, dev->driver);
			return false;
		}
		return true;
	}
	sel->display = pb_rank_display(sel->devices, sel->count);
	if (sel->display >= 0) {
		return true;
	}
	for (size_t i = 0; i < sel->count; i++) {
		if (strcmp(sel->devices[i].driver, "virtio_gpu") == 0) {
			snprintf(err, err_len,
			        "the virtio-gpu %s has no connected connector (or it could not be "
			        "opened through the seat): enable its display in the VM "
			        "configuration",
			        sel->devices[i].primary_node);
			return false;
		}
	}
	snprintf(err, err_len, "no virtio-gpu among the %zu DRM devices found: " ADVICE_NO_VIRTGPU,
	        sel->count);
	return false;
}

static bool pick_render(
        struct pb_device_selection *sel, const char *override, char *err, size_t err_len)
{
	if (!override || !override[0]) {
		sel->render = pb_rank_render(sel->devices, sel->count, sel->display);
		return true;
	}
	sel->render = find_override(sel, override, "--render-device", err, err_len);
	if (sel->render < 0) {
		return false;
	}
	if (sel->devices[sel->render].render_node[0] == '\0') {
		snprintf(err, err_len, "--render-device: %s (%s) has no render node", override,
		        sel->devices[sel->render].driver);
		return false;
	}
	return true;
}

bool pb_select_devices(struct pb_device_selection *sel, const struct pb_device_opener *opener,
        const char *display_override, const char *render_override, char *err, size_t err_len)
{
	*sel = (struct pb_device_selection){.display = -1, .render = -1};
	/* A mistyped path is the user's first problem, whatever else is missing. */
	const char *overrides[2] = {display_override, render_override};
	const char *options[2] = {"--display-device", "--render-device"};
	char canonical[2][PATH_MAX] = {"", ""};
	for (size_t i = 0; i < 2; i++) {
		char why[256];
		if (overrides[i] && overrides[i][0] &&
		        !pb_drm_node_check(overrides[i], canonical[i], sizeof(canonical[i]), why,
		                sizeof(why))) {
			snprintf(err, err_len, "%s: %s", options[i], why);
			return false;
		}
	}
	sel->count = pb_drm_discover(sel->devices, PB_MAX_DRM_DEVICES);
	if (sel->count == 0) {
		snprintf(err, err_len,
		        "no DRM device found (/sys/class/drm has no card or render "
		        "node): " ADVICE_NO_VIRTGPU);
		return false;
	}
	for (size_t i = 0; i < sel->count; i++) {
		if (sel->devices[i].primary_node[0] &&
		        (strcmp(sel->devices[i].driver, "virtio_gpu") == 0 || canonical[0][0])) {
			count_connected(&sel->devices[i], opener);
		}
	}
	return pick_display(sel, canonical[0], err, err_len) &&
	       pick_render(sel, canonical[1], err, err_len);
}
