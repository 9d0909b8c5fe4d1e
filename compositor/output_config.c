#include "output_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <wlr/util/log.h>

#include "output.h"
#include "output_commit.h"
#include "server.h"

struct wlr_output_mode *pb_output_find_mode(
        struct wlr_output *wlr_output, int32_t width, int32_t height, int32_t refresh_mhz)
{
	struct wlr_output_mode *mode;
	wl_list_for_each(mode, &wlr_output->modes, link)
	{
		/* Rates are rounded differently by each tool: half a hertz either way. */
		if (mode->width == width && mode->height == height &&
		        (refresh_mhz == 0 || abs(mode->refresh - refresh_mhz) <= 500)) {
			return mode;
		}
	}
	return NULL;
}

struct wlr_output_mode *pb_output_configured_mode(
        struct wlr_output *wlr_output, const struct pb_output_config *oc)
{
	struct wlr_output_mode *preferred = wlr_output_preferred_mode(wlr_output);
	if (oc->mode_width == 0) {
		return preferred;
	}
	struct wlr_output_mode *mode = pb_output_find_mode(wlr_output, (int32_t)oc->mode_width,
	        (int32_t)oc->mode_height, (int32_t)oc->mode_refresh_mhz);
	if (mode) {
		return mode;
	}
	char rate[16] = "";
	if (oc->mode_refresh_mhz) {
		snprintf(rate, sizeof(rate), "@%u", oc->mode_refresh_mhz / 1000);
	}
	char listed[512] = "";
	size_t used = 0;
	wl_list_for_each(mode, &wlr_output->modes, link)
	{
		int n = snprintf(listed + used, sizeof(listed) - used, "%s%dx%d@%d",
		        used ? " " : "", mode->width, mode->height, (mode->refresh + 500) / 1000);
		if (n < 0 || (size_t)n >= sizeof(listed) - used) {
			break;
		}
		used += (size_t)n;
	}
	wlr_log(WLR_ERROR,
	        "%s has no mode %ux%u%s as configured in [output] mode; using its preferred mode "
	        "%dx%d. It has: %s",
	        wlr_output->name, oc->mode_width, oc->mode_height, rate,
	        preferred ? preferred->width : 0, preferred ? preferred->height : 0, listed);
	return preferred;
}

/* The output section's settings for this output, staged on state. */
static void stage(struct wlr_output *wlr_output, const struct pb_output_config *oc,
        struct wlr_output_state *state)
{
	wlr_output_state_set_enabled(state, oc->enabled);
	if (!oc->enabled) {
		return;
	}
	struct wlr_output_mode *mode = pb_output_configured_mode(wlr_output, oc);
	if (mode) {
		wlr_output_state_set_mode(state, mode);
	}
	wlr_output_state_set_scale(state, (float)oc->scale);
	wlr_output_state_set_transform(state, (enum wl_output_transform)oc->transform);
}

/* "Virtual-1, Virtual-2": the outputs a refused configuration was for. */
static void list_names(struct pb_output *const *outputs, size_t count, char *out, size_t len)
{
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < count && used < len; i++) {
		int n = snprintf(out + used, len - used, "%s%s", i ? ", " : "",
		        outputs[i]->wlr_output->name);
		used += n > 0 ? (size_t)n : 0;
	}
}

bool pb_output_apply_config(struct pb_server *server, struct pb_output *const *outputs,
        size_t count, const struct pb_config *cfg)
{
	struct wlr_backend_output_state *states = calloc(count, sizeof(*states));
	struct pb_output_place *places = calloc(count, sizeof(*places));
	if (count > 0 && (!states || !places)) {
		wlr_log(WLR_ERROR,
		        "Out of memory applying [output]; the outputs stay as they were");
		free(states);
		free(places);
		return false;
	}
	for (size_t i = 0; i < count; i++) {
		struct wlr_output *wlr_output = outputs[i]->wlr_output;
		struct pb_output_config oc;
		pb_config_output(cfg, wlr_output->name, &oc);
		states[i].output = wlr_output;
		wlr_output_state_init(&states[i].base);
		stage(wlr_output, &oc, &states[i].base);
		places[i] = oc.set & PB_OUTPUT_SET_POSITION
		                    ? (struct pb_output_place){PB_PLACE_AT, oc.x, oc.y}
		                    : (struct pb_output_place){.how = PB_PLACE_AUTO};
	}
	enum pb_output_commit_result result =
	        pb_output_commit(server, states, places, count, false);
	if (result == PB_OUTPUT_REFUSED) {
		char names[256];
		list_names(outputs, count, names, sizeof(names));
		wlr_log(WLR_ERROR, "%s: the configured state was refused; it stays as it was",
		        names);
	}
	for (size_t i = 0; i < count; i++) {
		wlr_output_state_finish(&states[i].base);
	}
	free(states);
	free(places);
	return result == PB_OUTPUT_COMMITTED;
}
