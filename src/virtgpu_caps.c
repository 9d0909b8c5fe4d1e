#include "virtgpu_caps.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <xf86drm.h>

#include "kernel_damage.h"
#include "virtgpu_abi.h"

/* Returns 1 or 0 for a known parameter, -1 when the ioctl itself failed. */
static int query_param(int drm_fd, enum pb_virtgpu_param param)
{
	int value = 0;
	struct pb_virtgpu_getparam req = {
	        .param = param,
	        .value = (uint64_t)(uintptr_t)&value,
	};
	if (drmIoctl(drm_fd, PB_DRM_IOCTL_VIRTGPU_GETPARAM, &req) != 0) {
		return errno == EINVAL ? 0 : -1;
	}
	return value != 0;
}

/* An out-of-tree module carries taint flag O (a dkms build of the fixed module does). */
static bool module_out_of_tree(void)
{
	FILE *f = fopen("/sys/module/virtio_gpu/taint", "r");
	if (!f) {
		return false;
	}
	char flags[32] = "";
	bool out_of_tree = fgets(flags, sizeof(flags), f) && strchr(flags, 'O');
	fclose(f);
	return out_of_tree;
}

static bool kernel_sends_whole_frames(void)
{
	struct utsname uts;
	return uname(&uts) == 0 && pb_kernel_sends_whole_frames(uts.release, module_out_of_tree());
}

bool pb_virtgpu_caps_query(int drm_fd, struct pb_virtgpu_caps *caps)
{
	drmVersionPtr version = drmGetVersion(drm_fd);
	bool is_virtgpu = version && strcmp(version->name, "virtio_gpu") == 0;
	drmFreeVersion(version);
	/* CAPSET_QUERY_FIX exists on every kernel with GETPARAM: a sentinel. */
	if (!is_virtgpu || query_param(drm_fd, PB_VIRTGPU_PARAM_CAPSET_QUERY_FIX) < 0) {
		return false;
	}
	*caps = (struct pb_virtgpu_caps){
	        .has_3d = query_param(drm_fd, PB_VIRTGPU_PARAM_3D_FEATURES) == 1,
	        .blob = query_param(drm_fd, PB_VIRTGPU_PARAM_RESOURCE_BLOB) == 1,
	        .host_visible = query_param(drm_fd, PB_VIRTGPU_PARAM_HOST_VISIBLE) == 1,
	        .cross_device = query_param(drm_fd, PB_VIRTGPU_PARAM_CROSS_DEVICE) == 1,
	        .context_init = query_param(drm_fd, PB_VIRTGPU_PARAM_CONTEXT_INIT) == 1,
	        .whole_frame_updates = kernel_sends_whole_frames(),
	};
	return true;
}
