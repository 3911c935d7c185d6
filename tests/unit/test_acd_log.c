// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ACD event log: recovery by replay (random long input sequences), torn
 * last lines, divergence and bad lines, and a golden transcript
 * (tests/unit/data/acd_golden.jsonl; TDMX_GOLDEN_UPDATE=1 rewrites it).
 */
#include "acd_fixture.h"
#include "unit.h"

#define GOLDEN "tests/unit/data/acd_golden.jsonl"

/* a small site that exercises every rule */
static struct fx *site(void)
{
	static const enum acd_strategy strat[] = {
		ACD_STRAT_LONGEST_IDLE, ACD_STRAT_RING_ALL, ACD_STRAT_RANDOM, ACD_STRAT_ROUND_ROBIN,
		ACD_STRAT_FEWEST_CALLS,
	};
	static const char *const skills[] = { "s0", "s1", "s2" };
	struct fx *f = fx_new();
	struct acd_queue_cfg *q;
	char name[16];
	unsigned int i;

	f->c->seed = 7;
	for (i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "q%u", i);
		q = fx_queue(f, name, skills[i % 3], 5);
		q->strategy = strat[i];
		fx_tier(f, q, 20000, skills[i % 3], 2);
		q->wrapup_ms = 3000 * i;
		q->ring_timeout_ms = 8000;
		q->max_no_answer = 2;
		q->aging_ms = i % 2 ? 30000 : 0;
		q->announce_ms = i == 0 ? 15000 : 0;
		q->max_len = i == 4 ? 3 : 0;
		q->max_wait_ms = 60000;
		q->overflow.kind = i == 0 ? ACD_TARGET_QUEUE : i == 1 ? ACD_TARGET_VOICEMAIL :
				   ACD_TARGET_NONE;
		q->overflow.queue = 2;
		strcpy(q->overflow.dest, "vm");
		q->join_rule = i == 3 ? ACD_EMPTY_LOGGED_IN : ACD_EMPTY_ALWAYS;
		q->leave_rule = i == 3 ? ACD_EMPTY_AVAILABLE : ACD_EMPTY_ALWAYS;
	}
	/* named reasons 1 and 2 with overruns; the random inputs also give 3,
	 * which is not on the list and must be refused the same on replay */
	ck_assert_int_eq(acd_config_add_reason(f->c, &(struct acd_reason_cfg){
		.code = 1, .name = "lunch", .max_ms = 20000 }), 0);
	ck_assert_int_eq(acd_config_add_reason(f->c, &(struct acd_reason_cfg){
		.code = 2, .name = "training", .max_ms = 7000, .paid = true }), 0);
	for (i = 0; i < 12; i++) {
		snprintf(name, sizeof(name), "%u", 1000 + i);
		fx_agent(f, name, skills[i % 3], 1 + (int)(i * 7 % 10), skills[(i + 1) % 3],
			 1 + (int)(i * 3 % 10), NULL);
	}
	return f;
}

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* from agent *g on, the first in state @want: its call (*g set), or 0 */
static uint64_t call_of(struct fx *f, uint32_t *g, enum acd_agent_state want)
{
	struct acd_agent_status st;
	unsigned int i;

	for (i = 0; i < 12; i++, *g = (*g + 1) % 12) {
		ck_assert_int_eq(acd_agent_status(f->a, *g, &st), 0);
		if (st.state == want)
			return st.call;
	}
	return 0;
}

