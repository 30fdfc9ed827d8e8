// SPDX-License-Identifier: GPL-2.0-only
/*
 * Differential fuzzer: our io-pgtable against Linux 6.12's own
 * io-pgtable-arm.c and io-pgtable-arm-v7s.c, both built into this binary
 * against the harness's shim (as the benchmark is; see README.md).
 *
 * For every format, granule, ias/oas, quirk set and walker coherency it
 * allocates both (comparing refusals and the register values written back
 * to the cfg), then runs the same random operation sequences on both:
 * map_pages, unmap_pages (real, queued and NULL gathers) and iova_to_phys,
 * driven as the IOMMU core drives them. After every operation it compares
 * return values, bytes mapped and unmapped, translations, the TLB
 * callbacks seen, whether a WARN fired, and the leaves the reference
 * walkers (drivers/iommu/io-pgtable-arm-ref.h, -v7s-ref.h) decode from
 * each table's raw memory, as the hardware would walk it (through the DMA
 * model's device view for non-coherent walkers).
 *
 * Every difference is either one of the deviations we decided on
 * (deviations.h), counted per id, or a failure, printed with a minimal
 * reproducer (the shortest operation sequence found that still shows it).
 *
 * --reclaim runs ours with IO_PGTABLE_QUIRK_ARM_RECLAIM against 6.12 on
 * operations that fill and empty tables page by page, and checks what the
 * reclaim of emptied tables may change on its own (see "--reclaim" below).
 */
#include <linux/io-pgtable.h>
#include <linux/iommu.h>
#include <linux/gfp.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/mm.h>

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <signal.h>
#include <unistd.h>

#include "iommu-pages.h"
#include "shim.h"
#include "io-pgtable-arm-ref.h"
#include "io-pgtable-arm-v7s-ref.h"

/*
 * Our output; the shim's messages (WARNs, DMA API misuse, dev_err) go to
 * stdout, which main() points at --shim-log (default /dev/null): they are
 * counted and attributed to a side all the same.
 */
static FILE *out;
#define printf(...)	fprintf(out, __VA_ARGS__)

/* ------------------------------------------------------------------ */
/* deviations                                                          */
/* ------------------------------------------------------------------ */

enum dev_id {
#define DEVIATION(id, summary, reason) DEV_##id,
#include "deviations.h"
#undef DEVIATION
	NR_DEVS,
	DEV_FAIL = NR_DEVS,
	/*
	 * --pending: a difference the lead is fixing on another branch
	 * (NULL-gather tlb_add_page, Mali leaf bits, 6.12's ias/oas clamping
	 * and quirk refusals); counted, so that the run can look past them.
	 */
	DEV_PENDING,
};

static const struct {
	const char *id, *summary, *reason;
} deviations[NR_DEVS] = {
#define DEVIATION(id, summary, reason) [DEV_##id] = { #id, summary, reason },
#include "deviations.h"
#undef DEVIATION
};

/* ------------------------------------------------------------------ */
/* the two implementations                                             */
/* ------------------------------------------------------------------ */

#include "upstream.h"


enum { OURS, UP, NR_SIDES };
static const char *const side_name[NR_SIDES] = { "ours", "6.12" };

/* ------------------------------------------------------------------ */
/* kmem caches, reused                                                 */
/* ------------------------------------------------------------------ */

/*
 * Both v7s implementations create a kmem cache for their level-2 tables
 * with every set of tables (ours shares one while any set lives) and
 * destroy it with the last. The shim keeps a destroyed cache's memory for
 * good, so that it can still name a stale address; a fuzzer that creates
 * millions of tables would run out of it. The Makefile renames the v7s
 * objects' kmem_cache_create/destroy to these, which hand out an idle
 * cache of the same geometry when there is one.
 */
struct kmem_cache *fuzz_kmem_cache_create(const char *name, unsigned int size,
					  unsigned int align, slab_flags_t flags,
					  void (*ctor)(void *));
void fuzz_kmem_cache_destroy(struct kmem_cache *s);

static struct {
	struct kmem_cache *cache;
	unsigned int size, align;
	slab_flags_t flags;
	void (*ctor)(void *);
	bool busy;
} caches[32];

struct kmem_cache *fuzz_kmem_cache_create(const char *name, unsigned int size,
					  unsigned int align, slab_flags_t flags,
					  void (*ctor)(void *))
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(caches) && caches[i].cache; i++)
		if (!caches[i].busy && caches[i].size == size &&
		    caches[i].align == align && caches[i].flags == flags &&
		    caches[i].ctor == ctor)
			goto found;
	if (i == ARRAY_SIZE(caches))
		return kmem_cache_create(name, size, align, flags, ctor);
	caches[i].cache = kmem_cache_create(name, size, align, flags, ctor);
	if (!caches[i].cache)
		return NULL;
	caches[i].size = size;
	caches[i].align = align;
	caches[i].flags = flags;
	caches[i].ctor = ctor;
found:
	caches[i].busy = true;
	return caches[i].cache;
}

void fuzz_kmem_cache_destroy(struct kmem_cache *s)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(caches) && s; i++) {
		if (caches[i].cache != s)
			continue;
		if (!caches[i].busy)
			shim_fail("kmem_cache_destroy(%p): already destroyed", s);
		else if (shim_cache_live_objects(s))
			shim_fail("kmem_cache_destroy: %zu objects still live",
				  shim_cache_live_objects(s));
		caches[i].busy = false;
		return;
	}
	kmem_cache_destroy(s);
}

/* ------------------------------------------------------------------ */
/* configurations                                                      */
/* ------------------------------------------------------------------ */

#define SZ_4T		(1UL << 42)
#define B4K		(SZ_4K | SZ_2M | SZ_1G)
#define B16K		(SZ_16K | SZ_32M)
#define B64K		(SZ_64K | SZ_512M | SZ_4T)
#define BALL		(B4K | B16K | B64K)
#define V7S_B		(SZ_4K | SZ_64K | SZ_1M)
#define V7S_BSUPER	(V7S_B | SZ_16M)

#define Q(x)		IO_PGTABLE_QUIRK_##x

struct cfgspec {
	enum io_pgtable_fmt fmt;
	unsigned long bitmap;
	unsigned int ias, oas;
	unsigned long quirks;
	bool coherent;
};

static const struct {
	enum io_pgtable_fmt fmt;
	const char *name;
} formats[] = {
	{ ARM_64_LPAE_S1, "ARM_64_LPAE_S1" },
	{ ARM_64_LPAE_S2, "ARM_64_LPAE_S2" },
	{ ARM_32_LPAE_S1, "ARM_32_LPAE_S1" },
	{ ARM_32_LPAE_S2, "ARM_32_LPAE_S2" },
	{ ARM_MALI_LPAE, "ARM_MALI_LPAE" },
	{ ARM_V7S, "ARM_V7S" },
};
#define NR_FORMATS	ARRAY_SIZE(formats)

static const char *fmt_name(enum io_pgtable_fmt fmt)
{
	for (unsigned int i = 0; i < NR_FORMATS; i++)
		if (formats[i].fmt == fmt)
			return formats[i].name;
	return "?";
}

static bool is_v7s(enum io_pgtable_fmt fmt)
{
	return fmt == ARM_V7S;
}

static bool is_s1(enum io_pgtable_fmt fmt)
{
	return fmt == ARM_64_LPAE_S1 || fmt == ARM_32_LPAE_S1;
}

static bool is_s2(enum io_pgtable_fmt fmt)
{
	return fmt == ARM_64_LPAE_S2 || fmt == ARM_32_LPAE_S2;
}

static const unsigned long lpae_bitmaps[] = { B4K, B16K, B64K, BALL };
static const unsigned int lpae_ias[] = {
	12, 16, 20, 25, 30, 32, 33, 36, 39, 40, 42, 44, 47, 48, 49, 52, 53
};
static const unsigned int lpae_oas[] = { 30, 32, 33, 36, 40, 42, 44, 48, 52, 53 };
static const unsigned long lpae_quirks[] = {
	0, Q(ARM_NS), Q(NO_PERMS), Q(ARM_MTK_EXT), Q(ARM_MTK_TTBR_EXT),
	Q(ARM_TTBR1), Q(ARM_OUTER_WBWA), Q(ARM_HD), Q(ARM_S2FWB), Q(NO_WARN),
	Q(ARM_NS) | Q(ARM_TTBR1) | Q(ARM_HD),
	Q(ARM_OUTER_WBWA) | Q(ARM_NS),
	Q(ARM_TTBR1) | Q(ARM_OUTER_WBWA) | Q(ARM_HD),
	Q(NO_SPLIT), Q(ARM_BBML2), Q(ARM_BBML2) | Q(ARM_TTBR1),
};

/*
 * Quirks of ours that change no descriptor and no register, only what
 * unmap does with part of a block: 6.12 gets the configuration without
 * them, so that they are fuzzed (NO_SPLIT_QUIRK; SPLIT_BBM after the
 * install with ARM_BBML2).
 */
#define UP_STRIP	(Q(NO_SPLIT) | Q(ARM_BBML2))
static const unsigned long v7s_bitmaps[] = { V7S_B, V7S_BSUPER, SZ_4K | SZ_1M };
static const unsigned int v7s_ias[] = { 24, 30, 32, 33, 34, 35 };
static const unsigned int v7s_oas[] = { 30, 32, 33, 34, 35, 36 };
static const unsigned long v7s_quirks[] = {
	0, Q(ARM_NS), Q(NO_PERMS), Q(ARM_NS) | Q(NO_PERMS),
	Q(ARM_MTK_EXT), Q(ARM_MTK_EXT) | Q(NO_PERMS),
	Q(ARM_MTK_EXT) | Q(NO_PERMS) | Q(ARM_NS),
	Q(ARM_MTK_EXT) | Q(NO_PERMS) | Q(ARM_MTK_TTBR_EXT),
	Q(ARM_MTK_TTBR_EXT), Q(ARM_MTK_TTBR_EXT) | Q(NO_PERMS),
	Q(ARM_TTBR1), Q(ARM_OUTER_WBWA), Q(ARM_HD), Q(ARM_S2FWB), Q(NO_WARN),
};

/* ------------------------------------------------------------------ */
/* randomness                                                          */
/* ------------------------------------------------------------------ */

static u64 rs;

