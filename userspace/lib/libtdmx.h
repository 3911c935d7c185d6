/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libtdmx: userspace access to the tdmx kernel module.
 *
 *   names     enum <-> string tables for every enum of the uapi header
 *   netlink   struct tdmx (one request socket): span, chan, vcard, fault
 *             and counters requests; the kernel's extack text of the last
 *             request
 *   monitor   struct tdmx_mon: the "monitor" and "alarm" groups on a
 *             non-blocking socket, notifications parsed into struct
 *             tdmx_event
 *   devices   channel devices /dev/tdmx/chan/<span>/<ts> and the mmap'ed
 *             rings of /dev/tdmx/span/<n>
 *   output    printers shared by tdmxctl and tdmxmon: one human line or one
 *             JSON object per span/chan/vcard/counters/event, a small JSON
 *             writer, and a parser for the flat JSON lines tdmxmon -j writes
 *
 * Conventions: functions return 0 (or a documented positive value) on
 * success and a negative errno on failure; they never set errno for their
 * result and never print, except the output functions, which print to the
 * FILE they are given. The netlink parse functions are the same for GET
 * replies and notifications. See include/uapi/linux/tdmx.h for the
 * semantics of every field.
 */
#ifndef TDMX_LIBTDMX_H
#define TDMX_LIBTDMX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <linux/netlink.h>
#include <linux/tdmx.h>

/* ---------------------------------------------------------------- names */

/* The enums that have names. */
enum tdmx_kind {
	TDMX_K_LINE,		/* enum tdmx_line: e1 t1 */
	TDMX_K_FRAMING,		/* enum tdmx_framing: e1-unframed e1 e1-crc4 t1-d4 t1-esf */
	TDMX_K_LINECODE,	/* enum tdmx_linecode: hdb3 ami b8zs */
	TDMX_K_SIGNALLING,	/* enum tdmx_signalling: none cas ccs */
	TDMX_K_LAW,		/* enum tdmx_law: alaw ulaw */
	TDMX_K_LOOPBACK,	/* enum tdmx_loopback: none local remote payload */
	TDMX_K_CHAN_TYPE,	/* enum tdmx_chan_type: unused voice clear hdlc cas */
	TDMX_K_ALARM,		/* enum tdmx_alarm: los ais lof rai crc4_iw ... */
	TDMX_K_VCARD_TYPE,	/* enum tdmx_vcard_type: loop tap */
	TDMX_K_COUNTER,		/* enum tdmx_cnt_attr: frames fas_errors ... */
	__TDMX_K_MAX
};

const char *tdmx_name(enum tdmx_kind kind, unsigned int value);
int tdmx_value(enum tdmx_kind kind, const char *name);
size_t tdmx_names_list(enum tdmx_kind kind, char *buf, size_t len);
const char *tdmx_kind_name(enum tdmx_kind kind);
size_t tdmx_alarms_text(uint32_t alarms, char *buf, size_t len);
const char *tdmx_attr_name(unsigned int attr);

/* -------------------------------------------------------- netlink objects */

#define TDMX_SPAN_NAME_LEN	32
#define TDMX_VCARD_MAX_SPANS	8

/* struct tdmx_span.fields: which members hold a value */
enum {
	TDMX_SPAN_F_NAME	= 1u << 0,
	TDMX_SPAN_F_CARD	= 1u << 1,
	TDMX_SPAN_F_LINE	= 1u << 2,
	TDMX_SPAN_F_FRAMING	= 1u << 3,
	TDMX_SPAN_F_LINECODE	= 1u << 4,
	TDMX_SPAN_F_SIGNALLING	= 1u << 5,
	TDMX_SPAN_F_DCHAN	= 1u << 6,
	TDMX_SPAN_F_LAW		= 1u << 7,
	TDMX_SPAN_F_CLOCK_PRIO	= 1u << 8,
	TDMX_SPAN_F_LOOPBACK	= 1u << 9,
	TDMX_SPAN_F_BLOCK_MS	= 1u << 10,
	TDMX_SPAN_F_CHANNELS	= 1u << 11,
	TDMX_SPAN_F_ALARMS	= 1u << 12,
	TDMX_SPAN_F_CLOCK_PPM	= 1u << 13,
	TDMX_SPAN_F_GENERATION	= 1u << 14,
};

