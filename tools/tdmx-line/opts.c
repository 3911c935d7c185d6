// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Option parsing shared by the subcommands: modes, numbers, "TS:FILE"
 * arguments, timeslot ranges, and the one-line error messages.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "e1.h"
#include "t1.h"
#include "line.h"

static const struct line_mode modes[] = {
	{ "e1-unframed", LINE_E1, TDMX_E1_UNFRAMED, TDMX_E1_FRAME_BITS, TDMX_E1_BITS_PER_SECOND },
	{ "e1", LINE_E1, TDMX_E1_DOUBLEFRAME, TDMX_E1_FRAME_BITS, TDMX_E1_BITS_PER_SECOND },
	{ "e1-crc4", LINE_E1, TDMX_E1_CRC4, TDMX_E1_FRAME_BITS, TDMX_E1_BITS_PER_SECOND },
	{ "t1-d4", LINE_T1, TDMX_T1_D4, TDMX_T1_FRAME_BITS, TDMX_T1_BITS_PER_SECOND },
	{ "t1-esf", LINE_T1, TDMX_T1_ESF, TDMX_T1_FRAME_BITS, TDMX_T1_BITS_PER_SECOND },
};

#define N_MODES (sizeof(modes) / sizeof(modes[0]))

static void vmsg(const char *prefix, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "tdmx-line: %s", prefix);
	vfprintf(stderr, fmt, ap);
}

/**
 * line_err() - print "tdmx-line: <message>" on stderr
 * @fmt: printf format of the message, without a newline
 *
 * Return: -EINVAL, so that callers can write "return line_err(...)".
 */
int line_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -EINVAL;
}

/**
 * line_errno() - like line_err(), with ": <strerror(err)>" appended
 * @err: positive errno value
 * @fmt: printf format of the message
 *
 * Return: -@err.
 */
int line_errno(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(err));
	return -err;
}

/**
 * line_warn() - print "tdmx-line: warning: <message>" on stderr
 * @fmt: printf format of the message
 */
void line_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/**
 * line_io_errno() - the errno of a failed stdio call
 *
 * Return: errno, or EIO when the failure left it at 0.
 */
int line_io_errno(void)
{
	return errno ? errno : EIO;
}

/**
 * line_fopen_in() - open an input file, refusing directories
 * @path: file name
 * @f: set to the open stream
 *
 * Return: 0 or a negative errno (message printed).
 */
int line_fopen_in(const char *path, FILE **f)
{
	struct stat st;

	*f = fopen(path, "rb");
	if (!*f)
		return line_errno(errno, "%s", path);
	if (!fstat(fileno(*f), &st) && S_ISDIR(st.st_mode)) {
		fclose(*f);
		*f = NULL;
		return line_errno(EISDIR, "%s", path);
	}
	return 0;
}

/**
 * line_exit_status() - the process exit status for a subcommand's result
 * @ret: 0 or a negative errno
 *
 * Return: 0, LINE_EXIT_IO for I/O errors (an output could not be written, memory
 * ran out), LINE_EXIT_USAGE for everything else: bad options, unreadable
 * or malformed input.
 */
int line_exit_status(int ret)
{
	switch (ret) {
	case 0:
		return LINE_EXIT_OK;
	case -EIO:
	case -ENOSPC:
	case -EPIPE:
	case -ENOMEM:
	case -EFBIG:
	case -EDQUOT:
		return LINE_EXIT_IO;
	default:
		return LINE_EXIT_USAGE;
	}
}

/**
 * line_parse_mode() - look up a --mode value
 * @s: the value
 * @mode: set to the table entry
 *
 * Return: 0, or -EINVAL after a message naming the valid modes.
 */
int line_parse_mode(const char *s, const struct line_mode **mode)
{
	size_t i;

	for (i = 0; i < N_MODES; i++) {
		if (!strcmp(s, modes[i].name)) {
			*mode = &modes[i];
			return 0;
		}
	}
	return line_err("unknown mode '%s' (expected one of: %s)", s, line_mode_names());
}