static inline u64 rnd(void)
{
	/* splitmix64: every seed is a good one */
	u64 z = (rs += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline u64 rnd_below(u64 n)
{
	return n ? rnd() % n : 0;
}

static inline bool chance(unsigned int percent)
{
	return rnd_below(100) < percent;
}

/* ------------------------------------------------------------------ */
/* one side: a set of tables, its callbacks, its walker                */
/* ------------------------------------------------------------------ */

struct tlbcount {
	unsigned long all, walk, page, page_null;
};

struct op;

#define MAX_BBM_PTS	32
/* the walk flushes of one operation: where tables went, and --reclaim */
#define MAX_FLUSHES	64

struct side {
	int which;
	enum io_pgtable_fmt fmt;
	struct io_pgtable_cfg cfg;
	struct io_pgtable_ops *ops;
	struct tlbcount tlb;
	u64 page_bytes;		/* what tlb_add_page() to a gather covered */
	struct arm_lpae_ref ref;
	struct v7s_ref vref;
	/*
	 * Table memory: the shim's live allocations made by this side's
	 * calls (alloc included), and how many of them are not tables (the
	 * structure around them): live - base is what must be reachable,
	 * plus the tables a reservation holds.
	 */
	long live, base;
	/* ours, during an unmap: the break-before-make check of each walk flush */
	const struct op *op;
	u64 pts[MAX_BBM_PTS];
	struct {
		bool valid, w;
		u64 pa;
	} pre[MAX_BBM_PTS];
	unsigned int npts;
	unsigned int bbm_flushes;
	char bbm_err[320];
	/* this operation's tlb_flush_walk() calls (the first MAX_FLUSHES) */
	struct {
		u64 iova, size, granule;
	} fl[MAX_FLUSHES];
	unsigned int nfl;
};

static void cb_flush_all(void *cookie)
{
	((struct side *)cookie)->tlb.all++;
}

static void bbm_check(struct side *s, u64 iova, size_t size);

static void cb_flush_walk(unsigned long iova, size_t size, size_t granule,
			  void *cookie)
{
	struct side *s = cookie;

	s->tlb.walk++;
	if (s->nfl < MAX_FLUSHES) {
		s->fl[s->nfl].iova = iova;
		s->fl[s->nfl].size = size;
		s->fl[s->nfl++].granule = granule;
	}
	if (s->op)
		bbm_check(s, iova, size);
}

static void cb_add_page(struct iommu_iotlb_gather *gather, unsigned long iova,
			size_t granule, void *cookie)
{
	struct side *s = cookie;

	if (gather) {
		s->tlb.page++;
		s->page_bytes += granule;
	} else
		s->tlb.page_null++;
}

static const struct iommu_flush_ops flush_ops = {
	.tlb_flush_all	= cb_flush_all,
	.tlb_flush_walk	= cb_flush_walk,
	.tlb_add_page	= cb_add_page,
};

static struct device *walker_dev;

static u64 dev_read64(void *ctx, phys_addr_t pa)
{
	return shim_dma_read64(pa);
}

static u32 dev_read32(void *ctx, phys_addr_t pa)
{
	return shim_dma_read32(pa);
}

static void init_cfg(struct io_pgtable_cfg *cfg, const struct cfgspec *c)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->quirks = c->quirks;
	cfg->pgsize_bitmap = c->bitmap;
	cfg->ias = c->ias;
	cfg->oas = c->oas;
	cfg->coherent_walk = c->coherent;
	cfg->tlb = &flush_ops;
	cfg->iommu_dev = walker_dev;
}

static unsigned int tg0_shift(unsigned int tg)
{
	return tg == 0 ? 12 : tg == 1 ? 16 : 14;
}

static unsigned int tg1_shift(unsigned int tg)
{
	return tg == 2 ? 12 : tg == 1 ? 14 : 16;
}

/* The hardware's view of the tables, from the registers the cfg holds. */
static void setup_walker(struct side *s, enum io_pgtable_fmt fmt)
{
	struct io_pgtable_cfg *cfg = &s->cfg;
	struct arm_lpae_ref *r = &s->ref;
	unsigned int gs;

	memset(r, 0, sizeof(*r));
	memset(&s->vref, 0, sizeof(s->vref));
	if (is_v7s(fmt)) {
		bool mtk = cfg->quirks & Q(ARM_MTK_EXT);

		s->vref.ias = cfg->ias;
		s->vref.mtk = mtk;
		s->vref.mtk_table = cfg->quirks & Q(ARM_MTK_TTBR_EXT);
		s->vref.pgd = v7s_ref_ttbr_base(cfg->arm_v7s_cfg.ttbr, cfg->ias,
						mtk);
		if (!cfg->coherent_walk)
			s->vref.read = dev_read32;
		return;
	}
	if (!cfg->coherent_walk)
		r->read = dev_read64;
	if (is_s1(fmt)) {
		bool t1 = cfg->quirks & Q(ARM_TTBR1);

		gs = t1 ? tg1_shift(cfg->arm_lpae_s1_cfg.tcr.tg) :
			  tg0_shift(cfg->arm_lpae_s1_cfg.tcr.tg);
		r->stage = ARM_LPAE_REF_S1;
		r->granule_shift = gs;
		r->ias = 64 - cfg->arm_lpae_s1_cfg.tcr.tsz;
		r->start_level = arm_lpae_ref_min_start_level(gs, r->ias);
		r->pgd = cfg->arm_lpae_s1_cfg.ttbr;
		r->ttbr1 = t1;
		r->lpa52 = gs == 16 && cfg->arm_lpae_s1_cfg.tcr.ips == 6;
		r->mair = cfg->arm_lpae_s1_cfg.mair;
	} else if (is_s2(fmt)) {
		unsigned int sl = cfg->arm_lpae_s2_cfg.vtcr.sl;

		gs = tg0_shift(cfg->arm_lpae_s2_cfg.vtcr.tg);
		r->stage = ARM_LPAE_REF_S2;
		r->granule_shift = gs;
		r->ias = 64 - cfg->arm_lpae_s2_cfg.vtcr.tsz;
		/* 4K: SL0 0b11 is level 3 (FEAT_TTST), the others count down from 2 */
		r->start_level = gs != 12 ? 3 - (int)sl : sl == 3 ? 3 : 2 - (int)sl;
		r->pgd = cfg->arm_lpae_s2_cfg.vttbr;
		r->lpa52 = gs == 16 && cfg->arm_lpae_s2_cfg.vtcr.ps == 6;
		r->s2fwb = cfg->quirks & Q(ARM_S2FWB);
	} else {
		r->stage = ARM_LPAE_REF_MALI;
		r->granule_shift = 12;
		r->ias = cfg->ias;
		r->start_level = 0;
		r->pgd = cfg->arm_mali_lpae_cfg.transtab & ~0x1fULL;
		r->mair = cfg->arm_mali_lpae_cfg.memattr;
	}
}

/* ------------------------------------------------------------------ */
/* leaves, normalised                                                  */
/* ------------------------------------------------------------------ */

enum {
	F_VALID		= BIT(0),
	F_SIZE		= BIT(1),
	F_OA		= BIT(2),
	F_R		= BIT(3),
	F_W		= BIT(4),
	F_DBM		= BIT(5),
	F_UNPRIV	= BIT(6),
	F_XPRIV		= BIT(7),
	F_XUNPRIV	= BIT(8),
	F_AF		= BIT(9),
	F_NG		= BIT(10),
	F_NS		= BIT(11),
	F_CONT		= BIT(12),
	F_SH		= BIT(13),	/* Normal memory */
	F_SH_DEV	= BIT(14),	/* Device memory: architecturally ignored */
	F_MEMTYPE	= BIT(15),
	F_ATTR		= BIT(16),
	F_RAW		= BIT(17),	/* Mali: bit for bit */
	F_MALFORMED	= BIT(18),
};

static const char *const field_names[] = {
	"valid", "size", "oa", "read", "write", "dbm", "unpriv", "exec-priv",
	"exec-unpriv", "af", "ng", "ns", "contiguous", "sh", "sh(device)",
	"memtype", "attr", "raw", "malformed",
};

struct nleaf {
	bool valid, malformed;
	bool r, w, dbm, unpriv, xp, xu, af, ng, ns, cont;
	int level;
	u64 size;
	u64 oa;
	unsigned int sh;
	int memtype;		/* -1: v7s */
	unsigned int attr;	/* LPAE: the MAIR byte / S2 MemAttr; v7s: TEX[0]CB */
	u64 raw;
};

static void lpae_nleaf(const struct side *s, const struct arm_lpae_ref_leaf *l,
		       struct nleaf *n)
{
	n->level = l->level;
	n->malformed = l->malformed;
	n->raw = l->pte;
	if (!l->valid)
		return;
	n->valid = true;
	n->size = l->size;
	n->oa = l->oa;
	n->r = l->read;
	n->w = l->write;
	n->dbm = l->dbm;
	n->unpriv = l->unpriv;
	n->xp = l->exec_priv;
	n->xu = l->exec_unpriv;
	n->af = l->af;
	n->ng = l->ng;
	n->ns = l->ns;
	n->cont = l->contiguous;
	n->sh = l->sh;
	n->memtype = l->memtype;
	n->attr = s->ref.stage == ARM_LPAE_REF_S2 ? l->attr : l->attr_byte;
}

static void walk(const struct side *s, enum io_pgtable_fmt fmt, u64 iova,
		 struct nleaf *n)
{
	memset(n, 0, sizeof(*n));
	if (is_v7s(fmt)) {
		struct v7s_ref_leaf l;

		n->memtype = -1;
		if (!v7s_ref_walk(&s->vref, iova, &l))
			return;
		n->valid = true;
		n->level = l.level;
		n->size = l.size;
		n->oa = l.pa;
		n->r = true;
		n->w = !l.rdonly;
		n->unpriv = l.unpriv;
		n->xp = !l.xn;
		n->xu = !l.xn;
		n->af = l.af;
		n->ng = l.ng;
		n->ns = l.ns;
		n->sh = l.s;
		n->attr = l.memidx;
		n->raw = l.desc;
		return;
	}
	{
		struct arm_lpae_ref_leaf l;

		arm_lpae_ref_walk(&s->ref, iova, &l);
		lpae_nleaf(s, &l, n);
	}
}

static unsigned int leaf_diff(enum io_pgtable_fmt fmt, const struct nleaf *a,
			      const struct nleaf *b)
{
	unsigned int d = 0;

	if (a->malformed != b->malformed)
		d |= F_MALFORMED;
	if (a->valid != b->valid)
		return d | F_VALID;
	if (!a->valid)
		return d;
#define CMP(f, bit) do { if (a->f != b->f) d |= bit; } while (0)
	CMP(size, F_SIZE);
	CMP(oa, F_OA);
	CMP(r, F_R);
	CMP(w, F_W);
	CMP(dbm, F_DBM);
	CMP(unpriv, F_UNPRIV);
	CMP(xp, F_XPRIV);
	CMP(xu, F_XUNPRIV);
	CMP(af, F_AF);
	CMP(ng, F_NG);
	CMP(ns, F_NS);
	CMP(cont, F_CONT);
	CMP(memtype, F_MEMTYPE);
	CMP(attr, F_ATTR);
#undef CMP
	if (a->sh != b->sh)
		d |= a->memtype == ARM_LPAE_REF_MEM_DEVICE &&
		     b->memtype == ARM_LPAE_REF_MEM_DEVICE ? F_SH_DEV : F_SH;
	if (fmt == ARM_MALI_LPAE && a->raw != b->raw)
		d |= F_RAW;
	return d;
}

static void fmt_fields(char *buf, size_t len, unsigned int d)
{
	size_t o = 0;

	buf[0] = 0;
	for (unsigned int i = 0; i < ARRAY_SIZE(field_names); i++)
		if (d & BIT(i))
			o += snprintf(buf + o, len - o, "%s%s", o ? "," : "",
				      field_names[i]);
}

static void fmt_leaf(char *buf, size_t len, const struct nleaf *n)
{
	if (!n->valid) {
		snprintf(buf, len, "%s (walk ended at level %d, desc %#llx)",
			 n->malformed ? "MALFORMED" : "fault", n->level,
			 (unsigned long long)n->raw);
		return;
	}
	snprintf(buf, len,
		 "L%d size %#llx oa %#llx %s%s%s%s x:%s%s af%d ng%d ns%d cont%d sh%u mt%d attr %#x desc %#llx",
		 n->level, (unsigned long long)n->size,
		 (unsigned long long)n->oa, n->r ? "r" : "-",
		 n->w ? "w" : "-", n->dbm ? "D" : "", n->unpriv ? "u" : "",
		 n->xp ? "p" : "-", n->xu ? "u" : "-", n->af, n->ng, n->ns,
		 n->cont, n->sh, n->memtype, n->attr,
		 (unsigned long long)n->raw);
}

/* ------------------------------------------------------------------ */
/* operations                                                          */
/* ------------------------------------------------------------------ */

enum op_kind { OP_MAP, OP_UNMAP, OP_IOVA_TO_PHYS };
enum gather_kind { G_REAL, G_QUEUED, G_NULL };
static const char *const gather_names[] = { "gather", "queued", "NULL" };

struct op {
	u8 kind, gather;
	bool rsv;		/* ours: count, reserve, attach (LPAE) */
	u64 iova, paddr;
	size_t pgsize, pgcount;
	int prot;
};

struct result {
	int ret;
	size_t bytes;		/* mapped or unmapped */
	phys_addr_t phys;
	struct tlbcount tlb;
	bool warned;
	unsigned long shim_failures;	/* DMA API misuse and the like */
	unsigned int deferred;	/* tables left on a queued gather's list */
	u64 page_bytes;		/* what tlb_add_page() to a gather covered */
	unsigned int reclaim_walks;	/* --reclaim: flushes of reclaimed tables */
	/* tables allocated, or (ours) taken from the reservation */
	unsigned long tables_new;
	size_t first;		/* what the first call returned (unmap) */
	bool counted;		/* ours: the count accepted the request */
	int count_ret;
	size_t rsv_count, rsv_taken, rsv_returned, rsv_worst;
	char err[384];		/* ours: a check of its own that failed */
};

static void fmt_prot(char *buf, size_t len, int prot)
{
	snprintf(buf, len, "%s%s%s%s%s%s%s", prot & IOMMU_READ ? "R" : "",
		 prot & IOMMU_WRITE ? "W" : "", prot & IOMMU_CACHE ? "C" : "",
		 prot & IOMMU_NOEXEC ? "X" : "", prot & IOMMU_MMIO ? "M" : "",
		 prot & IOMMU_PRIV ? "P" : "", prot ? "" : "0");
}

static void fmt_op(char *buf, size_t len, const struct op *op)
{
	char p[16];

	switch (op->kind) {
	case OP_MAP:
		fmt_prot(p, sizeof(p), op->prot);
		snprintf(buf, len,
			 "map iova %#llx pa %#llx pgsize %#zx pgcount %zu prot %s%s",
			 (unsigned long long)op->iova,
			 (unsigned long long)op->paddr, op->pgsize, op->pgcount,
			 p, op->rsv ? " (reserved)" : "");
		break;
	case OP_UNMAP:
		snprintf(buf, len, "unmap iova %#llx pgsize %#zx pgcount %zu (%s)%s",
			 (unsigned long long)op->iova, op->pgsize, op->pgcount,
			 gather_names[op->gather], op->rsv ? " (reserved)" : "");
		break;
	default:
		snprintf(buf, len, "iova_to_phys %#llx",
			 (unsigned long long)op->iova);
	}
}

static void fmt_result(char *buf, size_t len, const struct op *op,
		       const struct result *r)
{
	const char *what = op->kind == OP_MAP ? "mapped" : "unmapped";

	if (op->kind == OP_IOVA_TO_PHYS)
		snprintf(buf, len, "phys %#llx", (unsigned long long)r->phys);
	else
		snprintf(buf, len,
			 "ret %d %s %#zx tlb: all %lu walk %lu page %lu page(NULL) %lu%s, %lu new tables%s",
			 r->ret, what, r->bytes, r->tlb.all, r->tlb.walk,
			 r->tlb.page, r->tlb.page_null,
			 r->warned ? " WARN" : "", r->tables_new,
			 r->counted ? " (reserved)" : "");
}

/* ------------------------------------------------------------------ */
/* break-before-make and table memory                                  */
/* ------------------------------------------------------------------ */

/*
 * Ours, at every tlb_flush_walk() during an unmap: the entry above the
 * flushed range must already be cleared and synced, so that nothing in
 * the range translates in the walker's view (through the DMA model for a
 * non-coherent walker): a block being split, or a table being removed.
 * With ARM_BBML2 a split installs the tables first: then what the request
 * unmaps translates to nothing and the rest as it did before the call.
 */
static void bbm_check(struct side *s, u64 iova, size_t size)
{
	const struct op *op = s->op;
	u64 lo = op->iova, len = (u64)op->pgsize * op->pgcount;
	bool bbml2 = s->cfg.quirks & Q(ARM_BBML2);
	u64 pts[MAX_BBM_PTS + 3];
	int idx[MAX_BBM_PTS + 3];
	unsigned int n = 0;

	s->bbm_flushes++;
	if (s->bbm_err[0] || !size)
		return;
	pts[n] = iova;
	idx[n++] = -1;
	pts[n] = iova + (size / 2 & ~7ULL);
	idx[n++] = -1;
	pts[n] = iova + ((size - 1) & ~7ULL);
	idx[n++] = -1;
	for (unsigned int i = 0; i < s->npts; i++) {
		if (s->pts[i] - iova >= size)
			continue;
		pts[n] = s->pts[i];
		idx[n++] = i;
	}
	for (unsigned int i = 0; i < n; i++) {
		struct nleaf l;
		bool in_op = pts[i] - lo < len;
		u64 pa;

		walk(s, s->fmt, pts[i], &l);
		if (!l.valid) {
			if (bbml2 && !in_op && idx[i] >= 0 &&
			    s->pre[idx[i]].valid) {
				snprintf(s->bbm_err, sizeof(s->bbm_err),
					 "BBML2 split: at tlb_flush_walk(%#llx, %#zx) %#llx, which the request does not unmap, does not translate (the break BBML2 skips)",
					 (unsigned long long)iova, size,
					 (unsigned long long)pts[i]);
				return;
			}
			continue;
		}
		pa = l.oa;	/* walk() gives the address of the IOVA itself */
		if (!bbml2) {
			snprintf(s->bbm_err, sizeof(s->bbm_err),
				 "break-before-make: at tlb_flush_walk(%#llx, %#zx) %#llx still translates (to %#llx, leaf %#llx)%s",
				 (unsigned long long)iova, size,
				 (unsigned long long)pts[i],
				 (unsigned long long)pa,
				 (unsigned long long)l.size,
				 in_op ? ", inside the range being unmapped" : "");
			return;
		}
		/*
		 * BBML2: the walker sees the block or the new tables, both
		 * with the translation of before; inside the request's range
		 * too, until the call that unmaps it
		 */
		if (idx[i] >= 0 && !s->pre[idx[i]].valid) {
			snprintf(s->bbm_err, sizeof(s->bbm_err),
				 "BBML2 split: at tlb_flush_walk(%#llx, %#zx) %#llx translates (to %#llx), nothing did before the call",
				 (unsigned long long)iova, size,
				 (unsigned long long)pts[i],
				 (unsigned long long)pa);
			return;
		}
		if (idx[i] >= 0 &&
		    (s->pre[idx[i]].pa != pa || s->pre[idx[i]].w != l.w)) {
			snprintf(s->bbm_err, sizeof(s->bbm_err),
				 "BBML2 split: at tlb_flush_walk(%#llx, %#zx) %#llx translates to %#llx%s, before the call to %#llx%s",
				 (unsigned long long)iova, size,
				 (unsigned long long)pts[i],
				 (unsigned long long)pa, l.w ? "" : " (ro)",
				 (unsigned long long)s->pre[idx[i]].pa,
				 s->pre[idx[i]].w ? "" : " (ro)");
			return;
		}
	}
}

static int count_table_cb(void *arg, int level, phys_addr_t pa, size_t size,
			  u64 iova)
{
	(*(long *)arg)++;
	return 0;
}

/*
 * LPAE: the tables reachable from the top one (the CPU's view), it
 * included. v7s (which does not split): 0, not checked.
 */
static long count_tables(const struct side *s)
{
	long n = 0;

	if (is_v7s(s->fmt))
		return 0;
	{
		struct arm_lpae_ref r = s->ref;
		struct arm_lpae_ref_visitor v = {
			.table = count_table_cb, .arg = &n,
		};

		r.read = NULL;
		arm_lpae_ref_for_each(&r, &v);
	}
	return n;
}

/*
 * Every table this side's calls allocated and did not free is reachable
 * from the top one, or held by a reservation: none lost, none counted
 * twice. 0, or the difference.
 */
static long tables_unaccounted(const struct side *s)
{
	return s->live - s->base - count_tables(s);
}

/* Reservation mode: what was checked, per format (see rsv_prepare()). */
struct rsvstats {
	u64 ops;		/* requests run with a reservation attached */
	u64 counted, taken, returned, worst;	/* tables */
	u64 exact;		/* took exactly what was counted */
	u64 fewer;		/* took fewer: the request did less (hole, error) */
	u64 refused;		/* the count refused: the request had to fail */
};
static struct rsvstats rstats[NR_FORMATS], rstats_scratch;
/* false while shrinking or replaying: nothing is counted */
static bool counting = true;
#define RSTATS	(counting ? &rstats[cur_format] : &rstats_scratch)
/* Unmaps that split (either side allocated), per format */
static struct {
	u64 ops;
	u64 first_more;		/* the first call returned more than 6.12's */
	u64 first_less;		/* less (while the total is the same) */
} splits[NR_FORMATS];

/* --rsv: percent of the LPAE sequences run in reservation mode */
static unsigned int rsv_percent = 25;
static int cur_format;

/* ------------------------------------------------------------------ */
/* --reclaim: ours with IO_PGTABLE_QUIRK_ARM_RECLAIM                   */
/* ------------------------------------------------------------------ */

/*
 * The LPAE formats that take the quirk (stage 1 and 2, 64 and 32 bits):
 * ours gets it, 6.12 the same configuration without it, and the
 * operations cluster on a few tables, mapped and unmapped page by page
 * (gen_reclaim_op()). What the reclaim may change (RECLAIM) is checked
 * on its own: each walk flush of a reclaimed table (reclaim_flushes()),
 * the tables ours holds after each operation (reclaim_tables()), and at
 * the end of each sequence, that unmapping everything leaves ours with
 * its top table only (reclaim_drain()).
 */
static bool reclaim_mode;

static struct rclstats {
	u64 unmaps;		/* unmaps that reclaimed tables */
	u64 tables;		/* tables reclaimed: their walk flushes */
	u64 null_unmaps;	/* unmaps with a NULL gather that emptied tables */
	u64 maps;		/* block maps where 6.12 alone removed a table */
	u64 checked;		/* operations after which ours' tables were checked */
	u64 fewer;		/* ... and ours held fewer tables than 6.12 */
	u64 drained;		/* sequences unmapped whole, the top table left */
	u64 drain_tables;	/* tables that went in those */
} rcl[NR_FORMATS], rcl_scratch;
#define RCL	(counting ? &rcl[cur_format] : &rcl_scratch)

#define MAX_EMPTY	256
#define MAX_TABS	1024

struct tabrec {
	u64 pa, iova;
	int level;
};

/* Ours' tables, from the top one, through the CPU's view. */
struct tscan {
	const struct side *s;
	long n;			/* tables, the top one included */
	unsigned int nempty, ntabs;
	bool overflow;		/* more empty ones than fit */
	bool tabs_overflow;
	struct tabrec empty[MAX_EMPTY];	/* below the top one, holding nothing */
	struct tabrec tabs[MAX_TABS];	/* every one below the top one */
};

static int scan_table_cb(void *arg, int level, phys_addr_t pa, size_t size,
			 u64 iova)
{
	struct tscan *t = arg;
	const u64 *e = phys_to_virt(pa);

	t->n++;
	if (level == t->s->ref.start_level)
		return 0;
	if (t->ntabs == MAX_TABS) {
		t->tabs_overflow = true;
	} else {
		t->tabs[t->ntabs].pa = pa;
		t->tabs[t->ntabs].iova = iova;
		t->tabs[t->ntabs++].level = level;
	}
	for (size_t i = 0; i < size / sizeof(*e); i++)
		if (e[i])
			return 0;
	if (t->nempty == MAX_EMPTY) {
		t->overflow = true;
		return 0;
	}
	t->empty[t->nempty].pa = pa;
	t->empty[t->nempty].iova = iova;
	t->empty[t->nempty++].level = level;
	return 0;
}

/*
 * The tables below @pa (at @level, @entries entries from @base), as
 * arm_lpae_ref_for_each() finds them, without reading a leaf table's
 * entries one by one (scan_table_cb() looks at them at once).
 */
static void scan_below(const struct arm_lpae_ref *r, phys_addr_t pa, int level,
		       u64 entries, u64 base, struct tscan *t)
{
	unsigned int gs = r->granule_shift;
	unsigned int shift = arm_lpae_ref_level_shift(gs, level);
	const u64 *e = phys_to_virt(pa);

	if (level == 3)
		return;
	for (u64 i = 0; i < entries; i++) {
		u64 pte = READ_ONCE(e[i]);
		phys_addr_t next;

		if (!(pte & ARM_REF_VALID) || !(pte & ARM_REF_TYPE))
			continue;
		next = arm_lpae_ref_desc_addr(r, pte);
		scan_table_cb(t, level + 1, next, 1UL << gs, base + (i << shift));
		scan_below(r, next, level + 1,
			   1ULL << arm_lpae_ref_bits_per_level(gs),
			   base + (i << shift), t);
	}
}

static void scan_tables(const struct side *s, struct tscan *t)
{
	const struct arm_lpae_ref *r = &s->ref;
	u64 entries = arm_lpae_ref_pgd_entries(r);
	u64 base = r->ttbr1 ? ~0ULL << r->ias : 0;

	t->s = s;
	t->n = 0;
	t->nempty = 0;
	t->ntabs = 0;
	t->overflow = false;
	t->tabs_overflow = false;
	scan_table_cb(t, r->start_level, r->pgd, entries * sizeof(u64), base);
	scan_below(r, r->pgd, r->start_level, entries, base, t);
}

/* Whether the table at @pa (at @level) or one below it maps anything. */
static bool subtree_maps(const struct arm_lpae_ref *r, phys_addr_t pa,
			 int level)
{
	u64 n = 1ULL << arm_lpae_ref_bits_per_level(r->granule_shift);

	for (u64 i = 0; i < n; i++) {
		u64 pte = arm_lpae_ref_read(r, pa + i * sizeof(u64));

		if (!(pte & ARM_REF_VALID))
			continue;
		if (level < 3 && (pte & ARM_REF_TYPE)) {
			if (subtree_maps(r, arm_lpae_ref_desc_addr(r, pte),
					 level + 1))
				return true;
			continue;
		}
		return true;
	}
	return false;
}

/*
 * Whether @s's tables (the CPU's view) map anything in the span of the
 * level-@lvl entry for @iova; in *@depth, the level of the entry where
 * the walk to it stopped (deeper than @lvl: a table is there).
 */
static bool span_maps(const struct side *s, u64 iova, int lvl, int *depth)
{
	struct arm_lpae_ref r = s->ref;
	unsigned int gs = r.granule_shift;
	u64 mask = BIT_ULL(arm_lpae_ref_bits_per_level(gs)) - 1;
	phys_addr_t table = r.pgd;

	r.read = NULL;
	*depth = r.start_level;
	if (!arm_lpae_ref_iova_ok(&r, iova))
		return false;
	for (int level = r.start_level; level <= 3; level++) {
		unsigned int shift = arm_lpae_ref_level_shift(gs, level);
		u64 idx = (iova >> shift) &
			  (level == r.start_level ?
			   arm_lpae_ref_pgd_entries(&r) - 1 : mask);
		u64 pte = arm_lpae_ref_read(&r, table + idx * sizeof(u64));

		*depth = level;
		if (!(pte & ARM_REF_VALID))
			return false;
		if (level == 3 || !(pte & ARM_REF_TYPE))
			return true;	/* a leaf over (part of) the span */
		table = arm_lpae_ref_desc_addr(&r, pte);
		if (level == lvl) {
			*depth = level + 1;
			return subtree_maps(&r, table, level + 1);
		}
	}
	return false;
}

/* The level whose entries span @size (a table's span), or -1. */
static int span_level(const struct side *s, u64 size)
{
	for (int l = s->ref.start_level; l < 3; l++)
		if (size == 1ULL << arm_lpae_ref_level_shift(s->ref.granule_shift, l))
			return l;
	return -1;
}

#define ERR(r, ...) do {						\
		if (!(r)->err[0])					\
			snprintf((r)->err, sizeof((r)->err), __VA_ARGS__); \
	} while (0)

/*
 * Reservation mode, ours: count the request, reserve exactly that, attach
 * it, so that the request must take every table from it. Returns true
 * when attached.
 */
static bool rsv_prepare(struct side *s, const struct op *op, struct result *r,
			struct io_pgtable_reservation *rsv)
{
	size_t total = op->pgsize * op->pgcount, n = 0, w = 0;
	int ret, retw;

	if (op->kind == OP_MAP) {
		ret = io_pgtable_count_map(s->ops, op->iova, op->paddr, total,
					   op->pgsize, 0, &n);
		retw = io_pgtable_count_map(s->ops, op->iova, op->paddr, total,
					    op->pgsize, IO_PGTABLE_COUNT_WORST,
					    &w);
	} else {
		ret = io_pgtable_count_unmap(s->ops, op->iova, total, 0, &n);
		retw = io_pgtable_count_unmap(s->ops, op->iova, total,
					      IO_PGTABLE_COUNT_WORST, &w);
	}
	r->count_ret = ret;
	RSTATS->ops++;
	if (ret == -EOPNOTSUPP) {
		ERR(r, "io_pgtable_count_%s() returned -EOPNOTSUPP",
		    op->kind == OP_MAP ? "map" : "unmap");
		return false;
	}
	if (ret) {
		RSTATS->refused++;
		return false;
	}
	if (retw)
		ERR(r, "count with IO_PGTABLE_COUNT_WORST returned %d, without %d (%zu tables)",
		    retw, ret, n);
	else if (w < n)
		ERR(r, "count with IO_PGTABLE_COUNT_WORST %zu < exact count %zu", w, n);
	r->counted = true;
	r->rsv_count = n;
	r->rsv_worst = w;
	RSTATS->counted += n;
	RSTATS->worst += w;
	ret = io_pgtable_reserve(s->ops, rsv, n, GFP_KERNEL);
	if (ret || rsv->count != n) {
		ERR(r, "io_pgtable_reserve(%zu) returned %d, count %zu", n, ret,
		    rsv->count);
		return false;
	}
	io_pgtable_attach_reservation(s->ops, rsv);
	return true;
}

/* Detach; check what was taken against the count; free what is left. */
static void rsv_finish(struct side *s, const struct op *op, struct result *r,
		       struct io_pgtable_reservation *rsv, unsigned long attempts,
		       size_t live)
{
	size_t total = op->pgsize * op->pgcount, n = r->rsv_count;
	struct rsvstats *st = RSTATS;
	bool did_less;

	io_pgtable_attach_reservation(s->ops, NULL);
	if (shim_alloc_attempts() != attempts)
		ERR(r, "%lu allocator call(s) while the reservation was attached",
		    shim_alloc_attempts() - attempts);
	else if (shim_live_allocs() != live)
		ERR(r, "memory freed or allocated while the reservation was attached (%zd live)",
		    (ssize_t)(shim_live_allocs() - live));
	r->rsv_taken = rsv->taken;
	r->rsv_returned = rsv->returned;
	st->taken += rsv->taken;
	st->returned += rsv->returned;
	if (rsv->count != n - rsv->taken + rsv->returned)
		ERR(r, "reservation holds %zu: %zu reserved - %zu taken + %zu returned is %zu",
		    rsv->count, n, rsv->taken, rsv->returned,
		    n - rsv->taken + rsv->returned);
	if (op->kind == OP_MAP && r->ret == -ENOMEM)
		ERR(r, "map -ENOMEM with the %zu table(s) the count asked for", n);
	did_less = op->kind == OP_MAP ? r->ret || r->bytes < total :
					r->bytes < total;
	if (rsv->taken > n)
		ERR(r, "counted %zu table(s), took %zu", n, rsv->taken);
	else if (rsv->taken == n)
		st->exact++;
	else if (did_less)
		st->fewer++;
	else
		ERR(r, "counted %zu table(s), took %zu: single-threaded, nothing queued, the count must be exact",
		    n, rsv->taken);
	live = shim_live_allocs();
	n = rsv->count;
	io_pgtable_unreserve(s->ops, rsv, 0);
	if (rsv->count || live - shim_live_allocs() != n)
		ERR(r, "io_pgtable_unreserve() freed %zd of %zu table(s), %zu left",
		    (ssize_t)(live - shim_live_allocs()), n, rsv->count);
}

/* The count refused the request: it must fail too. */
static void rsv_refused(const struct op *op, struct result *r)
{
	int c = r->count_ret;

	if (op->kind == OP_UNMAP) {
		if (r->bytes)
			ERR(r, "count_unmap returned %d, unmap unmapped %#zx", c,
			    r->bytes);
		return;
	}
	/*
	 * Which error, when several apply, is not part of the API (the count
	 * does not see prot, for one): the map must fail and map nothing.
	 */
	if (!r->ret || r->bytes ||
	    (c != -EEXIST && c != -EINVAL && c != -ERANGE))
		ERR(r, "count_map returned %d, map %d (%#zx mapped)", c, r->ret,
		    r->bytes);
}

