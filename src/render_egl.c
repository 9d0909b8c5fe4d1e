#include "render_egl.h"

#include <EGL/eglext.h>
#include <gbm.h>
#include <stdio.h>
#include <string.h>

/* Enough for every EGL device a guest has: the GPUs plus Mesa's software one. */
#define MAX_EGL_DEVICES 16

bool pb_egl_has_extension(const char *list, const char *name)
{
	size_t len = strlen(name);
	for (const char *p = list; p && (p = strstr(p, name)); p += len) {
		if ((p == list || p[-1] == ' ') && (p[len] == ' ' || p[len] == '\0')) {
			return true;
		}
	}
	return false;
}

static EGLDisplay software_display(char *err, size_t len)
{
	PFNEGLQUERYDEVICESEXTPROC query_devices =
	        (PFNEGLQUERYDEVICESEXTPROC)eglGetProcAddress("eglQueryDevicesEXT");
	PFNEGLQUERYDEVICESTRINGEXTPROC query_string =
	        (PFNEGLQUERYDEVICESTRINGEXTPROC)eglGetProcAddress("eglQueryDeviceStringEXT");
	EGLDeviceEXT devices[MAX_EGL_DEVICES];
	EGLint count = 0;
	if (!query_devices || !query_string || !query_devices(MAX_EGL_DEVICES, devices, &count)) {
		snprintf(err, len, "EGL cannot list its devices (EGL_EXT_device_enumeration)");
		return EGL_NO_DISPLAY;
	}
	for (EGLint i = 0; i < count; i++) {
		const char *exts = query_string(devices[i], EGL_EXTENSIONS);
		if (pb_egl_has_extension(exts, "EGL_MESA_device_software")) {
			return eglGetPlatformDisplay(EGL_PLATFORM_DEVICE_EXT, devices[i], NULL);
		}
	}
	snprintf(err, len,
	        "EGL offers no software device (EGL_MESA_device_software): install Mesa's "
	        "EGL drivers (libegl-mesa0)");
	return EGL_NO_DISPLAY;
}

static EGLDisplay node_display(struct pb_render_egl *egl, int render_fd, char *err, size_t len)
{
	egl->gbm = gbm_create_device(render_fd);
	if (!egl->gbm) {
		snprintf(err, len, "gbm_create_device failed on the render device");
		return EGL_NO_DISPLAY;
	}
	return eglGetPlatformDisplay(EGL_PLATFORM_GBM_KHR, egl->gbm, NULL);
}

static bool create_context(struct pb_render_egl *egl, char *err, size_t len)
{
	const char *exts = eglQueryString(egl->display, EGL_EXTENSIONS);
	const char *needed[] = {"EGL_EXT_image_dma_buf_import", "EGL_KHR_surfaceless_context",
	        "EGL_KHR_no_config_context"};
	for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++) {
		if (!pb_egl_has_extension(exts, needed[i])) {
			snprintf(err, len, "EGL lacks %s", needed[i]);
			return false;
		}
	}
	const EGLint attribs[] = {EGL_CONTEXT_CLIENT_VERSION, 2, EGL_NONE};
	if (!eglBindAPI(EGL_OPENGL_ES_API)) {
		snprintf(err, len, "EGL offers no OpenGL ES");
		return false;
	}
	egl->context = eglCreateContext(egl->display, EGL_NO_CONFIG_KHR, EGL_NO_CONTEXT, attribs);
	if (egl->context == EGL_NO_CONTEXT) {
		snprintf(err, len, "creating a GLES 2 context failed (0x%x)", eglGetError());
		return false;
	}
	return true;
}

bool pb_render_egl_open(
        struct pb_render_egl *egl, enum pb_egl_device device, int render_fd, char *err, size_t len)
{
	*egl = (struct pb_render_egl){.display = EGL_NO_DISPLAY, .context = EGL_NO_CONTEXT};
	err[0] = '\0';
	egl->display = device == PB_EGL_DEVICE_SOFTWARE ? software_display(err, len)
	                                                : node_display(egl, render_fd, err, len);
	if (egl->display == EGL_NO_DISPLAY) {
		if (err[0] == '\0') {
			snprintf(err, len, "EGL has no display for the render device (0x%x)",
			        eglGetError());
		}
		pb_render_egl_close(egl);
		return false;
	}
	if (!eglInitialize(egl->display, NULL, NULL)) {
		snprintf(err, len, "EGL initialisation failed (0x%x)", eglGetError());
		egl->display = EGL_NO_DISPLAY; /* nothing to terminate */
		pb_render_egl_close(egl);
		return false;
	}
	if (!create_context(egl, err, len)) {
		pb_render_egl_close(egl);
		return false;
	}
	return true;
}

void pb_render_egl_close(struct pb_render_egl *egl)
{
	if (egl->context != EGL_NO_CONTEXT) {
		eglMakeCurrent(egl->display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
		eglDestroyContext(egl->display, egl->context);
		egl->context = EGL_NO_CONTEXT;
	}
	if (egl->display != EGL_NO_DISPLAY) {
		eglTerminate(egl->display);
		eglReleaseThread();
		egl->display = EGL_NO_DISPLAY;
	}
	if (egl->gbm) {
		gbm_device_destroy(egl->gbm);
		egl->gbm = NULL;
	}
}
