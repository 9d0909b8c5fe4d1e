#include "path_choice.h"

#include <stdio.h>

enum pb_copy_path pb_choose_copy_path(const struct pb_copy_facts *facts, char *why, size_t len)
{
	if (facts->preference == PB_COPY_PREFER_CPU) {
		snprintf(why, len, "the configuration asks for the CPU path");
		return PB_COPY_CPU;
	}
	const char *asked = facts->preference == PB_COPY_PREFER_GPU ? "GPU path asked for, but "
	                    : facts->preference == PB_COPY_PREFER_READBACK
	                            ? "read-back asked for, but "
	                            : "";
	if (!facts->render_driver) {
		snprintf(
		        why, len, "%sno render device was found: pixman renders on the CPU", asked);
		return PB_COPY_CPU;
	}
	if (facts->preference == PB_COPY_PREFER_READBACK) {
		snprintf(why, len,
		        "the configuration asks for read-back: the render device (%s) composes, "
		        "the CPU copies the damage",
		        facts->render_driver);
		return PB_COPY_READBACK;
	}
	if (!facts->import_ok) {
		snprintf(why, len,
		        "%sthe render device (%s) cannot write the linear buffer (%s): it composes "
		        "and the CPU reads the damage back",
		        asked, facts->render_driver,
		        facts->import_error ? facts->import_error : "import failed");
		return PB_COPY_READBACK;
	}
	snprintf(why, len, "the render device (%s) imports the linear buffer and writes it",
	        facts->render_driver);
	return PB_COPY_GPU;
}

enum pb_host_update pb_choose_host_update(
        enum pb_buffer_kind kind, enum pb_host_update_preference preference, char *why, size_t len)
{
	if (preference != PB_HOST_UPDATE_PREFER_AUTO) {
		snprintf(why, len, "the configuration asks for it");
		return preference == PB_HOST_UPDATE_PREFER_FLIP ? PB_HOST_FLIP : PB_HOST_IN_PLACE;
	}
	if (kind == PB_BUFFER_BLOB) {
		snprintf(why, len, "blob buffers are read by the host directly: flip between them");
		return PB_HOST_FLIP;
	}
	snprintf(why, len,
	        "dumb buffers each have a host copy: update one framebuffer in place "
	        "and send only dirty rectangles");
	return PB_HOST_IN_PLACE;
}

bool pb_copy_path_on_render_device(enum pb_copy_path path)
{
	return path != PB_COPY_CPU;
}

const char *pb_copy_path_name(enum pb_copy_path path)
{
	static const char *const names[] = {"gpu", "readback", "cpu"};
	return names[path];
}

const char *pb_egl_device_name(enum pb_egl_device device)
{
	return device == PB_EGL_DEVICE_SOFTWARE ? "software" : "node";
}

const char *pb_host_update_name(enum pb_host_update update)
{
	return update == PB_HOST_FLIP ? "flip" : "in-place";
}