/* As the IOMMU core drives them: call again until done or refused. */
static void exec_op(struct side *s, const struct op *op, struct result *r)
{
	struct io_pgtable_ops *ops = s->ops;
	unsigned long warns = shim_warn_count();
	unsigned long fails = shim_fail_count();
	size_t total = op->pgsize * op->pgcount, done = 0;
	unsigned int calls = 0;
	struct io_pgtable_reservation rsv = {};
	size_t live0 = shim_live_allocs(), live1;
	unsigned long att1;
	bool attached = false;

	memset(r, 0, sizeof(*r));
	memset(&s->tlb, 0, sizeof(s->tlb));
	s->page_bytes = 0;
	s->nfl = 0;
	if (s->which == OURS && op->rsv && op->kind != OP_IOVA_TO_PHYS)
		attached = rsv_prepare(s, op, r, &rsv);
	att1 = shim_alloc_attempts();
	live1 = shim_live_allocs();

	switch (op->kind) {
	case OP_MAP:
		do {
			size_t mapped = 0;

			r->ret = ops->map_pages(ops, op->iova + done,
						op->paddr + done, op->pgsize,
						(total - done) / op->pgsize,
						op->prot, GFP_KERNEL, &mapped);
			done += mapped;
			if (!mapped)
				break;
		} while (!r->ret && done < total && ++calls < 100000);
		r->bytes = done;
		break;
	case OP_UNMAP: {
		struct iommu_iotlb_gather g, *gp = NULL;

		if (op->gather != G_NULL) {
			iommu_iotlb_gather_init(&g);
			g.queued = op->gather == G_QUEUED;
			gp = &g;
		}
		do {
			size_t u = ops->unmap_pages(ops, op->iova + done,
						    op->pgsize,
						    (total - done) / op->pgsize,
						    gp);
			if (!calls)
				r->first = u;
			if (!u)
				break;
			done += u;
		} while (done < total && ++calls < 100000);
		r->bytes = done;
		/* DMA-FQ: after its full invalidation, the tables go */
		if (gp && gp->queued) {
			struct page *pg;

			list_for_each_entry(pg, &g.freelist, lru)
				r->deferred++;
			iommu_put_pages_list(&g.freelist);
		}
		break;
	}
	default:
		r->phys = ops->iova_to_phys(ops, op->iova);
	}
	r->tables_new = shim_alloc_attempts() - att1;
	if (attached) {
		rsv_finish(s, op, r, &rsv, att1, live1);
		r->tables_new += r->rsv_taken;
	} else if (s->which == OURS && op->rsv && op->kind != OP_IOVA_TO_PHYS &&
		   r->count_ret) {
		rsv_refused(op, r);
	}
	s->live += (long)shim_live_allocs() - (long)live0;
	r->tlb = s->tlb;
	r->page_bytes = s->page_bytes;
	r->warned = shim_warn_count() != warns;
	r->shim_failures = shim_fail_count() - fails;
}

/* ------------------------------------------------------------------ */
/* a pair of tables                                                    */
/* ------------------------------------------------------------------ */

struct pair {
	struct cfgspec spec;
	struct side s[NR_SIDES];
	/* --reclaim: ours' tables (and the empty ones) after the last op */
	unsigned int nempty, ntabs;
	bool empty_overflow, tabs_overflow;
	u64 empty[MAX_EMPTY];
	struct tabrec tabs[MAX_TABS];
};

static long count_tables(const struct side *s);

static bool pair_alloc(struct pair *p, const struct cfgspec *c)
{
	p->spec = *c;
	for (int i = 0; i < NR_SIDES; i++) {
		struct side *s = &p->s[i];
		size_t live = shim_live_allocs();

		s->which = i;
		s->fmt = c->fmt;
		s->op = NULL;
		init_cfg(&s->cfg, c);
		if (i == UP)
			s->cfg.quirks &= ~UP_STRIP;
		else if (reclaim_mode)
			s->cfg.quirks |= Q(ARM_RECLAIM);
		s->ops = i == OURS ? alloc_io_pgtable_ops(c->fmt, &s->cfg, s) :
				     upstream_alloc(c->fmt, &s->cfg, s);
		s->live = (long)shim_live_allocs() - (long)live;
	}
	p->nempty = 0;
	p->empty_overflow = false;
	p->ntabs = 0;
	p->tabs_overflow = false;
	if (!p->s[OURS].ops || !p->s[UP].ops)
		return false;
	for (int i = 0; i < NR_SIDES; i++) {
		setup_walker(&p->s[i], c->fmt);
		p->s[i].base = p->s[i].live - count_tables(&p->s[i]);
	}
	return true;
}

static void pair_free(struct pair *p)
{
	if (p->s[OURS].ops)
		free_io_pgtable_ops(p->s[OURS].ops);
	if (p->s[UP].ops)
		upstream_free(p->s[UP].ops);
	p->s[OURS].ops = NULL;
	p->s[UP].ops = NULL;
}

static void fmt_spec(char *buf, size_t len, const struct cfgspec *c)
{
	static const struct { unsigned long q; const char *n; } qn[] = {
		{ Q(ARM_NS), "NS" }, { Q(NO_PERMS), "NO_PERMS" },
		{ Q(ARM_MTK_EXT), "MTK_EXT" },
		{ Q(ARM_MTK_TTBR_EXT), "MTK_TTBR_EXT" },
		{ Q(ARM_TTBR1), "TTBR1" }, { Q(ARM_OUTER_WBWA), "OUTER_WBWA" },
		{ Q(ARM_HD), "HD" }, { Q(ARM_S2FWB), "S2FWB" },
		{ Q(NO_WARN), "NO_WARN" }, { Q(NO_SPLIT), "NO_SPLIT" },
		{ Q(ARM_BBML2), "BBML2" },
	};
	char q[128] = "";
	size_t o = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(qn); i++)
		if (c->quirks & qn[i].q)
			o += snprintf(q + o, sizeof(q) - o, "%s%s", o ? "|" : "",
				      qn[i].n);
	snprintf(buf, len, "%s bitmap %#lx ias %u oas %u quirks %s %s%s",
		 fmt_name(c->fmt), c->bitmap, c->ias, c->oas, o ? q : "0",
		 c->coherent ? "coherent" : "non-coherent",
		 reclaim_mode ? " (ours +ARM_RECLAIM)" : "");
}

/* ------------------------------------------------------------------ */
/* statistics                                                          */
/* ------------------------------------------------------------------ */

struct fstats {
	u64 ops, seqs, cfgs, cfgs_failed, fuzz_cfgs;
	u64 dev[NR_DEVS];
	u64 failures, pending;
	u64 tables_refused_both;
};

static struct fstats stats[NR_FORMATS];

/* Failures by kind (what differs, for which operation), for the summary. */
#define MAX_KINDS	64
static struct {
	char key[160];
	u64 count;
} kinds[MAX_KINDS];
static unsigned int nkinds;

static void count_kind(const char *key)
{
	unsigned int i;

	for (i = 0; i < nkinds; i++)
		if (!strcmp(kinds[i].key, key))
			break;
	if (i == nkinds) {
		if (nkinds == MAX_KINDS)
			i = MAX_KINDS - 1;
		else
			nkinds++;
		snprintf(kinds[i].key, sizeof(kinds[i].key), "%s", key);
	}
	kinds[i].count++;
}
static bool dev_shown[NR_DEVS];
static unsigned int max_failures_shown = 5;
static unsigned int failures_shown, cfg_failures_shown;
static bool verbose, trace, pending_ok;
static const char *match;

/* ------------------------------------------------------------------ */
/* configuration sweep: refusals and register values                   */
/* ------------------------------------------------------------------ */

/*
 * Classify a difference in what alloc returned or wrote back. Returns a
 * deviation, or DEV_FAIL with @why filled in.
 */
static int classify_cfg(const struct cfgspec *c, const struct pair *p,
			char *why, size_t len);

/*
 * --pending: the configuration differences the lead is fixing: 6.12's
 * clamping of ias/oas (48 for 4K/16K, 52 for 64K, written back) and of
 * ias 49-52 with 64K, its list of oas values, its refusal of NO_PERMS on
 * LPAE, of OUTER_WBWA with a coherent walker and of every Mali quirk.
 */
static bool cfg_pending(const struct cfgspec *c, const struct pair *p)
{
	const struct side *a = &p->s[OURS], *b = &p->s[UP];
	unsigned int max = c->bitmap == B64K ? 52 : 48;
	static const unsigned int ps[] = { 32, 36, 40, 42, 44, 48, 52 };
	bool oas_ok = false;

	if (is_v7s(c->fmt))
		return false;
	for (unsigned int i = 0; i < ARRAY_SIZE(ps); i++)
		oas_ok |= min(c->oas, max) == ps[i];
	if (!a->ops && b->ops)		/* we refuse what 6.12 clamps */
		return c->ias > 48 || c->oas > 48;
	if (a->ops && !b->ops)		/* we accept what 6.12 refuses */
		return (c->quirks & Q(NO_PERMS)) ||
		       ((c->quirks & Q(ARM_OUTER_WBWA)) && c->coherent) ||
		       (c->fmt == ARM_MALI_LPAE && c->quirks) ||
		       (!oas_ok && c->fmt != ARM_MALI_LPAE);
	/* both accept: the clamped sizes not written back */
	return a->cfg.ias != b->cfg.ias || a->cfg.oas != b->cfg.oas;
}

static void cfg_sweep_one(const struct cfgspec *c, bool *fuzzable)
{
	struct fstats *st = &stats[cur_format];
	struct pair p;
	char why[512], spec[160];
	bool pending;
	int d;

	memset(&p, 0, sizeof(p));
	*fuzzable = pair_alloc(&p, c);
	/*
	 * A walk with one level only (ias at most one table's index bits
	 * above the granule): 6.12 takes a block-typed entry of that level
	 * for a table and frees through it on unmap, and its map runs past
	 * its table. The configurations are compared, their operations not.
	 */
	if (*fuzzable && !is_v7s(c->fmt) && c->fmt != ARM_MALI_LPAE) {
		unsigned int g = __ffs(p.s[UP].cfg.pgsize_bitmap);

		if (p.s[UP].cfg.ias <= 2 * g - 3)
			*fuzzable = false;
	}
	st->cfgs++;
	if (!p.s[OURS].ops && !p.s[UP].ops)
		st->tables_refused_both++;
	why[0] = 0;
	d = classify_cfg(c, &p, why, sizeof(why));
	pending = d == DEV_FAIL && pending_ok && cfg_pending(c, &p);
	pair_free(&p);
	if (d < 0)
		return;
	if (pending) {
		st->pending++;
		return;
	}
	if (d == DEV_V7S_L1_16K)
		*fuzzable = false;
	if (d < NR_DEVS) {
		st->dev[d]++;
		if (!dev_shown[d] && verbose) {
			fmt_spec(spec, sizeof(spec), c);
			printf("# deviation %s first seen: alloc %s: %s\n",
			       deviations[d].id, spec, why);
		}
		dev_shown[d] = true;
		return;
	}
	st->failures++;
	st->cfgs_failed++;
	*fuzzable = false;
	{
		char key[160];

		char *k = key + snprintf(key, sizeof(key), "alloc: ");

		/* the kind of difference, without the numbers */
		for (const char *w = why; *w && k < key + sizeof(key) - 2; w++) {
			if (isdigit((unsigned char)*w) &&
			    (w == why || !isalpha((unsigned char)w[-1]))) {
				while (isalnum((unsigned char)w[1]))
					w++;
				*k++ = 'N';
			} else {
				*k++ = *w;
			}
		}
		*k = 0;
		count_kind(key);
	}
	if (cfg_failures_shown++ < max_failures_shown) {
		fmt_spec(spec, sizeof(spec), c);
		printf("FAIL: alloc %s: %s\n", spec, why);
	}
}

/* ------------------------------------------------------------------ */
/* operation generation                                                */
/* ------------------------------------------------------------------ */

struct gen {
	const struct pair *p;
	unsigned long bitmap;	/* after the format restricted it */
	unsigned int ias, oas;
	u64 top;		/* 1 << ias */
	u64 hi;			/* TTBR1: the bits above ias */
	u64 anchors[6];
	u64 max_block;
	unsigned int ptes;	/* entries per table */
	unsigned int rsv;	/* percent of map/unmap run with a reservation */
	/* --reclaim: a few regions of four leaf tables each */
	bool reclaim;
	u64 gran, span3;	/* the granule, a leaf table's span */
	u64 rbase[3];
};

static void gen_init(struct gen *g, const struct pair *p)
{
	const struct io_pgtable_cfg *cu = &p->s[UP].cfg;
	const struct io_pgtable_cfg *co = &p->s[OURS].cfg;

	g->p = p;
	g->bitmap = cu->pgsize_bitmap & co->pgsize_bitmap;
	if (!g->bitmap)
		g->bitmap = cu->pgsize_bitmap;
	g->ias = min(cu->ias, co->ias);
	g->oas = min(cu->oas, co->oas);
	g->top = g->ias >= 64 ? 0 : 1ULL << g->ias;
	g->hi = p->spec.quirks & Q(ARM_TTBR1) ? ~0ULL << g->ias : 0;
	g->max_block = 1ULL << __fls(g->bitmap);
	/* LPAE: one sequence in 4 counts and reserves for most requests */
	g->rsv = !is_v7s(p->spec.fmt) && chance(rsv_percent) ? 80 : 0;
	if (is_v7s(p->spec.fmt))
		g->ptes = 256;
	else
		g->ptes = (g->bitmap & -g->bitmap) / 8;
	for (unsigned int i = 0; i < ARRAY_SIZE(g->anchors); i++) {
		u64 a;

		switch (i) {
		case 0:
			a = 0;
			break;
		case 1:	/* the top of the input range */
			a = g->top - 4 * g->max_block;
			break;
		default:
			a = rnd_below(g->top);
		}
		g->anchors[i] = (a & (g->top - 1)) & ~(g->max_block - 1);
	}
	g->reclaim = reclaim_mode;
	if (g->reclaim) {
		/* the span of a level-2 table, four leaf tables in it */
		u64 span2;

		g->gran = g->bitmap & -g->bitmap;
		g->span3 = g->gran * g->ptes;
		span2 = g->span3 >= g->top / g->ptes ? g->top : g->span3 * g->ptes;
		g->rbase[0] = 0;
		g->rbase[1] = (g->top - span2) & (g->top - 1);
		g->rbase[2] = rnd_below(g->top) & ~(span2 - 1);
	}
}

static size_t pick_pgsize(const struct gen *g)
{
	unsigned long b = g->bitmap;
	unsigned int n = hweight_long(b), k = rnd_below(n);

	while (k--)
		b &= b - 1;
	return b & -b;
}

static size_t pick_count(const struct gen *g, size_t pgsize)
{
	unsigned int r = rnd_below(100);

	if (r < 60)
		return 1 + rnd_below(4);
	if (r < 85)
		return 1 + rnd_below(32);
	if (r < 97)	/* across a table boundary */
		return 1 + rnd_below(g->ptes + 2);
	return 1 + rnd_below(2 * g->ptes + 2);
}

static u64 pick_iova(const struct gen *g, size_t pgsize)
{
	u64 a = g->anchors[rnd_below(ARRAY_SIZE(g->anchors))];
	u64 span = 1ULL << (rnd_below(12));
	u64 off;

	/* near an anchor, within a few tables of pages: collisions happen */
	off = rnd_below(span) * pgsize;
	if (chance(30))
		off += rnd_below(8) * g->max_block;
	if (chance(10))	/* just below the anchor */
		off = -(rnd_below(g->ptes + 1) * pgsize);
	return ((a + off) & (g->top - 1) & ~((u64)pgsize - 1)) | g->hi;
}

static u64 pick_paddr(const struct gen *g, size_t pgsize)
{
	u64 omask = (g->oas >= 64 ? ~0ULL : (1ULL << g->oas) - 1);
	u64 pa = rnd() & omask & ~((u64)pgsize - 1);

	if (chance(5))	/* the top of the output range */
		pa = (omask + 1 - pgsize * (1 + rnd_below(4))) & omask;
	return pa;
}

static int pick_prot(void)
{
	int prot = 0;

	if (chance(2))
		return chance(50) ? 0 : IOMMU_NOEXEC | IOMMU_CACHE;
	if (chance(85))
		prot |= IOMMU_READ;
	if (chance(70) || !prot)
		prot |= IOMMU_WRITE;
	if (chance(50))
		prot |= IOMMU_CACHE;
	if (chance(20))
		prot |= IOMMU_NOEXEC;
	if (chance(10))
		prot |= IOMMU_MMIO;
	if (chance(15))
		prot |= IOMMU_PRIV;
	return prot;
}

/* Bad arguments now and then: what the core should never pass, and what it may. */
static void mangle(const struct gen *g, struct op *op)
{
	switch (rnd_below(8)) {
	case 0:	/* unaligned IOVA */
#ifdef __SANITIZE_ADDRESS__
		/* 6.12's v7s then reads past its level-2 table (UNALIGNED) */
		if (is_v7s(g->p->spec.fmt))
			break;
#endif
		op->iova += (1 + rnd_below(op->pgsize / SZ_4K)) * SZ_4K / 2;
		break;
	case 1:	/* unaligned physical address */
		op->paddr += op->pgsize / 2;
		break;
	case 2:	/* beyond the input range */
		op->iova = (g->top + rnd_below(4) * op->pgsize) | g->hi;
		if (g->hi)
			op->iova = g->top - op->pgsize;
		break;
	case 3:	/* crossing the end of the input range */
		op->iova = ((g->top - op->pgsize * (1 + rnd_below(2))) &
			    (g->top - 1)) | g->hi;
		op->pgcount = 3 + rnd_below(3);
		break;
	case 4:	/* beyond the output range */
		op->paddr = (1ULL << g->oas) + op->pgsize * rnd_below(4);
		break;
	case 5:
		op->pgcount = 0;
		break;
	case 6:	/* a size the format does not have */
		/*
		 * not for v7s: 6.12 does not check, and a 512K unmap
		 * overruns __arm_v7s_unmap()'s pte[16] on the stack
		 */
		if (is_v7s(g->p->spec.fmt))
			break;
		op->pgsize = op->pgsize == SZ_4K ? SZ_8K : op->pgsize / 2;
		break;
	default: /* TTBR1: an IOVA of the other half */
		op->iova &= g->top - 1;
		if (!g->hi)
			op->iova |= 1ULL << 63;
	}
}

/*
 * --reclaim: most operations page by page on four neighbouring leaf
 * tables of a region, so that tables fill and empty page by page (and
 * the level-2 table above them too), now and then the whole range of
 * tables partly emptied, blocks over the spans of reclaimed tables, and
 * a NULL gather (no reclaim) or a queued one. False: an ordinary op.
 */
static bool gen_reclaim_op(const struct gen *g, struct op *op)
{
	u64 region = g->rbase[rnd_below(ARRAY_SIZE(g->rbase))];
	u64 table = region + rnd_below(4) * g->span3;
	u64 k = chance(90) ? rnd_below(8) : rnd_below(g->ptes);
	unsigned int r = rnd_below(100);
	int dep;

	op->pgsize = g->gran;
	op->iova = table + k * g->gran;
	op->pgcount = 1 + rnd_below(chance(80) ? 4 : 16);
	op->gather = chance(70) ? G_REAL : chance(50) ? G_QUEUED : G_NULL;
	if (r < 34) {
		op->kind = OP_MAP;
	} else if (r < 72) {
		/* from the next page 6.12 maps: unmap stops at a hole */
		op->kind = OP_UNMAP;
		for (unsigned int i = 0; i < 16; i++) {
			struct nleaf l;
			u64 iova = ((op->iova + i * g->gran) & (g->top - 1)) |
				   g->hi;

			walk(&g->p->s[UP], g->p->spec.fmt, iova, &l);
			if (l.valid) {
				op->iova += i * g->gran;
				break;
			}
		}
	} else if (r < 78) {	/* a whole leaf table, in pages */
		op->kind = OP_MAP;
		op->iova = table;
		op->pgcount = g->ptes;
	} else if (r < 85) {	/* a range of tables, partly emptied */
		op->kind = OP_UNMAP;
		op->iova = chance(50) ? table : region;
		op->pgcount = g->ptes * (1 + rnd_below(4));
		if (chance(30))
			op->pgcount -= rnd_below(g->ptes);
	} else if (r < 92 && (g->bitmap & g->span3)) {
		/*
		 * a block where 6.12 maps nothing (its table, if it kept one,
		 * is empty; ours reclaimed it): the state decides, the ops
		 * stay replayable
		 */
		int lvl = span_level(&g->p->s[UP], g->span3);
		unsigned int i;

		op->kind = chance(85) ? OP_MAP : OP_UNMAP;
		op->pgsize = g->span3;
		op->pgcount = 1;
		for (i = 0; i < 4 && lvl >= 0; i++) {
			op->iova = ((table + i * g->span3) & (g->top - 1)) | g->hi;
			if (!span_maps(&g->p->s[UP], op->iova, lvl, &dep))
				break;
		}
		if (i == 4 || lvl < 0)
			return false;
	} else if (r < 96) {
		op->kind = OP_IOVA_TO_PHYS;
		op->iova += rnd_below(op->pgsize) & ~7ULL;
	} else {
		return false;
	}
	op->iova = (op->iova & (g->top - 1)) | g->hi;
	/* past the end of ias: RANGE_END, which would end the sequence */
	if ((op->iova & (g->top - 1)) + (u64)op->pgsize * op->pgcount > g->top)
		op->pgcount = max_t(u64, (g->top - (op->iova & (g->top - 1))) /
				    op->pgsize, 1);
	if (op->kind == OP_MAP) {
		op->paddr = pick_paddr(g, op->pgsize);
		op->prot = pick_prot();
		/* stage-2 XN (S2_XN) would end the sequence: the ordinary ops have it */
		if (is_s2(g->p->spec.fmt))
			op->prot &= ~IOMMU_NOEXEC;
	}
	return true;
}

static void gen_op(const struct gen *g, struct op *op)
{
	unsigned int r = rnd_below(100);

	memset(op, 0, sizeof(*op));
	if (g->reclaim && r < 90 && gen_reclaim_op(g, op)) {
		if (op->kind == OP_IOVA_TO_PHYS)
			return;
		op->rsv = chance(g->rsv);
		goto clamp;
	}
	memset(op, 0, sizeof(*op));
	op->pgsize = pick_pgsize(g);
	op->pgcount = pick_count(g, op->pgsize);
	op->iova = pick_iova(g, op->pgsize);
	if (r < 45) {
		op->kind = OP_MAP;
		op->paddr = pick_paddr(g, op->pgsize);
		op->prot = pick_prot();
	} else if (r < 80) {
		unsigned long smaller = g->bitmap & (op->pgsize - 1);

		op->kind = OP_UNMAP;
		op->gather = rnd_below(3);
		/*
		 * A smaller size than what may be mapped there: part of a
		 * block (split), from inside it, across its end, or all of
		 * it in smaller pages.
		 */
		if (smaller && chance(25)) {
			size_t big = op->pgsize, n;
			unsigned int k = rnd_below(hweight_long(smaller));

			while (k--)
				smaller &= smaller - 1;
			op->pgsize = smaller & -smaller;
			n = big / op->pgsize;
			switch (rnd_below(8)) {
			case 0:	/* its first pages */
				op->pgcount = 1 + rnd_below(4);
				break;
			case 1:	/* across its end */
				op->iova += (n - 1 - rnd_below(min_t(size_t, n, 4))) *
					    op->pgsize;
				op->pgcount = 2 + rnd_below(6);
				break;
			case 2:	/* all of it, in pages of the smaller size */
				if (n <= 4096) {
					op->pgcount = n;
					break;
				}
				fallthrough;
			default: /* inside */
				op->iova += rnd_below(n) * op->pgsize;
				op->pgcount = 1 + rnd_below(chance(80) ? 4 : 64);
			}
		} else if (chance(5)) {
			op->pgsize = g->bitmap & -g->bitmap;
		}
	} else {
		op->kind = OP_IOVA_TO_PHYS;
		op->iova += rnd_below(op->pgsize) & ~7ULL;
		if (chance(3)) {	/* outside the tables' range */
			op->iova = (op->iova & (g->top - 1)) +
				   g->top * (1 + rnd_below(4));
			op->iova = g->hi ? op->iova & (g->top - 1) : op->iova;
		}
		return;
	}
	op->rsv = chance(g->rsv);
	if (chance(4))
		mangle(g, op);
clamp:
#ifdef __SANITIZE_ADDRESS__
	/*
	 * 6.12 reads and writes past the end of a PGD smaller than a table
	 * when a range runs past the end of ias (RANGE_END): ASan stops
	 * there. Under ASan, keep every range inside.
	 */
	if ((op->iova & ~(g->top - 1)) == g->hi && op->pgcount &&
	    (op->iova & (g->top - 1)) + (u64)op->pgsize * op->pgcount > g->top)
		op->pgcount = max_t(u64, (g->top - (op->iova & (g->top - 1))) /
				    op->pgsize, 1);
#endif
	return;
}

