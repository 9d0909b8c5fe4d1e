#include "listeners.h"

void pb_connect_all(const struct pb_connection *connections, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		connections[i].listener->notify = connections[i].notify;
		wl_signal_add(connections[i].signal, connections[i].listener);
	}
}

void pb_disconnect_all(struct wl_listener *const *listeners, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		wl_list_remove(&listeners[i]->link);
		wl_list_init(&listeners[i]->link);
	}
}
