// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmx-line: encode, damage and decode raw E1/T1 line files with the tdmx
 * software framer (the same code the kernel module runs).
 *
 *   tdmx-line decode  --mode MODE [...] FILE|-   events as JSON lines
 *   tdmx-line encode  --mode MODE --frames N ... a valid line on stdout
 *   tdmx-line corrupt [...] [FILE|-]             the line with damage
 *
 * Exit status: 0 done, 1 an I/O error (output not written), 2 bad options
 * or bad input. See Documentation/tdmx-line.md.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "line.h"

static int cmd_help(int argc, char **argv);

struct line_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

static const struct line_cmd cmds[] = {
	{ "decode", line_cmd_decode, line_decode_usage },
	{ "encode", line_cmd_encode, line_encode_usage },
	{ "corrupt", line_cmd_corrupt, line_corrupt_usage },
	{ "help", cmd_help, "tdmx-line help [COMMAND]\n  Print this help.\n" },
};

#define N_CMDS (sizeof(cmds) / sizeof(cmds[0]))

static void usage(FILE *f)
{
	size_t i;

	fputs("Usage: tdmx-line COMMAND [OPTIONS]\n"
	      "Encode, damage and decode raw E1/T1 line files (the line's bits in\n"
	      "transmission order, first bit in the MSB of the first byte).\n\n", f);
	for (i = 0; i < N_CMDS; i++)
		fprintf(f, "%s\n", cmds[i].help);
	fputs("Exit status: 0 ok, 1 I/O error (output not written), 2 bad options or input.\n",
	      f);
}

static const struct line_cmd *find(const char *name)
{
	size_t i;

	for (i = 0; i < N_CMDS; i++)
		if (!strcmp(name, cmds[i].name))
			return &cmds[i];
	return NULL;
}

static int cmd_help(int argc, char **argv)
{
	const struct line_cmd *c;

	if (argc < 2) {
		usage(stdout);
		return 0;
	}
	c = find(argv[1]);
	if (!c)
		return line_err("help: unknown command '%s'", argv[1]);
	fputs(c->help, stdout);
	return 0;
}

int main(int argc, char **argv)
{
	static char outbuf[1 << 16];
	const struct line_cmd *c;
	int ret;

	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	if (argc < 2) {
		line_err("no command (decode, encode, corrupt; see tdmx-line --help)");
		return LINE_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return LINE_EXIT_OK;
	}
	c = find(argv[1]);
	if (!c) {
		line_err("unknown command '%s' (decode, encode, corrupt, help)", argv[1]);
		return LINE_EXIT_USAGE;
	}
	ret = c->fn(argc - 1, argv + 1);
	errno = 0;
	if ((fflush(stdout) || ferror(stdout)) && !ret)
		ret = line_errno(line_io_errno(), "stdout");
	return line_exit_status(ret);
}
