// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmx-line encode: write a valid raw line to stdout with the E1 or T1
 * transmitter. The file starts at bit 0 of frame 0 of a CRC-4 multiframe
 * and of a CAS multiframe (or D4/ESF superframe). Traffic timeslots carry
 * the fill octet, or octets from files (--ts), or HDLC frames (--hdlc).
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "e1.h"
#include "hdlc.h"
#include "t1.h"
#include "line.h"

/* frames per transmitter call: whole multiframes, whole T1 octets */
#define CHUNK_FRAMES 192
#define E1_FILL 0xD5	/* A-law idle (positive zero, G.711) */
#define T1_FILL 0x7F	/* mu-law idle (negative zero) */
/* HDLC: idle flags before the first frame, so that it is sent on an
 * aligned line: 8 ms, the G.706 4.2 CRC-4 multiframe search window */
#define HDLC_LEAD_FRAMES 64
/* a frame has left the transmitter 4 octets after its closing flag was
 * queued (hdlc.c: up to 25 bits are queued ahead) */
#define HDLC_TAIL_OCTETS 4

const char line_encode_usage[] =
	"tdmx-line encode --mode MODE [--cas] --frames N [--fill HEX] [--ts TS:FILE]...\n"
	"                 [--abcd TS:BITS]... [--rai] [--ais] [--sa HEX] [--hdlc TS:FILE]\n"
	"                 [--hdlc-rate 56|64]\n"
	"  Write N frames of a valid raw line to stdout.\n"
	"  --mode MODE        e1-unframed | e1 | e1-crc4 | t1-d4 | t1-esf\n"
	"  --cas              E1: TS16 CAS; T1: robbed-bit signalling\n"
	"  --frames N         number of frames (E1 8000/s, T1 8000/s)\n"
	"  --fill HEX         octet for idle timeslots (default E1 D5, T1 7F)\n"
	"  --ts TS:FILE       timeslot TS from FILE (raw, or A-law/mu-law .wav), then fill\n"
	"  --abcd TS:BITS     ABCD bits of timeslot TS with --cas, e.g. 1101\n"
	"  --rai              E1: A bit = 1 (remote alarm); T1: yellow alarm\n"
	"  --ais              send all ones (AIS)\n"
	"  --sa HEX           E1: Sa4..Sa8 in the low 5 bits (default 1F)\n"
	"  --hdlc TS:FILE     send the frames of FILE (LAPD pcap, or hex text with one\n"
	"                     frame per line) as HDLC on timeslot TS\n"
	"  --hdlc-rate 56|64  HDLC bit rate in kbit/s (default E1 64, T1 56; 64 on T1 is\n"
	"                     a clear channel)\n";

struct ts_src {
	unsigned int ts;
	const char *path;
	struct line_in in;
};

struct hdlc_src {
	unsigned int ts;
	const char *path;
	struct line_frames frames;
	size_t next;
	unsigned int lead;		/* idle octets still to send first */
	unsigned int tail;		/* octets sent since the last frame was queued */
	struct tdmx_hdlc_tx tx;
};

struct abcd_set {
	unsigned int ts;
	u8 abcd;
};

struct encoder {
	const struct line_mode *mode;
	bool cas, rai, ais;
	int sa;				/* -1: not given */
	int fill;			/* -1: not given */
	u64 frames;
	unsigned int hdlc_rate;		/* 0: the mode's default */
	struct ts_src src[LINE_MAX_SPECS];
	unsigned int n_src;
	struct hdlc_src *hs[LINE_MAX_SPECS];
	unsigned int n_hs;
	struct abcd_set abcd[LINE_MAX_SPECS * 2];
	unsigned int n_abcd;
	union {
		struct tdmx_e1_tx e1;
		struct tdmx_t1_tx t1;
	} tx;
	unsigned int slots;		/* octets per frame in the tx input */
	u8 in[CHUNK_FRAMES * TDMX_E1_TS];
	u8 out[CHUNK_FRAMES * TDMX_E1_TS + 1];
	u8 col[CHUNK_FRAMES];
};

enum {
	O_MODE = 256, O_FRAMES, O_FILL, O_SA, O_TS, O_ABCD, O_HDLC, O_CAS, O_RAI, O_AIS,
	O_HDLC_RATE,
};