/* ------------------------------------------------------------------ */
/* comparing one operation                                             */
/* ------------------------------------------------------------------ */

#define MAX_SAMPLES	24

struct sample {
	u64 iova;
	struct nleaf l[NR_SIDES];
	unsigned int diff;
};

struct outcome {
	struct result r[NR_SIDES];
	struct nleaf pre;	/* the leaf at op->iova before the op (6.12's) */
	u64 pre_tables_live;	/* leaves under the first target entry */
	struct sample smp[MAX_SAMPLES];
	unsigned int nsmp;
	unsigned int ldiff;	/* union of the samples' diffs */
	unsigned int rdiff;	/* which results differ */
	int dev;		/* -1: equal, else a deviation or DEV_FAIL */
	bool state_differs;
	char why[512];
	char full[512];		/* a difference the whole-table check found */
	/*
	 * --reclaim: ours holds more tables than 6.12, a failure unless a
	 * deviation that ends the sequence explains the op
	 */
	char soft[160];
};

enum {
	R_RET	= BIT(0),
	R_BYTES	= BIT(1),
	R_PHYS	= BIT(2),
	R_TLB	= BIT(3),
	R_WARN	= BIT(4),
	R_SHIM	= BIT(5),
	R_ALLOC	= BIT(6),	/* unmap: tables allocated (splits) */
	R_CHECK	= BIT(7),	/* ours failed a check of its own */
};

static void add_sample(struct outcome *o, u64 iova)
{
	for (unsigned int i = 0; i < o->nsmp; i++)
		if (o->smp[i].iova == iova)
			return;
	if (o->nsmp < MAX_SAMPLES)
		o->smp[o->nsmp++].iova = iova;
}

static void pick_samples(const struct gen *g, const struct op *op,
			 struct outcome *o)
{
	u64 size = op->pgsize * (op->pgcount ? op->pgcount : 1);
	u64 base = op->iova & ~((u64)op->pgsize - 1);

	o->nsmp = 0;
	if (op->pgcount <= 8) {
		for (size_t i = 0; i < max_t(size_t, op->pgcount, 1); i++) {
			add_sample(o, base + i * op->pgsize);
			add_sample(o, base + i * op->pgsize + op->pgsize / 2);
		}
	} else {
		add_sample(o, base);
		add_sample(o, base + size - 1);
		for (int i = 0; i < 6; i++)
			add_sample(o, base + rnd_below(size));
	}
	add_sample(o, base - 1);
	add_sample(o, base + size);
	/* the block or table around it */
	add_sample(o, base & ~(g->max_block - 1));
	add_sample(o, (base & ~(g->max_block - 1)) + rnd_below(g->max_block));
}

static int classify_op(const struct gen *g, const struct op *op,
		       struct outcome *o);
static void describe(const struct outcome *o, char *buf, size_t len);
static size_t compare_tables_view(struct pair *p, char *why, size_t len,
				  bool cpu_view);
#define compare_tables(p, why, len) compare_tables_view(p, why, len, true)

/*
 * Deviations that leave both tables alike (callbacks, WARNs, bits the
 * walker ignores): a sequence goes on after them. After any other the
 * tables differ, and the sequence ends.
 */
static bool dev_keeps_state(int dev)
{
	switch (dev) {
	case DEV_ARG_NO_WARN:
	case DEV_UNMAP_HOLE_NO_WARN:
	case DEV_DEVICE_SH:
	case DEV_TABLE_UNMAP_NO_ADD_PAGE:
	case DEV_V7S_ONE_ADD_PAGE_PER_LEAF:
	case DEV_V7S_NULL_GATHER:
	case DEV_ARG_ERRNO:
	case DEV_S2_XN:
	case DEV_IOVA_TO_PHYS_RANGE:
	case DEV_SPLIT_BBM:
	case DEV_SPLIT_GATHER:
	case DEV_RECLAIM:
		return true;
	/*
	 * --reclaim: ours holds fewer tables than 6.12 anyway; the
	 * differences that follows from that are RECLAIM's
	 */
	case DEV_WHOLE_TABLE_REMOVED:
	case DEV_QUEUED_TABLE_FREE:
		return reclaim_mode;
	}
	return false;
}

/*
 * --reclaim, after an unmap: ours' walk flushes of reclaimed tables. One
 * has granule == size == a table's span (the span of an entry of a level
 * above the last), is aligned to it, and leaves no table there in ours;
 * nothing in the span may be mapped in 6.12's tables after the same
 * unmap (bbm_check() saw at the flush that nothing translated in ours).
 * They are counted apart (reclaim_walks) and taken out of tlb.walk, so
 * that the rest is compared as without the quirk. A split's walk flush
 * has the same shape, but leaves a table in ours and the rest of the
 * block mapped.
 */
static void reclaim_flushes(struct pair *p, const struct op *op,
			    struct outcome *o)
{
	struct side *so = &p->s[OURS], *su = &p->s[UP];
	struct result *a = &o->r[OURS];

	if (so->nfl < a->tlb.walk)
		ERR(a, "%lu walk flushes, more than the fuzzer records",
		    a->tlb.walk);
	for (unsigned int i = 0; i < so->nfl; i++) {
		u64 iova = so->fl[i].iova, size = so->fl[i].size;
		int lvl = span_level(so, size), dep_up, dep;
		bool up_maps;

		if (so->fl[i].granule != size || lvl < 0 || (iova & (size - 1)))
			continue;
		up_maps = span_maps(su, iova, lvl, &dep_up);
		if (span_maps(so, iova, lvl, &dep) || dep > lvl)
			continue;	/* a split's: a table is there */
		if (up_maps) {
			ERR(a, "tlb_flush_walk(%#llx, %#llx, %#llx) of a table span ours holds nothing in, 6.12 still maps in it",
			    (unsigned long long)iova, (unsigned long long)size,
			    (unsigned long long)so->fl[i].granule);
			continue;
		}
		a->reclaim_walks++;
	}
	if (!a->reclaim_walks)
		return;
	if (op->gather == G_NULL)
		ERR(a, "%u table(s) reclaimed in an unmap with a NULL gather",
		    a->reclaim_walks);
	a->tlb.walk -= a->reclaim_walks;
	if (counting) {
		RCL->unmaps++;
		RCL->tables += a->reclaim_walks;
	}
}

/*
 * --reclaim, after a map or an unmap: an unmap with a gather, or a map,
 * leaves no empty table below the top one in ours but those that were
 * there before (an unmap with a NULL gather leaves the tables it empties,
 * and nothing reclaims a table nothing empties); ours never holds more
 * tables than 6.12.
 */
static bool past_ias_end(const struct gen *g, const struct op *op);

static void reclaim_tables(struct pair *p, const struct gen *g,
			   const struct op *op, struct outcome *o)
{
	static struct tscan t, tu;
	struct result *a = &o->r[OURS];
	bool strict = op->kind == OP_MAP || op->gather != G_NULL;
	/*
	 * past the end of ias 6.12 writes outside its tables, into ours'
	 * too (RANGE_END, which ends the sequence): nothing to check
	 */
	bool check = !past_ias_end(g, op);
	long nu;

	scan_tables(&p->s[OURS], &t);
	if (check && strict && !t.overflow && !p->empty_overflow) {
		for (unsigned int i = 0; i < t.nempty; i++) {
			unsigned int k;

			for (k = 0; k < p->nempty; k++)
				if (p->empty[k] == t.empty[i].pa)
					break;
			if (k < p->nempty)
				continue;
			ERR(a, "an empty level-%d table for %#llx is left after the %s (%u empty, %u before)",
			    t.empty[i].level,
			    (unsigned long long)t.empty[i].iova,
			    op->kind == OP_MAP ? "map" : "unmap", t.nempty,
			    p->nempty);
			break;
		}
	}
	/*
	 * a table that went (reclaimed, or removed otherwise) had a walk
	 * flush over its span in the same operation, unless a queued gather
	 * took it (QUEUED_TABLE_FREE)
	 */
	if (check && !t.tabs_overflow && !p->tabs_overflow &&
	    !(op->kind == OP_UNMAP && a->deferred)) {
		const struct side *so = &p->s[OURS];

		for (unsigned int i = 0, j = 0; i < p->ntabs; i++) {
			const struct tabrec *tr = &p->tabs[i];
			unsigned int f;

			/* both lists in IOVA order, depth first */
			while (j < t.ntabs && (t.tabs[j].iova < tr->iova ||
					       (t.tabs[j].iova == tr->iova &&
						t.tabs[j].level < tr->level)))
				j++;
			if (j < t.ntabs && t.tabs[j].iova == tr->iova &&
			    t.tabs[j].level == tr->level &&
			    t.tabs[j].pa == tr->pa)
				continue;
			for (f = 0; f < so->nfl; f++)
				if (tr->iova - so->fl[f].iova < so->fl[f].size)
					break;
			if (f < so->nfl)
				continue;
			ERR(a, "the level-%d table for %#llx went without a tlb_flush_walk() over it",
			    tr->level, (unsigned long long)tr->iova);
			break;
		}
	}
	p->ntabs = t.ntabs;
	p->tabs_overflow = t.tabs_overflow;
	memcpy(p->tabs, t.tabs, t.ntabs * sizeof(*t.tabs));
	if (counting && !strict && t.nempty > p->nempty)
		RCL->null_unmaps++;
	p->nempty = t.nempty;
	p->empty_overflow = t.overflow;
	for (unsigned int i = 0; i < t.nempty; i++)
		p->empty[i] = t.empty[i].pa;
	scan_tables(&p->s[UP], &tu);
	nu = tu.n;
	if (t.n > nu)
		snprintf(o->soft, sizeof(o->soft),
			 "ours holds %ld tables, 6.12 %ld", t.n, nu);
	if (counting) {
		RCL->checked++;
		RCL->fewer += t.n < nu;
	}
}

/*
 * --reclaim, a map: 6.12 removed, with a walk flush each, the empty
 * tables it kept where the map put blocks; ours has the block at each,
 * and flushed the same spans where it kept an empty table too (one an
 * unmap with a NULL gather left).
 */
static bool reclaim_map_ok(const struct pair *p)
{
	const struct side *su = &p->s[UP], *so = &p->s[OURS];

	if (su->nfl < su->tlb.walk || so->nfl < so->tlb.walk)
		return false;
	for (unsigned int i = 0; i < so->nfl; i++) {
		unsigned int k;

		for (k = 0; k < su->nfl; k++)
			if (su->fl[k].iova == so->fl[i].iova &&
			    su->fl[k].size == so->fl[i].size)
				break;
		if (k == su->nfl)
			return false;
	}
	for (unsigned int i = 0; i < su->nfl; i++) {
		struct nleaf l;

		walk(&p->s[OURS], p->spec.fmt, su->fl[i].iova, &l);
		if (!l.valid || l.size != su->fl[i].size ||
		    (su->fl[i].iova & (su->fl[i].size - 1)))
			return false;
	}
	return true;
}

static bool valid_args(const struct gen *g, const struct op *op);

/*
 * --reclaim: the leaves of both at every page of @op's range (the CPU's
 * view), as compare_tables() compares them. Returns the pages that differ.
 */
static size_t compare_range(struct pair *p, const struct op *op, char *why,
			    size_t len)
{
	enum io_pgtable_fmt fmt = p->spec.fmt;
	struct side sa = p->s[OURS], sb = p->s[UP];
	size_t bad = 0;

	sa.ref.read = NULL;
	sb.ref.read = NULL;
	for (size_t i = 0; i < op->pgcount; i++) {
		u64 iova = op->iova + i * op->pgsize;
		struct nleaf x, y;
		unsigned int d;

		walk(&sa, fmt, iova, &x);
		walk(&sb, fmt, iova, &y);
		d = leaf_diff(fmt, &x, &y) & ~F_SH_DEV;
		/* stage-2 XN 0b10 against 6.12's 0b11 (S2_XN) */
		if (is_s2(fmt) && (d & F_XPRIV) && ((x.raw >> 53) & 3) == 2 &&
		    ((y.raw >> 53) & 3) == 3)
			d &= ~F_XPRIV;
		if (d && !bad++) {
			char f[128], la[256], lb[256];

			fmt_fields(f, sizeof(f), d);
			fmt_leaf(la, sizeof(la), &x);
			fmt_leaf(lb, sizeof(lb), &y);
			snprintf(why, len, "in the range, the leaves differ at %#llx (%s): ours %s; 6.12 %s",
				 (unsigned long long)iova, f, la, lb);
		}
	}
	return bad;
}

/* Run @op on both sides and compare. Returns the outcome's dev. */
static int run_op(struct pair *p, const struct gen *g, const struct op *op,
		  struct outcome *o)
{
	enum io_pgtable_fmt fmt = p->spec.fmt;
	const struct result *a, *b;

	o->why[0] = 0;
	o->dev = -1;
	o->ldiff = 0;
	o->rdiff = 0;
	o->state_differs = false;
	o->soft[0] = 0;
	walk(&p->s[UP], fmt, op->iova, &o->pre);
	if (op->kind != OP_IOVA_TO_PHYS)
		pick_samples(g, op, o);
	else
		o->nsmp = 0;

	if (op->kind == OP_UNMAP) {
		struct side *so = &p->s[OURS];
		bool bbml2 = so->cfg.quirks & Q(ARM_BBML2);

		so->npts = 0;
		for (unsigned int i = 0; i < o->nsmp && i < MAX_BBM_PTS; i++) {
			so->pts[so->npts] = o->smp[i].iova;
			so->pre[so->npts].valid = false;
			if (bbml2 || is_v7s(fmt)) {
				struct nleaf l;

				walk(so, fmt, o->smp[i].iova, &l);
				so->pre[so->npts].valid = l.valid;
				so->pre[so->npts].w = l.w;
				so->pre[so->npts].pa = l.oa;
			}
			so->npts++;
		}
		so->bbm_err[0] = 0;
		so->op = op;
	}
	exec_op(&p->s[OURS], op, &o->r[OURS]);
	p->s[OURS].op = NULL;
	exec_op(&p->s[UP], op, &o->r[UP]);
	a = &o->r[OURS];
	b = &o->r[UP];
	if (p->s[OURS].bbm_err[0] && op->kind == OP_UNMAP)
		ERR(&o->r[OURS], "%s", p->s[OURS].bbm_err);
	if (reclaim_mode && op->kind == OP_UNMAP)
		reclaim_flushes(p, op, o);
	if (reclaim_mode && op->kind != OP_IOVA_TO_PHYS)
		reclaim_tables(p, g, op, o);
	/*
	 * Table memory, after anything that allocated or freed: ours
	 * always, 6.12's only to find what the fuzzer itself got wrong.
	 */
	if (!is_v7s(fmt) && !a->err[0] && (a->tables_new || a->rsv_returned ||
			   (op->kind == OP_UNMAP && (b->tables_new ||
						     a->tlb.walk ||
						     a->reclaim_walks)))) {
		long d = tables_unaccounted(&p->s[OURS]);

		if (d)
			ERR(&o->r[OURS], "table memory: %ld table(s) %s (%ld live, %ld reachable)",
			    labs(d), d > 0 ? "allocated and not reachable" :
			    "reachable and not allocated",
			    p->s[OURS].live - p->s[OURS].base,
			    count_tables(&p->s[OURS]));
	}

	if (a->ret != b->ret)
		o->rdiff |= R_RET;
	if (a->bytes != b->bytes)
		o->rdiff |= R_BYTES;
	if (a->phys != b->phys)
		o->rdiff |= R_PHYS;
	if (memcmp(&a->tlb, &b->tlb, sizeof(a->tlb)))
		o->rdiff |= R_TLB;
	if (a->warned != b->warned)
		o->rdiff |= R_WARN;
	if (a->shim_failures || b->shim_failures)
		o->rdiff |= R_SHIM;
	if (op->kind == OP_UNMAP && a->tables_new != b->tables_new)
		o->rdiff |= R_ALLOC;
	if (a->err[0])
		o->rdiff |= R_CHECK;

	for (unsigned int i = 0; i < o->nsmp; i++) {
		struct sample *s = &o->smp[i];

		walk(&p->s[OURS], fmt, s->iova, &s->l[OURS]);
		walk(&p->s[UP], fmt, s->iova, &s->l[UP]);
		s->diff = leaf_diff(fmt, &s->l[OURS], &s->l[UP]);
		o->ldiff |= s->diff;
	}
	/*
	 * A walk flush in a map means a table went (6.12 replaces tables in
	 * the way of blocks): compare everything, the samples may miss it.
	 */
	o->full[0] = 0;
	if (op->kind == OP_MAP && (a->tlb.walk || b->tlb.walk) &&
	    compare_tables(p, o->full, sizeof(o->full)))
		o->ldiff |= F_VALID;
	/*
	 * A split (6.12 allocated in an unmap, or ours did): every leaf of
	 * both tables, and iova_to_phys() of ours against its walker at the
	 * samples.
	 */
	if (op->kind == OP_UNMAP && (a->tables_new || b->tables_new)) {
		/*
		 * Drivers that call unmap_pages() themselves (panthor) expect
		 * the whole request done in one call when it stays within a
		 * table at its level, as 6.12 does it
		 */
		if (a->first < b->first && a->bytes == b->bytes) {
			ERR(&o->r[OURS], "the first call unmapped %#zx, 6.12's %#zx",
			    a->first, b->first);
			o->rdiff |= R_CHECK;
		}
		if (counting) {
			splits[cur_format].ops++;
			splits[cur_format].first_more += a->first > b->first;
			splits[cur_format].first_less += a->first < b->first &&
							 a->bytes == b->bytes;
		}
		if (compare_tables(p, o->full, sizeof(o->full)))
			o->ldiff |= F_VALID;
		for (unsigned int i = 0; i < o->nsmp; i++) {
			const struct nleaf *l = &o->smp[i].l[OURS];
			u64 iova = o->smp[i].iova;
			phys_addr_t want = l->valid ? l->oa : 0;
			phys_addr_t got;

			got = p->s[OURS].ops->iova_to_phys(p->s[OURS].ops, iova);
			if (got != want) {
				ERR(&o->r[OURS], "after the split iova_to_phys(%#llx) = %#llx, the walker finds %#llx",
				    (unsigned long long)iova,
				    (unsigned long long)got,
				    (unsigned long long)want);
				o->rdiff |= R_CHECK;
				break;
			}
		}
	}
	/*
	 * --reclaim: every leaf after a table went on either side, and every
	 * page the op touched when the samples do not cover them all (more
	 * than 8 pages)
	 */
	if (reclaim_mode && op->kind != OP_IOVA_TO_PHYS && !o->full[0] &&
	    (a->reclaim_walks || a->tlb.walk || b->tlb.walk) &&
	    compare_tables(p, o->full, sizeof(o->full)))
		o->ldiff |= F_VALID;
	if (reclaim_mode && op->kind != OP_IOVA_TO_PHYS && !o->full[0] &&
	    op->pgcount > 8 && valid_args(g, op) &&
	    compare_range(p, op, o->full, sizeof(o->full)))
		o->ldiff |= F_VALID;
	/*
	 * 6.12 frees the tables in the way of blocks before it finds the
	 * conflict: after a failed map its tables may lack an (empty) table
	 * ours kept, which no leaf shows.
	 */
	if (op->kind == OP_MAP && b->ret && b->tlb.walk && !o->full[0]) {
		o->ldiff |= F_VALID;
		snprintf(o->full, sizeof(o->full),
			 "6.12 freed tables in a map that failed");
	}
	if (!o->rdiff && !o->ldiff) {
		if (o->soft[0]) {
			describe(o, o->why, sizeof(o->why));
			goto soft;
		}
		if (a->reclaim_walks)
			o->dev = DEV_RECLAIM;
		return o->dev;
	}
	/* anything but TLB callbacks, WARNs and ignored bits: tables differ */
	o->state_differs = (o->rdiff & (R_RET | R_BYTES | R_ALLOC | R_CHECK)) ||
			   (o->ldiff & ~F_SH_DEV);
	o->dev = classify_op(g, op, o);
	if (o->dev >= 0 && o->dev < NR_DEVS && !dev_keeps_state(o->dev))
		o->state_differs = true;
	/* a deviation that ends the sequence may leave ours more tables */
	if (!o->soft[0] || (o->dev >= 0 && o->state_differs))
		return o->dev;
soft:
	o->dev = DEV_FAIL;
	o->state_differs = true;
	snprintf(o->why + strlen(o->why), sizeof(o->why) - strlen(o->why),
		 "; reclaim: %s", o->soft);
	return o->dev;
}

static void print_outcome(const struct pair *p, const struct op *op,
			  const struct outcome *o)
{
	char buf[512], f[256];

	fmt_op(buf, sizeof(buf), op);
	printf("    op:    %s\n", buf);
	for (int i = 0; i < NR_SIDES; i++) {
		fmt_result(buf, sizeof(buf), op, &o->r[i]);
		printf("    %-5s  %s\n", side_name[i], buf);
	}
	for (unsigned int i = 0; i < o->nsmp; i++) {
		const struct sample *s = &o->smp[i];

		if (!s->diff)
			continue;
		fmt_fields(f, sizeof(f), s->diff);
		printf("    leaf at %#llx differs in %s:\n",
		       (unsigned long long)s->iova, f);
		for (int k = 0; k < NR_SIDES; k++) {
			fmt_leaf(buf, sizeof(buf), &s->l[k]);
			printf("      %-5s %s\n", side_name[k], buf);
		}
	}
	if (o->full[0])
		printf("    whole tables: %s\n", o->full);
	if (o->why[0])
		printf("    why:   %s\n", o->why);
}

/* ------------------------------------------------------------------ */
/* whole-table comparison                                              */
/* ------------------------------------------------------------------ */

