#include "kernel_damage.h"

#include <stdio.h>

bool pb_kernel_sends_whole_frames(const char *release, bool module_out_of_tree)
{
	unsigned major = 0, minor = 0;
	if (module_out_of_tree || sscanf(release, "%u.%u", &major, &minor) != 2) {
		return false;
	}
	return major > 6 || (major == 6 && minor >= 8);
}
