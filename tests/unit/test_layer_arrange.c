#include "check.h"
#include "layer_arrange.h"

#define T PB_LAYER_ANCHOR_TOP
#define B PB_LAYER_ANCHOR_BOTTOM
#define L PB_LAYER_ANCHOR_LEFT
#define R PB_LAYER_ANCHOR_RIGHT

/* Reports where a box differs, so a failure shows all four numbers. */
#define CHECK_BOX(b, bx, by, bw, bh)                                                               \
	do {                                                                                       \
		struct pb_layer_box b_ = (b);                                                      \
		if (b_.x != (bx) || b_.y != (by) || b_.width != (bw) || b_.height != (bh)) {       \
			fprintf(stderr, "%s:%d: %s = %d,%d %dx%d, expected %d,%d %dx%d\n",         \
			        __FILE__, __LINE__, #b, b_.x, b_.y, b_.width, b_.height, (bx),     \
			        (by), (bw), (bh));                                                 \
			check_failures++;                                                          \
		}                                                                                  \
	} while (0)

static const struct pb_layer_box full_hd = {0, 0, 1920, 1080};

/* A bar along one edge: stretched along it, `size` thick, reserving `zone`. */
static struct pb_layer_request bar(uint32_t edge, uint32_t size, int32_t zone)
{
	bool horizontal = edge == T || edge == B;
	return (struct pb_layer_request){
	        .anchor = edge | (horizontal ? L | R : T | B),
	        .width = horizontal ? 0 : size,
	        .height = horizontal ? size : 0,
	        .exclusive_zone = zone,
	};
}

static void test_top_panel(void)
{
	struct pb_layer_request r[] = {bar(T, 30, 30)};
	struct pb_layer_placement p[1];
	struct pb_layer_box usable = pb_layer_arrange(full_hd, r, 1, p);
	CHECK(p[0].problem == PB_LAYER_OK && p[0].reserves);
	CHECK_BOX(p[0].box, 0, 0, 1920, 30);
	CHECK_BOX(usable, 0, 30, 1920, 1050);

	/* A second output right of the first: layout coordinates throughout. */
	struct pb_layer_box second = {1920, 0, 1280, 1024};
	usable = pb_layer_arrange(second, r, 1, p);
	CHECK_BOX(p[0].box, 1920, 0, 1280, 30);
	CHECK_BOX(usable, 1920, 30, 1280, 994);

	/* No surfaces: the whole output. */
	CHECK_BOX(pb_layer_arrange(second, NULL, 0, NULL), 1920, 0, 1280, 1024);
}

static void test_bottom_and_left_panels(void)
{
	/* The bottom bar came first: the left one stands on it. */
	struct pb_layer_request r[] = {bar(B, 40, 40), bar(L, 50, 50)};
	struct pb_layer_placement p[2];
	struct pb_layer_box usable = pb_layer_arrange(full_hd, r, 2, p);
	CHECK_BOX(p[0].box, 0, 1040, 1920, 40);
	CHECK_BOX(p[1].box, 0, 0, 50, 1040);
	CHECK_BOX(usable, 50, 0, 1870, 1040);

	/* The other order: the bottom bar starts right of the left one. */
	struct pb_layer_request swapped[] = {bar(L, 50, 50), bar(B, 40, 40)};
	usable = pb_layer_arrange(full_hd, swapped, 2, p);
	CHECK_BOX(p[0].box, 0, 0, 50, 1080);
	CHECK_BOX(p[1].box, 50, 1040, 1870, 40);
	CHECK_BOX(usable, 50, 0, 1870, 1040);

	/* A right dock anchored to its edge alone, centred along it. */
	struct pb_layer_request dock = {
	        .anchor = R, .width = 64, .height = 400, .exclusive_zone = 64};
	usable = pb_layer_arrange(full_hd, &dock, 1, p);
	CHECK_BOX(p[0].box, 1856, 340, 64, 400);
	CHECK_BOX(usable, 0, 0, 1856, 1080);
}

static void test_margins(void)
{
	/* A floating bar: margins all round, and its zone includes the top margin. */
	struct pb_layer_request r[] = {bar(T, 30, 30)};
	r[0].margin_top = r[0].margin_right = r[0].margin_bottom = r[0].margin_left = 5;
	struct pb_layer_placement p[2];
	struct pb_layer_box usable = pb_layer_arrange(full_hd, r, 1, p);
	CHECK_BOX(p[0].box, 5, 5, 1910, 30);
	CHECK_BOX(usable, 0, 35, 1920, 1045);

	/* A notification in the top-right corner; bottom and left margins do not count. */
	struct pb_layer_request corner = {
	        .anchor = T | R,
	        .width = 300,
	        .height = 100,
	        .margin_top = 20,
	        .margin_right = 10,
	        .margin_bottom = 999,
	        .margin_left = 999,
	};
	usable = pb_layer_arrange(full_hd, &corner, 1, p);
	CHECK_BOX(p[0].box, 1610, 20, 300, 100);
	CHECK_BOX(usable, 0, 0, 1920, 1080);

	/* Anchored left and right with a fixed width: centred between the margins. */
	struct pb_layer_request centred = {
	        .anchor = B | L | R, .width = 800, .height = 50, .margin_left = 100};
	pb_layer_arrange(full_hd, &centred, 1, p);
	CHECK_BOX(p[0].box, 610, 1030, 800, 50);

	/* Margins wider than the output: still a valid, 1-pixel configure. */
	struct pb_layer_request squeezed = bar(T, 30, 0);
	squeezed.margin_left = squeezed.margin_right = 1000;
	pb_layer_arrange(full_hd, &squeezed, 1, p);
	CHECK_BOX(p[0].box, 1000, 0, 1, 30);

	/* A negative margin pulling a bar's zone to nothing reserves nothing. */
	struct pb_layer_request hidden = bar(T, 30, 10);
	hidden.margin_top = -25;
	usable = pb_layer_arrange(full_hd, &hidden, 1, p);
	CHECK(!p[0].reserves);
	CHECK_BOX(p[0].box, 0, -25, 1920, 30);
	CHECK_BOX(usable, 0, 0, 1920, 1080);
}

