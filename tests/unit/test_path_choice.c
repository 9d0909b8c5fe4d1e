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
	CHECK(pb_choose_copy_path(&facts, why, sizeof(why)) == PB_COPY_READBACK);
	CHECK(strstr(why, "GPU path asked for") && strstr(why, "EGL lacks X"));

	/* A render device that cannot write the buffer still composes. */
	facts.preference = PB_COPY_PREFER_AUTO;
	CHECK(pb_choose_copy_path(&facts, why, sizeof(why)) == PB_COPY_READBACK);
	CHECK(strstr(why, "vgem") && strstr(why, "reads the damage back"));

	/* Read-back asked for is honoured even where the GPU path would serve. */
	facts = (struct pb_copy_facts){.render_driver = "amdgpu",
	        .import_ok = true,
	        .preference = PB_COPY_PREFER_READBACK};
	CHECK(pb_choose_copy_path(&facts, why, sizeof(why)) == PB_COPY_READBACK);
	CHECK(strstr(why, "configuration") != NULL);
	facts.render_driver = NULL;
	CHECK(pb_choose_copy_path(&facts, why, sizeof(why)) == PB_COPY_CPU);
	CHECK(strstr(why, "read-back asked for") && strstr(why, "no render device"));
	CHECK(strcmp(pb_copy_path_name(PB_COPY_READBACK), "readback") == 0);
	CHECK(pb_copy_path_on_render_device(PB_COPY_READBACK) &&
	        !pb_copy_path_on_render_device(PB_COPY_CPU));

	facts = (struct pb_copy_facts){0};
	CHECK(pb_choose_copy_path(&facts, why, sizeof(why)) == PB_COPY_CPU);
	CHECK(strstr(why, "no render device") != NULL);

	const enum pb_host_update_preference autom = PB_HOST_UPDATE_PREFER_AUTO;
	CHECK(pb_choose_host_update(PB_BUFFER_BLOB, autom, why, sizeof(why)) == PB_HOST_FLIP);
	CHECK(pb_choose_host_update(PB_BUFFER_DUMB, autom, why, sizeof(why)) == PB_HOST_IN_PLACE);
	CHECK(pb_choose_host_update(PB_BUFFER_DUMB, PB_HOST_UPDATE_PREFER_FLIP, why, sizeof(why)) ==
	        PB_HOST_FLIP);
	CHECK(strstr(why, "configuration") != NULL);
	CHECK(pb_choose_host_update(PB_BUFFER_BLOB, PB_HOST_UPDATE_PREFER_IN_PLACE, why,
	              sizeof(why)) == PB_HOST_IN_PLACE);
	return check_result("path_choice");
}
