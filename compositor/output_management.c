#include "output_management.h"

#include <stdlib.h>
#include <wlr/types/wlr_output_layout.h>
#include <wlr/types/wlr_output_management_v1.h>
#include <wlr/types/wlr_output_power_management_v1.h>
#include <wlr/util/box.h>
#include <wlr/util/log.h>

#include "global_filter.h"
#include "output.h"
#include "output_commit.h"
#include "output_config.h"
#include "server.h"

struct pb_output_management {
	struct pb_server *server;
	struct wlr_output_manager_v1 *manager;
	struct wlr_output_power_manager_v1 *power;
	struct wl_listener apply;
	struct wl_listener test;
	struct wl_listener set_power;
	struct pb_listeners listeners;
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
		if (!head) {
			wlr_output_configuration_v1_destroy(config);
			return;
		}
		struct wlr_box box;
		wlr_output_layout_get_box(server->layout, output->wlr_output, &box);
		if (!wlr_box_empty(&box)) {
			head->state.x = box.x;
			head->state.y = box.y;
		}
	}
	wlr_output_manager_v1_set_configuration(om->manager, config);
}

/* One head's requested state, staged on state. */
static bool stage_head(
        const struct wlr_output_configuration_head_v1 *head, struct wlr_output_state *state)
{
	struct wlr_output *output = head->state.output;
	wlr_output_state_set_enabled(state, head->state.enabled);
	if (!head->state.enabled) {
		return true;
	}
	if (head->state.mode) {
		wlr_output_state_set_mode(state, head->state.mode);
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
		wlr_output_state_set_mode(state, mode);
	}
	wlr_output_state_set_scale(state, head->state.scale);
	wlr_output_state_set_transform(state, head->state.transform);
	return true;
}

/*
 * Tests every head's state, then (when apply) commits them all at once and
 * places the outputs where the heads say; the outputs keep their state when
 * the configuration is refused.
 */
static bool configure(
        struct pb_output_management *om, struct wlr_output_configuration_v1 *config, bool apply)
{
	size_t count = (size_t)wl_list_length(&config->heads);
	struct wlr_backend_output_state *states = calloc(count ? count : 1, sizeof(*states));
	struct pb_output_place *places = calloc(count ? count : 1, sizeof(*places));
	bool ok = states && places;
	size_t staged = 0;
	struct wlr_output_configuration_head_v1 *head;
	wl_list_for_each(head, &config->heads, link)
	{
		if (!ok) {
			break;
		}
		states[staged].output = head->state.output;
		wlr_output_state_init(&states[staged].base);
		places[staged] =
		        (struct pb_output_place){PB_PLACE_AT, head->state.x, head->state.y};
		ok = stage_head(head, &states[staged++].base);
	}
	enum pb_output_commit_result result =
	        ok ? pb_output_commit(om->server, states, places, staged, !apply)
	           : PB_OUTPUT_REFUSED;
	if (result == PB_OUTPUT_REFUSED) {
		wlr_log(WLR_INFO, "Output configuration refused; the outputs stay as they were");
	}
	for (size_t i = 0; i < staged; i++) {
		wlr_output_state_finish(&states[i].base);
	}
	free(states);
	free(places);
	return result == PB_OUTPUT_COMMITTED;
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
	/* Off, it keeps its place in the layout: windows and panels stay where they are. */
	struct wlr_backend_output_state state = {.output = event->output};
	struct pb_output_place keep = {.how = PB_PLACE_KEEP};
	wlr_output_state_init(&state.base);
	wlr_output_state_set_enabled(&state.base, on);
	if (pb_output_commit(om->server, &state, &keep, 1, false) == PB_OUTPUT_REFUSED) {
		wlr_log(WLR_ERROR, "%s: cannot turn the output %s", event->output->name,
		        on ? "on" : "off");
	}
	wlr_output_state_finish(&state.base);
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
	pb_global_filter_mark_privileged(server, om->manager->global);
	pb_global_filter_mark_privileged(server, om->power->global);
	pb_listen(&om->listeners, &om->manager->events.apply, &om->apply, handle_apply);
	pb_listen(&om->listeners, &om->manager->events.test, &om->test, handle_test);
	pb_listen(&om->listeners, &om->power->events.set_mode, &om->set_power, handle_set_power);
	server->output_management = om;
	return true;
}

void pb_output_management_finish(struct pb_server *server)
{
	struct pb_output_management *om = server->output_management;
	if (!om) {
		return;
	}
	pb_disconnect_all(&om->listeners);
	free(om);
	server->output_management = NULL;
}
