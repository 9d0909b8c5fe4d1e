#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "config.h"

struct bad_case {
	const char *text;
	const char *message; /* expected "test.conf:LINE: ..." prefix */
};

static const struct bad_case bad_cases[] = {
        {"[devices]\nfoo = 1\n",
                "test.conf:2: unknown key 'foo' in [devices]; expected one of: display, render"},
        {"[screens]\n", "test.conf:1: unknown section [screens]"},
        {"[devices\n", "test.conf:1: malformed section header"},
        {"[devices] x\n", "test.conf:1: malformed section header"},
        {"display = auto\n", "test.conf:1: key 'display' before any [section]"},
        {"[devices]\ndisplay\n", "test.conf:2: expected key = value"},
        {"[devices]\ndisplay = card0\n",
                "test.conf:2: display = 'card0': expected \"auto\" or an absolute path"},
        {"[devices]\nrender = \n", "test.conf:2: render = '': expected"},
        {"[buffers]\nstride-alignment = 100\n",
                "test.conf:2: stride-alignment = '100': expected a power of two"},
        {"[buffers]\nstride-alignment = -256\n", "test.conf:2: stride-alignment = '-256'"},
        {"[buffers]\nstride-alignment = 256px\n", "test.conf:2: stride-alignment = '256px'"},
        {"[buffers]\nstride-alignment = 8192\n", "test.conf:2: stride-alignment = '8192'"},
        {"[buffers]\nstride-alignment = 99999999999999999999\n", "test.conf:2: stride-alignment"},
        {"[render]\ncopy = fast\n", "test.conf:2: copy = 'fast': expected auto, gpu or cpu"},
        {"[devices]\n[devices]\n", "test.conf:2: duplicate section [devices]"},
        {"[buffers]\nhost-update = sometimes\n",
                "test.conf:2: host-update = 'sometimes': expected auto, flip or in-place"},
        {"[control]\ntrusted-uids = 1000 bob\n",
                "test.conf:2: trusted-uids = '1000 bob': expected up to 8 user ids"},
        {"[control]\ntrusted-uids = 0\n", "test.conf:2: trusted-uids = '0'"},
        {"[control]\ntrusted-uids = 1 2 3 4 5 6 7 8 9\n", "test.conf:2: trusted-uids"},
        {"[kiosk]\nallow-quit = yes\n", "test.conf:2: allow-quit = 'yes': expected true or false"},
        {"[kiosk]\nallow-vt-switch = 1\n", "test.conf:2: allow-vt-switch = '1'"},
        {"[kiosk]\nrestart-delay-min = 0\n",
                "test.conf:2: restart-delay-min = '0': expected milliseconds"},
        {"[kiosk]\nrestart-delay-max = 2s\n", "test.conf:2: restart-delay-max = '2s'"},
        {"[kiosk]\nmax-rapid-failures = 1001\n", "test.conf:2: max-rapid-failures = '1001'"},
        {"[kiosk]\nhide-cursor-after = -5\n", "test.conf:2: hide-cursor-after = '-5'"},
        {"[kiosk]\ncommand = foot\ncommand = foot\n", "test.conf:3: duplicate key 'command'"},
        {"[render]\ncopy = gpu\xff\n", "test.conf:2: invalid UTF-8; expected UTF-8 text"},
        {"# caf\xc3\n", "test.conf:1: invalid UTF-8"},
        {"# overlong \xc0\xaf\n", "test.conf:1: invalid UTF-8"},
        {"# surrogate \xed\xa0\x80\n", "test.conf:1: invalid UTF-8"},
        {"[Devices]\n", "test.conf:1: unknown section [Devices]; expected one of: [devices], "
                        "[buffers], [render], [output], [control], [kiosk]"},
        {"[devices]\n= /dev/dri/card0\n", "test.conf:2: unknown key '' in [devices]"},
        {"[output]\nmode = big\n", "test.conf:2: mode = 'big': expected preferred or WIDTHx"},
        {"[output]\nmode = 1024x\n", "test.conf:2: mode = '1024x'"},
        {"[output]\nmode = 0x768\n", "test.conf:2: mode = '0x768'"},
        {"[output]\nmode = 1024x768@\n", "test.conf:2: mode = '1024x768@'"},
        {"[output]\nmode = 1024x768@60Hz\n", "test.conf:2: mode = '1024x768@60Hz'"},
        {"[output]\nmode = -1024x768\n", "test.conf:2: mode = '-1024x768'"},
        {"[output]\nmode = 99999999999x768\n", "test.conf:2: mode = '99999999999x768'"},
        {"[devices]\ndisplay = auto\ndisplay = auto\n", "test.conf:3: duplicate key 'display'"},
        {"# fine\n\n[render]\ncopy = gpu\n[buffers]\nstride-alignment = 3\n", "test.conf:6:"},
};

