/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * For one more build of our io-pgtable-arm.c in the bench only: the shim's
 * RCU, except that the read side costs what it costs in a kernel without
 * CONFIG_PREEMPT_COUNT (a compiler barrier). It separates what
 * rcu_read_lock() costs the map fast path from what the rest of the code
 * does. Nothing waits for these readers, so this build must only run
 * single-threaded (the bench is).
 */
#ifndef _BENCH_NORCU_RCUPDATE_H
#define _BENCH_NORCU_RCUPDATE_H

#include_next <linux/rcupdate.h>

#undef rcu_read_lock
#undef rcu_read_unlock
#define rcu_read_lock()		barrier()
#define rcu_read_unlock()	barrier()

#endif
