/*
 * Throughput of the CPU copy engine (pb_copy_region_cpu) on this machine.
 *
 * The engine copies the damaged rows of a rendered frame (stride width * 4,
 * as pixman renders) into a linear scanout buffer (stride aligned for the
 * importing GPU). Its speed alone says little: what matters is how close it
 * comes to the fastest the machine can move the same bytes. So each case is
 * also copied with one plain memcpy of exactly as many bytes between two
 * contiguous buffers, measured in the same run, alternating with the engine so
 * frequency changes and noise hit both alike. That memcpy is the machine's
 * memory-bandwidth ceiling for those bytes; the engine's result is reported as
 * a ratio to it, and each damage case as a share of the full frame's cost.
 *
 * Repeating a copy keeps a small rectangle in the caches, as a compositor
 * that just rendered it would; the memcpy baseline of the same bytes is
 * equally cache-hot, so the ratio stays fair.
 *
 * --frame copies exactly one frame with each side, so callgrind can count the
 * instructions of one frame (bench/copy-callgrind).
 */
#include <errno.h>
#include <math.h>
#include <pixman.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buffer_layout.h"
#include "copy_cpu.h"

/* Odd, and alternating which side goes first, so neither side always runs warm. */
#define ROUNDS              7
#define N_CASES             8
#define TARGET_FULL_RATIO   80.0 /* full frame, % of memcpy throughput */
#define TARGET_DAMAGE1_COST 3.0  /* 1% damage, % of the full frame's time */

/*
 * callgrind toggles collection on a function by name: the baseline must stay
 * a real call (not inlined, not cloned under another name).
 */
#if defined(__clang__)
#define PB_BENCH_CALLABLE __attribute__((noinline))
#else
#define PB_BENCH_CALLABLE __attribute__((noinline, noclone))
#endif

struct bench_case {
	char name[40];
	uint32_t width, height;
	unsigned percent;
	int32_t x, y, w, h; /* the damage rectangle */
};

struct buffers {
	uint8_t *src, *dst;           /* rendered frame, scanout buffer */
	uint8_t *base_src, *base_dst; /* the baseline's contiguous buffers */
	size_t src_size, dst_size, base_size;
};

struct frame_setup {
	const struct bench_case *c;
	struct pb_buffer_layout layout;
	size_t src_stride;
	pixman_region32_t region;
	size_t bytes; /* copied per frame, by either side */
};

struct case_result {
	double engine_s, memcpy_s; /* median time per frame */
};

static const uint32_t sizes[][2] = {{1920, 1080}, {3840, 2160}};
static const unsigned percents[] = {100, 50, 10, 1};

PB_BENCH_CALLABLE static void pb_bench_baseline_copy(uint8_t *dst, const uint8_t *src, size_t n)
{
	memcpy(dst, src, n);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/*
 * A centred rectangle with the frame's aspect. Rounding both sides of a
 * small rectangle can miss the area by more than 1%, so the height is nudged
 * until it is within 1% of the target.
 */
static bool case_init(struct bench_case *c, uint32_t width, uint32_t height, unsigned percent)
{
	c->width = width;
	c->height = height;
	c->percent = percent;
	snprintf(c->name, sizeof(c->name), "%ux%u-%u", width, height, percent);
	double frac = percent / 100.0;
	double target = frac * width * height;
	int32_t w = (int32_t)lround(width * sqrt(frac));
	int32_t h0 = (int32_t)lround(height * sqrt(frac));
	for (int32_t d = 0; d <= 2; d++) {
		for (int32_t s = -1; s <= 1; s += 2) {
			int32_t h = h0 + s * d;
			if (h < 1 || w < 1 || (uint32_t)h > height || (uint32_t)w > width) {
				continue;
			}
			if (fabs((double)w * h - target) <= 0.01 * target) {
				c->w = w;
				c->h = h;
				c->x = (int32_t)(width - (uint32_t)w) / 2;
				c->y = (int32_t)(height - (uint32_t)h) / 2;
				return true;
			}
		}
	}
	return false;
}

static bool cases_init(struct bench_case cases[N_CASES])
{
	size_t n = 0;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		for (size_t j = 0; j < sizeof(percents) / sizeof(percents[0]); j++) {
			if (!case_init(&cases[n++], sizes[i][0], sizes[i][1], percents[j])) {
				return false;
			}
		}
	}
	return true;
}

