// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libtdmx and tdmxctl without the tdmx module: name tables, the tdmxctl
 * command-line and apply-file parsers, the JSON writer and line parser,
 * the netlink parse functions on messages built here, the extack parser,
 * notification dispatch, and the request machinery against the kernel's
 * own "nlctrl" family (skipped when generic netlink is unavailable).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/genetlink.h>

#include "unit.h"
#include "libtdmx_priv.h"
#include "../../tools/tdmxctl/ctl.h"

#define FAKE_FAMILY 0x42

/* ------------------------------------------------------------- helpers */

/* split @line at spaces and run ctl_parse() on it */
static int parse_line(const char *line, struct ctl_req *req, char *err)
{
	static char buf[1024];
	char *argv[64], *save = NULL, *p;
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	for (p = strtok_r(buf, " ", &save); p; p = strtok_r(NULL, " ", &save))
		argv[argc++] = p;
	err[0] = 0;
	return ctl_parse(argc, argv, req, err, CTL_ERR_LEN);
}

static void expect_parse_error(const char *line, const char *msg)
{
	char err[CTL_ERR_LEN];
	struct ctl_req req;

	ck_assert_msg(parse_line(line, &req, err) == -EINVAL, "'%s' was accepted", line);
	ck_assert_msg(strstr(err, msg), "'%s': expected \"%s\", got \"%s\"", line, msg, err);
}

static struct nl_msg *genl_new(uint8_t cmd)
{
	struct nl_msg *m = nlmsg_alloc();

	ck_assert_ptr_nonnull(m);
	ck_assert_ptr_nonnull(genlmsg_put(m, 0, 0, FAKE_FAMILY, 0, 0, cmd, 1));
	return m;
}

/* printed output of one statement, as a malloc'ed string */
#define CAPTURE(out, f, stmt)						\
	do {								\
		size_t _len;						\
		FILE *f = open_memstream(&(out), &_len);		\
		ck_assert_ptr_nonnull(f);				\
		stmt;							\
		fclose(f);						\
	} while (0)

static struct nl_msg *span_msg(uint8_t cmd)
{
	struct nl_msg *m = genl_new(cmd);

	nla_put_u32(m, TDMX_A_SPAN_ID, 1);
	nla_put_string(m, TDMX_A_SPAN_NAME, "vcard1/0");
	nla_put_u32(m, TDMX_A_SPAN_CARD, 1);
	nla_put_u8(m, TDMX_A_SPAN_LINE, TDMX_LINE_E1);
	nla_put_u8(m, TDMX_A_SPAN_FRAMING, TDMX_FRAMING_E1_CRC4);
	nla_put_u8(m, TDMX_A_SPAN_LINECODE, TDMX_LINECODE_HDB3);
	nla_put_u8(m, TDMX_A_SPAN_SIGNALLING, TDMX_SIG_CCS);
	nla_put_u8(m, TDMX_A_SPAN_DCHAN, 16);
	nla_put_u8(m, TDMX_A_SPAN_LAW, TDMX_LAW_ALAW);
	nla_put_u8(m, TDMX_A_SPAN_CLOCK_PRIO, 1);
	nla_put_u8(m, TDMX_A_SPAN_LOOPBACK, TDMX_LOOP_NONE);
	nla_put_u8(m, TDMX_A_SPAN_BLOCK_MS, 10);
	nla_put_u8(m, TDMX_A_SPAN_CHANNELS, 31);
	nla_put_u32(m, TDMX_A_SPAN_ALARMS, 1u << TDMX_ALARM_LOF | 1u << TDMX_ALARM_RAI);
	nla_put_flag(m, TDMX_A_SPAN_TIMING_MASTER);
	nla_put_s32(m, TDMX_A_SPAN_CLOCK_PPM, 0);
	nla_put_u32(m, TDMX_A_GENERATION, 7);
	return m;
}

static struct nl_msg *alarm_msg(void)
{
	struct nl_msg *m = genl_new(TDMX_CMD_ALARM_NTF);

	nla_put_u32(m, TDMX_A_SPAN_ID, 2);
	nla_put_u8(m, TDMX_A_ALARM, TDMX_ALARM_RAI);
	nla_put_u8(m, TDMX_A_ALARM_ON, 1);
	nla_put_u32(m, TDMX_A_SPAN_ALARMS, 1u << TDMX_ALARM_RAI);
	nla_put_u64(m, TDMX_A_ALARM_SEQ, 5);
	return m;
}

/* --------------------------------------------------------------- names */

START_TEST(test_names_round_trip_for_every_kind)
{
	unsigned int kind, v, n;

	for (kind = 0; kind < __TDMX_K_MAX; kind++) {
		n = 0;
		for (v = 0; v < 300; v++) {
			const char *name = tdmx_name((enum tdmx_kind)kind, v);

			if (!name)
				continue;
			n++;
			ck_assert_int_eq(tdmx_value((enum tdmx_kind)kind, name), (int)v);
		}
		ck_assert_msg(n >= 2, "kind %u has %u names", kind, n);
	}
}
END_TEST

START_TEST(test_names_are_the_documented_ones)
{
	static const struct {
		enum tdmx_kind kind;
		const char *list;
	} want[] = {
		{ TDMX_K_LINE, "e1, t1" },
		{ TDMX_K_FRAMING, "e1-unframed, e1, e1-crc4, t1-d4, t1-esf" },
		{ TDMX_K_LINECODE, "hdb3, ami, b8zs" },
		{ TDMX_K_SIGNALLING, "none, cas, ccs" },
		{ TDMX_K_LAW, "alaw, ulaw" },
		{ TDMX_K_LOOPBACK, "none, local, remote, payload" },
		{ TDMX_K_CHAN_TYPE, "unused, voice, clear, hdlc, cas" },
		{ TDMX_K_ALARM,
		  "los, ais, lof, rai, crc4_iw, cas_lomf, cas_rmfa, ts16_ais, slip" },
		{ TDMX_K_VCARD_TYPE, "loop, tap" },
	};
	char buf[256];
	size_t i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		ck_assert_uint_eq(tdmx_names_list(want[i].kind, buf, sizeof(buf)),
				  strlen(want[i].list));
		ck_assert_str_eq(buf, want[i].list);
	}
	ck_assert_int_eq(tdmx_value(TDMX_K_ALARM, "los"), TDMX_ALARM_LOS);
	ck_assert_int_eq(tdmx_value(TDMX_K_ALARM, "slip"), TDMX_ALARM_SLIP);
	ck_assert_str_eq(tdmx_name(TDMX_K_COUNTER, TDMX_A_CNT_TX_UNDERRUNS), "tx_underruns");
}
END_TEST

START_TEST(test_names_accept_aliases_and_any_case)
{
	ck_assert_int_eq(tdmx_value(TDMX_K_FRAMING, "crc4"), TDMX_FRAMING_E1_CRC4);
	ck_assert_int_eq(tdmx_value(TDMX_K_FRAMING, "PCM30"), TDMX_FRAMING_E1);
	ck_assert_int_eq(tdmx_value(TDMX_K_FRAMING, "pcm31"), TDMX_FRAMING_E1);
	ck_assert_int_eq(tdmx_value(TDMX_K_FRAMING, "pcm31c"), TDMX_FRAMING_E1_CRC4);
	ck_assert_int_eq(tdmx_value(TDMX_K_FRAMING, "esf"), TDMX_FRAMING_T1_ESF);
	ck_assert_int_eq(tdmx_value(TDMX_K_FRAMING, "D4"), TDMX_FRAMING_T1_D4);
	ck_assert_int_eq(tdmx_value(TDMX_K_ALARM, "LOF"), TDMX_ALARM_LOF);
	ck_assert_int_eq(tdmx_value(TDMX_K_LAW, "mu-law"), TDMX_LAW_ULAW);
	/* aliases never print */
	ck_assert_str_eq(tdmx_name(TDMX_K_FRAMING, TDMX_FRAMING_E1_CRC4), "e1-crc4");
}
END_TEST

START_TEST(test_names_reject_unknown_values_and_kinds)
{
	ck_assert_int_eq(tdmx_value(TDMX_K_FRAMING, "e2"), -EINVAL);
	ck_assert_int_eq(tdmx_value(TDMX_K_FRAMING, ""), -EINVAL);
	ck_assert_int_eq(tdmx_value(TDMX_K_FRAMING, NULL), -EINVAL);
	ck_assert_int_eq(tdmx_value(__TDMX_K_MAX, "e1"), -EINVAL);
	ck_assert_ptr_null(tdmx_name(TDMX_K_FRAMING, 0));
	ck_assert_ptr_null(tdmx_name(TDMX_K_FRAMING, 6));
	ck_assert_ptr_null(tdmx_name(__TDMX_K_MAX, 1));
}
END_TEST

START_TEST(test_alarm_text_is_upper_case_in_bit_order)
{
	char buf[64], small[4];

	tdmx_alarms_text(0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "none");
	tdmx_alarms_text(1u << TDMX_ALARM_RAI | 1u << TDMX_ALARM_LOF, buf, sizeof(buf));
	ck_assert_str_eq(buf, "LOF,RAI");
	tdmx_alarms_text(1u << TDMX_ALARM_CRC4_IW | 1u << 20, buf, sizeof(buf));
	ck_assert_str_eq(buf, "CRC4_IW,BIT20");
	ck_assert_uint_eq(tdmx_alarms_text(1u << TDMX_ALARM_LOF | 1u << TDMX_ALARM_AIS, small,
					   sizeof(small)), strlen("AIS,LOF"));
	ck_assert_str_eq(small, "AIS");
}
END_TEST

