#ifndef PB_EGL_IMPORT_H
#define PB_EGL_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "linear_buffer.h"
#include "render_egl.h"

struct pb_egl_import_result {
	bool imported; /* EGL accepted the dma-buf as an image */
	bool written;  /* a clear rendered into it reached the buffer's memory */
	char renderer[128];
	char error[256];
};

/*
 * Tries, for real, what the GPU copy path depends on: the render device
 * (through the chosen EGL device) imports the display device's linear buffer through EGL, renders
 * into it, and the pixels land in the buffer (checked through its CPU mapping). Overwrites the
 * buffer's contents.
 */
void pb_egl_import_check(enum pb_egl_device device, int render_fd, struct pb_linear_buffer *buf,
        struct pb_egl_import_result *result);

#endif
