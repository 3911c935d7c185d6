// SPDX-License-Identifier: GPL-2.0-or-later
/* ACD engine routing: skills, tiers, priority and aging, cross-queue order, strategies. */
#include "acd_fixture.h"
#include "unit.h"

START_TEST(test_acd_skills_and_levels_honoured)
{
	struct fx *f = fx_new();
	struct acd_agent_status st;

	fx_queue(f, "fr", "french", 5);
	fx_agent(f, "low", "french", 3, NULL);
	fx_agent(f, "none", "sales", 9, NULL);
	fx_agent(f, "high", "french", 7, NULL);
	fx_start(f);
	fx_ready(f, 0, "low");
	fx_ready(f, 0, "none");
	fx_ready(f, 0, "high");
	ck_assert_int_eq(acd_agent_status(f->a, fx_ag(f, "low"), &st), 0);
	ck_assert_uint_eq(st.nqueues, 0);
	fx_arrive(f, 10, 1, "fr", 0);
	ck_assert_uint_eq(fx_offered(f, 1), fx_ag(f, "high"));
	fx_free(f);
}
END_TEST

START_TEST(test_acd_escalation_relaxes_skills_after_wait)
{
	struct fx *f = fx_new();
	struct acd_queue_cfg *q = fx_queue(f, "sales", "sales", 8);
	const struct acd_event *ev;

	fx_tier(f, q, 30000, "sales", 3);
	fx_agent(f, "junior", "sales", 4, NULL);
	fx_start(f);
	fx_ready(f, 0, "junior");
	fx_arrive(f, 1000, 1, "sales", 0);
	ck_assert_uint_eq(fx_offered(f, 1), ACD_NONE);
	ck_assert_uint_eq(acd_next_deadline(f->a), 31000);
	ck_assert_int_eq(acd_advance(f->a, 30999), 0);
	ck_assert_uint_eq(fx_offered(f, 1), ACD_NONE);
	ck_assert_int_eq(acd_advance(f->a, 40000), 0);
	ev = fx_last(f, ACD_EV_CALL_ESCALATE, 0);
	ck_assert_ptr_nonnull(ev);
	ck_assert_uint_eq(ev->time_ms, 31000);
	ck_assert_uint_eq(ev->d.pos.tier, 1);
	ev = fx_last(f, ACD_EV_OFFER, 0);
	ck_assert_ptr_nonnull(ev);
	ck_assert_uint_eq(ev->agent, fx_ag(f, "junior"));
	ck_assert_uint_eq(ev->time_ms, 31000);	/* at the deadline, not at the advance */
	fx_free(f);
}
END_TEST

START_TEST(test_acd_vip_caller_served_first)
{
	struct fx *f = fx_new();
	const struct acd_event *ev;

	fx_queue(f, "q", NULL, 0);	/* aging off: strict priority */
	fx_agent(f, "a", NULL);
	fx_start(f);
	ck_assert_int_eq(acd_agent_login(f->a, 0, 0, false), 0);
	fx_arrive(f, 0, 1, "q", 0);
	fx_arrive(f, 10000, 2, "q", 5);
	ev = fx_last(f, ACD_EV_CALL_QUEUED, 0);
	ck_assert_uint_eq(ev->call, 2);
	ck_assert_uint_eq(ev->d.pos.position, 1);
	ck_assert_int_eq(acd_agent_ready(f->a, 20000, 0), 0);
	ck_assert_uint_eq(fx_offered(f, 2), 0);
	ck_assert_uint_eq(fx_offered(f, 1), ACD_NONE);
	fx_free(f);
}
END_TEST

START_TEST(test_acd_aging_prevents_starvation)
{
	struct fx *f = fx_new();
	struct acd_queue_cfg *q = fx_queue(f, "q", NULL, 0);

	q->aging_ms = 60000;	/* one priority step is worth a minute */
	q->wrapup_ms = 0;
	fx_agent(f, "a", NULL);
	fx_start(f);
	ck_assert_int_eq(acd_agent_login(f->a, 0, 0, false), 0);
	fx_arrive(f, 0, 1, "q", 0);		/* key 0 */
	fx_arrive(f, 30000, 3, "q", 1);		/* key -30000: VIP inside the minute */
	fx_arrive(f, 70000, 2, "q", 1);		/* key 10000: the plain call waited longer */
	ck_assert_int_eq(acd_agent_ready(f->a, 80000, 0), 0);
	ck_assert_uint_eq(fx_offered(f, 3), 0);
	fx_handle(f, 80000, 3, 0, 1000);
	ck_assert_uint_eq(fx_offered(f, 1), 0);
	ck_assert_uint_eq(fx_offered(f, 2), ACD_NONE);
	fx_handle(f, 81000, 1, 0, 1000);
	ck_assert_uint_eq(fx_offered(f, 2), 0);
	fx_free(f);
}
END_TEST