static void check_bad(const struct bad_case *c)
{
	struct pb_config cfg, before;
	pb_config_defaults(&cfg);
	before = cfg;
	char err[512] = "";
	CHECK(!pb_config_parse(&cfg, c->text, strlen(c->text), "test.conf", err, sizeof(err)));
	if (strncmp(err, c->message, strlen(c->message)) != 0) {
		fprintf(stderr, "for %s got: %s\nexpected: %s\n", c->text, err, c->message);
		check_failures++;
	}
	CHECK(memcmp(&cfg, &before, sizeof(cfg)) == 0); /* nothing half-applied */
}

static void check_overlong_and_nul(void)
{
	char text[2100];
	memset(text, 'x', sizeof(text));
	memcpy(text, "[devices]\n# ", 12);
	text[sizeof(text) - 1] = '\n';
	struct pb_config cfg;
	pb_config_defaults(&cfg);
	char err[256];
	CHECK(!pb_config_parse(&cfg, text, sizeof(text), "long.conf", err, sizeof(err)));
	CHECK(strncmp(err, "long.conf:2: line longer than", 29) == 0);
	const char nul[] = "[devices]\ndisplay = a\0b\n";
	CHECK(!pb_config_parse(&cfg, nul, sizeof(nul) - 1, "nul.conf", err, sizeof(err)));
	CHECK(strncmp(err, "nul.conf:2: NUL byte", 20) == 0);
}

static void check_valid(void)
{
	const char text[] =
	        "# comment\n; also a comment\n\n[devices]\n  display = /dev/dri/card1  \r\n"
	        "render=/dev/dri/renderD130\n[buffers]\nstride-alignment = 64\n"
	        "host-update = flip\n[render]\ncopy = cpu\n[output]\nmode = 1024x768@60";
	struct pb_config cfg;
	pb_config_defaults(&cfg);
	CHECK_EQ_U(cfg.stride_alignment, 256);
	CHECK(cfg.copy == PB_COPY_PREFER_AUTO && cfg.display_device[0] == '\0');
	char err[256];
	CHECK(pb_config_parse(&cfg, text, sizeof(text) - 1, "ok.conf", err, sizeof(err)));
	CHECK(strcmp(cfg.display_device, "/dev/dri/card1") == 0);
	CHECK(strcmp(cfg.render_device, "/dev/dri/renderD130") == 0);
	CHECK_EQ_U(cfg.stride_alignment, 64);
	CHECK(cfg.copy == PB_COPY_PREFER_CPU);
	CHECK(cfg.mode_width == 1024 && cfg.mode_height == 768 && cfg.mode_refresh_mhz == 60000);
	CHECK(cfg.host_update == PB_HOST_UPDATE_PREFER_FLIP);
	const char utf8[] = "# caf\xc3\xa9, \xe2\x82\xac, \xf0\x9f\x96\xa5\n[kiosk]\n"
	                    "command = foot -e 'caf\xc3\xa9'\nallow-quit = true\n"
	                    "hide-cursor-after = 0\nrestart-delay-max = 60000\n";
	CHECK(pb_config_parse(&cfg, utf8, sizeof(utf8) - 1, "ok.conf", err, sizeof(err)));
	CHECK(strcmp(cfg.kiosk_command, "foot -e 'caf\xc3\xa9'") == 0 && cfg.allow_quit &&
	        !cfg.allow_vt_switch && cfg.restart_delay_max_ms == 60000 &&
	        cfg.restart_delay_min_ms == 500 && cfg.max_rapid_failures == 5);
	const char uids[] = "[control]\ntrusted-uids =  1000   1001\n";
	CHECK(pb_config_parse(&cfg, uids, sizeof(uids) - 1, "ok.conf", err, sizeof(err)));
	CHECK(cfg.trusted_uid_count == 2 && cfg.trusted_uids[0] == 1000 &&
	        cfg.trusted_uids[1] == 1001);
	const char any_rate[] = "[output]\nmode = 1366x768\n";
	CHECK(pb_config_parse(&cfg, any_rate, sizeof(any_rate) - 1, "ok.conf", err, sizeof(err)));
	CHECK(cfg.mode_width == 1366 && cfg.mode_height == 768 && cfg.mode_refresh_mhz == 0);
	const char back[] = "[devices]\ndisplay = auto\n";
	CHECK(pb_config_parse(&cfg, back, sizeof(back) - 1, "ok.conf", err, sizeof(err)));
	CHECK(cfg.display_device[0] == '\0');
}

