#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xkbcommon/xkbcommon-keysyms.h>

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
        {"[render]\ncopy = fast\n",
                "test.conf:2: copy = 'fast': expected auto, gpu, readback or cpu"},
        {"[render]\negl-device = llvmpipe\n",
                "test.conf:2: egl-device = 'llvmpipe': expected node or software"},
        {"[render]\ndirect-copy = yes\n",
                "test.conf:2: direct-copy = 'yes': expected true or false"},
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
                        "[buffers], [render], [output], [input], [bindings], [control], "
                        "[kiosk], [output NAME]"},
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
        {"[output Virtual-1]\nposition = 10\n",
                "test.conf:2: position = '10': expected X,Y in layout pixels"},
        {"[output Virtual-1]\nposition = 1,2,3\n", "test.conf:2: position = '1,2,3'"},
        {"[output Virtual-1]\nposition = 99999,0\n", "test.conf:2: position = '99999,0'"},
        {"[output]\nscale = 0\n", "test.conf:2: scale = '0': expected a number from 0.25 to 8"},
        {"[output]\nscale = nan\n", "test.conf:2: scale = 'nan'"},
        {"[output]\nscale = 1.5x\n", "test.conf:2: scale = '1.5x'"},
        {"[output]\ntransform = 45\n", "test.conf:2: transform = '45': expected normal, 90"},
        {"[output]\nenabled = off\n", "test.conf:2: enabled = 'off': expected true or false"},
        {"[output Virtual-1]\n[output Virtual-1]\n",
                "test.conf:2: duplicate section [output Virtual-1]"},
        {"[outputs]\n", "test.conf:1: unknown section [outputs]"},
        {"[output a b]\n", "test.conf:1: malformed section [output a b]; expected [output NAME]"},
        {"[output Virtual-1]\ncopy = cpu\n", "test.conf:2: unknown key 'copy' in [output]"},
        {"[output A]\n[output B]\n[output C]\n[output D]\n[output E]\n[output F]\n"
         "[output G]\n[output H]\n",
                "test.conf:8: more than 7 [output NAME] sections"},
        {"[input]\nkeyboard-layout = us;rm -rf\n",
                "test.conf:2: keyboard-layout = 'us;rm -rf': expected xkb layout names"},
        {"[input]\nkeyboard-layout = zz\nrepeat-rate = 30\n",
                "test.conf:2: xkbcommon cannot compile layout 'zz'"},
        {"[input]\nkeyboard-layout = de\nkeyboard-variant = nosuchvariant\n",
                "test.conf:3: xkbcommon cannot compile layout 'de' variant 'nosuchvariant'"},
        {"[input]\nkeyboard-layout = zz\nkeyboard-options = ctrl:nocaps\n",
                "test.conf:2: xkbcommon cannot compile layout 'zz'"},
        {"[input]\nrepeat-rate = fast\n", "test.conf:2: repeat-rate = 'fast': expected keys"},
        {"[input]\nrepeat-delay = 0\n", "test.conf:2: repeat-delay = '0'"},
        {"[input]\npointer-speed = 2\n", "test.conf:2: pointer-speed = '2': expected a number"},
        {"[input]\npointer-acceleration = linear\n",
                "test.conf:2: pointer-acceleration = 'linear': expected device, adaptive or flat"},
        {"[input]\nnatural-scroll = yes\n",
                "test.conf:2: natural-scroll = 'yes': expected device, true or false"},
        {"[bindings]\nclose = Alt+NoSuchKey\n",
                "test.conf:2: close = 'Alt+NoSuchKey': expected Mod+...+Key"},
        {"[bindings]\nquit = Hyper+q\n", "test.conf:2: quit = 'Hyper+q'"},
        {"[bindings]\ncycle-focus = Alt+Alt+Tab\n", "test.conf:2: cycle-focus = 'Alt+Alt+Tab'"},
        {"[bindings]\nclose = Alt+\n", "test.conf:2: close = 'Alt+'"},
        {"[bindings]\nvt-switch = no\n", "test.conf:2: vt-switch = 'no'"},
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
	        "host-update = flip\n[render]\ncopy = cpu\negl-device = software\ndirect-copy = "
	        "false\n"
	        "[output]\n"
	        "mode = 1024x768@60";
	struct pb_config cfg;
	pb_config_defaults(&cfg);
	CHECK_EQ_U(cfg.stride_alignment, 256);
	CHECK(cfg.copy == PB_COPY_PREFER_AUTO && cfg.display_device[0] == '\0' && cfg.direct_copy);
	CHECK(cfg.egl_device == PB_EGL_DEVICE_NODE);
	char err[256];
	CHECK(pb_config_parse(&cfg, text, sizeof(text) - 1, "ok.conf", err, sizeof(err)));
	CHECK(strcmp(cfg.display_device, "/dev/dri/card1") == 0);
	CHECK(strcmp(cfg.render_device, "/dev/dri/renderD130") == 0);
	CHECK_EQ_U(cfg.stride_alignment, 64);
	CHECK(cfg.copy == PB_COPY_PREFER_CPU && !cfg.direct_copy);
	CHECK(cfg.egl_device == PB_EGL_DEVICE_SOFTWARE);
	CHECK(cfg.outputs[0].mode_width == 1024 && cfg.outputs[0].mode_height == 768 &&
	        cfg.outputs[0].mode_refresh_mhz == 60000);
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
	CHECK(cfg.outputs[0].mode_width == 1366 && cfg.outputs[0].mode_height == 768 &&
	        cfg.outputs[0].mode_refresh_mhz == 0);
	const char back[] = "[devices]\ndisplay = auto\n";
	CHECK(pb_config_parse(&cfg, back, sizeof(back) - 1, "ok.conf", err, sizeof(err)));
	CHECK(cfg.display_device[0] == '\0');
}

