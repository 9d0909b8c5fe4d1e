#ifndef PB_POINTER_GESTURES_H
#define PB_POINTER_GESTURES_H

#include <stdbool.h>

struct pb_server;

/*
 * pointer-gestures-v1: a touchpad's swipes, pinches and holds go to the
 * client under the pointer (browsers' back and zoom, image viewers). No
 * gesture is a compositor binding.
 */
bool pb_pointer_gestures_init(struct pb_server *server);
void pb_pointer_gestures_finish(struct pb_server *server);

#endif
