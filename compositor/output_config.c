#include "output_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <wlr/util/log.h>

#include "output.h"
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

void pb_output_place(struct pb_output *output, bool positioned, int x, int y)
{
	struct wlr_output_layout *layout = output->server->layout;
	if (positioned) {
		wlr_output_layout_add(layout, output->wlr_output, x, y);
	} else {
		/* Also how a position given before (wlr-randr, the old file) is dropped. */
		wlr_output_layout_add_auto(layout, output->wlr_output);
	}
}

bool pb_output_apply_config(struct pb_output *output, const struct pb_config *cfg)
{
	struct wlr_output *wlr_output = output->wlr_output;
	struct pb_output_config oc;
	pb_config_output(cfg, wlr_output->name, &oc);
	wlr_output_enable(wlr_output, oc.enabled);
	if (oc.enabled) {
		struct wlr_output_mode *mode = pb_output_configured_mode(wlr_output, &oc);
		if (mode && mode != wlr_output->current_mode) {
			wlr_output_set_mode(wlr_output, mode);
		}
		wlr_output_set_scale(wlr_output, (float)oc.scale);
		wlr_output_set_transform(wlr_output, (enum wl_output_transform)oc.transform);
	}
	if (!wlr_output_commit(wlr_output)) {
		wlr_log(WLR_ERROR, "%s: the configured state (%s) was refused; it stays as it was",
		        wlr_output->name, oc.enabled ? "on" : "off");
		return false;
	}
	if (oc.enabled) {
		pb_output_place(output, oc.set & PB_OUTPUT_SET_POSITION, oc.x, oc.y);
	} else {
		wlr_output_layout_remove(output->server->layout, wlr_output);
	}
	return true;
}
