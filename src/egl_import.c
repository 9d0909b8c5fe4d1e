#include "egl_import.h"

#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <GLES2/gl2.h>
#include <GLES2/gl2ext.h>
#include <drm_fourcc.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Magenta: distinct from a zeroed buffer in two channels, exact in 8 bits. */
#define CHECK_COLOR 0x00ff00ffu
/* Software rasterisers on a large buffer under emulation take seconds, not minutes. */
#define CHECK_TIMEOUT_SECONDS 60

struct egl_state {
	struct pb_render_egl egl;
	EGLImageKHR image;
	GLuint texture, framebuffer;
	PFNEGLCREATEIMAGEKHRPROC create_image;
	PFNEGLDESTROYIMAGEKHRPROC destroy_image;
};

static bool egl_setup(
        struct egl_state *st, enum pb_egl_device device, int render_fd, char *err, size_t len)
{
	if (!pb_render_egl_open(&st->egl, device, render_fd, err, len)) {
		return false;
	}
	st->create_image = (PFNEGLCREATEIMAGEKHRPROC)eglGetProcAddress("eglCreateImageKHR");
	st->destroy_image = (PFNEGLDESTROYIMAGEKHRPROC)eglGetProcAddress("eglDestroyImageKHR");
	if (!st->create_image || !st->destroy_image) {
		snprintf(err, len, "EGL offers no image functions");
		return false;
	}
	if (!eglMakeCurrent(st->egl.display, EGL_NO_SURFACE, EGL_NO_SURFACE, st->egl.context)) {
		snprintf(err, len, "making the GLES context current failed (0x%x)", eglGetError());
		return false;
	}
	return true;
}

static bool import_buffer(
        struct egl_state *st, const struct pb_linear_buffer *buf, char *err, size_t len)
{
	const EGLint attribs[] = {
	        EGL_WIDTH,
	        (EGLint)buf->layout.width,
	        EGL_HEIGHT,
	        (EGLint)buf->layout.height,
	        EGL_LINUX_DRM_FOURCC_EXT,
	        DRM_FORMAT_XRGB8888,
	        EGL_DMA_BUF_PLANE0_FD_EXT,
	        buf->dmabuf_fd,
	        EGL_DMA_BUF_PLANE0_OFFSET_EXT,
	        0,
	        EGL_DMA_BUF_PLANE0_PITCH_EXT,
	        (EGLint)buf->layout.stride,
	        EGL_NONE,
	};
	st->image = st->create_image(
	        st->egl.display, EGL_NO_CONTEXT, EGL_LINUX_DMA_BUF_EXT, NULL, attribs);
	if (st->image == EGL_NO_IMAGE_KHR) {
		snprintf(err, len, "eglCreateImageKHR refused the dma-buf (0x%x)", eglGetError());
		return false;
	}
	return true;
}

static bool render_into(
        struct egl_state *st, const struct pb_linear_buffer *buf, char *err, size_t len)
{
	PFNGLEGLIMAGETARGETTEXTURE2DOESPROC target_texture =
	        (PFNGLEGLIMAGETARGETTEXTURE2DOESPROC)eglGetProcAddress(
	                "glEGLImageTargetTexture2DOES");
	if (!target_texture) {
		snprintf(err, len, "GLES lacks glEGLImageTargetTexture2DOES");
		return false;
	}
	glGenTextures(1, &st->texture);
	glBindTexture(GL_TEXTURE_2D, st->texture);
	target_texture(GL_TEXTURE_2D, st->image);
	glGenFramebuffers(1, &st->framebuffer);
	glBindFramebuffer(GL_FRAMEBUFFER, st->framebuffer);
	glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, st->texture, 0);
	GLenum status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
	if (status != GL_FRAMEBUFFER_COMPLETE) {
		snprintf(err, len, "the imported buffer is not renderable (status 0x%x)", status);
		return false;
	}
	glViewport(0, 0, (GLsizei)buf->layout.width, (GLsizei)buf->layout.height);
	glClearColor(1.0f, 0.0f, 1.0f, 1.0f);
	glClear(GL_COLOR_BUFFER_BIT);
	glFinish();
	return glGetError() == GL_NO_ERROR;
}

/* Checks the corners: a stride or offset mismatch shows at the far end first. */
static bool buffer_holds_color(const struct pb_linear_buffer *buf, uint32_t color)
{
	const struct pb_buffer_layout *l = &buf->layout;
	const uint32_t xs[] = {0, l->width - 1};
	const uint32_t ys[] = {0, l->height - 1};
	for (size_t i = 0; i < 2; i++) {
		for (size_t j = 0; j < 2; j++) {
			uint32_t px;
			memcpy(&px, buf->map + (size_t)ys[j] * l->stride + (size_t)xs[i] * 4, 4);
			if ((px & 0x00ffffffu) != color) {
				return false;
			}
		}
	}
	return true;
}

