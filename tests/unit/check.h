#ifndef PB_TEST_CHECK_H
#define PB_TEST_CHECK_H

#include <stdio.h>

/* Counts failed checks and keeps going, so one run reports every failure. */
static int check_failures;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);   \
			check_failures++;                                                          \
		}                                                                                  \
	} while (0)

#define CHECK_EQ_U(a, b)                                                                           \
	do {                                                                                       \
		unsigned long long va_ = (a), vb_ = (b);                                           \
		if (va_ != vb_) {                                                                  \
			fprintf(stderr, "%s:%d: %s = %llu, expected %llu\n", __FILE__, __LINE__,   \
			        #a, va_, vb_);                                                     \
			check_failures++;                                                          \
		}                                                                                  \
	} while (0)

static inline int check_result(const char *name)
{
	if (check_failures) {
		fprintf(stderr, "%s: %d check(s) failed\n", name, check_failures);
		return 1;
	}
	printf("%s: all checks passed\n", name);
	return 0;
}

#endif
