#ifndef PB_PRIVILEGE_H
#define PB_PRIVILEGE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Gives up set-user-ID and set-group-ID privileges for good (real, effective
 * and saved IDs). False with the reason in err.
 */
bool pb_privilege_drop_set_id(char *err, size_t len);

/* Whether to go on as the current user: root only when allow_root. */
bool pb_privilege_root_allowed(bool allow_root, char *err, size_t len);

#endif
