#ifndef PB_KIOSK_H
#define PB_KIOSK_H

#include <stdbool.h>
#include <sys/types.h>

struct pb_server;

/*
 * Kiosk mode: one application, full screen over every output (spanning the
 * layout, as the outputs are placed), restarted
 * with a growing delay when it ends, and an error screen naming it and its
 * exit status after too many quick failures (while it keeps being retried).
 * Windows of other clients stay hidden; the application's dialogs (windows
 * with a parent) are centred on top, on the first output. The pointer hides after inactivity;
 * VT switching and the quit binding work only when allowed in [kiosk].
 */
struct pb_kiosk;

/*
 * argv: the command after "--", or NULL for [kiosk] command. Starts it, and
 * is the server's window policy until destroyed.
 */
struct pb_kiosk *pb_kiosk_create(struct pb_server *server, const char *socket, char *const *argv);
void pb_kiosk_destroy(struct pb_kiosk *kiosk);

/* The application's process, 0 between restarts. */
pid_t pb_kiosk_pid(const struct pb_kiosk *kiosk);

#endif
