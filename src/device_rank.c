#include "device_rank.h"

#include <string.h>

/* Drivers of GPUs that get passed through to guests, all full renderers. */
static const char *const passthrough_drivers[] = {
        "amdgpu",
        "radeon",
        "i915",
        "xe",
        "nouveau",
        "nvidia-drm",
        "nvidia",
};

enum render_score {
	SCORE_NONE = 0,
	SCORE_OTHER = 1,       /* e.g. vgem: Mesa renders in software on it */
	SCORE_VIRTGPU_3D = 2,  /* virgl/venus: the host's GPU, through a pipe */
	SCORE_PASSTHROUGH = 3, /* the dGPU the guest was given */
};

static bool is_virtgpu(const struct pb_drm_device *dev)
{
	return strcmp(dev->driver, "virtio_gpu") == 0;
}

int pb_render_score(const struct pb_drm_device *dev)
{
	if (dev->render_node[0] == '\0') {
		return SCORE_NONE;
	}
	for (size_t i = 0; i < sizeof(passthrough_drivers) / sizeof(passthrough_drivers[0]); i++) {
		if (strcmp(dev->driver, passthrough_drivers[i]) == 0) {
			return SCORE_PASSTHROUGH;
		}
	}
	if (is_virtgpu(dev)) {
		return dev->has_3d ? SCORE_VIRTGPU_3D : SCORE_NONE;
	}
	return SCORE_OTHER;
}

int pb_rank_display(const struct pb_drm_device *devs, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		if (is_virtgpu(&devs[i]) && devs[i].primary_node[0] != '\0' &&
		        devs[i].connected > 0) {
			return (int)i;
		}
	}
	return -1;
}

int pb_rank_render(const struct pb_drm_device *devs, size_t count, int display)
{
	int best = -1;
	int best_score = SCORE_NONE;
	for (size_t i = 0; i < count; i++) {
		int score = pb_render_score(&devs[i]);
		if ((int)i != display && score > best_score) {
			best = (int)i;
			best_score = score;
		}
	}
	return best;
}

int pb_find_device_by_node(const struct pb_drm_device *devs, size_t count, const char *node)
{
	for (size_t i = 0; i < count; i++) {
		if (strcmp(devs[i].primary_node, node) == 0 ||
		        strcmp(devs[i].render_node, node) == 0) {
			return (int)i;
		}
	}
	return -1;
}
