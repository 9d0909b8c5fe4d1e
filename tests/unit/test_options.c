#include <string.h>

#include "check.h"
#include "options.h"

static bool parse(struct pb_options *o, char *err, size_t len, int argc, const char **argv)
{
	return pb_options_parse(o, argc, (char **)argv, err, len);
}

#define PARSE(o, err, ...)                                                                         \
	parse(o, err, sizeof(err),                                                                 \
	        (int)(sizeof((const char *[]){"primebridge", __VA_ARGS__}) /                       \
	                sizeof(const char *)),                                                     \
	        (const char *[]){"primebridge", __VA_ARGS__})

int main(void)
{
	struct pb_options o;
	char err[256];
	CHECK(PARSE(&o, err, "--probe") && o.action == PB_ACTION_PROBE);
	CHECK(PARSE(&o, err, "--render-device", "/dev/dri/renderD129") &&
	        o.action == PB_ACTION_RUN && o.command == NULL);
	CHECK(PARSE(&o, err, "--test-pattern") && o.action == PB_ACTION_TEST_PATTERN &&
	        o.test_pattern_seconds == PB_DEFAULT_TEST_PATTERN_SECONDS);
	CHECK(PARSE(&o, err, "--test-pattern=3") && o.test_pattern_seconds == 3);
	CHECK(!PARSE(&o, err, "--test-pattern=0"));
	CHECK(!PARSE(&o, err, "--test-pattern=x"));
	CHECK(!PARSE(&o, err, "--test-pattern=-1"));
	CHECK(PARSE(&o, err, "--probe", "--render-device", "/dev/dri/renderD129",
	              "--display-device=/dev/dri/card0") &&
	        strcmp(o.render_device, "/dev/dri/renderD129") == 0 &&
	        strcmp(o.display_device, "/dev/dri/card0") == 0);
	CHECK(!PARSE(&o, err, "--probe", "--render-device"));
	CHECK(strstr(err, "expected a value") != NULL);
	CHECK(!PARSE(&o, err, "--probe", "--render-device="));
	CHECK(!PARSE(&o, err, "--probe", "--bogus"));
	CHECK(strstr(err, "--bogus: unknown option") != NULL);
	CHECK(!PARSE(&o, err, "--probe", "--test-pattern"));
	CHECK(strstr(err, "only one action") != NULL);
	CHECK(!PARSE(&o, err, "--render-device-x"));
	CHECK(PARSE(&o, err, "--probe", "--help") && o.action == PB_ACTION_HELP);
	CHECK(PARSE(&o, err, "--version") && o.action == PB_ACTION_VERSION);
	CHECK(PARSE(&o, err, "--config", "/etc/x.conf", "--probe") &&
	        strcmp(o.config_path, "/etc/x.conf") == 0);
	CHECK(PARSE(&o, err, "-d", "--", "foot", "-e", "--probe") && o.action == PB_ACTION_RUN &&
	        o.debug && strcmp(o.command[0], "foot") == 0 &&
	        strcmp(o.command[2], "--probe") == 0);
	CHECK(!PARSE(&o, err, "--"));
	CHECK(strstr(err, "expected a command") != NULL);
	CHECK(!PARSE(&o, err, "--probe", "--", "foot"));
	CHECK(strstr(err, "only goes with running the compositor") != NULL);
	CHECK(PARSE(&o, err, "--check-config") && o.action == PB_ACTION_CHECK_CONFIG &&
	        o.config_path == NULL);
	CHECK(PARSE(&o, err, "--check-config", "/etc/pb.conf") &&
	        strcmp(o.config_path, "/etc/pb.conf") == 0);
	CHECK(PARSE(&o, err, "--kiosk", "--", "foot") && o.kiosk && o.action == PB_ACTION_RUN);
	CHECK(!PARSE(&o, err, "--kiosk", "--probe"));
	CHECK(strstr(err, "--kiosk only goes with running the compositor") != NULL);
	CHECK(PARSE(&o, err, "--kiosk", "--", "foot") && !o.allow_root);
	CHECK(PARSE(&o, err, "--allow-root", "--", "foot") && o.allow_root && o.command);
	return check_result("options");
}
