// SPDX-License-Identifier: GPL-2.0-only
/*
 * The userspace KUnit runner: runs every registered suite (or those that
 * match -f GLOB, as kunit.filter_glob: "suite" or "suite.case"), prints
 * KTAP, and checks after every case that it freed what it allocated,
 * unmapped what it DMA-mapped, released its locks and tripped none of the
 * shim's checks.  The last line is "N passed, N failed[, N skipped]".
 */
#include <kunit/device.h>
#include <kunit/resource.h>
#include <kunit/test-bug.h>
#include <kunit/test.h>
#include <linux/dma-mapping.h>
#include <linux/random.h>

#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shim.h"

struct kunit_shim_action {
	kunit_action_t *fn;
	void *ctx;
	struct kunit_shim_action *next;
};

static struct kunit_suite **suites;
static size_t nr_suites, cap_suites;
static struct kunit *current_test;

void __kunit_shim_register(struct kunit_suite *const *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (nr_suites == cap_suites) {
			cap_suites = cap_suites ? 2 * cap_suites : 16;
			suites = realloc(suites, cap_suites * sizeof(*suites));
			if (!suites)
				abort();
		}
		suites[nr_suites++] = s[i];
	}
}

bool kunit_enabled(void)
{
	return true;
}

struct kunit *kunit_get_current_test(void)
{
	return __atomic_load_n(&current_test, __ATOMIC_ACQUIRE);
}

void kunit_try_catch_throw(struct kunit_try_catch *try_catch)
{
	if (try_catch->env && pthread_equal(pthread_self(), try_catch->thread))
		longjmp(*try_catch->env, 1);
	/* an assertion on a helper thread: end that thread only */
	pthread_exit(NULL);
}

void __kunit_abort(struct kunit *test)
{
	kunit_try_catch_throw(&test->try_catch);
}

void __kunit_fail(struct kunit *test, const char *file, int line,
		  enum kunit_assert_type type, const char *what,
		  const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	kunit_set_failure(test);
	va_start(ap, fmt);
	vscnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk(KERN_ERR "    # %s: %s FAILED at %s:%d\n", test->name,
	       type == KUNIT_ASSERTION ? "ASSERTION" : "EXPECTATION",
	       file, line);
	if (what && *what)
		printk(KERN_ERR "    %s\n", what);
	if (*msg)
		printk(KERN_ERR "    %s\n", msg);
}

void __kunit_fail_current_test(const char *file, int line, const char *fmt, ...)
{
	struct kunit *test = kunit_get_current_test();
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vscnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!test) {
		shim_fail("%s:%d: %s (outside a test)", file, line, msg);
		return;
	}
	__kunit_fail(test, file, line, KUNIT_EXPECTATION, "", "%s", msg);
}

void __kunit_binary_what(char *buf, size_t size, const char *left,
			 const char *op, const char *right,
			 long long lv, long long rv)
{
	snprintf(buf, size,
		 "Expected %s %s %s, but\n"
		 "        %s == %lld (%#llx)\n"
		 "        %s == %lld (%#llx)",
		 left, op, right, left, lv, (unsigned long long)lv,
		 right, rv, (unsigned long long)rv);
}

void __kunit_ptr_what(char *buf, size_t size, const char *left,
		      const char *op, const char *right,
		      const void *lv, const void *rv)
{
	snprintf(buf, size,
		 "Expected %s %s %s, but\n"
		 "        %s == %p\n"
		 "        %s == %p",
		 left, op, right, left, lv, right, rv);
}

/* -------- deferred actions and test-managed memory -------- */

int kunit_add_action(struct kunit *test, kunit_action_t *action, void *ctx)
{
	struct kunit_shim_action *a = malloc(sizeof(*a));

	if (!a)
		return -ENOMEM;
	a->fn = action;
	a->ctx = ctx;
	a->next = test->actions;
	test->actions = a;
	return 0;
}

int kunit_add_action_or_reset(struct kunit *test, kunit_action_t *action,
			      void *ctx)
{
	int ret = kunit_add_action(test, action, ctx);

	if (ret)
		action(ctx);
	return ret;
}

static struct kunit_shim_action *take_action(struct kunit *test,
					     kunit_action_t *action, void *ctx)
{
	for (struct kunit_shim_action **pp = &test->actions; *pp;
	     pp = &(*pp)->next) {
		struct kunit_shim_action *a = *pp;

		if (a->fn == action && a->ctx == ctx) {
			*pp = a->next;
			return a;
		}
	}
	return NULL;
}

