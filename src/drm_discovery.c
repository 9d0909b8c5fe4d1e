#define _DEFAULT_SOURCE
#include "drm_discovery.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <xf86drm.h>

#include "virtgpu_caps.h"

#define SYSFS_DRM         "/sys/class/drm"
#define DRM_MAJOR         226
#define RENDER_MINOR_BASE 128

struct found {
	struct pb_drm_device dev;
	char sysfs_path[PATH_MAX];
	int order; /* smallest node number, for a stable listing */
};

/* Copies the last path component of the link or file at path into out. */
static bool read_basename(const char *path, bool follow_link, char *out, size_t len)
{
	char buf[PATH_MAX];
	if (follow_link) {
		ssize_t n = readlink(path, buf, sizeof(buf) - 1);
		if (n < 0) {
			return false;
		}
		buf[n] = '\0';
	} else {
		snprintf(buf, sizeof(buf), "%s", path);
	}
	snprintf(out, len, "%s", basename(buf));
	return true;
}

static uint16_t read_hex_id(const char *dir, const char *file)
{
	char path[PATH_MAX + 16];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	FILE *f = fopen(path, "r");
	if (!f) {
		return 0;
	}
	unsigned int id = 0;
	if (fscanf(f, "%x", &id) != 1) {
		id = 0;
	}
	fclose(f);
	return (uint16_t)id;
}

/* A virtio-gpu is a virtio device whose parent is the PCI function users see. */
static void fill_bus(struct found *f)
{
	char link[PATH_MAX + 16];
	snprintf(link, sizeof(link), "%s/subsystem", f->sysfs_path);
	if (!read_basename(link, true, f->dev.bus, sizeof(f->dev.bus))) {
		snprintf(f->dev.bus, sizeof(f->dev.bus), "unknown");
	}
	char bus_dir[PATH_MAX];
	snprintf(bus_dir, sizeof(bus_dir), "%s", f->sysfs_path);
	if (strcmp(f->dev.bus, "virtio") == 0) {
		char parent_link[PATH_MAX + 16];
		char parent_bus[16];
		char path_copy[PATH_MAX];
		snprintf(path_copy, sizeof(path_copy), "%s", f->sysfs_path);
		snprintf(bus_dir, sizeof(bus_dir), "%s", dirname(path_copy));
		snprintf(parent_link, sizeof(parent_link), "%s/subsystem", bus_dir);
		if (read_basename(parent_link, true, parent_bus, sizeof(parent_bus)) &&
		        strcmp(parent_bus, "pci") == 0) {
			snprintf(f->dev.bus, sizeof(f->dev.bus), "pci");
		} else {
			snprintf(bus_dir, sizeof(bus_dir), "%s", f->sysfs_path);
		}
	}
	read_basename(bus_dir, false, f->dev.bus_id, sizeof(f->dev.bus_id));
	if (strcmp(f->dev.bus, "pci") == 0) {
		f->dev.vendor_id = read_hex_id(bus_dir, "vendor");
		f->dev.device_id = read_hex_id(bus_dir, "device");
	}
}

/*
 * The driver symlink is missing for devices no driver binds (vgem is a bare
 * platform device), so ask the DRM driver itself through the render node,
 * which anyone may open without becoming DRM master.
 */
static void fill_from_render_node(struct found *f)
{
	char link[PATH_MAX + 16];
	snprintf(link, sizeof(link), "%s/driver", f->sysfs_path);
	int fd = f->dev.render_node[0] ? open(f->dev.render_node, O_RDWR | O_CLOEXEC) : -1;
	if (fd >= 0) {
		drmVersionPtr version = drmGetVersion(fd);
		if (version) {
			snprintf(f->dev.driver, sizeof(f->dev.driver), "%s", version->name);
		}
		drmFreeVersion(version);
		struct pb_virtgpu_caps caps;
		f->dev.has_3d = pb_virtgpu_caps_query(fd, &caps) && caps.has_3d;
		close(fd);
	}
	if (f->dev.driver[0] == '\0' &&
	        !read_basename(link, true, f->dev.driver, sizeof(f->dev.driver))) {
		snprintf(f->dev.driver, sizeof(f->dev.driver), "unknown");
	}
}