/* the fields TDMX_CMD_SPAN_SET takes */
#define TDMX_SPAN_F_SETTABLE (TDMX_SPAN_F_FRAMING | TDMX_SPAN_F_LINECODE |	\
	TDMX_SPAN_F_SIGNALLING | TDMX_SPAN_F_DCHAN | TDMX_SPAN_F_LAW |		\
	TDMX_SPAN_F_CLOCK_PRIO | TDMX_SPAN_F_LOOPBACK | TDMX_SPAN_F_BLOCK_MS)

/**
 * struct tdmx_span - one span (GET reply, SPAN_NTF, or a SET request)
 * @fields: TDMX_SPAN_F_* of the members below that hold a value
 * @id: span number, from 1 (always present)
 * @timing_master: the TDMX_A_SPAN_TIMING_MASTER flag (absent = false)
 * Other members: the TDMX_A_SPAN_* attribute of the same name.
 */
struct tdmx_span {
	uint32_t fields;
	uint32_t id;
	char name[TDMX_SPAN_NAME_LEN];
	uint32_t card;
	uint8_t line;
	uint8_t framing;
	uint8_t linecode;
	uint8_t signalling;
	uint8_t dchan;
	uint8_t law;
	uint8_t clock_prio;
	uint8_t loopback;
	uint8_t block_ms;
	uint8_t channels;
	uint32_t alarms;
	bool timing_master;
	int32_t clock_ppm;
	uint32_t generation;
};

/* struct tdmx_chan.fields */
enum {
	TDMX_CHAN_F_TYPE	= 1u << 0,
	TDMX_CHAN_F_RX_ABCD	= 1u << 1,
	TDMX_CHAN_F_TX_ABCD	= 1u << 2,
	TDMX_CHAN_F_OPEN	= 1u << 3,
};

#define TDMX_CHAN_F_SETTABLE (TDMX_CHAN_F_TYPE | TDMX_CHAN_F_TX_ABCD)

/**
 * struct tdmx_chan - one channel (GET reply, CHAN_NTF, or a SET request).
 * Named so because struct tdmx_chan_info is the uapi ioctl structure.
 * @fields: TDMX_CHAN_F_* of the members that hold a value
 * @span: span number (always present)
 * @id: timeslot / channel number (always present)
 * @type: enum tdmx_chan_type
 * @rx_abcd: received ABCD, A in bit 3
 * @tx_abcd: ABCD sent, A in bit 3
 * @open: open files on the channel device
 */
struct tdmx_chan {
	uint32_t fields;
	uint32_t span;
	uint8_t id;
	uint8_t type;
	uint8_t rx_abcd;
	uint8_t tx_abcd;
	uint8_t open;
};

/**
 * struct tdmx_vcard - one virtual card
 * @id: card id
 * @type: enum tdmx_vcard_type, 0 if the message had none
 * @line: enum tdmx_line, 0 if the message had none
 * @nspans: entries in @spans
 * @spans: span numbers, in message order
 */
struct tdmx_vcard {
	uint32_t id;
	uint8_t type;
	uint8_t line;
	unsigned int nspans;
	uint32_t spans[TDMX_VCARD_MAX_SPANS];
};

/**
 * struct tdmx_counters - the counters of one span
 * @span: span number
 * @fields: bit n set when counter n (enum tdmx_cnt_attr) is present
 * @v: counter values, indexed by enum tdmx_cnt_attr
 */
struct tdmx_counters {
	uint32_t span;
	uint32_t fields;
	uint64_t v[__TDMX_A_CNT_MAX];
};

/* struct tdmx_fault.fields */
enum {
	TDMX_FAULT_F_BER	= 1u << 0,
	TDMX_FAULT_F_BURST	= 1u << 1,
	TDMX_FAULT_F_SLIP	= 1u << 2,
	TDMX_FAULT_F_LOS	= 1u << 3,
	TDMX_FAULT_F_AIS	= 1u << 4,
	TDMX_FAULT_F_NOCRC4	= 1u << 5,
	TDMX_FAULT_F_RAI	= 1u << 6,
	TDMX_FAULT_F_CLOCK_PPM	= 1u << 7,
};

