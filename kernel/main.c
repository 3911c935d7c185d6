// SPDX-License-Identifier: GPL-2.0-only
/*
 * tdmx: E1/T1 spans and channels over a software framer.
 *
 * Module init and exit only. The span, channel, card and netlink layers
 * arrive with their own files; today the module carries the portable
 * framer (kernel/framer/) and fills its tables at load time, before any
 * span could use them concurrently.
 */
#include <linux/module.h>

#include "framer/crc.h"

static int __init tdmx_init(void)
{
	tdmx_crc_init();
	return 0;
}

static void __exit tdmx_exit(void)
{
}

module_init(tdmx_init);
module_exit(tdmx_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("tdmx E1/T1 framer and span core");
MODULE_AUTHOR("The tdmx developers");
