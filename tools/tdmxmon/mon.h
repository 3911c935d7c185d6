/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tdmxmon internals: the live monitor (main.c) and --replay (replay.c). */
#ifndef TDMX_MON_H
#define TDMX_MON_H

#include <stdbool.h>

/* exit status, as tdmxctl */
enum {
	MON_EXIT_OK = 0,
	MON_EXIT_FAIL = 1,	/* socket or output error */
	MON_EXIT_USAGE = 2,	/* bad usage, or a malformed --replay line */
	MON_EXIT_NOMOD = 3,	/* no generic netlink family "tdmx" */
};

int mon_replay(const char *path, bool json);

#endif /* TDMX_MON_H */