static int parse_abcd(struct encoder *e, const char *arg)
{
	struct abcd_set *a;
	const char *bits;
	int ret, i;

	if (e->n_abcd == LINE_MAX_SPECS * 2)
		return line_err("encode: too many --abcd options");
	a = &e->abcd[e->n_abcd];
	ret = line_split_ts("--abcd", arg, &a->ts, &bits);
	if (ret)
		return ret;
	if (strlen(bits) != 4 || strspn(bits, "01") != 4)
		return line_err("--abcd %s: BITS must be 4 binary digits, A first (e.g. 1101)",
				arg);
	a->abcd = 0;
	for (i = 0; i < 4; i++)
		a->abcd = a->abcd << 1 | (bits[i] - '0');
	e->n_abcd++;
	return 0;
}

static int add_ts(struct encoder *e, const char *arg)
{
	struct ts_src *s;

	if (e->n_src == LINE_MAX_SPECS)
		return line_err("encode: too many --ts options (at most %d)", LINE_MAX_SPECS);
	s = &e->src[e->n_src++];
	return line_split_ts("--ts", arg, &s->ts, &s->path);
}

static int add_hdlc(struct encoder *e, const char *arg)
{
	struct hdlc_src *h;

	if (e->n_hs == LINE_MAX_SPECS)
		return line_err("encode: too many --hdlc options (at most %d)", LINE_MAX_SPECS);
	h = calloc(1, sizeof(*h));
	if (!h)
		return line_errno(ENOMEM, "encode");
	e->hs[e->n_hs++] = h;
	return line_split_ts("--hdlc", arg, &h->ts, &h->path);
}

static int parse_opt(struct encoder *e, int c, const char *arg)
{
	unsigned int v = 0;
	int ret;

	switch (c) {
	case O_MODE:
		return line_parse_mode(arg, &e->mode);
	case O_FRAMES:
		return line_parse_u64("--frames", arg, 1, UINT64_MAX / 256, &e->frames);
	case O_FILL:
		ret = line_parse_hex("--fill", arg, 0xFF, &v);
		e->fill = v;
		return ret;
	case O_SA:
		ret = line_parse_hex("--sa", arg, 0x1F, &v);
		e->sa = v;
		return ret;
	case O_TS:
		return add_ts(e, arg);
	case O_ABCD:
		return parse_abcd(e, arg);
	case O_HDLC:
		return add_hdlc(e, arg);
	case O_HDLC_RATE:
		return line_parse_hdlc_rate(arg, &e->hdlc_rate);
	case O_CAS:
		e->cas = true;
		return 0;
	case O_RAI:
		e->rai = true;
		return 0;
	case O_AIS:
		e->ais = true;
		return 0;
	}
	return -EINVAL;
}

