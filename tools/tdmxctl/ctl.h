/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tdmxctl internals. Parsing (parse.c, and apply.c for files) turns the
 * command line into a struct ctl_req without touching the kernel, so it is
 * unit-tested; running (run.c) sends it with libtdmx and prints the result.
 */
#ifndef TDMX_CTL_H
#define TDMX_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "libtdmx.h"

/* exit status */
enum {
	CTL_EXIT_OK = 0,
	CTL_EXIT_FAIL = 1,	/* the kernel refused, or another operation error */
	CTL_EXIT_USAGE = 2,	/* bad command line or bad input file */
	CTL_EXIT_NOMOD = 3,	/* no generic netlink family "tdmx" */
};

#define CTL_ERR_LEN 512

struct ctl {
	bool json;
	bool pretty;
	struct tdmx *h;		/* opened by ctl_connect() */
};

struct ctl_cmd;
struct ctl_obj;

/**
 * struct ctl_req - one parsed command line
 * @obj: the object ("span"), set as soon as it is known
 * @cmd: the command ("set"), set as soon as it is known
 * @span: span number, 0 when none was given
 * @ts: timeslot / channel, 0 when none was given
 * @vcard: card id (vcard del)
 * @vcard_type: enum tdmx_vcard_type (vcard add)
 * @line: enum tdmx_line (vcard add)
 * @span_cfg: span set
 * @chan_cfg: chan set
 * @fault: fault set
 * @file: apply
 * @topic: help: the object asked about, NULL for all
 */
struct ctl_req {
	const struct ctl_obj *obj;
	const struct ctl_cmd *cmd;
	uint32_t span;
	unsigned int ts;
	uint32_t vcard;
	uint8_t vcard_type;
	uint8_t line;
	struct tdmx_span span_cfg;
	struct tdmx_chan chan_cfg;
	struct tdmx_fault fault;
	const char *file;
	const struct ctl_obj *topic;
};

typedef int (*ctl_parse_fn)(int argc, char **argv, struct ctl_req *req, char *err,
			    size_t errlen);
typedef int (*ctl_run_fn)(struct ctl *c, const struct ctl_req *req);

struct ctl_cmd {
	const char *name;	/* NULL: the object takes its arguments directly */
	ctl_parse_fn parse;
	ctl_run_fn run;
	const char *usage;	/* "span set N [framing F] ..." */
};

struct ctl_obj {
	const char *name;
	const struct ctl_cmd *cmds;
	size_t ncmds;
	const char *help;	/* one line */
};

/* parse.c */
extern const struct ctl_obj ctl_objs[];
extern const size_t ctl_nobjs;

int ctl_parse(int argc, char **argv, struct ctl_req *req, char *err, size_t errlen);
int ctl_parse_span_id(const char *s, uint32_t *span, char *err, size_t errlen);
int ctl_parse_chan_addr(const char *s, bool need_ts, uint32_t *span, unsigned int *ts,
			char *err, size_t errlen);
int ctl_parse_span_keys(int argc, char **argv, struct tdmx_span *cfg, char *err, size_t errlen);
int ctl_parse_chan_keys(int argc, char **argv, struct tdmx_chan *cfg, char *err, size_t errlen);
int ctl_parse_fault_keys(int argc, char **argv, struct tdmx_fault *f, char *err, size_t errlen);
void ctl_usage(FILE *f, const struct ctl_obj *only);
int ctl_errf(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* run.c */
int ctl_connect(struct ctl *c);
int ctl_fail(struct ctl *c, int err, const char *where);
void ctl_warn_ext_ack(struct ctl *c, const char *where);
int ctl_run_help(struct ctl *c, const struct ctl_req *req);
int ctl_run_span_show(struct ctl *c, const struct ctl_req *req);
int ctl_run_span_set(struct ctl *c, const struct ctl_req *req);
int ctl_run_chan_show(struct ctl *c, const struct ctl_req *req);
int ctl_run_chan_set(struct ctl *c, const struct ctl_req *req);
int ctl_run_vcard_add(struct ctl *c, const struct ctl_req *req);
int ctl_run_vcard_del(struct ctl *c, const struct ctl_req *req);
int ctl_run_vcard_show(struct ctl *c, const struct ctl_req *req);
int ctl_run_fault_set(struct ctl *c, const struct ctl_req *req);
int ctl_run_counters_show(struct ctl *c, const struct ctl_req *req);
int ctl_run_counters_reset(struct ctl *c, const struct ctl_req *req);

/* apply.c */

/**
 * struct ctl_apply_item - one line of an apply file
 * @line: its line number
 * @is_chan: a "chan" line (else "span")
 * @span: span number
 * @ts: timeslot (chan lines)
 * @span_cfg: what a span line sets
 * @chan_cfg: what a chan line sets
 */
struct ctl_apply_item {
	unsigned int line;
	bool is_chan;
	uint32_t span;
	unsigned int ts;
	struct tdmx_span span_cfg;
	struct tdmx_chan chan_cfg;
};

struct ctl_apply {
	char *name;
	size_t n;
	size_t cap;
	struct ctl_apply_item *items;
};

int ctl_apply_parse(FILE *f, const char *name, struct ctl_apply *a, char *err, size_t errlen);
void ctl_apply_free(struct ctl_apply *a);
int ctl_run_apply(struct ctl *c, const struct ctl_req *req);

#endif /* TDMX_CTL_H */