/**
 * struct tdmx_fault - a TDMX_CMD_FAULT_SET request
 * @fields: TDMX_FAULT_F_* of the members to send (SLIP has no member)
 * @ber: bit errors per 10^9 bits, 0 = off
 * @burst: flip this many bits once
 * @los, @ais, @nocrc4, @rai: 0/1 steady states
 * @clock_ppm: clock offset from the timing master
 */
struct tdmx_fault {
	uint32_t fields;
	uint32_t ber;
	uint32_t burst;
	uint8_t los;
	uint8_t ais;
	uint8_t nocrc4;
	uint8_t rai;
	int32_t clock_ppm;
};

/**
 * struct tdmx_alarm_edge - one TDMX_CMD_ALARM_NTF
 * @span: span number
 * @alarm: enum tdmx_alarm
 * @on: raised (true) or cleared
 * @alarms: the span's whole alarm mask after the edge
 * @seq: per-span edge number
 */
struct tdmx_alarm_edge {
	uint32_t span;
	uint8_t alarm;
	bool on;
	uint32_t alarms;
	uint64_t seq;
};

enum tdmx_event_type {
	TDMX_EV_SPAN = 1,	/* SPAN_NTF: .span */
	TDMX_EV_CHAN,		/* CHAN_NTF: .chan */
	TDMX_EV_VCARD,		/* VCARD_NTF: .vcard (.deleted: card gone) */
	TDMX_EV_ALARM,		/* ALARM_NTF: .alarm */
};

/**
 * struct tdmx_event - one notification
 * @type: which union member is valid
 * @deleted: TDMX_EV_VCARD only: the card was deleted (the notification had
 *	no VCARD_TYPE, or came as TDMX_CMD_VCARD_DEL)
 */
struct tdmx_event {
	enum tdmx_event_type type;
	bool deleted;
	union {
		struct tdmx_span span;
		struct tdmx_chan chan;
		struct tdmx_vcard vcard;
		struct tdmx_alarm_edge alarm;
	};
};

/* Parse one tdmx generic netlink message (reply or notification). */
int tdmx_span_parse(const struct nlmsghdr *nlh, struct tdmx_span *s);
int tdmx_chan_parse(const struct nlmsghdr *nlh, struct tdmx_chan *c);
int tdmx_vcard_parse(const struct nlmsghdr *nlh, struct tdmx_vcard *v);
int tdmx_counters_parse(const struct nlmsghdr *nlh, struct tdmx_counters *c);
int tdmx_alarm_parse(const struct nlmsghdr *nlh, struct tdmx_alarm_edge *a);
int tdmx_event_parse(const struct nlmsghdr *nlh, struct tdmx_event *ev);

/* --------------------------------------------------------------- requests */

struct tdmx;

int tdmx_open(struct tdmx **hp);
void tdmx_close(struct tdmx *h);
const char *tdmx_ext_ack(const struct tdmx *h);
unsigned int tdmx_ext_ack_attr(const struct tdmx *h);
unsigned int tdmx_ext_ack_missing(const struct tdmx *h);

typedef int (*tdmx_span_cb)(const struct tdmx_span *s, void *arg);
typedef int (*tdmx_chan_cb)(const struct tdmx_chan *c, void *arg);
typedef int (*tdmx_vcard_cb)(const struct tdmx_vcard *v, void *arg);
typedef int (*tdmx_counters_cb)(const struct tdmx_counters *c, void *arg);

int tdmx_span_get(struct tdmx *h, uint32_t id, struct tdmx_span *s);
int tdmx_span_dump(struct tdmx *h, tdmx_span_cb cb, void *arg);
int tdmx_span_set(struct tdmx *h, uint32_t id, const struct tdmx_span *cfg);

