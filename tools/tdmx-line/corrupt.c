// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmx-line corrupt: copy a raw line with damage, to test receivers.
 *
 * Every bit index names a bit of the input (from 0). For each input bit,
 * in this order:
 *   1. --insert: one 0 bit per --insert naming it is sent before it;
 *   2. --zeros / --ones: the bit is overwritten (the last option covering
 *      it wins);
 *   3. --flip and --ber errors invert it;
 *   4. --slip: the bit is dropped (the output shortens by one bit).
 * The output's last byte is padded with 1 bits when inserts and slips
 * leave it partial. Random errors come from xorshift64*, seeded through
 * splitmix64, with geometric gaps: the same seed gives the same errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "line.h"

#define READ_CHUNK 65536
#define OUT_CHUNK 65536

const char line_corrupt_usage[] =
	"tdmx-line corrupt [--ber X] [--seed N] [--flip BIT]... [--slip BIT]...\n"
	"                  [--insert BIT]... [--zeros START:LEN]... [--ones START:LEN]...\n"
	"                  [FILE|-]\n"
	"  Copy a raw line to stdout with damage; BIT indices count input bits from 0.\n"
	"  --ber X            random bit errors at rate X (0..1, e.g. 1e-4)\n"
	"  --seed N           seed of the random errors (default 1)\n"
	"  --flip BIT         invert that bit\n"
	"  --slip BIT         delete that bit (one-bit slip: output one bit shorter)\n"
	"  --insert BIT       insert a 0 bit before that bit (output one bit longer)\n"
	"  --zeros START:LEN  overwrite LEN bits with 0 (loss of signal)\n"
	"  --ones START:LEN   overwrite LEN bits with 1 (AIS)\n";

struct bitlist {
	u64 *v;
	size_t n;
	size_t cap;
	size_t pos;		/* first entry not yet reached */
};

struct range {
	u64 start;
	u64 end;		/* exclusive */
	u8 value;
};

struct corrupt {
	const char *input;
	double ber;
	u64 seed;
	u64 rng;
	u64 next_err;		/* input bit of the next random error */
	struct bitlist flip, slip, ins;
	struct range *ranges;
	size_t n_ranges;
	u64 next_ev;		/* first input bit that needs per-bit work */
	u32 acc;		/* output bits not yet forming a byte */
	unsigned int nacc;
	size_t olen;
	u8 out[OUT_CHUNK];
};

