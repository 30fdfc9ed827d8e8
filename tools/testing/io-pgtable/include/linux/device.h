/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace shim: a device is a name, a NUMA node, a DMA mask and whether
 * its DMA is cache-coherent.  Create one with kunit_device_register() in a
 * test, or shim_device_create() elsewhere.
 */
#ifndef _SHIM_LINUX_DEVICE_H
#define _SHIM_LINUX_DEVICE_H

#include <linux/kernel.h>
#include <linux/numa.h>
#include <linux/types.h>

struct device_driver {
	const char *name;
};

struct device {
	struct device *parent;
	const char *init_name;
	int numa_node;
	bool dma_coherent;
	u64 *dma_mask;
	u64 coherent_dma_mask;
	void *driver_data;
	const struct device_driver *driver;
	/* private: the shim's storage */
	u64 shim_dma_mask;
	char shim_name[64];
};

static inline const char *dev_name(const struct device *dev)
{
	if (!dev)
		return "(NULL device *)";
	return dev->init_name ? dev->init_name : dev->shim_name;
}

static inline int dev_to_node(struct device *dev)
{
	return dev ? dev->numa_node : NUMA_NO_NODE;
}

static inline void set_dev_node(struct device *dev, int node)
{
	dev->numa_node = node;
}

static inline void *dev_get_drvdata(const struct device *dev)
{
	return dev->driver_data;
}

static inline void dev_set_drvdata(struct device *dev, void *data)
{
	dev->driver_data = data;
}

static inline struct device *get_device(struct device *dev)
{
	return dev;
}

static inline void put_device(struct device *dev)
{
	(void)dev;
}

#define dev_printk(level, dev, fmt, ...)				\
	printk(level "%s: " fmt, dev_name(dev), ##__VA_ARGS__)
#define dev_emerg(dev, fmt, ...)	dev_printk(KERN_EMERG, dev, fmt, ##__VA_ARGS__)
#define dev_crit(dev, fmt, ...)		dev_printk(KERN_CRIT, dev, fmt, ##__VA_ARGS__)
#define dev_err(dev, fmt, ...)		dev_printk(KERN_ERR, dev, fmt, ##__VA_ARGS__)
#define dev_warn(dev, fmt, ...)		dev_printk(KERN_WARNING, dev, fmt, ##__VA_ARGS__)
#define dev_notice(dev, fmt, ...)	dev_printk(KERN_NOTICE, dev, fmt, ##__VA_ARGS__)
#define dev_info(dev, fmt, ...)		dev_printk(KERN_INFO, dev, fmt, ##__VA_ARGS__)
#define dev_dbg(dev, fmt, ...)						\
	({ if (0) dev_printk(KERN_DEBUG, dev, fmt, ##__VA_ARGS__); })
#define dev_err_ratelimited		dev_err
#define dev_warn_ratelimited		dev_warn
#define dev_err_once			dev_err
#define dev_warn_once			dev_warn
#define dev_WARN(dev, fmt, ...)		WARN(1, "%s: " fmt, dev_name(dev), ##__VA_ARGS__)
#define dev_WARN_ONCE(dev, cond, fmt, ...)				\
	WARN_ONCE(cond, "%s: " fmt, dev_name(dev), ##__VA_ARGS__)

#endif