int tdmx_chan_get(struct tdmx *h, uint32_t span, unsigned int id, struct tdmx_chan *c);
int tdmx_chan_dump(struct tdmx *h, uint32_t span, tdmx_chan_cb cb, void *arg);
int tdmx_chan_set(struct tdmx *h, uint32_t span, unsigned int id, const struct tdmx_chan *cfg);

int tdmx_vcard_new(struct tdmx *h, unsigned int type, unsigned int line, struct tdmx_vcard *v);
int tdmx_vcard_del(struct tdmx *h, uint32_t id);
int tdmx_vcard_dump(struct tdmx *h, tdmx_vcard_cb cb, void *arg);

int tdmx_fault_set(struct tdmx *h, uint32_t span, const struct tdmx_fault *f);

int tdmx_counters_get(struct tdmx *h, uint32_t span, struct tdmx_counters *c);
int tdmx_counters_dump(struct tdmx *h, tdmx_counters_cb cb, void *arg);
int tdmx_counters_reset(struct tdmx *h, uint32_t span);

/* ---------------------------------------------------------------- monitor */

enum {
	TDMX_MON_MONITOR	= 1u << 0,	/* group "monitor": span/chan/vcard */
	TDMX_MON_ALARM		= 1u << 1,	/* group "alarm": alarm edges */
};

struct tdmx_mon;

typedef int (*tdmx_event_cb)(const struct tdmx_event *ev, void *arg);

int tdmx_mon_open(struct tdmx_mon **mp, unsigned int groups);
int tdmx_mon_fd(const struct tdmx_mon *m);
int tdmx_mon_recv(struct tdmx_mon *m, tdmx_event_cb cb, void *arg);
void tdmx_mon_close(struct tdmx_mon *m);
int tdmx_mon_dispatch(int family, const void *buf, size_t len, tdmx_event_cb cb, void *arg);

/* ---------------------------------------------------------------- devices */

const char *tdmx_dev_dir(void);

int tdmx_chandev_open(uint32_t span, unsigned int ts, int flags);
int tdmx_chandev_info(int fd, struct tdmx_chan_info *info);
int tdmx_chandev_rx_abcd(int fd);
int tdmx_chandev_set_tx_abcd(int fd, unsigned int abcd);
int tdmx_chandev_event(int fd, struct tdmx_chan_event *ev);

/**
 * struct tdmx_ring - an open, mapped span device
 * @fd: the span device
 * @span: span number
 * @map: the whole mapping (TDMX_RING_MMAP_SIZE bytes)
 * @hdr: its first page
 * @rx: TDMX_RING_BLOCKS receive blocks
 * @tx: TDMX_RING_BLOCKS transmit blocks
 */
struct tdmx_ring {
	int fd;
	uint32_t span;
	void *map;
	struct tdmx_ring_hdr *hdr;
	const uint8_t *rx;
	uint8_t *tx;
};

int tdmx_ring_open(struct tdmx_ring *r, uint32_t span, int flags);
void tdmx_ring_close(struct tdmx_ring *r);
int tdmx_ring_wait(struct tdmx_ring *r, struct tdmx_span_wake *w);
uint64_t tdmx_ring_rx_seq(const struct tdmx_ring *r);
bool tdmx_ring_rx_valid(const struct tdmx_ring *r, uint64_t seq);
const uint8_t *tdmx_ring_rx_block(const struct tdmx_ring *r, uint64_t seq);
uint8_t *tdmx_ring_tx_block(struct tdmx_ring *r, uint64_t seq);
void tdmx_ring_tx_done(struct tdmx_ring *r, uint64_t seq);

/* octet @f (0..7) of timeslot @ts in a ring block */
static inline unsigned int tdmx_block_index(unsigned int ts, unsigned int f)
{
	return ts * TDMX_RING_FRAMES + f;
}

/* ----------------------------------------------------------------- output */

/**
 * struct tdmx_json - a JSON writer: compact (one line) or pretty (two
 *	spaces per level). Nesting deeper than 32 levels is not supported.
 */
struct tdmx_json {
	FILE *f;
	bool pretty;
	unsigned int depth;
	uint64_t has_items;	/* bit n: level n already has a member */
};