/* -------------------------------------------------- tdmxctl arguments */

START_TEST(test_ctl_parses_span_set)
{
	char err[CTL_ERR_LEN];
	struct ctl_req req;

	ck_assert_int_eq(parse_line("span set 1 framing e1-crc4 dchan 16", &req, err), 0);
	ck_assert_str_eq(req.obj->name, "span");
	ck_assert_str_eq(req.cmd->name, "set");
	ck_assert_uint_eq(req.span, 1);
	ck_assert_uint_eq(req.span_cfg.fields, TDMX_SPAN_F_FRAMING | TDMX_SPAN_F_DCHAN);
	ck_assert_uint_eq(req.span_cfg.framing, TDMX_FRAMING_E1_CRC4);
	ck_assert_uint_eq(req.span_cfg.dchan, 16);
}
END_TEST

START_TEST(test_ctl_parses_every_span_key)
{
	char err[CTL_ERR_LEN];
	struct ctl_req req;
	const struct tdmx_span *s = &req.span_cfg;

	ck_assert_int_eq(parse_line("span set 4294967295 framing crc4 linecode ami signalling cas "
				    "dchan 31 law ulaw clock 0 loopback payload block 20ms",
				    &req, err), 0);
	ck_assert_uint_eq(req.span, 4294967295u);
	ck_assert_uint_eq(s->fields, TDMX_SPAN_F_SETTABLE);
	ck_assert_uint_eq(s->framing, TDMX_FRAMING_E1_CRC4);
	ck_assert_uint_eq(s->linecode, TDMX_LINECODE_AMI);
	ck_assert_uint_eq(s->signalling, TDMX_SIG_CAS);
	ck_assert_uint_eq(s->dchan, 31);
	ck_assert_uint_eq(s->law, TDMX_LAW_ULAW);
	ck_assert_uint_eq(s->clock_prio, 0);
	ck_assert_uint_eq(s->loopback, TDMX_LOOP_PAYLOAD);
	ck_assert_uint_eq(s->block_ms, 20);
	ck_assert_int_eq(parse_line("span set 2 block 1 clock 255", &req, err), 0);
	ck_assert_uint_eq(req.span_cfg.block_ms, 1);
	ck_assert_uint_eq(req.span_cfg.clock_prio, 255);
}
END_TEST

START_TEST(test_ctl_rejects_bad_span_set_with_a_clear_message)
{
	expect_parse_error("span set 1 frming e1",
			   "span set: unknown key 'frming' (framing, linecode, signalling, dchan,"
			   " law, clock, loopback, block)");
	expect_parse_error("span set 1 framing e2",
			   "span set: bad framing 'e2' (e1-unframed, e1, e1-crc4, t1-d4, t1-esf)");
	expect_parse_error("span set 1 framing", "span set: 'framing' needs a value");
	expect_parse_error("span set 1 dchan 0", "dchan '0' must be a number from 1 to 31");
	expect_parse_error("span set 1 dchan 32", "dchan '32' must be a number from 1 to 31");
	expect_parse_error("span set 1 dchan 1x", "dchan '1x'");
	expect_parse_error("span set 1 block 21ms", "block '21ms' must be 1 to 20 ms");
	expect_parse_error("span set 1 block ms", "block 'ms'");
	expect_parse_error("span set 1 clock 256", "clock '256' must be a number from 0 to 255");
	expect_parse_error("span set 1 law slaw", "bad law 'slaw' (alaw, ulaw)");
	expect_parse_error("span set 1 law alaw law ulaw", "'law' given twice");
	expect_parse_error("span set 1", "span set: nothing to set (framing,");
	expect_parse_error("span set", "span set: missing span number");
	expect_parse_error("span set 0 law alaw", "bad span number '0'");
	expect_parse_error("span set -1 law alaw", "bad span number '-1'");
	expect_parse_error("span set 4294967296 law alaw", "bad span number '4294967296'");
	expect_parse_error("span set x law alaw", "bad span number 'x'");
}
END_TEST

START_TEST(test_ctl_show_commands_take_optional_addresses)
{
	char err[CTL_ERR_LEN];
	struct ctl_req req;

	ck_assert_int_eq(parse_line("span", &req, err), 0);
	ck_assert_str_eq(req.cmd->name, "show");
	ck_assert_uint_eq(req.span, 0);
	ck_assert_int_eq(parse_line("span show 3", &req, err), 0);
	ck_assert_uint_eq(req.span, 3);
	ck_assert_int_eq(parse_line("chan show", &req, err), 0);
	ck_assert_uint_eq(req.span, 0);
	ck_assert_int_eq(parse_line("chan show 1", &req, err), 0);
	ck_assert_uint_eq(req.span, 1);
	ck_assert_uint_eq(req.ts, 0);
	ck_assert_int_eq(parse_line("chan show 1/5", &req, err), 0);
	ck_assert_uint_eq(req.span, 1);
	ck_assert_uint_eq(req.ts, 5);
	ck_assert_int_eq(parse_line("counters show 2", &req, err), 0);
	ck_assert_uint_eq(req.span, 2);
	ck_assert_int_eq(parse_line("counters reset", &req, err), 0);
	ck_assert_str_eq(req.cmd->name, "reset");
	ck_assert_uint_eq(req.span, 0);
	ck_assert_int_eq(parse_line("vcard", &req, err), 0);
	ck_assert_str_eq(req.cmd->name, "show");
	expect_parse_error("chan show 1/32", "chan show: bad timeslot in '1/32' (1-31)");
	expect_parse_error("chan show 1/0", "bad timeslot in '1/0'");
	expect_parse_error("chan show 1/", "bad timeslot in '1/'");
	expect_parse_error("chan show /5", "bad span number in '/5'");
	expect_parse_error("chan show 1/5 x", "chan show: unexpected argument 'x'");
	expect_parse_error("span show 1 2", "span show: unexpected argument '2'");
	expect_parse_error("vcard show all", "vcard show: unexpected argument 'all'");
}
END_TEST

START_TEST(test_ctl_parses_chan_set)
{
	char err[CTL_ERR_LEN];
	struct ctl_req req;

	ck_assert_int_eq(parse_line("chan set 1/17 type cas txabcd 1101", &req, err), 0);
	ck_assert_uint_eq(req.span, 1);
	ck_assert_uint_eq(req.ts, 17);
	ck_assert_uint_eq(req.chan_cfg.fields, TDMX_CHAN_F_TYPE | TDMX_CHAN_F_TX_ABCD);
	ck_assert_uint_eq(req.chan_cfg.type, TDMX_CHAN_CAS);
	ck_assert_uint_eq(req.chan_cfg.tx_abcd, 0xd);
	ck_assert_int_eq(parse_line("chan set 2/1 txabcd 0001", &req, err), 0);
	ck_assert_uint_eq(req.chan_cfg.fields, TDMX_CHAN_F_TX_ABCD);
	ck_assert_uint_eq(req.chan_cfg.tx_abcd, 1);
	expect_parse_error("chan set 1 type voice", "chan set: '1' is not SPAN/TS (like 1/5)");
	expect_parse_error("chan set 1/5 type fax",
			   "bad type 'fax' (unused, voice, clear, hdlc, cas)");
	expect_parse_error("chan set 1/5 txabcd 11012", "txabcd '11012' must be four bits");
	expect_parse_error("chan set 1/5 txabcd 1201", "txabcd '1201' must be four bits");
	expect_parse_error("chan set 1/5 rxabcd 1101", "unknown key 'rxabcd' (type, txabcd)");
	expect_parse_error("chan set 1/5", "chan set: nothing to set (type, txabcd)");
	expect_parse_error("chan set", "chan set: missing SPAN/TS");
}
END_TEST

START_TEST(test_ctl_parses_vcard_commands)
{
	char err[CTL_ERR_LEN];
	struct ctl_req req;

	ck_assert_int_eq(parse_line("vcard add loop", &req, err), 0);
	ck_assert_uint_eq(req.vcard_type, TDMX_VCARD_LOOP);
	ck_assert_uint_eq(req.line, TDMX_LINE_E1);
	ck_assert_int_eq(parse_line("vcard add tap t1", &req, err), 0);
	ck_assert_uint_eq(req.vcard_type, TDMX_VCARD_TAP);
	ck_assert_uint_eq(req.line, TDMX_LINE_T1);
	ck_assert_int_eq(parse_line("vcard del 3", &req, err), 0);
	ck_assert_uint_eq(req.vcard, 3);
	expect_parse_error("vcard add", "vcard add: missing card type (loop, tap)");
	expect_parse_error("vcard add ring", "vcard add: bad card type 'ring' (loop, tap)");
	expect_parse_error("vcard add loop j1", "vcard add: bad line 'j1' (e1, t1)");
	expect_parse_error("vcard add loop e1 x", "unexpected argument 'x'");
	expect_parse_error("vcard del 0", "vcard del: bad card id '0'");
	expect_parse_error("vcard del", "vcard del: missing card id");
}
END_TEST

