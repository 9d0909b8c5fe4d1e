#include <string.h>

#include "check.h"
#include "path_choice.h"

int main(void)
{
	char why[256];
	struct pb_copy_facts facts = {.render_driver = "amdgpu", .import_ok = true};
	CHECK(pb_choose_copy_path(&facts, why, sizeof(why)) == PB_COPY_GPU);
	CHECK(strstr(why, "amdgpu") != NULL);

	facts.preference = PB_COPY_PREFER_CPU;
	CHECK(pb_choose_copy_path(&facts, why, sizeof(why)) == PB_COPY_CPU);
	CHECK(strstr(why, "configuration") != NULL);

	facts = (struct pb_copy_facts){.render_driver = "vgem",
	        .import_error = "EGL lacks X",
	        .preference = PB_COPY_PREFER_GPU};
	CHECK(pb_choose_copy_path(&facts, why, sizeof(why)) == PB_COPY_CPU);
	CHECK(strstr(why, "GPU path asked for") && strstr(why, "EGL lacks X"));

	facts = (struct pb_copy_facts){0};
	CHECK(pb_choose_copy_path(&facts, why, sizeof(why)) == PB_COPY_CPU);
	CHECK(strstr(why, "no render device") != NULL);

	CHECK(pb_choose_host_update(PB_BUFFER_BLOB, why, sizeof(why)) == PB_HOST_FLIP);
	CHECK(pb_choose_host_update(PB_BUFFER_DUMB, why, sizeof(why)) == PB_HOST_IN_PLACE);
	return check_result("path_choice");
}