void tdmx_json_init(struct tdmx_json *j, FILE *f, bool pretty);
void tdmx_json_obj_open(struct tdmx_json *j, const char *key);
void tdmx_json_obj_close(struct tdmx_json *j);
void tdmx_json_arr_open(struct tdmx_json *j, const char *key);
void tdmx_json_arr_close(struct tdmx_json *j);
void tdmx_json_str(struct tdmx_json *j, const char *key, const char *val);
void tdmx_json_uint(struct tdmx_json *j, const char *key, uint64_t val);
void tdmx_json_int(struct tdmx_json *j, const char *key, int64_t val);
void tdmx_json_bool(struct tdmx_json *j, const char *key, bool val);
void tdmx_json_escape(FILE *f, const char *s);
/* length 1-4 of the UTF-8 sequence at @s, 0 if invalid (what the writer
 * replaces by U+FFFD); callers that need text to round-trip check with it */
size_t tdmx_utf8_len(const unsigned char *s);

/* members of one object (the caller opens and closes the object) */
void tdmx_json_span(struct tdmx_json *j, const struct tdmx_span *s);
void tdmx_json_chan(struct tdmx_json *j, const struct tdmx_chan *c);
void tdmx_json_vcard(struct tdmx_json *j, const struct tdmx_vcard *v);
void tdmx_json_counters(struct tdmx_json *j, const struct tdmx_counters *c);
void tdmx_json_alarm(struct tdmx_json *j, const struct tdmx_alarm_edge *a);
/* one whole object: {"time":..,"type":..,...} */
void tdmx_json_event(struct tdmx_json *j, const struct tdmx_event *ev, const char *time);

/* one line each (counters: several), newline included */
void tdmx_print_span(FILE *f, const struct tdmx_span *s, const char *verb);
void tdmx_print_chan(FILE *f, const struct tdmx_chan *c, const char *verb);
void tdmx_print_vcard(FILE *f, const struct tdmx_vcard *v, const char *verb);
void tdmx_print_counters(FILE *f, const struct tdmx_counters *c);
void tdmx_print_alarm(FILE *f, const struct tdmx_alarm_edge *a);
void tdmx_print_event(FILE *f, const struct tdmx_event *ev, const char *time);

#define TDMX_TIME_LEN 32
int tdmx_time_text(char buf[TDMX_TIME_LEN], const struct timespec *ts);

/* ------------------------------------------------- flat JSON line parser */

#define TDMX_JSON_MAX_MEMBERS	48
#define TDMX_JSON_MAX_ITEMS	64
#define TDMX_JSON_MAX_TEXT	4096

enum tdmx_jtype {
	TDMX_J_NULL,
	TDMX_J_BOOL,
	TDMX_J_INT,	/* a number without fraction or exponent */
	TDMX_J_REAL,
	TDMX_J_STRING,
	TDMX_J_ARRAY,	/* of scalars */
};

struct tdmx_jval {
	enum tdmx_jtype type;
	bool b;
	int64_t i;
	double r;
	const char *s;
	unsigned int n;			/* array length */
	const struct tdmx_jval *items;	/* array items */
};

/**
 * struct tdmx_jobj - one parsed flat JSON object: members whose values are
 *	scalars or arrays of scalars (what tdmxmon -j writes). All strings
 *	point into @text.
 */
struct tdmx_jobj {
	unsigned int n;
	const char *keys[TDMX_JSON_MAX_MEMBERS];
	struct tdmx_jval vals[TDMX_JSON_MAX_MEMBERS];
	unsigned int nitems;
	struct tdmx_jval items[TDMX_JSON_MAX_ITEMS];
	size_t used;
	char text[TDMX_JSON_MAX_TEXT];
};

int tdmx_jobj_parse(struct tdmx_jobj *o, const char *line, char *err, size_t errlen);
const struct tdmx_jval *tdmx_jobj_get(const struct tdmx_jobj *o, const char *key);
int tdmx_event_from_json(const struct tdmx_jobj *o, struct tdmx_event *ev,
			 char time[TDMX_TIME_LEN], char *err, size_t errlen);

#endif /* TDMX_LIBTDMX_H */
