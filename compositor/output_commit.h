#ifndef PB_OUTPUT_COMMIT_H
#define PB_OUTPUT_COMMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <wlr/backend.h>

struct pb_server;

/* Where an output goes in the layout once its new state is in force. */
struct pb_output_place {
	enum {
		PB_PLACE_KEEP, /* where it is, on or off (output power) */
		PB_PLACE_AUTO, /* right of the others; out of the layout when off */
		PB_PLACE_AT,   /* at x, y; out of the layout when off */
	} how;
	int x, y;
};

enum pb_output_commit_result {
	PB_OUTPUT_COMMITTED,
	PB_OUTPUT_REFUSED, /* by the backend's test: every output keeps its state */
	PB_OUTPUT_FAILED,  /* after the test passed (logged): some may have changed */
};

/*
 * Tests the outputs' new states together and, unless test_only, commits them
 * together. An output turned on or given another mode shows a frame of the
 * scene, drawn where it will be in the layout, in that very commit: never a
 * black or stale frame. Then the outputs take their places in the layout.
 */
enum pb_output_commit_result pb_output_commit(struct pb_server *server,
        struct wlr_backend_output_state *states, const struct pb_output_place *places, size_t count,
        bool test_only);

#endif
