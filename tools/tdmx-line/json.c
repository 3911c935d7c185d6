// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Receiver events as JSON lines, one object per line, keys in a fixed
 * order: "ev", "bit", then the fields of that event type.
 */
#include <inttypes.h>

#include "hdlc.h"
#include "line.h"

static void abcd_text(char out[5], unsigned int abcd)
{
	int i;

	/* A is bit 3 and is printed first */
	for (i = 0; i < 4; i++)
		out[i] = (abcd >> (3 - i)) & 1 ? '1' : '0';
	out[4] = 0;
}

/**
 * line_json_event() - print one receiver event
 * @f: output stream
 * @ev: the event
 */
void line_json_event(FILE *f, const struct tdmx_fr_event *ev)
{
	char abcd[5];

	fprintf(f, "{\"ev\":\"%s\",\"bit\":%" PRIu64, tdmx_fr_ev_name(ev->type), ev->bit);
	switch (ev->type) {
	case TDMX_FR_EV_CRC4_ERROR:
	case TDMX_FR_EV_EBIT:
		fprintf(f, ",\"smf\":%u", ev->smf);
		break;
	case TDMX_FR_EV_ABCD:
		abcd_text(abcd, ev->abcd);
		fprintf(f, ",\"ts\":%u,\"abcd\":\"%s\"", ev->ts, abcd);
		break;
	case TDMX_FR_EV_ALARM:
		fprintf(f, ",\"alarm\":\"%s\",\"on\":%s", tdmx_fr_alarm_name(ev->alarm),
			ev->on ? "true" : "false");
		break;
	default:
		break;
	}
	fputs("}\n", f);
}

/**
 * line_json_summary() - print the closing summary line
 * @f: output stream
 * @c: the receiver's counters at end of input
 * @aligned: frame alignment held at end of input
 * @crc4: CRC-4 multiframe alignment held at end of input
 */
void line_json_summary(FILE *f, const struct tdmx_fr_counters *c, bool aligned,
		       bool crc4)
{
	fprintf(f, "{\"ev\":\"summary\",\"frames\":%" PRIu64 ",\"fas_errors\":%" PRIu64
		",\"crc_errors\":%" PRIu64 ",\"ebit_errors\":%" PRIu64
		",\"realignments\":%" PRIu64 ",\"aligned\":%s,\"crc4\":%s"
		",\"es\":%" PRIu64 ",\"ses\":%" PRIu64 ",\"uas\":%" PRIu64 "}\n",
		c->frames, c->fas_errors, c->crc_errors, c->ebit_errors, c->realignments,
		aligned ? "true" : "false", crc4 ? "true" : "false",
		c->es, c->ses, c->uas);
}

/**
 * line_json_hdlc() - print the counters of one HDLC timeslot (before the
 *	summary, with decode --hdlc)
 * @f: output stream
 * @ts: the timeslot
 * @c: its receiver's counters at end of input
 */
void line_json_hdlc(FILE *f, unsigned int ts, const struct tdmx_hdlc_counters *c)
{
	fprintf(f, "{\"ev\":\"hdlc_summary\",\"ts\":%u,\"frames\":%" PRIu64
		",\"fcs_errors\":%" PRIu64 ",\"aborts\":%" PRIu64 ",\"too_short\":%" PRIu64
		",\"too_long\":%" PRIu64 ",\"misaligned\":%" PRIu64 "}\n",
		ts, c->frames, c->fcs_errors, c->aborts, c->too_short, c->too_long,
		c->misaligned);
}
