#ifndef PB_PRIVILEGE_H
#define PB_PRIVILEGE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Gives up set-user-ID and set-group-ID privileges for good, and refuses to
 * go on as root unless allow_root. False with the reason in err.
 */
bool pb_privilege_drop(bool allow_root, char *err, size_t len);

#endif