START_TEST(test_ctl_parses_several_faults_in_one_command)
{
	char err[CTL_ERR_LEN];
	struct ctl_req req;
	const struct tdmx_fault *f = &req.fault;

	ck_assert_int_eq(parse_line("fault set 1 ber 1e-4 burst 10 slip los on ais off nocrc4 1 "
				    "rai 0 ppm -50", &req, err), 0);
	ck_assert_uint_eq(req.span, 1);
	ck_assert_uint_eq(f->fields, 0xff);
	ck_assert_uint_eq(f->ber, 100000);
	ck_assert_uint_eq(f->burst, 10);
	ck_assert_uint_eq(f->los, 1);
	ck_assert_uint_eq(f->ais, 0);
	ck_assert_uint_eq(f->nocrc4, 1);
	ck_assert_uint_eq(f->rai, 0);
	ck_assert_int_eq(f->clock_ppm, -50);
	ck_assert_int_eq(parse_line("fault set 2 ber 1", &req, err), 0);
	ck_assert_uint_eq(req.fault.ber, 1000000000u);
	ck_assert_int_eq(parse_line("fault set 2 ber 1e-9", &req, err), 0);
	ck_assert_uint_eq(req.fault.ber, 1);
	ck_assert_int_eq(parse_line("fault set 2 ber off", &req, err), 0);
	ck_assert_uint_eq(req.fault.fields, TDMX_FAULT_F_BER);
	ck_assert_uint_eq(req.fault.ber, 0);
	ck_assert_int_eq(parse_line("fault set 2 slip", &req, err), 0);
	ck_assert_uint_eq(req.fault.fields, TDMX_FAULT_F_SLIP);
	expect_parse_error("fault set 1 ber 2", "ber '2' must be a ratio from 0 to 1");
	expect_parse_error("fault set 1 ber -1e-3", "ber '-1e-3' must be a ratio");
	expect_parse_error("fault set 1 ber lots", "ber 'lots' must be a ratio");
	expect_parse_error("fault set 1 ber nan", "ber 'nan' must be a ratio");
	expect_parse_error("fault set 1 ber 1e-12", "ber '1e-12' is below the smallest rate");
	expect_parse_error("fault set 1 burst 0", "burst '0' must be a number from 1 to 65536");
	expect_parse_error("fault set 1 burst 65537", "burst '65537'");
	expect_parse_error("fault set 1 ppm 1001", "ppm '1001' must be a number from -1000 to 1000");
	expect_parse_error("fault set 1 los maybe", "los 'maybe' must be on or off");
	expect_parse_error("fault set 1 slip slip", "'slip' given twice");
	expect_parse_error("fault set 1", "fault set: nothing to set (ber, burst, slip,");
	expect_parse_error("fault", "fault: missing command (set)");
}
END_TEST

START_TEST(test_ctl_rejects_unknown_objects_and_commands)
{
	char err[CTL_ERR_LEN];
	struct ctl_req req;

	expect_parse_error("", "no object given (span, chan, vcard, fault, counters, apply, help)");
	expect_parse_error("spam show", "unknown object 'spam' (span, chan,");
	expect_parse_error("span frob", "span: unknown command 'frob' (show, set)");
	expect_parse_error("help spam", "help: unknown object 'spam'");
	expect_parse_error("apply", "apply: missing file name");
	/* the command is known after a bad argument, for the usage hint */
	ck_assert_int_eq(parse_line("span set 1 x", &req, err), -EINVAL);
	ck_assert_str_eq(req.cmd->name, "set");
	ck_assert_int_eq(parse_line("help chan", &req, err), 0);
	ck_assert_str_eq(req.topic->name, "chan");
	ck_assert_int_eq(parse_line("apply spans.conf", &req, err), 0);
	ck_assert_str_eq(req.file, "spans.conf");
}
END_TEST

/* ---------------------------------------------------------- apply file */

static int apply_text(const char *text, struct ctl_apply *a, char *err)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret;

	ck_assert_ptr_nonnull(f);
	err[0] = 0;
	ret = ctl_apply_parse(f, "t.conf", a, err, CTL_ERR_LEN);
	fclose(f);
	return ret;
}

START_TEST(test_apply_parses_a_good_file)
{
	static const char text[] =
		"# two spans of a loop card\n"
		"\n"
		"span 1 framing e1-crc4 signalling ccs dchan 16 law alaw clock 1   # master\n"
		"span 2\tframing e1-crc4 signalling cas clock 0\r\n"
		"   # indented comment\n"
		"chan 2/1 type voice\n"
		"chan 2/17 type cas txabcd 1101";
	char err[CTL_ERR_LEN];
	struct ctl_apply a;

	ck_assert_int_eq(apply_text(text, &a, err), 0);
	ck_assert_uint_eq(a.n, 4);
	ck_assert_uint_eq(a.items[0].line, 3);
	ck_assert(!a.items[0].is_chan);
	ck_assert_uint_eq(a.items[0].span, 1);
	ck_assert_uint_eq(a.items[0].span_cfg.fields, TDMX_SPAN_F_FRAMING |
			  TDMX_SPAN_F_SIGNALLING | TDMX_SPAN_F_DCHAN | TDMX_SPAN_F_LAW |
			  TDMX_SPAN_F_CLOCK_PRIO);
	ck_assert_uint_eq(a.items[1].line, 4);
	ck_assert_uint_eq(a.items[1].span_cfg.signalling, TDMX_SIG_CAS);
	ck_assert_uint_eq(a.items[2].line, 6);
	ck_assert(a.items[2].is_chan);
	ck_assert_uint_eq(a.items[2].span, 2);
	ck_assert_uint_eq(a.items[2].ts, 1);
	ck_assert_uint_eq(a.items[2].chan_cfg.type, TDMX_CHAN_VOICE);
	ck_assert_uint_eq(a.items[3].line, 7);
	ck_assert_uint_eq(a.items[3].chan_cfg.tx_abcd, 0xd);
	ctl_apply_free(&a);
	ck_assert_int_eq(apply_text("", &a, err), 0);
	ck_assert_uint_eq(a.n, 0);
	ctl_apply_free(&a);
}
END_TEST

START_TEST(test_apply_names_the_line_of_each_kind_of_bad_input)
{
	static const struct {
		const char *bad;
		const char *msg;
	} cases[] = {
		{ "spam 1 framing e1", "t.conf:3: unknown line type 'spam' (span, chan)" },
		{ "span", "t.conf:3: span: missing span number" },
		{ "span x framing e1", "t.conf:3: bad span number 'x'" },
		{ "span 1", "t.conf:3: nothing to set" },
		{ "span 1 framing", "t.conf:3: 'framing' needs a value" },
		{ "span 1 frming e1", "t.conf:3: unknown key 'frming'" },
		{ "span 1 framing e2", "t.conf:3: bad framing 'e2'" },
		{ "span 1 dchan 99", "t.conf:3: dchan '99' must be a number from 1 to 31" },
		{ "chan", "t.conf:3: chan: missing SPAN/TS" },
		{ "chan 1 type voice", "t.conf:3: '1' is not SPAN/TS" },
		{ "chan 1/40 type voice", "t.conf:3: bad timeslot in '1/40'" },
		{ "chan 1/5 type fax", "t.conf:3: bad type 'fax'" },
		{ "chan 1/5 framing e1", "t.conf:3: unknown key 'framing' (type, txabcd)" },
	};
	char text[256], err[CTL_ERR_LEN];
	struct ctl_apply a;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), "span 1 law alaw\n# ok so far\n%s\nspan 2 law ulaw\n",
			 cases[i].bad);
		ck_assert_int_eq(apply_text(text, &a, err), -EINVAL);
		ck_assert_msg(strstr(err, cases[i].msg), "'%s': expected \"%s\", got \"%s\"",
			      cases[i].bad, cases[i].msg, err);
		ctl_apply_free(&a);
	}
}
END_TEST

START_TEST(test_apply_rejects_nul_bytes_and_endless_lines)
{
	static const char nul[] = "span 1 law alaw\nspan 2\0 law alaw\n";
	char err[CTL_ERR_LEN], *text;
	struct ctl_apply a;
	FILE *f;
	size_t i;

	f = fmemopen((void *)nul, sizeof(nul) - 1, "r");
	ck_assert_int_eq(ctl_apply_parse(f, "t.conf", &a, err, sizeof(err)), -EINVAL);
	fclose(f);
	ck_assert_str_eq(err, "t.conf:2: NUL byte in the line");
	ctl_apply_free(&a);
	text = malloc(70 * 9 + 16);
	strcpy(text, "span 1");
	for (i = 0; i < 35; i++)
		strcat(text, " law alaw");
	ck_assert_int_eq(apply_text(text, &a, err), -EINVAL);
	ck_assert_str_eq(err, "t.conf:1: more than 64 words");
	ctl_apply_free(&a);
	free(text);
}
END_TEST

START_TEST(test_apply_with_a_bad_file_never_connects)
{
	char path[] = "/tmp/test_libtdmx_XXXXXX";
	struct ctl c = { 0 };
	struct ctl_req req;
	int fd, saved, devnull, ret, ret2;

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_gt(write(fd, "span 1 law alaw\nspan 2 law xlaw\n", 32), 0);
	close(fd);
	memset(&req, 0, sizeof(req));
	req.file = path;
	fflush(stderr);
	saved = dup(STDERR_FILENO);		/* the messages are expected: hide them */
	devnull = open("/dev/null", O_WRONLY);
	dup2(devnull, STDERR_FILENO);
	ret = ctl_run_apply(&c, &req);
	req.file = "/nonexistent/spans.conf";
	ret2 = ctl_run_apply(&c, &req);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(devnull);
	unlink(path);
	ck_assert_int_eq(ret, CTL_EXIT_USAGE);
	ck_assert_int_eq(ret2, CTL_EXIT_USAGE);
	ck_assert_ptr_null(c.h);
}
END_TEST

/* --------------------------------------------------------- JSON writer */