/* one random input; refused ones are fine (they must change nothing) */
static void step(struct fx *f, uint64_t *rs, uint64_t *t, uint64_t *next_call)
{
	uint32_t g = (uint32_t)(rnd(rs) % 12);
	uint64_t c;

	*t += rnd(rs) % 2000;
	ck_assert_int_eq(acd_advance(f->a, *t), 0);	/* offers may time out meanwhile */
	switch (rnd(rs) % 16) {
	case 0:
		acd_agent_login(f->a, *t, g, rnd(rs) % 2);
		break;
	case 1:
		acd_agent_logout(f->a, *t, g);
		break;
	case 2:
	case 15:
		acd_agent_ready(f->a, *t, g);
		break;
	case 3:
		acd_agent_not_ready(f->a, *t, g, (uint16_t)(1 + rnd(rs) % 3));
		break;
	case 4:
		acd_agent_wrapup_done(f->a, *t, g);
		break;
	case 5:
	case 6: {
		char caller[16];

		snprintf(caller, sizeof(caller), "+3312%04u", (unsigned int)(*next_call % 10000));
		acd_call_arrive(f->a, *t, (*next_call)++, (uint32_t)(rnd(rs) % 5),
				(uint8_t)(rnd(rs) % 3), caller, "8000",
				rnd(rs) % 2 ? "ivr=\"1\\2\"\tnom=Chloé" : "");
		break;
	}
	case 7:
		acd_call_abandon(f->a, *t, 1 + rnd(rs) % *next_call);
		break;
	case 8:
	case 12:
	case 13:
		c = call_of(f, &g, ACD_AGENT_RINGING);
		if (c)
			ck_assert_int_eq(acd_offer_answer(f->a, *t, c, g), 0);
		break;
	case 9:
		c = call_of(f, &g, ACD_AGENT_RINGING);
		if (c)
			ck_assert_int_eq(acd_offer_reject(f->a, *t, c, g,
							  (enum acd_reject)(rnd(rs) % 3)), 0);
		break;
	case 10:
	case 14:
		c = call_of(f, &g, ACD_AGENT_TALKING);
		if (c)
			ck_assert_int_eq(acd_call_end(f->a, *t, c), 0);
		break;
	default:
		ck_assert_int_eq(acd_advance(f->a, *t), 0);
		break;
	}
}

/* a second engine on @f's configuration, fed from @f's log so far */
static struct fx *recover(struct fx *f, uint64_t *good)
{
	struct fx *r = calloc(1, sizeof(*r));
	char err[512];
	FILE *in;
	int ret;

	ck_assert_ptr_nonnull(r);
	r->c = f->c;
	fx_start(r);
	fflush(f->logf);
	in = fmemopen(f->log, f->loglen, "r");
	ck_assert_ptr_nonnull(in);
	ret = acd_log_replay(r->a, in, good, err, sizeof(err));
	fclose(in);
	ck_assert_msg(ret == 0, "replay: %s", err);
	return r;
}

static void recover_free(struct fx *r)
{
	r->c = NULL;	/* owned by the original fixture */
	fx_free(r);
}

static void assert_same_state(struct fx *a, struct fx *b, uint64_t now)
{
	char *sa = fx_snapshot(a->a, now), *sb = fx_snapshot(b->a, now);
	struct acd_reason_time ra[8], rb[8];
	size_t na, nb;
	uint32_t g;
	int w;

	ck_assert_str_eq(sa, sb);
	free(sa);
	free(sb);
	/* the not-ready time per reason is rebuilt exactly too */
	for (g = 0; g < a->c->nagents; g++) {
		for (w = 0; w < ACD_WIN__N; w++) {
			ck_assert_int_eq(acd_agent_reason_times(a->a, g, now, w, ra, 8, &na), 0);
			ck_assert_int_eq(acd_agent_reason_times(b->a, g, now, w, rb, 8, &nb), 0);
			ck_assert_uint_eq(na, nb);
			for (size_t i = 0; i < na && i < 8; i++) {
				ck_assert_uint_eq(ra[i].code, rb[i].code);
				ck_assert_uint_eq(ra[i].ms, rb[i].ms);
			}
		}
	}
}

/* an offer rang several agents at once */
static bool ring_all_group(const char *log)
{
	const char *p;

	for (p = strstr(log, "\"group\":"); p; p = strstr(p + 1, "\"group\":"))
		if (atoi(p + 8) > 1)
			return true;
	return false;
}

