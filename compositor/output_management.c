#include "output_management.h"

#include <stdlib.h>
#include <wlr/types/wlr_output_management_v1.h>
#include <wlr/types/wlr_output_power_management_v1.h>
#include <wlr/util/log.h>

#include "output.h"
#include "output_config.h"
#include "server.h"

struct pb_output_management {
	struct pb_server *server;
	struct wlr_output_manager_v1 *manager;
	struct wlr_output_power_manager_v1 *power;
	struct wl_listener apply;
	struct wl_listener test;
	struct wl_listener set_power;
};

void pb_output_management_update(struct pb_server *server)
{
	struct pb_output_management *om = server->output_management;
	if (!om) {
		return;
	}
	struct wlr_output_configuration_v1 *config = wlr_output_configuration_v1_create();
	if (!config) {
		wlr_log(WLR_ERROR, "Cannot tell output-management clients the new layout");
		return;
	}
	struct pb_output *output;
	wl_list_for_each(output, &server->outputs, link)
	{
		struct wlr_output_configuration_head_v1 *head =
		        wlr_output_configuration_head_v1_create(config, output->wlr_output);
		struct wlr_box *box = wlr_output_layout_get_box(server->layout, output->wlr_output);
		if (!head) {
			wlr_output_configuration_v1_destroy(config);
			return;
		}
		if (box) {
			head->state.x = box->x;
			head->state.y = box->y;
		}
	}
	wlr_output_manager_v1_set_configuration(om->manager, config);
}

/* Stages one head's requested state on its output (not committed yet). */
static bool stage_head(struct wlr_output_configuration_head_v1 *head)
{
	struct wlr_output *output = head->state.output;
	wlr_output_enable(output, head->state.enabled);
	if (!head->state.enabled) {
		return true;
	}
	if (head->state.mode) {
		wlr_output_set_mode(output, head->state.mode);
	} else {
		/* The connector's modes are all it can show: a custom mode must be one of them. */
		struct wlr_output_mode *mode =
		        pb_output_find_mode(output, head->state.custom_mode.width,
		                head->state.custom_mode.height, head->state.custom_mode.refresh);
		if (!mode) {
			wlr_log(WLR_ERROR,
			        "%s: custom mode %dx%d is not one of the connector's modes",
			        output->name, head->state.custom_mode.width,
			        head->state.custom_mode.height);
			return false;
		}
		wlr_output_set_mode(output, mode);
	}
	wlr_output_set_scale(output, head->state.scale);
	wlr_output_set_transform(output, head->state.transform);
	return true;
}

/* Tests every head, then (when apply) commits them all; each output is left as it was on failure.
 */
static bool configure(
        struct pb_output_management *om, struct wlr_output_configuration_v1 *config, bool apply)
{
	struct wlr_output_configuration_head_v1 *head;
	bool ok = true;
	wl_list_for_each(head, &config->heads, link)
	{
		ok = stage_head(head) && wlr_output_test(head->state.output);
		wlr_output_rollback(head->state.output);
		if (!ok) {
			wlr_log(WLR_INFO, "Output configuration refused for %s",
			        head->state.output->name);
			return false;
		}
	}
	if (!apply) {
		return true;
	}
	wl_list_for_each(head, &config->heads, link)
	{
		struct wlr_output *output = head->state.output;
		if (!stage_head(head) || !wlr_output_commit(output)) {
			wlr_output_rollback(output);
			wlr_log(WLR_ERROR, "%s: the tested configuration failed to apply",
			        output->name);
			ok = false;
			continue;
		}
		struct pb_output *pb = pb_output_from_wlr(om->server, output);
		if (pb && head->state.enabled) {
			pb_output_place(pb, true, head->state.x, head->state.y);
		} else {
			wlr_output_layout_remove(om->server->layout, output);
		}
	}
	return ok;
}

static void handle_apply(struct wl_listener *listener, void *data)
{
	struct pb_output_management *om = wl_container_of(listener, om, apply);
	struct wlr_output_configuration_v1 *config = data;
	if (configure(om, config, true)) {
		wlr_output_configuration_v1_send_succeeded(config);
	} else {
		wlr_output_configuration_v1_send_failed(config);
	}
	wlr_output_configuration_v1_destroy(config);
	/* Clients hear the state in force, whatever happened. */
	pb_output_management_update(om->server);
}

static void handle_test(struct wl_listener *listener, void *data)
{
	struct pb_output_management *om = wl_container_of(listener, om, test);
	struct wlr_output_configuration_v1 *config = data;
	if (configure(om, config, false)) {
		wlr_output_configuration_v1_send_succeeded(config);
	} else {
		wlr_output_configuration_v1_send_failed(config);
	}
	wlr_output_configuration_v1_destroy(config);
}

static void handle_set_power(struct wl_listener *listener, void *data)
{
	struct pb_output_management *om = wl_container_of(listener, om, set_power);
	struct wlr_output_power_v1_set_mode_event *event = data;
	bool on = event->mode == ZWLR_OUTPUT_POWER_V1_MODE_ON;
	if (on && !wlr_output_layout_get(om->server->layout, event->output)) {
		return; /* switched off by output management or the configuration: it stays off */
	}
	wlr_output_enable(event->output, on);
	if (!wlr_output_commit(event->output)) {
		wlr_output_rollback(event->output);
		wlr_log(WLR_ERROR, "%s: cannot turn the output %s", event->output->name,
		        on ? "on" : "off");
	}
}

bool pb_output_management_init(struct pb_server *server)
{
	struct pb_output_management *om = calloc(1, sizeof(*om));
	if (!om) {
		return false;
	}
	om->server = server;
	om->manager = wlr_output_manager_v1_create(server->display);
	om->power = wlr_output_power_manager_v1_create(server->display);
	if (!om->manager || !om->power) {
		free(om);
		return false;
	}
	om->apply.notify = handle_apply;
	wl_signal_add(&om->manager->events.apply, &om->apply);
	om->test.notify = handle_test;
	wl_signal_add(&om->manager->events.test, &om->test);
	om->set_power.notify = handle_set_power;
	wl_signal_add(&om->power->events.set_mode, &om->set_power);
	server->output_management = om;
	return true;
}

void pb_output_management_finish(struct pb_server *server)
{
	struct pb_output_management *om = server->output_management;
	if (!om) {
		return;
	}
	wl_list_remove(&om->apply.link);
	wl_list_remove(&om->test.link);
	wl_list_remove(&om->set_power.link);
	free(om);
	server->output_management = NULL;
}
