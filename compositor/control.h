#ifndef PB_CONTROL_H
#define PB_CONTROL_H

#include <stdbool.h>
#include <wayland-server-core.h>

struct pb_server;
struct pb_output;

/*
 * The server side of primebridge-control-unstable-v1: a privileged global
 * reporting devices, copy paths, buffers and live counters per output, and
 * taking reload, reset_counters, set_host_update and set_copy_path.
 * Trusted: clients of the control socket ($XDG_RUNTIME_DIR/$WAYLAND_DISPLAY
 * .primebridge-control, owner only), clients primebridge started (the
 * command after "--" and its descendants), and clients of the uids in
 * [control] trusted-uids. Others never see the global.
 */
struct pb_control;

/* Creates the global and the control socket for the Wayland socket `socket`. */
struct pb_control *pb_control_create(struct pb_server *server, const char *socket);
void pb_control_destroy(struct pb_control *control);

/* Outputs come and go: their status objects are announced or told "removed". */
void pb_control_output_added(struct pb_control *control, struct pb_output *output);
void pb_control_output_removed(struct pb_control *control, struct pb_output *output);

#endif
