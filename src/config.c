#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buffer_layout.h"

#define CONFIG_FILE_MAX (1 << 20)

struct key_def {
	const char *section;
	const char *key;
	const char *expected; /* for error messages */
	bool (*parse)(struct pb_config *cfg, const char *value);
};

static bool parse_device_path(char *out, const char *value)
{
	if (strcmp(value, "auto") == 0) {
		out[0] = '\0';
		return true;
	}
	if (value[0] != '/' || strlen(value) >= PB_CONFIG_PATH_MAX) {
		return false;
	}
	snprintf(out, PB_CONFIG_PATH_MAX, "%s", value);
	return true;
}

static bool parse_display(struct pb_config *cfg, const char *value)
{
	return parse_device_path(cfg->display_device, value);
}

static bool parse_render(struct pb_config *cfg, const char *value)
{
	return parse_device_path(cfg->render_device, value);
}

static bool parse_stride_alignment(struct pb_config *cfg, const char *value)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(value, &end, 10);
	if (errno || *end != '\0' || value[0] < '0' || value[0] > '9' || v > UINT32_MAX ||
	        !pb_stride_align_valid((uint32_t)v)) {
		return false;
	}
	cfg->stride_alignment = (uint32_t)v;
	return true;
}

/* The index of value in names (count of them), as an enum's value. */
static bool parse_choice(const char *value, const char *const *names, size_t count, int *out)
{
	for (size_t i = 0; i < count; i++) {
		if (strcmp(value, names[i]) == 0) {
			*out = (int)i;
			return true;
		}
	}
	return false;
}

static bool parse_copy(struct pb_config *cfg, const char *value)
{
	static const char *const names[] = {"auto", "gpu", "cpu"};
	int i;
	if (!parse_choice(value, names, 3, &i)) {
		return false;
	}
	cfg->copy = (enum pb_copy_preference)i;
	return true;
}

static bool parse_host_update(struct pb_config *cfg, const char *value)
{
	static const char *const names[] = {"auto", "flip", "in-place"};
	int i;
	if (!parse_choice(value, names, 3, &i)) {
		return false;
	}
	cfg->host_update = (enum pb_host_update_preference)i;
	return true;
}

/* A decimal number from 1 to max, all of text. */
static bool parse_uint(const char *text, size_t len, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;
	if (len == 0 || len > 10) {
		return false;
	}
	for (size_t i = 0; i < len; i++) {
		if (text[i] < '0' || text[i] > '9') {
			return false;
		}
		v = v * 10 + (uint64_t)(text[i] - '0');
	}
	if (v == 0 || v > max) {
		return false;
	}
	*out = (uint32_t)v;
	return true;
}

static bool parse_mode(struct pb_config *cfg, const char *value)
{
	if (strcmp(value, "preferred") == 0) {
		cfg->mode_width = cfg->mode_height = cfg->mode_refresh_mhz = 0;
		return true;
	}
	const char *x = strchr(value, 'x');
	if (!x) {
		return false;
	}
	const char *at = strchr(x, '@');
	size_t height_len = at ? (size_t)(at - x - 1) : strlen(x + 1);
	uint32_t w, h, hz = 0;
	if (!parse_uint(value, (size_t)(x - value), 16384, &w) ||
	        !parse_uint(x + 1, height_len, 16384, &h) ||
	        (at && !parse_uint(at + 1, strlen(at + 1), 1000, &hz))) {
		return false;
	}
	cfg->mode_width = w;
	cfg->mode_height = h;
	cfg->mode_refresh_mhz = hz * 1000;
	return true;
}

/* Space-separated uids, at most PB_CONFIG_MAX_UIDS; empty for none. */
static bool parse_uids(struct pb_config *cfg, const char *value)
{
	uint32_t uids[PB_CONFIG_MAX_UIDS];
	size_t count = 0;
	const char *p = value;
	while (*p) {
		size_t len = strcspn(p, " ");
		if (len > 0) {
			uint32_t uid;
			/* uid 0 is refused: root is trusted only through the control socket. */
			if (count == PB_CONFIG_MAX_UIDS ||
			        !parse_uint(p, len, UINT32_MAX - 1, &uid)) {
				return false;
			}
			uids[count++] = uid;
		}
		p += len;
		p += strspn(p, " ");
	}
	memcpy(cfg->trusted_uids, uids, count * sizeof(uids[0]));
	cfg->trusted_uid_count = count;
	return true;
}

static bool parse_bool(const char *value, bool *out)
{
	if (strcmp(value, "true") == 0 || strcmp(value, "false") == 0) {
		*out = value[0] == 't';
		return true;
	}
	return false;
}

static bool parse_command(struct pb_config *cfg, const char *value)
{
	snprintf(cfg->kiosk_command, sizeof(cfg->kiosk_command), "%s", value);
	return true;
}

static bool parse_delay_min(struct pb_config *cfg, const char *value)
{
	return parse_uint(value, strlen(value), 3600000, &cfg->restart_delay_min_ms);
}

static bool parse_delay_max(struct pb_config *cfg, const char *value)
{
	return parse_uint(value, strlen(value), 3600000, &cfg->restart_delay_max_ms);
}

