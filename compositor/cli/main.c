#include <stdio.h>
#include <wlr/util/log.h>

#include "config.h"
#include "login_session.h"
#include "options.h"
#include "privilege.h"
#include "probe.h"
#include "server.h"
#include "test_pattern_cmd.h"

/*
 * The configuration file, then the command line on top of it. path gets
 * the file read ("" when none).
 */
static bool load_config(
        struct pb_config *cfg, const struct pb_options *opts, char *path, size_t path_len)
{
	pb_config_defaults(cfg);
	char err[640];
	path[0] = '\0';
	const char *file = opts->config_path;
	if (!file) {
		if (pb_config_find(path, path_len)) {
			file = path;
		} else {
			path[0] = '\0';
		}
	}
	if (file && !pb_config_load(cfg, file, err, sizeof(err))) {
		fprintf(stderr, "primebridge: %s\n", err);
		return false;
	}
	if (file && file != path) {
		snprintf(path, path_len, "%s", file);
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
	if (!pb_privilege_drop_set_id(err, sizeof(err))) {
		fprintf(stderr, "primebridge: %s\n", err);
		return 1;
	}
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
	char config_file[512];
	if (!load_config(&cfg, &opts, config_file, sizeof(config_file))) {
		return 2;
	}
	if (opts.action == PB_ACTION_CHECK_CONFIG) {
		printf("%s: valid\n",
		        config_file[0] ? config_file : "no configuration file; defaults");
		return 0;
	}
	if (opts.kiosk && !opts.command && !cfg.kiosk_command[0]) {
		fprintf(stderr, "primebridge: --kiosk needs the application: -- COMMAND ARGS..., "
		                "or command = ... in [kiosk] of the configuration\n");
		return 2;
	}
	if (opts.action != PB_ACTION_PROBE &&
	        !pb_privilege_root_allowed(opts.allow_root, err, sizeof(err))) {
		fprintf(stderr, "primebridge: %s\n", err);
		return 2;
	}
	/* The compositor reports its devices and paths once at start-up, and its counters at exit.
	 */
	enum wlr_log_importance level = opts.action == PB_ACTION_RUN ? WLR_INFO : WLR_ERROR;
	wlr_log_init(opts.debug ? WLR_DEBUG : level, NULL);
	struct pb_login_session login;
	if (!pb_login_session_init(&login)) {
		return 1;
	}
	int status = 1;
	if (opts.action == PB_ACTION_PROBE) {
		status = pb_probe_run(&login, &cfg);
	} else if (opts.action == PB_ACTION_TEST_PATTERN) {
		status = pb_test_pattern_run(&login, &cfg, opts.test_pattern_seconds);
	} else {
		struct pb_server server;
		if (pb_server_init(&server, &login, &cfg, config_file[0] ? config_file : NULL)) {
			server.cfg_kiosk = opts.kiosk;
			status = pb_server_run(&server, opts.command);
			pb_server_finish(&server);
		}
	}
	pb_login_session_finish(&login);
	return status;
}
