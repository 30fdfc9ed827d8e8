/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace KUnit: a failed assertion or kunit_skip() leaves the case by
 * longjmp() on the case's own thread; on another thread it ends that
 * thread (the case is already marked failed or skipped).
 */
#ifndef _SHIM_KUNIT_TRY_CATCH_H
#define _SHIM_KUNIT_TRY_CATCH_H

#include <pthread.h>
#include <setjmp.h>

struct kunit_try_catch {
	jmp_buf *env;
	pthread_t thread;
};

void __attribute__((__noreturn__))
kunit_try_catch_throw(struct kunit_try_catch *try_catch);

#endif
