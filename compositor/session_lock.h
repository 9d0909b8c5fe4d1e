#ifndef PB_SESSION_LOCK_H
#define PB_SESSION_LOCK_H

#include <stdbool.h>
#include <wlr/types/wlr_compositor.h>

struct pb_server;
struct pb_session_lock;

/*
 * ext-session-lock-v1, for screen lockers (swaylock). Whether the session is
 * locked is the seat's to know (pb_input.locked). While locked, a plain
 * colour covers every output, plugged in later too, with the locker's
 * surfaces above it; only they get input, and no binding but VT switching
 * works. A locker that dies leaves the session locked behind the colour
 * until a new locker unlocks it. The locker hears "locked" once every
 * output has shown a frame of the lock.
 */
bool pb_session_lock_init(struct pb_server *server);
void pb_session_lock_finish(struct pb_server *server);

/* The outputs changed: the lock screen covers them again (nothing while unlocked). */
void pb_session_lock_arrange(struct pb_session_lock *lock);

#endif
