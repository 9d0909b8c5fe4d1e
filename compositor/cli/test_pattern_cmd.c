#include "test_pattern_cmd.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <wlr/util/log.h>

#include "kms_modeset.h"
#include "linear_buffer.h"
#include "startup_plan.h"
#include "test_pattern.h"

struct pattern_outputs {
	struct pb_linear_buffer buffers[PB_KMS_MAX_CONNECTORS];
	struct pb_kms_output_state states[PB_KMS_MAX_CONNECTORS];
	size_t count;
};

static int stop_loop(int signal_number, void *data)
{
	(void)signal_number;
	*(bool *)data = true;
	return 0;
}

static int stop_on_timer(void *data)
{
	*(bool *)data = true;
	return 0;
}

/*
 * Waits for the timeout or SIGINT/SIGTERM, dispatching the login session's events
 * meanwhile. Returns false when the event loop cannot be set up.
 */
static bool wait_seconds(struct pb_login_session *login, unsigned seconds)
{
	struct wl_event_loop *loop = pb_login_session_event_loop(login);
	bool done = false;
	struct wl_event_source *timer = wl_event_loop_add_timer(loop, stop_on_timer, &done);
	struct wl_event_source *sigint = wl_event_loop_add_signal(loop, SIGINT, stop_loop, &done);
	struct wl_event_source *sigterm = wl_event_loop_add_signal(loop, SIGTERM, stop_loop, &done);
	bool ready = timer && sigint && sigterm;
	if (!ready) {
		wlr_log(WLR_ERROR, "Cannot set up the event loop to time the test pattern");
	} else {
		wl_event_source_timer_update(timer, (int)(seconds * 1000));
		while (!done && wl_event_loop_dispatch(loop, -1) >= 0) {
		}
	}
	if (timer) {
		wl_event_source_remove(timer);
	}
	if (sigint) {
		wl_event_source_remove(sigint);
	}
	if (sigterm) {
		wl_event_source_remove(sigterm);
	}
	return ready;
}

static bool prepare_outputs(struct pattern_outputs *out, const struct pb_startup_plan *plan,
        const struct pb_config *cfg)
{
	const struct pb_kms_device *kms = &plan->kms;
	int crtc_for[PB_KMS_MAX_CONNECTORS];
	if (!pb_kms_assign_connected(kms, crtc_for)) {
		wlr_log(WLR_ERROR, "The display device cannot drive all connected outputs at once");
		return false;
	}
	for (size_t i = 0; i < kms->connector_count; i++) {
		if (crtc_for[i] < 0) {
			continue;
		}
		const struct pb_kms_connector *conn = &kms->connectors[i];
		struct pb_buffer_layout layout;
		char err[256];
		struct pb_linear_buffer *buf = &out->buffers[out->count];
		if (!pb_linear_buffer_layout(conn->preferred.hdisplay, conn->preferred.vdisplay,
		            cfg->stride_alignment, &layout)) {
			wlr_log(WLR_ERROR, "The mode %ux%u of %s is not a valid buffer size",
			        conn->preferred.hdisplay, conn->preferred.vdisplay, conn->name);
			return false;
		}
		if (!pb_linear_buffer_create(
		            buf, kms->fd, &layout, plan->caps.blob, err, sizeof(err))) {
			wlr_log(WLR_ERROR, "Cannot allocate a buffer for %s: %s", conn->name, err);
			return false;
		}
		pb_test_pattern_fill(buf->map, layout.width, layout.height, buf->layout.stride);
		out->states[out->count++] = (struct pb_kms_output_state){
		        .connector = i,
		        .crtc = (size_t)crtc_for[i],
		        .fb_id = buf->fb_id,
		        .mode = conn->preferred,
		};
	}
	return true;
}

static void release_outputs(struct pattern_outputs *out)
{
	for (size_t i = 0; i < out->count; i++) {
		pb_linear_buffer_finish(&out->buffers[i]);
	}
	out->count = 0;
}

static void report_outputs(const struct pattern_outputs *out, const struct pb_kms_device *kms)
{
	for (size_t i = 0; i < out->count; i++) {
		const struct pb_linear_buffer *buf = &out->buffers[i];
		printf("test pattern on %s: %ux%u@%u, stride %u, %s buffer, %s commit\n",
		        kms->connectors[out->states[i].connector].name, buf->layout.width,
		        buf->layout.height, out->states[i].mode.vrefresh, buf->layout.stride,
		        pb_buffer_kind_name(buf->kind), kms->atomic ? "atomic" : "legacy");
	}
	fflush(stdout);
}

int pb_test_pattern_run(
        struct pb_login_session *login, const struct pb_config *cfg, unsigned seconds)
{
	struct pb_startup_plan plan;
	char err[512];
	if (!pb_startup_plan_open(&plan, login, cfg, err, sizeof(err))) {
		if (err[0]) {
			fprintf(stderr, "primebridge: %s\n", err);
		}
		return 1;
	}
	const char *node = plan.sel.devices[plan.sel.display].primary_node;
	int status = 1;
	struct pattern_outputs outputs = {0};
	if (prepare_outputs(&outputs, &plan, cfg)) {
		if (pb_kms_modeset(&plan.kms, outputs.states, outputs.count, err, sizeof(err))) {
			report_outputs(&outputs, &plan.kms);
			status = wait_seconds(login, seconds) ? 0 : 1;
		} else {
			wlr_log(WLR_ERROR, "Cannot show the test pattern on %s: %s", node, err);
		}
	}
	release_outputs(&outputs);
	pb_startup_plan_release(&plan, login);
	return status;
}
