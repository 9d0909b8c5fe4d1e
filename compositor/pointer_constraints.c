#include "pointer_constraints.h"

#include <math.h>
#include <stdlib.h>
#include <wlr/types/wlr_pointer_constraints_v1.h>
#include <wlr/util/log.h>

#include "seat.h"
#include "server.h"

struct pb_pointer_constraints {
	struct pb_server *server;
	struct wlr_pointer_constraints_v1 *manager;
	struct wlr_pointer_constraint_v1 *active;
	struct wl_listener new_constraint;
	struct pb_listeners listeners;
};

/* One per constraint: its end must clear the active pointer. */
struct pb_constraint {
	struct pb_pointer_constraints *owner;
	struct wlr_pointer_constraint_v1 *constraint;
	struct wl_listener destroy;
	struct pb_listeners listeners;
};

static void activate(struct pb_pointer_constraints *pc, struct wlr_pointer_constraint_v1 *c)
{
	if (pc->active == c) {
		return;
	}
	if (pc->active) {
		wlr_pointer_constraint_v1_send_deactivated(pc->active);
	}
	pc->active = c;
	if (c) {
		wlr_pointer_constraint_v1_send_activated(c);
	}
}

static void handle_constraint_destroy(struct wl_listener *listener, void *data)
{
	struct pb_constraint *pbc = wl_container_of(listener, pbc, destroy);
	if (pbc->owner->active == pbc->constraint) {
		pbc->owner->active = NULL;
	}
	pb_disconnect_all(&pbc->listeners);
	free(pbc);
}

static void handle_new_constraint(struct wl_listener *listener, void *data)
{
	struct pb_pointer_constraints *pc = wl_container_of(listener, pc, new_constraint);
	struct wlr_pointer_constraint_v1 *constraint = data;
	struct pb_constraint *pbc = calloc(1, sizeof(*pbc));
	if (!pbc) {
		wlr_log(WLR_ERROR, "Out of memory for a pointer constraint; it stays inactive");
		return;
	}
	pbc->owner = pc;
	pbc->constraint = constraint;
	pb_listen(&pbc->listeners, &constraint->events.destroy, &pbc->destroy,
	        handle_constraint_destroy);
	struct wlr_seat *seat = pc->server->seat->wlr_seat;
	if (constraint->surface == seat->pointer_state.focused_surface &&
	        constraint->surface == seat->keyboard_state.focused_surface) {
		activate(pc, constraint);
	}
}

/*
 * A constraint holds only while its window has the keyboard too: Alt+Tab
 * or a closing window must give the pointer back.
 */
void pb_pointer_constraint_check(struct pb_server *server, struct wlr_surface *surface)
{
	struct pb_pointer_constraints *pc = server->constraints;
	bool focused = surface && surface == server->seat->wlr_seat->keyboard_state.focused_surface;
	activate(pc, focused ? wlr_pointer_constraints_v1_constraint_for_surface(
	                               pc->manager, surface, server->seat->wlr_seat)
	                     : NULL);
}

bool pb_pointer_constraint_apply(struct pb_server *server, double *dx, double *dy)
{
	struct wlr_pointer_constraint_v1 *c = server->constraints->active;
	if (c && c->surface != server->seat->wlr_seat->keyboard_state.focused_surface) {
		activate(server->constraints, NULL);
		c = NULL;
	}
	if (!c) {
		return true;
	}
	if (c->type == WLR_POINTER_CONSTRAINT_V1_LOCKED) {
		return false;
	}
	struct wlr_seat_pointer_state *state = &server->seat->wlr_seat->pointer_state;
	double sx = state->sx + *dx, sy = state->sy + *dy;
	if (!pixman_region32_contains_point(&c->region, (int)floor(sx), (int)floor(sy), NULL)) {
		*dx = 0;
		*dy = 0;
	}
	return true;
}

bool pb_pointer_constraints_init(struct pb_server *server)
{
	struct pb_pointer_constraints *pc = calloc(1, sizeof(*pc));
	if (!pc) {
		return false;
	}
	pc->server = server;
	pc->manager = wlr_pointer_constraints_v1_create(server->display);
	if (!pc->manager) {
		free(pc);
		return false;
	}
	pb_listen(&pc->listeners, &pc->manager->events.new_constraint, &pc->new_constraint,
	        handle_new_constraint);
	server->constraints = pc;
	return true;
}

void pb_pointer_constraints_finish(struct pb_server *server)
{
	if (server->constraints) {
		pb_disconnect_all(&server->constraints->listeners);
		free(server->constraints);
		server->constraints = NULL;
	}
}
