#ifndef PB_POINTER_CONSTRAINTS_H
#define PB_POINTER_CONSTRAINTS_H

#include <stdbool.h>
#include <wlr/types/wlr_compositor.h>

struct pb_server;

/* pointer-constraints (games and remote desktops lock or confine the pointer). */
bool pb_pointer_constraints_init(struct pb_server *server);
void pb_pointer_constraints_finish(struct pb_server *server);

/* The pointer entered surface: its constraint, if any, takes effect; others end. */
void pb_pointer_constraint_check(struct pb_server *server, struct wlr_surface *surface);

/*
 * Applies the active constraint to a relative motion: false when the pointer
 * is locked; for a confined pointer, a motion leaving the region becomes zero.
 */
bool pb_pointer_constraint_apply(struct pb_server *server, double *dx, double *dy);

#endif
