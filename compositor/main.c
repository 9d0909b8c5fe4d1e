#include <stdio.h>
#include <wlr/util/log.h>

#include "config.h"
#include "options.h"
#include "probe.h"
#include "seat.h"
#include "test_pattern_cmd.h"

/* The configuration file, then the command line on top of it. */
static bool load_config(struct pb_config *cfg, const struct pb_options *opts)
{
	pb_config_defaults(cfg);
	char path[512];
	char err[640];
	const char *file = opts->config_path;
	if (!file && pb_config_find(path, sizeof(path))) {
		file = path;
	}
	if (file && !pb_config_load(cfg, file, err, sizeof(err))) {
		fprintf(stderr, "primebridge: %s\n", err);
		return false;
	}
	if (opts->display_device) {
		snprintf(cfg->display_device, sizeof(cfg->display_device), "%s",
		        opts->display_device);
	}
	if (opts->render_device) {
		snprintf(cfg->render_device, sizeof(cfg->render_device), "%s", opts->render_device);
	}
	return true;
}

int main(int argc, char *argv[])
{
	struct pb_options opts;
	char err[256];
	if (!pb_options_parse(&opts, argc, argv, err, sizeof(err))) {
		fprintf(stderr, "primebridge: %s\n", err);
		return 2;
	}
	if (opts.action == PB_ACTION_HELP) {
		fputs(pb_usage, stdout);
		return 0;
	}
	if (opts.action == PB_ACTION_VERSION) {
		printf("primebridge %s\n", PB_VERSION);
		return 0;
	}
	struct pb_config cfg;
	if (!load_config(&cfg, &opts)) {
		return 2;
	}
	wlr_log_init(WLR_ERROR, NULL);
	struct pb_seat seat;
	if (!pb_seat_init(&seat)) {
		return 1;
	}
	int status = opts.action == PB_ACTION_PROBE
	                     ? pb_probe_run(&seat, &cfg)
	                     : pb_test_pattern_run(&seat, &cfg, opts.test_pattern_seconds);
	pb_seat_finish(&seat);
	return status;
}
