// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The printers shared by tdmxctl (GET replies) and tdmxmon (notifications):
 * one iproute2-style line, or the members of one JSON object, per span,
 * channel, card, counter set and alarm edge. Only members that are present
 * are printed. Unknown enum values print as their number.
 *
 * JSON keys: span: span name card line framing linecode signalling dchan
 * law clock loopback block_ms channels alarms master clock_ppm; chan: span
 * chan chan_type rxabcd txabcd open; vcard: vcard vcard_type line spans
 * (deleted); counters: span counters{...}; alarm: span alarm on alarms seq.
 * A tdmxmon line adds "time" and "type" (span, chan, vcard, alarm) first,
 * which is why the channel and card types are not called "type".
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "libtdmx_priv.h"

/* the name of @v, or its number in @buf */
static const char *nm(enum tdmx_kind kind, unsigned int v, char buf[12])
{
	const char *n = tdmx_name(kind, v);

	if (n)
		return n;
	snprintf(buf, 12, "%u", v);
	return buf;
}

static void abcd_text(char out[5], unsigned int abcd)
{
	int i;

	/* A is bit 3 and is printed first */
	for (i = 0; i < 4; i++)
		out[i] = (abcd >> (3 - i)) & 1 ? '1' : '0';
	out[4] = 0;
}

/**
 * tdmx_print_span() - "span 1 vcard1/0 e1 framing e1-crc4 signalling ccs
 *	dchan 16 law alaw clock 1 loopback none block 10ms alarms LOF,RAI
 *	master" and a newline; dchan only with CCS, ppm only when non-zero
 * @f: output
 * @s: the span
 * @verb: a word after the span number ("changed"), or NULL
 */
