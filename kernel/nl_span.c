// SPDX-License-Identifier: GPL-2.0-only
/*
 * Span messages: TDMX_CMD_SPAN_GET, TDMX_CMD_SPAN_SET, TDMX_CMD_SPAN_NTF,
 * and TDMX_CMD_ALARM_NTF, the span's alarm edges.
 */
#include "netlink.h"

const struct nla_policy tdmx_nl_span_set_policy[TDMX_A_SPAN_BLOCK_MS + 1] = {
	[TDMX_A_SPAN_ID]	= { .type = NLA_U32 },
	[TDMX_A_SPAN_FRAMING]	= NLA_POLICY_RANGE(NLA_U8,
						   TDMX_FRAMING_E1_UNFRAMED,
						   TDMX_FRAMING_T1_ESF),
	[TDMX_A_SPAN_LINECODE]	= NLA_POLICY_RANGE(NLA_U8, TDMX_LINECODE_HDB3,
						   TDMX_LINECODE_B8ZS),
	[TDMX_A_SPAN_SIGNALLING] = NLA_POLICY_RANGE(NLA_U8, TDMX_SIG_NONE,
						    TDMX_SIG_CCS),
	[TDMX_A_SPAN_DCHAN]	= NLA_POLICY_RANGE(NLA_U8, 1, TDMX_SPAN_TS - 1),
	[TDMX_A_SPAN_LAW]	= NLA_POLICY_RANGE(NLA_U8, TDMX_LAW_ALAW,
						   TDMX_LAW_ULAW),
	[TDMX_A_SPAN_CLOCK_PRIO] = { .type = NLA_U8 },
	[TDMX_A_SPAN_LOOPBACK]	= NLA_POLICY_RANGE(NLA_U8, TDMX_LOOP_NONE,
						   TDMX_LOOP_PAYLOAD),
	[TDMX_A_SPAN_BLOCK_MS]	= NLA_POLICY_RANGE(NLA_U8, 1, 20),
};

/* The D-channel when CCS is chosen without one (ISDN PRI: I.431). */
#define TDMX_E1_DCHAN	16
#define TDMX_T1_DCHAN	24

static size_t span_size(void)
{
	return TDMX_NL_GENERATION_SIZE +
	       nla_total_size(sizeof(u32)) +			/* ID */
	       nla_total_size(sizeof_field(struct tdmx_span, name)) +
	       nla_total_size(sizeof(u32)) +			/* CARD */
	       nla_total_size(sizeof(u8)) * 10 +		/* LINE..CHANNELS */
	       nla_total_size(sizeof(u32)) +			/* ALARMS */
	       nla_total_size(0) +				/* TIMING_MASTER */
	       nla_total_size(sizeof(s32));			/* CLOCK_PPM */
}

static int span_fill_cfg(struct sk_buff *skb, const struct tdmx_span_cfg *cfg)
{
	if (nla_put_u8(skb, TDMX_A_SPAN_FRAMING, cfg->framing) ||
	    nla_put_u8(skb, TDMX_A_SPAN_LINECODE, cfg->linecode) ||
	    nla_put_u8(skb, TDMX_A_SPAN_SIGNALLING, cfg->signalling) ||
	    nla_put_u8(skb, TDMX_A_SPAN_DCHAN, cfg->dchan) ||
	    nla_put_u8(skb, TDMX_A_SPAN_LAW, cfg->law) ||
	    nla_put_u8(skb, TDMX_A_SPAN_CLOCK_PRIO, cfg->clock_prio) ||
	    nla_put_u8(skb, TDMX_A_SPAN_LOOPBACK, cfg->loopback) ||
	    nla_put_u8(skb, TDMX_A_SPAN_BLOCK_MS, cfg->block_ms))
		return -EMSGSIZE;
	return 0;
}

/*
 * The configuration is stable under tdmx_lock; alarms, the timing master
 * and the clock offset change from the tick, one word each.
 */
