#ifndef PB_OUTPUT_MANAGEMENT_H
#define PB_OUTPUT_MANAGEMENT_H

#include <stdbool.h>

struct pb_server;

/*
 * wlr-output-management (wlr-randr, kanshi) and wlr-output-power-management
 * (idle daemons turning screens off); false when a global cannot be made.
 */
bool pb_output_management_init(struct pb_server *server);
void pb_output_management_finish(struct pb_server *server);

/* Tells output-management clients the outputs' current state. */
void pb_output_management_update(struct pb_server *server);

#endif
