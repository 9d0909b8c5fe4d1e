#ifndef PB_VIRTGPU_ABI_H
#define PB_VIRTGPU_ABI_H

/*
 * The virtio-gpu DRM ioctls primebridge uses, written from the kernel's
 * include/uapi/drm/virtgpu_drm.h ABI. libdrm 2.4.114's copy predates blob
 * resources and Debian ships no kernel DRM headers, so the project carries
 * its own; the asserts below pin every struct and request number to the
 * kernel ABI so a mistake fails the build, not a user's session.
 */

#include <drm.h>
#include <stdint.h>

#define PB_VIRTGPU_MAP                  0x01
#define PB_VIRTGPU_GETPARAM             0x03
#define PB_VIRTGPU_RESOURCE_CREATE_BLOB 0x0a

enum pb_virtgpu_param {
	PB_VIRTGPU_PARAM_3D_FEATURES = 1,
	PB_VIRTGPU_PARAM_CAPSET_QUERY_FIX = 2,
	PB_VIRTGPU_PARAM_RESOURCE_BLOB = 3,
	PB_VIRTGPU_PARAM_HOST_VISIBLE = 4,
	PB_VIRTGPU_PARAM_CROSS_DEVICE = 5,
	PB_VIRTGPU_PARAM_CONTEXT_INIT = 6,
};

#define PB_VIRTGPU_BLOB_MEM_GUEST 0x0001u

#define PB_VIRTGPU_BLOB_FLAG_USE_MAPPABLE  0x0001u
#define PB_VIRTGPU_BLOB_FLAG_USE_SHAREABLE 0x0002u

struct pb_virtgpu_map {
	uint64_t offset; /* out: fake offset to pass to mmap() on the DRM fd */
	uint32_t handle;
	uint32_t pad;
};

struct pb_virtgpu_getparam {
	uint64_t param;
	uint64_t value; /* user pointer to an int the kernel fills */
};

struct pb_virtgpu_resource_create_blob {
	uint32_t blob_mem;
	uint32_t blob_flags;
	uint32_t bo_handle;  /* out */
	uint32_t res_handle; /* out */
	uint64_t size;
	uint32_t pad;
	uint32_t cmd_size;
	uint64_t cmd;
	uint64_t blob_id;
};

#define PB_DRM_IOCTL_VIRTGPU_MAP DRM_IOWR(DRM_COMMAND_BASE + PB_VIRTGPU_MAP, struct pb_virtgpu_map)
#define PB_DRM_IOCTL_VIRTGPU_GETPARAM                                                              \
	DRM_IOWR(DRM_COMMAND_BASE + PB_VIRTGPU_GETPARAM, struct pb_virtgpu_getparam)
#define PB_DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB                                                  \
	DRM_IOWR(DRM_COMMAND_BASE + PB_VIRTGPU_RESOURCE_CREATE_BLOB,                               \
	        struct pb_virtgpu_resource_create_blob)

/* A field's offset in the kernel's struct. */
#define PB_ABI_OFFSET(type, field, at)                                                             \
	_Static_assert(__builtin_offsetof(struct type, field) == (at), #field " offset")

_Static_assert(sizeof(struct pb_virtgpu_map) == 16, "drm_virtgpu_map is 16 bytes");
PB_ABI_OFFSET(pb_virtgpu_map, handle, 8);
_Static_assert(sizeof(struct pb_virtgpu_getparam) == 16, "drm_virtgpu_getparam is 16 bytes");
PB_ABI_OFFSET(pb_virtgpu_getparam, value, 8);
_Static_assert(sizeof(struct pb_virtgpu_resource_create_blob) == 48,
        "drm_virtgpu_resource_create_blob is 48 bytes");
PB_ABI_OFFSET(pb_virtgpu_resource_create_blob, blob_flags, 4);
PB_ABI_OFFSET(pb_virtgpu_resource_create_blob, bo_handle, 8);
PB_ABI_OFFSET(pb_virtgpu_resource_create_blob, res_handle, 12);
PB_ABI_OFFSET(pb_virtgpu_resource_create_blob, size, 16);
PB_ABI_OFFSET(pb_virtgpu_resource_create_blob, pad, 24);
PB_ABI_OFFSET(pb_virtgpu_resource_create_blob, cmd_size, 28);
PB_ABI_OFFSET(pb_virtgpu_resource_create_blob, cmd, 32);
PB_ABI_OFFSET(pb_virtgpu_resource_create_blob, blob_id, 40);
/* The request numbers the kernel decodes, as printed by strace on x86-64. */
_Static_assert(PB_DRM_IOCTL_VIRTGPU_MAP == 0xc0106441u, "VIRTGPU_MAP request");
_Static_assert(PB_DRM_IOCTL_VIRTGPU_GETPARAM == 0xc0106443u, "VIRTGPU_GETPARAM request");
_Static_assert(PB_DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB == 0xc030644au,
        "VIRTGPU_RESOURCE_CREATE_BLOB request");

#undef PB_ABI_OFFSET

#endif