static int list_add(struct bitlist *l, u64 v)
{
	u64 *p;

	if (l->n == l->cap) {
		p = realloc(l->v, (l->cap * 2 + 16) * sizeof(*p));
		if (!p)
			return line_errno(ENOMEM, "corrupt");
		l->v = p;
		l->cap = l->cap * 2 + 16;
	}
	l->v[l->n++] = v;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static void list_sort(struct bitlist *l, bool unique)
{
	size_t i, n = 0;

	if (!l->n)
		return;
	qsort(l->v, l->n, sizeof(*l->v), cmp_u64);
	if (!unique)
		return;
	for (i = 0; i < l->n; i++)
		if (!n || l->v[n - 1] != l->v[i])
			l->v[n++] = l->v[i];
	l->n = n;
}

static u64 list_head(const struct bitlist *l)
{
	return l->pos < l->n ? l->v[l->pos] : UINT64_MAX;
}

/* xorshift64* (Vigna), seeded with splitmix64 */
static u64 rnd(struct corrupt *c)
{
	u64 x = c->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	c->rng = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static void rnd_seed(struct corrupt *c, u64 seed)
{
	u64 z = seed + 0x9E3779B97F4A7C15ULL;

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	c->rng = (z ^ (z >> 31)) | 1;
}

/* The next errored bit at or after @from: a geometric gap. */
static u64 next_error(struct corrupt *c, u64 from)
{
	double u, gap;

	if (c->ber <= 0)
		return UINT64_MAX;
	if (c->ber >= 1)
		return from;
	u = ((rnd(c) >> 11) + 1) * 0x1.0p-53;	/* (0, 1] */
	gap = floor(log(u) / log1p(-c->ber));
	if (gap >= (double)(UINT64_MAX - from) / 2)
		return UINT64_MAX;
	return from + (u64)gap;
}

static int flush_out(struct corrupt *c)
{
	if (c->olen && fwrite(c->out, 1, c->olen, stdout) != c->olen)
		return line_errno(line_io_errno(), "stdout");
	c->olen = 0;
	return 0;
}

static int put_bits(struct corrupt *c, unsigned int v, unsigned int n)
{
	c->acc = c->acc << n | v;
	c->nacc += n;
	if (c->nacc < 8)
		return 0;
	c->nacc -= 8;
	c->out[c->olen++] = c->acc >> c->nacc;
	c->acc &= (1u << c->nacc) - 1;
	return c->olen == OUT_CHUNK ? flush_out(c) : 0;
}

static u64 next_event(const struct corrupt *c, u64 from)
{
	u64 m = c->next_err;
	size_t i;

	if (list_head(&c->flip) < m)
		m = list_head(&c->flip);
	if (list_head(&c->slip) < m)
		m = list_head(&c->slip);
	if (list_head(&c->ins) < m)
		m = list_head(&c->ins);
	for (i = 0; i < c->n_ranges; i++)
		if (c->ranges[i].end > from && c->ranges[i].start < m)
			m = c->ranges[i].start > from ? c->ranges[i].start : from;
	return m;
}

static int damage_bit(struct corrupt *c, u64 idx, unsigned int v)
{
	size_t i;
	int ret;

	for (; list_head(&c->ins) == idx; c->ins.pos++) {
		ret = put_bits(c, 0, 1);
		if (ret)
			return ret;
	}
	for (i = 0; i < c->n_ranges; i++)
		if (idx >= c->ranges[i].start && idx < c->ranges[i].end)
			v = c->ranges[i].value;
	if (list_head(&c->flip) == idx) {
		c->flip.pos++;
		v ^= 1;
	}
	if (c->next_err == idx) {
		v ^= 1;
		c->next_err = next_error(c, idx + 1);
	}
	if (list_head(&c->slip) == idx) {
		c->slip.pos++;
		return 0;
	}
	return put_bits(c, v, 1);
}

static int damage(struct corrupt *c, const u8 *buf, size_t n, u64 *bit)
{
	size_t i;
	int k, ret;

	for (i = 0; i < n; i++, *bit += 8) {
		if (c->next_ev >= *bit + 8) {
			ret = put_bits(c, buf[i], 8);
			if (ret)
				return ret;
			continue;
		}
		for (k = 7; k >= 0; k--) {
			ret = damage_bit(c, *bit + 7 - k, (buf[i] >> k) & 1);
			if (ret)
				return ret;
		}
		c->next_ev = next_event(c, *bit + 8);
	}
	return 0;
}

static int parse_range(struct corrupt *c, const char *opt, const char *arg, u8 value)
{
	const char *colon = strchr(arg, ':');
	struct range *r;
	char num[32];
	u64 start, len;
	int ret;

	if (!colon || colon == arg || (size_t)(colon - arg) >= sizeof(num))
		return line_err("%s: expected START:LEN in bits, got '%s'", opt, arg);
	memcpy(num, arg, colon - arg);
	num[colon - arg] = 0;
	ret = line_parse_u64(opt, num, 0, UINT64_MAX / 2, &start);
	if (!ret)
		ret = line_parse_u64(opt, colon + 1, 1, UINT64_MAX / 2, &len);
	if (ret)
		return ret;
	r = realloc(c->ranges, (c->n_ranges + 1) * sizeof(*r));
	if (!r)
		return line_errno(ENOMEM, "corrupt");
	c->ranges = r;
	r[c->n_ranges].start = start;
	r[c->n_ranges].end = start + len;
	r[c->n_ranges].value = value;
	c->n_ranges++;
	return 0;
}

static int parse_ber(struct corrupt *c, const char *arg)
{
	char *end;

	errno = 0;
	c->ber = strtod(arg, &end);
	if (end == arg || *end || errno || !(c->ber >= 0 && c->ber <= 1))
		return line_err("--ber: '%s' is not a rate between 0 and 1", arg);
	return 0;
}

enum { O_BER = 256, O_SEED, O_FLIP, O_SLIP, O_INSERT, O_ZEROS, O_ONES };

static int parse_opt(struct corrupt *c, int opt, const char *arg)
{
	static const char *const names[] = {
		[O_FLIP - O_FLIP] = "--flip", [O_SLIP - O_FLIP] = "--slip",
		[O_INSERT - O_FLIP] = "--insert",
	};
	struct bitlist *l;
	u64 v;
	int ret;

	switch (opt) {
	case O_BER:
		return parse_ber(c, arg);
	case O_SEED:
		return line_parse_u64("--seed", arg, 0, UINT64_MAX, &c->seed);
	case O_ZEROS:
		return parse_range(c, "--zeros", arg, 0);
	case O_ONES:
		return parse_range(c, "--ones", arg, 1);
	}
	l = opt == O_FLIP ? &c->flip : opt == O_SLIP ? &c->slip : &c->ins;
	ret = line_parse_u64(names[opt - O_FLIP], arg, 0, UINT64_MAX / 2, &v);
	return ret ? ret : list_add(l, v);
}

static int parse(struct corrupt *c, int argc, char **argv, bool *help)
{
	static const struct option opts[] = {
		{ "ber", required_argument, NULL, O_BER },
		{ "seed", required_argument, NULL, O_SEED },
		{ "flip", required_argument, NULL, O_FLIP },
		{ "slip", required_argument, NULL, O_SLIP },
		{ "insert", required_argument, NULL, O_INSERT },
		{ "zeros", required_argument, NULL, O_ZEROS },
		{ "ones", required_argument, NULL, O_ONES },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt, ret;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (opt == 'h') {
			*help = true;
			return 0;
		}
		if (opt == '?' || opt == ':')
			return line_getopt_fail("corrupt", opt, argc, argv, opts);
		ret = parse_opt(c, opt, optarg);
		if (ret)
			return ret;
	}
	if (argc - optind > 1)
		return line_err("corrupt: expected at most one input FILE, got %d",
				argc - optind);
	c->input = optind < argc ? argv[optind] : "-";
	list_sort(&c->flip, true);
	list_sort(&c->slip, true);
	list_sort(&c->ins, false);
	return 0;
}

static int run(struct corrupt *c, int fd, u8 *buf)
{
	u64 bit = 0;
	ssize_t n;
	int ret;

	rnd_seed(c, c->seed);
	c->next_err = next_error(c, 0);
	c->next_ev = next_event(c, 0);
	for (;;) {
		n = read(fd, buf, READ_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return line_errno(errno, "%s", c->input);
		if (!n)
			break;
		ret = damage(c, buf, n, &bit);
		if (ret)
			return ret;
	}
	/* pad a partial last byte with ones (an idle line) */
	if (c->nacc) {
		ret = put_bits(c, (1u << (8 - c->nacc)) - 1, 8 - c->nacc);
		if (ret)
			return ret;
	}
	return flush_out(c);
}

/**
 * line_cmd_corrupt() - the corrupt subcommand
 * @argc: arguments from the subcommand name on
 * @argv: argv[0] is "corrupt"
 *
 * Return: 0 or a negative errno (message printed).
 */
int line_cmd_corrupt(int argc, char **argv)
{
	struct corrupt *c;
	bool help = false;
	u8 *buf = NULL;
	int fd = -1, ret;

	c = calloc(1, sizeof(*c));
	if (!c)
		return line_errno(ENOMEM, "corrupt");
	c->seed = 1;
	ret = parse(c, argc, argv, &help);
	if (ret || help)
		goto out;
	fd = strcmp(c->input, "-") ? open(c->input, O_RDONLY) : 0;
	if (fd < 0) {
		ret = line_errno(errno, "%s", c->input);
		goto out;
	}
	buf = malloc(READ_CHUNK);
	ret = buf ? run(c, fd, buf) : line_errno(ENOMEM, "corrupt");
	if (fd > 0)
		close(fd);
out:
	if (help)
		fputs(line_corrupt_usage, stdout);
	free(buf);
	free(c->flip.v);
	free(c->slip.v);
	free(c->ins.v);
	free(c->ranges);
	free(c);
	return ret;
}
