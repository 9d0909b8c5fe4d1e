#include "global_filter.h"

#include <stdlib.h>
#include <wlr/types/wlr_security_context_v1.h>
#include <wlr/util/log.h>

#include "server.h"

/* Every privileged global the compositor makes, with room to spare. */
#define PB_MAX_PRIVILEGED 24

/* A global no sandboxed client sees, and only the clients check accepts (NULL: all). */
struct privileged_global {
	const struct wl_global *global;
	pb_client_check check;
	const void *data;
};

struct pb_global_filter {
	struct pb_server *server;
	struct wlr_security_context_manager_v1 *security_context;
	struct privileged_global privileged[PB_MAX_PRIVILEGED];
	size_t privileged_count;
};

static struct privileged_global *find(
        struct pb_global_filter *filter, const struct wl_global *global)
{
	for (size_t i = 0; i < filter->privileged_count; i++) {
		if (filter->privileged[i].global == global) {
			return &filter->privileged[i];
		}
	}
	return NULL;
}

static bool filter_global(
        const struct wl_client *client, const struct wl_global *global, void *data)
{
	struct pb_global_filter *filter = data;
	const struct privileged_global *p = find(filter, global);
	if (!p) {
		return true;
	}
	bool sandboxed = wlr_security_context_manager_v1_lookup_client(
	                         filter->security_context, (struct wl_client *)client) != NULL;
	return !sandboxed && (!p->check || p->check(client, p->data));
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

void pb_global_filter_restrict(struct pb_server *server, const struct wl_global *global,
        pb_client_check check, const void *data)
{
	struct pb_global_filter *filter = server->global_filter;
	if (filter->privileged_count == PB_MAX_PRIVILEGED) {
		/* A programming error, caught by the sandbox test: fail closed is not possible
		 * here. */
		wlr_log(WLR_ERROR, "Too many privileged globals; raise PB_MAX_PRIVILEGED");
		return;
	}
	filter->privileged[filter->privileged_count++] =
	        (struct privileged_global){.global = global, .check = check, .data = data};
}

void pb_global_filter_mark_privileged(struct pb_server *server, const struct wl_global *global)
{
	pb_global_filter_restrict(server, global, NULL, NULL);
}

void pb_global_filter_forget(struct pb_server *server, const struct wl_global *global)
{
	struct pb_global_filter *filter = server->global_filter;
	struct privileged_global *p = filter ? find(filter, global) : NULL;
	if (p) {
		*p = filter->privileged[--filter->privileged_count];
	}
}
