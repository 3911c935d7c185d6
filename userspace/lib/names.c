// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Names of the uapi enums. Each table lists the canonical name of every
 * value first; aliases (accepted by tdmx_value(), never printed) follow.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "libtdmx.h"

struct name {
	const char *name;
	unsigned int value;
	bool alias;
};

static const struct name lines[] = {
	{ "e1", TDMX_LINE_E1, false },
	{ "t1", TDMX_LINE_T1, false },
};

static const struct name framings[] = {
	{ "e1-unframed", TDMX_FRAMING_E1_UNFRAMED, false },
	{ "e1", TDMX_FRAMING_E1, false },
	{ "e1-crc4", TDMX_FRAMING_E1_CRC4, false },
	{ "t1-d4", TDMX_FRAMING_T1_D4, false },
	{ "t1-esf", TDMX_FRAMING_T1_ESF, false },
	{ "unframed", TDMX_FRAMING_E1_UNFRAMED, true },
	{ "doubleframe", TDMX_FRAMING_E1, true },
	{ "pcm30", TDMX_FRAMING_E1, true },
	{ "pcm31", TDMX_FRAMING_E1, true },
	{ "crc4", TDMX_FRAMING_E1_CRC4, true },
	{ "pcm30c", TDMX_FRAMING_E1_CRC4, true },
	{ "pcm31c", TDMX_FRAMING_E1_CRC4, true },
	{ "d4", TDMX_FRAMING_T1_D4, true },
	{ "sf", TDMX_FRAMING_T1_D4, true },
	{ "esf", TDMX_FRAMING_T1_ESF, true },
};

static const struct name linecodes[] = {
	{ "hdb3", TDMX_LINECODE_HDB3, false },
	{ "ami", TDMX_LINECODE_AMI, false },
	{ "b8zs", TDMX_LINECODE_B8ZS, false },
};

static const struct name signallings[] = {
	{ "none", TDMX_SIG_NONE, false },
	{ "cas", TDMX_SIG_CAS, false },
	{ "ccs", TDMX_SIG_CCS, false },
};

static const struct name laws[] = {
	{ "alaw", TDMX_LAW_ALAW, false },
	{ "ulaw", TDMX_LAW_ULAW, false },
	{ "a-law", TDMX_LAW_ALAW, true },
	{ "mulaw", TDMX_LAW_ULAW, true },
	{ "mu-law", TDMX_LAW_ULAW, true },
};

static const struct name loopbacks[] = {
	{ "none", TDMX_LOOP_NONE, false },
	{ "local", TDMX_LOOP_LOCAL, false },
	{ "remote", TDMX_LOOP_REMOTE, false },
	{ "payload", TDMX_LOOP_PAYLOAD, false },
	{ "off", TDMX_LOOP_NONE, true },
	{ "line", TDMX_LOOP_REMOTE, true },
};

static const struct name chan_types[] = {
	{ "unused", TDMX_CHAN_UNUSED, false },
	{ "voice", TDMX_CHAN_VOICE, false },
	{ "clear", TDMX_CHAN_CLEAR, false },
	{ "hdlc", TDMX_CHAN_HDLC, false },
	{ "cas", TDMX_CHAN_CAS, false },
};

static const struct name alarm_names[] = {
	{ "los", TDMX_ALARM_LOS, false },
	{ "ais", TDMX_ALARM_AIS, false },
	{ "lof", TDMX_ALARM_LOF, false },
	{ "rai", TDMX_ALARM_RAI, false },
	{ "crc4_iw", TDMX_ALARM_CRC4_IW, false },
	{ "cas_lomf", TDMX_ALARM_CAS_LOMF, false },
	{ "cas_rmfa", TDMX_ALARM_CAS_RMFA, false },
	{ "ts16_ais", TDMX_ALARM_TS16_AIS, false },
	{ "slip", TDMX_ALARM_SLIP, false },
};

static const struct name vcard_types[] = {
	{ "loop", TDMX_VCARD_LOOP, false },
	{ "tap", TDMX_VCARD_TAP, false },
};

static const struct name counter_names[] = {
	{ "frames", TDMX_A_CNT_FRAMES, false },
	{ "fas_errors", TDMX_A_CNT_FAS_ERRORS, false },
	{ "crc_errors", TDMX_A_CNT_CRC_ERRORS, false },
	{ "ebit_errors", TDMX_A_CNT_EBIT_ERRORS, false },
	{ "realignments", TDMX_A_CNT_REALIGNMENTS, false },
	{ "slips", TDMX_A_CNT_SLIPS, false },
	{ "es", TDMX_A_CNT_ES, false },
	{ "ses", TDMX_A_CNT_SES, false },
	{ "uas", TDMX_A_CNT_UAS, false },
	{ "hdlc_rx_frames", TDMX_A_CNT_HDLC_RX_FRAMES, false },
	{ "hdlc_tx_frames", TDMX_A_CNT_HDLC_TX_FRAMES, false },
	{ "hdlc_bad_fcs", TDMX_A_CNT_HDLC_BAD_FCS, false },
	{ "hdlc_aborts", TDMX_A_CNT_HDLC_ABORTS, false },
	{ "hdlc_length", TDMX_A_CNT_HDLC_LENGTH, false },
	{ "rx_overruns", TDMX_A_CNT_RX_OVERRUNS, false },
	{ "tx_underruns", TDMX_A_CNT_TX_UNDERRUNS, false },
	{ "ticks", TDMX_A_CNT_TICKS, false },
	{ "tick_ns", TDMX_A_CNT_TICK_NS, false },
	{ "tick_ns_max", TDMX_A_CNT_TICK_NS_MAX, false },
};