START_TEST(test_json_escapes_strings_to_valid_json)
{
	char *out;

	CAPTURE(out, f, tdmx_json_escape(f, "a\"b\\c\nd\te\x01\x7f"));
	ck_assert_str_eq(out, "\"a\\\"b\\\\c\\nd\\te\\u0001\\u007f\"");
	free(out);
	CAPTURE(out, f, tdmx_json_escape(f, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\x9e"));
	ck_assert_str_eq(out, "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\x9e\"");
	free(out);
	/* invalid UTF-8: a stray byte, a truncated sequence, an overlong form, a surrogate */
	CAPTURE(out, f, tdmx_json_escape(f, "x\xffy\xc3"));
	ck_assert_str_eq(out, "\"x\\ufffdy\\ufffd\"");
	free(out);
	CAPTURE(out, f, tdmx_json_escape(f, "\xc0\xaf\xed\xa0\x80"));
	ck_assert_str_eq(out, "\"\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\"");
	free(out);
	CAPTURE(out, f, tdmx_json_escape(f, ""));
	ck_assert_str_eq(out, "\"\"");
	free(out);
}
END_TEST

static void write_sample(FILE *f, bool pretty)
{
	struct tdmx_json j;

	tdmx_json_init(&j, f, pretty);
	tdmx_json_arr_open(&j, NULL);
	tdmx_json_obj_open(&j, NULL);
	tdmx_json_uint(&j, "span", 1);
	tdmx_json_int(&j, "ppm", -3);
	tdmx_json_bool(&j, "master", true);
	tdmx_json_arr_open(&j, "alarms");
	tdmx_json_str(&j, NULL, "lof");
	tdmx_json_arr_close(&j);
	tdmx_json_arr_open(&j, "empty");
	tdmx_json_arr_close(&j);
	tdmx_json_obj_open(&j, "counters");
	tdmx_json_obj_close(&j);
	tdmx_json_obj_close(&j);
	tdmx_json_arr_close(&j);
}

START_TEST(test_json_writer_compact_and_pretty)
{
	char *out;

	CAPTURE(out, f, write_sample(f, false));
	ck_assert_str_eq(out, "[{\"span\":1,\"ppm\":-3,\"master\":true,\"alarms\":[\"lof\"],"
			 "\"empty\":[],\"counters\":{}}]");
	free(out);
	CAPTURE(out, f, write_sample(f, true));
	ck_assert_str_eq(out,
			 "[\n"
			 "  {\n"
			 "    \"span\": 1,\n"
			 "    \"ppm\": -3,\n"
			 "    \"master\": true,\n"
			 "    \"alarms\": [\n"
			 "      \"lof\"\n"
			 "    ],\n"
			 "    \"empty\": [],\n"
			 "    \"counters\": {}\n"
			 "  }\n"
			 "]");
	free(out);
}
END_TEST

START_TEST(test_alarm_event_json_is_the_documented_line)
{
	struct tdmx_event ev;
	struct tdmx_json j;
	char *out;

	memset(&ev, 0, sizeof(ev));
	ev.type = TDMX_EV_ALARM;
	ev.alarm.span = 2;
	ev.alarm.alarm = TDMX_ALARM_RAI;
	ev.alarm.on = true;
	ev.alarm.alarms = 1u << TDMX_ALARM_RAI;
	ev.alarm.seq = 5;
	CAPTURE(out, f, (tdmx_json_init(&j, f, false),
			 tdmx_json_event(&j, &ev, "2026-11-22T22:51:03.123456Z")));
	ck_assert_str_eq(out, "{\"time\":\"2026-11-22T22:51:03.123456Z\",\"type\":\"alarm\","
			 "\"span\":2,\"alarm\":\"rai\",\"on\":true,\"alarms\":[\"rai\"],\"seq\":5}");
	free(out);
	CAPTURE(out, f, tdmx_print_event(f, &ev, "2026-11-22T22:51:03.123456Z"));
	ck_assert_str_eq(out, "2026-11-22T22:51:03.123456Z span 2 alarm rai on (alarms RAI)\n");
	free(out);
}
END_TEST

START_TEST(test_time_text_is_utc_with_microseconds)
{
	struct timespec ts = { .tv_sec = 1795387863, .tv_nsec = 123456789 };
	char buf[TDMX_TIME_LEN];

	ck_assert_int_eq(tdmx_time_text(buf, &ts), 0);
	ck_assert_str_eq(buf, "2026-11-22T22:51:03.123456Z");
}
END_TEST

/* ---------------------------------------------------- JSON line parser */

START_TEST(test_jparse_reads_every_value_type)
{
	static struct tdmx_jobj o;
	const struct tdmx_jval *v;
	char err[128];

	ck_assert_int_eq(tdmx_jobj_parse(&o, " { \"s\" : \"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9"
					 "\\ud83d\\udcde\", \"i\":-42,\"r\":1.5e3,\"t\":true,"
					 "\"f\":false,\"n\":null,\"a\":[1,\"x\",false],\"e\":[] }\n",
					 err, sizeof(err)), 0);
	ck_assert_uint_eq(o.n, 8);
	v = tdmx_jobj_get(&o, "s");
	ck_assert_int_eq(v->type, TDMX_J_STRING);
	ck_assert_str_eq(v->s, "a\"\\/\b\f\n\r\t\xc3\xa9\xf0\x9f\x93\x9e");
	v = tdmx_jobj_get(&o, "i");
	ck_assert_int_eq(v->type, TDMX_J_INT);
	ck_assert_int_eq(v->i, -42);
	v = tdmx_jobj_get(&o, "r");
	ck_assert_int_eq(v->type, TDMX_J_REAL);
	ck_assert(v->r == 1500.0);
	ck_assert(tdmx_jobj_get(&o, "t")->b);
	ck_assert_int_eq(tdmx_jobj_get(&o, "f")->type, TDMX_J_BOOL);
	ck_assert(!tdmx_jobj_get(&o, "f")->b);
	ck_assert_int_eq(tdmx_jobj_get(&o, "n")->type, TDMX_J_NULL);
	v = tdmx_jobj_get(&o, "a");
	ck_assert_int_eq(v->type, TDMX_J_ARRAY);
	ck_assert_uint_eq(v->n, 3);
	ck_assert_int_eq(v->items[0].i, 1);
	ck_assert_str_eq(v->items[1].s, "x");
	ck_assert_int_eq(v->items[2].type, TDMX_J_BOOL);
	ck_assert_uint_eq(tdmx_jobj_get(&o, "e")->n, 0);
	ck_assert_ptr_null(tdmx_jobj_get(&o, "missing"));
	ck_assert_int_eq(tdmx_jobj_parse(&o, "{}", err, sizeof(err)), 0);
	ck_assert_uint_eq(o.n, 0);
}
END_TEST

START_TEST(test_jparse_rejects_malformed_lines_with_the_column)
{
	static const struct {
		const char *line;
		const char *msg;
	} cases[] = {
		{ "", "column 1: expected '{', found end of line" },
		{ "[1]", "column 1: expected '{', found '['" },
		{ "{", "column 2: expected a key in double quotes, found end of line" },
		{ "{\"a\":1,}", "column 8: expected a key in double quotes, found '}'" },
		{ "{a:1}", "column 2: expected a key in double quotes, found 'a'" },
		{ "{\"a\" 1}", "column 6: expected ':' after \"a\", found '1'" },
		{ "{\"a\":1 \"b\":2}", "column 8: expected ',' or '}', found '\"'" },
		{ "{\"a\":1} x", "column 9: unexpected 'x' after the object" },
		{ "{\"a\":1}{}", "unexpected '{' after the object" },
		{ "{\"a\":{\"b\":1}}", "column 6: nested objects are not supported" },
		{ "{\"a\":[[1]]}", "column 7: nested arrays are not supported" },
		{ "{\"a\":[1,]}", "column 9: expected a value, found ']'" },
		{ "{\"a\":[1 2]}", "expected ',' or ']', found '2'" },
		{ "{\"a\":\"x\x01\"}", "control character 0x01 in a string" },
		{ "{\"a\":\"\\q\"}", "invalid escape '\\q'" },
		{ "{\"a\":\"\\u12\"}", "\\u needs four hex digits" },
		{ "{\"a\":\"\\ud800\"}", "high surrogate without its low half" },
		{ "{\"a\":\"\\udc00\"}", "lone low surrogate" },
		{ "{\"a\":\"\\u0000\"}", "\\u0000 is not supported" },
		{ "{\"a\":\"x\xff\"}", "invalid UTF-8" },
		{ "{\"a\":\"open", "unterminated string" },
		{ "{\"a\":01}", "expected ',' or '}', found '1'" },
		{ "{\"a\":1.}", "bad number: digits must follow '.'" },
		{ "{\"a\":1e}", "bad number: digits must follow the exponent" },
		{ "{\"a\":-}", "bad number" },
		{ "{\"a\":+1}", "expected a value, found '+'" },
		{ "{\"a\":99999999999999999999}", "integer out of range" },
		{ "{\"a\":1e999}", "number out of range" },
		{ "{\"a\":tru}", "expected a value, found 't'" },
		{ "{\"a\":1,\"a\":2}", "duplicate key \"a\"" },
	};
	static struct tdmx_jobj o;
	char err[128];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_msg(tdmx_jobj_parse(&o, cases[i].line, err, sizeof(err)) == -EINVAL,
			      "accepted: %s", cases[i].line);
		ck_assert_msg(strstr(err, cases[i].msg), "%s: expected \"%s\", got \"%s\"",
			      cases[i].line, cases[i].msg, err);
	}
}
END_TEST

START_TEST(test_jparse_limits_members_and_text)
{
	static struct tdmx_jobj o;
	char line[TDMX_JSON_MAX_TEXT + 64], err[128];
	size_t n = 0;
	int i;

	n += (size_t)sprintf(line, "{");
	for (i = 0; i <= TDMX_JSON_MAX_MEMBERS; i++)
		n += (size_t)sprintf(line + n, "%s\"k%d\":%d", i ? "," : "", i, i);
	strcpy(line + n, "}");
	ck_assert_int_eq(tdmx_jobj_parse(&o, line, err, sizeof(err)), -EINVAL);
	ck_assert_msg(strstr(err, "too many members"), "%s", err);
	strcpy(line, "{\"k\":\"");
	memset(line + 6, 'x', TDMX_JSON_MAX_TEXT);
	strcpy(line + 6 + TDMX_JSON_MAX_TEXT, "\"}");
	ck_assert_int_eq(tdmx_jobj_parse(&o, line, err, sizeof(err)), -EINVAL);
	ck_assert_msg(strstr(err, "line too long"), "%s", err);
}
END_TEST

/* write @ev as a tdmxmon -j line, read it back, compare */
static void round_trip(const struct tdmx_event *ev, const char *human)
{
	static struct tdmx_jobj o;
	char err[128], time[TDMX_TIME_LEN], *line, *out;
	struct tdmx_event back;
	struct tdmx_json j;

	CAPTURE(line, f, (tdmx_json_init(&j, f, false),
			  tdmx_json_event(&j, ev, "2026-11-22T22:51:03.000001Z")));
	ck_assert_msg(!tdmx_jobj_parse(&o, line, err, sizeof(err)), "%s: %s", line, err);
	ck_assert_msg(!tdmx_event_from_json(&o, &back, time, err, sizeof(err)), "%s: %s", line,
		      err);
	ck_assert_str_eq(time, "2026-11-22T22:51:03.000001Z");
	ck_assert_int_eq(back.type, ev->type);
	ck_assert_msg(!memcmp(&back, ev, sizeof(back)), "changed in the round trip: %s", line);
	CAPTURE(out, f, tdmx_print_event(f, &back, time));
	ck_assert_str_eq(out, human);
	free(out);
	free(line);
}

START_TEST(test_events_survive_a_json_round_trip)
{
	struct tdmx_event ev;
	struct nl_msg *m;

	m = span_msg(TDMX_CMD_SPAN_NTF);
	ck_assert_int_eq(tdmx_event_parse(nlmsg_hdr(m), &ev), 0);
	nlmsg_free(m);
	ev.span.fields &= ~TDMX_SPAN_F_GENERATION;	/* not printed */
	ev.span.generation = 0;
	round_trip(&ev, "2026-11-22T22:51:03.000001Z span 1 changed vcard1/0 e1 framing e1-crc4 "
		   "linecode hdb3 signalling ccs dchan 16 law alaw clock 1 loopback none "
		   "block 10ms alarms LOF,RAI master\n");

	memset(&ev, 0, sizeof(ev));
	ev.type = TDMX_EV_CHAN;
	ev.chan.fields = TDMX_CHAN_F_TYPE | TDMX_CHAN_F_RX_ABCD | TDMX_CHAN_F_TX_ABCD |
			 TDMX_CHAN_F_OPEN;
	ev.chan.span = 1;
	ev.chan.id = 17;
	ev.chan.type = TDMX_CHAN_CAS;
	ev.chan.rx_abcd = 0xd;
	ev.chan.tx_abcd = 0x5;
	ev.chan.open = 2;
	round_trip(&ev, "2026-11-22T22:51:03.000001Z chan 1/17 changed type cas rxabcd 1101 "
		   "txabcd 0101 open 2\n");

	memset(&ev, 0, sizeof(ev));
	ev.type = TDMX_EV_VCARD;
	ev.vcard.id = 3;
	ev.vcard.type = TDMX_VCARD_LOOP;
	ev.vcard.line = TDMX_LINE_T1;
	ev.vcard.nspans = 2;
	ev.vcard.spans[0] = 5;
	ev.vcard.spans[1] = 6;
	round_trip(&ev, "2026-11-22T22:51:03.000001Z vcard 3 new loop t1 spans 5,6\n");

	memset(&ev, 0, sizeof(ev));
	ev.type = TDMX_EV_VCARD;
	ev.deleted = true;
	ev.vcard.id = 3;
	round_trip(&ev, "2026-11-22T22:51:03.000001Z vcard 3 deleted\n");

	memset(&ev, 0, sizeof(ev));
	ev.type = TDMX_EV_ALARM;
	ev.alarm.span = 4;
	ev.alarm.alarm = TDMX_ALARM_SLIP;
	ev.alarm.on = true;
	ev.alarm.seq = 123456789012ull;
	round_trip(&ev, "2026-11-22T22:51:03.000001Z span 4 alarm slip on (alarms none)\n");
}
END_TEST

START_TEST(test_replay_rejects_lines_that_are_not_events)
{
	static const struct {
		const char *line;
		const char *msg;
	} cases[] = {
		{ "{\"type\":\"alarm\"}", "missing \"time\"" },
		{ "{\"time\":\"yesterday\",\"type\":\"alarm\"}", "\"time\" must look like" },
		{ "{\"time\":1,\"type\":\"alarm\"}", "\"time\" must be a string" },
		{ "{\"time\":\"2026-11-22T22:51:03.123456Z\"}", "missing \"type\"" },
		{ "{\"time\":\"2026-11-22T22:51:03.123456Z\",\"type\":\"disk\"}",
		  "unknown \"type\" \"disk\" (span, chan, vcard, alarm)" },
		{ "{\"time\":\"2026-11-22T22:51:03.123456Z\",\"type\":\"alarm\",\"alarm\":\"rai\","
		  "\"on\":true,\"alarms\":[],\"seq\":1}", "missing \"span\"" },
		{ "{\"time\":\"2026-11-22T22:51:03.123456Z\",\"type\":\"alarm\",\"span\":0,"
		  "\"alarm\":\"rai\",\"on\":true,\"alarms\":[],\"seq\":1}",
		  "\"span\" must be from 1 to 4294967295" },
		{ "{\"time\":\"2026-11-22T22:51:03.123456Z\",\"type\":\"alarm\",\"span\":1,"
		  "\"alarm\":\"red\",\"on\":true,\"alarms\":[],\"seq\":1}", "bad alarm \"red\"" },
		{ "{\"time\":\"2026-11-22T22:51:03.123456Z\",\"type\":\"alarm\",\"span\":1,"
		  "\"alarm\":\"rai\",\"on\":1,\"alarms\":[],\"seq\":1}",
		  "\"on\" must be true or false" },
		{ "{\"time\":\"2026-11-22T22:51:03.123456Z\",\"type\":\"alarm\",\"span\":1,"
		  "\"alarm\":\"rai\",\"on\":true,\"alarms\":[\"blue\"],\"seq\":1}",
		  "bad alarm \"blue\" in \"alarms\"" },
		{ "{\"time\":\"2026-11-22T22:51:03.123456Z\",\"type\":\"alarm\",\"span\":1,"
		  "\"alarm\":\"rai\",\"on\":true,\"alarms\":\"rai\",\"seq\":1}",
		  "\"alarms\" must be an array" },
		{ "{\"time\":\"2026-11-22T22:51:03.123456Z\",\"type\":\"alarm\",\"span\":1,"
		  "\"alarm\":\"rai\",\"on\":true,\"alarms\":[],\"seq\":-1}",
		  "\"seq\" must be from 0" },
		{ "{\"time\":\"2026-11-22T22:51:03.123456Z\",\"type\":\"span\",\"span\":1,"
		  "\"framing\":\"e2\"}", "bad framing \"e2\"" },
		{ "{\"time\":\"2026-11-22T22:51:03.123456Z\",\"type\":\"span\",\"span\":1,"
		  "\"dchan\":256}", "\"dchan\" must be from 0 to 255" },
		{ "{\"time\":\"2026-11-22T22:51:03.123456Z\",\"type\":\"chan\",\"span\":1,"
		  "\"chan\":5,\"txabcd\":\"11\"}", "\"txabcd\" must be four bits" },
		{ "{\"time\":\"2026-11-22T22:51:03.123456Z\",\"type\":\"chan\",\"span\":1}",
		  "missing \"chan\"" },
		{ "{\"time\":\"2026-11-22T22:51:03.123456Z\",\"type\":\"vcard\",\"vcard\":1}",
		  "missing \"vcard_type\"" },
		{ "{\"time\":\"2026-11-22T22:51:03.123456Z\",\"type\":\"vcard\",\"vcard\":1,"
		  "\"vcard_type\":\"loop\",\"spans\":[1,\"2\"]}", "\"spans\" must hold span numbers" },
	};
	static struct tdmx_jobj o;
	char err[256], time[TDMX_TIME_LEN];
	struct tdmx_event ev;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_msg(!tdmx_jobj_parse(&o, cases[i].line, err, sizeof(err)), "%s: %s",
			      cases[i].line, err);
		ck_assert_msg(tdmx_event_from_json(&o, &ev, time, err, sizeof(err)) == -EINVAL,
			      "accepted: %s", cases[i].line);
		ck_assert_msg(strstr(err, cases[i].msg), "%s: expected \"%s\", got \"%s\"",
			      cases[i].line, cases[i].msg, err);
	}
}
END_TEST

