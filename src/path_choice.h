#ifndef PB_PATH_CHOICE_H
#define PB_PATH_CHOICE_H

#include <stdbool.h>
#include <stddef.h>

#include "linear_buffer.h"

/* How each frame reaches the linear buffer. */
enum pb_copy_path {
	PB_COPY_GPU, /* the render device blits into the imported buffer */
	/*
	 * The render device composes; the CPU reads the copy region back into
	 * the mapping. For a render device that renders but cannot write the
	 * imported buffer (mutter's "primary GPU, CPU copy", damage only).
	 */
	PB_COPY_READBACK,
	PB_COPY_CPU, /* pixman renders, rows are copied into the mapping */
};

/* In the order of the configuration's names: auto, gpu, readback, cpu. */
enum pb_copy_preference {
	PB_COPY_PREFER_AUTO,
	PB_COPY_PREFER_GPU,
	PB_COPY_PREFER_READBACK,
	PB_COPY_PREFER_CPU,
};

/* Which EGL device renders for the render device. */
enum pb_egl_device {
	/* The render node's own driver: what a passed-through GPU gets. */
	PB_EGL_DEVICE_NODE,
	/*
	 * Mesa's software EGL device (EGL_MESA_device_software, llvmpipe). It
	 * maps dma-bufs itself (Mesa 24.1 and later), so it can write a buffer
	 * of another DRM device: the test guest's stand-in for a dGPU, whose
	 * buffers are still allocated on the render device and cross devices
	 * as dma-bufs.
	 */
	PB_EGL_DEVICE_SOFTWARE,
};

/* How the host learns of a new frame. */
enum pb_host_update {
	PB_HOST_FLIP,     /* page-flip between buffers the host reads directly */
	PB_HOST_IN_PLACE, /* keep one framebuffer on screen, update it, send dirty rects */
};

enum pb_host_update_preference {
	PB_HOST_UPDATE_PREFER_AUTO,
	PB_HOST_UPDATE_PREFER_FLIP,
	PB_HOST_UPDATE_PREFER_IN_PLACE,
};

struct pb_copy_facts {
	const char *render_driver; /* NULL without a render device */
	bool import_ok;            /* a linear buffer imported and was written */
	const char *import_error;  /* why not, when import_ok is false */
	enum pb_copy_preference preference;
};

/*
 * Picks the copy path and explains the choice in one sentence. A render
 * device that cannot write the linear buffer still composes (read-back); a
 * GPU preference the facts cannot honour falls back that way, saying so.
 * Whether the render device can render at all is learnt only by making its
 * renderer, after this choice.
 */
enum pb_copy_path pb_choose_copy_path(const struct pb_copy_facts *facts, char *why, size_t len);

/*
 * Blob buffers are read by the host in place, so flipping between them costs
 * nothing. Each dumb buffer has its own host copy, and kernels from 6.4 send
 * the whole frame whenever the framebuffer changes: updating one framebuffer
 * in place keeps transfers to the damage on every kernel.
 */
enum pb_host_update pb_choose_host_update(
        enum pb_buffer_kind kind, enum pb_host_update_preference preference, char *why, size_t len);

/* Whether the path composes on the render device (its renderer is GLES). */
bool pb_copy_path_on_render_device(enum pb_copy_path path);

const char *pb_copy_path_name(enum pb_copy_path path);
const char *pb_egl_device_name(enum pb_egl_device device);
const char *pb_host_update_name(enum pb_host_update update);

#endif
