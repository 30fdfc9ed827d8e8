/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace KUnit: the 6.12 KUnit API that io-pgtable's suites use, run by
 * the harness's runner (kunit.c) instead of the kernel's executor.  The
 * same suite files build in both places.
 */
#ifndef _SHIM_KUNIT_TEST_H
#define _SHIM_KUNIT_TEST_H

#include <kunit/assert.h>
#include <kunit/try-catch.h>
#include <linux/compiler.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/types.h>
#include <stdio.h>

#define KUNIT_PARAM_DESC_SIZE		128
#define KUNIT_STATUS_COMMENT_SIZE	256
#define KUNIT_SUBTEST_INDENT		"    "
#define KUNIT_SUBSUBTEST_INDENT		"        "

#ifndef KBUILD_MODNAME
#define KBUILD_MODNAME "io_pgtable_test"
#endif

enum kunit_status {
	KUNIT_SUCCESS,
	KUNIT_FAILURE,
	KUNIT_SKIPPED,
};

enum kunit_speed {
	KUNIT_SPEED_UNSET,
	KUNIT_SPEED_VERY_SLOW,
	KUNIT_SPEED_SLOW,
	KUNIT_SPEED_NORMAL,
	KUNIT_SPEED_MAX = KUNIT_SPEED_NORMAL,
};

struct kunit_attributes {
	enum kunit_speed speed;
};

struct kunit;
struct kunit_suite;

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
	const void *(*generate_params)(const void *prev, char *desc);
	struct kunit_attributes attr;

	/* private: internal use only. */
	enum kunit_status status;
	char *module_name;
	void *log;
};

#define KUNIT_CASE(test_name)						\
	{ .run_case = test_name, .name = #test_name,			\
	  .module_name = KBUILD_MODNAME }
#define KUNIT_CASE_ATTR(test_name, attributes)				\
	{ .run_case = test_name, .name = #test_name,			\
	  .attr = attributes, .module_name = KBUILD_MODNAME }
#define KUNIT_CASE_SLOW(test_name)					\
	{ .run_case = test_name, .name = #test_name,			\
	  .attr.speed = KUNIT_SPEED_SLOW, .module_name = KBUILD_MODNAME }
#define KUNIT_CASE_PARAM(test_name, gen_params)				\
	{ .run_case = test_name, .name = #test_name,			\
	  .generate_params = gen_params, .module_name = KBUILD_MODNAME }
#define KUNIT_CASE_PARAM_ATTR(test_name, gen_params, attributes)	\
	{ .run_case = test_name, .name = #test_name,			\
	  .generate_params = gen_params,				\
	  .attr = attributes, .module_name = KBUILD_MODNAME }

struct kunit_suite {
	const char name[256];
	int (*suite_init)(struct kunit_suite *suite);
	void (*suite_exit)(struct kunit_suite *suite);
	int (*init)(struct kunit *test);
	void (*exit)(struct kunit *test);
	struct kunit_case *test_cases;
	struct kunit_attributes attr;

	/* private: internal use only */
	char status_comment[KUNIT_STATUS_COMMENT_SIZE];
	enum kunit_status status;
	void *debugfs;
	void *log;
	int suite_init_err;
	bool is_init;
};

struct kunit_loc {
	int line;
	const char *file;
};

struct kunit_shim_action;

struct kunit {
	void *priv;

	/* private: internal use only. */
	const char *name;
	void *log;
	struct kunit_try_catch try_catch;
	const void *param_value;
	int param_index;
	enum kunit_status status;
	struct kunit_shim_action *actions;
	char status_comment[KUNIT_STATUS_COMMENT_SIZE];
	struct kunit_loc last_seen;
};

static inline void kunit_set_failure(struct kunit *test)
{
	WRITE_ONCE(test->status, KUNIT_FAILURE);
}

/* registration: each kunit_test_suites() adds its array at start-up */
void __kunit_shim_register(struct kunit_suite *const *suites, size_t n);

#define __kunit_shim_suites(arr, ...)					\
	static struct kunit_suite *const arr[] = { __VA_ARGS__ };	\
	__attribute__((constructor))					\
	static void __PASTE(arr, _register)(void)			\
	{								\
		__kunit_shim_register(arr, ARRAY_SIZE(arr));		\
	}

