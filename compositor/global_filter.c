#include "global_filter.h"

#include <stdlib.h>
#include <wlr/types/wlr_security_context_v1.h>
#include <wlr/util/log.h>

#include "control.h"
#include "server.h"
#include "xwayland.h"

/* Every privileged global the compositor makes, with room to spare. */
#define PB_MAX_PRIVILEGED 24

struct pb_global_filter {
	struct pb_server *server;
	struct wlr_security_context_manager_v1 *security_context;
	const struct wl_global *privileged[PB_MAX_PRIVILEGED];
	size_t privileged_count;
};

static bool is_privileged(const struct pb_global_filter *filter, const struct wl_global *global)
{
	for (size_t i = 0; i < filter->privileged_count; i++) {
		if (filter->privileged[i] == global) {
			return true;
		}
	}
	return false;
}

static bool filter_global(
        const struct wl_client *client, const struct wl_global *global, void *data)
{
	struct pb_global_filter *filter = data;
	struct pb_server *server = filter->server;
	if (pb_xwayland_is_shell_global(server, global)) {
		return pb_xwayland_is_server(server, client);
	}
	bool sandboxed = wlr_security_context_manager_v1_lookup_client(
	                         filter->security_context, (struct wl_client *)client) != NULL;
	if (pb_control_is_global(server->control, global)) {
		return !sandboxed && pb_control_trusts(server->control, client);
	}
	return !sandboxed || !is_privileged(filter, global);
}

bool pb_global_filter_init(struct pb_server *server)
{
	struct pb_global_filter *filter = calloc(1, sizeof(*filter));
	if (!filter) {
		return false;
	}
	filter->server = server;
	filter->security_context = wlr_security_context_manager_v1_create(server->display);
	if (!filter->security_context) {
		free(filter);
		return false;
	}
	server->global_filter = filter;
	/* A sandboxed client may not make sandboxes of its own choosing. */
	pb_global_filter_mark_privileged(server, filter->security_context->global);
	wl_display_set_global_filter(server->display, filter_global, filter);
	return true;
}

void pb_global_filter_finish(struct pb_server *server)
{
	if (!server->global_filter) {
		return;
	}
	wl_display_set_global_filter(server->display, NULL, NULL);
	free(server->global_filter);
	server->global_filter = NULL;
}

void pb_global_filter_mark_privileged(struct pb_server *server, const struct wl_global *global)
{
	struct pb_global_filter *filter = server->global_filter;
	if (filter->privileged_count == PB_MAX_PRIVILEGED) {
		/* A programming error, caught by the sandbox test: fail closed is not possible
		 * here. */
		wlr_log(WLR_ERROR, "Too many privileged globals; raise PB_MAX_PRIVILEGED");
		return;
	}
	filter->privileged[filter->privileged_count++] = global;
}