static int span_fill(struct sk_buff *skb, void *obj)
{
	const struct tdmx_span *span = obj;

	if (tdmx_nl_put_generation(skb) ||
	    nla_put_u32(skb, TDMX_A_SPAN_ID, span->id) ||
	    nla_put_string(skb, TDMX_A_SPAN_NAME, span->name) ||
	    nla_put_u32(skb, TDMX_A_SPAN_CARD, span->card->id) ||
	    nla_put_u8(skb, TDMX_A_SPAN_LINE, span->line) ||
	    span_fill_cfg(skb, &span->cfg) ||
	    nla_put_u8(skb, TDMX_A_SPAN_CHANNELS, span->nchans) ||
	    nla_put_u32(skb, TDMX_A_SPAN_ALARMS, READ_ONCE(span->alarms)) ||
	    nla_put_s32(skb, TDMX_A_SPAN_CLOCK_PPM, READ_ONCE(span->clock_ppm)))
		return -EMSGSIZE;
	if (READ_ONCE(span->timing_master) &&
	    nla_put_flag(skb, TDMX_A_SPAN_TIMING_MASTER))
		return -EMSGSIZE;
	return 0;
}

/**
 * tdmx_nl_span_get_doit() - TDMX_CMD_SPAN_GET do: one span
 * @skb: the request
 * @info: its attributes: TDMX_A_SPAN_ID (required)
 *
 * Return: 0 or a negative errno (-ENODEV: no such span).
 */
int tdmx_nl_span_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return tdmx_nl_reply_span(info, span_size(), span_fill);
}

/**
 * tdmx_nl_span_get_dumpit() - TDMX_CMD_SPAN_GET dump: every span
 * @skb: the dump's message buffer
 * @cb: the dump
 *
 * Return: as tdmx_nl_dump_ret().
 */
int tdmx_nl_span_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return tdmx_nl_dump_spans(skb, cb, span_fill);
}

static bool framing_is_e1(u8 framing)
{
	return framing <= TDMX_FRAMING_E1_CRC4;
}

static void update_u8(u8 *dst, const struct nlattr *attr)
{
	if (attr)
		*dst = nla_get_u8(attr);
}

static void span_cfg_update(struct tdmx_span_cfg *cfg, struct nlattr **tb)
{
	update_u8(&cfg->framing, tb[TDMX_A_SPAN_FRAMING]);
	update_u8(&cfg->linecode, tb[TDMX_A_SPAN_LINECODE]);
	update_u8(&cfg->signalling, tb[TDMX_A_SPAN_SIGNALLING]);
	update_u8(&cfg->dchan, tb[TDMX_A_SPAN_DCHAN]);
	update_u8(&cfg->law, tb[TDMX_A_SPAN_LAW]);
	update_u8(&cfg->clock_prio, tb[TDMX_A_SPAN_CLOCK_PRIO]);
	update_u8(&cfg->loopback, tb[TDMX_A_SPAN_LOOPBACK]);
	update_u8(&cfg->block_ms, tb[TDMX_A_SPAN_BLOCK_MS]);
}

/*
 * What suits the line: E1 framings and HDB3 on E1 (G.703 6.1), T1
 * framings and B8ZS on T1, AMI on both; a D-channel on a timeslot the line
 * has. Only given attributes are checked: the rest were checked when set.
 */
static int span_check_line(const struct tdmx_span *span,
			   const struct tdmx_span_cfg *cfg,
			   struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr **tb = info->attrs;
	bool e1 = span->line == TDMX_LINE_E1;

	if (tb[TDMX_A_SPAN_FRAMING] && framing_is_e1(cfg->framing) != e1) {
		NL_SET_ERR_MSG_ATTR(extack, tb[TDMX_A_SPAN_FRAMING],
				    "TDMX_A_SPAN_FRAMING: not a framing of the span's line");
		return -EINVAL;
	}
	if (tb[TDMX_A_SPAN_LINECODE] &&
	    cfg->linecode == (e1 ? TDMX_LINECODE_B8ZS : TDMX_LINECODE_HDB3)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[TDMX_A_SPAN_LINECODE],
				    "TDMX_A_SPAN_LINECODE: not a line code of the span's line");
		return -EINVAL;
	}
	if (tb[TDMX_A_SPAN_DCHAN] && cfg->dchan > span->nchans) {
		NL_SET_ERR_MSG_ATTR(extack, tb[TDMX_A_SPAN_DCHAN],
				    "TDMX_A_SPAN_DCHAN: no such timeslot on the span's line");
		return -ERANGE;
	}
	return 0;
}