static struct found *find_or_add(struct found *list, size_t *count, size_t max, const char *path)
{
	for (size_t i = 0; i < *count; i++) {
		if (strcmp(list[i].sysfs_path, path) == 0) {
			return &list[i];
		}
	}
	if (*count == max) {
		return NULL;
	}
	struct found *f = &list[(*count)++];
	*f = (struct found){.dev.connected = -1, .order = INT_MAX};
	snprintf(f->sysfs_path, sizeof(f->sysfs_path), "%s", path);
	return f;
}

/* Parses "cardN" or "renderDN"; connector entries ("card0-Virtual-1") are not nodes. */
static bool parse_node_name(const char *name, bool *is_render, int *number)
{
	const char *digits;
	if (strncmp(name, "renderD", 7) == 0) {
		*is_render = true;
		digits = name + 7;
	} else if (strncmp(name, "card", 4) == 0) {
		*is_render = false;
		digits = name + 4;
	} else {
		return false;
	}
	if (*digits == '\0' || strspn(digits, "0123456789") != strlen(digits)) {
		return false;
	}
	*number = atoi(digits);
	return true;
}

static int compare_order(const void *a, const void *b)
{
	return ((const struct found *)a)->order - ((const struct found *)b)->order;
}

size_t pb_drm_discover(struct pb_drm_device *out, size_t max)
{
	DIR *dir = opendir(SYSFS_DRM);
	if (!dir) {
		return 0;
	}
	struct found list[PB_MAX_DRM_DEVICES];
	size_t count = 0;
	struct dirent *entry;
	while ((entry = readdir(dir))) {
		bool is_render;
		int number;
		if (!parse_node_name(entry->d_name, &is_render, &number)) {
			continue;
		}
		char link[PATH_MAX];
		char device_path[PATH_MAX];
		snprintf(link, sizeof(link), SYSFS_DRM "/%s/device", entry->d_name);
		if (!realpath(link, device_path)) {
			continue;
		}
		struct found *f = find_or_add(list, &count, PB_MAX_DRM_DEVICES, device_path);
		if (!f) {
			break;
		}
		char *node = is_render ? f->dev.render_node : f->dev.primary_node;
		if (snprintf(node, sizeof(f->dev.primary_node), "/dev/dri/%s", entry->d_name) >=
		        (int)sizeof(f->dev.primary_node)) {
			continue;
		}
		int order = is_render ? number - RENDER_MINOR_BASE : number;
		f->order = order < f->order ? order : f->order;
	}
	closedir(dir);
	qsort(list, count, sizeof(list[0]), compare_order);
	size_t n = count < max ? count : max;
	for (size_t i = 0; i < n; i++) {
		fill_bus(&list[i]);
		fill_from_render_node(&list[i]);
		out[i] = list[i].dev;
	}
	return n;
}

bool pb_drm_node_check(
        const char *path, char *canonical, size_t canonical_len, char *err, size_t err_len)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		return false;
	}
	if (!S_ISCHR(st.st_mode)) {
		snprintf(err, err_len,
		        "%s is not a device node but a %s; give a DRM node such as /dev/dri/card0 "
		        "or /dev/dri/renderD128",
		        path,
		        S_ISDIR(st.st_mode) ? "directory" : "regular file or other non-device");
		return false;
	}
	if (major(st.st_rdev) != DRM_MAJOR) {
		snprintf(err, err_len,
		        "%s is a character device but not a DRM node (major %u, DRM is %d)", path,
		        major(st.st_rdev), DRM_MAJOR);
		return false;
	}
	char resolved[PATH_MAX];
	if (!realpath(path, resolved)) {
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		return false;
	}
	snprintf(canonical, canonical_len, "%s", resolved);
	return true;
}
