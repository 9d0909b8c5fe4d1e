#include <stddef.h>

#include "check.h"
#include "virtgpu_abi.h"

/*
 * Field offsets of the kernel's virtgpu_drm.h structs. The header's static
 * asserts pin sizes and request numbers at build time; this pins the rest.
 */
int main(void)
{
	CHECK_EQ_U(sizeof(struct pb_virtgpu_map), 16);
	CHECK_EQ_U(offsetof(struct pb_virtgpu_map, handle), 8);
	CHECK_EQ_U(sizeof(struct pb_virtgpu_getparam), 16);
	CHECK_EQ_U(offsetof(struct pb_virtgpu_getparam, value), 8);
	CHECK_EQ_U(sizeof(struct pb_virtgpu_resource_info), 16);
	CHECK_EQ_U(offsetof(struct pb_virtgpu_resource_info, res_handle), 4);
	CHECK_EQ_U(offsetof(struct pb_virtgpu_resource_info, size), 8);
	CHECK_EQ_U(offsetof(struct pb_virtgpu_resource_info, blob_mem), 12);
	CHECK_EQ_U(sizeof(struct pb_virtgpu_resource_create_blob), 48);
	CHECK_EQ_U(offsetof(struct pb_virtgpu_resource_create_blob, blob_flags), 4);
	CHECK_EQ_U(offsetof(struct pb_virtgpu_resource_create_blob, bo_handle), 8);
	CHECK_EQ_U(offsetof(struct pb_virtgpu_resource_create_blob, res_handle), 12);
	CHECK_EQ_U(offsetof(struct pb_virtgpu_resource_create_blob, size), 16);
	CHECK_EQ_U(offsetof(struct pb_virtgpu_resource_create_blob, pad), 24);
	CHECK_EQ_U(offsetof(struct pb_virtgpu_resource_create_blob, cmd_size), 28);
	CHECK_EQ_U(offsetof(struct pb_virtgpu_resource_create_blob, cmd), 32);
	CHECK_EQ_U(offsetof(struct pb_virtgpu_resource_create_blob, blob_id), 40);
	CHECK_EQ_U(PB_DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB, 0xc030644a);
	return check_result("virtgpu_abi");
}