static void test_centred(void)
{
	/* A launcher anchored nowhere: in the middle of what the panels left. */
	struct pb_layer_request r[] = {
	        {.width = 400, .height = 300},
	        bar(T, 30, 30),
	};
	struct pb_layer_placement p[2];
	struct pb_layer_box usable = pb_layer_arrange(full_hd, r, 2, p);
	CHECK_BOX(p[0].box, 760, 405, 400, 300);
	CHECK_BOX(usable, 0, 30, 1920, 1050);

	/* Margins do not move an unanchored surface. */
	r[0].margin_left = r[0].margin_top = 100;
	pb_layer_arrange(full_hd, r, 1, p);
	CHECK_BOX(p[0].box, 760, 390, 400, 300);

	/* A positive zone anchored to a corner counts as 0. */
	struct pb_layer_request corner = {
	        .anchor = T | L, .width = 100, .height = 100, .exclusive_zone = 50};
	usable = pb_layer_arrange(full_hd, &corner, 1, p);
	CHECK(!p[0].reserves);
	CHECK_BOX(p[0].box, 0, 0, 100, 100);
	CHECK_BOX(usable, 0, 0, 1920, 1080);
}

static void test_zone_zero_and_minus_one(void)
{
	/* Wallpaper and lock before the panel in the list; the panel is still arranged first. */
	struct pb_layer_request fill = {.anchor = T | B | L | R};
	struct pb_layer_request r[] = {fill, fill, bar(T, 30, 30)};
	r[0].exclusive_zone = -1;
	r[1].exclusive_zone = 0;
	struct pb_layer_placement p[3];
	struct pb_layer_box usable = pb_layer_arrange(full_hd, r, 3, p);
	CHECK_BOX(p[0].box, 0, 0, 1920, 1080);
	CHECK_BOX(p[1].box, 0, 30, 1920, 1050);
	CHECK_BOX(p[2].box, 0, 0, 1920, 30);
	CHECK_BOX(usable, 0, 30, 1920, 1050);
	CHECK(!p[0].reserves && !p[1].reserves && p[2].reserves);

	/* Anchored to all edges, a positive zone counts as 0 too. */
	r[0].exclusive_zone = 100;
	usable = pb_layer_arrange(full_hd, r, 3, p);
	CHECK_BOX(p[0].box, 0, 30, 1920, 1050);
	CHECK_BOX(usable, 0, 30, 1920, 1050);
}

static void test_invalid_sizes(void)
{
	struct pb_layer_request r[] = {
	        {.anchor = L, .height = 30, .exclusive_zone = 30},       /* width 0, left only */
	        {.anchor = T | L | R, .width = 0, .exclusive_zone = 30}, /* height 0, no bottom */
	        {.anchor = T | B, .width = 0, .height = 0},              /* width 0, no sides */
	        bar(T, 30, 30),
	};
	struct pb_layer_placement p[4];
	struct pb_layer_box usable = pb_layer_arrange(full_hd, r, 4, p);
	CHECK(p[0].problem == PB_LAYER_BAD_WIDTH && !p[0].reserves);
	CHECK(p[1].problem == PB_LAYER_BAD_HEIGHT && !p[1].reserves);
	CHECK(p[2].problem == PB_LAYER_BAD_WIDTH);
	CHECK_BOX(p[0].box, 0, 0, 0, 0);
	CHECK(p[3].problem == PB_LAYER_OK);
	/* The broken ones took nothing from the area. */
	CHECK_BOX(p[3].box, 0, 0, 1920, 30);
	CHECK_BOX(usable, 0, 30, 1920, 1050);

	CHECK(pb_layer_check(&r[0]) == PB_LAYER_BAD_WIDTH);
	CHECK(pb_layer_check(&r[3]) == PB_LAYER_OK);
}

static void test_stacked_top_panels(void)
{
	struct pb_layer_request r[] = {bar(T, 30, 30), bar(T, 24, 24)};
	struct pb_layer_placement p[2];
	struct pb_layer_box usable = pb_layer_arrange(full_hd, r, 2, p);
	CHECK_BOX(p[0].box, 0, 0, 1920, 30);
	CHECK_BOX(p[1].box, 0, 30, 1920, 24);
	CHECK_BOX(usable, 0, 54, 1920, 1026);

	/* Zones larger than the output leave an empty area, never a negative one. */
	struct pb_layer_request huge[] = {bar(T, 30, 1000), bar(T, 30, 1000)};
	usable = pb_layer_arrange(full_hd, huge, 2, p);
	CHECK_BOX(p[1].box, 0, 1000, 1920, 30);
	CHECK_BOX(usable, 0, 1080, 1920, 0);
}

int main(void)
{
	test_top_panel();
	test_bottom_and_left_panels();
	test_margins();
	test_centred();
	test_zone_zero_and_minus_one();
	test_invalid_sizes();
	test_stacked_top_panels();
	return check_result("layer_arrange");
}