#define TABLE(kind, t, what) [kind] = { t, sizeof(t) / sizeof(t[0]), what }

static const struct {
	const struct name *names;
	size_t n;
	const char *what;
} tables[__TDMX_K_MAX] = {
	TABLE(TDMX_K_LINE, lines, "line"),
	TABLE(TDMX_K_FRAMING, framings, "framing"),
	TABLE(TDMX_K_LINECODE, linecodes, "linecode"),
	TABLE(TDMX_K_SIGNALLING, signallings, "signalling"),
	TABLE(TDMX_K_LAW, laws, "law"),
	TABLE(TDMX_K_LOOPBACK, loopbacks, "loopback"),
	TABLE(TDMX_K_CHAN_TYPE, chan_types, "channel type"),
	TABLE(TDMX_K_ALARM, alarm_names, "alarm"),
	TABLE(TDMX_K_VCARD_TYPE, vcard_types, "vcard type"),
	TABLE(TDMX_K_COUNTER, counter_names, "counter"),
};

/**
 * tdmx_name() - the canonical name of an enum value
 * @kind: which enum
 * @value: its value
 *
 * Return: the name, or NULL for an unknown kind or value.
 */
const char *tdmx_name(enum tdmx_kind kind, unsigned int value)
{
	size_t i;

	if ((unsigned int)kind >= __TDMX_K_MAX)
		return NULL;
	for (i = 0; i < tables[kind].n; i++)
		if (tables[kind].names[i].value == value)
			return tables[kind].names[i].name;
	return NULL;
}

/**
 * tdmx_value() - the value of a name or alias, ignoring case
 * @kind: which enum
 * @name: e.g. "e1-crc4", "CRC4", "pcm31"
 *
 * Return: the value (>= 0), or -EINVAL for an unknown name.
 */
int tdmx_value(enum tdmx_kind kind, const char *name)
{
	size_t i;

	if ((unsigned int)kind >= __TDMX_K_MAX || !name)
		return -EINVAL;
	for (i = 0; i < tables[kind].n; i++)
		if (!strcasecmp(tables[kind].names[i].name, name))
			return (int)tables[kind].names[i].value;
	return -EINVAL;
}

/**
 * tdmx_names_list() - the canonical names of an enum, for messages
 * @kind: which enum
 * @buf: output, "e1-unframed, e1, e1-crc4, t1-d4, t1-esf" (truncated to fit)
 * @len: size of @buf
 *
 * Return: the length of the whole list (as snprintf()).
 */
size_t tdmx_names_list(enum tdmx_kind kind, char *buf, size_t len)
{
	size_t i, used = 0;

	if (len)
		buf[0] = 0;
	if ((unsigned int)kind >= __TDMX_K_MAX)
		return 0;
	for (i = 0; i < tables[kind].n; i++) {
		const char *sep = used ? ", " : "";
		const char *n = tables[kind].names[i].name;

		if (tables[kind].names[i].alias)
			continue;
		if (used < len)
			snprintf(buf + used, len - used, "%s%s", sep, n);
		used += strlen(sep) + strlen(n);
	}
	return used;
}

/**
 * tdmx_kind_name() - what an enum is called in messages ("framing")
 * @kind: which enum
 *
 * Return: the word, "?" for an unknown kind.
 */
const char *tdmx_kind_name(enum tdmx_kind kind)
{
	if ((unsigned int)kind >= __TDMX_K_MAX)
		return "?";
	return tables[kind].what;
}

/**
 * tdmx_alarms_text() - an alarm mask as "LOF,RAI" (upper case, bit order),
 *	"none" for 0, unknown bits as "bit<N>"
 * @alarms: bit mask of enum tdmx_alarm
 * @buf: output (truncated to fit)
 * @len: size of @buf
 *
 * Return: the length of the whole text (as snprintf()).
 */
