/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace shim: spinlocks.  Holding one puts the thread in atomic
 * context, where a sleeping allocation (GFP_KERNEL) or might_sleep() is
 * reported as an error, as the kernel's "sleeping function called from
 * invalid context" check would.
 */
#ifndef _SHIM_LINUX_SPINLOCK_H
#define _SHIM_LINUX_SPINLOCK_H

#include <linux/compiler.h>
#include <linux/types.h>

void shim_atomic_enter(void);
void shim_atomic_exit(void);

static inline void shim_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

typedef struct spinlock {
	int locked;
} spinlock_t;

typedef spinlock_t raw_spinlock_t;

#define __SPIN_LOCK_UNLOCKED(name)	{ 0 }
#define DEFINE_SPINLOCK(name)		spinlock_t name = __SPIN_LOCK_UNLOCKED(name)
#define DEFINE_RAW_SPINLOCK(name)	raw_spinlock_t name = __SPIN_LOCK_UNLOCKED(name)

static inline void spin_lock_init(spinlock_t *lock)
{
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELAXED);
}

static inline void spin_lock(spinlock_t *lock)
{
	shim_atomic_enter();
	while (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&lock->locked, __ATOMIC_RELAXED))
			shim_cpu_relax();
}

static inline int spin_trylock(spinlock_t *lock)
{
	shim_atomic_enter();
	if (!__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE))
		return 1;
	shim_atomic_exit();
	return 0;
}

static inline void spin_unlock(spinlock_t *lock)
{
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
	shim_atomic_exit();
}

static inline int spin_is_locked(spinlock_t *lock)
{
	return __atomic_load_n(&lock->locked, __ATOMIC_RELAXED);
}

#define spin_lock_irqsave(lock, flags)					\
	do { (flags) = 0; spin_lock(lock); } while (0)
#define spin_unlock_irqrestore(lock, flags)				\
	do { (void)(flags); spin_unlock(lock); } while (0)
#define spin_trylock_irqsave(lock, flags)				\
	({ (flags) = 0; spin_trylock(lock); })
#define spin_lock_irq(lock)		spin_lock(lock)
#define spin_unlock_irq(lock)		spin_unlock(lock)
#define spin_lock_bh(lock)		spin_lock(lock)
#define spin_unlock_bh(lock)		spin_unlock(lock)
#define raw_spin_lock_init(lock)	spin_lock_init(lock)
#define raw_spin_lock(lock)		spin_lock(lock)
#define raw_spin_unlock(lock)		spin_unlock(lock)
#define raw_spin_lock_irqsave(l, f)	spin_lock_irqsave(l, f)
#define raw_spin_unlock_irqrestore(l, f)	spin_unlock_irqrestore(l, f)

#define local_irq_save(flags)	do { (flags) = 0; shim_atomic_enter(); } while (0)
#define local_irq_restore(flags)	do { (void)(flags); shim_atomic_exit(); } while (0)
#define preempt_disable()	shim_atomic_enter()
#define preempt_enable()	shim_atomic_exit()

#define lockdep_assert_held(l)	do { (void)(l); } while (0)

#endif