struct leafrec {
	u64 iova;
	struct nleaf l;
};

struct leaflist {
	struct leafrec *v;
	size_t n, cap;
	const struct side *s;
	enum io_pgtable_fmt fmt;
};

static void ll_add(struct leaflist *ll, u64 iova, const struct nleaf *l)
{
	if (ll->n == ll->cap) {
		ll->cap = ll->cap ? 2 * ll->cap : 1024;
		ll->v = realloc(ll->v, ll->cap * sizeof(*ll->v));
		if (!ll->v)
			abort();
	}
	ll->v[ll->n].iova = iova;
	ll->v[ll->n++].l = *l;
}

static int ll_leaf(void *arg, u64 iova, const struct arm_lpae_ref_leaf *leaf)
{
	struct leaflist *ll = arg;
	struct nleaf n;

	/* the leaf's first IOVA: oa is the leaf's base, as walk() finds it */
	memset(&n, 0, sizeof(n));
	lpae_nleaf(ll->s, leaf, &n);
	ll_add(ll, iova, &n);
	return 0;
}

static void collect(const struct side *s, enum io_pgtable_fmt fmt,
		    struct leaflist *ll)
{
	ll->n = 0;
	ll->s = s;
	ll->fmt = fmt;
	if (is_v7s(fmt)) {
		const struct v7s_ref *r = &s->vref;
		unsigned int n1 = 1U << (r->ias - 20);

		for (unsigned int i = 0; i < n1; i++) {
			u32 d1 = v7s_ref_fetch(r, r->pgd + i * 4);
			u64 iova = (u64)i << 20;
			struct nleaf n;

			if ((d1 & V7S_REF_L1_TYPE) == V7S_REF_L1_FAULT)
				continue;
			if (d1 & V7S_REF_L1_SECTION) {
				walk(s, fmt, iova, &n);
				ll_add(ll, iova, &n);
				continue;
			}
			for (unsigned int j = 0; j < 256; j++) {
				u32 d2 = v7s_ref_fetch(r, v7s_ref_table_pa(r, d1) + j * 4);

				if (!(d2 & V7S_REF_L2_TYPE))
					continue;
				walk(s, fmt, iova + j * SZ_4K, &n);
				ll_add(ll, iova + j * SZ_4K, &n);
			}
		}
		return;
	}
	{
		struct arm_lpae_ref_visitor v = { .leaf = ll_leaf, .arg = ll };

		arm_lpae_ref_for_each(&s->ref, &v);
	}
}

static struct leaflist lists[NR_SIDES];

/*
 * Compare every leaf; returns the number of IOVAs that differ. With
 * @cpu_view, through the CPU's view of memory (faster) even for a
 * non-coherent walker.
 */
static size_t compare_tables_view(struct pair *p, char *why, size_t len,
				  bool cpu_view)
{
	enum io_pgtable_fmt fmt = p->spec.fmt;
	size_t i = 0, j = 0, bad = 0;
	struct leaflist *a = &lists[OURS], *b = &lists[UP];
	struct side sa = p->s[OURS], sb = p->s[UP];

	if (cpu_view) {
		sa.ref.read = NULL;
		sb.ref.read = NULL;
		sa.vref.read = NULL;
		sb.vref.read = NULL;
	}
	collect(&sa, fmt, a);
	collect(&sb, fmt, b);
	while (i < a->n || j < b->n) {
		u64 ia = i < a->n ? a->v[i].iova : ~0ULL;
		u64 ib = j < b->n ? b->v[j].iova : ~0ULL;
		unsigned int d;

		if (ia == ib) {
			d = leaf_diff(fmt, &a->v[i].l, &b->v[j].l) & ~F_SH_DEV;
			if (pending_ok && fmt == ARM_MALI_LPAE)
				d &= ~(F_AF | F_RAW);
			/* stage-2 XN 0b10 against 6.12's 0b11 (S2_XN) */
			if (is_s2(fmt) && (d & F_XPRIV) &&
			    ((a->v[i].l.raw >> 53) & 3) == 2 &&
			    ((b->v[j].l.raw >> 53) & 3) == 3)
				d &= ~F_XPRIV;
			i++;
			j++;
		} else {
			d = F_VALID;
			if (ia < ib)
				i++;
			else
				j++;
		}
		if (d && !bad++) {
			char f[128], la[256], lb[256];
			u64 iova = min(ia, ib);
			struct nleaf x, y;

			walk(&p->s[OURS], fmt, iova, &x);
			walk(&p->s[UP], fmt, iova, &y);
			fmt_fields(f, sizeof(f), d);
			fmt_leaf(la, sizeof(la), &x);
			fmt_leaf(lb, sizeof(lb), &y);
			snprintf(why, len, "tables differ at %#llx (%s): ours %s; 6.12 %s",
				 (unsigned long long)iova, f, la, lb);
		}
	}
	return bad;
}

/* ------------------------------------------------------------------ */
/* sequences, replay and shrinking                                     */
/* ------------------------------------------------------------------ */

#define MAX_SEQ		256

struct seqresult {
	int dev;		/* -1 clean; else the first difference */
	unsigned int at;	/* its op index */
	u64 ops;
	bool final_check;	/* found by the whole-table comparison */
	bool leak;
	struct outcome o;
};

static struct outcome scratch;

/*
 * --reclaim, at the end of a sequence: unmap everything ours maps, leaf by
 * leaf, each with a real gather (a page first in each empty table an
 * unmap with a NULL gather left, so that it is emptied with one); then
 * ours holds its top table only, and every table it allocated is freed.
 * Returns false with @why filled in.
 */
static bool reclaim_drain(struct pair *p, const struct gen *g, char *why,
			  size_t len)
{
	static struct tscan t;
	struct side *s = &p->s[OURS], sc = *s;
	struct io_pgtable_ops *ops = s->ops;
	struct leaflist *ll = &lists[OURS];
	size_t live0 = shim_live_allocs();
	long before, after, d;

	scan_tables(s, &t);
	before = t.n;
	for (unsigned int i = 0; i < t.nempty; i++) {
		size_t mapped = 0;
		int ret = ops->map_pages(ops, t.empty[i].iova, 0, g->gran, 1,
					 IOMMU_READ, GFP_KERNEL, &mapped);

		if (ret || mapped != g->gran) {
			snprintf(why, len, "reclaim drain: map of a page at %#llx in an empty level-%d table: %d",
				 (unsigned long long)t.empty[i].iova,
				 t.empty[i].level, ret);
			goto out;
		}
	}
	sc.ref.read = NULL;
	collect(&sc, s->fmt, ll);
	for (size_t i = 0; i < ll->n; i++) {
		const struct leafrec *lr = &ll->v[i];
		struct iommu_iotlb_gather gather;
		size_t u;

		if (!lr->l.valid)
			continue;
		iommu_iotlb_gather_init(&gather);
		u = ops->unmap_pages(ops, lr->iova, lr->l.size, 1, &gather);
		if (u != lr->l.size) {
			snprintf(why, len, "reclaim drain: unmap of the leaf at %#llx (%#llx) returned %#zx",
				 (unsigned long long)lr->iova,
				 (unsigned long long)lr->l.size, u);
			goto out;
		}
	}
	after = count_tables(s);
	if (after != 1) {
		scan_tables(s, &t);
		snprintf(why, len, "reclaim drain: after unmapping everything ours holds %ld tables (%u empty below the top, the first a level-%d table for %#llx)",
			 after, t.nempty, t.nempty ? t.empty[0].level : -1,
			 t.nempty ? (unsigned long long)t.empty[0].iova : 0ULL);
		goto out;
	}
	s->live += (long)shim_live_allocs() - (long)live0;
	live0 = shim_live_allocs();
	d = tables_unaccounted(s);
	if (d) {
		snprintf(why, len, "reclaim drain: table memory: %ld table(s) %s",
			 labs(d), d > 0 ? "allocated and not reachable" :
			 "reachable and not allocated");
		goto out;
	}
	RCL->drained++;
	RCL->drain_tables += before - 1;
	why[0] = 0;
out:
	s->live += (long)shim_live_allocs() - (long)live0;
	return !why[0];
}

/*
 * Run @n ops on fresh tables. Stop at the first failure, at the first
 * deviation that leaves the tables different, or at deviation @stop;
 * other deviations are skipped (and counted in the statistics if @count).
 */
static void run_seq(const struct cfgspec *c, u64 gen_seed, struct op *ops,
		    unsigned int n, int stop, bool count, bool generate,
		    struct seqresult *res)
{
	struct pair p;
	struct gen g;
	u64 seq0 = shim_seq(), gstate;
	size_t live0 = shim_live_allocs();
	unsigned long fails0 = shim_fail_count();

	memset(res, 0, sizeof(*res));
	res->dev = -1;
	memset(&p, 0, sizeof(p));
	if (!pair_alloc(&p, c)) {
		pair_free(&p);
		return;
	}
	counting = count;
	rs = gen_seed;
	gen_init(&g, &p);
	gstate = rs;
	rs = gen_seed ^ 0x5bd1e9955bd1e995ull;	/* the samples' */
	for (unsigned int i = 0; i < n; i++) {
		int d;

		if (generate) {
			u64 save = rs;

			rs = gstate;
			gen_op(&g, &ops[i]);
			gstate = rs;
			rs = save;
		}
		d = run_op(&p, &g, &ops[i], &scratch);

		if (trace && count) {
			printf("  [%u] %s\n", i, d < 0 ? "same" : d == DEV_FAIL ?
			       "FAIL" : d == DEV_PENDING ? "pending" :
			       deviations[d].id);
			print_outcome(NULL, &ops[i], &scratch);
		}
		res->ops++;
		if (d < 0)
			continue;
		if (d == DEV_PENDING) {
			if (count)
				stats[cur_format].pending++;
			continue;
		}
		if (d < NR_DEVS && d != stop && !scratch.state_differs) {
			if (count)
				stats[cur_format].dev[d]++;
			continue;
		}
		res->dev = d;
		res->at = i;
		res->o = scratch;
		break;
	}
	if (res->dev < 0) {
		char why[512];

		/* the device's view for one sequence in 8: it is slow */
		if (compare_tables_view(&p, why, sizeof(why),
					(gen_seed & 7) != 0)) {
			res->dev = DEV_FAIL;
			res->at = n;
			res->final_check = true;
			snprintf(res->o.why, sizeof(res->o.why), "%s", why);
		}
	}
	/* table memory, at the end (LPAE) */
	if (res->dev < 0 && !is_v7s(c->fmt)) {
		long d = tables_unaccounted(&p.s[OURS]);

		if (d) {
			res->dev = DEV_FAIL;
			res->at = n;
			res->final_check = true;
			snprintf(res->o.why, sizeof(res->o.why),
				 "table memory: %ld table(s) %s", labs(d),
				 d > 0 ? "allocated and not reachable" :
				 "reachable and not allocated");
		}
	}
	/* --reclaim: after unmapping everything, the top table only */
	if (reclaim_mode && (res->dev < 0 || res->dev < NR_DEVS) &&
	    res->dev != DEV_RANGE_END) {
		char why[512];

		if (!reclaim_drain(&p, &g, why, sizeof(why))) {
			res->dev = DEV_FAIL;
			res->at = res->ops;
			res->final_check = true;
			snprintf(res->o.why, sizeof(res->o.why), "%s", why);
		}
	}
	/* the walkers' reads of memory not DMA-mapped, and the like */
	if (shim_fail_count() != fails0 && res->dev < 0) {
		res->dev = DEV_FAIL;
		res->at = n;
		res->final_check = true;
		snprintf(res->o.why, sizeof(res->o.why),
			 "%lu shim failures (see above)", shim_fail_count() - fails0);
	}
	pair_free(&p);
	if (shim_live_allocs() != live0 && res->dev < 0) {
		res->dev = DEV_FAIL;
		res->at = n;
		res->leak = true;
		snprintf(res->o.why, sizeof(res->o.why),
			 "%zu allocations left after free_io_pgtable_ops()",
			 shim_live_allocs() - live0);
		shim_leaks_since(seq0, true);
	}
}

/* Remove ops while the same difference still shows at the last op. */
static unsigned int shrink(const struct cfgspec *c, u64 gen_seed, struct op *ops,
			   unsigned int n, const struct seqresult *orig)
{
	int dev = orig->dev;
	bool final = orig->final_check || orig->leak;
	static struct op trial[MAX_SEQ + 1];
	struct seqresult r;
	bool progress = true;

	for (int round = 0; progress && round < 4; round++) {
		progress = false;
		for (int i = (int)n - (final ? 1 : 2); i >= 0 && n > 1; i--) {
			unsigned int m = 0;

			for (unsigned int k = 0; k < n; k++)
				if (k != (unsigned int)i)
					trial[m++] = ops[k];
			run_seq(c, gen_seed, trial, m, dev, false, false, &r);
			if (r.dev == dev && r.at == (final ? m : m - 1) &&
			    r.final_check == orig->final_check &&
			    r.leak == orig->leak &&
			    (final || !strcmp(r.o.why, orig->o.why))) {
				memcpy(ops, trial, m * sizeof(*ops));
				n = m;
				progress = true;
			}
		}
	}
	return n;
}

static void report(const char *what, const struct cfgspec *c, u64 seed,
		   u64 seq, u64 gen_seed, const struct op *ops, unsigned int n,
		   const struct seqresult *r)
{
	char spec[160], buf[256];

	fmt_spec(spec, sizeof(spec), c);
	printf("%s: %s\n", what, spec);
	printf("  reproduce: diff-fuzz --format %s --seed %llu --seq %llu\n",
	       fmt_name(c->fmt), (unsigned long long)seed,
	       (unsigned long long)seq);
	printf("  minimal sequence (%u ops; the last one shows it):\n", n);
	for (unsigned int i = 0; i < n; i++) {
		if (i == r->at)
			break;
		fmt_op(buf, sizeof(buf), &ops[i]);
		printf("    [%u] %s\n", i, buf);
	}
	if (r->final_check || r->leak)
		printf("    (after the last op) %s\n", r->o.why);
	else
		print_outcome(NULL, &ops[r->at], &r->o);
	(void)gen_seed;
}

/* ------------------------------------------------------------------ */
/* classification                                                      */
/* ------------------------------------------------------------------ */

static void describe(const struct outcome *o, char *buf, size_t len)
{
	char f[256];
	size_t n;

	n = snprintf(buf, len, "%s%s%sdiffers:%s%s%s%s%s",
		     o->rdiff & R_SHIM ? "shim failure in " : "",
		     o->rdiff & R_SHIM && o->r[OURS].shim_failures ? "ours " : "",
		     o->rdiff & R_SHIM && o->r[UP].shim_failures ? "6.12 " : "",
		     o->rdiff & R_RET ? " ret" : "",
		     o->rdiff & R_BYTES ? " bytes" : "",
		     o->rdiff & R_PHYS ? " phys" : "",
		     o->rdiff & R_TLB ? " tlb" : "",
		     o->rdiff & R_WARN ? " warn" : "");
	if (o->rdiff & R_ALLOC)
		n += snprintf(buf + n, len - n, " tables-allocated");
	if (o->ldiff) {
		fmt_fields(f, sizeof(f), o->ldiff);
		n += snprintf(buf + n, len - n, " leaf(%s)", f);
	}
	if (o->rdiff & R_CHECK)
		snprintf(buf + n, len - n, "; ours: %s", o->r[OURS].err);
}

/* The op's IOVA range runs past the end of the input range (or half). */
static bool past_ias_end(const struct gen *g, const struct op *op)
{
	u64 size = (u64)op->pgsize * op->pgcount;
	u64 lo = op->iova & (g->top - 1);

	if ((op->iova & ~(g->top - 1)) != g->hi)
		return false;	/* starts outside: not this rule */
	return size && lo + size > g->top;
}

static bool past_oas_end(const struct gen *g, const struct op *op)
{
	u64 size = (u64)op->pgsize * op->pgcount;

	if (op->kind != OP_MAP || g->oas >= 64 || op->paddr >> g->oas)
		return false;
	return size && op->paddr + size > 1ULL << g->oas;
}

/* Every sample differing in exec-priv: ours XN 0b10, 6.12's 0b11. */
static bool s2_xn_only(const struct outcome *o)
{
	for (unsigned int i = 0; i < o->nsmp; i++) {
		const struct sample *sm = &o->smp[i];

		if (!(sm->diff & F_XPRIV))
			continue;
		if (((sm->l[OURS].raw >> 53) & 3) != 2 ||
		    ((sm->l[UP].raw >> 53) & 3) != 3)
			return false;
	}
	return true;
}

/* Arguments the IOMMU core would pass: sizes from the bitmap, aligned, in range. */
static bool valid_args(const struct gen *g, const struct op *op)
{
	u64 size = (u64)op->pgsize * op->pgcount;
	u64 lo = op->iova & (g->top - 1);

	if (!op->pgcount || !(op->pgsize & g->bitmap) ||
	    hweight_long(op->pgsize) != 1)
		return false;
	if ((op->iova | (op->kind == OP_MAP ? op->paddr : 0)) & (op->pgsize - 1))
		return false;
	if ((op->iova & ~(g->top - 1)) != g->hi || lo + size > g->top)
		return false;
	if (op->kind == OP_MAP &&
	    (!(op->prot & (IOMMU_READ | IOMMU_WRITE)) ||
	     (g->oas < 64 && op->paddr + size > 1ULL << g->oas)))
		return false;
	return true;
}

/* v7s: ours after a split, at the samples, against before the call. */
static bool v7s_split_ok(const struct gen *g, const struct op *op, u64 len,
			 const struct outcome *o)
{
	const struct side *so = &g->p->s[OURS];
	/*
	 * NO_PERMS writes no AP bits; with MTK_EXT bit 9 of a level-2 leaf
	 * is PA[32], which the walker also reads as AP[2]
	 */
	bool perms = !(g->p->spec.quirks & Q(NO_PERMS));

	for (unsigned int i = 0; i < o->nsmp && i < so->npts; i++) {
		const struct nleaf *l = &o->smp[i].l[OURS];
		bool in_op = o->smp[i].iova - op->iova < len;

		if (so->pts[i] != o->smp[i].iova)
			return false;
		if (in_op ? l->valid :
		    l->valid != so->pre[i].valid ||
		    (l->valid && (l->oa != so->pre[i].pa ||
				  (perms && l->w != so->pre[i].w))))
			return false;
	}
	return true;
}

/*
 * Ours' walk flushes of removed tables (granule below the size: a split's,
 * a reclaimed table's and a contiguous run's have granule == size) lie
 * inside what the unmap unmapped, [@lo, @lo + @len): a table the request
 * covers whole.
 */
static bool table_flushes_inside(const struct side *so, u64 lo, u64 len)
{
	if (so->nfl == MAX_FLUSHES)
		return false;
	for (unsigned int i = 0; i < so->nfl; i++)
		if (so->fl[i].granule != so->fl[i].size &&
		    (so->fl[i].iova - lo >= len ||
		     so->fl[i].size > len - (so->fl[i].iova - lo)))
			return false;
	return true;
}

static bool untouched(const struct result *r)
{
	return !r->bytes && !r->tlb.walk && !r->tlb.page && !r->tlb.page_null;
}

/*
 * Explain every difference in @o by the deviations of deviations.h.
 * Returns the first deviation that explains part of it (the one counted),
 * -1 if there is nothing to explain, or DEV_FAIL if something is left.
 */