/**
 * line_mode_names() - the valid --mode values, for messages and usage
 *
 * Return: a static string.
 */
const char *line_mode_names(void)
{
	return "e1-unframed e1 e1-crc4 t1-d4 t1-esf";
}

/**
 * line_parse_u64() - parse a decimal number within [@min, @max]
 * @opt: option name for the message, e.g. "--frames"
 * @s: the text
 * @min: smallest accepted value
 * @max: largest accepted value
 * @v: result
 *
 * Return: 0 or -EINVAL (message printed).
 */
int line_parse_u64(const char *opt, const char *s, u64 min, u64 max, u64 *v)
{
	unsigned long long n;
	char *end;

	if (*s < '0' || *s > '9')
		return line_err("%s: '%s' is not a number", opt, s);
	errno = 0;
	n = strtoull(s, &end, 10);
	if (*end)
		return line_err("%s: '%s' is not a number", opt, s);
	if (errno == ERANGE || n < min || n > max)
		return line_err("%s: %s is out of range (%llu..%llu)", opt, s,
				(unsigned long long)min, (unsigned long long)max);
	*v = n;
	return 0;
}

/**
 * line_parse_hex() - parse a hexadecimal number (optional 0x) up to @max
 * @opt: option name for the message
 * @s: the text
 * @max: largest accepted value
 * @v: result
 *
 * Return: 0 or -EINVAL (message printed).
 */
int line_parse_hex(const char *opt, const char *s, unsigned int max, unsigned int *v)
{
	unsigned long n;
	const char *p = s;
	char *end;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	if (!strchr("0123456789abcdefABCDEF", *p) || !*p)
		return line_err("%s: '%s' is not a hexadecimal number", opt, s);
	errno = 0;
	n = strtoul(p, &end, 16);
	if (*end)
		return line_err("%s: '%s' is not a hexadecimal number", opt, s);
	if (errno == ERANGE || n > max)
		return line_err("%s: %s is out of range (0..0x%X)", opt, s, max);
	*v = n;
	return 0;
}

/**
 * line_parse_hdlc_rate() - parse --hdlc-rate: 56 or 64 (kbit/s)
 * @s: the text
 * @rate: result
 *
 * Return: 0 or -EINVAL (message printed).
 */
int line_parse_hdlc_rate(const char *s, unsigned int *rate)
{
	if (!strcmp(s, "56"))
		*rate = 56;
	else if (!strcmp(s, "64"))
		*rate = 64;
	else
		return line_err("--hdlc-rate: '%s' must be 56 or 64 (kbit/s)", s);
	return 0;
}

/**
 * line_hdlc_bits56() - whether the HDLC channels of a run use 7 bits per octet
 * @m: the line mode
 * @cas: robbed-bit signalling (T1) is on
 * @rate: --hdlc-rate, 0 when not given
 * @bits56: result
 *
 * The default is the mode's usual D channel: 64 kbit/s on E1, 56 kbit/s on
 * T1 (AMI lines and robbed-bit signalling take bit 8, T1.403 / GR-499).
 * 64 kbit/s on T1 is a clear channel (B8ZS), which robbed bits would corrupt.
 *
 * Return: 0 or -EINVAL (message printed).
 */
int line_hdlc_bits56(const struct line_mode *m, bool cas, unsigned int rate, bool *bits56)
{
	if (!rate)
		rate = m->kind == LINE_T1 ? 56 : 64;
	if (rate == 64 && m->kind == LINE_T1 && cas)
		return line_err("--hdlc-rate 64: a T1 clear channel cannot carry robbed-bit signalling (drop --cas)");
	*bits56 = rate == 56;
	return 0;
}

/**
 * line_split_ts() - split "N:REST" into a timeslot number and the rest
 * @opt: option name for the message
 * @arg: the option's value
 * @ts: the number (range checked later, when the mode is known)
 * @rest: points into @arg just after the colon; never empty
 *
 * Return: 0 or -EINVAL (message printed).
 */
