#ifndef PB_KIOSK_H
#define PB_KIOSK_H

#include <stdbool.h>
#include <sys/types.h>

struct pb_server;
struct pb_view;

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

/* argv: the command after "--", or NULL for [kiosk] command. Starts it. */
struct pb_kiosk *pb_kiosk_create(struct pb_server *server, const char *socket, char *const *argv);
void pb_kiosk_destroy(struct pb_kiosk *kiosk);

/*
 * Places a view that is being mapped. False when it is not the
 * application's: it then stays hidden and never gets focus.
 */
bool pb_kiosk_place(struct pb_kiosk *kiosk, struct pb_view *view);

/* Outputs were added, removed, moved or resized: the application spans them again. */
void pb_kiosk_arrange(struct pb_kiosk *kiosk);

/* Pointer motion: shows the pointer again and restarts the hide timer. */
void pb_kiosk_pointer_moved(struct pb_kiosk *kiosk);

/* The application's process, 0 between restarts. */
pid_t pb_kiosk_pid(const struct pb_kiosk *kiosk);

bool pb_kiosk_allows_vt_switch(const struct pb_kiosk *kiosk);
bool pb_kiosk_allows_quit(const struct pb_kiosk *kiosk);

#endif
