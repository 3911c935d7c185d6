// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmx-line decode: run a raw line file through the E1 or T1 receiver and
 * print its events as JSON lines, a summary last. Timeslots can be
 * extracted to raw/WAV files and HDLC timeslots to LAPD captures.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "e1.h"
#include "hdlc.h"
#include "t1.h"
#include "line.h"

#define READ_CHUNK 65536

const char line_decode_usage[] =
	"tdmx-line decode --mode MODE [--cas] [--extract TS:FILE]... [--hdlc TS:PCAP]\n"
	"                 [--hdlc-rate 56|64] FILE|-\n"
	"  Decode a raw line file; print one JSON event per line, a summary last.\n"
	"  --mode MODE        e1-unframed | e1 | e1-crc4 | t1-d4 | t1-esf\n"
	"  --cas              E1: TS16 CAS multiframe; T1: robbed-bit signalling\n"
	"  --extract TS:FILE  write timeslot TS (E1 0-31, T1 channel 1-24) to FILE:\n"
	"                     raw octets, or A-law/mu-law WAV if FILE ends in .wav\n"
	"  --hdlc TS:PCAP     HDLC-decode timeslot TS and write the good frames to PCAP\n"
	"                     (LINUX_LAPD, link type 177)\n"
	"  --hdlc-rate 56|64  HDLC bit rate in kbit/s (default E1 64, T1 56; 64 on T1 is\n"
	"                     a clear channel)\n";

struct extract {
	unsigned int ts;
	const char *path;
	struct line_out out;
};

struct hdlc_dec {
	unsigned int ts;
	const char *path;
	struct line_pcap *pcap;
	struct tdmx_hdlc_rx rx;
	u64 bit;			/* frame of the octet being fed */
	unsigned int rate;
	int *err;
};

struct decoder {
	const struct line_mode *mode;
	bool cas;
	unsigned int hdlc_rate;		/* 0: the mode's default */
	const char *input;
	union {
		struct tdmx_e1_rx e1;
		struct tdmx_t1_rx t1;
	} rx;
	struct extract ext[LINE_MAX_SPECS];
	unsigned int n_ext;
	struct hdlc_dec *hd[LINE_MAX_SPECS];
	unsigned int n_hd;
	int err;			/* first error met inside a callback */
};

static void on_event(void *ctx, const struct tdmx_fr_event *ev)
{
	(void)ctx;
	line_json_event(stdout, ev);
}

static void on_hdlc_frame(void *ctx, const u8 *frame, unsigned int len)
{
	struct hdlc_dec *h = ctx;
	int ret;

	if (*h->err || len < 2)
		return;
	ret = line_pcap_write_lapd(h->pcap, h->bit, h->rate, frame, len - 2);
	if (ret)
		*h->err = ret;
}

static void on_payload(void *ctx, const struct tdmx_fr_payload *pl)
{
	struct decoder *d = ctx;
	struct hdlc_dec *h;
	unsigned int i, k;
	int ret;

	for (i = 0; i < d->n_ext && !d->err; i++) {
		ret = line_out_write(&d->ext[i].out, pl->ts[d->ext[i].ts], pl->nframes);
		if (ret)
			d->err = ret;
	}
	for (i = 0; i < d->n_hd && !d->err; i++) {
		h = d->hd[i];
		for (k = 0; k < pl->nframes; k++) {
			h->bit = pl->bit + (u64)k * d->mode->frame_bits;
			tdmx_hdlc_rx_octets(&h->rx, &pl->ts[h->ts][k], 1);
		}
	}
}

static int add_extract(struct decoder *d, const char *arg)
{
	struct extract *x;
	int ret;

	if (d->n_ext == LINE_MAX_SPECS)
		return line_err("decode: too many --extract options (at most %d)",
				LINE_MAX_SPECS);
	x = &d->ext[d->n_ext];
	ret = line_split_ts("--extract", arg, &x->ts, &x->path);
	if (ret)
		return ret;
	d->n_ext++;
	return 0;
}