int line_split_ts(const char *opt, const char *arg, unsigned int *ts, const char **rest)
{
	const char *colon = strchr(arg, ':');
	char num[16];
	u64 v;
	int ret;

	if (!colon || colon == arg || !colon[1])
		return line_err("%s: expected TS:VALUE, got '%s'", opt, arg);
	if ((size_t)(colon - arg) >= sizeof(num))
		return line_err("%s: timeslot '%.*s' is out of range", opt,
				(int)(colon - arg), arg);
	memcpy(num, arg, colon - arg);
	num[colon - arg] = 0;
	ret = line_parse_u64(opt, num, 0, 255, &v);
	if (ret)
		return ret;
	*ts = v;
	*rest = colon + 1;
	return 0;
}

/**
 * line_check_ts() - is @ts a timeslot that can carry traffic in this mode?
 * @m: the mode
 * @cas: TS16 carries CAS (E1) and may not carry payload
 * @opt: option name for the message
 * @ts: E1 timeslot 0-31 or T1 channel 1-24
 * @payload_only: reject the timeslots the framer overwrites (TS0 of a
 *	framed E1, TS16 with CAS); otherwise any timeslot of the frame is
 *	accepted (for reading what was received)
 *
 * Return: 0 or -EINVAL (message printed).
 */
int line_check_ts(const struct line_mode *m, bool cas, const char *opt,
		  unsigned int ts, bool payload_only)
{
	if (m->kind == LINE_T1) {
		if (ts < 1 || ts > TDMX_T1_CHANNELS)
			return line_err("%s: channel %u is out of range for %s (1..24)",
					opt, ts, m->name);
		return 0;
	}
	if (ts >= TDMX_E1_TS)
		return line_err("%s: timeslot %u is out of range for %s (0..31)",
				opt, ts, m->name);
	if (!payload_only)
		return 0;
	if (ts == 0 && m->framing != TDMX_E1_UNFRAMED)
		return line_err("%s: timeslot 0 carries the frame alignment in %s",
				opt, m->name);
	if (ts == 16 && cas)
		return line_err("%s: timeslot 16 carries CAS with --cas", opt);
	return 0;
}

/**
 * line_getopt_fail() - report what getopt_long() rejected
 * @cmd: subcommand name
 * @c: getopt_long()'s return value ('?' or ':')
 * @argc: argument count getopt_long() scanned
 * @argv: argument vector getopt_long() scanned
 * @opts: the long options (long-only options have values >= 256)
 *
 * getopt_long() runs with opterr = 0 and a leading ':' in the option
 * string, so that every message has our "tdmx-line: " prefix.
 *
 * Return: -EINVAL.
 */
int line_getopt_fail(const char *cmd, int c, int argc, char *const argv[],
		     const struct option *opts)
{
	const char *name = NULL;
	char shortname[3] = { '-', 0, 0 };

	for (; opts->name && optopt; opts++)
		if (opts->val == optopt && !opts->flag)
			name = opts->name;
	if (name) {
		if (c == ':')
			return line_err("%s: option '--%s' needs a value", cmd, name);
		return line_err("%s: option '--%s' takes no value", cmd, name);
	}
	if (optopt > 0 && optopt < 256) {
		shortname[1] = optopt;
		name = shortname;
	} else if (optind > 0 && optind <= argc) {
		name = argv[optind - 1];
	} else {
		name = "?";
	}
	if (c == ':')
		return line_err("%s: option '%s' needs a value", cmd, name);
	return line_err("%s: unknown option '%s' (see tdmx-line %s --help)", cmd, name, cmd);
}

/**
 * line_ends_with() - does @s end in @suffix (ASCII case-insensitive)?
 * @s: a file name
 * @suffix: e.g. ".wav"
 *
 * Return: true if it does.
 */
bool line_ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && !strcasecmp(s + ls - lx, suffix);
}