START_TEST(test_acd_agent_in_two_queues_gets_longest_waiting_call)
{
	struct fx *f = fx_new();

	fx_queue(f, "a", "a", 1);
	fx_queue(f, "b", "b", 1);
	fx_agent(f, "x", "a", 5, "b", 5, NULL);
	fx_start(f);
	ck_assert_int_eq(acd_agent_login(f->a, 0, 0, false), 0);
	fx_arrive(f, 0, 1, "b", 0);
	fx_arrive(f, 5000, 2, "a", 0);
	ck_assert_int_eq(acd_agent_ready(f->a, 10000, 0), 0);
	ck_assert_uint_eq(fx_offered(f, 1), 0);
	ck_assert_uint_eq(fx_offered(f, 2), ACD_NONE);
	fx_free(f);
}
END_TEST

START_TEST(test_acd_skill_preference_counts_as_extra_wait)
{
	struct fx *f = fx_new();
	struct acd_agent_cfg *ac;

	fx_queue(f, "a", "a", 1);
	fx_queue(f, "b", "b", 1);
	ac = fx_agent(f, "x", "a", 5, "b", 5, NULL);
	ac->skill[0].preference_ms = 10000;	/* prefers skill a by 10 s */
	fx_start(f);
	ck_assert_int_eq(acd_agent_login(f->a, 0, 0, false), 0);
	fx_arrive(f, 0, 1, "b", 0);
	fx_arrive(f, 5000, 2, "a", 0);
	ck_assert_int_eq(acd_agent_ready(f->a, 10000, 0), 0);
	ck_assert_uint_eq(fx_offered(f, 2), 0);
	fx_free(f);
}
END_TEST

/* three agents a, b, c; the queue's strategy; no wrap-up */
static struct fx *three(enum acd_strategy s, uint64_t seed)
{
	struct fx *f = fx_new();
	struct acd_queue_cfg *q = fx_queue(f, "q", NULL, 0);

	q->strategy = s;
	q->wrapup_ms = 0;
	f->c->seed = seed;
	fx_agent(f, "a", NULL);
	fx_agent(f, "b", NULL);
	fx_agent(f, "c", NULL);
	fx_start(f);
	return f;
}

START_TEST(test_acd_longest_idle_offers_agent_idle_longest)
{
	struct fx *f = three(ACD_STRAT_LONGEST_IDLE, 1);

	fx_ready(f, 0, "c");
	fx_ready(f, 10, "a");
	fx_ready(f, 20, "b");
	fx_arrive(f, 30, 1, "q", 0);
	ck_assert_uint_eq(fx_offered(f, 1), fx_ag(f, "c"));
	fx_handle(f, 30, 1, fx_ag(f, "c"), 5);
	fx_arrive(f, 40, 2, "q", 0);
	ck_assert_uint_eq(fx_offered(f, 2), fx_ag(f, "a"));
	fx_free(f);
}
END_TEST

START_TEST(test_acd_round_robin_continues_after_last_agent)
{
	struct fx *f = three(ACD_STRAT_ROUND_ROBIN, 1);
	static const char *const want[] = { "a", "b", "c", "a", "b" };
	unsigned int i;

	fx_ready(f, 0, "c");	/* idle longest, but round robin goes by member order */
	fx_ready(f, 0, "b");
	fx_ready(f, 0, "a");
	for (i = 0; i < 5; i++) {
		fx_arrive(f, 10 + i * 10, 1 + i, "q", 0);
		ck_assert_uint_eq(fx_offered(f, 1 + i), fx_ag(f, want[i]));
		fx_handle(f, 10 + i * 10, 1 + i, fx_ag(f, want[i]), 1);
	}
	fx_free(f);
}
END_TEST

START_TEST(test_acd_fewest_calls_prefers_agent_with_fewer_answered)
{
	struct fx *f = three(ACD_STRAT_FEWEST_CALLS, 1);

	fx_ready(f, 0, "a");
	fx_arrive(f, 1, 1, "q", 0);
	fx_handle(f, 1, 1, fx_ag(f, "a"), 99);	/* a idle since 100 */
	fx_ready(f, 200, "b");
	fx_arrive(f, 300, 2, "q", 0);
	ck_assert_uint_eq(fx_offered(f, 2), fx_ag(f, "b"));	/* longest-idle would be a */
	fx_free(f);
}
END_TEST

START_TEST(test_acd_least_talk_time_prefers_agent_who_talked_least)
{
	struct fx *f = three(ACD_STRAT_LEAST_TALK, 1);

	fx_ready(f, 0, "a");
	fx_ready(f, 0, "b");
	fx_arrive(f, 1, 1, "q", 0);
	ck_assert_uint_eq(fx_offered(f, 1), fx_ag(f, "a"));
	fx_handle(f, 1, 1, fx_ag(f, "a"), 100000);
	fx_arrive(f, 100002, 2, "q", 0);
	ck_assert_uint_eq(fx_offered(f, 2), fx_ag(f, "b"));
	fx_handle(f, 100002, 2, fx_ag(f, "b"), 10000);
	fx_arrive(f, 110003, 3, "q", 0);
	/* b has the same number of calls and was idle less, but talked less */
	ck_assert_uint_eq(fx_offered(f, 3), fx_ag(f, "b"));
	fx_free(f);
}
END_TEST