static int add_hdlc(struct decoder *d, const char *arg)
{
	struct hdlc_dec *h;

	if (d->n_hd == LINE_MAX_SPECS)
		return line_err("decode: too many --hdlc options (at most %d)", LINE_MAX_SPECS);
	h = calloc(1, sizeof(*h));
	if (!h)
		return line_errno(ENOMEM, "decode");
	d->hd[d->n_hd++] = h;
	return line_split_ts("--hdlc", arg, &h->ts, &h->path);
}

static int parse(struct decoder *d, int argc, char **argv, bool *help)
{
	enum { O_MODE = 256, O_CAS, O_EXTRACT, O_HDLC, O_HDLC_RATE };
	static const struct option opts[] = {
		{ "mode", required_argument, NULL, O_MODE },
		{ "cas", no_argument, NULL, O_CAS },
		{ "extract", required_argument, NULL, O_EXTRACT },
		{ "hdlc", required_argument, NULL, O_HDLC },
		{ "hdlc-rate", required_argument, NULL, O_HDLC_RATE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, ret = 0;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case O_MODE:
			ret = line_parse_mode(optarg, &d->mode);
			break;
		case O_CAS:
			d->cas = true;
			break;
		case O_EXTRACT:
			ret = add_extract(d, optarg);
			break;
		case O_HDLC:
			ret = add_hdlc(d, optarg);
			break;
		case O_HDLC_RATE:
			ret = line_parse_hdlc_rate(optarg, &d->hdlc_rate);
			break;
		case 'h':
			*help = true;
			return 0;
		default:
			return line_getopt_fail("decode", c, argc, argv, opts);
		}
		if (ret)
			return ret;
	}
	if (!d->mode)
		return line_err("decode: --mode is required (%s)", line_mode_names());
	if (optind != argc - 1)
		return line_err("decode: expected one input FILE (or - for stdin), got %d",
				argc - optind);
	d->input = argv[optind];
	if (d->cas && d->mode->framing == TDMX_E1_UNFRAMED && d->mode->kind == LINE_E1)
		return line_err("decode: --cas needs a framed mode, not %s", d->mode->name);
	return 0;
}

static int open_outputs(struct decoder *d)
{
	unsigned int i, wav;
	struct hdlc_dec *h;
	struct tdmx_hdlc_config hc = { 0 };
	int ret;

	wav = d->mode->kind == LINE_E1 ? LINE_WAV_ALAW : LINE_WAV_MULAW;
	for (i = 0; i < d->n_ext; i++) {
		ret = line_check_ts(d->mode, d->cas, "--extract", d->ext[i].ts, false);
		if (ret)
			return ret;
	}
	for (i = 0; i < d->n_hd; i++) {
		ret = line_check_ts(d->mode, d->cas, "--hdlc", d->hd[i]->ts, true);
		if (ret)
			return ret;
	}
	for (i = 0; i < d->n_ext; i++) {
		ret = line_out_open(&d->ext[i].out, d->ext[i].path,
				    line_ends_with(d->ext[i].path, ".wav") ? wav : 0);
		if (ret)
			return ret;
	}
	hc.min_len = 1;
	hc.max_len = TDMX_HDLC_MAX_FRAME - 2;
	ret = line_hdlc_bits56(d->mode, d->cas, d->hdlc_rate, &hc.bits56);
	if (ret)
		return ret;
	for (i = 0; i < d->n_hd; i++) {
		h = d->hd[i];
		h->rate = d->mode->rate;
		h->err = &d->err;
		tdmx_hdlc_rx_init(&h->rx, &hc, on_hdlc_frame, h);
		ret = line_pcap_create(&h->pcap, h->path);
		if (ret)
			return ret;
	}
	return 0;
}