void kunit_remove_action(struct kunit *test, kunit_action_t *action, void *ctx)
{
	free(take_action(test, action, ctx));
}

void kunit_release_action(struct kunit *test, kunit_action_t *action,
			  void *ctx)
{
	struct kunit_shim_action *a = take_action(test, action, ctx);

	if (a) {
		a->fn(a->ctx);
		free(a);
	}
}

void kunit_cleanup(struct kunit *test)
{
	struct kunit_shim_action *a;

	while ((a = test->actions)) {
		test->actions = a->next;
		a->fn(a->ctx);
		free(a);
	}
}

static void kfree_action(void *p)
{
	kfree(p);
}

void *kunit_kmalloc_array(struct kunit *test, size_t n, size_t size, gfp_t gfp)
{
	void *p = kmalloc_array(n, size, gfp);

	if (p && kunit_add_action_or_reset(test, kfree_action, p))
		return NULL;
	return p;
}

void kunit_kfree(struct kunit *test, const void *ptr)
{
	struct kunit_shim_action *a;

	if (!ptr)
		return;
	a = take_action(test, kfree_action, (void *)ptr);
	if (!a) {
		shim_fail("kunit_kfree(%p): not allocated by kunit_kmalloc", ptr);
		return;
	}
	kfree(ptr);
	free(a);
}

/*
 * lib/kunit/device.c gives a device registered without a driver a driver
 * of the device's name; while it lives, a second one of that name fails
 * with -EBUSY. Tests that make several devices must name them apart.
 */
static struct {
	struct device *dev;
	char name[64];
} kunit_drivers[64];

static void kunit_driver_forget(struct device *dev)
{
	for (size_t i = 0; i < ARRAY_SIZE(kunit_drivers); i++)
		if (kunit_drivers[i].dev == dev)
			kunit_drivers[i].dev = NULL;
}

static void device_action(void *dev)
{
	kunit_driver_forget(dev);
	shim_device_destroy(dev);
}

struct device *kunit_device_register_with_driver(struct kunit *test,
						 const char *name,
						 const struct device_driver *drv)
{
	char full[128];
	struct device *dev;

	snprintf(full, sizeof(full), "%s.%s", test->name, name);
	dev = shim_device_create(full);
	dev->driver = drv;
	/* as lib/kunit/device.c: a 32-bit DMA mask until the test widens it */
	dev->coherent_dma_mask = DMA_BIT_MASK(32);
	dev->dma_mask = &dev->coherent_dma_mask;
	if (kunit_add_action_or_reset(test, device_action, dev))
		return ERR_PTR(-ENOMEM);
	return dev;
}

struct device *kunit_device_register(struct kunit *test, const char *name)
{
	struct device *dev;
	size_t i, slot = ARRAY_SIZE(kunit_drivers);

	for (i = 0; i < ARRAY_SIZE(kunit_drivers); i++) {
		if (!kunit_drivers[i].dev) {
			slot = min(slot, i);
			continue;
		}
		if (!strcmp(kunit_drivers[i].name, name)) {
			kunit_err(test, "Error: Driver '%s' is already registered, aborting...\n",
				  name);
			return ERR_PTR(-EBUSY);
		}
	}
	dev = kunit_device_register_with_driver(test, name, NULL);
	if (!IS_ERR(dev) && slot < ARRAY_SIZE(kunit_drivers)) {
		kunit_drivers[slot].dev = dev;
		snprintf(kunit_drivers[slot].name, sizeof(kunit_drivers[slot].name),
			 "%s", name);
	}
	return dev;
}

void kunit_device_unregister(struct kunit *test, struct device *dev)
{
	kunit_release_action(test, device_action, dev);
}

/* -------- the runner -------- */

/* BUG() in a case fails the case and leaves it; elsewhere it aborts. */
static void kunit_bug(const char *msg)
{
	struct kunit *test = kunit_get_current_test();

	if (!test)
		return;
	kunit_set_failure(test);
	kunit_try_catch_throw(&test->try_catch);
}

static const char *filter_glob;
static u64 seed = 1;
static unsigned int nr_pass, nr_fail, nr_skip;

