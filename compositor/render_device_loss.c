#include "render_device_loss.h"

#include <stdio.h>
#include <wlr/backend/session.h>
#include <wlr/render/allocator.h>
#include <wlr/render/pixman.h>
#include <wlr/types/wlr_compositor.h>
#include <wlr/types/wlr_scene.h>
#include <wlr/util/log.h>

#include "bridge_backend.h"
#include "listeners.h"
#include "output.h"
#include "seat.h"
#include "server.h"

static void stop_watching(struct pb_render_device_loss *loss)
{
	pb_disconnect_all(&loss->listeners);
	if (loss->card_fd >= 0) {
		struct pb_device_opener opener = pb_login_session_opener(loss->server->login);
		opener.close(opener.data, loss->card_fd);
		loss->card_fd = -1;
	}
}

/*
 * Destroying the old renderer left every window without a texture: wlroots
 * shows it again only when its client commits, and then repaints only that
 * commit's damage, so a window would stay empty, or show just what changed.
 * Showing each client's last buffer (kept by wlroots as the source of its
 * texture, readable by pixman when it is shared memory) repaints the whole
 * window now; the client's next commit replaces it as usual.
 */
static void show_last_buffer(struct wlr_scene_buffer *scene_buffer, int sx, int sy, void *data)
{
	struct wlr_client_buffer *shown =
	        scene_buffer->buffer ? wlr_client_buffer_get(scene_buffer->buffer) : NULL;
	if (shown && !shown->texture && shown->source) {
		wlr_scene_buffer_set_buffer(scene_buffer, shown->source);
	}
}

/*
 * Everything that composed on the lost device is replaced by pixman's, in
 * the order wlroots needs: the bridge leaves the device while the old
 * renderer still exists, the outputs get the new renderer before the old
 * one goes, which drops its textures from client buffers (shown again by
 * show_last_buffer). Deferred to the event loop by schedule_move().
 */
static void move_to_cpu(void *data)
{
	struct pb_render_device_loss *loss = data;
	struct pb_server *server = loss->server;
	loss->move = NULL;
	const struct pb_drm_device *render = pb_bridge_setup_render_device(&server->devices);
	char why[256];
	snprintf(why, sizeof(why), "the render device %s (%s) %s: pixman composes on the CPU",
	        render->render_node, render->driver, loss->what);
	stop_watching(loss);
	struct wlr_renderer *pixman = wlr_pixman_renderer_create();
	if (!pixman) {
		wlr_log(WLR_ERROR, "%s, but pixman's renderer cannot be made: quitting", why);
		wl_display_terminate(server->display);
		return;
	}
	struct wlr_backend *bridge = server->devices.bridge;
	pb_bridge_backend_lose_render_device(bridge, pixman, why);
	struct wlr_allocator *allocator = wlr_allocator_autocreate(bridge, pixman);
	if (!allocator) {
		wlr_log(WLR_ERROR, "%s, but no allocator serves it: quitting", why);
		wlr_renderer_destroy(pixman);
		wl_display_terminate(server->display);
		return;
	}
	wlr_log(WLR_ERROR, "Warning: %s from now on; clients go on", why);
	struct pb_output *output, *tmp;
	wl_list_for_each_safe(output, tmp, &server->outputs, link)
	{
		/* An output left with the old renderer would use it once it is destroyed. */
		if (!wlr_output_init_render(output->wlr_output, allocator, pixman)) {
			wlr_log(WLR_ERROR, "%s: cannot render to this output on the CPU: it goes",
			        output->wlr_output->name);
			wlr_output_destroy(output->wlr_output);
		}
	}
	wlr_compositor_set_renderer(server->compositor, pixman);
	wlr_allocator_destroy(server->allocator);
	wlr_renderer_destroy(server->renderer);
	server->renderer = pixman;
	server->allocator = allocator;
	wlr_scene_node_for_each_buffer(&server->scene->tree.node, show_last_buffer, NULL);
	/* The cursor's texture went with the old renderer; the same name would be a no-op. */
	wlr_cursor_unset_image(server->seat->cursor);
	wlr_cursor_set_xcursor(server->seat->cursor, server->seat->cursor_theme, "default");
	pb_startup_plan_forget_render_device(&server->devices.plan, why);
}

static void schedule_move(struct pb_render_device_loss *loss, const char *what)
{
	if (loss->move) {
		return; /* the first cause is the one told */
	}
	loss->what = what;
	loss->move = wl_event_loop_add_idle(
	        wl_display_get_event_loop(loss->server->display), move_to_cpu, loss);
	if (!loss->move) {
		wlr_log(WLR_ERROR, "The render device %s, and its loss cannot be handled: quitting",
		        what);
		wl_display_terminate(loss->server->display);
	}
}

static void handle_device_remove(struct wl_listener *listener, void *data)
{
	struct pb_render_device_loss *loss = wl_container_of(listener, loss, device_remove);
	schedule_move(loss, "was removed");
}

static void handle_renderer_lost(struct wl_listener *listener, void *data)
{
	struct pb_render_device_loss *loss = wl_container_of(listener, loss, renderer_lost);
	schedule_move(loss, "was reset and its renderer lost");
}

void pb_render_device_loss_init(struct pb_render_device_loss *loss, struct pb_server *server)
{
	*loss = (struct pb_render_device_loss){.server = server, .card_fd = -1};
	const struct pb_drm_device *render = pb_bridge_setup_render_device(&server->devices);
	if (!render) {
		return;
	}
	pb_listen(&loss->listeners, &server->renderer->events.lost, &loss->renderer_lost,
	        handle_renderer_lost);
	/* wlroots' session hears udev's remove events only for card nodes it opened. */
	struct pb_device_opener opener = pb_login_session_opener(server->login);
	struct wlr_device *device = NULL;
	if (render->primary_node[0]) {
		loss->card_fd = opener.open(opener.data, render->primary_node);
		device = loss->card_fd >= 0 ? pb_login_session_device(server->login, loss->card_fd)
		                            : NULL;
	}
	if (!device) {
		wlr_log(WLR_INFO,
		        "%s has no card node the seat opens: its removal is not noticed, only "
		        "a reset",
		        render->render_node);
		return;
	}
	pb_listen(&loss->listeners, &device->events.remove, &loss->device_remove,
	        handle_device_remove);
}

void pb_render_device_loss_finish(struct pb_render_device_loss *loss)
{
	if (!loss->server) {
		return;
	}
	if (loss->move) {
		wl_event_source_remove(loss->move);
		loss->move = NULL;
	}
	stop_watching(loss);
}
