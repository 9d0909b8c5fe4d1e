#ifndef PB_LINEAR_BUFFER_H
#define PB_LINEAR_BUFFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buffer_layout.h"

enum pb_buffer_kind {
	PB_BUFFER_BLOB, /* guest-memory blob the host reads directly */
	PB_BUFFER_DUMB, /* dumb buffer of padded width, copied to its host resource */
};

/*
 * One linear XRGB8888 scanout buffer on the display device: a framebuffer
 * at the visible size, a dma-buf the render device imports, a CPU mapping.
 */
struct pb_linear_buffer {
	int drm_fd;
	enum pb_buffer_kind kind;
	struct pb_buffer_layout layout;
	uint32_t handle;
	uint32_t fb_id;
	int dmabuf_fd;
	uint8_t *map; /* layout.size bytes */
};

/* The layout of a width x height buffer with this system's page size. */
bool pb_linear_buffer_layout(
        uint32_t width, uint32_t height, uint32_t stride_align, struct pb_buffer_layout *out);

/*
 * Allocates a buffer with the given layout: a blob when try_blob is set
 * (falling back to a dumb buffer if the kernel refuses it), else a dumb
 * buffer. On failure everything taken is released and err says what failed.
 */
bool pb_linear_buffer_create(struct pb_linear_buffer *buf, int drm_fd,
        const struct pb_buffer_layout *layout, bool try_blob, char *err, size_t err_len);

void pb_linear_buffer_finish(struct pb_linear_buffer *buf);

const char *pb_buffer_kind_name(enum pb_buffer_kind kind);

#endif
