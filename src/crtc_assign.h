#ifndef PB_CRTC_ASSIGN_H
#define PB_CRTC_ASSIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Gives each of count connectors a distinct CRTC from its possible_crtcs
 * bit mask (bit i = CRTC i), writing the CRTC index to crtc_for[i].
 * Connectors whose mask is 0 are skipped (crtc_for[i] = -1). Returns false
 * when not every connector with a non-zero mask can be served at once.
 */
bool pb_assign_crtcs(
        const uint32_t *possible_crtcs, size_t count, size_t crtc_count, int *crtc_for);

/*
 * For a connector plugged in while others run: the lowest CRTC in its
 * possible_crtcs mask that is not in the used mask; -1 when none is left.
 */
int pb_free_crtc(uint32_t possible_crtcs, uint32_t used_crtcs, size_t crtc_count);

#endif
