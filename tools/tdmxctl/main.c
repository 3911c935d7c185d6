// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxctl: configure tdmx spans, channels and virtual cards, inject faults,
 * read counters, over the "tdmx" generic netlink family.
 *
 *   tdmxctl [-j] [-p] OBJECT COMMAND [ARGS]
 *
 * Exit status: 0 ok, 1 the operation failed, 2 bad usage or input, 3 the
 * tdmx module is not loaded. See tdmxctl(8) and Documentation/tdmxctl.md.
 */
#include <errno.h>
#include <getopt.h>
#include <string.h>

#include "ctl.h"

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char err[CTL_ERR_LEN];
	struct ctl c = { 0 };
	struct ctl_req req;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, "+jph", opts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			c.json = true;
			break;
		case 'p':
			c.json = c.pretty = true;
			break;
		case 'h':
			ctl_usage(stdout, NULL);
			return CTL_EXIT_OK;
		default:
			fputs("Try 'tdmxctl help'.\n", stderr);
			return CTL_EXIT_USAGE;
		}
	}
	if (ctl_parse(argc - optind, argv + optind, &req, err, sizeof(err))) {
		fprintf(stderr, "tdmxctl: %s\n", err);
		if (req.cmd)
			fprintf(stderr, "Usage: tdmxctl %s\n", req.cmd->usage);
		else
			fputs("Try 'tdmxctl help'.\n", stderr);
		return CTL_EXIT_USAGE;
	}
	ret = req.cmd->run(&c, &req);
	tdmx_close(c.h);
	errno = 0;
	if ((fflush(stdout) || ferror(stdout)) && !ret) {
		fprintf(stderr, "tdmxctl: write error: %s\n", strerror(errno ? errno : EIO));
		ret = CTL_EXIT_FAIL;
	}
	return ret;
}