static int classify_op(const struct gen *g, const struct op *op,
		       struct outcome *o)
{
	const struct result *a = &o->r[OURS], *b = &o->r[UP];
	unsigned int rd = o->rdiff & ~R_SHIM, ld = o->ldiff & ~F_SH_DEV;
	bool valid = valid_args(g, op);
	bool pending = false;
	int dev = -1;

#define EXPLAIN(id, rbits, lbits) do {					\
		if (dev < 0)						\
			dev = DEV_##id;					\
		rd &= ~(rbits);						\
		ld &= ~(lbits);						\
	} while (0)

	describe(o, o->why, sizeof(o->why));

	/* --pending: Mali leaves' AF and XN bits (the lead's fix) */
	if (pending_ok && g->p->spec.fmt == ARM_MALI_LPAE &&
	    (ld & (F_AF | F_RAW))) {
		ld &= ~(F_AF | F_RAW);
		pending = true;
	}

	/* DMA API misuse or the like on our side is never a deviation */
	if (a->shim_failures)
		return DEV_FAIL;
	/* nor a failed check of ours: BBM order, reservation, table memory */
	if (a->err[0])
		return DEV_FAIL;

	/*
	 * Stage-2 XN as 0b10: first, so that the rules below see the rest.
	 * Counted as the deviation only when nothing else differs.
	 */
	if (is_s2(g->p->spec.fmt) && (ld & F_XPRIV) && s2_xn_only(o)) {
		ld &= ~F_XPRIV;
		if (!rd && !ld)
			EXPLAIN(S2_XN, 0, 0);
	}

	/* invalid arguments: we refuse, whole, without a WARN */
	if (!valid && op->kind == OP_MAP && (past_ias_end(g, op) ||
					     past_oas_end(g, op)) &&
	    a->ret == -ERANGE && untouched(a))
		EXPLAIN(RANGE_END, ~0U, ~0U);
	if (!valid && op->kind == OP_UNMAP && past_ias_end(g, op) &&
	    untouched(a))
		EXPLAIN(RANGE_END, ~0U, ~0U);
	if (!valid && op->kind != OP_IOVA_TO_PHYS && op->pgcount &&
	    ((op->iova | (op->kind == OP_MAP ? op->paddr : 0)) &
	     (op->pgsize - 1)) &&
	    (op->kind == OP_UNMAP || a->ret == -EINVAL) && untouched(a))
		EXPLAIN(UNALIGNED, ~0U, ~0U);
	if (!valid && op->kind != OP_IOVA_TO_PHYS && !op->pgcount &&
	    (op->kind == OP_UNMAP || a->ret == -EINVAL) && untouched(a))
		EXPLAIN(PGCOUNT_ZERO, ~0U, ~0U);
	if (!valid && (rd & R_WARN) && b->warned && !a->warned &&
	    op->kind != OP_IOVA_TO_PHYS && untouched(a) &&
	    (op->kind == OP_UNMAP || a->ret == b->ret))
		EXPLAIN(ARG_NO_WARN, R_WARN, 0);

	/* an IOVA outside the tables: 6.12 masks it and walks the alias */
	if (op->kind == OP_IOVA_TO_PHYS && !a->phys &&
	    (op->iova & ~(g->top - 1)) != g->hi)
		EXPLAIN(IOVA_TO_PHYS_RANGE, R_PHYS, 0);

	/* 6.12 writing outside its tables and DMA mappings: not explained */
	if (b->shim_failures && dev < 0)
		return DEV_FAIL;

	/* 6.12 frees the tables (and what they map) in the way of a block */
	if (op->kind == OP_MAP && a->ret == -EEXIST && !a->bytes &&
	    !a->tlb.page && !a->tlb.page_null && b->tlb.walk)
		EXPLAIN(BLOCK_OVER_TABLE, ~0U, ~0U);

	/* -EEXIST changes nothing; 6.12 keeps what it mapped before */
	if (op->kind == OP_MAP && valid && a->ret == -EEXIST &&
	    b->ret == -EEXIST && !a->bytes && !a->tlb.page &&
	    !a->tlb.page_null && b->bytes && !b->tlb.walk)
		EXPLAIN(EEXIST_WHOLE, ~0U, ~0U);

	/*
	 * 6.12 splits a block to unmap part of it; ours refuses with
	 * NO_SPLIT, and v7s always
	 */
	if (op->kind == OP_UNMAP && valid && a->bytes <= b->bytes &&
	    a->bytes < (u64)op->pgsize * op->pgcount &&
	    !is_v7s(g->p->spec.fmt) && (g->p->spec.quirks & Q(NO_SPLIT))) {
		struct nleaf l;

		walk(&((struct pair *)g->p)->s[OURS], g->p->spec.fmt,
		     op->iova + a->bytes, &l);
		if (l.valid && l.size > op->pgsize)
			EXPLAIN(NO_SPLIT_QUIRK, ~0U, ~0U);
	}

	/*
	 * v7s: 6.12's split writes the leaves that keep the rest of the
	 * block without the block's output address, and cannot take a page
	 * out of a supersection (it makes sections of it and returns 0):
	 * where either split, ours must have unmapped at least what 6.12
	 * did, nothing may translate in what it unmapped, and every sample
	 * outside it must translate as before the call; the rest of 6.12's
	 * result is not compared.
	 */
	if (is_v7s(g->p->spec.fmt) && op->kind == OP_UNMAP && valid &&
	    (a->tables_new || b->tables_new) && a->bytes >= b->bytes &&
	    (ld || a->bytes > b->bytes) && v7s_split_ok(g, op, a->bytes, o))
		EXPLAIN(V7S_SPLIT_612_BROKEN, ~0U, ~0U);


	/*
	 * LPAE: both split (6.12 allocated, and so did ours), the leaves
	 * end alike; the callbacks differ: ours flushes each block's walk
	 * (break-before-make, checked at the flush by bbm_check()), and
	 * reports the unmapped part only through a real gather. Where the
	 * request covers a whole block in smaller pages, ours clears the
	 * block and 6.12 splits it into a table it then empties: ours
	 * allocates fewer tables, and the tables differ by 6.12's empty ones.
	 */
	if (!is_v7s(g->p->spec.fmt) && op->kind == OP_UNMAP && valid &&
	    b->tables_new && a->tables_new <= b->tables_new &&
	    a->bytes == b->bytes && !(rd & ~(R_TLB | R_ALLOC | R_WARN)) && !ld &&
	    a->tlb.all == b->tlb.all &&
	    /*
	     * tables left to a queued gather have no walk flush of ours;
	     * a block cleared whole has none, but a table the same request
	     * covers whole has one (WHOLE_TABLE_REMOVED, named below)
	     */
	    ((op->gather == G_QUEUED && a->deferred) ||
	     (a->tables_new ? a->tlb.walk > b->tlb.walk :
			      a->tlb.walk >= b->tlb.walk)) &&
	    table_flushes_inside(&g->p->s[OURS], op->iova, a->bytes)) {
		bool pages_ok;

		switch (op->gather) {
		case G_REAL:
			/*
			 * the same pages, but for 6.12's tlb_add_page for
			 * each table entry it removes in the same request
			 * (TABLE_UNMAP_NO_ADD_PAGE): one per walk flush
			 */
			pages_ok = a->tlb.page <= b->tlb.page &&
				   b->tlb.page - a->tlb.page <= b->tlb.walk &&
				   a->tlb.page_null == b->tlb.page_null;
			/*
			 * a block cleared whole is one leaf: one
			 * tlb_add_page of its size, where 6.12 gives one
			 * per entry of the table it empties. Whatever the
			 * calls, ours' cover exactly what it unmapped (less
			 * only when a walk flush besides the split's, of a
			 * table removed, covered the rest).
			 */
			if (a->tables_new < b->tables_new)
				pages_ok = a->tlb.page <= b->tlb.page &&
					   a->tlb.page_null == b->tlb.page_null;
			pages_ok &= a->page_bytes == a->bytes ||
				    (a->page_bytes < a->bytes &&
				     a->tlb.walk > !!a->tables_new);
			break;
		case G_QUEUED:
			pages_ok = !a->tlb.page && !a->tlb.page_null &&
				   !b->tlb.page_null;
			break;
		default:
			pages_ok = !a->tlb.page && !a->tlb.page_null &&
				   !b->tlb.page;
		}
		if (pages_ok && a->tables_new < b->tables_new)
			EXPLAIN(SPLIT_WHOLE_BLOCK, R_TLB | R_ALLOC, 0);
		if (pages_ok && !a->tables_new && a->tlb.walk > b->tlb.walk)
			EXPLAIN(WHOLE_TABLE_REMOVED, R_TLB, 0);
		if (pages_ok) {
			if (op->gather != G_REAL &&
			    (b->tlb.page || b->tlb.page_null))
				EXPLAIN(SPLIT_GATHER, R_TLB, 0);
			if (a->tables_new)
				EXPLAIN(SPLIT_BBM, R_TLB, 0);
		}
	}

	/* a block-size unmap over a table that maps nothing */
	if (op->kind == OP_UNMAP && valid && a->bytes < b->bytes &&
	    b->tlb.walk && !(ld & ~F_VALID)) {
		struct nleaf l;

		walk(&((struct pair *)g->p)->s[OURS], g->p->spec.fmt,
		     op->iova + a->bytes, &l);
		if (!l.valid && !l.malformed)
			EXPLAIN(EMPTY_TABLE_UNMAP, ~0U, ~0U);
	}

	/* v7s: a 64K/16M page partly mapped by smaller leaves */
	if (is_v7s(g->p->spec.fmt) && op->kind == OP_UNMAP && valid &&
	    (op->pgsize == SZ_64K || op->pgsize == SZ_16M) &&
	    a->bytes > b->bytes)
		EXPLAIN(V7S_UNMAP_PARTLY_MAPPED, ~0U, ~0U);

	/*
	 * v7s: level-2 tables an unmap empties go (a walk flush each); one
	 * tlb_add_page per large page or supersection
	 */
	/*
	 * v7s: no tlb_add_page for a NULL gather (6.12's v7s calls it). If
	 * the unmap also freed a level-2 table it emptied, the tables now
	 * differ: that one is named, and it ends the sequence.
	 */
	if (is_v7s(g->p->spec.fmt) && op->kind == OP_UNMAP &&
	    op->gather == G_NULL && (rd & R_TLB) && a->bytes == b->bytes &&
	    !ld && !a->tlb.page_null && b->tlb.page_null &&
	    a->tlb.page == b->tlb.page && a->tlb.all == b->tlb.all) {
		if (a->tlb.walk > b->tlb.walk)
			EXPLAIN(V7S_FREE_EMPTIED_L2, R_TLB, 0);
		else if (a->tlb.walk == b->tlb.walk)
			EXPLAIN(V7S_NULL_GATHER, R_TLB, 0);
	}

	if (is_v7s(g->p->spec.fmt) && op->kind == OP_UNMAP &&
	    (rd & R_TLB) && a->bytes == b->bytes && !ld &&
	    a->tlb.walk >= b->tlb.walk && a->tlb.all == b->tlb.all &&
	    a->tlb.page <= b->tlb.page && !a->tlb.page == !b->tlb.page &&
	    a->tlb.page_null <= b->tlb.page_null &&
	    !a->tlb.page_null == !b->tlb.page_null) {
		if (a->tlb.walk > b->tlb.walk)
			EXPLAIN(V7S_FREE_EMPTIED_L2, R_TLB, 0);
		else
			EXPLAIN(V7S_ONE_ADD_PAGE_PER_LEAF, R_TLB, 0);
	}

	/*
	 * v7s, what the rules above left: both split alike (supersections into sections, which needs
	 * no table and which 6.12 gets right; or a block the request covers
	 * whole, which ours clears as one leaf): the leaves end alike, the
	 * callbacks differ as for LPAE (SPLIT_BBM), and ours reports to a
	 * real gather exactly what it unmapped, to the others nothing.
	 */
	if (is_v7s(g->p->spec.fmt) && op->kind == OP_UNMAP && valid &&
	    a->bytes == b->bytes && !ld && (rd & (R_TLB | R_ALLOC)) &&
	    !(rd & ~(R_TLB | R_WARN | R_ALLOC)) &&
	    a->tables_new <= b->tables_new && a->tlb.all == b->tlb.all &&
	    (a->tables_new || b->tables_new || a->tlb.walk != b->tlb.walk ||
	     (o->pre.valid && o->pre.size > op->pgsize)) &&
	    (op->gather == G_REAL ?
	     a->page_bytes == a->bytes ||
	     (a->page_bytes < a->bytes && a->tlb.walk > !!a->tables_new) :
	     !a->tlb.page && !a->tlb.page_null)) {
		if (a->tables_new < b->tables_new)
			EXPLAIN(SPLIT_WHOLE_BLOCK, R_TLB | R_ALLOC, 0);
		EXPLAIN(SPLIT_BBM, R_TLB, 0);
	}

	/* several invalid arguments: which error is reported first */
	if (!valid && op->kind == OP_MAP && a->ret < 0 && b->ret < 0 &&
	    untouched(a) && untouched(b))
		EXPLAIN(ARG_ERRNO, R_RET | R_WARN, 0);


	/* a whole table removed: one walk flush, no leaf invalidation */
	if (op->kind == OP_UNMAP && (rd & R_TLB) && a->bytes == b->bytes &&
	    a->tlb.walk && a->tlb.walk == b->tlb.walk &&
	    a->tlb.page < b->tlb.page && a->tlb.all == b->tlb.all &&
	    a->tlb.page_null == b->tlb.page_null)
		EXPLAIN(TABLE_UNMAP_NO_ADD_PAGE, R_TLB, 0);

	/* a queued gather took the removed tables: no walk flush for them */
	if (op->kind == OP_UNMAP && op->gather == G_QUEUED && a->deferred &&
	    (rd & R_TLB) && a->bytes == b->bytes &&
	    a->tlb.walk < b->tlb.walk && a->tlb.all == b->tlb.all &&
	    a->tlb.page == b->tlb.page && a->tlb.page_null == b->tlb.page_null)
		EXPLAIN(QUEUED_TABLE_FREE, R_TLB, 0);

	/* LPAE: a table the unmap covers whole goes, with one walk flush */
	if (!is_v7s(g->p->spec.fmt) && op->kind == OP_UNMAP &&
	    (rd & R_TLB) && a->bytes == b->bytes && !ld &&
	    a->tlb.walk > b->tlb.walk && a->tlb.all == b->tlb.all &&
	    a->tlb.page <= b->tlb.page &&
	    (a->tlb.page_null <= b->tlb.page_null || pending_ok) &&
	    table_flushes_inside(&g->p->s[OURS], op->iova, a->bytes))
		EXPLAIN(WHOLE_TABLE_REMOVED, R_TLB, 0);

	if (op->kind == OP_UNMAP && valid && (rd & R_WARN) && b->warned &&
	    !a->warned && a->bytes < (u64)op->pgsize * op->pgcount)
		EXPLAIN(UNMAP_HOLE_NO_WARN, R_WARN, 0);

	if ((o->ldiff & F_SH_DEV) && !(o->ldiff & F_MEMTYPE))
		EXPLAIN(DEVICE_SH, 0, 0);

	/*
	 * --reclaim: a block map where 6.12 removes the empty table it kept
	 * (a walk flush each) and ours, which reclaimed it, has none
	 */
	if (reclaim_mode && op->kind == OP_MAP && (rd & R_TLB) &&
	    !(rd & ~R_TLB) && !ld && !a->ret && !b->ret &&
	    a->bytes == b->bytes && b->tlb.walk > a->tlb.walk &&
	    a->tlb.all == b->tlb.all && a->tlb.page == b->tlb.page &&
	    a->tlb.page_null == b->tlb.page_null &&
	    reclaim_map_ok(g->p)) {
		EXPLAIN(RECLAIM, R_TLB, 0);
		if (counting)
			RCL->maps++;
	}
	/* the flushes of the tables ours reclaimed are out of tlb.walk */
	if (a->reclaim_walks)
		EXPLAIN(RECLAIM, 0, 0);

	if (pending_ok && (rd || ld)) {
		/* LPAE: tlb_add_page with a NULL gather, which 6.12 skips */
		if (!is_v7s(g->p->spec.fmt) && op->kind == OP_UNMAP &&
		    op->gather == G_NULL && (rd & R_TLB) &&
		    a->tlb.page_null && !b->tlb.page_null &&
		    a->tlb.all == b->tlb.all && a->tlb.page == b->tlb.page &&
		    (a->tlb.walk == b->tlb.walk || dev >= 0)) {
			rd &= ~R_TLB;
			pending = true;
		}
	}
#undef EXPLAIN
	if (rd || ld)
		return DEV_FAIL;
	return dev >= 0 ? dev : pending ? DEV_PENDING : -1;
}

static bool regs_equal(const struct cfgspec *c, const struct io_pgtable_cfg *a,
		       const struct io_pgtable_cfg *b, char *why, size_t len)
{
#define REG(x) do {							\
		if ((u64)(a->x) != (u64)(b->x)) {			\
			snprintf(why, len, #x " ours %#llx 6.12 %#llx",	\
				 (unsigned long long)(a->x),		\
				 (unsigned long long)(b->x));		\
			return false;					\
		}							\
	} while (0)
	REG(pgsize_bitmap);
	REG(ias);
	REG(oas);
	if (is_s1(c->fmt)) {
		REG(arm_lpae_s1_cfg.tcr.ips);
		REG(arm_lpae_s1_cfg.tcr.tg);
		REG(arm_lpae_s1_cfg.tcr.sh);
		REG(arm_lpae_s1_cfg.tcr.orgn);
		REG(arm_lpae_s1_cfg.tcr.irgn);
		REG(arm_lpae_s1_cfg.tcr.tsz);
		REG(arm_lpae_s1_cfg.mair);
	} else if (is_s2(c->fmt)) {
		REG(arm_lpae_s2_cfg.vtcr.ps);
		REG(arm_lpae_s2_cfg.vtcr.tg);
		REG(arm_lpae_s2_cfg.vtcr.sh);
		REG(arm_lpae_s2_cfg.vtcr.orgn);
		REG(arm_lpae_s2_cfg.vtcr.irgn);
		REG(arm_lpae_s2_cfg.vtcr.sl);
		REG(arm_lpae_s2_cfg.vtcr.tsz);
	} else if (c->fmt == ARM_MALI_LPAE) {
		REG(arm_mali_lpae_cfg.memattr);
		REG(arm_mali_lpae_cfg.transtab & 0xfff);
	} else {
		REG(arm_v7s_cfg.tcr);
		REG(arm_v7s_cfg.prrr);
		REG(arm_v7s_cfg.nmrr);
		if (!(c->quirks & Q(ARM_MTK_EXT)))
			REG(arm_v7s_cfg.ttbr & 0x7f);
	}
#undef REG
	return true;
}

/* Would 6.12 accept @c without the quirks only we have? */
static bool upstream_accepts(const struct cfgspec *c, unsigned long drop)
{
	struct io_pgtable_cfg cfg;
	struct io_pgtable_ops *ops;
	struct cfgspec d = *c;
	struct side s = {};

	d.quirks &= ~drop;
	init_cfg(&cfg, &d);
	ops = upstream_alloc(d.fmt, &cfg, &s);
	if (ops)
		upstream_free(ops);
	return ops;
}

/* Would ours accept @c without the quirks in @drop? */
static bool ours_accepts(const struct cfgspec *c, unsigned long drop)
{
	struct io_pgtable_cfg cfg;
	struct io_pgtable_ops *ops;
	struct cfgspec d = *c;
	struct side s = {};

	d.quirks &= ~drop;
	init_cfg(&cfg, &d);
	ops = alloc_io_pgtable_ops(d.fmt, &cfg, &s);
	if (ops)
		free_io_pgtable_ops(ops);
	return ops;
}

static int classify_cfg(const struct cfgspec *c, const struct pair *p,
			char *why, size_t len)
{
	const struct side *a = &p->s[OURS], *b = &p->s[UP];
	const struct io_pgtable_cfg *ca = &a->cfg, *cb = &b->cfg;
	struct io_pgtable_cfg t;

	if (!a->ops && !b->ops)
		return -1;
	/*
	 * Ours refuses NO_SPLIT or ARM_BBML2 for a format it does not apply
	 * to (BBML2: not the 32-bit formats, nor Mali), as 6.12 refuses
	 * every quirk it does not know: both refuse.
	 */
	if (!a->ops && (c->quirks & UP_STRIP) && ours_accepts(c, UP_STRIP))
		return -1;
	if (!a->ops || !b->ops) {
		snprintf(why, len, "%s refuses, %s accepts",
			 side_name[a->ops ? UP : OURS],
			 side_name[a->ops ? OURS : UP]);
		if (a->ops && (c->quirks & (Q(NO_WARN) | Q(ARM_S2FWB) | UP_STRIP)) &&
		    upstream_accepts(c, Q(NO_WARN) | Q(ARM_S2FWB) | UP_STRIP))
			return DEV_ADDITIVE_QUIRK;
		/* 6.12 sizes its tables for a negative number of levels */
		if (b->ops && !is_v7s(c->fmt) &&
		    cb->ias <= __ffs(cb->pgsize_bitmap))
			return DEV_IAS_TINY;
		return DEV_FAIL;
	}
	/*
	 * v7s below 32 bits: TTBCR.N = 0 makes the walker index a 16 KiB,
	 * 16 KiB-aligned level-1 table with IOVA[31:20]; 6.12 allocates
	 * 4 << (ias - 20) bytes in a page, which the walker reads from the
	 * wrong base unless the page happens to be 16 KiB-aligned. Not
	 * fuzzed: the reference walker cannot follow 6.12's table there.
	 */
	if (is_v7s(c->fmt) && c->ias < 32) {
		snprintf(why, len, "level-1 table ours %zu bytes at %#x, 6.12 %zu bytes at %#x",
			 shim_footprint(phys_to_virt(v7s_ref_ttbr_base(ca->arm_v7s_cfg.ttbr, 32, false))),
			 ca->arm_v7s_cfg.ttbr & ~0x7fU,
			 shim_footprint(phys_to_virt(v7s_ref_ttbr_base(cb->arm_v7s_cfg.ttbr, 20, false))),
			 cb->arm_v7s_cfg.ttbr & ~0x7fU);
		return DEV_V7S_L1_16K;
	}
	if (regs_equal(c, ca, cb, why, len))
		return -1;
	/* the same but for what an allowed difference explains? */
	t = *cb;
	if (is_s1(c->fmt))
		t.arm_lpae_s1_cfg.mair = (u32)t.arm_lpae_s1_cfg.mair;
	if (regs_equal(c, ca, &t, why, len)) {
		snprintf(why, len, "MAIR ours %#llx 6.12 %#llx",
			 (unsigned long long)ca->arm_lpae_s1_cfg.mair,
			 (unsigned long long)cb->arm_lpae_s1_cfg.mair);
		return DEV_MAIR_UNUSED;
	}
	/*
	 * Block sizes larger than anything the start level maps: 6.12
	 * advertises them, we do not (ours holds every size a level of the
	 * walk reaches, so the sizes above its largest are the others).
	 */
	if (!is_v7s(c->fmt) && ca->pgsize_bitmap &&
	    !(ca->pgsize_bitmap & ~cb->pgsize_bitmap) &&
	    (cb->pgsize_bitmap & ~ca->pgsize_bitmap) &&
	    __ffs(cb->pgsize_bitmap & ~ca->pgsize_bitmap) >
	    __fls(ca->pgsize_bitmap)) {
		t.pgsize_bitmap = ca->pgsize_bitmap;
		if (regs_equal(c, ca, &t, why, len)) {
			snprintf(why, len, "pgsize_bitmap ours %#lx 6.12 %#lx",
				 ca->pgsize_bitmap, cb->pgsize_bitmap);
			return DEV_UNREACHABLE_BLOCKS;
		}
	}
	regs_equal(c, ca, cb, why, len);
	return DEV_FAIL;
}

/* ------------------------------------------------------------------ */
/* driver                                                              */
/* ------------------------------------------------------------------ */

struct cfglist {
	struct cfgspec *v;
	bool *failed;
	size_t n, cap;
};

static void cl_add(struct cfglist *cl, const struct cfgspec *c)
{
	if (cl->n == cl->cap) {
		cl->cap = cl->cap ? 2 * cl->cap : 256;
		cl->v = realloc(cl->v, cl->cap * sizeof(*cl->v));
		cl->failed = realloc(cl->failed, cl->cap * sizeof(*cl->failed));
		if (!cl->v || !cl->failed)
			abort();
	}
	cl->failed[cl->n] = false;
	cl->v[cl->n++] = *c;
}

/* Every configuration of @fmt; the fuzzable ones (both allocate) in @fz. */
static void sweep(enum io_pgtable_fmt fmt, struct cfglist *fz)
{
	struct cfgspec c = { .fmt = fmt };
	const unsigned long *bm, *qs;
	const unsigned int *ias, *oas;
	size_t nbm, nqs, nias, noas;

	if (is_v7s(fmt)) {
		bm = v7s_bitmaps;
		nbm = ARRAY_SIZE(v7s_bitmaps);
		qs = v7s_quirks;
		nqs = ARRAY_SIZE(v7s_quirks);
		ias = v7s_ias;
		nias = ARRAY_SIZE(v7s_ias);
		oas = v7s_oas;
		noas = ARRAY_SIZE(v7s_oas);
	} else {
		bm = lpae_bitmaps;
		nbm = ARRAY_SIZE(lpae_bitmaps);
		qs = lpae_quirks;
		nqs = ARRAY_SIZE(lpae_quirks);
		ias = lpae_ias;
		nias = ARRAY_SIZE(lpae_ias);
		oas = lpae_oas;
		noas = ARRAY_SIZE(lpae_oas);
	}
	for (size_t b = 0; b < nbm; b++)
		for (size_t i = 0; i < nias; i++)
			for (size_t o = 0; o < noas; o++)
				for (size_t q = 0; q < nqs; q++)
					for (int coh = 0; coh < 2; coh++) {
						bool ok;

						c.bitmap = bm[b];
						c.ias = ias[i];
						c.oas = oas[o];
						c.quirks = qs[q];
						c.coherent = coh;
						cfg_sweep_one(&c, &ok);
						if (ok)
							cl_add(fz, &c);
					}
}