/* ------------------------------------------------ netlink parse functions */

START_TEST(test_span_reply_prints_like_iproute2)
{
	struct nl_msg *m = span_msg(TDMX_CMD_SPAN_GET);
	struct tdmx_span s;
	char *out;

	ck_assert_int_eq(tdmx_span_parse(nlmsg_hdr(m), &s), 0);
	nlmsg_free(m);
	ck_assert_uint_eq(s.id, 1);
	ck_assert_str_eq(s.name, "vcard1/0");
	ck_assert_uint_eq(s.channels, 31);
	ck_assert_uint_eq(s.generation, 7);
	ck_assert(s.timing_master);
	ck_assert_uint_eq(s.fields, 0x7fff);
	CAPTURE(out, f, tdmx_print_span(f, &s, NULL));
	ck_assert_str_eq(out, "span 1 vcard1/0 e1 framing e1-crc4 linecode hdb3 signalling ccs "
			 "dchan 16 law alaw clock 1 loopback none block 10ms alarms LOF,RAI master\n");
	free(out);
	s.signalling = TDMX_SIG_NONE;
	s.clock_ppm = -12;
	s.timing_master = false;
	s.alarms = 0;
	s.framing = 9;
	CAPTURE(out, f, tdmx_print_span(f, &s, NULL));
	ck_assert_str_eq(out, "span 1 vcard1/0 e1 framing 9 linecode hdb3 signalling none "
			 "law alaw clock 1 loopback none block 10ms ppm -12 alarms none\n");
	free(out);
}
END_TEST

