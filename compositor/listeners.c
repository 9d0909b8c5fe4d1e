#include "listeners.h"

#include <stdlib.h>
#include <wlr/util/log.h>

void pb_listen_recorded(struct pb_listeners *set, struct wl_listener *listener)
{
	if (set->count == PB_LISTENERS_MAX) {
		/* A programming error: an object grew more listeners than the record holds. */
		wlr_log(WLR_ERROR, "More than %d listeners on one object: raise PB_LISTENERS_MAX",
		        PB_LISTENERS_MAX);
		abort();
	}
	set->connected[set->count++] = listener;
}

void pb_listen(struct pb_listeners *set, struct wl_signal *signal, struct wl_listener *listener,
        wl_notify_func_t notify)
{
	listener->notify = notify;
	wl_signal_add(signal, listener);
	pb_listen_recorded(set, listener);
}

void pb_connect_all(struct pb_listeners *set, const struct pb_connection *connections, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		pb_listen(
		        set, connections[i].signal, connections[i].listener, connections[i].notify);
	}
}

void pb_unlisten(struct pb_listeners *set, struct wl_listener *listener)
{
	for (size_t i = 0; i < set->count; i++) {
		if (set->connected[i] == listener) {
			wl_list_remove(&listener->link);
			set->connected[i] = set->connected[--set->count];
			return;
		}
	}
}

void pb_disconnect_all(struct pb_listeners *set)
{
	while (set->count > 0) {
		wl_list_remove(&set->connected[--set->count]->link);
	}
}
