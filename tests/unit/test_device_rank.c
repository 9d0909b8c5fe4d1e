#include <stdio.h>
#include <string.h>

#include "check.h"
#include "device_rank.h"

/*
 * Each fixture lists the DRM devices of one machine, one per line, and the
 * expected choice in a "# expect display=NODE render=NODE" line.
 */
struct fixture {
	struct pb_drm_device devs[PB_MAX_DRM_DEVICES];
	size_t count;
	char expect_display[64];
	char expect_render[64];
};

static void copy_node(char *out, size_t len, const char *field)
{
	snprintf(out, len, "%s", strcmp(field, "-") == 0 ? "" : field);
}

static bool parse_device(struct pb_drm_device *dev, const char *line)
{
	char primary[64], render[64];
	unsigned vendor, device;
	int has_3d;
	*dev = (struct pb_drm_device){0};
	if (sscanf(line, "%63s %63s %31s %15s %31s %x:%x %d %d", primary, render, dev->driver,
	            dev->bus, dev->bus_id, &vendor, &device, &dev->connected, &has_3d) != 9) {
		return false;
	}
	copy_node(dev->primary_node, sizeof(dev->primary_node), primary);
	copy_node(dev->render_node, sizeof(dev->render_node), render);
	dev->vendor_id = (uint16_t)vendor;
	dev->device_id = (uint16_t)device;
	dev->has_3d = has_3d != 0;
	return true;
}

static bool load_fixture(const char *path, struct fixture *fx)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "%s: cannot open\n", path);
		return false;
	}
	*fx = (struct fixture){0};
	char line[256];
	bool ok = true;
	while (ok && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "# expect display=%63s render=%63s", fx->expect_display,
		            fx->expect_render) == 2 ||
		        line[0] == '#' || line[0] == '\n') {
			continue;
		}
		ok = fx->count < PB_MAX_DRM_DEVICES && parse_device(&fx->devs[fx->count++], line);
		if (!ok) {
			fprintf(stderr, "%s: malformed line: %s", path, line);
		}
	}
	fclose(f);
	return ok && fx->expect_display[0] && fx->expect_render[0];
}

static const char *node_or_none(const char *node)
{
	return node ? node : "none";
}

static void check_fixture(const char *path)
{
	struct fixture fx;
	CHECK(load_fixture(path, &fx));
	int display = pb_rank_display(fx.devs, fx.count);
	int render = pb_rank_render(fx.devs, fx.count, display);
	const char *display_node =
	        node_or_none(display >= 0 ? fx.devs[display].primary_node : NULL);
	const char *render_node = node_or_none(render >= 0 ? fx.devs[render].render_node : NULL);
	if (strcmp(display_node, fx.expect_display) != 0 ||
	        strcmp(render_node, fx.expect_render) != 0) {
		fprintf(stderr, "%s: chose display=%s render=%s, expected display=%s render=%s\n",
		        path, display_node, render_node, fx.expect_display, fx.expect_render);
		check_failures++;
	}
}

int main(int argc, char *argv[])
{
	CHECK(argc > 1);
	for (int i = 1; i < argc; i++) {
		check_fixture(argv[i]);
	}

	/* Node lookup for --display-device and --render-device. */
	struct fixture fx;
	CHECK(argc > 1 && load_fixture(argv[1], &fx));
	CHECK(pb_find_device_by_node(fx.devs, fx.count, fx.devs[0].primary_node) == 0);
	CHECK(pb_find_device_by_node(fx.devs, fx.count, fx.devs[0].render_node) == 0);
	CHECK(pb_find_device_by_node(fx.devs, fx.count, "/dev/dri/card9") == -1);
	return check_result("device_rank");
}
