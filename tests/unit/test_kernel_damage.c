#include "check.h"
#include "kernel_damage.h"

int main(void)
{
	/* Measured here: 6.1 limits transfers to the damage, 6.12 and 7.3 send whole frames. */
	CHECK(!pb_kernel_sends_whole_frames("6.1.0-50-amd64", false));
	CHECK(pb_kernel_sends_whole_frames("6.12.117+deb13-amd64", false));
	CHECK(pb_kernel_sends_whole_frames("7.3.4+deb13-amd64", false));
	/* The first release with the stuck flag, and the last without. */
	CHECK(pb_kernel_sends_whole_frames("6.8.0", false));
	CHECK(!pb_kernel_sends_whole_frames("6.7.12", false));
	CHECK(!pb_kernel_sends_whole_frames("5.10.0-30-amd64", false));
	/* The fixed module, built out of tree. */
	CHECK(!pb_kernel_sends_whole_frames("6.12.117+deb13-amd64", true));
	/* A release that cannot be read is not accused. */
	CHECK(!pb_kernel_sends_whole_frames("", false));
	CHECK(!pb_kernel_sends_whole_frames("linux", false));
	return check_result("kernel_damage");
}
