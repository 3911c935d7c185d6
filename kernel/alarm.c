// SPDX-License-Identifier: GPL-2.0-only
/*
 * Span alarms: the framer's defect edges become span alarm state, one
 * netlink notification per edge (group "alarm"), and an event on every
 * open channel of the span. Signalling changes go to their channel.
 */
#include "tdmx.h"

/**
 * tdmx_alarm_edge() - record an alarm edge and tell everyone (span locked)
 * @span: the span
 * @alarm: enum tdmx_alarm
 * @on: raised or cleared; a slip is only ever raised
 */
void tdmx_alarm_edge(struct tdmx_span *span, unsigned int alarm, bool on)
{
	u32 bit = BIT(alarm);
	unsigned int i;

	if (alarm != TDMX_ALARM_SLIP) {
		if (!!(span->alarms & bit) == on)
			return;
		if (on)
			span->alarms |= bit;
		else
			span->alarms &= ~bit;
	}
	span->alarm_seq++;
	tdmx_netlink_notify_alarm(span, alarm, on);
	for (i = 1; i <= span->nchans; i++)
		tdmx_chan_event(&span->chans[i], TDMX_CHAN_EV_ALARM, span->alarms);
}

static void abcd(struct tdmx_span *span, const struct tdmx_fr_event *ev)
{
	struct tdmx_chan *chan;

	if (!ev->ts || ev->ts > span->nchans)
		return;
	chan = &span->chans[ev->ts];
	chan->rx_abcd = ev->abcd;
	tdmx_chan_event(chan, TDMX_CHAN_EV_ABCD, ev->abcd);
}

static const u8 framer_alarm[TDMX_FR_ALARM_COUNT] = {
	[TDMX_FR_ALARM_LOS] = TDMX_ALARM_LOS,
	[TDMX_FR_ALARM_AIS] = TDMX_ALARM_AIS,
	[TDMX_FR_ALARM_LOF] = TDMX_ALARM_LOF,
	[TDMX_FR_ALARM_RAI] = TDMX_ALARM_RAI,
	[TDMX_FR_ALARM_TS16_AIS] = TDMX_ALARM_TS16_AIS,
	[TDMX_FR_ALARM_CAS_RMFA] = TDMX_ALARM_CAS_RMFA,
	[TDMX_FR_ALARM_YELLOW] = TDMX_ALARM_RAI,
};

/**
 * tdmx_alarm_from_framer() - act on a framer event (span locked)
 * @span: the span
 * @ev: the event
 */
void tdmx_alarm_from_framer(struct tdmx_span *span, const struct tdmx_fr_event *ev)
{
	switch (ev->type) {
	case TDMX_FR_EV_ALARM:
		if (ev->alarm < TDMX_FR_ALARM_COUNT)
			tdmx_alarm_edge(span, framer_alarm[ev->alarm], ev->on);
		break;
	case TDMX_FR_EV_FRAME_SYNC:
		/* a new alignment starts the CRC-4 / CAS searches over */
		tdmx_alarm_edge(span, TDMX_ALARM_LOF, false);
		tdmx_alarm_edge(span, TDMX_ALARM_CRC4_IW, false);
		break;
	case TDMX_FR_EV_FRAME_LOSS:
		tdmx_alarm_edge(span, TDMX_ALARM_LOF, true);
		break;
	case TDMX_FR_EV_CRC4_INTERWORKING:
		tdmx_alarm_edge(span, TDMX_ALARM_CRC4_IW, true);
		break;
	case TDMX_FR_EV_CAS_LOSS:
		tdmx_alarm_edge(span, TDMX_ALARM_CAS_LOMF, true);
		break;
	case TDMX_FR_EV_CAS_SYNC:
		tdmx_alarm_edge(span, TDMX_ALARM_CAS_LOMF, false);
		break;
	case TDMX_FR_EV_ABCD:
		abcd(span, ev);
		break;
	default:
		break;
	}
}