static void check_files(const char *shipped)
{
	struct pb_config cfg, defaults;
	pb_config_defaults(&defaults);
	cfg = defaults;
	char err[512];
	/* The shipped example states every default. */
	CHECK(pb_config_load(&cfg, shipped, err, sizeof(err)));
	CHECK(memcmp(&cfg, &defaults, sizeof(cfg)) == 0);
	CHECK(!pb_config_load(&cfg, "/nonexistent/primebridge.conf", err, sizeof(err)));
	CHECK(strstr(err, "/nonexistent/primebridge.conf: cannot open") == err);
	CHECK(!pb_config_load(&cfg, "/", err, sizeof(err)));
	CHECK(strstr(err, "/: expected a regular file") == err);
	CHECK(memcmp(&cfg, &defaults, sizeof(cfg)) == 0); /* nothing half-applied */

	char dir[] = "/tmp/pb-config-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char path[64];
	snprintf(path, sizeof(path), "%s/big.conf", dir);
	FILE *f = fopen(path, "w");
	for (int i = 0; f && i < (1 << 20) / 8 + 1; i++) {
		fputs("# pad  \n", f);
	}
	if (f) {
		fclose(f);
	}
	CHECK(!pb_config_load(&cfg, path, err, sizeof(err)));
	CHECK(strstr(err, "expected a regular file of at most 1048576 bytes") != NULL);

	/* Unreadable: root reads anything, so the check runs as nobody. */
	snprintf(path, sizeof(path), "%s/secret.conf", dir);
	f = fopen(path, "w");
	if (f) {
		fputs("[render]\ncopy = cpu\n", f);
		fclose(f);
	}
	chmod(path, 0600);
	chmod(dir, 0755);
	pid_t pid = fork();
	if (pid == 0) {
		if (geteuid() == 0 && setuid(65534) != 0) {
			_exit(3);
		}
		struct pb_config c;
		pb_config_defaults(&c);
		char e[512];
		bool refused = !pb_config_load(&c, path, e, sizeof(e)) &&
		               strstr(e, "secret.conf: cannot open: Permission denied") != NULL;
		_exit(refused ? 0 : 1);
	}
	int status = -1;
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	unlink(path);
	snprintf(path, sizeof(path), "%s/big.conf", dir);
	unlink(path);
	rmdir(dir);
}

int main(int argc, char *argv[])
{
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		check_bad(&bad_cases[i]);
	}
	check_overlong_and_nul();
	check_valid();
	CHECK(argc == 2);
	if (argc == 2) {
		check_files(argv[1]);
	}
	return check_result("config");
}
