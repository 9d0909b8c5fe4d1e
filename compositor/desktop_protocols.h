#ifndef PB_DESKTOP_PROTOCOLS_H
#define PB_DESKTOP_PROTOCOLS_H

#include <stdbool.h>

struct pb_server;

/*
 * The globals a desktop session expects beyond the shell: xdg-output,
 * viewporter, presentation-time, primary selection, data control, gamma
 * control (refused: the plane has no gamma table), screencopy,
 * export-dmabuf, xdg-decoration (our title bar unless a client draws its
 * own), xdg-activation, foreign-toplevel, ext-idle-notify and idle-inhibit, relative pointer,
 * virtual keyboard and pointer. False with the reason logged.
 */
bool pb_desktop_protocols_init(struct pb_server *server);
void pb_desktop_protocols_finish(struct pb_server *server);

#endif
