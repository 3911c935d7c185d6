// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The command tables and the command-line parsers of tdmxctl. Nothing here
 * talks to the kernel: every parser fills a struct ctl_req or writes one
 * message (without "tdmxctl: ") into err.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

/**
 * ctl_errf() - write a message into an error buffer
 * @err: the buffer
 * @errlen: its size
 * @fmt: printf format
 *
 * Return: -EINVAL, so that parsers can "return ctl_errf(...)".
 */
int ctl_errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* a whole decimal number (optional sign) from min to max */
static int parse_ll(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	if (!*s || !strchr("+-0123456789", *s))
		return -EINVAL;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end || errno || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* ------------------------------------------------------------ key tables */

struct key;
typedef int (*key_fn)(const struct key *k, const char *val, void *cfg, char *err,
		      size_t errlen);

/**
 * struct key - one "key value" pair of span set, chan set or fault set
 * @name: the key
 * @field: its bit in the struct's fields
 * @fn: parses the value into the struct
 * @kind: enum tdmx_kind for names (key_name)
 * @off: offset of the member in the struct
 * @min: smallest number (numeric keys)
 * @max: largest number (numeric keys)
 * @flag: the key takes no value
 */
struct key {
	const char *name;
	uint32_t field;
	key_fn fn;
	int kind;
	size_t off;
	long long min;
	long long max;
	bool flag;
};

static int key_name(const struct key *k, const char *val, void *cfg, char *err, size_t errlen)
{
	int v = tdmx_value((enum tdmx_kind)k->kind, val);
	char list[160];

	if (v < 0) {
		tdmx_names_list((enum tdmx_kind)k->kind, list, sizeof(list));
		return ctl_errf(err, errlen, "bad %s '%s' (%s)", k->name, val, list);
	}
	*((uint8_t *)cfg + k->off) = (uint8_t)v;
	return 0;
}

static int key_u8(const struct key *k, const char *val, void *cfg, char *err, size_t errlen)
{
	long long v;

	if (parse_ll(val, k->min, k->max, &v))
		return ctl_errf(err, errlen, "%s '%s' must be a number from %lld to %lld", k->name,
				val, k->min, k->max);
	*((uint8_t *)cfg + k->off) = (uint8_t)v;
	return 0;
}

/* "10" or "10ms" */
static int key_ms(const struct key *k, const char *val, void *cfg, char *err, size_t errlen)
{
	size_t n = strlen(val);
	char num[16];

	if (n > 2 && !strcmp(val + n - 2, "ms"))
		n -= 2;
	if (n < sizeof(num)) {
		memcpy(num, val, n);
		num[n] = 0;
		if (!key_u8(k, num, cfg, err, errlen))
			return 0;
	}
	return ctl_errf(err, errlen, "%s '%s' must be %lld to %lld ms", k->name, val, k->min,
			k->max);
}

/* four bits, A first: "1101" */
static int key_abcd(const struct key *k, const char *val, void *cfg, char *err, size_t errlen)
{
	uint8_t v = 0;
	int i;

	if (strlen(val) != 4 || strspn(val, "01") != 4)
		return ctl_errf(err, errlen, "%s '%s' must be four bits ABCD like 1101", k->name,
				val);
	for (i = 0; i < 4; i++)
		v = (uint8_t)(v << 1 | (val[i] - '0'));
	*((uint8_t *)cfg + k->off) = v;
	return 0;
}

static int key_onoff(const struct key *k, const char *val, void *cfg, char *err, size_t errlen)
{
	uint8_t v;

	if (!strcmp(val, "on") || !strcmp(val, "1"))
		v = 1;
	else if (!strcmp(val, "off") || !strcmp(val, "0"))
		v = 0;
	else
		return ctl_errf(err, errlen, "%s '%s' must be on or off", k->name, val);
	*((uint8_t *)cfg + k->off) = v;
	return 0;
}

static int key_u32(const struct key *k, const char *val, void *cfg, char *err, size_t errlen)
{
	long long v;
	uint32_t u;

	if (parse_ll(val, k->min, k->max, &v))
		return ctl_errf(err, errlen, "%s '%s' must be a number from %lld to %lld", k->name,
				val, k->min, k->max);
	u = (uint32_t)v;
	memcpy((char *)cfg + k->off, &u, sizeof(u));
	return 0;
}

static int key_s32(const struct key *k, const char *val, void *cfg, char *err, size_t errlen)
{
	long long v;
	int32_t s;

	if (parse_ll(val, k->min, k->max, &v))
		return ctl_errf(err, errlen, "%s '%s' must be a number from %lld to %lld", k->name,
				val, k->min, k->max);
	s = (int32_t)v;
	memcpy((char *)cfg + k->off, &s, sizeof(s));
	return 0;
}

/* a bit error ratio (1e-4, 0.0001, 0 or off) as errors per 10^9 bits */
static int key_ber(const struct key *k, const char *val, void *cfg, char *err, size_t errlen)
{
	double ber;
	char *end;
	uint32_t v;

	if (!strcmp(val, "off")) {
		ber = 0;
	} else {
		errno = 0;
		ber = strtod(val, &end);
		if (!*val || *end || errno || !isfinite(ber) || ber < 0 || ber > 1)
			return ctl_errf(err, errlen,
					"ber '%s' must be a ratio from 0 to 1 (like 1e-4) or off",
					val);
	}
	v = (uint32_t)(ber * 1e9 + 0.5);
	if (ber > 0 && !v)
		return ctl_errf(err, errlen, "ber '%s' is below the smallest rate, 1e-9", val);
	memcpy((char *)cfg + k->off, &v, sizeof(v));
	return 0;
}

static int key_flag(const struct key *k, const char *val, void *cfg, char *err, size_t errlen)
{
	(void)k, (void)val, (void)cfg, (void)err, (void)errlen;
	return 0;
}

#define SPAN_KEY(n, f, fn, kind, m, lo, hi) \
	{ n, TDMX_SPAN_F_##f, fn, kind, offsetof(struct tdmx_span, m), lo, hi, false }

static const struct key span_keys[] = {
	SPAN_KEY("framing", FRAMING, key_name, TDMX_K_FRAMING, framing, 0, 0),
	SPAN_KEY("linecode", LINECODE, key_name, TDMX_K_LINECODE, linecode, 0, 0),
	SPAN_KEY("signalling", SIGNALLING, key_name, TDMX_K_SIGNALLING, signalling, 0, 0),
	SPAN_KEY("dchan", DCHAN, key_u8, 0, dchan, 1, 31),
	SPAN_KEY("law", LAW, key_name, TDMX_K_LAW, law, 0, 0),
	SPAN_KEY("clock", CLOCK_PRIO, key_u8, 0, clock_prio, 0, 255),
	SPAN_KEY("loopback", LOOPBACK, key_name, TDMX_K_LOOPBACK, loopback, 0, 0),
	SPAN_KEY("block", BLOCK_MS, key_ms, 0, block_ms, 1, 20),
	{ NULL, 0, NULL, 0, 0, 0, 0, false },
};

static const struct key chan_keys[] = {
	{ "type", TDMX_CHAN_F_TYPE, key_name, TDMX_K_CHAN_TYPE, offsetof(struct tdmx_chan, type),
	  0, 0, false },
	{ "txabcd", TDMX_CHAN_F_TX_ABCD, key_abcd, 0, offsetof(struct tdmx_chan, tx_abcd), 0, 0,
	  false },
	{ NULL, 0, NULL, 0, 0, 0, 0, false },
};

#define FAULT_KEY(n, f, fn, m, lo, hi) \
	{ n, TDMX_FAULT_F_##f, fn, 0, offsetof(struct tdmx_fault, m), lo, hi, false }

static const struct key fault_keys[] = {
	FAULT_KEY("ber", BER, key_ber, ber, 0, 0),
	FAULT_KEY("burst", BURST, key_u32, burst, 1, 65536),
	{ "slip", TDMX_FAULT_F_SLIP, key_flag, 0, 0, 0, 0, true },
	FAULT_KEY("los", LOS, key_onoff, los, 0, 1),
	FAULT_KEY("ais", AIS, key_onoff, ais, 0, 1),
	FAULT_KEY("nocrc4", NOCRC4, key_onoff, nocrc4, 0, 1),
	FAULT_KEY("rai", RAI, key_onoff, rai, 0, 1),
	FAULT_KEY("ppm", CLOCK_PPM, key_s32, clock_ppm, -1000, 1000),
	{ NULL, 0, NULL, 0, 0, 0, 0, false },
};

static void key_list(const struct key *keys, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = 0;
	for (; keys->name && used < len; keys++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
					 keys->name);
}

/* "key value key value ..." into @cfg; @fields collects what was given */
static int parse_keys(const struct key *keys, int argc, char **argv, void *cfg,
		      uint32_t *fields, char *err, size_t errlen)
{
	const struct key *k;
	const char *val;
	char list[128];
	int i = 0, ret;

	while (i < argc) {
		for (k = keys; k->name && strcmp(k->name, argv[i]); k++)
			;
		if (!k->name) {
			key_list(keys, list, sizeof(list));
			return ctl_errf(err, errlen, "unknown key '%s' (%s)", argv[i], list);
		}
		if (*fields & k->field)
			return ctl_errf(err, errlen, "'%s' given twice", k->name);
		if (!k->flag && i + 1 >= argc)
			return ctl_errf(err, errlen, "'%s' needs a value", k->name);
		val = k->flag ? NULL : argv[i + 1];
		i += k->flag ? 1 : 2;
		ret = k->fn(k, val, cfg, err, errlen);
		if (ret)
			return ret;
		*fields |= k->field;
	}
	if (!*fields) {
		key_list(keys, list, sizeof(list));
		return ctl_errf(err, errlen, "nothing to set (%s)", list);
	}
	return 0;
}

/**
 * ctl_parse_span_keys() - the "key value" pairs of span set / a span line
 * @argc: number of words
 * @argv: the words
 * @cfg: result (zeroed first); @cfg->fields says what was given
 * @err: message on failure
 * @errlen: size of @err
 *
 * Return: 0 or -EINVAL.
 */
int ctl_parse_span_keys(int argc, char **argv, struct tdmx_span *cfg, char *err, size_t errlen)
{
	memset(cfg, 0, sizeof(*cfg));
	return parse_keys(span_keys, argc, argv, cfg, &cfg->fields, err, errlen);
}

/* as ctl_parse_span_keys(), for chan set / a chan line */
int ctl_parse_chan_keys(int argc, char **argv, struct tdmx_chan *cfg, char *err, size_t errlen)
{
	memset(cfg, 0, sizeof(*cfg));
	return parse_keys(chan_keys, argc, argv, cfg, &cfg->fields, err, errlen);
}

/* as ctl_parse_span_keys(), for fault set */
int ctl_parse_fault_keys(int argc, char **argv, struct tdmx_fault *f, char *err, size_t errlen)
{
	memset(f, 0, sizeof(*f));
	return parse_keys(fault_keys, argc, argv, f, &f->fields, err, errlen);
}

/* Return: 0 or -EINVAL; a span number is 1..4294967295. */
int ctl_parse_span_id(const char *s, uint32_t *span, char *err, size_t errlen)
{
	long long v;

	if (parse_ll(s, 1, UINT32_MAX, &v) || *s == '+' || *s == '-')
		return ctl_errf(err, errlen, "bad span number '%s'", s);
	*span = (uint32_t)v;
	return 0;
}

/**
 * ctl_parse_chan_addr() - "SPAN/TS", or "SPAN" when @need_ts is false
 * @s: the word
 * @need_ts: the timeslot is required
 * @span: result
 * @ts: result, 0 when not given
 * @err: message on failure
 * @errlen: size of @err
 *
 * Return: 0 or -EINVAL.
 */
int ctl_parse_chan_addr(const char *s, bool need_ts, uint32_t *span, unsigned int *ts,
			char *err, size_t errlen)
{
	const char *slash = strchr(s, '/');
	char num[24];
	long long v;

	*ts = 0;
	if (!slash) {
		if (need_ts)
			return ctl_errf(err, errlen, "'%s' is not SPAN/TS (like 1/5)", s);
		return ctl_parse_span_id(s, span, err, errlen);
	}
	if ((size_t)(slash - s) >= sizeof(num))
		return ctl_errf(err, errlen, "bad span number in '%s'", s);
	memcpy(num, s, (size_t)(slash - s));
	num[slash - s] = 0;
	if (ctl_parse_span_id(num, span, err, errlen))
		return ctl_errf(err, errlen, "bad span number in '%s'", s);
	if (parse_ll(slash + 1, 1, 31, &v) || !strchr("0123456789", slash[1]))
		return ctl_errf(err, errlen, "bad timeslot in '%s' (1-31)", s);
	*ts = (unsigned int)v;
	return 0;
}

/* ------------------------------------------------------ command parsers */

static int extra(char *err, size_t errlen, const char *word)
{
	return ctl_errf(err, errlen, "unexpected argument '%s'", word);
}

/* [N] */
static int parse_opt_span(int argc, char **argv, struct ctl_req *req, char *err, size_t errlen)
{
	if (argc > 1)
		return extra(err, errlen, argv[1]);
	return argc ? ctl_parse_span_id(argv[0], &req->span, err, errlen) : 0;
}

static int parse_span_set(int argc, char **argv, struct ctl_req *req, char *err, size_t errlen)
{
	if (argc < 1)
		return ctl_errf(err, errlen, "missing span number");
	if (ctl_parse_span_id(argv[0], &req->span, err, errlen))
		return -EINVAL;
	return ctl_parse_span_keys(argc - 1, argv + 1, &req->span_cfg, err, errlen);
}

static int parse_chan_show(int argc, char **argv, struct ctl_req *req, char *err, size_t errlen)
{
	if (argc > 1)
		return extra(err, errlen, argv[1]);
	if (!argc)
		return 0;
	return ctl_parse_chan_addr(argv[0], false, &req->span, &req->ts, err, errlen);
}

static int parse_chan_set(int argc, char **argv, struct ctl_req *req, char *err, size_t errlen)
{
	if (argc < 1)
		return ctl_errf(err, errlen, "missing SPAN/TS");
	if (ctl_parse_chan_addr(argv[0], true, &req->span, &req->ts, err, errlen))
		return -EINVAL;
	return ctl_parse_chan_keys(argc - 1, argv + 1, &req->chan_cfg, err, errlen);
}

static int parse_vcard_add(int argc, char **argv, struct ctl_req *req, char *err, size_t errlen)
{
	char list[64];
	int v;

	if (argc < 1) {
		tdmx_names_list(TDMX_K_VCARD_TYPE, list, sizeof(list));
		return ctl_errf(err, errlen, "missing card type (%s)", list);
	}
	if (argc > 2)
		return extra(err, errlen, argv[2]);
	v = tdmx_value(TDMX_K_VCARD_TYPE, argv[0]);
	if (v < 0) {
		tdmx_names_list(TDMX_K_VCARD_TYPE, list, sizeof(list));
		return ctl_errf(err, errlen, "bad card type '%s' (%s)", argv[0], list);
	}
	req->vcard_type = (uint8_t)v;
	v = argc > 1 ? tdmx_value(TDMX_K_LINE, argv[1]) : TDMX_LINE_E1;
	if (v < 0)
		return ctl_errf(err, errlen, "bad line '%s' (e1, t1)", argv[1]);
	req->line = (uint8_t)v;
	return 0;
}

static int parse_vcard_del(int argc, char **argv, struct ctl_req *req, char *err, size_t errlen)
{
	long long v;

	if (argc < 1)
		return ctl_errf(err, errlen, "missing card id");
	if (argc > 1)
		return extra(err, errlen, argv[1]);
	if (parse_ll(argv[0], 1, UINT32_MAX, &v) || !strchr("0123456789", argv[0][0]))
		return ctl_errf(err, errlen, "bad card id '%s'", argv[0]);
	req->vcard = (uint32_t)v;
	return 0;
}

static int parse_none(int argc, char **argv, struct ctl_req *req, char *err, size_t errlen)
{
	(void)req;
	return argc ? extra(err, errlen, argv[0]) : 0;
}

static int parse_fault_set(int argc, char **argv, struct ctl_req *req, char *err, size_t errlen)
{
	if (argc < 1)
		return ctl_errf(err, errlen, "missing span number");
	if (ctl_parse_span_id(argv[0], &req->span, err, errlen))
		return -EINVAL;
	return ctl_parse_fault_keys(argc - 1, argv + 1, &req->fault, err, errlen);
}

static int parse_apply(int argc, char **argv, struct ctl_req *req, char *err, size_t errlen)
{
	if (argc < 1)
		return ctl_errf(err, errlen, "missing file name");
	if (argc > 1)
		return extra(err, errlen, argv[1]);
	req->file = argv[0];
	return 0;
}

static int parse_help(int argc, char **argv, struct ctl_req *req, char *err, size_t errlen)
{
	size_t i;

	if (argc > 1)
		return extra(err, errlen, argv[1]);
	if (!argc)
		return 0;
	for (i = 0; i < ctl_nobjs; i++)
		if (!strcmp(ctl_objs[i].name, argv[0]))
			req->topic = &ctl_objs[i];
	if (!req->topic)
		return ctl_errf(err, errlen, "unknown object '%s'", argv[0]);
	return 0;
}

/* ---------------------------------------------------------------- tables */

static const struct ctl_cmd span_cmds[] = {
	{ "show", parse_opt_span, ctl_run_span_show, "span show [N]" },
	{ "set", parse_span_set, ctl_run_span_set,
	  "span set N [framing F] [linecode L] [signalling S] [dchan TS] [law alaw|ulaw]\n"
	  "                  [clock PRIO] [loopback L] [block MS]" },
};

static const struct ctl_cmd chan_cmds[] = {
	{ "show", parse_chan_show, ctl_run_chan_show, "chan show [SPAN[/TS]]" },
	{ "set", parse_chan_set, ctl_run_chan_set, "chan set SPAN/TS [type T] [txabcd ABCD]" },
};

static const struct ctl_cmd vcard_cmds[] = {
	{ "show", parse_none, ctl_run_vcard_show, "vcard show" },
	{ "add", parse_vcard_add, ctl_run_vcard_add, "vcard add loop|tap [e1|t1]" },
	{ "del", parse_vcard_del, ctl_run_vcard_del, "vcard del ID" },
};

static const struct ctl_cmd fault_cmds[] = {
	{ "set", parse_fault_set, ctl_run_fault_set,
	  "fault set N [ber RATIO|off] [burst BITS] [slip] [los on|off] [ais on|off]\n"
	  "                  [nocrc4 on|off] [rai on|off] [ppm N]" },
};

static const struct ctl_cmd counters_cmds[] = {
	{ "show", parse_opt_span, ctl_run_counters_show, "counters show [N]" },
	{ "reset", parse_opt_span, ctl_run_counters_reset, "counters reset [N]" },
};

static const struct ctl_cmd apply_cmds[] = {
	{ NULL, parse_apply, ctl_run_apply, "apply FILE" },
};

static const struct ctl_cmd help_cmds[] = {
	{ NULL, parse_help, ctl_run_help, "help [OBJECT]" },
};

#define OBJ(n, cmds, help) { n, cmds, sizeof(cmds) / sizeof(cmds[0]), help }

const struct ctl_obj ctl_objs[] = {
	OBJ("span", span_cmds, "spans: line settings, alarms, timing"),
	OBJ("chan", chan_cmds, "channels (timeslots): type, ABCD bits"),
	OBJ("vcard", vcard_cmds, "virtual cards: loop (two joined spans), tap (one span)"),
	OBJ("fault", fault_cmds, "fault injection on a span's transmitted line"),
	OBJ("counters", counters_cmds, "error and performance counters"),
	OBJ("apply", apply_cmds, "apply a spans file (see tdmxctl(8))"),
	OBJ("help", help_cmds, "this help"),
};

const size_t ctl_nobjs = sizeof(ctl_objs) / sizeof(ctl_objs[0]);

static void obj_list(char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = 0;
	for (i = 0; i < ctl_nobjs && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
					 ctl_objs[i].name);
}

static void cmd_list(const struct ctl_obj *o, char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = 0;
	for (i = 0; i < o->ncmds && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
					 o->cmds[i].name);
}

static const struct ctl_cmd *find_cmd(const struct ctl_obj *o, const char *name)
{
	size_t i;

	for (i = 0; i < o->ncmds; i++)
		if (o->cmds[i].name && !strcmp(o->cmds[i].name, name))
			return &o->cmds[i];
	return NULL;
}

/**
 * ctl_parse() - parse "OBJECT [COMMAND] ARGS..." (the words after the
 *	options)
 * @argc: number of words
 * @argv: the words
 * @req: result; @req->obj and @req->cmd are set as far as they were
 *	recognised, also on failure (for the usage hint)
 * @err: "span set: unknown key 'x' (...)" on failure
 * @errlen: size of @err
 *
 * An object without a command means "show" where there is one.
 *
 * Return: 0 or -EINVAL.
 */
int ctl_parse(int argc, char **argv, struct ctl_req *req, char *err, size_t errlen)
{
	char list[128], msg[CTL_ERR_LEN];
	const struct ctl_obj *o = NULL;
	size_t i;
	int ret;

	memset(req, 0, sizeof(*req));
	for (i = 0; argc > 0 && i < ctl_nobjs; i++)
		if (!strcmp(ctl_objs[i].name, argv[0]))
			o = &ctl_objs[i];
	if (!o) {
		obj_list(list, sizeof(list));
		if (argc < 1)
			return ctl_errf(err, errlen, "no object given (%s)", list);
		return ctl_errf(err, errlen, "unknown object '%s' (%s)", argv[0], list);
	}
	req->obj = o;
	argc--, argv++;
	if (!o->cmds[0].name) {
		req->cmd = &o->cmds[0];
	} else {
		req->cmd = find_cmd(o, argc ? argv[0] : "show");
		cmd_list(o, list, sizeof(list));
		if (!req->cmd && !argc)
			return ctl_errf(err, errlen, "%s: missing command (%s)", o->name, list);
		if (!req->cmd)
			return ctl_errf(err, errlen, "%s: unknown command '%s' (%s)", o->name,
					argv[0], list);
		if (argc)
			argc--, argv++;
	}
	ret = req->cmd->parse(argc, argv, req, msg, sizeof(msg));
	if (ret)
		return ctl_errf(err, errlen, "%s%s%s: %s", o->name, req->cmd->name ? " " : "",
				req->cmd->name ? req->cmd->name : "", msg);
	return 0;
}

static void values(FILE *f, const char *key, enum tdmx_kind kind)
{
	char list[160];

	tdmx_names_list(kind, list, sizeof(list));
	fprintf(f, "  %-11s %s\n", key, list);
}

/**
 * ctl_usage() - the help text
 * @f: output
 * @only: one object's commands, or NULL for everything
 */
void ctl_usage(FILE *f, const struct ctl_obj *only)
{
	size_t i, k;

	if (!only)
		fputs("Usage: tdmxctl [-j] [-p] OBJECT COMMAND [ARGS]\n\n", f);
	for (i = 0; i < ctl_nobjs; i++) {
		const struct ctl_obj *o = &ctl_objs[i];

		if (only && o != only)
			continue;
		for (k = 0; k < o->ncmds; k++)
			fprintf(f, "  tdmxctl %s\n", o->cmds[k].usage);
	}
	if (only)
		return;
	fputs("\nValues:\n", f);
	values(f, "framing", TDMX_K_FRAMING);
	values(f, "linecode", TDMX_K_LINECODE);
	values(f, "signalling", TDMX_K_SIGNALLING);
	values(f, "loopback", TDMX_K_LOOPBACK);
	values(f, "chan type", TDMX_K_CHAN_TYPE);
	fputs("  dchan       1-31    clock  0 (never) 1 (best) .. 255    block  1-20 (ms)\n"
	      "  txabcd      four bits, A first: 1101\n"
	      "  ber         errors per bit: 1e-4, 0.001, off   burst  1-65536   ppm  -1000..1000\n"
	      "\nOptions:\n"
	      "  -j, --json     JSON output (show: an array of objects)\n"
	      "  -p, --pretty   indented JSON (implies -j)\n"
	      "  -h, --help     this help\n"
	      "\nExit status: 0 ok, 1 the operation failed (the kernel's message is printed),\n"
	      "2 bad usage or input, 3 the tdmx module is not loaded.\n", f);
}
