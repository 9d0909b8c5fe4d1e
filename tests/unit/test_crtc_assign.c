#include "check.h"
#include "crtc_assign.h"

int main(void)
{
	int crtc_for[4];
	/* Greedy would give connector 0 CRTC 0 and leave connector 1 without one. */
	const uint32_t contested[] = {0x3, 0x1};
	CHECK(pb_assign_crtcs(contested, 2, 2, crtc_for));
	CHECK(crtc_for[0] == 1 && crtc_for[1] == 0);

	/* Disconnected connectors (mask 0) are skipped. */
	const uint32_t with_gap[] = {0x3, 0, 0x3};
	CHECK(pb_assign_crtcs(with_gap, 3, 2, crtc_for));
	CHECK(crtc_for[0] == 0 && crtc_for[1] == -1 && crtc_for[2] == 1);

	/* Two outputs, one CRTC: impossible. */
	const uint32_t too_many[] = {0x1, 0x1};
	CHECK(!pb_assign_crtcs(too_many, 2, 1, crtc_for));

	/* A mask naming CRTCs the device does not have. */
	const uint32_t beyond[] = {0x4};
	CHECK(!pb_assign_crtcs(beyond, 1, 2, crtc_for));

	/* virtio-gpu max_outputs=2: each connector on its own CRTC. */
	const uint32_t virtio2[] = {0x1, 0x2};
	CHECK(pb_assign_crtcs(virtio2, 2, 2, crtc_for));
	CHECK(crtc_for[0] == 0 && crtc_for[1] == 1);

	/* Plugged in later: the lowest CRTC it may use that no output holds. */
	CHECK(pb_free_crtc(0x3, 0x1, 2) == 1);
	CHECK(pb_free_crtc(0x3, 0x0, 2) == 0);
	CHECK(pb_free_crtc(0x2, 0x2, 2) == -1);
	CHECK(pb_free_crtc(0x4, 0x0, 2) == -1); /* beyond the device's CRTCs */
	return check_result("crtc_assign");
}