static bool same_binding(const struct pb_key_binding *binding, uint32_t modifiers, uint32_t keysym)
{
	return binding->modifiers == modifiers && binding->keysym == keysym;
}

static void check_desktop_sections(void)
{
	const char text[] = "[output]\nscale = 2\n[output Virtual-2]\nmode = 1024x768\n"
	                    "position = 1280,-20\ntransform = flipped-90\n[output Virtual-3]\n"
	                    "enabled = false\n[input]\nkeyboard-layout = de,us\n"
	                    "keyboard-variant = nodeadkeys,\nkeyboard-options = ctrl:nocaps\n"
	                    "repeat-rate = 0\nrepeat-delay = 250\npointer-speed = -0.5\n"
	                    "pointer-acceleration = flat\nnatural-scroll = true\n"
	                    "tap-to-click = false\n[bindings]\nclose = Super+Shift+q\n"
	                    "cycle-focus = none\nquit = ctrl+alt+Delete\nvt-switch = false\n";
	struct pb_config cfg;
	pb_config_defaults(&cfg);
	char err[512];
	CHECK(pb_config_parse(&cfg, text, sizeof(text) - 1, "ok.conf", err, sizeof(err)));
	struct pb_output_config oc;
	pb_config_output(&cfg, "Virtual-2", &oc);
	CHECK(oc.mode_width == 1024 && oc.mode_height == 768 && oc.x == 1280 && oc.y == -20);
	CHECK(oc.scale == 2.0 && oc.transform == 5 && oc.enabled);
	CHECK(oc.set & PB_OUTPUT_SET_POSITION);
	pb_config_output(&cfg, "Virtual-3", &oc);
	CHECK(!oc.enabled && oc.scale == 2.0 && oc.mode_width == 0);
	pb_config_output(&cfg, "Virtual-1", &oc); /* only [output] applies */
	CHECK(oc.enabled && oc.scale == 2.0 && !(oc.set & PB_OUTPUT_SET_POSITION));
	CHECK(strcmp(oc.name, "Virtual-1") == 0);
	const struct pb_input_config *in = &cfg.input;
	CHECK(strcmp(in->xkb_layout, "de,us") == 0 && strcmp(in->xkb_variant, "nodeadkeys,") == 0);
	CHECK(strcmp(in->xkb_options, "ctrl:nocaps") == 0 && in->repeat_rate == 0);
	CHECK(in->repeat_delay_ms == 250 && in->pointer_speed == -0.5);
	CHECK(in->accel_profile == PB_ACCEL_FLAT && in->natural_scroll == PB_ON &&
	        in->tap_to_click == PB_OFF);
	CHECK(same_binding(&cfg.bindings.close, PB_MOD_SHIFT | PB_MOD_LOGO, XKB_KEY_q));
	CHECK(cfg.bindings.cycle_focus.keysym == 0 && !cfg.bindings.vt_switch);
	CHECK(same_binding(&cfg.bindings.quit, PB_MOD_CTRL | PB_MOD_ALT, XKB_KEY_Delete));
	/* Shift+q arrives as Q with Shift held; Caps Lock and Num Lock do not matter. */
	CHECK(pb_key_binding_matches(&cfg.bindings.close, PB_MOD_LOGO | PB_MOD_SHIFT, 'Q'));
	CHECK(pb_key_binding_matches(
	        &cfg.bindings.close, PB_MOD_LOGO | PB_MOD_SHIFT | 2 | 16, 'q'));
	CHECK(!pb_key_binding_matches(&cfg.bindings.close, PB_MOD_LOGO, 'q'));
	CHECK(!pb_key_binding_matches(&cfg.bindings.cycle_focus, PB_MOD_ALT, 0));
	/* The defaults: Alt+F4, Alt+Tab, Ctrl+Alt+BackSpace, VT switching on. */
	pb_config_defaults(&cfg);
	CHECK(same_binding(&cfg.bindings.close, PB_MOD_ALT, XKB_KEY_F4));
	CHECK(same_binding(&cfg.bindings.quit, PB_MOD_CTRL | PB_MOD_ALT, XKB_KEY_BackSpace));
	CHECK(cfg.bindings.vt_switch && cfg.input.repeat_rate == 25 &&
	        cfg.input.repeat_delay_ms == 600);
	/* A second file overrides the named section it repeats rather than adding one. */
	const char again[] = "[output Virtual-2]\nscale = 1\n";
	const char first[] = "[output Virtual-2]\nscale = 3\n";
	CHECK(pb_config_parse(&cfg, first, sizeof(first) - 1, "a.conf", err, sizeof(err)));
	CHECK(pb_config_parse(&cfg, again, sizeof(again) - 1, "b.conf", err, sizeof(err)));
	CHECK(cfg.output_count == 2 && cfg.outputs[1].scale == 1.0);
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

/* Whether cell holds `word` (backticked), or `[word` for sections. */
static bool cell_names(const char *cell, const char *prefix, const char *word)
{
	char quoted[96];
	snprintf(quoted, sizeof(quoted), "`%s%s", prefix, word);
	size_t len = strlen(quoted);
	for (const char *p = strstr(cell, quoted); p; p = strstr(p + 1, quoted)) {
		if (p[len] == '`' || (prefix[0] && (p[len] == ']' || p[len] == ' '))) {
			return true;
		}
	}
	return false;
}

/*
 * The README's table of keys against the parser's own: every key documented
 * in its section, with each word a choice key takes, and "after a restart"
 * exactly for the keys a reload keeps until a restart; no row for a key the
 * parser does not know.
 */
static void check_readme(const char *readme)
{
	FILE *f = fopen(readme, "r");
	CHECK(f != NULL);
	if (!f) {
		return;
	}
	bool documented[64] = {false};
	CHECK(pb_config_key_count() <= 64);
	char line[1024];
	unsigned rows = 0;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "| `[", 4) != 0) {
			continue;
		}
		rows++;
		/* section | key(s) | values | default | on reload */
		char *cells[5] = {0};
		size_t n = 0;
		for (char *c = strtok(line + 1, "|"); c && n < 5; c = strtok(NULL, "|")) {
			cells[n++] = c;
		}
		CHECK(n == 5);
		if (n != 5) {
			continue;
		}
		bool restart = strstr(cells[4], "after a restart") != NULL;
		unsigned matched = 0;
		for (size_t i = 0; i < pb_config_key_count(); i++) {
			const struct pb_config_key *key = pb_config_key_at(i);
			if (!cell_names(cells[0], "[", key->section) ||
			        !cell_names(cells[1], "", key->key)) {
				continue;
			}
			matched++;
			documented[i] = true;
			if (key->needs_restart != restart) {
				fprintf(stderr, "README: [%s] %s: on reload says %s\n",
				        key->section, key->key,
				        restart ? "after a restart" : "at once");
			}
			CHECK(key->needs_restart == restart);
			for (size_t c = 0; c < key->choice_count; c++) {
				if (!cell_names(cells[2], "", key->choices[c])) {
					fprintf(stderr,
					        "README: [%s] %s: the value %s is not listed\n",
					        key->section, key->key, key->choices[c]);
				}
				CHECK(cell_names(cells[2], "", key->choices[c]));
			}
		}
		if (matched == 0) {
			fprintf(stderr, "README: a row names no key the parser knows: %s|%s\n",
			        cells[0], cells[1]);
		}
		CHECK(matched > 0);
	}
	fclose(f);
	CHECK(rows > 0);
	for (size_t i = 0; i < pb_config_key_count(); i++) {
		if (!documented[i]) {
			fprintf(stderr, "README: [%s] %s is not documented\n",
			        pb_config_key_at(i)->section, pb_config_key_at(i)->key);
		}
		CHECK(documented[i]);
	}
}

