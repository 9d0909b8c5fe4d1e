#include "process_tree.h"

#include <stdio.h>
#include <string.h>

#define MAX_ANCESTRY 64

/* The parent of pid from /proc/PID/stat, 0 when unknown. */
static pid_t parent_of(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f) {
		return 0;
	}
	/* "pid (comm) state ppid ...": comm may hold spaces and parentheses. */
	char buf[512];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	const char *close_paren = strrchr(buf, ')');
	int ppid = 0;
	if (!close_paren || sscanf(close_paren + 1, " %*c %d", &ppid) != 1) {
		return 0;
	}
	return (pid_t)ppid;
}

bool pb_process_descends_from(pid_t pid, pid_t ancestor)
{
	if (ancestor <= 0) {
		return false;
	}
	for (int i = 0; i < MAX_ANCESTRY && pid > 1; i++) {
		if (pid == ancestor) {
			return true;
		}
		pid = parent_of(pid);
	}
	return false;
}
