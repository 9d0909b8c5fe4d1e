#ifndef PB_VIRTGPU_CAPS_H
#define PB_VIRTGPU_CAPS_H

#include <stdbool.h>

/* What a virtio-gpu device offers, read with VIRTGPU_GETPARAM. */
struct pb_virtgpu_caps {
	bool has_3d;
	bool blob;
	bool host_visible;
	bool cross_device;
	bool context_init;
	/* This kernel's virtio-gpu sends whole frames for every update (kernel_damage.h). */
	bool whole_frame_updates;
};

/*
 * Queries each parameter on a DRM fd, and reads the running kernel's release
 * and whether virtio_gpu is an out-of-tree module (/sys/module/.../taint). A parameter the kernel
 * does not know (EINVAL on older kernels) reads as absent. Returns false when the fd's driver is
 * not virtio_gpu: driver ioctl numbers mean something else there.
 */
bool pb_virtgpu_caps_query(int drm_fd, struct pb_virtgpu_caps *caps);

#endif