static uint8_t *alloc_touched(size_t size, size_t page, uint8_t fill)
{
	void *p = NULL;
	size = (size + page - 1) / page * page;
	if (posix_memalign(&p, page, size) != 0) {
		return NULL;
	}
	/* Every page is faulted in here, so no timing includes a page fault. */
	memset(p, fill, size);
	return p;
}

static void buffers_free(struct buffers *b)
{
	free(b->src);
	free(b->dst);
	free(b->base_src);
	free(b->base_dst);
}

/* Sized for the largest frame of the given cases, so every case reuses them. */
static bool buffers_alloc(
        struct buffers *b, const struct bench_case *cases, size_t n_cases, size_t page)
{
	*b = (struct buffers){0};
	for (size_t i = 0; i < n_cases; i++) {
		struct pb_buffer_layout l;
		if (!pb_buffer_layout_compute(cases[i].width, cases[i].height,
		            PB_DEFAULT_STRIDE_ALIGN, (uint32_t)page, &l)) {
			return false;
		}
		size_t src_size = (size_t)cases[i].width * 4 * cases[i].height;
		if (src_size > b->src_size) {
			b->src_size = src_size;
		}
		if (l.size > b->dst_size) {
			b->dst_size = (size_t)l.size;
		}
	}
	b->base_size = b->src_size;
	b->src = alloc_touched(b->src_size, page, 0x5a);
	b->dst = alloc_touched(b->dst_size, page, 0);
	b->base_src = alloc_touched(b->base_size, page, 0xa5);
	b->base_dst = alloc_touched(b->base_size, page, 0);
	if (!b->src || !b->dst || !b->base_src || !b->base_dst) {
		buffers_free(b);
		return false;
	}
	/* A different word every 64 bytes, so a copy from the wrong place is caught. */
	for (size_t i = 0; i + 4 <= b->src_size; i += 64) {
		uint32_t v = (uint32_t)(i / 64) * 2654435761u;
		memcpy(b->src + i, &v, sizeof(v));
	}
	return true;
}

static bool setup_frame(struct frame_setup *f, const struct bench_case *c, size_t page)
{
	f->c = c;
	if (!pb_buffer_layout_compute(
	            c->width, c->height, PB_DEFAULT_STRIDE_ALIGN, (uint32_t)page, &f->layout)) {
		return false;
	}
	f->src_stride = (size_t)c->width * 4;
	pixman_region32_init_rect(&f->region, c->x, c->y, (unsigned)c->w, (unsigned)c->h);
	f->bytes = (size_t)c->w * 4 * (size_t)c->h;
	return true;
}

static void copy_once(const struct frame_setup *f, const struct buffers *b, bool engine)
{
	if (engine) {
		pb_copy_region_cpu(b->dst, f->layout.stride, b->src, f->src_stride, &f->region);
	} else {
		pb_bench_baseline_copy(b->base_dst, b->base_src, f->bytes);
	}
	/* The copies' results are never read: tell the compiler memory may be. */
	__asm__ __volatile__("" : : "r"(b->dst), "r"(b->base_dst) : "memory");
}

/*
 * Mean time per frame over at least `budget` seconds. The clock is read once
 * per batch, and batches grow, so reading it costs nothing measurable even
 * for the smallest rectangle.
 */
