#ifndef PB_TABLET_H
#define PB_TABLET_H

#include <stdbool.h>

struct pb_server;

/*
 * tablet-v2 for drawing tablets' pens: sent as pens (pressure, tilt,
 * distance, rotation, slider, wheel, the pen's buttons) to clients that bind
 * tablet-v2, and as an absolute pointer whose tip is the left button over
 * every other surface. Pads (a tablet's own buttons and rings) are not
 * offered.
 */
bool pb_tablet_init(struct pb_server *server);
void pb_tablet_finish(struct pb_server *server);

#endif
