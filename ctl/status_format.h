#ifndef PB_STATUS_FORMAT_H
#define PB_STATUS_FORMAT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define CTL_MAX_DEVICES  2
#define CTL_MAX_OUTPUTS  8
#define CTL_MAX_COUNTERS 24

/* What primebridge reported over the control protocol, as primebridgectl holds it. */
struct ctl_device {
	char role[16], path[64], driver[32], pci_id[16];
};

struct ctl_counter {
	char name[32];
	uint64_t value;
};

struct ctl_output {
	char name[32];
	bool removed;
	char copy_path[12], copy_reason[256];
	char host_update[16], update_reason[256];
	uint32_t width, height, stride, rows, buffer_count;
	char buffer_kind[8];
	struct ctl_counter counters[CTL_MAX_COUNTERS];
	int counter_count;
};

struct ctl_status {
	struct ctl_device devices[CTL_MAX_DEVICES];
	int device_count;
	struct ctl_output outputs[CTL_MAX_OUTPUTS];
	int output_count;
};

/* Sets a counter, adding it when new (ignored once the table is full). */
void ctl_set_counter(struct ctl_output *output, const char *name, uint64_t value);
/* A counter's value, 0 when never reported. */
uint64_t ctl_counter(const struct ctl_output *output, const char *name);

/* The human table of `primebridgectl status`. */
void ctl_print_table(FILE *out, const struct ctl_status *status);
/* `primebridgectl status --json`: the schema documented in the README. */
void ctl_print_json(FILE *out, const struct ctl_status *status);

#endif