static double time_frames(
        const struct frame_setup *f, const struct buffers *b, bool engine, double budget)
{
	uint64_t frames = 0, batch = 1;
	double start = now_s(), elapsed;
	do {
		for (uint64_t i = 0; i < batch; i++) {
			copy_once(f, b, engine);
		}
		frames += batch;
		elapsed = now_s() - start;
		if (elapsed < budget / 16) {
			batch *= 2;
		}
	} while (elapsed < budget);
	return elapsed / (double)frames;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

/* A wrong copy would make the timing meaningless: it is an error, not a result. */
static bool copies_correct(const struct frame_setup *f, const struct buffers *b)
{
	const struct bench_case *c = f->c;
	for (int32_t y = c->y; y < c->y + c->h; y++) {
		size_t off = (size_t)c->x * 4;
		if (memcmp(b->dst + (size_t)y * f->layout.stride + off,
		            b->src + (size_t)y * f->src_stride + off, (size_t)c->w * 4) != 0) {
			return false;
		}
	}
	return memcmp(b->base_dst, b->base_src, f->bytes) == 0;
}

static void clear_destinations(const struct frame_setup *f, const struct buffers *b)
{
	memset(b->dst, 0, b->dst_size);
	memset(b->base_dst, 0, f->bytes);
}

static bool run_case(const struct bench_case *c, const struct buffers *b, size_t page,
        double seconds, struct case_result *out)
{
	struct frame_setup f;
	if (!setup_frame(&f, c, page)) {
		return false;
	}
	clear_destinations(&f, b);
	double engine[ROUNDS], base[ROUNDS];
	for (int r = 0; r < ROUNDS; r++) {
		bool engine_first = r % 2 == 0;
		for (int side = 0; side < 2; side++) {
			bool is_engine = (side == 0) == engine_first;
			double t = time_frames(&f, b, is_engine, seconds / ROUNDS);
			if (is_engine) {
				engine[r] = t;
			} else {
				base[r] = t;
			}
		}
	}
	bool ok = copies_correct(&f, b);
	pixman_region32_fini(&f.region);
	if (!ok) {
		fprintf(stderr, "pb-copy-bench: %s: the copy is wrong\n", c->name);
		return false;
	}
	out->engine_s = median(engine, ROUNDS);
	out->memcpy_s = median(base, ROUNDS);
	return true;
}

static void print_row(const struct bench_case *c, const struct case_result *r, double full_s)
{
	double bytes = (double)c->w * 4 * c->h;
	double area = 100.0 * c->w * c->h / ((double)c->width * c->height);
	printf("| %ux%u | %u (%.2f) | %d | %.4f | %.2f | %.2f | %.1f | %.2f |\n", c->width,
	        c->height, c->percent, area, c->w * c->h, r->engine_s * 1e3,
	        bytes / r->engine_s / 1e9, bytes / r->memcpy_s / 1e9,
	        100.0 * r->memcpy_s / r->engine_s, 100.0 * r->engine_s / full_s);
}

static int run_all(const struct bench_case cases[N_CASES], size_t page, double seconds)
{
	struct buffers b;
	if (!buffers_alloc(&b, cases, N_CASES, page)) {
		fprintf(stderr, "pb-copy-bench: cannot allocate the buffers\n");
		return 1;
	}
	struct case_result res[N_CASES];
	for (size_t i = 0; i < N_CASES; i++) {
		if (!run_case(&cases[i], &b, page, seconds, &res[i])) {
			buffers_free(&b);
			return 1;
		}
	}
	buffers_free(&b);

	printf("# pb_copy_region_cpu vs memcpy of the same bytes\n\n");
	printf("Median of %d rounds, %.3g s per side per case; destination stride aligned to "
	       "%u bytes; GB/s = bytes copied / time.\n\n",
	        ROUNDS, seconds, PB_DEFAULT_STRIDE_ALIGN);
	printf("| size | damage (%%, actual) | pixels copied | engine ms/frame | engine GB/s "
	       "| memcpy GB/s | engine/memcpy (%%) | cost vs full frame (%%) |\n");
	printf("|---|---|--:|--:|--:|--:|--:|--:|\n");
	double full_s = 0;
	for (size_t i = 0; i < N_CASES; i++) {
		if (cases[i].percent == 100) {
			full_s = res[i].engine_s;
		}
		print_row(&cases[i], &res[i], full_s);
	}

	/* The targets of the issue; a timing is reported, never a failure. */
	bool full_ok = true, damage_ok = true;
	char full_txt[128] = "", damage_txt[128] = "";
	for (size_t i = 0; i < N_CASES; i++) {
		const struct bench_case *c = &cases[i];
		char *txt = c->percent == 100 ? full_txt : damage_txt;
		double v;
		if (c->percent == 100) {
			full_s = res[i].engine_s;
			v = 100.0 * res[i].memcpy_s / res[i].engine_s;
			full_ok = full_ok && v >= TARGET_FULL_RATIO;
		} else if (c->percent == 1) {
			v = 100.0 * res[i].engine_s / full_s;
			damage_ok = damage_ok && v < TARGET_DAMAGE1_COST;
		} else {
			continue;
		}
		size_t len = strlen(txt);
		snprintf(txt + len, 128 - len, "%s%ux%u %.2f%%", len ? ", " : "", c->width,
		        c->height, v);
	}
	printf("\nTarget full frames >= %.0f%% of memcpy throughput: %s (%s)\n", TARGET_FULL_RATIO,
	        full_ok ? "PASS" : "MISS", full_txt);
	printf("Target 1%% damage < %.0f%% of the full frame's cost: %s (%s)\n",
	        TARGET_DAMAGE1_COST, damage_ok ? "PASS" : "MISS", damage_txt);
	return 0;
}

/*
 * One frame per side and nothing else inside the two functions callgrind
 * collects. The lazy binding of memcpy and of pixman's call would otherwise
 * be counted in the first side's instructions, so both are bound beforehand.
 */
static int run_frame(const struct bench_case *c, size_t page)
{
	struct buffers b;
	struct frame_setup f;
	if (!buffers_alloc(&b, c, 1, page)) {
		fprintf(stderr, "pb-copy-bench: cannot allocate the buffers\n");
		return 1;
	}
	if (!setup_frame(&f, c, page)) {
		buffers_free(&b);
		return 1;
	}
	int n_rects = 0;
	pixman_region32_rectangles(&f.region, &n_rects);
	volatile size_t warm = 64;
	memcpy(b.base_dst, b.base_src, warm);
	memset(b.base_dst, 0, warm);

	copy_once(&f, &b, true);
	copy_once(&f, &b, false);

	bool ok = copies_correct(&f, &b);
	pixman_region32_fini(&f.region);
	buffers_free(&b);
	if (!ok) {
		fprintf(stderr, "pb-copy-bench: %s: the copy is wrong\n", c->name);
		return 1;
	}
	printf("%s pixels=%d bytes=%zu\n", c->name, c->w * c->h, f.bytes);
	return 0;
}

static void usage(FILE *out)
{
	fprintf(out, "usage: pb-copy-bench [--seconds S] [--list] [--frame CASE]\n"
	             "  --seconds S   time per side per case (default 0.5)\n"
	             "  --list        print the case names\n"
	             "  --frame CASE  copy one frame of CASE with the engine and with memcpy\n");
}

int main(int argc, char **argv)
{
	double seconds = 0.5;
	const char *frame = NULL;
	bool list = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
			char *end;
			errno = 0;
			seconds = strtod(argv[++i], &end);
			if (errno || *end || end == argv[i] || !(seconds > 0 && seconds < 3600)) {
				fprintf(stderr, "pb-copy-bench: bad --seconds: %s\n", argv[i]);
				return 2;
			}
		} else if (strcmp(argv[i], "--frame") == 0 && i + 1 < argc) {
			frame = argv[++i];
		} else if (strcmp(argv[i], "--list") == 0) {
			list = true;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}

	struct bench_case cases[N_CASES];
	if (!cases_init(cases)) {
		fprintf(stderr, "pb-copy-bench: no damage rectangle within 1%% of its area\n");
		return 1;
	}
	long page = sysconf(_SC_PAGESIZE);
	if (page <= 0) {
		fprintf(stderr, "pb-copy-bench: unknown page size\n");
		return 1;
	}
	if (list) {
		for (size_t i = 0; i < N_CASES; i++) {
			printf("%s\n", cases[i].name);
		}
		return 0;
	}
	if (frame) {
		for (size_t i = 0; i < N_CASES; i++) {
			if (strcmp(cases[i].name, frame) == 0) {
				return run_frame(&cases[i], (size_t)page);
			}
		}
		fprintf(stderr, "pb-copy-bench: unknown case %s (see --list)\n", frame);
		return 2;
	}
	return run_all(cases, (size_t)page, seconds);
}