/*
 * CAS and CCS need frames: an unframed E1 has neither TS0 nor a TS16 that
 * means anything. Blame the attribute that made the combination: the
 * signalling when given, else the framing.
 */
static int span_check_signalling(const struct tdmx_span_cfg *cfg,
				 struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr **tb = info->attrs;

	if (cfg->signalling == TDMX_SIG_NONE ||
	    cfg->framing != TDMX_FRAMING_E1_UNFRAMED)
		return 0;
	if (tb[TDMX_A_SPAN_SIGNALLING])
		NL_SET_ERR_MSG_ATTR(extack, tb[TDMX_A_SPAN_SIGNALLING],
				    "TDMX_A_SPAN_SIGNALLING: an unframed E1 carries no CAS or CCS");
	else
		NL_SET_ERR_MSG_ATTR(extack, tb[TDMX_A_SPAN_FRAMING],
				    "TDMX_A_SPAN_FRAMING: unframed, but the span has CAS or CCS");
	return -EINVAL;
}

/* CCS without a D-channel yet: the one ISDN PRI uses on the line. */
static void span_default_dchan(const struct tdmx_span *span,
			       struct tdmx_span_cfg *cfg)
{
	if (cfg->signalling == TDMX_SIG_CCS && !cfg->dchan)
		cfg->dchan = span->line == TDMX_LINE_E1 ? TDMX_E1_DCHAN :
							  TDMX_T1_DCHAN;
}

static void span_chan_types(const struct tdmx_span *span, u8 *types)
{
	unsigned int no;

	for (no = 1; no <= span->nchans; no++)
		types[no] = span->chans[no].type;
}

/* New signalling re-types channels: each one is a change of its own. */
static void span_notify_retyped(struct tdmx_span *span, const u8 *types)
{
	unsigned int no;

	for (no = 1; no <= span->nchans; no++) {
		if (span->chans[no].type != types[no])
			tdmx_netlink_notify_chan(&span->chans[no]);
	}
}

static void span_configure_error(struct genl_info *info, int ret)
{
	struct nlattr *attr = info->attrs[TDMX_A_SPAN_ID];

	if (ret == -EBUSY)
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "TDMX_A_SPAN_ID: a channel that must change type is open");
	else
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "TDMX_A_SPAN_ID: the span refused the settings");
}

/**
 * tdmx_nl_span_set_doit() - TDMX_CMD_SPAN_SET: change a span's settings
 * @skb: the request
 * @info: its attributes: TDMX_A_SPAN_ID (required) and any settings
 *
 * Builds the new settings from the current ones and the given attributes,
 * checks them against the span's line and hands them to the span core. A
 * change goes to the "monitor" group as TDMX_CMD_SPAN_NTF, followed by a
 * TDMX_CMD_CHAN_NTF for each channel the new signalling re-typed.
 *
 * Return: 0 or a negative errno, with an extack message naming the
 * attribute: -EINVAL or -ERANGE for settings that do not suit the line,
 * -EBUSY when a channel that must change type is open.
 */
