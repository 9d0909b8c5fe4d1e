#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "status_format.h"

static char *render(void (*print)(FILE *, const struct ctl_status *), const struct ctl_status *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	print(out, s);
	fclose(out);
	return buf;
}

int main(void)
{
	static struct ctl_status s;
	s.device_count = 1;
	snprintf(s.devices[0].role, sizeof(s.devices[0].role), "display");
	snprintf(s.devices[0].path, sizeof(s.devices[0].path), "/dev/dri/card0");
	snprintf(s.devices[0].driver, sizeof(s.devices[0].driver), "virtio_gpu");
	snprintf(s.devices[0].pci_id, sizeof(s.devices[0].pci_id), "1af4:1050");
	s.output_count = 2;
	struct ctl_output *o = &s.outputs[0];
	snprintf(o->name, sizeof(o->name), "Virtual-1");
	snprintf(o->copy_path, sizeof(o->copy_path), "cpu");
	snprintf(o->copy_reason, sizeof(o->copy_reason), "a \"quoted\" \\ reason\n");
	snprintf(o->host_update, sizeof(o->host_update), "in-place");
	snprintf(o->buffer_kind, sizeof(o->buffer_kind), "dumb");
	o->width = 1280;
	o->stride = 5120;
	o->buffer_count = 1;
	ctl_set_counter(o, "px_sent", 5);
	ctl_set_counter(o, "px_sent", 1ull << 40); /* updates, does not add */
	ctl_set_counter(o, "frames_presented", 3);
	CHECK_EQ_U(o->counter_count, 2);
	CHECK_EQ_U(ctl_counter(o, "px_sent"), 1ull << 40);
	CHECK_EQ_U(ctl_counter(o, "never_sent"), 0);
	s.outputs[1].removed = true; /* removed outputs are not listed */
	snprintf(s.outputs[1].name, sizeof(s.outputs[1].name), "Virtual-2");

	char *json = render(ctl_print_json, &s);
	CHECK(strstr(json,
	              "{\"version\":1,\"devices\":[{\"role\":\"display\",\"path\":"
	              "\"/dev/dri/card0\",\"driver\":\"virtio_gpu\",\"pci_id\":\"1af4:1050\"}]") ==
	        json);
	CHECK(strstr(json, "\"copy_path_reason\":\"a \\\"quoted\\\" \\\\ reason\\u000a\"") != NULL);
	CHECK(strstr(json, "\"counters\":{\"px_sent\":1099511627776,\"frames_presented\":3}") !=
	        NULL);
	CHECK(strstr(json, "\"buffer\":{\"width\":1280,\"height\":0,\"stride\":5120") != NULL);
	CHECK(strstr(json, "Virtual-2") == NULL);
	free(json);

	char *table = render(ctl_print_table, &s);
	CHECK(strstr(table, "display  /dev/dri/card0 (virtio_gpu, 1af4:1050)") != NULL);
	CHECK(strstr(table, "output Virtual-1\n") != NULL);
	CHECK(strstr(table, "3 presented, 0 idle") != NULL);
	CHECK(strstr(table, "1099511627776 sent to the host") != NULL);
	CHECK(strstr(table, "Virtual-2") == NULL);
	free(table);
	return check_result("status_format");
}