START_TEST(test_span_parse_keeps_only_present_fields)
{
	struct nl_msg *m = genl_new(TDMX_CMD_SPAN_NTF);
	struct tdmx_span s;
	struct tdmx_json j;
	char *out;

	nla_put_u32(m, TDMX_A_SPAN_ID, 9);
	nla_put_u8(m, TDMX_A_SPAN_LAW, TDMX_LAW_ULAW);
	ck_assert_int_eq(tdmx_span_parse(nlmsg_hdr(m), &s), 0);
	nlmsg_free(m);
	ck_assert_uint_eq(s.fields, TDMX_SPAN_F_LAW);
	CAPTURE(out, f, tdmx_print_span(f, &s, "changed"));
	ck_assert_str_eq(out, "span 9 changed law ulaw\n");
	free(out);
	CAPTURE(out, f, (tdmx_json_init(&j, f, false), tdmx_json_obj_open(&j, NULL),
			 tdmx_json_span(&j, &s), tdmx_json_obj_close(&j)));
	ck_assert_str_eq(out, "{\"span\":9,\"law\":\"ulaw\",\"master\":false}");
	free(out);
}
END_TEST

START_TEST(test_parse_rejects_malformed_messages)
{
	struct nl_msg *m;
	struct tdmx_span s;
	struct tdmx_chan c;
	struct tdmx_alarm_edge a;
	uint8_t one = 1;

	m = genl_new(TDMX_CMD_SPAN_GET);
	nla_put_u8(m, TDMX_A_SPAN_LAW, 1);
	ck_assert_int_eq(tdmx_span_parse(nlmsg_hdr(m), &s), -EBADMSG);	/* no SPAN_ID */
	nlmsg_free(m);
	m = genl_new(TDMX_CMD_SPAN_GET);
	nla_put(m, TDMX_A_SPAN_ID, 1, &one);				/* too short */
	ck_assert_int_eq(tdmx_span_parse(nlmsg_hdr(m), &s), -EBADMSG);
	nlmsg_free(m);
	m = genl_new(TDMX_CMD_SPAN_GET);
	nla_put_u32(m, TDMX_A_SPAN_ID, 1);
	nla_put(m, TDMX_A_SPAN_NAME, 3, "abc");				/* no NUL */
	ck_assert_int_eq(tdmx_span_parse(nlmsg_hdr(m), &s), -EBADMSG);
	nlmsg_free(m);
	m = genl_new(TDMX_CMD_CHAN_GET);
	nla_put_u32(m, TDMX_A_SPAN_ID, 1);
	ck_assert_int_eq(tdmx_chan_parse(nlmsg_hdr(m), &c), -EBADMSG);	/* no CHAN_ID */
	nlmsg_free(m);
	m = genl_new(TDMX_CMD_ALARM_NTF);
	nla_put_u32(m, TDMX_A_SPAN_ID, 1);
	nla_put_u8(m, TDMX_A_ALARM, TDMX_ALARM_LOS);
	ck_assert_int_eq(tdmx_alarm_parse(nlmsg_hdr(m), &a), -EBADMSG);	/* no ALARM_ON */
	nlmsg_free(m);
}
END_TEST

START_TEST(test_chan_vcard_counters_and_alarm_parse)
{
	struct tdmx_counters cn;
	struct tdmx_alarm_edge a;
	struct tdmx_vcard v;
	struct tdmx_chan c;
	struct nlattr *nest;
	struct nl_msg *m;
	char *out;

	m = genl_new(TDMX_CMD_CHAN_GET);
	nla_put_u32(m, TDMX_A_SPAN_ID, 2);
	nla_put_u8(m, TDMX_A_CHAN_ID, 5);
	nla_put_u8(m, TDMX_A_CHAN_TYPE, TDMX_CHAN_VOICE);
	nla_put_u8(m, TDMX_A_CHAN_RX_ABCD, 0xd);
	nla_put_u8(m, TDMX_A_CHAN_TX_ABCD, 0xd);
	nla_put_u8(m, TDMX_A_CHAN_OPEN, 0);
	ck_assert_int_eq(tdmx_chan_parse(nlmsg_hdr(m), &c), 0);
	nlmsg_free(m);
	CAPTURE(out, f, tdmx_print_chan(f, &c, NULL));
	ck_assert_str_eq(out, "chan 2/5 type voice open 0\n");	/* no ABCD for voice */
	free(out);

	m = genl_new(TDMX_CMD_VCARD_GET);
	nla_put_u32(m, TDMX_A_VCARD_ID, 1);
	nla_put_u8(m, TDMX_A_VCARD_TYPE, TDMX_VCARD_LOOP);
	nla_put_u8(m, TDMX_A_VCARD_LINE, TDMX_LINE_E1);
	nla_put_u32(m, TDMX_A_SPAN_ID, 1);
	nla_put_u32(m, TDMX_A_SPAN_ID, 2);
	ck_assert_int_eq(tdmx_vcard_parse(nlmsg_hdr(m), &v), 0);
	nlmsg_free(m);
	ck_assert_uint_eq(v.nspans, 2);
	CAPTURE(out, f, tdmx_print_vcard(f, &v, NULL));
	ck_assert_str_eq(out, "vcard 1 loop e1 spans 1,2\n");
	free(out);

	m = genl_new(TDMX_CMD_COUNTERS_GET);
	nla_put_u32(m, TDMX_A_SPAN_ID, 3);
	nest = nla_nest_start(m, TDMX_A_COUNTERS);
	nla_put_u64(m, TDMX_A_CNT_FRAMES, 8000);
	nla_put_u64(m, TDMX_A_CNT_CRC_ERRORS, 2);
	nla_put_u64(m, TDMX_A_CNT_UAS, 0);
	nla_put_u64(m, TDMX_A_CNT_TX_UNDERRUNS, 1ull << 40);
	nla_nest_end(m, nest);
	ck_assert_int_eq(tdmx_counters_parse(nlmsg_hdr(m), &cn), 0);
	nlmsg_free(m);
	ck_assert_uint_eq(cn.span, 3);
	ck_assert_uint_eq(cn.v[TDMX_A_CNT_TX_UNDERRUNS], 1ull << 40);
	CAPTURE(out, f, tdmx_print_counters(f, &cn));
	ck_assert_str_eq(out, "span 3\n    frames 8000 crc_errors 2\n    uas 0\n"
			 "    tx_underruns 1099511627776\n");
	free(out);

	m = alarm_msg();
	ck_assert_int_eq(tdmx_alarm_parse(nlmsg_hdr(m), &a), 0);
	nlmsg_free(m);
	ck_assert_uint_eq(a.seq, 5);
	CAPTURE(out, f, tdmx_print_alarm(f, &a));
	ck_assert_str_eq(out, "span 2 alarm rai on (alarms RAI)\n");
	free(out);
}
END_TEST

/* ------------------------------------------------- notification dispatch */

struct seen {
	unsigned int n;
	struct tdmx_event ev[8];
};

static int collect(const struct tdmx_event *ev, void *arg)
{
	struct seen *s = arg;

	if (s->n < 8)
		s->ev[s->n] = *ev;
	s->n++;
	return 0;
}

static size_t append(uint32_t *buf, size_t used, struct nl_msg *m)
{
	struct nlmsghdr *nlh = nlmsg_hdr(m);

	memcpy((char *)buf + used, nlh, nlh->nlmsg_len);
	used += NLMSG_ALIGN(nlh->nlmsg_len);
	nlmsg_free(m);
	return used;
}

