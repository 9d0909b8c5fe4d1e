#include "options.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char pb_usage[] =
        "Usage: primebridge [OPTIONS] [-- COMMAND [ARGS...]]\n"
        "       primebridge [OPTIONS] --kiosk [-- COMMAND [ARGS...]]\n"
        "       primebridge [OPTIONS] --probe | --test-pattern[=SECONDS]\n"
        "       primebridge --check-config [FILE]\n"
        "\n"
        "Shows a Wayland session rendered on a passed-through GPU on a VM's virtio-gpu display.\n"
        "Without an action it runs the compositor; COMMAND is started once clients can\n"
        "connect, with WAYLAND_DISPLAY set, and primebridge exits with its status when it\n"
        "ends.\n"
        "\n"
        "Actions:\n"
        "  --probe                   list DRM devices, their roles and capabilities, try a\n"
        "                            linear buffer import into the render device, and print\n"
        "                            the copy path primebridge would pick; exit 0 when a\n"
        "                            usable display exists\n"
        "  --test-pattern[=SECONDS]  show eight colour bars on every connected output for\n"
        "                            SECONDS (default 10), then exit\n"
        "  --check-config [FILE]     validate the configuration file (FILE, --config or the\n"
        "                            one searched for) and exit: 0 valid, 2 not\n"
        "  -h, --help                show this help\n"
        "  -v, --version             show the version\n"
        "\n"
        "Options:\n"
        "  --display-device PATH     the KMS device to show on (default: the virtio-gpu with a\n"
        "                            connected connector)\n"
        "  --render-device PATH      the GPU to render on (default: the best other GPU)\n"
        "  --config FILE             read FILE instead of\n"
        "                            $XDG_CONFIG_HOME/primebridge/primebridge.conf or\n"
        "                            " PB_SYSCONFDIR "/primebridge/primebridge.conf\n"
        "  --kiosk                   one application (COMMAND, or [kiosk] command) full\n"
        "                            screen, restarted when it exits; see the man page\n"
        "  --allow-root              run even as root (refused otherwise)\n"
        "  -d, --debug               log every frame's copy and damage\n"
        "\n"
        "Environment:\n"
        "  PRIMEBRIDGE_NO_ATOMIC=1   use legacy modesetting even where atomic is offered\n";

static bool set_action(
        struct pb_options *opts, enum pb_action action, const char *arg, char *err, size_t err_len)
{
	if (opts->action != PB_ACTION_RUN && opts->action != action) {
		snprintf(err, err_len, "%s: only one action may be given", arg);
		return false;
	}
	opts->action = action;
	return true;
}

static bool parse_seconds(const char *text, unsigned *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(text, &end, 10);
	if (errno || end == text || *end != '\0' || text[0] == '-' || v == 0 || v > 86400) {
		return false;
	}
	*out = (unsigned)v;
	return true;
}

/* Takes the value of "--name VALUE" or "--name=VALUE"; NULL if this is another option. */
static const char *option_value(const char *name, int argc, char *argv[], int *i, bool *missing)
{
	size_t len = strlen(name);
	const char *arg = argv[*i];
	if (strncmp(arg, name, len) != 0) {
		return NULL;
	}
	if (arg[len] == '=') {
		return arg + len + 1;
	}
	if (arg[len] != '\0') {
		return NULL;
	}
	if (*i + 1 >= argc) {
		*missing = true;
		return NULL;
	}
	return argv[++*i];
}

bool pb_options_parse(struct pb_options *opts, int argc, char *argv[], char *err, size_t err_len)
{
	*opts = (struct pb_options){.test_pattern_seconds = PB_DEFAULT_TEST_PATTERN_SECONDS};
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		bool missing = false;
		const char *value = NULL;
		if (strcmp(arg, "--") == 0) {
			if (i + 1 >= argc) {
				snprintf(err, err_len, "--: expected a command after it");
				return false;
			}
			opts->command = &argv[i + 1];
			break;
		}
		if (strcmp(arg, "--probe") == 0) {
			if (!set_action(opts, PB_ACTION_PROBE, arg, err, err_len)) {
				return false;
			}
		} else if (strcmp(arg, "--test-pattern") == 0 ||
		           strncmp(arg, "--test-pattern=", 15) == 0) {
			if (!set_action(opts, PB_ACTION_TEST_PATTERN, arg, err, err_len)) {
				return false;
			}
			if (arg[14] == '=' &&
			        !parse_seconds(arg + 15, &opts->test_pattern_seconds)) {
				snprintf(err, err_len,
				        "%s: expected a number of seconds from 1 to 86400", arg);
				return false;
			}
		} else if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
			opts->action = PB_ACTION_HELP;
			return true;
		} else if (strcmp(arg, "-v") == 0 || strcmp(arg, "--version") == 0) {
			opts->action = PB_ACTION_VERSION;
			return true;
		} else if (strcmp(arg, "--check-config") == 0) {
			if (!set_action(opts, PB_ACTION_CHECK_CONFIG, arg, err, err_len)) {
				return false;
			}
			/* An optional FILE: the next argument unless it is an option. */
			if (i + 1 < argc && argv[i + 1][0] != '-') {
				opts->config_path = argv[++i];
			}
		} else if (strcmp(arg, "--allow-root") == 0) {
			opts->allow_root = true;
		} else if (strcmp(arg, "--kiosk") == 0) {
			opts->kiosk = true;
		} else if (strcmp(arg, "-d") == 0 || strcmp(arg, "--debug") == 0) {
			opts->debug = true;
		} else if ((value = option_value("--display-device", argc, argv, &i, &missing))) {
			opts->display_device = value;
		} else if ((value = option_value("--render-device", argc, argv, &i, &missing))) {
			opts->render_device = value;
		} else if ((value = option_value("--config", argc, argv, &i, &missing))) {
			opts->config_path = value;
		} else {
			snprintf(err, err_len,
			        missing ? "%s: expected a value after it"
			                : "%s: unknown option (see --help)",
			        arg);
			return false;
		}
		if (value && value[0] == '\0') {
			snprintf(err, err_len, "%s: expected a non-empty value", arg);
			return false;
		}
	}
	if (opts->kiosk && opts->action != PB_ACTION_RUN) {
		snprintf(err, err_len, "--kiosk only goes with running the compositor");
		return false;
	}
	if (opts->command && opts->action != PB_ACTION_RUN) {
		snprintf(err, err_len, "a command after -- only goes with running the compositor");
		return false;
	}
	return true;
}