static bool parse_failures(struct pb_config *cfg, const char *value)
{
	return parse_uint(value, strlen(value), 1000, &cfg->max_rapid_failures);
}

static bool parse_hide_cursor(struct pb_config *cfg, const char *value)
{
	if (strcmp(value, "0") == 0) {
		cfg->hide_cursor_after_s = 0;
		return true;
	}
	return parse_uint(value, strlen(value), 86400, &cfg->hide_cursor_after_s);
}

static bool parse_allow_vt(struct pb_config *cfg, const char *value)
{
	return parse_bool(value, &cfg->allow_vt_switch);
}

static bool parse_allow_quit(struct pb_config *cfg, const char *value)
{
	return parse_bool(value, &cfg->allow_quit);
}

static const struct key_def keys[] = {
        {"devices", "display", "\"auto\" or an absolute path such as /dev/dri/card0",
                parse_display},
        {"devices", "render", "\"auto\" or an absolute path such as /dev/dri/renderD128",
                parse_render},
        {"buffers", "stride-alignment", "a power of two from 4 to 4096 (bytes)",
                parse_stride_alignment},
        {"buffers", "host-update", "auto, flip or in-place", parse_host_update},
        {"render", "copy", "auto, gpu or cpu", parse_copy},
        {"output", "mode", "preferred or WIDTHxHEIGHT[@HZ], such as 1024x768@60", parse_mode},
        {"control", "trusted-uids", "up to 8 user ids from 1, separated by spaces", parse_uids},
        {"kiosk", "command", "a shell command line (empty: the command after --)", parse_command},
        {"kiosk", "restart-delay-min", "milliseconds from 1 to 3600000", parse_delay_min},
        {"kiosk", "restart-delay-max", "milliseconds from 1 to 3600000", parse_delay_max},
        {"kiosk", "max-rapid-failures", "a number from 1 to 1000", parse_failures},
        {"kiosk", "hide-cursor-after", "seconds from 0 (never) to 86400", parse_hide_cursor},
        {"kiosk", "allow-vt-switch", "true or false", parse_allow_vt},
        {"kiosk", "allow-quit", "true or false", parse_allow_quit},
};
#define KEY_COUNT (sizeof(keys) / sizeof(keys[0]))

void pb_config_defaults(struct pb_config *cfg)
{
	*cfg = (struct pb_config){
	        .stride_alignment = PB_DEFAULT_STRIDE_ALIGN,
	        .copy = PB_COPY_PREFER_AUTO,
	        .restart_delay_min_ms = 500,
	        .restart_delay_max_ms = 30000,
	        .max_rapid_failures = 5,
	};
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t') {
		s++;
	}
	char *end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r')) {
		*--end = '\0';
	}
	return s;
}

static bool section_known(const char *name)
{
	for (size_t i = 0; i < KEY_COUNT; i++) {
		if (strcmp(keys[i].section, name) == 0) {
			return true;
		}
	}
	return false;
}

static const struct key_def *find_key(const char *section, const char *key)
{
	for (size_t i = 0; i < KEY_COUNT; i++) {
		if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].key, key) == 0) {
			return &keys[i];
		}
	}
	return NULL;
}

/* Lists the sections, in order, for "expected one of" messages. */
static void section_names(char *out, size_t len)
{
	out[0] = '\0';
	for (size_t i = 0; i < KEY_COUNT; i++) {
		if (i == 0 || strcmp(keys[i].section, keys[i - 1].section) != 0) {
			size_t used = strlen(out);
			snprintf(out + used, len - used, "%s[%s]", used ? ", " : "",
			        keys[i].section);
		}
	}
}

/* Lists the keys of a section for "expected one of" messages. */
static void section_keys(const char *section, char *out, size_t len)
{
	out[0] = '\0';
	for (size_t i = 0; i < KEY_COUNT; i++) {
		if (strcmp(keys[i].section, section) == 0) {
			size_t used = strlen(out);
			snprintf(out + used, len - used, "%s%s", used ? ", " : "", keys[i].key);
		}
	}
}

struct parse_state {
	char section[64];
	bool seen_key[KEY_COUNT];
	bool seen_section[KEY_COUNT]; /* indexed by the first key of the section */
};

static size_t section_index(const char *name)
{
	for (size_t i = 0; i < KEY_COUNT; i++) {
		if (strcmp(keys[i].section, name) == 0) {
			return i;
		}
	}
	return KEY_COUNT;
}

