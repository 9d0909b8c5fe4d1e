#ifndef PB_LINUX_DMABUF_H
#define PB_LINUX_DMABUF_H

#include <stdbool.h>
#include <wayland-server-core.h>
#include <wlr/render/wlr_renderer.h>

/*
 * linux-dmabuf v4 for a renderer without a DRM fd of its own: Mesa's
 * software EGL device, the test guest's stand-in. wlroots offers the
 * protocol only for renderers with one (wlr_renderer_init_wl_display does
 * it for a real render device). The default feedback names render_node, the
 * device whose buffers the renderer reads, so GL and Vulkan clients
 * allocate there with no per-application setting; a client's buffer is
 * accepted once the renderer has imported it, and none once the renderer
 * is gone.
 */
bool pb_linux_dmabuf_create(
        struct wl_display *display, struct wlr_renderer *renderer, const char *render_node);

#endif