static void egl_teardown(struct egl_state *st)
{
	if (st->framebuffer) {
		glDeleteFramebuffers(1, &st->framebuffer);
	}
	if (st->texture) {
		glDeleteTextures(1, &st->texture);
	}
	if (st->image != EGL_NO_IMAGE_KHR) {
		st->destroy_image(st->egl.display, st->image);
	}
	pb_render_egl_close(&st->egl);
}

static void write_result(int fd, const struct pb_egl_import_result *result)
{
	ssize_t n = write(fd, result, sizeof(*result));
	(void)n; /* the parent treats a short report as no report */
}

/* Runs in the child: reports after the import, then after rendering. */
static void run_check(enum pb_egl_device device, int render_fd, struct pb_linear_buffer *buf,
        struct pb_egl_import_result *result, int report_fd)
{
	struct egl_state st = {
	        .egl = {.display = EGL_NO_DISPLAY, .context = EGL_NO_CONTEXT},
	        .image = EGL_NO_IMAGE_KHR,
	};
	memset(buf->map, 0, buf->layout.size);
	if (egl_setup(&st, device, render_fd, result->error, sizeof(result->error))) {
		const char *renderer = (const char *)glGetString(GL_RENDERER);
		snprintf(result->renderer, sizeof(result->renderer), "%s",
		        renderer ? renderer : "unknown");
		result->imported = import_buffer(&st, buf, result->error, sizeof(result->error));
	}
	write_result(report_fd, result);
	if (result->imported && render_into(&st, buf, result->error, sizeof(result->error))) {
		result->written = buffer_holds_color(buf, CHECK_COLOR);
		if (!result->written) {
			snprintf(result->error, sizeof(result->error),
			        "the import succeeded but rendered pixels did not reach the "
			        "buffer");
		}
	} else if (result->imported && result->error[0] == '\0') {
		snprintf(result->error, sizeof(result->error), "rendering into the import failed");
	}
	egl_teardown(&st);
	write_result(report_fd, result);
}

/* Keeps the last complete report; returns how many the child sent. */
static int read_reports(int fd, struct pb_egl_import_result *result)
{
	struct pb_egl_import_result report;
	int count = 0;
	while (read(fd, &report, sizeof(report)) == (ssize_t)sizeof(report)) {
		*result = report;
		count++;
	}
	return count;
}

void pb_egl_import_check(enum pb_egl_device device, int render_fd, struct pb_linear_buffer *buf,
        struct pb_egl_import_result *result)
{
	*result = (struct pb_egl_import_result){0};
	int pipe_fds[2];
	if (pipe(pipe_fds) != 0) {
		snprintf(result->error, sizeof(result->error), "cannot create a pipe");
		return;
	}
	/*
	 * Drivers crash on imports they do not support (Mesa 22.3's software
	 * rasteriser on vgem segfaults rendering into one), so the attempt runs
	 * in a child: a crash becomes a finding, not a dead probe.
	 */
	pid_t pid = fork();
	if (pid == 0) {
		close(pipe_fds[0]);
		/* A driver crash must end the child by its signal, whatever handler a
		 * sanitizer installed, so the parent can name it. */
		signal(SIGSEGV, SIG_DFL);
		signal(SIGBUS, SIG_DFL);
		alarm(CHECK_TIMEOUT_SECONDS);
		run_check(device, render_fd, buf, result, pipe_fds[1]);
		_exit(0);
	}
	close(pipe_fds[1]);
	if (pid < 0) {
		close(pipe_fds[0]);
		snprintf(result->error, sizeof(result->error), "cannot fork the import check");
		return;
	}
	bool finished = read_reports(pipe_fds[0], result) == 2;
	close(pipe_fds[0]);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
	}
	if (finished) {
		return;
	}
	/* The child ended between reports: say how, and at which step. */
	char how[64];
	if (WIFSIGNALED(status)) {
		snprintf(how, sizeof(how), "died with signal %d (%s)", WTERMSIG(status),
		        strsignal(WTERMSIG(status)));
	} else {
		snprintf(how, sizeof(how), "exited with status %d",
		        WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	}
	result->written = false;
	snprintf(result->error, sizeof(result->error), "the render driver %s while %s", how,
	        result->imported ? "rendering into the imported buffer" : "importing the buffer");
}