/* What a reload learns: the keys that changed, and which of them wait for a restart. */
static void check_diff(void)
{
	struct pb_config old, fresh;
	pb_config_defaults(&old);
	fresh = old;
	const struct pb_config_key *changed[8];
	CHECK_EQ_U(pb_config_diff(&old, &fresh, changed, 8), 0);
	char err[256];
	const char text[] = "[render]\ncopy = cpu\n[input]\nrepeat-rate = 0\n"
	                    "[control]\ntrusted-uids = 1000\n[output]\nscale = 2\n";
	CHECK(pb_config_parse(&fresh, text, sizeof(text) - 1, "d.conf", err, sizeof(err)));
	size_t n = pb_config_diff(&old, &fresh, changed, 8);
	CHECK_EQ_U(n, 3); /* output sections are applied as a whole, not listed */
	if (n == 3) {
		CHECK(strcmp(changed[0]->key, "copy") == 0 && changed[0]->needs_restart);
		CHECK(strcmp(changed[1]->key, "repeat-rate") == 0 && !changed[1]->needs_restart);
		CHECK(strcmp(changed[2]->key, "trusted-uids") == 0 && !changed[2]->needs_restart);
	}
	CHECK_EQ_U(pb_config_diff(&old, &fresh, changed, 1), 3); /* counts past max */
	pb_config_keep_restart_values(&fresh, &old);
	CHECK(fresh.copy == old.copy && fresh.input.repeat_rate == 0);
	CHECK(fresh.trusted_uid_count == 1 && fresh.outputs[0].scale == 2.0);
}

int main(int argc, char *argv[])
{
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		check_bad(&bad_cases[i]);
	}
	check_overlong_and_nul();
	check_valid();
	check_desktop_sections();
	check_diff();
	CHECK(argc == 3);
	if (argc == 3) {
		check_files(argv[1]);
		check_readme(argv[2]);
	}
	return check_result("config");
}