START_TEST(test_acd_recovery_from_log_restores_same_state)
{
	static const char *const kinds[] = {
		"\"connect\"", "\"overflow\"", "\"call-escalate\"", "\"announce\"",
		"\"why\":\"timeout\"", "\"call-refused\"", "\"wrap-up\"",
		"\"reason\":65535", "\"reason-overrun\",\"agent\"", "\"reason\":2",
	};
	uint64_t seeds[] = { 1, 0x9e3779b9, 12345 }, rs, rs2, t, t2, nc, nc2, good;
	bool grouped = false;
	struct fx *f, *r;
	unsigned int i, k;

	for (k = 0; k < 3; k++) {
		f = site();
		fx_start(f);
		rs = seeds[k];
		t = 0;
		nc = 1;
		for (i = 0; i < 3000; i++)
			step(f, &rs, &t, &nc);
		fflush(f->logf);
		/* the run went through every kind of decision */
		for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
			ck_assert_msg(strstr(f->log, kinds[i]), "no %s in the run", kinds[i]);
		grouped |= ring_all_group(f->log);
		r = recover(f, &good);
		ck_assert_uint_eq(good, f->loglen);
		ck_assert_uint_eq(r->nev, 0);	/* a complete log: nothing for the sink */
		ck_assert_uint_eq(acd_last_seq(r->a), acd_last_seq(f->a));
		assert_same_state(f, r, t);
		/* and they go on the same way: same inputs, same events */
		rs2 = rs;
		t2 = t;
		nc2 = nc;
		fflush(f->logf);
		for (i = 0; i < 500; i++) {
			step(f, &rs, &t, &nc);
			step(r, &rs2, &t2, &nc2);
		}
		assert_same_state(f, r, t);
		fflush(f->logf);
		fflush(r->logf);
		ck_assert_uint_gt(r->loglen, 0);
		ck_assert_uint_eq(f->loglen - good, r->loglen);
		ck_assert_int_eq(memcmp(f->log + good, r->log, r->loglen), 0);
		recover_free(r);
		fx_free(f);
	}
	ck_assert_msg(grouped, "no ring-all offer to several agents in any run");
}
END_TEST

START_TEST(test_acd_replay_ignores_torn_last_line)
{
	struct fx *f = site(), *r;
	uint64_t rs = 5, t = 0, nc = 1, good, len;
	unsigned int i;

	fx_start(f);
	for (i = 0; i < 300; i++)
		step(f, &rs, &t, &nc);
	fflush(f->logf);
	len = f->loglen;
	fputs("{\"seq\":999999,\"t\":1,\"ev\":\"agent-lo", f->logf);	/* the crash */
	r = recover(f, &good);
	ck_assert_uint_eq(good, len);
	assert_same_state(f, r, t);
	recover_free(r);
	fx_free(f);
}
END_TEST

/* the crash lost the decisions of the last input: they come to the sink */
START_TEST(test_acd_replay_hands_lost_decisions_to_sink)
{
	struct fx *f = site(), *r;
	char *cut;
	size_t full;
	uint64_t good;

	fx_start(f);
	fx_ready(f, 0, "1002");
	fx_arrive(f, 10, 1, "q0", 0);
	fflush(f->logf);
	full = f->loglen;
	cut = strstr(f->log, "\"ev\":\"call-arrive\"");
	ck_assert_ptr_nonnull(cut);
	cut = strchr(cut, '\n') + 1;	/* keep the input, lose its decisions */
	f->loglen = (size_t)(cut - f->log);
	fseek(f->logf, (long)f->loglen, SEEK_SET);
	r = recover(f, &good);
	ck_assert_uint_eq(good, f->loglen);
	fflush(r->logf);
	ck_assert_uint_eq(r->loglen, full - f->loglen);
	ck_assert_int_eq(memcmp(r->log, cut, r->loglen), 0);
	ck_assert_uint_eq(fx_offered(r, 1), fx_ag(r, "1002"));
	assert_same_state(f, r, 10);
	recover_free(r);
	fx_free(f);
}
END_TEST