static u64 name_hash(const char *a, const char *b, u64 idx)
{
	u64 h = 1469598103934665603ULL;

	for (; *a; a++)
		h = (h ^ (u8)*a) * 1099511628211ULL;
	for (; *b; b++)
		h = (h ^ (u8)*b) * 1099511628211ULL;
	return h ^ (idx * 0x9e3779b97f4a7c15ULL) ^ seed;
}

static bool suite_selected(const struct kunit_suite *s)
{
	char sglob[256];
	const char *dot;

	if (!filter_glob)
		return true;
	dot = strchr(filter_glob, '.');
	snprintf(sglob, sizeof(sglob), "%.*s",
		 dot ? (int)(dot - filter_glob) : (int)strlen(filter_glob),
		 filter_glob);
	return fnmatch(sglob, s->name, 0) == 0;
}

static bool case_selected(const struct kunit_case *c)
{
	const char *dot = filter_glob ? strchr(filter_glob, '.') : NULL;

	return !dot || fnmatch(dot + 1, c->name, 0) == 0;
}

/* Run one case (one parameter of it); returns its status. */
static enum kunit_status run_case(struct kunit_suite *suite,
				  struct kunit_case *tc, const void *param,
				  int index, char *comment, size_t comment_size)
{
	struct kunit test = { 0 };
	jmp_buf env;
	u64 seq0 = shim_seq();
	unsigned long fails0 = shim_fail_count();
	size_t leaks;

	test.name = tc->name;
	test.param_value = param;
	test.param_index = index;
	test.status = KUNIT_SUCCESS;
	test.try_catch.env = &env;
	test.try_catch.thread = pthread_self();
	shim_random_seed(name_hash(suite->name, tc->name, index));
	__atomic_store_n(&current_test, &test, __ATOMIC_RELEASE);

	if (!setjmp(env)) {
		int err = suite->init ? suite->init(&test) : 0;

		if (err) {
			kunit_err(&test, "failed to initialize: %d\n", err);
			kunit_set_failure(&test);
		} else {
			tc->run_case(&test);
		}
	}
	if (!setjmp(env) && suite->exit)
		suite->exit(&test);
	if (!setjmp(env))
		kunit_cleanup(&test);
	test.try_catch.env = NULL;
	__atomic_store_n(&current_test, NULL, __ATOMIC_RELEASE);

	if (shim_in_atomic()) {
		kunit_err(&test, "ended in atomic context (a spinlock still held)\n");
		kunit_set_failure(&test);
	}
	leaks = shim_leaks_since(seq0, true);
	if (leaks) {
		kunit_err(&test, "%zu allocation(s)/DMA mapping(s) leaked\n",
			  leaks);
		kunit_set_failure(&test);
	}
	if (shim_fail_count() != fails0) {
		kunit_err(&test, "%lu shim check(s) failed\n",
			  shim_fail_count() - fails0);
		kunit_set_failure(&test);
	}
	shim_reset_knobs();
	snprintf(comment, comment_size, "%s", test.status_comment);
	return test.status;
}

static void report(const char *indent, enum kunit_status st, int n,
		   const char *name, const char *comment)
{
	if (st == KUNIT_SKIPPED)
		printf("%sok %d %s # SKIP %s\n", indent, n, name, comment);
	else
		printf("%s%s %d %s\n", indent,
		       st == KUNIT_FAILURE ? "not ok" : "ok", n, name);
	fflush(stdout);
	if (st == KUNIT_SUCCESS)
		nr_pass++;
	else if (st == KUNIT_FAILURE)
		nr_fail++;
	else
		nr_skip++;
}

static enum kunit_status run_suite(struct kunit_suite *suite)
{
	unsigned int ncases = 0, n = 0;
	unsigned int p0 = nr_pass, f0 = nr_fail, s0 = nr_skip;
	u64 seq0 = shim_seq();
	enum kunit_status st = KUNIT_SUCCESS;
	struct kunit_case *tc;

	for (tc = suite->test_cases; tc->run_case; tc++)
		if (case_selected(tc))
			ncases++;
	printf("    KTAP version 1\n    # Subtest: %s\n    1..%u\n",
	       suite->name, ncases);
	fflush(stdout);

	if (suite->suite_init) {
		int err = suite->suite_init(suite);

		if (err) {
			printf("    # %s: suite_init failed: %d\n", suite->name, err);
			nr_fail++;
			if (suite->suite_exit)
				suite->suite_exit(suite);
			return KUNIT_FAILURE;
		}
	}