static u64 seq_seed(u64 seed, unsigned int fmt_idx, u64 seq)
{
	u64 save = rs, v;

	rs = seed * 0x100000001b3ull + fmt_idx * 0x9e37ull + seq;
	rnd();
	v = rnd();
	rs = save;
	return v;
}

static struct op seq_ops[MAX_SEQ + 1];

/* One sequence: generate, run, count, report. Returns false on failure. */
static bool one_seq(const struct cfglist *fz, unsigned int fi, u64 seed, u64 seq,
		    size_t *cfg_idx)
{
	struct fstats *st = &stats[fi];
	u64 s = seq_seed(seed, fi, seq), gen_seed;
	const struct cfgspec *c;
	struct seqresult r;
	unsigned int n;

	rs = s;
	*cfg_idx = rnd_below(fz->n);
	c = &fz->v[*cfg_idx];
	n = 1 + rnd_below(rnd_below(4) ? 128 : MAX_SEQ);
	gen_seed = rnd();
	run_seq(c, gen_seed, seq_ops, n, -1, true, true, &r);
	if (r.dev >= 0 && !r.final_check && !r.leak)
		n = r.at + 1;	/* the ops generated */
	else if (r.final_check)
		n = r.ops;	/* a deviation may have ended it early */
	st->ops += r.ops;
	st->seqs++;
	if (r.dev < 0)
		return true;
	if (r.dev < NR_DEVS) {
		st->dev[r.dev]++;
		if (!dev_shown[r.dev] && verbose) {
			char what[128];

			n = shrink(c, gen_seed, seq_ops, r.at + 1, &r);
			run_seq(c, gen_seed, seq_ops, n, r.dev, false, false, &r);
			snprintf(what, sizeof(what), "# deviation %s first seen",
				 deviations[r.dev].id);
			report(what, c, seed, seq, gen_seed, seq_ops, n, &r);
		}
		dev_shown[r.dev] = true;
		return true;
	}
	st->failures++;
	{
		char key[160];

		if (r.final_check || r.leak)
			snprintf(key, sizeof(key), "after sequence: %.40s", r.o.why);
		else
			snprintf(key, sizeof(key), "%s: %s",
				 seq_ops[r.at].kind == OP_MAP ? "map" :
				 seq_ops[r.at].kind == OP_UNMAP ? "unmap" : "iova_to_phys",
				 r.o.why);
		count_kind(key);
	}
	if ((!match || strstr(r.o.why, match)) &&
	    failures_shown++ < max_failures_shown) {
		printf("FAIL: as first seen, at op %u of sequence %llu:\n", r.at,
		       (unsigned long long)seq);
		if (r.final_check || r.leak)
			printf("    %s\n", r.o.why);
		else
			print_outcome(NULL, &seq_ops[r.at], &r.o);
		n = shrink(c, gen_seed, seq_ops, n, &r);
		run_seq(c, gen_seed, seq_ops, n, r.dev, false, false, &r);
		report("FAIL", c, seed, seq, gen_seed, seq_ops, n, &r);
	}
	return false;
}

/* ------------------------------------------------------------------ */
/* --contig: IO_PGTABLE_QUIRK_ARM_CONTIG against 6.12 without it       */
/* ------------------------------------------------------------------ */

/*
 * Ours with the contiguous hint, 6.12 (which has no such quirk) without
 * it, on the same random operations: a map or unmap of a run size in ours
 * is the same range in the size the run is made of in 6.12 (as iommu_map()
 * would split it for a bitmap without the run sizes). Both are checked
 * against a model of what is mapped (extents, each with the size it was
 * mapped with: a run size while its runs are whole), so that every leaf's
 * output address, and in ours whether it carries the hint, is known; see
 * contig_check_tables(). Maps go to free ranges, except a few that
 * overlap on purpose and are run on ours alone (6.12 keeps part of such a
 * map: EEXIST_WHOLE); unmaps cover mapped ranges only (holes are the main
 * mode's), so that the two stay comparable for a whole sequence.
 */

#define MAX_CEXT	512
#define CONTIG_SEQ	128

struct cext {
	u64 iova, len, pa;
	size_t pgsize;		/* a run size: hinted runs */
	int prot;
};

struct contig {
	struct pair p;
	unsigned long bitmap;	/* ours' */
	unsigned long runs;	/* the run sizes in it */
	u64 top, hi;
	u64 anchors[4];
	struct cext ext[MAX_CEXT];
	unsigned int next;
	bool trace;
};

/* What the contig mode counted, per format (the deviations in stats[]) */
static struct cstats {
	u64 ops, seqs, cfgs, maps_run, unmaps_run_whole, unmaps_run_part,
	    breaks, overlaps, cb_exact, cb_tables, failures;
} cstats[NR_FORMATS];
static u64 contig_ops;		/* --contig N: per format that takes the quirk */

static bool contig_fmt(enum io_pgtable_fmt fmt)
{
	return is_s1(fmt) || is_s2(fmt);
}

/* The size a run of @size is made of (granule @gshift), or 0. */
static u64 contig_base(unsigned int gshift, u64 size)
{
	static const struct { unsigned int g; u64 run, base; } t[] = {
		{ 12, SZ_64K, SZ_4K }, { 12, SZ_32M, SZ_2M },
		{ 14, SZ_2M, SZ_16K }, { 14, SZ_1G, SZ_32M },
		{ 16, SZ_2M, SZ_64K }, { 16, 1ULL << 34, SZ_512M },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(t); i++)
		if (t[i].g == gshift && t[i].run == size)
			return t[i].base;
	return 0;
}

static u64 cbase(const struct contig *c, u64 size)
{
	return contig_base(c->p.s[OURS].ref.granule_shift, size);
}

static bool crun(const struct contig *c, u64 size)
{
	return size && (c->runs & size) == size && !(size & (size - 1));
}

/* The model: extents sorted by IOVA, not overlapping. */
static struct cext *cfind(struct contig *c, u64 iova)
{
	for (unsigned int i = 0; i < c->next; i++)
		if (iova - c->ext[i].iova < c->ext[i].len)
			return &c->ext[i];
	return NULL;
}

static bool cfree(const struct contig *c, u64 iova, u64 len)
{
	for (unsigned int i = 0; i < c->next; i++)
		if (iova < c->ext[i].iova + c->ext[i].len &&
		    c->ext[i].iova < iova + len)
			return false;
	return true;
}

/* How much is mapped from @iova on, without a hole (up to @max). */
static u64 cmapped(struct contig *c, u64 iova, u64 max)
{
	u64 done = 0;
	struct cext *e;

	while (done < max && (e = cfind(c, iova + done)))
		done = e->iova + e->len - iova;
	return min(done, max);
}

static void cadd(struct contig *c, u64 iova, u64 len, u64 pa, size_t pgsize,
		 int prot)
{
	unsigned int i;

	if (!len)
		return;
	if (c->next == MAX_CEXT)
		abort();
	for (i = 0; i < c->next && c->ext[i].iova < iova; i++)
		;
	memmove(&c->ext[i + 1], &c->ext[i], (c->next - i) * sizeof(c->ext[0]));
	c->ext[i] = (struct cext){ iova, len, pa, pgsize, prot };
	c->next++;
}

/*
 * Take [@a, @b) out of the model: what is left of a hinted extent stays
 * hinted but for the runs the range cut, which ours rewrote plain.
 */
static void cremove(struct contig *c, u64 a, u64 b)
{
	for (unsigned int i = 0; i < c->next; i++) {
		struct cext e = c->ext[i];
		u64 s = e.iova, t = e.iova + e.len, r, lo, hi;

		if (b <= s || t <= a)
			continue;
		memmove(&c->ext[i], &c->ext[i + 1],
			(c->next - i - 1) * sizeof(c->ext[0]));
		c->next--;
		r = crun(c, e.pgsize) ? e.pgsize : 0;
		lo = r ? max(s, a & ~(r - 1)) : a;
		hi = r ? min(t, (b + r - 1) & ~(r - 1)) : b;
		if (a > s) {
			cadd(c, s, lo - s, e.pa, e.pgsize, e.prot);
			if (lo < a)
				cadd(c, lo, a - lo, e.pa + (lo - s),
				     cbase(c, r), e.prot);
		}
		if (b < t) {
			if (hi > b)
				cadd(c, b, hi - b, e.pa + (b - s), cbase(c, r),
				     e.prot);
			cadd(c, hi, t - hi, e.pa + (hi - s), e.pgsize, e.prot);
		}
		i = -1;	/* the list moved: start again */
	}
}

/* Runs of the model [a, b) cuts (broken) and covers whole. */
static void cruns(struct contig *c, u64 a, u64 b, u64 *broken, u64 *whole,
		  u64 *whole_entries, bool *only_whole)
{
	*broken = *whole = *whole_entries = 0;
	*only_whole = true;
	for (unsigned int i = 0; i < c->next; i++) {
		const struct cext *e = &c->ext[i];
		u64 s = e->iova, t = e->iova + e->len, r = e->pgsize;

		if (b <= s || t <= a)
			continue;
		if (!crun(c, r)) {
			*only_whole = false;
			continue;
		}
		for (u64 x = max(s, a & ~(r - 1)); x < min(t, b); x += r) {
			if (x >= a && x + r <= b) {
				(*whole)++;
				*whole_entries += r / cbase(c, r);
			} else {
				(*broken)++;
				*only_whole = false;
			}
		}
	}
}

/*
 * Every leaf of both against the model and each other: the same IOVAs,
 * output addresses and attributes (the hint aside); in ours the hint on
 * exactly the leaves of whole runs, every run consistent for the walker
 * (through its own view: the DMA model's for a non-coherent one).
 */
static bool contig_check_tables(struct contig *c, bool dev_view, char *why,
				size_t len)
{
	struct leaflist *la = &lists[OURS], *lb = &lists[UP];
	enum io_pgtable_fmt fmt = c->p.spec.fmt;
	u64 covered = 0, want = 0;
	bool hinted = false;
	size_t i;

	for (int k = 0; k < NR_SIDES; k++) {
		/* ll_leaf() keeps the visitor's verdict on a run (malformed) */
		struct arm_lpae_ref_visitor v = { .leaf = ll_leaf,
						  .arg = &lists[k] };
		struct arm_lpae_ref r = c->p.s[k].ref;

		if (!dev_view)
			r.read = NULL;
		lists[k].n = 0;
		lists[k].s = &c->p.s[k];
		lists[k].fmt = fmt;
		arm_lpae_ref_for_each(&r, &v);
	}
	for (i = 0; i < c->next; i++)
		want += c->ext[i].len;
	for (i = 0; i < la->n || i < lb->n; i++) {
		const struct nleaf *x = i < la->n ? &la->v[i].l : NULL;
		const struct nleaf *y = i < lb->n ? &lb->v[i].l : NULL;
		u64 iova = x ? la->v[i].iova : lb->v[i].iova;
		struct cext *e = cfind(c, iova & (c->top - 1));
		char sa[256] = "none", sb[256] = "none", f[128];
		unsigned int d;

		/* the descriptions, for a failure only: they are slow */
#define DESCRIBE() do {							\
			if (x)						\
				fmt_leaf(sa, sizeof(sa), x);		\
			if (y)						\
				fmt_leaf(sb, sizeof(sb), y);		\
		} while (0)
		if (!x || !y || la->v[i].iova != lb->v[i].iova) {
			DESCRIBE();
			snprintf(why, len, "leaves differ at %#llx: ours %s; 6.12 %s",
				 (unsigned long long)iova, sa, sb);
			return false;
		}
		if (x->malformed) {
			DESCRIBE();
			snprintf(why, len, "ours: inconsistent contiguous run at %#llx: %s",
				 (unsigned long long)iova, sa);
			return false;
		}
		d = leaf_diff(fmt, x, y) & ~(F_CONT | F_SH_DEV);
		if (is_s2(fmt) && (d & F_XPRIV) && ((x->raw >> 53) & 3) == 2 &&
		    ((y->raw >> 53) & 3) == 3)
			d &= ~F_XPRIV;		/* S2_XN */
		if (d) {
			DESCRIBE();
			fmt_fields(f, sizeof(f), d);
			snprintf(why, len, "leaves differ at %#llx (%s): ours %s; 6.12 %s",
				 (unsigned long long)iova, f, sa, sb);
			return false;
		}
		if (!e || (iova & (c->top - 1)) + x->size > e->iova + e->len ||
		    x->oa != e->pa + ((iova & (c->top - 1)) - e->iova)) {
			DESCRIBE();
			snprintf(why, len, "leaf at %#llx, %s, is not what was mapped there (%s)",
				 (unsigned long long)iova, sa,
				 e ? "another address" : "nothing");
			return false;
		}
		if (x->cont != crun(c, e->pgsize)) {
			DESCRIBE();
			snprintf(why, len, "ours: leaf at %#llx %s the hint, mapped with %#zx%s: %s",
				 (unsigned long long)iova,
				 x->cont ? "has" : "lacks", e->pgsize,
				 crun(c, e->pgsize) ? " (a whole run)" : "", sa);
			return false;
		}
		hinted |= x->cont;
		covered += x->size;
#undef DESCRIBE
	}
	if (covered != want) {
		snprintf(why, len, "the leaves map %#llx bytes, the model %#llx",
			 (unsigned long long)covered, (unsigned long long)want);
		return false;
	}
	if (hinted)	/* per operation after which ours had hinted leaves */
		stats[cur_format].dev[DEV_CONTIG_LEAF]++;
	return true;
}

static bool contig_alloc(struct contig *c, const struct cfgspec *spec)
{
	struct pair *p = &c->p;

	memset(p, 0, sizeof(*p));
	p->spec = *spec;
	for (int i = 0; i < NR_SIDES; i++) {
		struct side *s = &p->s[i];
		size_t live = shim_live_allocs();

		s->which = i;
		s->fmt = spec->fmt;
		init_cfg(&s->cfg, spec);
		if (i == OURS)
			s->cfg.quirks |= Q(ARM_CONTIG);
		else
			s->cfg.quirks &= ~UP_STRIP;
		s->ops = i == OURS ? alloc_io_pgtable_ops(spec->fmt, &s->cfg, s) :
				     upstream_alloc(spec->fmt, &s->cfg, s);
		s->live = (long)shim_live_allocs() - (long)live;
	}
	if (!p->s[OURS].ops || !p->s[UP].ops)
		return false;
	for (int i = 0; i < NR_SIDES; i++)
		setup_walker(&p->s[i], spec->fmt);
	c->bitmap = p->s[OURS].cfg.pgsize_bitmap;
	c->runs = c->bitmap & ~p->s[UP].cfg.pgsize_bitmap;
	c->top = 1ULL << min(p->s[OURS].cfg.ias, p->s[UP].cfg.ias);
	c->hi = spec->quirks & Q(ARM_TTBR1) ? ~0ULL << p->s[OURS].cfg.ias : 0;
	c->next = 0;
	return true;
}

/*
 * The configuration: ours' pgsize_bitmap must be 6.12's and run sizes
 * (of sizes 6.12 has) alone; the registers as in the sweep. Returns false
 * (with @why) on a failure.
 */
static bool contig_cfg_ok(struct contig *c, char *why, size_t len)
{
	const struct io_pgtable_cfg *a = &c->p.s[OURS].cfg, *b = &c->p.s[UP].cfg;
	unsigned long r = c->runs;

	if (b->pgsize_bitmap & ~a->pgsize_bitmap) {
		snprintf(why, len, "pgsize_bitmap ours %#lx lacks 6.12's %#lx",
			 a->pgsize_bitmap, b->pgsize_bitmap);
		return false;
	}
	while (r) {
		u64 sz = r & -r, base = cbase(c, sz);

		r &= r - 1;
		if (!base || !(b->pgsize_bitmap & base)) {
			snprintf(why, len, "pgsize_bitmap ours %#lx 6.12 %#lx: %#llx is no run of a size of 6.12's",
				 a->pgsize_bitmap, b->pgsize_bitmap,
				 (unsigned long long)sz);
			return false;
		}
	}
	return true;
}

static size_t cpick_size(const struct contig *c, unsigned long b)
{
	unsigned int k = rnd_below(hweight_long(b));

	while (k--)
		b &= b - 1;
	return b & -b;
}

static int cpick_prot(void)
{
	int prot = pick_prot();

	if (!(prot & (IOMMU_READ | IOMMU_WRITE)))
		prot |= IOMMU_READ;
	return prot;
}

/* A map: to a free range (next to what is mapped, now and then), or an overlap. */
static bool cgen_map(struct contig *c, struct op *op, bool *overlap)
{
	u64 omask = (1ULL << c->p.s[UP].cfg.oas) - 1, len;
	unsigned long sizes = c->bitmap;

	/* runs half the time; no more than 4 pages of the largest sizes */
	op->pgsize = chance(50) && c->runs ? cpick_size(c, c->runs) :
					      cpick_size(c, sizes & ~c->runs);
	op->pgcount = chance(80) ? 1 + rnd_below(4) : 1 + rnd_below(24);
	if (op->pgsize >= SZ_1G)
		op->pgcount = 1 + rnd_below(2);
	/* keep the tables small enough to compare whole after every op */
	if (crun(c, op->pgsize) &&
	    op->pgcount * (op->pgsize / cbase(c, op->pgsize)) > 512)
		op->pgcount = 1 + rnd_below(4);
	len = op->pgsize * op->pgcount;
	op->kind = OP_MAP;
	op->prot = cpick_prot();
	op->paddr = rnd() & omask & ~((u64)op->pgsize - 1) & ~(len - 1);
	if (op->paddr + len - 1 > omask)
		op->paddr = 0;
	*overlap = c->next && chance(6);
	for (int tries = 0; tries < 8; tries++) {
		u64 iova;

		if (*overlap) {
			const struct cext *e = &c->ext[rnd_below(c->next)];

			iova = (e->iova + rnd_below(e->len)) &
			       ~((u64)op->pgsize - 1);
			if (chance(50) && iova >= op->pgsize)
				iova -= op->pgsize * rnd_below(op->pgcount);
		} else if (c->next && chance(40)) {
			/* next to what is mapped: before or after an extent */
			const struct cext *e = &c->ext[rnd_below(c->next)];

			iova = chance(50) ? e->iova + e->len : e->iova - len;
			iova &= ~((u64)op->pgsize - 1);
		} else {
			iova = c->anchors[rnd_below(ARRAY_SIZE(c->anchors))] +
			       rnd_below(64) * op->pgsize;
		}
		iova &= c->top - 1;
		if (iova + len > c->top)
			continue;
		if (cfree(c, iova, len) == !*overlap) {
			op->iova = iova | c->hi;
			return true;
		}
	}
	return false;
}

/* An unmap of a mapped range only: whole runs, part of runs, across edges. */
static bool cgen_unmap(struct contig *c, struct op *op)
{
	const struct cext *e;
	u64 u, iova, avail, base, n;

	if (!c->next)
		return false;
	e = &c->ext[rnd_below(c->next)];
	base = crun(c, e->pgsize) ? cbase(c, e->pgsize) : e->pgsize;
	op->kind = OP_UNMAP;
	op->gather = rnd_below(3);
	switch (rnd_below(6)) {
	case 0:	/* whole runs, or the extent in its size */
		u = e->pgsize;
		iova = e->iova + rnd_below(e->len / u) * u;
		n = chance(70) ? 1 : 1 + rnd_below(e->len / u);
		break;
	case 1: /* a single page of the size the run is made of */
		u = base;
		iova = e->iova + rnd_below(e->len / u) * u;
		n = 1;
		break;
	case 2: /* across the end of the extent (into a neighbour, if any) */
		u = base;
		iova = e->iova + e->len - u * (1 + rnd_below(min_t(u64, e->len / u, 8)));
		n = 2 + rnd_below(40);
		break;
	case 3: /* across its start, from a neighbour */
		u = base;
		iova = e->iova >= 8 * u ? e->iova - u * (1 + rnd_below(8)) : e->iova;
		n = 2 + rnd_below(40);
		break;
	case 4: /* a smaller size than the extent's: part of a block */
		u = cpick_size(c, c->bitmap & (e->pgsize - 1) & ~c->runs);
		if (!u)
			u = base;
		iova = e->iova + rnd_below(e->len / u) * u;
		n = 1 + rnd_below(chance(50) ? 4 : 64);
		break;
	default: /* a run size over what the run is made of */
		u = e->pgsize;
		if (!crun(c, u)) {
			unsigned long r = c->runs;

			while (r && cbase(c, r & -r) != e->pgsize)
				r &= r - 1;
			if (r)
				u = r & -r;
		}
		iova = (e->iova + rnd_below(e->len)) & ~(u - 1);
		n = 1 + rnd_below(3);
	}
	if (!cfind(c, iova) || (iova & (u - 1)))
		return false;
	avail = cmapped(c, iova, u * n);
	n = avail / u;
	if (!n)
		return false;
	op->iova = iova | c->hi;
	op->pgsize = u;
	op->pgcount = n;
	return true;
}

static void cgen(struct contig *c, struct op *op, bool *overlap)
{
	unsigned int r = rnd_below(100);

	memset(op, 0, sizeof(*op));
	*overlap = false;
	if (r < 45 && cgen_map(c, op, overlap))
		return;
	*overlap = false;
	memset(op, 0, sizeof(*op));
	if (r < 85 && cgen_unmap(c, op))
		return;
	memset(op, 0, sizeof(*op));
	op->kind = OP_IOVA_TO_PHYS;
	if (c->next && chance(80)) {
		const struct cext *e = &c->ext[rnd_below(c->next)];

		op->iova = e->iova + (rnd_below(e->len) & ~7ULL);
	} else {
		op->iova = c->anchors[rnd_below(ARRAY_SIZE(c->anchors))] +
			   (rnd_below(SZ_64M) & ~7ULL);
	}
	op->iova = (op->iova & (c->top - 1)) | c->hi;
}

#define CFAIL(...) do { snprintf(why, len, __VA_ARGS__); return false; } while (0)

