/*
 * primebridge needs no privileges of its own: the display device comes
 * through libseat (seatd or logind), render nodes are open to their group.
 * As root, every client's way into the compositor would reach root, so root
 * is refused unless asked for (--allow-root: a test VM, an image with no
 * other user). An installation made set-user-ID or set-group-ID by mistake
 * loses that before anything else, whatever the action.
 */
#define _GNU_SOURCE
#include "privilege.h"

#include <stdio.h>
#include <unistd.h>

bool pb_privilege_drop_set_id(char *err, size_t len)
{
	uid_t ruid, euid, suid;
	gid_t rgid, egid, sgid;
	if (getresuid(&ruid, &euid, &suid) != 0 || getresgid(&rgid, &egid, &sgid) != 0) {
		snprintf(err, len, "cannot read the process's user and group IDs");
		return false;
	}
	if (egid == rgid && sgid == rgid && euid == ruid && suid == ruid) {
		return true;
	}
	/* The group first: without the set-user-ID, changing it may no longer be allowed. */
	if (setresgid(rgid, rgid, rgid) != 0 || setresuid(ruid, ruid, ruid) != 0) {
		snprintf(err, len, "cannot give up the set-user-ID or set-group-ID privileges");
		return false;
	}
	/* Whatever was given up must stay given up. */
	if ((egid != rgid && setegid(egid) == 0) || (sgid != rgid && setegid(sgid) == 0) ||
	        (euid != ruid && seteuid(euid) == 0) || (suid != ruid && seteuid(suid) == 0)) {
		snprintf(err, len, "set-user-ID or set-group-ID privileges could be regained");
		return false;
	}
	return true;
}

bool pb_privilege_root_allowed(bool allow_root, char *err, size_t len)
{
	if (geteuid() == 0 && !allow_root) {
		snprintf(err, len,
		        "refusing to run as root: run primebridge as the session's user (devices "
		        "come through seatd or logind), or pass --allow-root");
		return false;
	}
	return true;
}