START_TEST(test_dispatch_delivers_known_notifications_only)
{
	static uint32_t buf[2048];
	struct seen s = { 0 };
	struct nl_msg *m;
	size_t used = 0;

	used = append(buf, used, span_msg(TDMX_CMD_SPAN_NTF));
	m = nlmsg_alloc();					/* another family */
	genlmsg_put(m, 0, 0, GENL_ID_CTRL, 0, 0, CTRL_CMD_NEWFAMILY, 1);
	used = append(buf, used, m);
	used = append(buf, used, genl_new(TDMX_CMD_COUNTERS_RESET));	/* not an event */
	m = genl_new(TDMX_CMD_CHAN_NTF);			/* malformed: no CHAN_ID */
	nla_put_u32(m, TDMX_A_SPAN_ID, 1);
	used = append(buf, used, m);
	m = genl_new(TDMX_CMD_VCARD_NTF);			/* no type: deleted */
	nla_put_u32(m, TDMX_A_VCARD_ID, 4);
	used = append(buf, used, m);
	used = append(buf, used, alarm_msg());
	ck_assert_int_eq(tdmx_mon_dispatch(FAKE_FAMILY, buf, used, collect, &s), 0);
	ck_assert_uint_eq(s.n, 3);
	ck_assert_int_eq(s.ev[0].type, TDMX_EV_SPAN);
	ck_assert_uint_eq(s.ev[0].span.id, 1);
	ck_assert_int_eq(s.ev[1].type, TDMX_EV_VCARD);
	ck_assert(s.ev[1].deleted);
	ck_assert_uint_eq(s.ev[1].vcard.id, 4);
	ck_assert_int_eq(s.ev[2].type, TDMX_EV_ALARM);
	ck_assert_uint_eq(s.ev[2].alarm.span, 2);
	/* a truncated buffer stops cleanly */
	s.n = 0;
	ck_assert_int_eq(tdmx_mon_dispatch(FAKE_FAMILY, buf, 10, collect, &s), 0);
	ck_assert_uint_eq(s.n, 0);
}
END_TEST

/* ----------------------------------------------------------------- acks */

/* an NLMSG_ERROR (or NLMSG_DONE) answering @sent, with extack TLVs */
static size_t build_ack(uint32_t *buf, uint16_t type, int error, bool capped,
			const struct nlmsghdr *sent, const char *msg, int offs)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	char *p = (char *)buf + NLMSG_HDRLEN;
	struct nlattr *a;
	size_t payload;

	memset(buf, 0, 1024);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_ACK_TLVS | (capped ? NLM_F_CAPPED : 0);
	if (type == NLMSG_ERROR) {
		struct nlmsgerr e = { .error = error, .msg = *sent };

		memcpy(p, &e, sizeof(e));
		payload = sizeof(e);
		if (!capped) {
			memcpy(p + payload, (const char *)sent + NLMSG_HDRLEN,
			       sent->nlmsg_len - NLMSG_HDRLEN);
			payload += sent->nlmsg_len - NLMSG_HDRLEN;
		}
	} else {
		memcpy(p, &error, sizeof(error));
		payload = sizeof(error);
	}
	p += NLMSG_ALIGN(payload);
	if (msg) {
		a = (struct nlattr *)p;
		a->nla_type = NLMSGERR_ATTR_MSG;
		a->nla_len = (uint16_t)(NLA_HDRLEN + strlen(msg) + 1);
		memcpy(p + NLA_HDRLEN, msg, strlen(msg) + 1);
		p += NLA_ALIGN(a->nla_len);
	}
	if (offs >= 0) {
		uint32_t o = (uint32_t)offs;

		a = (struct nlattr *)p;
		a->nla_type = NLMSGERR_ATTR_OFFS;
		a->nla_len = NLA_HDRLEN + 4;
		memcpy(p + NLA_HDRLEN, &o, 4);
		p += NLA_ALIGN(a->nla_len);
	}
	nlh->nlmsg_len = (uint32_t)(p - (char *)buf);
	return nlh->nlmsg_len;
}

START_TEST(test_ack_parse_reads_extack_text_and_attribute)
{
	static uint32_t buf[256];
	struct nl_msg *sent = genl_new(TDMX_CMD_SPAN_SET);
	const struct nlmsghdr *s;
	struct tdmx_ack ack;
	int offs, capped;

	nla_put_u32(sent, TDMX_A_SPAN_ID, 1);
	nla_put_u8(sent, TDMX_A_SPAN_DCHAN, 40);
	s = nlmsg_hdr(sent);
	offs = NLMSG_HDRLEN + GENL_HDRLEN + NLA_ALIGN(NLA_HDRLEN + 4);
	for (capped = 0; capped < 2; capped++) {
		build_ack(buf, NLMSG_ERROR, -EINVAL, capped, s, "dchan 40 out of range\n", offs);
		tdmx_ack_parse(&ack, (struct nlmsghdr *)buf, s);
		ck_assert_int_eq(ack.error, -EINVAL);
		ck_assert_str_eq(ack.msg, "dchan 40 out of range");
		ck_assert_uint_eq(ack.attr, TDMX_A_SPAN_DCHAN);
		ck_assert_str_eq(tdmx_attr_name(ack.attr), "TDMX_A_SPAN_DCHAN");
	}
	/* an offset inside the first attribute names it too */
	build_ack(buf, NLMSG_ERROR, -ERANGE, true, s, NULL, NLMSG_HDRLEN + GENL_HDRLEN + 4);
	tdmx_ack_parse(&ack, (struct nlmsghdr *)buf, s);
	ck_assert_int_eq(ack.error, -ERANGE);
	ck_assert_str_eq(ack.msg, "");
	ck_assert_uint_eq(ack.attr, TDMX_A_SPAN_ID);
	/* a success ack with a warning */
	build_ack(buf, NLMSG_ERROR, 0, true, s, "law ignored on T1", -1);
	tdmx_ack_parse(&ack, (struct nlmsghdr *)buf, s);
	ck_assert_int_eq(ack.error, 0);
	ck_assert_str_eq(ack.msg, "law ignored on T1");
	/* a dump ending in an error */
	build_ack(buf, NLMSG_DONE, -EBUSY, false, s, "span being deleted", -1);
	tdmx_ack_parse(&ack, (struct nlmsghdr *)buf, s);
	ck_assert_int_eq(ack.error, -EBUSY);
	ck_assert_str_eq(ack.msg, "span being deleted");
	/* a truncated error */
	build_ack(buf, NLMSG_ERROR, -EINVAL, true, s, NULL, -1);
	((struct nlmsghdr *)buf)->nlmsg_len = NLMSG_HDRLEN + 2;
	tdmx_ack_parse(&ack, (struct nlmsghdr *)buf, s);
	ck_assert_int_eq(ack.error, -EBADMSG);
	nlmsg_free(sent);
}
END_TEST

START_TEST(test_nle_codes_become_errno)
{
	ck_assert_int_eq(tdmx_nle_errno(0), 0);
	ck_assert_int_eq(tdmx_nle_errno(-NLE_NOMEM), -ENOMEM);
	ck_assert_int_eq(tdmx_nle_errno(NLE_PERM), -EPERM);
	ck_assert_int_eq(tdmx_nle_errno(-NLE_OBJ_NOTFOUND), -ENOENT);
	ck_assert_int_eq(tdmx_nle_errno(-NLE_DUMP_INTR), -EINTR);
	ck_assert_int_eq(tdmx_nle_errno(-NLE_FAILURE), -EIO);
}
END_TEST

/* ------------------------------- request machinery against "nlctrl" */

static struct tdmx *open_nlctrl(void)
{
	struct tdmx *h;

	if (tdmx_open_family(&h, "nlctrl")) {
		fprintf(stderr, "skipped: no generic netlink here\n");
		return NULL;
	}
	return h;
}

static int family_name(const struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	char *name = arg;

	if (genlmsg_parse((struct nlmsghdr *)nlh, 0, tb, CTRL_ATTR_MAX, NULL) < 0)
		return -EBADMSG;
	if (!tb[CTRL_ATTR_FAMILY_NAME])
		return -EBADMSG;
	snprintf(name, 32, "%s", nla_get_string(tb[CTRL_ATTR_FAMILY_NAME]));
	return 0;
}

START_TEST(test_request_gets_a_reply_then_the_ack)
{
	struct tdmx *h = open_nlctrl();
	struct nl_msg *msg;
	char name[32] = "";

	if (!h)
		return;
	msg = tdmx_msg(h, CTRL_CMD_GETFAMILY, 0);
	nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, "nlctrl");
	ck_assert_int_eq(tdmx_request(h, msg, family_name, name), 0);
	ck_assert_str_eq(name, "nlctrl");
	ck_assert_ptr_null(tdmx_ext_ack(h));
	msg = tdmx_msg(h, CTRL_CMD_GETFAMILY, 0);
	nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, "no-such-family");
	ck_assert_int_eq(tdmx_request(h, msg, family_name, name), -ENOENT);
	tdmx_close(h);
}
END_TEST

START_TEST(test_request_returns_the_kernel_extack)
{
	struct tdmx *h = open_nlctrl();
	struct nl_msg *msg;
	uint8_t one = 1;
	int ret;

	if (!h)
		return;
	msg = tdmx_msg(h, CTRL_CMD_GETFAMILY, 0);
	nla_put(msg, CTRL_ATTR_FAMILY_ID, 1, &one);	/* u16 in the policy */
	ret = tdmx_request(h, msg, NULL, NULL);
	ck_assert_int_lt(ret, 0);
	ck_assert_msg(tdmx_ext_ack(h) != NULL, "no extack text for error %d", ret);
	ck_assert_uint_eq(tdmx_ext_ack_attr(h), CTRL_ATTR_FAMILY_ID);
	/* the next request starts clean */
	msg = tdmx_msg(h, CTRL_CMD_GETFAMILY, 0);
	nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, "nlctrl");
	ck_assert_int_eq(tdmx_request(h, msg, NULL, NULL), 0);
	ck_assert_ptr_null(tdmx_ext_ack(h));
	ck_assert_uint_eq(tdmx_ext_ack_attr(h), 0);
	tdmx_close(h);
}
END_TEST

