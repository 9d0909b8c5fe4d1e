#ifndef PB_PROCESS_TREE_H
#define PB_PROCESS_TREE_H

#include <stdbool.h>
#include <sys/types.h>

/*
 * Whether pid is ancestor or runs below it (following parents through
 * /proc, at most 64 levels): how primebridge recognises the clients of the
 * commands it started, wherever they were forked from.
 */
bool pb_process_descends_from(pid_t pid, pid_t ancestor);

#endif