#define kunit_test_suites(...)						\
	__kunit_shim_suites(__UNIQUE_ID(kunit_suites), __VA_ARGS__)
#define kunit_test_suite(suite)		kunit_test_suites(&suite)
#define kunit_test_init_section_suites(...)	kunit_test_suites(__VA_ARGS__)
#define kunit_test_init_section_suite(suite)	kunit_test_suites(&suite)

bool kunit_enabled(void);

void *kunit_kmalloc_array(struct kunit *test, size_t n, size_t size, gfp_t gfp);

static inline void *kunit_kmalloc(struct kunit *test, size_t size, gfp_t gfp)
{
	return kunit_kmalloc_array(test, 1, size, gfp);
}

void kunit_kfree(struct kunit *test, const void *ptr);

static inline void *kunit_kzalloc(struct kunit *test, size_t size, gfp_t gfp)
{
	return kunit_kmalloc(test, size, gfp | __GFP_ZERO);
}

static inline void *kunit_kcalloc(struct kunit *test, size_t n, size_t size,
				  gfp_t gfp)
{
	return kunit_kmalloc_array(test, n, size, gfp | __GFP_ZERO);
}

static inline char *kunit_kstrdup(struct kunit *test, const char *str,
				  gfp_t gfp)
{
	size_t len;
	char *buf;

	if (!str)
		return NULL;
	len = strlen(str) + 1;
	buf = kunit_kmalloc(test, len, gfp);
	if (buf)
		memcpy(buf, str, len);
	return buf;
}

void kunit_cleanup(struct kunit *test);

