/*
 * libFuzzer target: the configuration parser (compositor/policy/config.c) on any bytes.
 * Besides crashes and sanitizer reports, it checks the parser's promises:
 * a refused text leaves the configuration as it was and says where
 * ("NAME:LINE: ..."); an accepted one holds only values the parser allows.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buffer_layout.h"
#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pb_config before, cfg;
	pb_config_defaults(&cfg);
	before = cfg;
	char err[512] = "";
	if (!pb_config_parse(&cfg, (const char *)data, size, "fuzz.conf", err, sizeof(err))) {
		if (memcmp(&before, &cfg, sizeof(cfg)) != 0 ||
		        strncmp(err, "fuzz.conf:", 10) != 0) {
			abort();
		}
		return 0;
	}
	if (!pb_stride_align_valid(cfg.stride_alignment) ||
	        cfg.output_count > PB_CONFIG_MAX_OUTPUTS ||
	        cfg.trusted_uid_count > PB_CONFIG_MAX_UIDS ||
	        memchr(cfg.kiosk_command, '\0', sizeof(cfg.kiosk_command)) == NULL) {
		abort();
	}
	for (size_t i = 0; i < cfg.output_count; i++) {
		struct pb_output_config out;
		pb_config_output(&cfg, cfg.outputs[i].name, &out);
		if (!(out.scale >= 0.25 && out.scale <= 8) || out.transform < 0 ||
		        out.transform > 7) {
			abort();
		}
	}
	return 0;
}
