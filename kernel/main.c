// SPDX-License-Identifier: GPL-2.0-only
/*
 * tdmx: E1/T1 spans and channels over a software framer.
 *
 * Module init and exit only: device numbers, the device class that names
 * the nodes /dev/tdmx/{chan,span,line}/..., and the subsystems in order.
 */
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/version.h>

#include "tdmx.h"
#include "framer/crc.h"

/* serialises configuration: cards, spans, SET commands, device opens */
DEFINE_MUTEX(tdmx_lock);
struct class *tdmx_class;
atomic_t tdmx_objects = ATOMIC_INIT(0);

static int objects_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&tdmx_objects));
}

static const struct kernel_param_ops objects_ops = {
	.get = objects_get,
};

module_param_cb(live_objects, &objects_ops, NULL, 0444);
MODULE_PARM_DESC(live_objects, "Read only: live cards, spans, rings and HDLC queues (leak check)");
dev_t tdmx_devt;

static unsigned int vcards;
module_param(vcards, uint, 0444);
MODULE_PARM_DESC(vcards, "Virtual loop cards (two E1 spans each) to create at load (default 0)");

/*
 * Device names "tdmxc<span>.<ts>", "tdmxs<span>", "tdmxl<span>" become
 * /dev/tdmx/chan/<span>/<ts>, /dev/tdmx/span/<span>, /dev/tdmx/line/<span>.
 * (The version tests keep the module building on kernels after 6.1.)
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
static char *tdmx_devnode(const struct device *dev, umode_t *mode)
#else
static char *tdmx_devnode(struct device *dev, umode_t *mode)
#endif
{
	const char *name = dev_name(dev);
	unsigned int a, b;

	if (mode)
		*mode = 0660;
	if (sscanf(name, "tdmxc%u.%u", &a, &b) == 2)
		return kasprintf(GFP_KERNEL, "tdmx/chan/%u/%u", a, b);
	if (sscanf(name, "tdmxs%u", &a) == 1)
		return kasprintf(GFP_KERNEL, "tdmx/span/%u", a);
	if (sscanf(name, "tdmxl%u", &a) == 1)
		return kasprintf(GFP_KERNEL, "tdmx/line/%u", a);
	return NULL;
}

static int create_vcards(void)
{
	struct tdmx_card *card;
	unsigned int i;
	int ret = 0;

	mutex_lock(&tdmx_lock);
	for (i = 0; i < vcards && !ret; i++)
		ret = tdmx_vcard_new(TDMX_VCARD_LOOP, TDMX_LINE_E1, &card);
	mutex_unlock(&tdmx_lock);
	return ret;
}

static int __init tdmx_init(void)
{
	int ret;

	tdmx_crc_init();
	ret = alloc_chrdev_region(&tdmx_devt, 0, TDMX_MINORS, "tdmx");
	if (ret)
		return ret;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	tdmx_class = class_create("tdmx");
#else
	tdmx_class = class_create(THIS_MODULE, "tdmx");
#endif
	if (IS_ERR(tdmx_class)) {
		ret = PTR_ERR(tdmx_class);
		goto err_region;
	}
	tdmx_class->devnode = tdmx_devnode;
	ret = tdmx_chan_init();
	if (ret)
		goto err_class;
	ret = tdmx_ring_init();
	if (ret)
		goto err_chan;
	ret = tdmx_vcard_init();
	if (ret)
		goto err_ring;
	ret = tdmx_netlink_init();
	if (ret)
		goto err_vcard;
	ret = create_vcards();
	if (ret)
		goto err_netlink;
	return 0;

err_netlink:
	tdmx_vcard_stop_all();
	tdmx_netlink_exit();
err_vcard:
	tdmx_vcard_exit();
err_ring:
	tdmx_ring_exit();
err_chan:
	tdmx_chan_exit();
err_class:
	class_destroy(tdmx_class);
err_region:
	unregister_chrdev_region(tdmx_devt, TDMX_MINORS);
	return ret;
}

static void __exit tdmx_exit(void)
{
	/* clocks first: a tick may notify over netlink */
	tdmx_vcard_stop_all();
	tdmx_netlink_exit();
	tdmx_vcard_exit();
	tdmx_ring_exit();
	tdmx_chan_exit();
	class_destroy(tdmx_class);
	unregister_chrdev_region(tdmx_devt, TDMX_MINORS);
}

module_init(tdmx_init);
module_exit(tdmx_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("tdmx E1/T1 framer, spans, channels and virtual cards");
MODULE_AUTHOR("The tdmx developers");