static int parse(struct encoder *e, int argc, char **argv, bool *help)
{
	static const struct option opts[] = {
		{ "mode", required_argument, NULL, O_MODE },
		{ "frames", required_argument, NULL, O_FRAMES },
		{ "fill", required_argument, NULL, O_FILL },
		{ "sa", required_argument, NULL, O_SA },
		{ "ts", required_argument, NULL, O_TS },
		{ "abcd", required_argument, NULL, O_ABCD },
		{ "hdlc", required_argument, NULL, O_HDLC },
		{ "hdlc-rate", required_argument, NULL, O_HDLC_RATE },
		{ "cas", no_argument, NULL, O_CAS },
		{ "rai", no_argument, NULL, O_RAI },
		{ "ais", no_argument, NULL, O_AIS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, ret;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (c == 'h') {
			*help = true;
			return 0;
		}
		if (c == '?' || c == ':')
			return line_getopt_fail("encode", c, argc, argv, opts);
		ret = parse_opt(e, c, optarg);
		if (ret)
			return ret;
	}
	if (optind != argc)
		return line_err("encode: unexpected argument '%s' (the line goes to stdout)",
				argv[optind]);
	if (!e->mode)
		return line_err("encode: --mode is required (%s)", line_mode_names());
	if (!e->frames)
		return line_err("encode: --frames is required");
	return 0;
}

/* What the options mean for this mode; all checks before any output. */
static int check(struct encoder *e)
{
	bool e1 = e->mode->kind == LINE_E1;
	bool unframed = e1 && e->mode->framing == TDMX_E1_UNFRAMED;
	unsigned int i, j;
	int ret;

	if (e->cas && unframed)
		return line_err("encode: --cas needs a framed mode, not %s", e->mode->name);
	if (e->rai && unframed)
		return line_err("encode: --rai needs a framed mode, not %s", e->mode->name);
	if (e->sa >= 0 && !e1)
		return line_err("encode: --sa is for E1 (Sa4..Sa8 of TS0)");
	if (e->sa >= 0 && unframed)
		return line_err("encode: --sa needs a framed mode, not %s", e->mode->name);
	if (e->n_abcd && !e->cas)
		return line_err("encode: --abcd needs --cas");
	for (i = 0; i < e->n_abcd; i++) {
		ret = line_check_ts(e->mode, false, "--abcd", e->abcd[i].ts, true);
		if (ret)
			return ret;
		if (e1 && e->abcd[i].ts == 16)
			return line_err("--abcd: timeslot 16 carries the CAS itself");
		/* G.704 5.1.3.2: 0000 would imitate the CAS multiframe word */
		if (e1 && !e->abcd[i].abcd)
			return line_err("--abcd %u:0000: G.704 forbids ABCD 0000 on E1 CAS",
					e->abcd[i].ts);
	}
	for (i = 0; i < e->n_src; i++) {
		ret = line_check_ts(e->mode, e->cas, "--ts", e->src[i].ts, true);
		if (ret)
			return ret;
	}
	for (i = 0; i < e->n_hs; i++) {
		ret = line_check_ts(e->mode, e->cas, "--hdlc", e->hs[i]->ts, true);
		if (ret)
			return ret;
		for (j = 0; j < e->n_src; j++)
			if (e->src[j].ts == e->hs[i]->ts)
				return line_err("encode: timeslot %u has both --ts and --hdlc",
						e->hs[i]->ts);
		for (j = 0; j < i; j++)
			if (e->hs[j]->ts == e->hs[i]->ts)
				return line_err("encode: timeslot %u has --hdlc twice",
						e->hs[i]->ts);
	}
	for (i = 0; i < e->n_src; i++)
		for (j = 0; j < i; j++)
			if (e->src[j].ts == e->src[i].ts)
				return line_err("encode: timeslot %u has --ts twice", e->src[i].ts);
	return 0;
}

static int open_inputs(struct encoder *e)
{
	struct tdmx_hdlc_config hc = { 0 };
	unsigned int i, wav;
	struct ts_src *s;
	int ret;

	wav = e->mode->kind == LINE_E1 ? LINE_WAV_ALAW : LINE_WAV_MULAW;
	for (i = 0; i < e->n_src; i++) {
		s = &e->src[i];
		ret = line_in_open(&s->in, s->path, line_ends_with(s->path, ".wav") ? wav : 0);
		if (ret)
			return ret;
	}
	ret = line_hdlc_bits56(e->mode, e->cas, e->hdlc_rate, &hc.bits56);
	if (ret)
		return ret;
	for (i = 0; i < e->n_hs; i++) {
		ret = line_frames_load(&e->hs[i]->frames, e->hs[i]->path);
		if (ret)
			return ret;
		tdmx_hdlc_tx_init(&e->hs[i]->tx, &hc);
		e->hs[i]->lead = HDLC_LEAD_FRAMES;
	}
	return 0;
}

static void close_inputs(struct encoder *e)
{
	unsigned int i;

	for (i = 0; i < e->n_src; i++)
		line_in_close(&e->src[i].in);
	for (i = 0; i < e->n_hs; i++) {
		line_frames_free(&e->hs[i]->frames);
		free(e->hs[i]);
	}
}

static void tx_init(struct encoder *e)
{
	struct tdmx_e1_config e1 = { 0 };
	struct tdmx_t1_config t1 = { 0 };
	unsigned int i;

	if (e->mode->kind == LINE_E1) {
		e1.framing = e->mode->framing;
		e1.cas = e->cas;
		e1.sa = e->sa >= 0 ? e->sa : 0x1F;
		tdmx_e1_tx_init(&e->tx.e1, &e1);
		for (i = 0; i < e->n_abcd; i++)
			tdmx_e1_tx_set_abcd(&e->tx.e1, e->abcd[i].ts, e->abcd[i].abcd);
		e->tx.e1.rai = e->rai;
		e->tx.e1.ais = e->ais;
		e->slots = TDMX_E1_TS;
		if (e->fill < 0)
			e->fill = E1_FILL;
	} else {
		t1.framing = e->mode->framing;
		t1.robbed_bits = e->cas;
		tdmx_t1_tx_init(&e->tx.t1, &t1);
		for (i = 0; i < e->n_abcd; i++)
			tdmx_t1_tx_set_abcd(&e->tx.t1, e->abcd[i].ts, e->abcd[i].abcd);
		tdmx_t1_tx_set_yellow(&e->tx.t1, e->rai);
		tdmx_t1_tx_set_ais(&e->tx.t1, e->ais);
		e->slots = TDMX_T1_CHANNELS;
		if (e->fill < 0)
			e->fill = T1_FILL;
	}
}

/* in[] index of a timeslot: E1 TS 0-31, T1 channel 1-24 */
static unsigned int slot(const struct encoder *e, unsigned int ts)
{
	return e->mode->kind == LINE_E1 ? ts : ts - 1;
}

static int fill_ts(struct encoder *e, struct ts_src *s, unsigned int n)
{
	unsigned int k, idx = slot(e, s->ts);
	long got;

	got = line_in_read(&s->in, e->col, n);
	if (got < 0)
		return got;
	for (k = 0; k < n; k++)
		e->in[k * e->slots + idx] = k < got ? e->col[k] : e->fill;
	return 0;
}

static void fill_hdlc(struct encoder *e, struct hdlc_src *h, unsigned int n)
{
	unsigned int k, idx = slot(e, h->ts);
	const struct line_frame *f;

	for (k = 0; k < n; k++) {
		if (h->lead) {
			h->lead--;
		} else if (h->next < h->frames.n && !tdmx_hdlc_tx_busy(&h->tx)) {
			f = &h->frames.v[h->next++];
			tdmx_hdlc_tx_start(&h->tx, f->data, f->len);
		}
		if (tdmx_hdlc_tx_busy(&h->tx))
			h->tail = 0;
		else if (h->tail < HDLC_TAIL_OCTETS)
			h->tail++;
		tdmx_hdlc_tx_octets(&h->tx, &e->in[k * e->slots + idx], 1);
	}
}

/* Warn when --frames ended before every HDLC frame and its closing flag. */
static void hdlc_check_sent(const struct encoder *e, const struct hdlc_src *h)
{
	size_t sent = h->next;

	if (sent && h->tail < HDLC_TAIL_OCTETS)
		sent--;
	if (sent < h->frames.n)
		line_warn("--hdlc %u: only %zu of %zu frames fit in %llu frames", h->ts,
			  sent, h->frames.n, (unsigned long long)e->frames);
}

static size_t tx_frames(struct encoder *e, unsigned int n)
{
	if (e->mode->kind == LINE_E1) {
		tdmx_e1_tx_frames(&e->tx.e1, e->in, e->out, n);
		return (size_t)n * TDMX_E1_FRAME_OCTETS;
	}
	return tdmx_t1_tx_frames(&e->tx.t1, e->in, e->out, n);
}

static int run(struct encoder *e)
{
	unsigned int n, i;
	u64 left = e->frames;
	size_t len;
	int ret;

	tx_init(e);
	while (left) {
		n = left < CHUNK_FRAMES ? left : CHUNK_FRAMES;
		memset(e->in, e->fill, (size_t)n * e->slots);
		for (i = 0; i < e->n_src; i++) {
			ret = fill_ts(e, &e->src[i], n);
			if (ret)
				return ret;
		}
		for (i = 0; i < e->n_hs; i++)
			fill_hdlc(e, e->hs[i], n);
		len = tx_frames(e, n);
		if (fwrite(e->out, 1, len, stdout) != len)
			return line_errno(line_io_errno(), "stdout");
		left -= n;
	}
	/* T1: the last partial octet, padded with 1s (t1_tx.c) */
	if (e->mode->kind == LINE_T1 && tdmx_t1_tx_flush(&e->tx.t1, e->out) &&
	    fwrite(e->out, 1, 1, stdout) != 1)
		return line_errno(line_io_errno(), "stdout");
	for (i = 0; i < e->n_hs; i++)
		hdlc_check_sent(e, e->hs[i]);
	return 0;
}

/**
 * line_cmd_encode() - the encode subcommand
 * @argc: arguments from the subcommand name on
 * @argv: argv[0] is "encode"
 *
 * Return: 0 or a negative errno (message printed).
 */
int line_cmd_encode(int argc, char **argv)
{
	struct encoder *e;
	bool help = false;
	int ret;

	e = calloc(1, sizeof(*e));
	if (!e)
		return line_errno(ENOMEM, "encode");
	e->sa = -1;
	e->fill = -1;
	ret = parse(e, argc, argv, &help);
	if (help)
		fputs(line_encode_usage, stdout);
	if (!ret && !help)
		ret = check(e);
	if (!ret && !help)
		ret = open_inputs(e);
	if (!ret && !help)
		ret = run(e);
	close_inputs(e);
	free(e);
	return ret;
}
