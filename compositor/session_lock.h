#ifndef PB_SESSION_LOCK_H
#define PB_SESSION_LOCK_H

#include <stdbool.h>
#include <wlr/types/wlr_compositor.h>

struct pb_server;
struct pb_session_lock;

/*
 * ext-session-lock-v1, for screen lockers (swaylock). While locked, a plain
 * colour covers every output, plugged in later too, with the locker's
 * surfaces above it; only they get input, and no binding but VT switching
 * works. A locker that dies leaves the session locked behind the colour
 * until a new locker unlocks it. The locker hears "locked" once every
 * output has shown a frame of the lock.
 */
bool pb_session_lock_init(struct pb_server *server);
void pb_session_lock_finish(struct pb_server *server);

/* Whether the session is locked; false for NULL (no lock manager). */
bool pb_session_lock_is_locked(const struct pb_session_lock *lock);

/* Whether the keyboard may go to surface: always, unless locked and it is no lock surface. */
bool pb_session_lock_allows_focus(const struct pb_session_lock *lock, struct wlr_surface *surface);

#endif