/* One operation on both; false (with @why) on a failure. */
static bool contig_op(struct contig *c, const struct op *op, bool overlap,
		      char *why, size_t len)
{
	struct side *so = &c->p.s[OURS], *su = &c->p.s[UP];
	struct result ra, rb;
	struct op up = *op;
	u64 a = op->iova & (c->top - 1), total = (u64)op->pgsize * op->pgcount;
	u64 broken = 0, whole = 0, whole_entries = 0, base;
	long live_a = so->live, live_b = su->live;
	bool only_whole = false, tables;
	char s[160];

	base = crun(c, op->pgsize) ? cbase(c, op->pgsize) : 0;
	if (base) {
		up.pgsize = base;
		up.pgcount = total / base;
	}
	if (op->kind == OP_UNMAP)
		cruns(c, a, a + total, &broken, &whole, &whole_entries,
		      &only_whole);
	so->op = op->kind == OP_UNMAP ? op : NULL;
	so->npts = 0;
	so->bbm_err[0] = 0;
	exec_op(so, op, &ra);
	so->op = NULL;
	fmt_op(s, sizeof(s), op);
	if (c->trace) {
		char r[256];

		fmt_result(r, sizeof(r), op, &ra);
		printf("  ours %s%s: %s\n", s, overlap ? " (overlap, ours only)" : "", r);
	}
	if (ra.err[0])
		CFAIL("%s: %s", s, ra.err);
	if (so->bbm_err[0])
		CFAIL("%s: %s", s, so->bbm_err);
	if (overlap) {
		cstats[cur_format].overlaps++;
		if (ra.ret != -EEXIST || ra.bytes || ra.tlb.walk || ra.tlb.page ||
		    ra.tlb.all || so->live != live_a)
			CFAIL("%s over a mapping: ret %d, %#zx mapped, tlb walk %lu page %lu all %lu, %ld table(s) (must be -EEXIST and change nothing)",
			      s, ra.ret, ra.bytes, ra.tlb.walk, ra.tlb.page,
			      ra.tlb.all, so->live - live_a);
		return true;
	}
	exec_op(su, &up, &rb);
	if (c->trace) {
		char r[256], u[160];

		fmt_op(u, sizeof(u), &up);
		fmt_result(r, sizeof(r), &up, &rb);
		printf("  6.12 %s: %s\n", u, r);
	}
	if (op->kind == OP_IOVA_TO_PHYS) {
		if (ra.phys != rb.phys)
			CFAIL("%s: ours %#llx, 6.12 %#llx", s,
			      (unsigned long long)ra.phys,
			      (unsigned long long)rb.phys);
		return true;
	}
	if (ra.ret != rb.ret || ra.bytes != rb.bytes)
		CFAIL("%s: ours ret %d %#zx, 6.12 ret %d %#zx", s, ra.ret,
		      ra.bytes, rb.ret, rb.bytes);
	if (op->kind == OP_MAP && ra.ret)
		CFAIL("%s into a free range: ret %d", s, ra.ret);
	if (op->kind == OP_UNMAP && ra.bytes != total)
		CFAIL("%s of a mapped range unmapped %#zx", s, ra.bytes);
	if (op->kind == OP_MAP) {
		cadd(c, a, total, op->paddr, op->pgsize, op->prot);
		if (base)
			cstats[cur_format].maps_run++;
	} else {
		cremove(c, a, a + total);
		if (whole)
			cstats[cur_format].unmaps_run_whole++;
		if (broken)
			cstats[cur_format].unmaps_run_part++;
		cstats[cur_format].breaks += broken;
	}

	/* the callbacks: exactly, but for the hint, when no table came or went */
	tables = ra.tables_new || rb.tables_new || so->live != live_a ||
		 su->live != live_b;
	if (tables) {
		cstats[cur_format].cb_tables++;
		return true;
	}
	cstats[cur_format].cb_exact++;
	if (ra.tlb.all != rb.tlb.all || ra.tlb.page_null != rb.tlb.page_null ||
	    ra.page_bytes != rb.page_bytes)
		CFAIL("%s: tlb ours all %lu page(NULL) %lu add_page bytes %#llx, 6.12 %lu %lu %#llx",
		      s, ra.tlb.all, ra.tlb.page_null,
		      (unsigned long long)ra.page_bytes, rb.tlb.all,
		      rb.tlb.page_null, (unsigned long long)rb.page_bytes);
	if (ra.tlb.walk != rb.tlb.walk + broken)
		CFAIL("%s: ours %lu tlb_flush_walk, 6.12 %lu, runs broken %llu",
		      s, ra.tlb.walk, rb.tlb.walk, (unsigned long long)broken);
	if (broken)
		stats[cur_format].dev[DEV_CONTIG_BREAK]++;
	if (op->kind == OP_UNMAP && op->gather == G_REAL) {
		/*
		 * One tlb_add_page per whole run when the entries cleared
		 * together are whole runs; per entry (as 6.12) otherwise
		 */
		unsigned long lo = rb.tlb.page - (whole_entries - whole);

		if (ra.tlb.page > rb.tlb.page || ra.tlb.page < lo ||
		    (only_whole && ra.tlb.page != lo))
			CFAIL("%s: ours %lu tlb_add_page, 6.12 %lu; %llu whole run(s) of %llu entries in all%s",
			      s, ra.tlb.page, rb.tlb.page,
			      (unsigned long long)whole,
			      (unsigned long long)whole_entries,
			      only_whole ? ", nothing else" : "");
		if (ra.tlb.page < rb.tlb.page)
			stats[cur_format].dev[DEV_CONTIG_ADD_PAGE]++;
	} else if (ra.tlb.page != rb.tlb.page) {
		CFAIL("%s: ours %lu tlb_add_page, 6.12 %lu", s, ra.tlb.page,
		      rb.tlb.page);
	}
	return true;
}

/*
 * After every map and unmap, cheaply: every entry of the runs at the
 * edges of [@a, @b), at each run size, in ours (the CPU's view) is
 * consistent for the walker and carries the hint exactly as the model
 * says. The whole tables are compared less often (contig_seq()).
 */
static bool contig_check_edges(struct contig *c, u64 a, u64 b, char *why,
			       size_t len)
{
	const u64 pts[4] = { a - 1, a, b - 1, b };
	struct side so = c->p.s[OURS];
	unsigned long r = c->runs;

	so.ref.read = NULL;
	while (r) {
		u64 R = r & -r, base = cbase(c, R);

		r &= r - 1;
		for (int k = 0; k < 4; k++) {
			u64 s0 = pts[k] & (c->top - 1) & ~(R - 1);

			if (k && s0 == (pts[k - 1] & (c->top - 1) & ~(R - 1)))
				continue;
			for (u64 x = s0; x < s0 + R; x += base) {
				struct nleaf l;
				struct cext *e;
				char sl[256];

				walk(&so, so.fmt, x | c->hi, &l);
				if (!l.valid && !l.malformed)
					continue;
				e = cfind(c, x);
				if (l.malformed || !e || l.cont != crun(c, e->pgsize)) {
					fmt_leaf(sl, sizeof(sl), &l);
					snprintf(why, len, "ours: at %#llx (a run's entry next to the range): %s%s",
						 (unsigned long long)(x | c->hi),
						 l.malformed ? "inconsistent contiguous run, " :
						 !e ? "mapped, the model has nothing, " :
						 l.cont ? "the hint where the model has none, " :
						 "no hint where the model has a whole run, ",
						 sl);
					return false;
				}
			}
		}
	}
	return true;
}

static const unsigned long contig_quirks_s1[] = {
	0, Q(ARM_NS), Q(ARM_TTBR1), Q(ARM_HD), Q(ARM_OUTER_WBWA), Q(ARM_BBML2),
};
static const unsigned long contig_quirks_s2[] = { 0, Q(ARM_BBML2) };
static const unsigned int contig_ias[] = { 32, 36, 39, 40, 42, 44, 48 };

/*
 * An operation that does not return (ours retrying a run it cannot make
 * plain, say) is a failure too: an alarm per operation names it.
 */
#define CONTIG_OP_SECONDS	60
static char contig_now[384];

static void contig_alarm(int sig)
{
	static const char tail[] = " did not return in "
				   __stringify(CONTIG_OP_SECONDS)
				   " s\n0 passed, 1 failed\n";

	if (write(fileno(out), contig_now, strlen(contig_now)) < 0 ||
	    write(fileno(out), tail, sizeof(tail) - 1) < 0)
		_exit(3);
	_exit(1);
}

/* One sequence of the contig mode; false on a failure (printed). */
static bool contig_seq(unsigned int fi, u64 seed, u64 seq, bool trace)
{
	enum io_pgtable_fmt fmt = formats[fi].fmt;
	bool s1 = is_s1(fmt), lpae64 = fmt == ARM_64_LPAE_S1 || fmt == ARM_64_LPAE_S2;
	static const unsigned long bms[] = { B4K, B16K, B64K };
	struct cstats *cs = &cstats[fi];
	struct contig *c;
	struct cfgspec spec = { .fmt = fmt };
	size_t live0 = shim_live_allocs();
	unsigned int n, i;
	char why[512] = "", sp[160];
	struct op op;
	bool ok = true, overlap;

	c = calloc(1, sizeof(*c));
	if (!c)
		abort();
	c->trace = trace;
	rs = seq_seed(seed, fi, seq) ^ 0xc0e71c0e71ull;
	spec.bitmap = lpae64 ? bms[rnd_below(3)] : B4K;
	spec.ias = contig_ias[rnd_below(ARRAY_SIZE(contig_ias))];
	if (!lpae64)
		spec.ias = min(spec.ias, s1 ? 32U : 40U);
	spec.oas = lpae64 ? (chance(50) ? 48 : 40) : 40;
	spec.quirks = s1 ? contig_quirks_s1[rnd_below(ARRAY_SIZE(contig_quirks_s1))] :
			   contig_quirks_s2[rnd_below(ARRAY_SIZE(contig_quirks_s2))];
	if (!lpae64)
		spec.quirks &= ~Q(ARM_HD);
	spec.coherent = chance(50);
	fmt_spec(sp, sizeof(sp), &spec);
	cs->seqs++;
	if (!contig_alloc(c, &spec)) {
		pair_free(&c->p);
		free(c);
		return true;	/* a configuration one of them refuses */
	}
	cs->cfgs++;
	if (!contig_cfg_ok(c, why, sizeof(why))) {
		ok = false;
		i = 0;
		goto out;
	}
	if (c->runs)
		stats[fi].dev[DEV_CONTIG_PGSIZE]++;
	for (i = 0; i < ARRAY_SIZE(c->anchors); i++) {
		u64 big = 1ULL << __fls(c->bitmap);

		c->anchors[i] = i == 0 ? 0 : i == 1 ? c->top - 8 * big :
				rnd_below(c->top);
		c->anchors[i] &= (c->top - 1) & ~(big - 1);
	}
	if (trace)
		printf("# contig %s sequence %llu: %s, bitmap ours %#lx 6.12 %#lx\n",
		       formats[fi].name, (unsigned long long)seq, sp, c->bitmap,
		       c->p.s[UP].cfg.pgsize_bitmap);
	n = 1 + rnd_below(CONTIG_SEQ);
	for (i = 0; i < n && ok; i++) {
		cgen(c, &op, &overlap);
		cs->ops++;
		{
			char o[160];

			fmt_op(o, sizeof(o), &op);
			snprintf(contig_now, sizeof(contig_now),
				 "FAIL: contig %s, op %u of sequence %llu (replay: diff-fuzz --format %s --ops 0 --contig 1 --seed %llu --seq %llu): ours' %s",
				 sp, i, (unsigned long long)seq, formats[fi].name,
				 (unsigned long long)seed,
				 (unsigned long long)seq, o);
		}
		signal(SIGALRM, contig_alarm);
		alarm(CONTIG_OP_SECONDS);
		/*
		 * The whole tables: after each of the first 16 operations,
		 * then after one in 4 (they grow) and the last; through the
		 * walker's own view (slow) for one in 8 and the last.
		 */
		ok = contig_op(c, &op, overlap, why, sizeof(why));
		if (ok && op.kind != OP_IOVA_TO_PHYS) {
			u64 a = op.iova & (c->top - 1);

			ok = contig_check_edges(c, a, a + op.pgsize * op.pgcount,
						why, sizeof(why));
		}
		if (ok && (i < 16 || !(i & 3) || i + 1 == n))
			ok = contig_check_tables(c, i + 1 == n || !rnd_below(8),
						 why, sizeof(why));
	}
out:
	alarm(0);
	pair_free(&c->p);
	if (ok && shim_live_allocs() != live0) {
		ok = false;
		snprintf(why, sizeof(why), "%zu allocations left after free",
			 shim_live_allocs() - live0);
	}
	if (!ok) {
		cs->failures++;
		stats[fi].failures++;
		if (failures_shown++ < max_failures_shown) {
			printf("FAIL: contig %s, at op %u of sequence %llu: %s\n",
			       sp, i ? i - 1 : 0, (unsigned long long)seq, why);
			printf("    replay: diff-fuzz --format %s --ops 0 --contig 1 --seed %llu --seq %llu\n",
			       formats[fi].name, (unsigned long long)seed,
			       (unsigned long long)seq);
		}
	}
	free(c);
	return ok;
}

static void contig_run(unsigned int fi, u64 seed, u64 replay)
{
	if (!contig_fmt(formats[fi].fmt))
		return;
	if (replay != ~0ULL) {
		contig_seq(fi, seed, replay, true);
		return;
	}
	for (u64 seq = 0; cstats[fi].ops < contig_ops; seq++)
		contig_seq(fi, seed, seq, false);
}

static void contig_summary(unsigned int fi)
{
	const struct cstats *cs = &cstats[fi];

	if (!cs->seqs)
		return;
	printf("#     contig: %llu ops in %llu sequences (%llu configurations); %llu maps of runs, %llu unmaps of whole runs, %llu of part of runs (%llu runs broken), %llu overlapping maps (ours alone); callbacks compared exactly in %llu ops, %llu with tables allocated or freed; %llu failures\n",
	       (unsigned long long)cs->ops, (unsigned long long)cs->seqs,
	       (unsigned long long)cs->cfgs, (unsigned long long)cs->maps_run,
	       (unsigned long long)cs->unmaps_run_whole,
	       (unsigned long long)cs->unmaps_run_part,
	       (unsigned long long)cs->breaks,
	       (unsigned long long)cs->overlaps,
	       (unsigned long long)cs->cb_exact,
	       (unsigned long long)cs->cb_tables,
	       (unsigned long long)cs->failures);
}

static void usage(void)
{
	fprintf(stdout, "usage: diff-fuzz [--format NAME|all] [--ops N] [--seed S] [--seq N] [--verbose]\n"
	       "  --ops N      operations per format (default 100000)\n"
	       "  --seed S     base seed (default 1)\n"
	       "  --seq N      replay sequence N of --seed (with --format), verbosely\n"
	       "  --max-fail N print at most N failures (default 5)\n"
	       "  --match STR  show only failures whose description contains STR\n"
	       "  --shim-log F the shim's messages (default /dev/null)\n"
	       "  --pending    count the differences the lead is fixing (NULL-gather\n"
	       "               tlb_add_page, Mali bits, ias/oas/quirk checks) apart\n"
	       "  --rsv P      LPAE: P%% of the sequences (default 25) count, reserve\n"
	       "               and attach a reservation for most of their requests\n"
	       "  --reclaim    the LPAE stage 1 and 2 formats only, ours with\n"
	       "               IO_PGTABLE_QUIRK_ARM_RECLAIM, operations page by page\n"
	       "               on a few tables (RECLAIM; see README.md)\n"
	       "  --list       the deviations we decided on\n"
	       "  --contig N   then N operations per LPAE stage-1/2 format of ours with\n"
	       "               IO_PGTABLE_QUIRK_ARM_CONTIG against 6.12 without it (with\n"
	       "               --ops 0: no sweep, the contig mode alone; with --seq:\n"
	       "               replay contig sequence N)\n");
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "format", 1, NULL, 'f' }, { "ops", 1, NULL, 'n' },
		{ "seed", 1, NULL, 's' }, { "seq", 1, NULL, 'q' },
		{ "verbose", 0, NULL, 'v' }, { "max-fail", 1, NULL, 'm' },
		{ "list", 0, NULL, 'l' }, { "match", 1, NULL, 'M' },
		{ "shim-log", 1, NULL, 'L' }, { "pending", 0, NULL, 'P' },
		{ "rsv", 1, NULL, 'R' }, { "reclaim", 0, NULL, 'C' },
		{ "help", 0, NULL, 'h' }, { "contig", 1, NULL, 'K' }, {}
	};
	const char *fsel = "all", *shim_log = "/dev/null";
	u64 nops = 100000, seed = 1, replay = ~0ULL;
	unsigned int passed = 0, failed = 0, cfg_passed = 0, cfg_failed = 0;
	struct timespec t0, t1;
	int ch;

	while ((ch = getopt_long(argc, argv, "f:n:s:q:vm:lhM:L:PR:CK:", lo, NULL)) != -1) {
		switch (ch) {
		case 'f':
			fsel = optarg;
			break;
		case 'n':
			nops = strtoull(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'q':
			replay = strtoull(optarg, NULL, 0);
			verbose = true;
			trace = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'M':
			match = optarg;
			break;
		case 'L':
			shim_log = optarg;
			break;
		case 'P':
			pending_ok = true;
			break;
		case 'R':
			rsv_percent = strtoul(optarg, NULL, 0);
			break;
		case 'C':
			reclaim_mode = true;
			break;
		case 'K':
			contig_ops = strtoull(optarg, NULL, 0);
			break;
		case 'm':
			max_failures_shown = strtoul(optarg, NULL, 0);
			break;
		case 'l':
			for (int i = 0; i < NR_DEVS; i++)
				fprintf(stdout, "%-22s %s\n%-22s   why: %s\n",
				       deviations[i].id, deviations[i].summary,
				       "", deviations[i].reason);
			return 0;
		default:
			usage();
			return ch == 'h' ? 0 : 2;
		}
	}

	out = fdopen(dup(1), "w");
	if (!out || !freopen(shim_log, "w", stdout)) {
		perror("diff-fuzz: output");
		return 2;
	}
	setvbuf(out, NULL, _IOLBF, 0);
	shim_warn_quiet(true);
	walker_dev = shim_device_create("diff-fuzz-walker");
	clock_gettime(CLOCK_MONOTONIC, &t0);

	for (unsigned int fi = 0; fi < NR_FORMATS; fi++) {
		struct cfglist fz = {};
		struct fstats *st = &stats[fi];
		u64 seq = 0;

		if (strcmp(fsel, "all") && strcmp(fsel, formats[fi].name))
			continue;
		/* the quirk is stage 1 and 2's (not Mali's, not v7s') */
		if (reclaim_mode && !is_s1(formats[fi].fmt) &&
		    !is_s2(formats[fi].fmt))
			continue;
		cur_format = fi;
		if (contig_ops && (!nops || replay != ~0ULL)) {
			/* the contig mode alone, or its replay */
			contig_run(fi, seed, replay);
			continue;
		}
		sweep(formats[fi].fmt, &fz);
		st->fuzz_cfgs = fz.n;
		if (replay != ~0ULL) {
			size_t ci;

			max_failures_shown = ~0U;
			memset(dev_shown, 0, sizeof(dev_shown));
			one_seq(&fz, fi, seed, replay, &ci);
			free(fz.v);
			free(fz.failed);
			continue;
		}
		while (fz.n && st->ops < nops) {
			size_t ci;

			if (!one_seq(&fz, fi, seed, seq, &ci))
				fz.failed[ci] = true;
			seq++;
		}
		for (size_t i = 0; i < fz.n; i++)
			st->cfgs_failed += fz.failed[i];
		free(fz.v);
		free(fz.failed);
		if (contig_ops)
			contig_run(fi, seed, replay);
	}

	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("# %-16s %12s %8s %7s %7s %8s %8s\n", "format", "ops", "seqs",
	       "configs", "fuzzed", "failures", "cfg-fail");
	for (unsigned int fi = 0; fi < NR_FORMATS; fi++) {
		struct fstats *st = &stats[fi];

		if (!st->cfgs && !cstats[fi].seqs)
			continue;
		printf("# %-16s %12llu %8llu %7llu %7llu %8llu %8llu\n",
		       formats[fi].name, (unsigned long long)st->ops,
		       (unsigned long long)st->seqs,
		       (unsigned long long)st->cfgs,
		       (unsigned long long)st->fuzz_cfgs,
		       (unsigned long long)st->failures,
		       (unsigned long long)st->cfgs_failed);
		if (st->pending)
			printf("#     pending (--pending)            %llu\n",
			       (unsigned long long)st->pending);
		if (splits[fi].ops)
			printf("#     splits: %llu unmaps allocated tables on either side; the first call returned more than 6.12's in %llu, less in %llu (the total is compared)\n",
			       (unsigned long long)splits[fi].ops,
			       (unsigned long long)splits[fi].first_more,
			       (unsigned long long)splits[fi].first_less);
		if (rstats[fi].ops) {
			const struct rsvstats *rv = &rstats[fi];

			printf("#     reservation: %llu requests, %llu refused by the count; tables counted %llu (WORST %llu), taken %llu, returned %llu; exact %llu, fewer %llu (the request did less)\n",
			       (unsigned long long)rv->ops,
			       (unsigned long long)rv->refused,
			       (unsigned long long)rv->counted,
			       (unsigned long long)rv->worst,
			       (unsigned long long)rv->taken,
			       (unsigned long long)rv->returned,
			       (unsigned long long)rv->exact,
			       (unsigned long long)rv->fewer);
		}
		if (reclaim_mode) {
			const struct rclstats *rc = &rcl[fi];

			printf("#     reclaim: %llu unmaps reclaimed %llu tables; %llu block maps met a table 6.12 alone kept; %llu NULL-gather unmaps left empty tables; checked after %llu ops, ours held fewer tables than 6.12 after %llu; %llu sequences unmapped whole down to the top table (%llu tables went)\n",
			       (unsigned long long)rc->unmaps,
			       (unsigned long long)rc->tables,
			       (unsigned long long)rc->maps,
			       (unsigned long long)rc->null_unmaps,
			       (unsigned long long)rc->checked,
			       (unsigned long long)rc->fewer,
			       (unsigned long long)rc->drained,
			       (unsigned long long)rc->drain_tables);
		}
		contig_summary(fi);
		for (int d = 0; d < NR_DEVS; d++)
			if (st->dev[d])
				printf("#     deviation %-22s %llu\n",
				       deviations[d].id,
				       (unsigned long long)st->dev[d]);
		cfg_passed += st->cfgs - st->cfgs_failed;
		cfg_failed += st->cfgs_failed;
		if (st->failures)
			failed++;
		else
			passed++;
	}
	printf("# configurations: %u clean, %u failed\n", cfg_passed, cfg_failed);
	for (unsigned int i = 0; i < nkinds; i++)
		printf("# failures %8llu  %s\n", (unsigned long long)kinds[i].count,
		       kinds[i].key);
	printf("# seed %llu, %.1f s, %lu WARNs (counted, not fatal)\n",
	       (unsigned long long)seed,
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
	       shim_warn_count());
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