/* replay @text into a fresh engine of @f's configuration: the error */
static int replay_text(struct fx *f, const char *text, char *err, size_t errlen)
{
	struct acd *a;
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	int ret;

	ck_assert_ptr_nonnull(in);
	ck_assert_int_eq(acd_new(f->c, &a), 0);
	ret = acd_log_replay(a, in, NULL, err, errlen);
	fclose(in);
	acd_free(a);
	return ret;
}

START_TEST(test_acd_replay_detects_divergence_and_bad_lines)
{
	struct fx *f = site();
	char err[512], *text, *p;

	fx_start(f);
	fx_ready(f, 0, "1002");
	fx_arrive(f, 10, 1, "q0", 0);
	fflush(f->logf);
	text = strdup(f->log);
	ck_assert_int_eq(replay_text(f, text, err, sizeof(err)), 0);
	/* another agent in the logged offer: the engine decides otherwise */
	p = strstr(text, "\"ev\":\"offer\"");
	ck_assert_ptr_nonnull(p);
	p = strstr(p, "\"agent\":\"1002\"");
	ck_assert_ptr_nonnull(p);
	memcpy(p, "\"agent\":\"1005\"", 14);
	ck_assert_int_eq(replay_text(f, text, err, sizeof(err)), -EPROTO);
	ck_assert_ptr_nonnull(strstr(err, "diverges"));
	ck_assert_ptr_nonnull(strstr(err, "log:"));
	free(text);
	ck_assert_int_eq(replay_text(f, "not json\n", err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "log:1:"));
	ck_assert_int_eq(replay_text(f, "{\"seq\":1,\"t\":0,\"ev\":\"agent-login\",\"agent\":\"nobody\","
				     "\"ready\":true}\n", err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "agent"));
	ck_assert_int_eq(replay_text(f, "{\"seq\":1,\"t\":0,\"ev\":\"agent-ready\",\"agent\":\"1000\"}\n",
				     err, sizeof(err)), -EPROTO);
	ck_assert_ptr_nonnull(strstr(err, "refused"));
	fx_free(f);
}
END_TEST

START_TEST(test_acd_log_line_holds_the_longest_texts)
{
	struct fx *f = site(), *r;
	char text[256];
	uint64_t good;

	memset(text, 1, sizeof(text) - 1);	/* each written as \u0001 */
	text[sizeof(text) - 1] = 0;
	fx_start(f);
	ck_assert_int_eq(acd_call_arrive(f->a, 0, 1, 0, 0, text, text, text), 0);
	fflush(f->logf);
	ck_assert_uint_gt(f->loglen, 3 * 6 * 255);
	r = recover(f, &good);
	ck_assert_uint_eq(good, f->loglen);
	assert_same_state(f, r, 0);
	recover_free(r);
	fx_free(f);
}
END_TEST

/*
 * The scripted day: two queues, three agents; a VIP, an escalation, a
 * ring timeout, a rejection, wrap-up, an overflow to voicemail, an
 * abandon. Its event log must equal the saved transcript line for line.
 */