#define kunit_log(lvl, test_or_suite, fmt, ...)				\
	printk(lvl fmt, ##__VA_ARGS__)

#define kunit_printk(lvl, test, fmt, ...)				\
	printk(lvl KUNIT_SUBTEST_INDENT "# %s: " fmt, (test)->name,	\
	       ##__VA_ARGS__)

#define kunit_info(test, fmt, ...)					\
	kunit_printk(KERN_INFO, test, fmt, ##__VA_ARGS__)
#define kunit_warn(test, fmt, ...)					\
	kunit_printk(KERN_WARNING, test, fmt, ##__VA_ARGS__)
#define kunit_err(test, fmt, ...)					\
	kunit_printk(KERN_ERR, test, fmt, ##__VA_ARGS__)

#define kunit_mark_skipped(test_or_suite, fmt, ...)			\
	do {								\
		WRITE_ONCE((test_or_suite)->status, KUNIT_SKIPPED);	\
		scnprintf((test_or_suite)->status_comment,		\
			  KUNIT_STATUS_COMMENT_SIZE,			\
			  fmt, ##__VA_ARGS__);				\
	} while (0)

#define kunit_skip(test_or_suite, fmt, ...)				\
	do {								\
		kunit_mark_skipped((test_or_suite), fmt, ##__VA_ARGS__);\
		kunit_try_catch_throw(&((test_or_suite)->try_catch));	\
	} while (0)

/* -------- assertions -------- */

void __printf(6, 7) __kunit_fail(struct kunit *test, const char *file,
				 int line, enum kunit_assert_type type,
				 const char *what, const char *fmt, ...);
void __kunit_abort(struct kunit *test);

#define _KUNIT_FAILED(test, type, what, fmt, ...)			\
	do {								\
		__kunit_fail(test, __FILE__, __LINE__, type, what,	\
			     fmt, ##__VA_ARGS__);			\
		if ((type) == KUNIT_ASSERTION)				\
			__kunit_abort(test);				\
	} while (0)

#define KUNIT_FAIL_ASSERTION(test, type, fmt, ...)			\
	_KUNIT_FAILED(test, type, "", fmt, ##__VA_ARGS__)

#define KUNIT_FAIL(test, fmt, ...)					\
	KUNIT_FAIL_ASSERTION(test, KUNIT_EXPECTATION, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_FAILURE(test, fmt, ...)				\
	KUNIT_FAIL_ASSERTION(test, KUNIT_ASSERTION, fmt, ##__VA_ARGS__)
#define KUNIT_SUCCEED(test)	do { (void)(test); } while (0)

#define KUNIT_UNARY_ASSERTION(test, type, condition, expected_true, fmt, ...) \
	do {								\
		if (!(!!(condition) == !!(expected_true))) {		\
			char __w[512];					\
			snprintf(__w, sizeof(__w),			\
				 "Expected %s to be %s, but is %s",	\
				 #condition,				\
				 (expected_true) ? "true" : "false",	\
				 (expected_true) ? "false" : "true");	\
			_KUNIT_FAILED(test, type, __w, fmt, ##__VA_ARGS__); \
		}							\
	} while (0)

#define KUNIT_TRUE_MSG_ASSERTION(test, type, condition, fmt, ...)	\
	KUNIT_UNARY_ASSERTION(test, type, condition, true, fmt, ##__VA_ARGS__)
#define KUNIT_FALSE_MSG_ASSERTION(test, type, condition, fmt, ...)	\
	KUNIT_UNARY_ASSERTION(test, type, condition, false, fmt, ##__VA_ARGS__)

void __kunit_binary_what(char *buf, size_t size, const char *left,
			 const char *op, const char *right,
			 long long lv, long long rv);
void __kunit_ptr_what(char *buf, size_t size, const char *left,
		      const char *op, const char *right,
		      const void *lv, const void *rv);

#define KUNIT_BINARY_INT_ASSERTION(test, type, left, op, right, fmt, ...) \
	do {								\
		const typeof(left) __left = (left);			\
		const typeof(right) __right = (right);			\
		if (!(__left op __right)) {				\
			char __w[512];					\
			__kunit_binary_what(__w, sizeof(__w), #left, #op, \
					    #right, (long long)__left,	\
					    (long long)__right);	\
			_KUNIT_FAILED(test, type, __w, fmt, ##__VA_ARGS__); \
		}							\
	} while (0)

#define KUNIT_BINARY_PTR_ASSERTION(test, type, left, op, right, fmt, ...) \
	do {								\
		const void *__left = (const void *)(left);		\
		const void *__right = (const void *)(right);		\
		if (!(__left op __right)) {				\
			char __w[512];					\
			__kunit_ptr_what(__w, sizeof(__w), #left, #op,	\
					 #right, __left, __right);	\
			_KUNIT_FAILED(test, type, __w, fmt, ##__VA_ARGS__); \
		}							\
	} while (0)

#define KUNIT_BINARY_STR_ASSERTION(test, type, left, op, right, fmt, ...) \
	do {								\
		const char *__left = (left);				\
		const char *__right = (right);				\
		if (!(strcmp(__left, __right) op 0)) {			\
			char __w[512];					\
			snprintf(__w, sizeof(__w),			\
				 "Expected %s %s %s, but\n"		\
				 "        %s == \"%s\"\n"		\
				 "        %s == \"%s\"",		\
				 #left, #op, #right, #left, __left,	\
				 #right, __right);			\
			_KUNIT_FAILED(test, type, __w, fmt, ##__VA_ARGS__); \
		}							\
	} while (0)

#define KUNIT_MEM_ASSERTION(test, type, left, op, right, size, fmt, ...) \
	do {								\
		const void *__left = (left);				\
		const void *__right = (right);				\
		const size_t __size = (size);				\
		if (!__left || !__right ||				\
		    !(memcmp(__left, __right, __size) op 0)) {		\
			char __w[512];					\
			snprintf(__w, sizeof(__w),			\
				 "Expected %s %s %s (%zu bytes), but not", \
				 #left, #op, #right, __size);		\
			_KUNIT_FAILED(test, type, __w, fmt, ##__VA_ARGS__); \
		}							\
	} while (0)

#define KUNIT_PTR_NOT_ERR_OR_NULL_MSG_ASSERTION(test, type, ptr, fmt, ...) \
	do {								\
		const void *__ptr = (const void *)(ptr);		\
		if (IS_ERR_OR_NULL(__ptr)) {				\
			char __w[512];					\
			snprintf(__w, sizeof(__w),			\
				 "Expected %s is not %s, but is: %ld",	\
				 #ptr, __ptr ? "error" : "null",	\
				 __ptr ? PTR_ERR(__ptr) : 0L);		\
			_KUNIT_FAILED(test, type, __w, fmt, ##__VA_ARGS__); \
		}							\
	} while (0)

#define __KUNIT_NOFMT	"%s", ""

#define KUNIT_EXPECT_TRUE(test, c)	KUNIT_TRUE_MSG_ASSERTION(test, KUNIT_EXPECTATION, c, __KUNIT_NOFMT)
#define KUNIT_EXPECT_TRUE_MSG(test, c, fmt, ...) KUNIT_TRUE_MSG_ASSERTION(test, KUNIT_EXPECTATION, c, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_FALSE(test, c)	KUNIT_FALSE_MSG_ASSERTION(test, KUNIT_EXPECTATION, c, __KUNIT_NOFMT)
#define KUNIT_EXPECT_FALSE_MSG(test, c, fmt, ...) KUNIT_FALSE_MSG_ASSERTION(test, KUNIT_EXPECTATION, c, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_TRUE(test, c)	KUNIT_TRUE_MSG_ASSERTION(test, KUNIT_ASSERTION, c, __KUNIT_NOFMT)
#define KUNIT_ASSERT_TRUE_MSG(test, c, fmt, ...) KUNIT_TRUE_MSG_ASSERTION(test, KUNIT_ASSERTION, c, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_FALSE(test, c)	KUNIT_FALSE_MSG_ASSERTION(test, KUNIT_ASSERTION, c, __KUNIT_NOFMT)
#define KUNIT_ASSERT_FALSE_MSG(test, c, fmt, ...) KUNIT_FALSE_MSG_ASSERTION(test, KUNIT_ASSERTION, c, fmt, ##__VA_ARGS__)

#define KUNIT_EXPECT_EQ(t, l, r)	KUNIT_BINARY_INT_ASSERTION(t, KUNIT_EXPECTATION, l, ==, r, __KUNIT_NOFMT)
#define KUNIT_EXPECT_NE(t, l, r)	KUNIT_BINARY_INT_ASSERTION(t, KUNIT_EXPECTATION, l, !=, r, __KUNIT_NOFMT)
#define KUNIT_EXPECT_LT(t, l, r)	KUNIT_BINARY_INT_ASSERTION(t, KUNIT_EXPECTATION, l, <, r, __KUNIT_NOFMT)
#define KUNIT_EXPECT_LE(t, l, r)	KUNIT_BINARY_INT_ASSERTION(t, KUNIT_EXPECTATION, l, <=, r, __KUNIT_NOFMT)
#define KUNIT_EXPECT_GT(t, l, r)	KUNIT_BINARY_INT_ASSERTION(t, KUNIT_EXPECTATION, l, >, r, __KUNIT_NOFMT)
#define KUNIT_EXPECT_GE(t, l, r)	KUNIT_BINARY_INT_ASSERTION(t, KUNIT_EXPECTATION, l, >=, r, __KUNIT_NOFMT)
#define KUNIT_EXPECT_EQ_MSG(t, l, r, f, ...)	KUNIT_BINARY_INT_ASSERTION(t, KUNIT_EXPECTATION, l, ==, r, f, ##__VA_ARGS__)
#define KUNIT_EXPECT_NE_MSG(t, l, r, f, ...)	KUNIT_BINARY_INT_ASSERTION(t, KUNIT_EXPECTATION, l, !=, r, f, ##__VA_ARGS__)
#define KUNIT_EXPECT_LT_MSG(t, l, r, f, ...)	KUNIT_BINARY_INT_ASSERTION(t, KUNIT_EXPECTATION, l, <, r, f, ##__VA_ARGS__)
#define KUNIT_EXPECT_LE_MSG(t, l, r, f, ...)	KUNIT_BINARY_INT_ASSERTION(t, KUNIT_EXPECTATION, l, <=, r, f, ##__VA_ARGS__)
#define KUNIT_EXPECT_GT_MSG(t, l, r, f, ...)	KUNIT_BINARY_INT_ASSERTION(t, KUNIT_EXPECTATION, l, >, r, f, ##__VA_ARGS__)
#define KUNIT_EXPECT_GE_MSG(t, l, r, f, ...)	KUNIT_BINARY_INT_ASSERTION(t, KUNIT_EXPECTATION, l, >=, r, f, ##__VA_ARGS__)
#define KUNIT_ASSERT_EQ(t, l, r)	KUNIT_BINARY_INT_ASSERTION(t, KUNIT_ASSERTION, l, ==, r, __KUNIT_NOFMT)
#define KUNIT_ASSERT_NE(t, l, r)	KUNIT_BINARY_INT_ASSERTION(t, KUNIT_ASSERTION, l, !=, r, __KUNIT_NOFMT)
#define KUNIT_ASSERT_LT(t, l, r)	KUNIT_BINARY_INT_ASSERTION(t, KUNIT_ASSERTION, l, <, r, __KUNIT_NOFMT)
#define KUNIT_ASSERT_LE(t, l, r)	KUNIT_BINARY_INT_ASSERTION(t, KUNIT_ASSERTION, l, <=, r, __KUNIT_NOFMT)
#define KUNIT_ASSERT_GT(t, l, r)	KUNIT_BINARY_INT_ASSERTION(t, KUNIT_ASSERTION, l, >, r, __KUNIT_NOFMT)
#define KUNIT_ASSERT_GE(t, l, r)	KUNIT_BINARY_INT_ASSERTION(t, KUNIT_ASSERTION, l, >=, r, __KUNIT_NOFMT)
#define KUNIT_ASSERT_EQ_MSG(t, l, r, f, ...)	KUNIT_BINARY_INT_ASSERTION(t, KUNIT_ASSERTION, l, ==, r, f, ##__VA_ARGS__)
#define KUNIT_ASSERT_NE_MSG(t, l, r, f, ...)	KUNIT_BINARY_INT_ASSERTION(t, KUNIT_ASSERTION, l, !=, r, f, ##__VA_ARGS__)
#define KUNIT_ASSERT_LT_MSG(t, l, r, f, ...)	KUNIT_BINARY_INT_ASSERTION(t, KUNIT_ASSERTION, l, <, r, f, ##__VA_ARGS__)
#define KUNIT_ASSERT_LE_MSG(t, l, r, f, ...)	KUNIT_BINARY_INT_ASSERTION(t, KUNIT_ASSERTION, l, <=, r, f, ##__VA_ARGS__)
#define KUNIT_ASSERT_GT_MSG(t, l, r, f, ...)	KUNIT_BINARY_INT_ASSERTION(t, KUNIT_ASSERTION, l, >, r, f, ##__VA_ARGS__)
#define KUNIT_ASSERT_GE_MSG(t, l, r, f, ...)	KUNIT_BINARY_INT_ASSERTION(t, KUNIT_ASSERTION, l, >=, r, f, ##__VA_ARGS__)

#define KUNIT_EXPECT_PTR_EQ(t, l, r)	KUNIT_BINARY_PTR_ASSERTION(t, KUNIT_EXPECTATION, l, ==, r, __KUNIT_NOFMT)
#define KUNIT_EXPECT_PTR_NE(t, l, r)	KUNIT_BINARY_PTR_ASSERTION(t, KUNIT_EXPECTATION, l, !=, r, __KUNIT_NOFMT)
#define KUNIT_EXPECT_PTR_EQ_MSG(t, l, r, f, ...) KUNIT_BINARY_PTR_ASSERTION(t, KUNIT_EXPECTATION, l, ==, r, f, ##__VA_ARGS__)
#define KUNIT_EXPECT_PTR_NE_MSG(t, l, r, f, ...) KUNIT_BINARY_PTR_ASSERTION(t, KUNIT_EXPECTATION, l, !=, r, f, ##__VA_ARGS__)
#define KUNIT_ASSERT_PTR_EQ(t, l, r)	KUNIT_BINARY_PTR_ASSERTION(t, KUNIT_ASSERTION, l, ==, r, __KUNIT_NOFMT)
#define KUNIT_ASSERT_PTR_NE(t, l, r)	KUNIT_BINARY_PTR_ASSERTION(t, KUNIT_ASSERTION, l, !=, r, __KUNIT_NOFMT)
#define KUNIT_ASSERT_PTR_EQ_MSG(t, l, r, f, ...) KUNIT_BINARY_PTR_ASSERTION(t, KUNIT_ASSERTION, l, ==, r, f, ##__VA_ARGS__)
#define KUNIT_ASSERT_PTR_NE_MSG(t, l, r, f, ...) KUNIT_BINARY_PTR_ASSERTION(t, KUNIT_ASSERTION, l, !=, r, f, ##__VA_ARGS__)

#define KUNIT_EXPECT_NULL(t, p)		KUNIT_BINARY_PTR_ASSERTION(t, KUNIT_EXPECTATION, p, ==, NULL, __KUNIT_NOFMT)
#define KUNIT_EXPECT_NOT_NULL(t, p)	KUNIT_BINARY_PTR_ASSERTION(t, KUNIT_EXPECTATION, p, !=, NULL, __KUNIT_NOFMT)
#define KUNIT_EXPECT_NULL_MSG(t, p, f, ...)	KUNIT_BINARY_PTR_ASSERTION(t, KUNIT_EXPECTATION, p, ==, NULL, f, ##__VA_ARGS__)
#define KUNIT_EXPECT_NOT_NULL_MSG(t, p, f, ...)	KUNIT_BINARY_PTR_ASSERTION(t, KUNIT_EXPECTATION, p, !=, NULL, f, ##__VA_ARGS__)
#define KUNIT_ASSERT_NULL(t, p)		KUNIT_BINARY_PTR_ASSERTION(t, KUNIT_ASSERTION, p, ==, NULL, __KUNIT_NOFMT)
#define KUNIT_ASSERT_NOT_NULL(t, p)	KUNIT_BINARY_PTR_ASSERTION(t, KUNIT_ASSERTION, p, !=, NULL, __KUNIT_NOFMT)
#define KUNIT_ASSERT_NULL_MSG(t, p, f, ...)	KUNIT_BINARY_PTR_ASSERTION(t, KUNIT_ASSERTION, p, ==, NULL, f, ##__VA_ARGS__)
#define KUNIT_ASSERT_NOT_NULL_MSG(t, p, f, ...)	KUNIT_BINARY_PTR_ASSERTION(t, KUNIT_ASSERTION, p, !=, NULL, f, ##__VA_ARGS__)

#define KUNIT_EXPECT_NOT_ERR_OR_NULL(t, p)	KUNIT_PTR_NOT_ERR_OR_NULL_MSG_ASSERTION(t, KUNIT_EXPECTATION, p, __KUNIT_NOFMT)
#define KUNIT_EXPECT_NOT_ERR_OR_NULL_MSG(t, p, f, ...) KUNIT_PTR_NOT_ERR_OR_NULL_MSG_ASSERTION(t, KUNIT_EXPECTATION, p, f, ##__VA_ARGS__)
#define KUNIT_ASSERT_NOT_ERR_OR_NULL(t, p)	KUNIT_PTR_NOT_ERR_OR_NULL_MSG_ASSERTION(t, KUNIT_ASSERTION, p, __KUNIT_NOFMT)
#define KUNIT_ASSERT_NOT_ERR_OR_NULL_MSG(t, p, f, ...) KUNIT_PTR_NOT_ERR_OR_NULL_MSG_ASSERTION(t, KUNIT_ASSERTION, p, f, ##__VA_ARGS__)

#define KUNIT_EXPECT_STREQ(t, l, r)	KUNIT_BINARY_STR_ASSERTION(t, KUNIT_EXPECTATION, l, ==, r, __KUNIT_NOFMT)
#define KUNIT_EXPECT_STRNEQ(t, l, r)	KUNIT_BINARY_STR_ASSERTION(t, KUNIT_EXPECTATION, l, !=, r, __KUNIT_NOFMT)
#define KUNIT_EXPECT_STREQ_MSG(t, l, r, f, ...)	KUNIT_BINARY_STR_ASSERTION(t, KUNIT_EXPECTATION, l, ==, r, f, ##__VA_ARGS__)
#define KUNIT_EXPECT_STRNEQ_MSG(t, l, r, f, ...) KUNIT_BINARY_STR_ASSERTION(t, KUNIT_EXPECTATION, l, !=, r, f, ##__VA_ARGS__)
#define KUNIT_ASSERT_STREQ(t, l, r)	KUNIT_BINARY_STR_ASSERTION(t, KUNIT_ASSERTION, l, ==, r, __KUNIT_NOFMT)
#define KUNIT_ASSERT_STRNEQ(t, l, r)	KUNIT_BINARY_STR_ASSERTION(t, KUNIT_ASSERTION, l, !=, r, __KUNIT_NOFMT)
#define KUNIT_ASSERT_STREQ_MSG(t, l, r, f, ...)	KUNIT_BINARY_STR_ASSERTION(t, KUNIT_ASSERTION, l, ==, r, f, ##__VA_ARGS__)
#define KUNIT_ASSERT_STRNEQ_MSG(t, l, r, f, ...) KUNIT_BINARY_STR_ASSERTION(t, KUNIT_ASSERTION, l, !=, r, f, ##__VA_ARGS__)

#define KUNIT_EXPECT_MEMEQ(t, l, r, s)	KUNIT_MEM_ASSERTION(t, KUNIT_EXPECTATION, l, ==, r, s, __KUNIT_NOFMT)
#define KUNIT_EXPECT_MEMNEQ(t, l, r, s)	KUNIT_MEM_ASSERTION(t, KUNIT_EXPECTATION, l, !=, r, s, __KUNIT_NOFMT)
#define KUNIT_EXPECT_MEMEQ_MSG(t, l, r, s, f, ...)  KUNIT_MEM_ASSERTION(t, KUNIT_EXPECTATION, l, ==, r, s, f, ##__VA_ARGS__)
#define KUNIT_EXPECT_MEMNEQ_MSG(t, l, r, s, f, ...) KUNIT_MEM_ASSERTION(t, KUNIT_EXPECTATION, l, !=, r, s, f, ##__VA_ARGS__)
#define KUNIT_ASSERT_MEMEQ(t, l, r, s)	KUNIT_MEM_ASSERTION(t, KUNIT_ASSERTION, l, ==, r, s, __KUNIT_NOFMT)
#define KUNIT_ASSERT_MEMNEQ(t, l, r, s)	KUNIT_MEM_ASSERTION(t, KUNIT_ASSERTION, l, !=, r, s, __KUNIT_NOFMT)
#define KUNIT_ASSERT_MEMEQ_MSG(t, l, r, s, f, ...)  KUNIT_MEM_ASSERTION(t, KUNIT_ASSERTION, l, ==, r, s, f, ##__VA_ARGS__)
#define KUNIT_ASSERT_MEMNEQ_MSG(t, l, r, s, f, ...) KUNIT_MEM_ASSERTION(t, KUNIT_ASSERTION, l, !=, r, s, f, ##__VA_ARGS__)

/* -------- parameterised cases -------- */

#define KUNIT_ARRAY_PARAM(name, array, get_desc)			\
	static const void *name##_gen_params(const void *prev, char *desc) \
	{								\
		typeof((array)[0]) *__next = prev ?			\
			((typeof(__next))prev) + 1 : (array);		\
		if (__next - (array) < ARRAY_SIZE((array))) {		\
			void (*__get_desc)(typeof(__next), char *) = get_desc; \
			if (__get_desc)					\
				__get_desc(__next, desc);		\
			return __next;					\
		}							\
		return NULL;						\
	}

#define KUNIT_ARRAY_PARAM_DESC(name, array, desc_member)		\
	static const void *name##_gen_params(const void *prev, char *desc) \
	{								\
		typeof((array)[0]) *__next = prev ?			\
			((typeof(__next))prev) + 1 : (array);		\
		if (__next - (array) < ARRAY_SIZE((array))) {		\
			strscpy(desc, __next->desc_member,		\
				KUNIT_PARAM_DESC_SIZE);			\
			return __next;					\
		}							\
		return NULL;						\
	}

#include <kunit/resource.h>

#endif
