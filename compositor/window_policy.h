#ifndef PB_WINDOW_POLICY_H
#define PB_WINDOW_POLICY_H

#include <stdbool.h>
#include <stddef.h>

struct pb_server;
struct pb_view;

/*
 * Where windows go and what the user may do with them: the desktop's
 * (desktop_policy.c) or the kiosk's (kiosk.c). Views and input ask the
 * policy instead of checking which one runs.
 */
struct pb_window_policy_impl {
	/* A window is being mapped: placed. False: it stays hidden and never gets focus. */
	bool (*place)(void *data, struct pb_view *view);
	/* Outputs or panels changed: windows follow. */
	void (*arrange)(void *data);
	/* The pointer moved; NULL: nothing to do. */
	void (*pointer_moved)(void *data);
	/* Whether the quit and VT-switch bindings act. */
	bool (*allows_quit)(void *data);
	bool (*allows_vt_switch)(void *data);
	/* Users move, resize and full-screen windows, which get title bars. */
	bool user_arranges;
};

struct pb_window_policy {
	const struct pb_window_policy_impl *impl;
	void *data;
};

/* The desktop's: windows centred, then where users move them. */
struct pb_window_policy pb_desktop_policy(struct pb_server *server);

static inline bool pb_window_policy_place(const struct pb_window_policy *p, struct pb_view *view)
{
	return p->impl->place(p->data, view);
}

static inline void pb_window_policy_arrange(const struct pb_window_policy *p)
{
	p->impl->arrange(p->data);
}

static inline void pb_window_policy_pointer_moved(const struct pb_window_policy *p)
{
	if (p->impl->pointer_moved) {
		p->impl->pointer_moved(p->data);
	}
}

static inline bool pb_window_policy_allows_quit(const struct pb_window_policy *p)
{
	return p->impl->allows_quit(p->data);
}

static inline bool pb_window_policy_allows_vt_switch(const struct pb_window_policy *p)
{
	return p->impl->allows_vt_switch(p->data);
}

static inline bool pb_window_policy_lets_user_arrange(const struct pb_window_policy *p)
{
	return p->impl->user_arranges;
}

#endif