/* On an error writes the message, without its location, to msg. */
static bool parse_line(
        struct parse_state *st, struct pb_config *cfg, char *line, char *msg, size_t len)
{
	char *s = trim(line);
	if (*s == '\0' || *s == '#' || *s == ';') {
		return true;
	}
	if (*s == '[') {
		char *close = strchr(s, ']');
		if (!close || *trim(close + 1) != '\0') {
			snprintf(msg, len, "malformed section header; expected [name]");
			return false;
		}
		*close = '\0';
		char *name = trim(s + 1);
		if (!section_known(name)) {
			char known[256];
			section_names(known, sizeof(known));
			snprintf(
			        msg, len, "unknown section [%s]; expected one of: %s", name, known);
			return false;
		}
		size_t idx = section_index(name);
		if (st->seen_section[idx]) {
			snprintf(msg, len, "duplicate section [%s]", name);
			return false;
		}
		st->seen_section[idx] = true;
		snprintf(st->section, sizeof(st->section), "%s", name);
		return true;
	}
	char *eq = strchr(s, '=');
	if (!eq) {
		snprintf(msg, len, "expected key = value, a [section] or a # comment");
		return false;
	}
	*eq = '\0';
	char *key = trim(s);
	char *value = trim(eq + 1);
	if (st->section[0] == '\0') {
		snprintf(msg, len, "key '%s' before any [section]", key);
		return false;
	}
	const struct key_def *def = find_key(st->section, key);
	if (!def) {
		char known[256];
		section_keys(st->section, known, sizeof(known));
		snprintf(msg, len, "unknown key '%s' in [%s]; expected one of: %s", key,
		        st->section, known);
		return false;
	}
	size_t idx = (size_t)(def - keys);
	if (st->seen_key[idx]) {
		snprintf(msg, len, "duplicate key '%s' in [%s]", key, st->section);
		return false;
	}
	st->seen_key[idx] = true;
	if (!def->parse(cfg, value)) {
		snprintf(msg, len, "%s = '%s': expected %s", key, value, def->expected);
		return false;
	}
	return true;
}

/* Well-formed UTF-8: no stray continuation bytes, overlongs, surrogates or > U+10FFFF. */
static bool utf8_valid(const unsigned char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned char c = s[i];
		size_t n = c < 0x80             ? 0
		           : (c & 0xe0) == 0xc0 ? 1
		           : (c & 0xf0) == 0xe0 ? 2
		           : (c & 0xf8) == 0xf0 ? 3
		                                : 4;
		if (n == 4 || (n > 0 && i + n >= len)) {
			return false;
		}
		uint32_t cp = n == 0 ? c : c & (0x3f >> n);
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80) {
				return false;
			}
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		static const uint32_t min_cp[] = {0, 0x80, 0x800, 0x10000};
		if (cp < min_cp[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
			return false;
		}
		i += n + 1;
	}
	return true;
}

bool pb_config_parse(struct pb_config *cfg, const char *text, size_t len, const char *name,
        char *err, size_t err_len)
{
	struct pb_config result = *cfg;
	struct parse_state st = {0};
	size_t pos = 0;
	for (unsigned line_no = 1; pos < len; line_no++) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t line_len = nl ? (size_t)(nl - (text + pos)) : len - pos;
		char line[PB_CONFIG_LINE_MAX];
		char msg[512];
		bool ok;
		if (line_len >= sizeof(line)) {
			snprintf(msg, sizeof(msg), "line longer than %d bytes",
			        PB_CONFIG_LINE_MAX - 1);
			ok = false;
		} else if (memchr(text + pos, '\0', line_len)) {
			snprintf(msg, sizeof(msg), "NUL byte in line; expected text");
			ok = false;
		} else if (!utf8_valid((const unsigned char *)text + pos, line_len)) {
			snprintf(msg, sizeof(msg), "invalid UTF-8; expected UTF-8 text");
			ok = false;
		} else {
			memcpy(line, text + pos, line_len);
			line[line_len] = '\0';
			ok = parse_line(&st, &result, line, msg, sizeof(msg));
		}
		if (!ok) {
			snprintf(err, err_len, "%s:%u: %s", name, line_no, msg);
			return false;
		}
		pos += line_len + 1;
	}
	*cfg = result;
	return true;
}

bool pb_config_load(struct pb_config *cfg, const char *path, char *err, size_t err_len)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, err_len, "%s: cannot open: %s", path, strerror(errno));
		return false;
	}
	struct stat st;
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > CONFIG_FILE_MAX) {
		snprintf(err, err_len, "%s: expected a regular file of at most %d bytes", path,
		        CONFIG_FILE_MAX);
		fclose(f);
		return false;
	}
	char *text = malloc((size_t)st.st_size + 1);
	size_t got = text ? fread(text, 1, (size_t)st.st_size, f) : 0;
	bool read_ok = text && !ferror(f);
	fclose(f);
	bool ok = false;
	if (!read_ok) {
		snprintf(err, err_len, "%s: cannot read: %s", path, strerror(errno));
	} else {
		ok = pb_config_parse(cfg, text, got, path, err, err_len);
	}
	free(text);
	return ok;
}

static bool file_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

bool pb_config_find(char *path, size_t len)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	if (xdg && xdg[0] == '/') {
		snprintf(path, len, "%s/primebridge/primebridge.conf", xdg);
	} else if (home) {
		snprintf(path, len, "%s/.config/primebridge/primebridge.conf", home);
	} else {
		path[0] = '\0';
	}
	if (path[0] && file_exists(path)) {
		return true;
	}
	snprintf(path, len, "%s/primebridge/primebridge.conf", PB_SYSCONFDIR);
	return file_exists(path);
}