size_t tdmx_alarms_text(uint32_t alarms, char *buf, size_t len)
{
	char word[16];
	size_t used = 0, k;
	unsigned int bit;

	if (len)
		buf[0] = 0;
	if (!alarms)
		return (size_t)snprintf(buf, len, "none");
	for (bit = 0; bit < 32; bit++) {
		const char *n = tdmx_name(TDMX_K_ALARM, bit);

		if (!(alarms & (1u << bit)))
			continue;
		if (n)
			snprintf(word, sizeof(word), "%s", n);
		else
			snprintf(word, sizeof(word), "bit%u", bit);
		for (k = 0; word[k]; k++)
			if (word[k] >= 'a' && word[k] <= 'z')
				word[k] = (char)(word[k] - 'a' + 'A');
		if (used < len)
			snprintf(buf + used, len - used, "%s%s", used ? "," : "", word);
		used += (used ? 1 : 0) + strlen(word);
	}
	return used;
}

static const char *const attr_names[__TDMX_A_MAX] = {
	[TDMX_A_GENERATION] = "TDMX_A_GENERATION",
	[TDMX_A_SPAN_ID] = "TDMX_A_SPAN_ID",
	[TDMX_A_SPAN_NAME] = "TDMX_A_SPAN_NAME",
	[TDMX_A_SPAN_CARD] = "TDMX_A_SPAN_CARD",
	[TDMX_A_SPAN_LINE] = "TDMX_A_SPAN_LINE",
	[TDMX_A_SPAN_FRAMING] = "TDMX_A_SPAN_FRAMING",
	[TDMX_A_SPAN_LINECODE] = "TDMX_A_SPAN_LINECODE",
	[TDMX_A_SPAN_SIGNALLING] = "TDMX_A_SPAN_SIGNALLING",
	[TDMX_A_SPAN_DCHAN] = "TDMX_A_SPAN_DCHAN",
	[TDMX_A_SPAN_LAW] = "TDMX_A_SPAN_LAW",
	[TDMX_A_SPAN_CLOCK_PRIO] = "TDMX_A_SPAN_CLOCK_PRIO",
	[TDMX_A_SPAN_LOOPBACK] = "TDMX_A_SPAN_LOOPBACK",
	[TDMX_A_SPAN_BLOCK_MS] = "TDMX_A_SPAN_BLOCK_MS",
	[TDMX_A_SPAN_CHANNELS] = "TDMX_A_SPAN_CHANNELS",
	[TDMX_A_SPAN_ALARMS] = "TDMX_A_SPAN_ALARMS",
	[TDMX_A_SPAN_TIMING_MASTER] = "TDMX_A_SPAN_TIMING_MASTER",
	[TDMX_A_SPAN_CLOCK_PPM] = "TDMX_A_SPAN_CLOCK_PPM",
	[TDMX_A_CHAN_ID] = "TDMX_A_CHAN_ID",
	[TDMX_A_CHAN_TYPE] = "TDMX_A_CHAN_TYPE",
	[TDMX_A_CHAN_RX_ABCD] = "TDMX_A_CHAN_RX_ABCD",
	[TDMX_A_CHAN_TX_ABCD] = "TDMX_A_CHAN_TX_ABCD",
	[TDMX_A_CHAN_OPEN] = "TDMX_A_CHAN_OPEN",
	[TDMX_A_VCARD_ID] = "TDMX_A_VCARD_ID",
	[TDMX_A_VCARD_TYPE] = "TDMX_A_VCARD_TYPE",
	[TDMX_A_VCARD_LINE] = "TDMX_A_VCARD_LINE",
	[TDMX_A_FAULT_BER] = "TDMX_A_FAULT_BER",
	[TDMX_A_FAULT_BURST] = "TDMX_A_FAULT_BURST",
	[TDMX_A_FAULT_SLIP] = "TDMX_A_FAULT_SLIP",
	[TDMX_A_FAULT_LOS] = "TDMX_A_FAULT_LOS",
	[TDMX_A_FAULT_AIS] = "TDMX_A_FAULT_AIS",
	[TDMX_A_FAULT_NOCRC4] = "TDMX_A_FAULT_NOCRC4",
	[TDMX_A_FAULT_RAI] = "TDMX_A_FAULT_RAI",
	[TDMX_A_FAULT_CLOCK_PPM] = "TDMX_A_FAULT_CLOCK_PPM",
	[TDMX_A_COUNTERS] = "TDMX_A_COUNTERS",
	[TDMX_A_ALARM] = "TDMX_A_ALARM",
	[TDMX_A_ALARM_ON] = "TDMX_A_ALARM_ON",
	[TDMX_A_ALARM_SEQ] = "TDMX_A_ALARM_SEQ",
};

/**
 * tdmx_attr_name() - the uapi name of a top-level attribute
 * @attr: enum tdmx_attr value
 *
 * Return: "TDMX_A_SPAN_DCHAN" etc., NULL if unknown.
 */
const char *tdmx_attr_name(unsigned int attr)
{
	if (attr >= __TDMX_A_MAX)
		return NULL;
	return attr_names[attr];
}