int tdmx_nl_span_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	u8 types[TDMX_SPAN_TS];
	struct tdmx_span_cfg cfg;
	struct tdmx_span *span;
	int ret;

	mutex_lock(&tdmx_lock);
	span = tdmx_nl_span_lookup(info);
	if (IS_ERR(span)) {
		ret = PTR_ERR(span);
		goto out_unlock;
	}
	cfg = span->cfg;
	span_cfg_update(&cfg, info->attrs);
	ret = span_check_line(span, &cfg, info) ?:
	      span_check_signalling(&cfg, info);
	if (ret)
		goto out_unlock;
	span_default_dchan(span, &cfg);
	if (!memcmp(&cfg, &span->cfg, sizeof(cfg)))
		goto out_unlock;
	span_chan_types(span, types);
	ret = tdmx_span_configure(span, &cfg);
	if (ret)
		span_configure_error(info, ret);
	else
		tdmx_netlink_notify_span(span);
	/* a failure may come after some channels were re-typed */
	span_notify_retyped(span, types);
out_unlock:
	mutex_unlock(&tdmx_lock);
	return ret;
}

/**
 * tdmx_netlink_notify_span() - send TDMX_CMD_SPAN_NTF to "monitor"
 * @span: the span that changed or appeared
 *
 * Carries what a TDMX_CMD_SPAN_GET reply carries.
 *
 * Context: process, tdmx_lock held.
 */
void tdmx_netlink_notify_span(struct tdmx_span *span)
{
	lockdep_assert_held(&tdmx_lock);
	tdmx_nl_notify(TDMX_NL_MCGRP_MONITOR, TDMX_CMD_SPAN_NTF, span_size(),
		       GFP_KERNEL, span_fill, span);
}

/**
 * struct tdmx_nl_alarm - one alarm edge, as the tick saw it
 * @span: span id
 * @alarms: the span's alarm mask after the edge
 * @seq: the span's alarm edge count after the edge
 * @alarm: enum tdmx_alarm
 * @on: raised (a slip is always raised)
 */
struct tdmx_nl_alarm {
	u32 span;
	u32 alarms;
	u64 seq;
	u8 alarm;
	bool on;
};

static size_t alarm_size(void)
{
	return nla_total_size(sizeof(u32)) +		/* SPAN_ID */
	       nla_total_size(sizeof(u8)) * 2 +		/* ALARM, ALARM_ON */
	       nla_total_size(sizeof(u32)) +		/* SPAN_ALARMS */
	       nla_total_size_64bit(sizeof(u64));	/* ALARM_SEQ */
}

static int alarm_fill(struct sk_buff *skb, void *obj)
{
	const struct tdmx_nl_alarm *a = obj;

	if (nla_put_u32(skb, TDMX_A_SPAN_ID, a->span) ||
	    nla_put_u8(skb, TDMX_A_ALARM, a->alarm) ||
	    nla_put_u8(skb, TDMX_A_ALARM_ON, a->on) ||
	    nla_put_u32(skb, TDMX_A_SPAN_ALARMS, a->alarms) ||
	    nla_put_u64_64bit(skb, TDMX_A_ALARM_SEQ, a->seq, TDMX_A_PAD))
		return -EMSGSIZE;
	return 0;
}

/**
 * tdmx_netlink_notify_alarm() - send TDMX_CMD_ALARM_NTF to "alarm"
 * @span: the span; its alarms and alarm_seq already include the edge
 * @alarm: enum tdmx_alarm
 * @on: raised or cleared
 *
 * Skipped when nobody listens to "alarm".
 *
 * Context: any, the span tick included (softirq, span->lock possibly
 * held): allocates atomically and takes no lock.
 */
void tdmx_netlink_notify_alarm(struct tdmx_span *span, unsigned int alarm,
			       bool on)
{
	struct tdmx_nl_alarm a = {
		.span	= span->id,
		.alarms	= READ_ONCE(span->alarms),
		.seq	= READ_ONCE(span->alarm_seq),
		.alarm	= alarm,
		.on	= on,
	};

	tdmx_nl_notify(TDMX_NL_MCGRP_ALARM, TDMX_CMD_ALARM_NTF, alarm_size(),
		       GFP_ATOMIC, alarm_fill, &a);
}