	for (tc = suite->test_cases; tc->run_case; tc++) {
		char comment[KUNIT_STATUS_COMMENT_SIZE];
		enum kunit_status cst;

		if (!case_selected(tc))
			continue;
		n++;
		if (!tc->generate_params) {
			cst = run_case(suite, tc, NULL, 0, comment,
				       sizeof(comment));
			report("    ", cst, n, tc->name, comment);
		} else {
			char desc[KUNIT_PARAM_DESC_SIZE];
			const void *param;
			int idx = 0;
			bool any_fail = false, all_skip = true;

			printf("        KTAP version 1\n        # Subtest: %s\n",
			       tc->name);
			desc[0] = '\0';
			for (param = tc->generate_params(NULL, desc); param;
			     param = tc->generate_params(param, desc)) {
				enum kunit_status pst;

				if (!desc[0])
					snprintf(desc, sizeof(desc), "param-%d", idx);
				pst = run_case(suite, tc, param, idx, comment,
					       sizeof(comment));
				report("        ", pst, idx + 1, desc, comment);
				any_fail |= pst == KUNIT_FAILURE;
				all_skip &= pst == KUNIT_SKIPPED;
				desc[0] = '\0';
				idx++;
			}
			printf("        1..%d\n", idx);
			cst = any_fail ? KUNIT_FAILURE :
			      (all_skip && idx) ? KUNIT_SKIPPED : KUNIT_SUCCESS;
			printf("    %s %u %s%s\n",
			       cst == KUNIT_FAILURE ? "not ok" : "ok", n,
			       tc->name, cst == KUNIT_SKIPPED ? " # SKIP" : "");
		}
		if (cst == KUNIT_FAILURE)
			st = KUNIT_FAILURE;
	}

	if (suite->suite_exit)
		suite->suite_exit(suite);
	if (shim_leaks_since(seq0, true)) {
		printf("    # %s: suite_init/suite_exit leaked\n", suite->name);
		nr_fail++;
		st = KUNIT_FAILURE;
	}
	printf("# %s: pass:%u fail:%u skip:%u total:%u\n", suite->name,
	       nr_pass - p0, nr_fail - f0, nr_skip - s0,
	       nr_pass - p0 + nr_fail - f0 + nr_skip - s0);
	return st;
}

static void usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [-f GLOB] [-s SEED] [-q] [-l]\n"
		"  -f GLOB  run suites (GLOB) or cases (SUITE_GLOB.CASE_GLOB) that match\n"
		"  -s SEED  seed for get_random_*() (default 1)\n"
		"  -q       do not print WARN()s (they are still counted)\n"
		"  -l       list suites and cases\n", prog);
}

int main(int argc, char **argv)
{
	unsigned int nsel = 0, n = 0;
	bool list = false;
	int opt;

	shim_bug_handler = kunit_bug;
	while ((opt = getopt(argc, argv, "f:s:qlh")) != -1) {
		switch (opt) {
		case 'f':
			filter_glob = optarg;
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'q':
			shim_warn_quiet(true);
			break;
		case 'l':
			list = true;
			break;
		default:
			usage(argv[0]);
			return 2;
		}
	}

	if (list) {
		for (size_t i = 0; i < nr_suites; i++)
			for (struct kunit_case *tc = suites[i]->test_cases;
			     tc->run_case; tc++)
				printf("%s.%s\n", suites[i]->name, tc->name);
		return 0;
	}

	for (size_t i = 0; i < nr_suites; i++)
		nsel += suite_selected(suites[i]);
	printf("KTAP version 1\n1..%u\n", nsel);
	for (size_t i = 0; i < nr_suites; i++) {
		enum kunit_status st;

		if (!suite_selected(suites[i]))
			continue;
		st = run_suite(suites[i]);
		printf("%s %u %s\n", st == KUNIT_FAILURE ? "not ok" : "ok",
		       ++n, suites[i]->name);
		fflush(stdout);
	}
	if (nr_skip)
		printf("%u passed, %u failed, %u skipped\n", nr_pass, nr_fail,
		       nr_skip);
	else
		printf("%u passed, %u failed\n", nr_pass, nr_fail);
	return nr_fail ? 1 : 0;
}