static int close_outputs(struct decoder *d)
{
	unsigned int i;
	int ret = 0, r;

	for (i = 0; i < d->n_ext; i++) {
		r = line_out_close(&d->ext[i].out);
		ret = ret ? ret : r;
	}
	for (i = 0; i < d->n_hd; i++) {
		r = line_pcap_close(d->hd[i]->pcap);
		d->hd[i]->pcap = NULL;
		ret = ret ? ret : r;
		free(d->hd[i]);
	}
	return ret;
}

static void rx_init(struct decoder *d)
{
	struct tdmx_fr_sink sink = {
		.event = on_event,
		.payload = d->n_ext || d->n_hd ? on_payload : NULL,
		.ctx = d,
	};
	struct tdmx_e1_config e1 = { 0 };
	struct tdmx_t1_config t1 = { 0 };

	if (d->mode->kind == LINE_E1) {
		e1.framing = d->mode->framing;
		e1.cas = d->cas;
		tdmx_e1_rx_init(&d->rx.e1, &e1, &sink);
	} else {
		t1.framing = d->mode->framing;
		t1.robbed_bits = d->cas;
		tdmx_t1_rx_init(&d->rx.t1, &t1, &sink);
	}
}

static void rx_feed(struct decoder *d, const u8 *buf, size_t n)
{
	if (d->mode->kind == LINE_E1)
		tdmx_e1_rx_feed(&d->rx.e1, buf, n);
	else
		tdmx_t1_rx_feed(&d->rx.t1, buf, n);
}

static void rx_finish(struct decoder *d)
{
	unsigned int i;

	if (d->mode->kind == LINE_E1) {
		tdmx_e1_rx_flush(&d->rx.e1);
		for (i = 0; i < d->n_hd; i++)
			line_json_hdlc(stdout, d->hd[i]->ts, tdmx_hdlc_rx_counters(&d->hd[i]->rx));
		line_json_summary(stdout, tdmx_e1_rx_counters(&d->rx.e1),
				  tdmx_e1_rx_aligned(&d->rx.e1),
				  tdmx_e1_rx_crc4_aligned(&d->rx.e1));
	} else {
		tdmx_t1_rx_flush(&d->rx.t1);
		for (i = 0; i < d->n_hd; i++)
			line_json_hdlc(stdout, d->hd[i]->ts, tdmx_hdlc_rx_counters(&d->hd[i]->rx));
		line_json_summary(stdout, tdmx_t1_rx_counters(&d->rx.t1),
				  tdmx_t1_rx_aligned(&d->rx.t1), false);
	}
}

static int run(struct decoder *d, int fd, u8 *buf)
{
	ssize_t n;

	rx_init(d);
	for (;;) {
		n = read(fd, buf, READ_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return line_errno(errno, "%s", d->input);
		if (!n)
			break;
		rx_feed(d, buf, n);
		if (d->err)
			return d->err;
	}
	rx_finish(d);
	return d->err;
}

/**
 * line_cmd_decode() - the decode subcommand
 * @argc: arguments from the subcommand name on
 * @argv: argv[0] is "decode"
 *
 * Return: 0 or a negative errno (message printed).
 */
int line_cmd_decode(int argc, char **argv)
{
	struct decoder *d;
	bool help = false;
	int fd = -1, ret, r;
	u8 *buf = NULL;

	d = calloc(1, sizeof(*d));
	if (!d)
		return line_errno(ENOMEM, "decode");
	ret = parse(d, argc, argv, &help);
	if (ret || help)
		goto out_free;
	fd = strcmp(d->input, "-") ? open(d->input, O_RDONLY) : 0;
	if (fd < 0) {
		ret = line_errno(errno, "%s", d->input);
		goto out_free;
	}
	buf = malloc(READ_CHUNK);
	if (!buf) {
		ret = line_errno(ENOMEM, "decode");
		goto out_close;
	}
	ret = open_outputs(d);
	if (!ret)
		ret = run(d, fd, buf);
out_close:
	if (fd > 0)
		close(fd);
out_free:
	if (help)
		fputs(line_decode_usage, stdout);
	r = close_outputs(d);
	ret = ret ? ret : r;
	free(buf);
	free(d);
	return ret;
}