static void script(struct fx *f)
{
	uint32_t ann = fx_ag(f, "ann"), bob = fx_ag(f, "bob"), cy = fx_ag(f, "cy");

	fx_ready(f, 0, "ann");
	ck_assert_int_eq(acd_agent_login(f->a, 0, bob, false), 0);
	fx_ready(f, 500, "cy");
	fx_arrive(f, 1000, 101, "sales", 0);		/* ann; cy lacks the level */
	fx_arrive(f, 1500, 102, "sales", 0);		/* waits */
	ck_assert_int_eq(acd_offer_answer(f->a, 3000, 101, ann), 0);
	fx_arrive(f, 4000, 103, "sales", 5);		/* VIP: ahead of 102 */
	ck_assert_int_eq(acd_agent_ready(f->a, 5000, bob), 0);	/* bob rings 103 */
	ck_assert_int_eq(acd_advance(f->a, 15000), 0);	/* ring timeout: bob takes 102 */
	ck_assert_uint_eq(fx_offered(f, 102), bob);
	ck_assert_int_eq(acd_advance(f->a, 21500), 0);	/* 102 escalates: cy qualifies */
	ck_assert_int_eq(acd_offer_reject(f->a, 22000, 102, bob, ACD_REJECT_DECLINED), 0);
	ck_assert_uint_eq(fx_offered(f, 102), cy);
	ck_assert_int_eq(acd_offer_answer(f->a, 23000, 102, cy), 0);
	ck_assert_int_eq(acd_call_end(f->a, 30000, 101), 0);	/* ann: wrap-up 5 s */
	ck_assert_int_eq(acd_advance(f->a, 35000), 0);	/* ann rings 103 */
	ck_assert_int_eq(acd_offer_answer(f->a, 36000, 103, ann), 0);
	ck_assert_int_eq(acd_call_end(f->a, 40000, 102), 0);
	fx_arrive(f, 41000, 201, "support", 0);		/* nobody for support: announced */
	ck_assert_int_eq(acd_call_abandon(f->a, 44000, 201), 0);
	ck_assert_int_eq(acd_call_end(f->a, 50000, 103), 0);
	ck_assert_int_eq(acd_agent_not_ready(f->a, 60000, bob, 2), 0);
	ck_assert_int_eq(acd_agent_not_ready(f->a, 60000, ann, 1), 0);
	ck_assert_int_eq(acd_agent_logout(f->a, 60000, cy), 0);
	fx_arrive(f, 61000, 104, "sales", 0);
	ck_assert_int_eq(acd_advance(f->a, 200000), 0);	/* max wait: voicemail */
}

static struct fx *golden_site(void)
{
	struct fx *f = fx_new();
	struct acd_queue_cfg *q = fx_queue(f, "sales", "sales", 7);

	fx_tier(f, q, 20000, "sales", 3);
	q->wrapup_ms = 5000;
	q->ring_timeout_ms = 10000;
	q->aging_ms = 60000;
	q->max_wait_ms = 120000;
	q->overflow.kind = ACD_TARGET_VOICEMAIL;
	strcpy(q->overflow.dest, "sales-vm");
	q = fx_queue(f, "support", "support", 1);
	q->announce_ms = 2000;
	fx_agent(f, "ann", "sales", 9, "support", 2, NULL);
	fx_agent(f, "bob", "sales", 7, NULL);
	fx_agent(f, "cy", "sales", 4, NULL);
	return f;
}

START_TEST(test_acd_golden_transcript)
{
	struct fx *f = golden_site();
	char *want = NULL;
	size_t cap = 0;
	FILE *g;
	ssize_t n;

	fx_start(f);
	script(f);
	fflush(f->logf);
	if (getenv("TDMX_GOLDEN_UPDATE")) {
		g = fopen(GOLDEN, "w");
		ck_assert_ptr_nonnull(g);
		fwrite(f->log, 1, f->loglen, g);
		fclose(g);
	}
	g = fopen(GOLDEN, "r");
	ck_assert_msg(g != NULL, "cannot open %s (run from the top directory)", GOLDEN);
	n = getdelim(&want, &cap, 0, g);
	fclose(g);
	ck_assert_int_gt(n, 0);
	ck_assert_str_eq(f->log, want);
	free(want);
	fx_free(f);
}
END_TEST

static Suite *acd_log_suite(void)
{
	Suite *s = suite_create("acd_log");
	TCase *tc = tcase_create("log");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_acd_recovery_from_log_restores_same_state);
	tcase_add_test(tc, test_acd_replay_ignores_torn_last_line);
	tcase_add_test(tc, test_acd_replay_hands_lost_decisions_to_sink);
	tcase_add_test(tc, test_acd_replay_detects_divergence_and_bad_lines);
	tcase_add_test(tc, test_acd_log_line_holds_the_longest_texts);
	tcase_add_test(tc, test_acd_golden_transcript);
	suite_add_tcase(s, tc);
	return s;
}

TDMX_CHECK_MAIN(acd_log_suite)
