#ifndef PB_DRM_DEVICE_H
#define PB_DRM_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

#define PB_MAX_DRM_DEVICES 16

/* One DRM device as discovery sees it: identity and nodes, no open fds. */
struct pb_drm_device {
	char driver[32];    /* kernel driver name, "virtio_gpu", "amdgpu", ... */
	char bus[16];       /* "pci", "platform", "virtio", ... */
	char bus_id[32];    /* "0000:00:02.0", or the device name off PCI */
	uint16_t vendor_id; /* PCI ids, 0 off PCI */
	uint16_t device_id;
	char primary_node[64]; /* "/dev/dri/card0", "" when absent */
	char render_node[64];  /* "/dev/dri/renderD128", "" when absent */
	int connected;         /* connected connectors; -1 when not known */
	bool has_3d;           /* a virtio-gpu with virgl or venus */
};

#endif