void tdmx_print_span(FILE *f, const struct tdmx_span *s, const char *verb)
{
	static const struct {
		uint32_t field;
		const char *key;
		enum tdmx_kind kind;
		size_t off;
	} named[] = {
		{ TDMX_SPAN_F_FRAMING, "framing", TDMX_K_FRAMING, offsetof(struct tdmx_span, framing) },
		{ TDMX_SPAN_F_LINECODE, "linecode", TDMX_K_LINECODE,
		  offsetof(struct tdmx_span, linecode) },
		{ TDMX_SPAN_F_SIGNALLING, "signalling", TDMX_K_SIGNALLING,
		  offsetof(struct tdmx_span, signalling) },
	};
	char buf[12], alarms[160];
	size_t i;

	fprintf(f, "span %" PRIu32, s->id);
	if (verb)
		fprintf(f, " %s", verb);
	if (s->fields & TDMX_SPAN_F_NAME)
		fprintf(f, " %s", s->name);
	if (s->fields & TDMX_SPAN_F_LINE)
		fprintf(f, " %s", nm(TDMX_K_LINE, s->line, buf));
	for (i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (s->fields & named[i].field)
			fprintf(f, " %s %s", named[i].key,
				nm(named[i].kind, *((const uint8_t *)s + named[i].off), buf));
	if ((s->fields & TDMX_SPAN_F_DCHAN) &&
	    (!(s->fields & TDMX_SPAN_F_SIGNALLING) || s->signalling == TDMX_SIG_CCS))
		fprintf(f, " dchan %u", s->dchan);
	if (s->fields & TDMX_SPAN_F_LAW)
		fprintf(f, " law %s", nm(TDMX_K_LAW, s->law, buf));
	if (s->fields & TDMX_SPAN_F_CLOCK_PRIO)
		fprintf(f, " clock %u", s->clock_prio);
	if (s->fields & TDMX_SPAN_F_LOOPBACK)
		fprintf(f, " loopback %s", nm(TDMX_K_LOOPBACK, s->loopback, buf));
	if (s->fields & TDMX_SPAN_F_BLOCK_MS)
		fprintf(f, " block %ums", s->block_ms);
	if ((s->fields & TDMX_SPAN_F_CLOCK_PPM) && s->clock_ppm)
		fprintf(f, " ppm %" PRId32, s->clock_ppm);
	if (s->fields & TDMX_SPAN_F_ALARMS) {
		tdmx_alarms_text(s->alarms, alarms, sizeof(alarms));
		fprintf(f, " alarms %s", alarms);
	}
	if (s->timing_master)
		fputs(" master", f);
	fputc('\n', f);
}

static void json_alarms(struct tdmx_json *j, uint32_t alarms)
{
	char buf[16];
	unsigned int bit;

	tdmx_json_arr_open(j, "alarms");
	for (bit = 0; bit < 32; bit++) {
		if (!(alarms & (1u << bit)))
			continue;
		if (tdmx_name(TDMX_K_ALARM, bit)) {
			tdmx_json_str(j, NULL, tdmx_name(TDMX_K_ALARM, bit));
		} else {
			snprintf(buf, sizeof(buf), "bit%u", bit);
			tdmx_json_str(j, NULL, buf);
		}
	}
	tdmx_json_arr_close(j);
}

/* the u8 members of a span object, shared with the JSON reader */
const struct tdmx_span_key tdmx_span_keys[] = {
	{ TDMX_SPAN_F_LINE, "line", TDMX_K_LINE, offsetof(struct tdmx_span, line) },
	{ TDMX_SPAN_F_FRAMING, "framing", TDMX_K_FRAMING, offsetof(struct tdmx_span, framing) },
	{ TDMX_SPAN_F_LINECODE, "linecode", TDMX_K_LINECODE, offsetof(struct tdmx_span, linecode) },
	{ TDMX_SPAN_F_SIGNALLING, "signalling", TDMX_K_SIGNALLING,
	  offsetof(struct tdmx_span, signalling) },
	{ TDMX_SPAN_F_DCHAN, "dchan", -1, offsetof(struct tdmx_span, dchan) },
	{ TDMX_SPAN_F_LAW, "law", TDMX_K_LAW, offsetof(struct tdmx_span, law) },
	{ TDMX_SPAN_F_CLOCK_PRIO, "clock", -1, offsetof(struct tdmx_span, clock_prio) },
	{ TDMX_SPAN_F_LOOPBACK, "loopback", TDMX_K_LOOPBACK, offsetof(struct tdmx_span, loopback) },
	{ TDMX_SPAN_F_BLOCK_MS, "block_ms", -1, offsetof(struct tdmx_span, block_ms) },
	{ TDMX_SPAN_F_CHANNELS, "channels", -1, offsetof(struct tdmx_span, channels) },
	{ 0, NULL, 0, 0 },
};

/* the members of a span object; see the keys at the top */
void tdmx_json_span(struct tdmx_json *j, const struct tdmx_span *s)
{
	const struct tdmx_span_key *k;
	char buf[12];

	tdmx_json_uint(j, "span", s->id);
	if (s->fields & TDMX_SPAN_F_NAME)
		tdmx_json_str(j, "name", s->name);
	if (s->fields & TDMX_SPAN_F_CARD)
		tdmx_json_uint(j, "card", s->card);
	for (k = tdmx_span_keys; k->key; k++) {
		uint8_t v = *((const uint8_t *)s + k->off);

		if (!(s->fields & k->field))
			continue;
		if (k->kind < 0)
			tdmx_json_uint(j, k->key, v);
		else
			tdmx_json_str(j, k->key, nm((enum tdmx_kind)k->kind, v, buf));
	}
	if (s->fields & TDMX_SPAN_F_ALARMS)
		json_alarms(j, s->alarms);
	tdmx_json_bool(j, "master", s->timing_master);
	if (s->fields & TDMX_SPAN_F_CLOCK_PPM)
		tdmx_json_int(j, "clock_ppm", s->clock_ppm);
}

/**
 * tdmx_print_chan() - "chan 1/5 type cas rxabcd 1101 txabcd 0101 open 1"
 *	and a newline; the ABCD bits only for cas channels
 * @f: output
 * @c: the channel
 * @verb: a word after the channel address ("changed"), or NULL
 */
void tdmx_print_chan(FILE *f, const struct tdmx_chan *c, const char *verb)
{
	bool cas = !(c->fields & TDMX_CHAN_F_TYPE) || c->type == TDMX_CHAN_CAS;
	char buf[12], abcd[5];

	fprintf(f, "chan %" PRIu32 "/%u", c->span, c->id);
	if (verb)
		fprintf(f, " %s", verb);
	if (c->fields & TDMX_CHAN_F_TYPE)
		fprintf(f, " type %s", nm(TDMX_K_CHAN_TYPE, c->type, buf));
	if (cas && (c->fields & TDMX_CHAN_F_RX_ABCD)) {
		abcd_text(abcd, c->rx_abcd);
		fprintf(f, " rxabcd %s", abcd);
	}
	if (cas && (c->fields & TDMX_CHAN_F_TX_ABCD)) {
		abcd_text(abcd, c->tx_abcd);
		fprintf(f, " txabcd %s", abcd);
	}
	if (c->fields & TDMX_CHAN_F_OPEN)
		fprintf(f, " open %u", c->open);
	fputc('\n', f);
}

void tdmx_json_chan(struct tdmx_json *j, const struct tdmx_chan *c)
{
	char buf[12], abcd[5];

	tdmx_json_uint(j, "span", c->span);
	tdmx_json_uint(j, "chan", c->id);
	if (c->fields & TDMX_CHAN_F_TYPE)
		tdmx_json_str(j, "chan_type", nm(TDMX_K_CHAN_TYPE, c->type, buf));
	if (c->fields & TDMX_CHAN_F_RX_ABCD) {
		abcd_text(abcd, c->rx_abcd);
		tdmx_json_str(j, "rxabcd", abcd);
	}
	if (c->fields & TDMX_CHAN_F_TX_ABCD) {
		abcd_text(abcd, c->tx_abcd);
		tdmx_json_str(j, "txabcd", abcd);
	}
	if (c->fields & TDMX_CHAN_F_OPEN)
		tdmx_json_uint(j, "open", c->open);
}

/**
 * tdmx_print_vcard() - "vcard 1 loop e1 spans 1,2" and a newline
 * @f: output
 * @v: the card
 * @verb: a word after the card id ("new", "deleted"), or NULL
 */
void tdmx_print_vcard(FILE *f, const struct tdmx_vcard *v, const char *verb)
{
	char buf[12];
	unsigned int i;

	fprintf(f, "vcard %" PRIu32, v->id);
	if (verb)
		fprintf(f, " %s", verb);
	if (v->type)
		fprintf(f, " %s", nm(TDMX_K_VCARD_TYPE, v->type, buf));
	if (v->line)
		fprintf(f, " %s", nm(TDMX_K_LINE, v->line, buf));
	for (i = 0; i < v->nspans; i++)
		fprintf(f, "%s%" PRIu32, i ? "," : " spans ", v->spans[i]);
	fputc('\n', f);
}

void tdmx_json_vcard(struct tdmx_json *j, const struct tdmx_vcard *v)
{
	char buf[12];
	unsigned int i;

	tdmx_json_uint(j, "vcard", v->id);
	if (v->type)
		tdmx_json_str(j, "vcard_type", nm(TDMX_K_VCARD_TYPE, v->type, buf));
	if (v->line)
		tdmx_json_str(j, "line", nm(TDMX_K_LINE, v->line, buf));
	tdmx_json_arr_open(j, "spans");
	for (i = 0; i < v->nspans; i++)
		tdmx_json_uint(j, NULL, v->spans[i]);
	tdmx_json_arr_close(j);
}

/* counters printed on one line each, in this order */
static const uint8_t counter_lines[][7] = {
	{ TDMX_A_CNT_FRAMES, TDMX_A_CNT_FAS_ERRORS, TDMX_A_CNT_CRC_ERRORS,
	  TDMX_A_CNT_EBIT_ERRORS, TDMX_A_CNT_REALIGNMENTS, TDMX_A_CNT_SLIPS },
	{ TDMX_A_CNT_ES, TDMX_A_CNT_SES, TDMX_A_CNT_UAS },
	{ TDMX_A_CNT_HDLC_RX_FRAMES, TDMX_A_CNT_HDLC_TX_FRAMES, TDMX_A_CNT_HDLC_BAD_FCS,
	  TDMX_A_CNT_HDLC_ABORTS, TDMX_A_CNT_HDLC_LENGTH },
	{ TDMX_A_CNT_RX_OVERRUNS, TDMX_A_CNT_TX_UNDERRUNS },
	{ TDMX_A_CNT_TICKS, TDMX_A_CNT_TICK_NS, TDMX_A_CNT_TICK_NS_MAX },
};

/**
 * tdmx_print_counters() - "span 1" then the counters, indented, in four
 *	groups (line framing, G.826 seconds, HDLC, channel data, tick cost),
 *	one line each
 * @f: output
 * @c: the counters
 */
void tdmx_print_counters(FILE *f, const struct tdmx_counters *c)
{
	size_t l, k;
	bool any;

	fprintf(f, "span %" PRIu32 "\n", c->span);
	for (l = 0; l < sizeof(counter_lines) / sizeof(counter_lines[0]); l++) {
		any = false;
		for (k = 0; k < sizeof(counter_lines[0]) && counter_lines[l][k]; k++) {
			unsigned int a = counter_lines[l][k];

			if (!(c->fields & (1u << a)))
				continue;
			fprintf(f, "%s%s %" PRIu64, any ? " " : "    ", tdmx_name(TDMX_K_COUNTER, a),
				c->v[a]);
			any = true;
		}
		if (any)
			fputc('\n', f);
	}
}

void tdmx_json_counters(struct tdmx_json *j, const struct tdmx_counters *c)
{
	unsigned int a;

	tdmx_json_uint(j, "span", c->span);
	tdmx_json_obj_open(j, "counters");
	for (a = TDMX_A_CNT_FRAMES; a <= TDMX_A_CNT_MAX; a++)
		if (c->fields & (1u << a))
			tdmx_json_uint(j, tdmx_name(TDMX_K_COUNTER, a), c->v[a]);
	tdmx_json_obj_close(j);
}

/**
 * tdmx_print_alarm() - "span 2 alarm rai on (alarms RAI)" and a newline
 * @f: output
 * @a: the edge
 */
void tdmx_print_alarm(FILE *f, const struct tdmx_alarm_edge *a)
{
	char buf[12], alarms[160];

	tdmx_alarms_text(a->alarms, alarms, sizeof(alarms));
	fprintf(f, "span %" PRIu32 " alarm %s %s (alarms %s)\n", a->span,
		nm(TDMX_K_ALARM, a->alarm, buf), a->on ? "on" : "off", alarms);
}

void tdmx_json_alarm(struct tdmx_json *j, const struct tdmx_alarm_edge *a)
{
	char buf[12];

	tdmx_json_uint(j, "span", a->span);
	tdmx_json_str(j, "alarm", nm(TDMX_K_ALARM, a->alarm, buf));
	tdmx_json_bool(j, "on", a->on);
	json_alarms(j, a->alarms);
	tdmx_json_uint(j, "seq", a->seq);
}

const char *const tdmx_event_types[TDMX_EV_ALARM + 1] = {
	[TDMX_EV_SPAN] = "span",
	[TDMX_EV_CHAN] = "chan",
	[TDMX_EV_VCARD] = "vcard",
	[TDMX_EV_ALARM] = "alarm",
};

/**
 * tdmx_print_event() - one notification as one line: "<time> span 1
 *	changed ...", "<time> chan 1/5 changed ...", "<time> vcard 3 new ...",
 *	"<time> vcard 3 deleted", "<time> span 2 alarm rai on (alarms RAI)"
 * @f: output
 * @ev: the notification
 * @time: the time stamp, or NULL for none
 */
void tdmx_print_event(FILE *f, const struct tdmx_event *ev, const char *time)
{
	struct tdmx_vcard gone;

	if (time)
		fprintf(f, "%s ", time);
	switch (ev->type) {
	case TDMX_EV_SPAN:
		tdmx_print_span(f, &ev->span, "changed");
		break;
	case TDMX_EV_CHAN:
		tdmx_print_chan(f, &ev->chan, "changed");
		break;
	case TDMX_EV_VCARD:
		if (!ev->deleted) {
			tdmx_print_vcard(f, &ev->vcard, "new");
			break;
		}
		memset(&gone, 0, sizeof(gone));
		gone.id = ev->vcard.id;
		tdmx_print_vcard(f, &gone, "deleted");
		break;
	case TDMX_EV_ALARM:
		tdmx_print_alarm(f, &ev->alarm);
		break;
	default:
		fprintf(f, "event %d\n", (int)ev->type);
		break;
	}
}

/**
 * tdmx_json_event() - one notification as one object: "time", "type", then
 *	the members of its span/chan/vcard/alarm; a deleted card has only
 *	"vcard" and "deleted": true
 * @j: writer
 * @ev: the notification
 * @time: the time stamp, or NULL for none
 */
void tdmx_json_event(struct tdmx_json *j, const struct tdmx_event *ev, const char *time)
{
	bool known = ev->type >= TDMX_EV_SPAN && ev->type <= TDMX_EV_ALARM;

	tdmx_json_obj_open(j, NULL);
	if (time)
		tdmx_json_str(j, "time", time);
	tdmx_json_str(j, "type", known ? tdmx_event_types[ev->type] : "unknown");
	switch (ev->type) {
	case TDMX_EV_SPAN:
		tdmx_json_span(j, &ev->span);
		break;
	case TDMX_EV_CHAN:
		tdmx_json_chan(j, &ev->chan);
		break;
	case TDMX_EV_VCARD:
		if (!ev->deleted) {
			tdmx_json_vcard(j, &ev->vcard);
			break;
		}
		tdmx_json_uint(j, "vcard", ev->vcard.id);
		tdmx_json_bool(j, "deleted", true);
		break;
	case TDMX_EV_ALARM:
		tdmx_json_alarm(j, &ev->alarm);
		break;
	}
	tdmx_json_obj_close(j);
}

/**
 * tdmx_time_text() - "2026-11-22T22:51:03.123456Z" (UTC, microseconds)
 * @buf: output
 * @ts: the time (CLOCK_REALTIME)
 *
 * Return: 0 or -EINVAL (a time gmtime_r() cannot represent).
 */
int tdmx_time_text(char buf[TDMX_TIME_LEN], const struct timespec *ts)
{
	struct tm tm;
	size_t n;

	buf[0] = 0;
	if (!gmtime_r(&ts->tv_sec, &tm))
		return -EINVAL;
	n = strftime(buf, TDMX_TIME_LEN, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!n)
		return -EINVAL;
	snprintf(buf + n, TDMX_TIME_LEN - n, ".%06ldZ", (long)(ts->tv_nsec / 1000));
	return 0;
}
