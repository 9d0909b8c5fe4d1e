#include "status_format.h"

#include <inttypes.h>
#include <string.h>

void ctl_set_counter(struct ctl_output *output, const char *name, uint64_t value)
{
	for (int i = 0; i < output->counter_count; i++) {
		if (strcmp(output->counters[i].name, name) == 0) {
			output->counters[i].value = value;
			return;
		}
	}
	if (output->counter_count == CTL_MAX_COUNTERS) {
		return;
	}
	struct ctl_counter *c = &output->counters[output->counter_count++];
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->value = value;
}

uint64_t ctl_counter(const struct ctl_output *output, const char *name)
{
	for (int i = 0; i < output->counter_count; i++) {
		if (strcmp(output->counters[i].name, name) == 0) {
			return output->counters[i].value;
		}
	}
	return 0;
}

static double ms(uint64_t ns)
{
	return (double)ns / 1e6;
}

void ctl_print_table(FILE *out, const struct ctl_status *status)
{
	for (int i = 0; i < status->device_count; i++) {
		const struct ctl_device *d = &status->devices[i];
		fprintf(out, "%-8s %s (%s%s%s)\n", d->role, d->path, d->driver,
		        d->pci_id[0] ? ", " : "", d->pci_id);
	}
	for (int i = 0; i < status->output_count; i++) {
		const struct ctl_output *o = &status->outputs[i];
		if (o->removed) {
			continue;
		}
		fprintf(out, "\noutput %s\n", o->name);
		fprintf(out, "  copy path     %s: %s\n", o->copy_path, o->copy_reason);
		fprintf(out, "  host update   %s: %s\n", o->host_update, o->update_reason);
		fprintf(out, "  buffers       %u x %ux%u %s, stride %u, %u rows\n", o->buffer_count,
		        o->width, o->height, o->buffer_kind, o->stride, o->rows);
		fprintf(out,
		        "  frames        %" PRIu64 " presented, %" PRIu64 " idle, %" PRIu64
		        " flips, %" PRIu64 " fallbacks\n",
		        ctl_counter(o, "frames_presented"), ctl_counter(o, "frames_idle"),
		        ctl_counter(o, "flips"), ctl_counter(o, "fallbacks"));
		fprintf(out,
		        "  pixels        %" PRIu64 " damaged, %" PRIu64 " copied (%" PRIu64
		        " by the CPU), %" PRIu64 " sent to the host\n",
		        ctl_counter(o, "px_damaged"), ctl_counter(o, "px_copied"),
		        ctl_counter(o, "px_copied_cpu"), ctl_counter(o, "px_sent"));
		fprintf(out, "  fences        %" PRIu64 " carried by flips, %" PRIu64 " awaited\n",
		        ctl_counter(o, "fenced_flips"), ctl_counter(o, "fences_awaited"));
		fprintf(out, "  copy time     %.3f ms median, %.3f ms p99\n",
		        ms(ctl_counter(o, "copy_ns_median")), ms(ctl_counter(o, "copy_ns_p99")));
		fprintf(out, "  update time   %.3f ms median, %.3f ms p99\n",
		        ms(ctl_counter(o, "update_ns_median")),
		        ms(ctl_counter(o, "update_ns_p99")));
	}
}

/* A JSON string: quotes, backslashes and control characters escaped. */
static void json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\') {
			fprintf(out, "\\%c", *p);
		} else if (*p < 0x20) {
			fprintf(out, "\\u%04x", *p);
		} else {
			fputc(*p, out);
		}
	}
	fputc('"', out);
}

static void json_field(FILE *out, const char *name, const char *value, bool last)
{
	json_string(out, name);
	fputc(':', out);
	json_string(out, value);
	if (!last) {
		fputc(',', out);
	}
}

void ctl_print_json(FILE *out, const struct ctl_status *status)
{
	fprintf(out, "{\"version\":1,\"devices\":[");
	for (int i = 0; i < status->device_count; i++) {
		const struct ctl_device *d = &status->devices[i];
		fprintf(out, "%s{", i ? "," : "");
		json_field(out, "role", d->role, false);
		json_field(out, "path", d->path, false);
		json_field(out, "driver", d->driver, false);
		json_field(out, "pci_id", d->pci_id, true);
		fputc('}', out);
	}
	fprintf(out, "],\"outputs\":[");
	bool first = true;
	for (int i = 0; i < status->output_count; i++) {
		const struct ctl_output *o = &status->outputs[i];
		if (o->removed) {
			continue;
		}
		fprintf(out, "%s{", first ? "" : ",");
		first = false;
		json_field(out, "name", o->name, false);
		json_field(out, "copy_path", o->copy_path, false);
		json_field(out, "copy_path_reason", o->copy_reason, false);
		json_field(out, "host_update", o->host_update, false);
		json_field(out, "host_update_reason", o->update_reason, false);
		fprintf(out,
		        "\"buffer\":{\"width\":%u,\"height\":%u,\"stride\":%u,\"rows\":%u,"
		        "\"kind\":",
		        o->width, o->height, o->stride, o->rows);
		json_string(out, o->buffer_kind);
		fprintf(out, ",\"count\":%u},\"counters\":{", o->buffer_count);
		for (int c = 0; c < o->counter_count; c++) {
			fprintf(out, "%s", c ? "," : "");
			json_string(out, o->counters[c].name);
			fprintf(out, ":%" PRIu64, o->counters[c].value);
		}
		fprintf(out, "}}");
	}
	fprintf(out, "]}\n");
}
