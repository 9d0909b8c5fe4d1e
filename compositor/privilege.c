/*
 * primebridge needs no privileges of its own: the display device comes
 * through libseat (seatd or logind), render nodes are open to their group.
 * As root, every client's way into the compositor would reach root, so root
 * is refused unless asked for (--allow-root: a test VM, an image with no
 * other user). An installation made set-user-ID by mistake loses it first.
 */
#include "privilege.h"

#include <stdio.h>
#include <unistd.h>

bool pb_privilege_drop(bool allow_root, char *err, size_t len)
{
	if (getegid() != getgid() && setgid(getgid()) != 0) {
		snprintf(err, len, "cannot give up the set-group-ID group %u", (unsigned)getegid());
		return false;
	}
	if (geteuid() != getuid() && setuid(getuid()) != 0) {
		snprintf(err, len, "cannot give up the set-user-ID user %u", (unsigned)geteuid());
		return false;
	}
	/* Had root been kept in a saved ID, this would bring it back. */
	if (getuid() != 0 && setuid(0) == 0) {
		snprintf(err, len, "root privileges could be regained after dropping them");
		return false;
	}
	if (getuid() == 0 && !allow_root) {
		snprintf(err, len,
		        "refusing to run as root: run primebridge as the session's user (devices "
		        "come through seatd or logind), or pass --allow-root");
		return false;
	}
	return true;
}