START_TEST(test_dump_collects_every_part)
{
	struct tdmx_vec v = { .size = 32 };
	struct tdmx *h = open_nlctrl();
	bool found = false;
	size_t i;

	if (!h)
		return;
	ck_assert_int_eq(tdmx_dump(h, CTRL_CMD_GETFAMILY, 0, family_name, &v), 0);
	ck_assert_uint_ge(v.n, 1);
	for (i = 0; i < v.n; i++)
		found |= !strcmp((char *)v.data + 32 * i, "nlctrl");
	ck_assert(found);
	/* twice on the same socket: nothing left over from the first */
	ck_assert_int_eq(tdmx_dump(h, CTRL_CMD_GETFAMILY, 0, family_name, &v), 0);
	ck_assert(v.n >= 1);
	tdmx_vec_free(&v);
	tdmx_close(h);
}
END_TEST

START_TEST(test_open_without_the_module_says_enoent)
{
	struct tdmx_mon *m;
	struct tdmx *h;
	int ret = tdmx_open(&h);

	if (!ret) {
		fprintf(stderr, "skipped: the tdmx module is loaded\n");
		tdmx_close(h);
		return;
	}
	if (ret != -ENOENT && !open_nlctrl())
		return;
	ck_assert_int_eq(ret, -ENOENT);
	ck_assert_ptr_null(h);
	ck_assert_int_eq(tdmx_mon_open(&m, TDMX_MON_MONITOR | TDMX_MON_ALARM), -ENOENT);
	ck_assert_ptr_null(m);
	ck_assert_int_eq(tdmx_mon_open(&m, 0), -EINVAL);
}
END_TEST

/* ------------------------------------------------ devices (as plain files) */

static void put_file(const char *path, off_t size, const void *head, size_t headlen)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, size), 0);
	if (headlen)
		ck_assert_int_eq(pwrite(fd, head, headlen, 0), (ssize_t)headlen);
	close(fd);
}

START_TEST(test_ring_and_channel_helpers_follow_the_uapi_layout)
{
	struct tdmx_ring_hdr hdr = { .version = TDMX_RING_VERSION, .slots = TDMX_RING_SLOTS,
				     .blocks = TDMX_RING_BLOCKS, .block_ms = 10, .rx_seq = 70 };
	char dir[] = "/tmp/tdmxdev_XXXXXX", path[256], sub[256];
	uint8_t mark = 0xab, b = 0;
	struct tdmx_ring r;
	uint64_t done = 0;
	uint8_t *tx;
	int fd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/span", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	snprintf(path, sizeof(path), "%s/span/3", dir);
	put_file(path, TDMX_RING_MMAP_SIZE, &hdr, sizeof(hdr));
	fd = open(path, O_RDWR);
	ck_assert_int_eq(pwrite(fd, &mark, 1, TDMX_RING_RX_OFFSET + (69 % TDMX_RING_BLOCKS) *
				TDMX_RING_BLOCK_BYTES + tdmx_block_index(5, 7)), 1);
	setenv("TDMX_DEV_DIR", dir, 1);
	ck_assert_str_eq(tdmx_dev_dir(), dir);

	ck_assert_int_eq(tdmx_ring_open(&r, 3, O_RDWR), 0);
	ck_assert_uint_eq(tdmx_ring_rx_seq(&r), 70);
	ck_assert(tdmx_ring_rx_valid(&r, 69));
	ck_assert(tdmx_ring_rx_valid(&r, 70 - TDMX_RING_BLOCKS + 1));
	ck_assert(!tdmx_ring_rx_valid(&r, 70 - TDMX_RING_BLOCKS));	/* being rewritten */
	ck_assert(!tdmx_ring_rx_valid(&r, 70));				/* not yet there */
	ck_assert_uint_eq(tdmx_ring_rx_block(&r, 69)[tdmx_block_index(5, 7)], 0xab);
	tx = tdmx_ring_tx_block(&r, 65);
	tx[tdmx_block_index(31, 0)] = 0x5a;
	tdmx_ring_tx_done(&r, 65);
	tdmx_ring_close(&r);
	tdmx_ring_close(&r);						/* harmless */
	ck_assert_int_eq(pread(fd, &b, 1, TDMX_RING_TX_OFFSET + 1 * TDMX_RING_BLOCK_BYTES +
			       31 * TDMX_RING_FRAMES), 1);
	ck_assert_uint_eq(b, 0x5a);
	ck_assert_int_eq(pread(fd, &done, 8, offsetof(struct tdmx_ring_hdr, tx_seq_done)), 8);
	ck_assert_uint_eq(done, 66);

	ck_assert_int_eq(tdmx_ring_open(&r, 3, O_RDONLY), 0);
	ck_assert_ptr_null(tdmx_ring_tx_block(&r, 0));
	tdmx_ring_close(&r);
	hdr.version = TDMX_RING_VERSION + 1;
	ck_assert_int_eq(pwrite(fd, &hdr, sizeof(hdr), 0), (ssize_t)sizeof(hdr));
	ck_assert_int_eq(tdmx_ring_open(&r, 3, O_RDWR), -EPROTO);
	ck_assert_int_eq(tdmx_ring_open(&r, 4, O_RDWR), -ENOENT);
	close(fd);
	unlink(path);
	rmdir(sub);

	snprintf(sub, sizeof(sub), "%s/chan", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	snprintf(sub, sizeof(sub), "%s/chan/3", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	snprintf(path, sizeof(path), "%s/chan/3/5", dir);
	put_file(path, 0, NULL, 0);
	fd = tdmx_chandev_open(3, 5, O_RDWR);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(tdmx_chandev_rx_abcd(fd), -ENOTTY);		/* not a tdmx device */
	ck_assert_int_eq(tdmx_chandev_set_tx_abcd(fd, 16), -EINVAL);
	close(fd);
	ck_assert_int_eq(tdmx_chandev_open(3, 6, O_RDWR), -ENOENT);
	unlink(path);
	rmdir(sub);
	snprintf(sub, sizeof(sub), "%s/chan", dir);
	rmdir(sub);
	rmdir(dir);
	unsetenv("TDMX_DEV_DIR");
	ck_assert_str_eq(tdmx_dev_dir(), "/dev/tdmx");
}
END_TEST

static Suite *libtdmx_suite(void)
{
	Suite *s = suite_create("libtdmx");
	TCase *names = tcase_create("names");
	TCase *ctl = tcase_create("tdmxctl");
	TCase *json = tcase_create("json");
	TCase *nl = tcase_create("netlink");

	tcase_add_test(names, test_names_round_trip_for_every_kind);
	tcase_add_test(names, test_names_are_the_documented_ones);
	tcase_add_test(names, test_names_accept_aliases_and_any_case);
	tcase_add_test(names, test_names_reject_unknown_values_and_kinds);
	tcase_add_test(names, test_alarm_text_is_upper_case_in_bit_order);
	suite_add_tcase(s, names);

	tcase_add_test(ctl, test_ctl_parses_span_set);
	tcase_add_test(ctl, test_ctl_parses_every_span_key);
	tcase_add_test(ctl, test_ctl_rejects_bad_span_set_with_a_clear_message);
	tcase_add_test(ctl, test_ctl_show_commands_take_optional_addresses);
	tcase_add_test(ctl, test_ctl_parses_chan_set);
	tcase_add_test(ctl, test_ctl_parses_vcard_commands);
	tcase_add_test(ctl, test_ctl_parses_several_faults_in_one_command);
	tcase_add_test(ctl, test_ctl_rejects_unknown_objects_and_commands);
	tcase_add_test(ctl, test_apply_parses_a_good_file);
	tcase_add_test(ctl, test_apply_names_the_line_of_each_kind_of_bad_input);
	tcase_add_test(ctl, test_apply_rejects_nul_bytes_and_endless_lines);
	tcase_add_test(ctl, test_apply_with_a_bad_file_never_connects);
	suite_add_tcase(s, ctl);

	tcase_add_test(json, test_json_escapes_strings_to_valid_json);
	tcase_add_test(json, test_json_writer_compact_and_pretty);
	tcase_add_test(json, test_alarm_event_json_is_the_documented_line);
	tcase_add_test(json, test_time_text_is_utc_with_microseconds);
	tcase_add_test(json, test_jparse_reads_every_value_type);
	tcase_add_test(json, test_jparse_rejects_malformed_lines_with_the_column);
	tcase_add_test(json, test_jparse_limits_members_and_text);
	tcase_add_test(json, test_events_survive_a_json_round_trip);
	tcase_add_test(json, test_replay_rejects_lines_that_are_not_events);
	suite_add_tcase(s, json);

	tcase_add_test(nl, test_span_reply_prints_like_iproute2);
	tcase_add_test(nl, test_span_parse_keeps_only_present_fields);
	tcase_add_test(nl, test_parse_rejects_malformed_messages);
	tcase_add_test(nl, test_chan_vcard_counters_and_alarm_parse);
	tcase_add_test(nl, test_dispatch_delivers_known_notifications_only);
	tcase_add_test(nl, test_ack_parse_reads_extack_text_and_attribute);
	tcase_add_test(nl, test_nle_codes_become_errno);
	tcase_add_test(nl, test_request_gets_a_reply_then_the_ack);
	tcase_add_test(nl, test_request_returns_the_kernel_extack);
	tcase_add_test(nl, test_dump_collects_every_part);
	tcase_add_test(nl, test_open_without_the_module_says_enoent);
	tcase_add_test(nl, test_ring_and_channel_helpers_follow_the_uapi_layout);
	suite_add_tcase(s, nl);
	return s;
}

TDMX_CHECK_MAIN(libtdmx_suite)