START_TEST(test_acd_linear_always_offers_first_member)
{
	struct fx *f = three(ACD_STRAT_LINEAR, 1);

	fx_ready(f, 0, "c");
	fx_ready(f, 0, "b");
	fx_ready(f, 5, "a");
	fx_arrive(f, 10, 1, "q", 0);
	ck_assert_uint_eq(fx_offered(f, 1), fx_ag(f, "a"));
	fx_handle(f, 10, 1, fx_ag(f, "a"), 1);
	fx_arrive(f, 20, 2, "q", 0);
	ck_assert_uint_eq(fx_offered(f, 2), fx_ag(f, "a"));
	fx_free(f);
}
END_TEST

/* 300 calls handled at once: who got each, as a string of agent letters */
static void random_run(uint64_t seed, char out[301])
{
	struct fx *f = three(ACD_STRAT_RANDOM, seed);
	uint32_t g;
	unsigned int i;

	fx_ready(f, 0, "a");
	fx_ready(f, 0, "b");
	fx_ready(f, 0, "c");
	for (i = 0; i < 300; i++) {
		fx_arrive(f, 10 + i, 1 + i, "q", 0);
		g = fx_offered(f, 1 + i);
		ck_assert_uint_lt(g, 3);
		out[i] = (char)('a' + g);
		fx_handle(f, 10 + i, 1 + i, g, 0);
	}
	out[300] = 0;
	fx_free(f);
}

START_TEST(test_acd_random_is_uniform_and_replays_with_same_seed)
{
	char r1[301], r2[301], r3[301];
	unsigned int n[3] = { 0 }, i;

	random_run(42, r1);
	random_run(42, r2);
	random_run(43, r3);
	ck_assert_str_eq(r1, r2);
	ck_assert_str_ne(r1, r3);
	for (i = 0; i < 300; i++)
		n[r1[i] - 'a']++;
	for (i = 0; i < 3; i++) {
		ck_assert_uint_gt(n[i], 70);
		ck_assert_uint_lt(n[i], 130);
	}
}
END_TEST

START_TEST(test_acd_ring_all_offers_every_ready_agent_first_answer_wins)
{
	struct fx *f = fx_new();
	struct acd_queue_cfg *q = fx_queue(f, "q", "s", 2);
	unsigned int from;

	q->strategy = ACD_STRAT_RING_ALL;
	fx_agent(f, "a", "s", 2, NULL);
	fx_agent(f, "b", "s", 3, NULL);
	fx_agent(f, "c", "s", 1, NULL);	/* not eligible */
	fx_agent(f, "d", "s", 9, NULL);
	fx_start(f);
	fx_ready(f, 0, "a");
	fx_ready(f, 0, "b");
	fx_ready(f, 0, "c");
	fx_ready(f, 0, "d");
	from = f->nev;
	fx_arrive(f, 10, 1, "q", 0);
	ck_assert_uint_eq(fx_count(f, ACD_EV_OFFER, from), 3);
	ck_assert_uint_eq(fx_last(f, ACD_EV_OFFER, from)->d.offer.group, 3);
	ck_assert_int_eq(fx_state(f, "c"), ACD_AGENT_READY);
	from = f->nev;
	ck_assert_int_eq(acd_offer_answer(f->a, 20, 1, fx_ag(f, "b")), 0);
	ck_assert_uint_eq(fx_count(f, ACD_EV_OFFER_CANCEL, from), 2);
	ck_assert_int_eq(fx_state(f, "a"), ACD_AGENT_READY);
	ck_assert_int_eq(fx_state(f, "d"), ACD_AGENT_READY);
	ck_assert_int_eq(fx_state(f, "b"), ACD_AGENT_TALKING);
	fx_free(f);
}
END_TEST

static Suite *acd_route_suite(void)
{
	Suite *s = suite_create("acd_route");
	TCase *tc = tcase_create("route");

	tcase_add_test(tc, test_acd_skills_and_levels_honoured);
	tcase_add_test(tc, test_acd_escalation_relaxes_skills_after_wait);
	tcase_add_test(tc, test_acd_vip_caller_served_first);
	tcase_add_test(tc, test_acd_aging_prevents_starvation);
	tcase_add_test(tc, test_acd_agent_in_two_queues_gets_longest_waiting_call);
	tcase_add_test(tc, test_acd_skill_preference_counts_as_extra_wait);
	tcase_add_test(tc, test_acd_longest_idle_offers_agent_idle_longest);
	tcase_add_test(tc, test_acd_round_robin_continues_after_last_agent);
	tcase_add_test(tc, test_acd_fewest_calls_prefers_agent_with_fewer_answered);
	tcase_add_test(tc, test_acd_least_talk_time_prefers_agent_who_talked_least);
	tcase_add_test(tc, test_acd_linear_always_offers_first_member);
	tcase_add_test(tc, test_acd_random_is_uniform_and_replays_with_same_seed);
	tcase_add_test(tc, test_acd_ring_all_offers_every_ready_agent_first_answer_wins);
	suite_add_tcase(s, tc);
	return s;
}

TDMX_CHECK_MAIN(acd_route_suite)
