#ifndef PB_RENDER_EGL_H
#define PB_RENDER_EGL_H

#include <EGL/egl.h>
#include <stdbool.h>
#include <stddef.h>

#include "path_choice.h"

struct gbm_device;

/* An initialised EGL display with a current-able GLES 2 context. */
struct pb_render_egl {
	EGLDisplay display;
	EGLContext context;
	struct gbm_device *gbm; /* the node's display goes through GBM; NULL for software */
};

/*
 * Opens the display of the chosen EGL device (render_fd is the render node,
 * used for PB_EGL_DEVICE_NODE) and creates a surfaceless GLES 2 context on
 * it, checking the extensions the GPU path needs to import dma-bufs. On
 * failure everything taken is released and err says which step failed.
 */
bool pb_render_egl_open(
        struct pb_render_egl *egl, enum pb_egl_device device, int render_fd, char *err, size_t len);

/* Destroys the context, terminates the display and releases GBM. */
void pb_render_egl_close(struct pb_render_egl *egl);

/* Whether the space-separated extension list (may be NULL) names this one exactly. */
bool pb_egl_has_extension(const char *list, const char *name);

#endif
