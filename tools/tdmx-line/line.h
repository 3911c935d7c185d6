// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmx-line: shared pieces of the subcommands.
 *
 * A raw line file holds the line's bits in transmission order, the first
 * bit of the file in the MSB of the first byte. Every function here returns
 * 0 or a negative errno; the ones that reject user input print a one-line
 * "tdmx-line: ..." message first (line_err()), so callers only pass the
 * error up. main.c turns it into the exit status (see line_exit_status()).
 */
#ifndef TDMX_LINE_H
#define TDMX_LINE_H

#include <stdio.h>

#include "event.h"

/* Exit statuses, as documented in Documentation/tdmx-line.md. */
#define LINE_EXIT_OK 0
#define LINE_EXIT_IO 1		/* I/O error: an output could not be written */
#define LINE_EXIT_USAGE 2	/* bad options or bad input */

#define LINE_MAX_SPECS 32	/* repeatable TS:FILE options of one kind */

enum line_kind {
	LINE_E1,
	LINE_T1,
};

/**
 * struct line_mode - one value of --mode
 * @name: as typed on the command line
 * @kind: enum line_kind
 * @framing: enum tdmx_e1_framing or enum tdmx_t1_framing
 * @frame_bits: 256 (E1) or 193 (T1)
 * @rate: line rate in bit/s
 */
struct line_mode {
	const char *name;
	unsigned int kind;
	unsigned int framing;
	unsigned int frame_bits;
	unsigned int rate;
};

/* opts.c */
int line_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int line_errno(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void line_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int line_exit_status(int ret);
int line_io_errno(void);
int line_fopen_in(const char *path, FILE **f);
int line_parse_mode(const char *s, const struct line_mode **mode);
const char *line_mode_names(void);
int line_parse_u64(const char *opt, const char *s, u64 min, u64 max, u64 *v);
int line_parse_hex(const char *opt, const char *s, unsigned int max, unsigned int *v);
int line_parse_hdlc_rate(const char *s, unsigned int *rate);
int line_hdlc_bits56(const struct line_mode *m, bool cas, unsigned int rate, bool *bits56);
int line_split_ts(const char *opt, const char *arg, unsigned int *ts, const char **rest);
int line_check_ts(const struct line_mode *m, bool cas, const char *opt,
		  unsigned int ts, bool payload_only);
struct option;
int line_getopt_fail(const char *cmd, int c, int argc, char *const argv[],
		     const struct option *opts);
bool line_ends_with(const char *s, const char *suffix);

/* json.c */
void line_json_event(FILE *f, const struct tdmx_fr_event *ev);
void line_json_summary(FILE *f, const struct tdmx_fr_counters *c, bool aligned,
		       bool crc4);
struct tdmx_hdlc_counters;
void line_json_hdlc(FILE *f, unsigned int ts, const struct tdmx_hdlc_counters *c);

/* wav.c: a timeslot's octets to or from a raw file or an 8-bit G.711 WAV */
#define LINE_WAV_ALAW 6
#define LINE_WAV_MULAW 7

/**
 * struct line_out - timeslot octets being written
 * @f: the open file
 * @path: its name, for messages
 * @wav_format: 0 for raw, else LINE_WAV_ALAW / LINE_WAV_MULAW
 * @bytes: octets written so far (WAV samples)
 */
struct line_out {
	FILE *f;
	const char *path;
	unsigned int wav_format;
	u64 bytes;
};

/**
 * struct line_in - timeslot octets being read
 * @f: the open file
 * @path: its name, for messages
 * @left: octets still to read (the WAV data chunk), UINT64_MAX for raw
 */
struct line_in {
	FILE *f;
	const char *path;
	u64 left;
};

int line_out_open(struct line_out *o, const char *path, unsigned int wav_format);
int line_out_write(struct line_out *o, const u8 *p, size_t n);
int line_out_close(struct line_out *o);
int line_in_open(struct line_in *in, const char *path, unsigned int wav_format);
long line_in_read(struct line_in *in, u8 *buf, size_t n);
void line_in_close(struct line_in *in);

/* pcap_lapd.c */
struct line_pcap;

int line_pcap_create(struct line_pcap **p, const char *path);
int line_pcap_write_lapd(struct line_pcap *p, u64 bit, unsigned int rate,
			 const u8 *frame, unsigned int len);
int line_pcap_close(struct line_pcap *p);
bool line_pcap_magic(const u8 magic[4]);

/* hdlc_input.c: the frames of encode --hdlc */
struct line_frame {
	u8 *data;
	unsigned int len;
};

struct line_frames {
	struct line_frame *v;
	size_t n;
	size_t cap;
};

int line_frames_add(struct line_frames *fr, const u8 *data, unsigned int len,
		    const char *path);
int line_frames_load(struct line_frames *fr, const char *path);
int line_frames_load_pcap(struct line_frames *fr, const char *path);
void line_frames_free(struct line_frames *fr);

/* the subcommands */
int line_cmd_decode(int argc, char **argv);
int line_cmd_encode(int argc, char **argv);
int line_cmd_corrupt(int argc, char **argv);

extern const char line_decode_usage[];
extern const char line_encode_usage[];
extern const char line_corrupt_usage[];

#endif /* TDMX_LINE_H */
