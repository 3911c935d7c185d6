/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tdmxd configuration: a YAML file read with libyaml (format in
 * Documentation/tdmxd.md and the example userspace/tdmxd/tdmxd.yaml).
 *
 * Every error names FILE:LINE:COLUMN (both from 1) and what was wrong;
 * unknown keys, duplicate keys, wrong types and values out of range are all
 * errors, so that a typo never silently falls back to a default.
 */
#ifndef TDMXD_CONFIG_H
#define TDMXD_CONFIG_H

#include <limits.h>
#include <stddef.h>
#include <sys/un.h>

#include "media.h"

#define CFG_ERR_LEN		512
#define CFG_NAME_LEN		64
#define CFG_MAX_WORKERS		64
#define CFG_MAX_JITTER_MS	40
#define CFG_DEFAULT_BLOCK_MS	10
#define CFG_DEFAULT_JITTER_MS	4
#define CFG_DEFAULT_CONTROL	"/run/tdmxd/control"
#define CFG_DEFAULT_REC_DIR	"/var/lib/tdmxd/recordings"
#define CFG_DEFAULT_REC_DB	"/var/lib/tdmxd/recordings.db"
#define CFG_DEFAULT_PROMPT_DIR	"/usr/share/tdmxd/prompts"
#define CFG_DEFAULT_COUNTRY	"itu"
#define CFG_DEFAULT_CTI		"/run/tdmxd/cti"
#define CFG_DEFAULT_ACD_LOG	"/var/lib/tdmxd/acd.log"

/**
 * struct cfg_span - one span to attach
 * @span: span number (1..MEDIA_MAX_SPANS)
 * @block_ms: wake-up interval set on the span, 1..20 ms
 * @law: enum media_law, or 0: use the law the span has in the kernel
 */
struct cfg_span {
	unsigned int span;
	unsigned int block_ms;
	unsigned int law;
};

/**
 * struct cfg - the whole configuration
 * @file: where it was read from
 * @log_level: syslog priority (LOG_ERR..LOG_DEBUG)
 * @workers: media worker threads (spans are shared out among them)
 * @jitter_ms: wake-up lateness absorbed without a gap: tx blocks are
 *	written this much further ahead, and audio crossing between spans is
 *	buffered this much longer
 * @rt_priority: SCHED_FIFO priority of the media workers (1-99), 0: normal
 *	scheduling
 * @control: control socket path
 * @user: drop privileges to this user after opening devices ("" = stay)
 * @group: and this group ("" = the user's primary group)
 * @rec_dir: where recordings are written
 * @rec_db: the recordings index (SQLite)
 * @prompt_dir: where prompts are loaded from
 * @tone_country: tone plan ("cn", "itu", "eu", "us", ...)
 * @nspans: entries in @spans
 * @spans: the spans to attach, in file order
 * @acd_config: acd: config: the ACD file ("" = no ACD, no CTI socket)
 * @acd_log: acd: log: the append-only ACD event log (recovered at start)
 * @cti_socket: cti: socket: the CTI Unix socket path
 * @cti_tcp_address: cti: tcp_address: numeric address for TCP ("" = none)
 * @cti_tcp_port: cti: tcp_port
 * @cti_tokens: cti: tokens: the file of client tokens
 * @cti_history: cti: history: events kept for resync (0 = default)
 * @cti_customers: cti: customers: the screen-pop SQLite file ("" = none)
 * @cti_country: cti: country_code: for caller number normalisation
 */
struct cfg {
	char file[PATH_MAX];
	int log_level;
	unsigned int workers;
	unsigned int jitter_ms;
	unsigned int rt_priority;
	char control[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char user[CFG_NAME_LEN];
	char group[CFG_NAME_LEN];
	char rec_dir[PATH_MAX];
	char rec_db[PATH_MAX];
	char prompt_dir[PATH_MAX];
	char tone_country[16];
	unsigned int nspans;
	struct cfg_span spans[MEDIA_MAX_SPANS];
	char acd_config[PATH_MAX];
	char acd_log[PATH_MAX];
	char cti_socket[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char cti_tcp_address[48];
	unsigned int cti_tcp_port;
	char cti_tokens[PATH_MAX];
	unsigned int cti_history;
	char cti_customers[PATH_MAX];
	char cti_country[8];
};

void cfg_defaults(struct cfg *c);
int cfg_load(struct cfg *c, const char *file, char *err, size_t errlen);
int cfg_parse(struct cfg *c, const char *name, const char *text, size_t len,
	      char *err, size_t errlen);
const struct cfg_span *cfg_span_find(const struct cfg *c, unsigned int span);

#endif /* TDMXD_CONFIG_H */
