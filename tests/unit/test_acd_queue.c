// SPDX-License-Identifier: GPL-2.0-or-later
/* ACD engine queues: overflow, limits, join/leave rules, positions, EWT, statistics. */
#include "acd_fixture.h"
#include "unit.h"

START_TEST(test_acd_overflow_to_queue_on_max_wait)
{
	struct fx *f = fx_new();
	struct acd_queue_cfg *q = fx_queue(f, "first", "a", 1);
	const struct acd_event *ev;
	struct acd_figures fig;
	struct acd_call_status cs;

	q->max_wait_ms = 60000;
	q->overflow.kind = ACD_TARGET_QUEUE;
	q->overflow.queue = 1;
	fx_queue(f, "backup", "b", 1);
	fx_agent(f, "x", "a", 5, NULL);
	fx_agent(f, "y", "b", 5, NULL);
	fx_start(f);
	ck_assert_int_eq(acd_agent_login(f->a, 0, 0, false), 0);
	fx_ready(f, 0, "y");
	fx_arrive(f, 1000, 1, "first", 3);
	ck_assert_uint_eq(fx_offered(f, 1), ACD_NONE);
	ck_assert_int_eq(acd_advance(f->a, 61000), 0);
	ev = fx_last(f, ACD_EV_OVERFLOW, 0);
	ck_assert_ptr_nonnull(ev);
	ck_assert_int_eq(ev->d.leave.why, ACD_LEAVE_MAX_WAIT);
	ck_assert_int_eq(ev->d.leave.target.kind, ACD_TARGET_QUEUE);
	ck_assert_uint_eq(ev->d.leave.wait_ms, 60000);
	ck_assert_uint_eq(fx_offered(f, 1), fx_ag(f, "y"));
	ck_assert_int_eq(acd_call_status(f->a, 1, &cs), 0);
	ck_assert_uint_eq(cs.queue, 1);
	ck_assert_uint_eq(cs.arrival_ms, 1000);
	ck_assert_uint_eq(cs.queued_ms, 61000);
	ck_assert_int_eq(acd_queue_stats(f->a, 0, 61000, ACD_WIN_1H, &fig), 0);
	ck_assert_uint_eq(fig.offered, 1);
	ck_assert_uint_eq(fig.overflowed, 1);
	ck_assert_int_eq(acd_queue_stats(f->a, 1, 61000, ACD_WIN_1H, &fig), 0);
	ck_assert_uint_eq(fig.offered, 1);
	fx_free(f);
}
END_TEST

START_TEST(test_acd_overflow_to_voicemail_leaves_engine)
{
	struct fx *f = fx_new();
	struct acd_queue_cfg *q = fx_queue(f, "q", NULL, 0);
	struct acd_call_status cs;
	const struct acd_event *ev;

	q->max_wait_ms = 30000;
	q->overflow.kind = ACD_TARGET_VOICEMAIL;
	strcpy(q->overflow.dest, "box-7");
	fx_agent(f, "x", NULL);
	fx_start(f);
	fx_arrive(f, 0, 1, "q", 0);
	ck_assert_int_eq(acd_advance(f->a, 30000), 0);
	ev = fx_last(f, ACD_EV_OVERFLOW, 0);
	ck_assert_ptr_nonnull(ev);
	ck_assert_int_eq(ev->d.leave.target.kind, ACD_TARGET_VOICEMAIL);
	ck_assert_str_eq(ev->d.leave.target.dest, "box-7");
	ck_assert_int_eq(acd_call_status(f->a, 1, &cs), -ENOENT);
	fx_free(f);
}
END_TEST

START_TEST(test_acd_max_queue_length_refuses_extra_calls)
{
	struct fx *f = fx_new();
	struct acd_queue_cfg *q = fx_queue(f, "q", NULL, 0);
	const struct acd_event *ev;
	struct acd_call_status cs;

	q->max_len = 2;
	fx_agent(f, "x", NULL);
	fx_start(f);
	fx_arrive(f, 0, 1, "q", 0);
	fx_arrive(f, 0, 2, "q", 0);
	fx_arrive(f, 0, 3, "q", 0);
	ev = fx_last(f, ACD_EV_CALL_REFUSED, 0);
	ck_assert_ptr_nonnull(ev);
	ck_assert_uint_eq(ev->call, 3);
	ck_assert_int_eq(ev->d.leave.why, ACD_LEAVE_FULL);
	ck_assert_int_eq(acd_call_status(f->a, 3, &cs), -ENOENT);
	ck_assert_int_eq(acd_call_status(f->a, 2, &cs), 0);
	/* the id is free again once refused */
	ck_assert_int_eq(acd_call_abandon(f->a, 10, 1), 0);
	fx_arrive(f, 20, 3, "q", 0);
	ck_assert_int_eq(acd_call_status(f->a, 3, &cs), 0);
	ck_assert_uint_eq(cs.position, 2);
	fx_free(f);
}
END_TEST

START_TEST(test_acd_join_rule_refuses_when_no_agent_logged_in)
{
	struct fx *f = fx_new();
	struct acd_queue_cfg *q = fx_queue(f, "in", NULL, 0);
	unsigned int from;

	q->join_rule = ACD_EMPTY_LOGGED_IN;
	q = fx_queue(f, "av", NULL, 0);
	q->join_rule = ACD_EMPTY_AVAILABLE;
	fx_agent(f, "x", NULL);
	fx_start(f);
	fx_arrive(f, 0, 1, "in", 0);
	ck_assert_int_eq(fx_last(f, ACD_EV_CALL_REFUSED, 0)->d.leave.why, ACD_LEAVE_EMPTY);
	ck_assert_int_eq(acd_agent_login(f->a, 10, 0, false), 0);	/* logged in, not ready */
	from = f->nev;
	fx_arrive(f, 20, 2, "in", 0);
	ck_assert_uint_eq(fx_count(f, ACD_EV_CALL_REFUSED, from), 0);
	ck_assert_uint_eq(fx_count(f, ACD_EV_CALL_QUEUED, from), 1);
	from = f->nev;
	fx_arrive(f, 30, 3, "av", 0);
	ck_assert_uint_eq(fx_count(f, ACD_EV_CALL_REFUSED, from), 1);
	fx_free(f);
}
END_TEST

START_TEST(test_acd_leave_rule_empties_queue_when_last_agent_logs_out)
{
	struct fx *f = fx_new();
	struct acd_queue_cfg *q = fx_queue(f, "q", NULL, 0);
	struct acd_queue_status qs;
	unsigned int from;

	q->leave_rule = ACD_EMPTY_LOGGED_IN;
	fx_agent(f, "x", NULL);
	fx_agent(f, "y", NULL);
	fx_start(f);
	ck_assert_int_eq(acd_agent_login(f->a, 0, 0, false), 0);
	ck_assert_int_eq(acd_agent_login(f->a, 0, 1, false), 0);
	fx_arrive(f, 10, 1, "q", 0);
	fx_arrive(f, 10, 2, "q", 0);
	from = f->nev;
	ck_assert_int_eq(acd_agent_logout(f->a, 20, 0), 0);
	ck_assert_uint_eq(fx_count(f, ACD_EV_CALL_REFUSED, from), 0);	/* y still there */
	ck_assert_int_eq(acd_agent_logout(f->a, 30, 1), 0);
	ck_assert_uint_eq(fx_count(f, ACD_EV_CALL_REFUSED, from), 2);
	ck_assert_int_eq(acd_queue_status(f->a, 0, 30, &qs), 0);
	ck_assert_uint_eq(qs.waiting, 0);
	fx_free(f);
}
END_TEST

START_TEST(test_acd_position_counts_waiting_calls_ahead)
{
	struct fx *f = fx_new();
	struct acd_queue_cfg *q = fx_queue(f, "q", NULL, 0);
	struct acd_call_status cs;
	struct acd_queue_status qs;
	unsigned int from;

	q->announce_ms = 30000;
	fx_agent(f, "x", NULL);
	fx_start(f);
	fx_arrive(f, 0, 1, "q", 0);
	fx_arrive(f, 1000, 2, "q", 0);
	fx_arrive(f, 2000, 3, "q", 9);
	ck_assert_int_eq(acd_call_status(f->a, 3, &cs), 0);
	ck_assert_uint_eq(cs.position, 1);
	ck_assert_int_eq(acd_call_status(f->a, 2, &cs), 0);
	ck_assert_uint_eq(cs.position, 3);
	ck_assert_int_eq(acd_call_abandon(f->a, 3000, 1), 0);
	ck_assert_int_eq(acd_call_status(f->a, 2, &cs), 0);
	ck_assert_uint_eq(cs.position, 2);
	ck_assert_int_eq(acd_queue_status(f->a, 0, 5000, &qs), 0);
	ck_assert_uint_eq(qs.waiting, 2);
	ck_assert_uint_eq(qs.longest_wait_ms, 4000);
	from = f->nev;
	ck_assert_int_eq(acd_advance(f->a, 31000), 0);
	ck_assert_uint_eq(fx_count(f, ACD_EV_ANNOUNCE, from), 1);	/* call 2 at 31 s */
	ck_assert_uint_eq(fx_last(f, ACD_EV_ANNOUNCE, from)->d.pos.position, 2);
	ck_assert_uint_eq(fx_last(f, ACD_EV_ANNOUNCE, from)->d.pos.ewt_ms, ACD_EWT_UNKNOWN);
	fx_free(f);
}
END_TEST

/*
 * One agent, calls that arrive just as the agent answers the previous one
 * and wait exactly one handle time: the estimate (position 1, nobody free:
 * one AHT) is right, so after enough outcomes the EWT is announced. With
 * handle times swinging between 10 s and 110 s it stays unannounced.
 */
static uint32_t ewt_after(uint64_t talk_a, uint64_t talk_b, unsigned int calls)
{
	struct fx *f = fx_new();
	struct acd_queue_cfg *q = fx_queue(f, "q", NULL, 0);
	const struct acd_event *ev;
	uint64_t t = 0, talk;
	uint32_t ewt;
	unsigned int i;

	q->ewt_default_aht_ms = 60000;
	q->ewt_max_error_permille = 200;
	fx_agent(f, "x", NULL);
	fx_start(f);
	fx_ready(f, 0, "x");
	fx_arrive(f, 0, 1, "q", 0);
	ck_assert_int_eq(acd_offer_answer(f->a, 0, 1, 0), 0);
	for (i = 1; i <= calls; i++) {
		fx_arrive(f, t, 1 + i, "q", 0);
		talk = i % 2 ? talk_a : talk_b;
		ck_assert_int_eq(acd_call_end(f->a, t + talk, i), 0);	/* offers call i + 1 */
		t += talk;
		ck_assert_uint_eq(fx_offered(f, 1 + i), 0);
		ck_assert_int_eq(acd_offer_answer(f->a, t, 1 + i, 0), 0);
	}
	fx_arrive(f, t, 100, "q", 0);
	ev = fx_last(f, ACD_EV_CALL_QUEUED, 0);
	ck_assert_uint_eq(ev->call, 100);
	ewt = ev->d.pos.ewt_ms;
	fx_free(f);
	return ewt;
}

/*
 * One agent serves queues a and b. Four callers of b wait (the agent is
 * talking) when a caller of a arrives: the agent takes b's four first
 * (smaller keys), so the a caller waits five handle times, not one. The
 * estimate from a's queue alone (position 1, one serving agent) said one.
 */
START_TEST(test_acd_ewt_counts_shared_agents_callers_ahead)
{
	struct fx *f = fx_new();
	const struct acd_event *ev = NULL;
	struct acd_queue_cfg *q;
	uint64_t t = 0, call;
	unsigned int i;

	q = fx_queue(f, "a", "x", 1);
	q->ewt_default_aht_ms = 60000;
	q = fx_queue(f, "b", "y", 1);
	q->ewt_default_aht_ms = 60000;
	fx_agent(f, "s", "x", 1, "y", 1, NULL);
	fx_start(f);
	fx_ready(f, 0, "s");
	fx_arrive(f, 0, 1, "b", 0);
	ck_assert_int_eq(acd_offer_answer(f->a, 0, 1, 0), 0);
	for (call = 2; call <= 5; call++)
		fx_arrive(f, call * 1000, call, "b", 0);
	fx_arrive(f, 6000, 10, "a", 0);
	/* the agent serves 2, 3, 4, 5, then 10, a minute each */
	for (i = 1, call = 1; call != 10; i++) {
		uint64_t next = call == 5 ? 10 : call + 1;

		t = i * 60000;
		ck_assert_int_eq(acd_call_end(f->a, t, call), 0);
		ck_assert_uint_eq(fx_offered(f, next), 0);
		ck_assert_int_eq(acd_offer_answer(f->a, t, next, 0), 0);
		call = next;
	}
	for (i = f->nev; i-- > 0 && !ev;)
		if (f->ev[i].type == ACD_EV_CONNECT && f->ev[i].call == 10)
			ev = &f->ev[i];
	ck_assert_ptr_nonnull(ev);
	ck_assert_uint_eq(ev->d.connect.wait_ms, 300000 - 6000);
	/* 1 own + 4 of b (b has only this agent: all of b's callers are its) */
	ck_assert_uint_eq(ev->d.connect.predicted_ms, 300000);
	fx_free(f);
}
END_TEST

START_TEST(test_acd_ewt_announced_only_when_reliable)
{
	ck_assert_uint_eq(ewt_after(60000, 60000, 3), ACD_EWT_UNKNOWN);	/* too few outcomes */
	ck_assert_uint_eq(ewt_after(60000, 60000, 15), 60000);
	ck_assert_uint_eq(ewt_after(10000, 110000, 15), ACD_EWT_UNKNOWN);	/* too wrong */
}
END_TEST

START_TEST(test_acd_statistics_windows_through_engine)
{
	struct fx *f = fx_new();
	struct acd_queue_cfg *q = fx_queue(f, "q", NULL, 0);
	struct acd_figures fig;

	q->sl_threshold_ms = 20000;
	q->short_abandon_ms = 5000;
	q->wrapup_ms = 10000;
	fx_agent(f, "x", NULL);
	fx_start(f);
	fx_ready(f, 0, "x");
	fx_arrive(f, 0, 1, "q", 0);			/* answered at once */
	ck_assert_int_eq(acd_offer_answer(f->a, 0, 1, 0), 0);
	fx_arrive(f, 30000, 2, "q", 0);			/* answered after 30 s */
	fx_arrive(f, 31000, 3, "q", 0);
	fx_arrive(f, 32000, 4, "q", 0);
	ck_assert_int_eq(acd_call_abandon(f->a, 34000, 4), 0);	/* short abandon */
	ck_assert_int_eq(acd_call_end(f->a, 50000, 1), 0);	/* talk 50 s, wrap-up to 60 s */
	ck_assert_int_eq(acd_advance(f->a, 60000), 0);
	ck_assert_int_eq(acd_offer_answer(f->a, 60000, 2, 0), 0);
	ck_assert_int_eq(acd_call_abandon(f->a, 61000, 3), 0);	/* waited 30 s */
	ck_assert_int_eq(acd_call_end(f->a, 90000, 2), 0);
	ck_assert_int_eq(acd_advance(f->a, 120000), 0);		/* wrap-up over at 100 s */
	ck_assert_int_eq(acd_queue_stats(f->a, 0, 120000, ACD_WIN_15MIN, &fig), 0);
	ck_assert_uint_eq(fig.offered, 4);
	ck_assert_uint_eq(fig.answered, 2);
	ck_assert_uint_eq(fig.abandoned, 2);
	ck_assert_uint_eq(fig.short_abandoned, 1);
	ck_assert_uint_eq(fig.answered_in_sl, 1);
	ck_assert_uint_eq(fig.asa_ms, 15000);
	ck_assert_uint_eq(fig.handled, 2);
	ck_assert_uint_eq(fig.aht_ms, 50000);			/* (50+10) and (30+10) s */
	ck_assert_uint_eq(fig.longest_wait_ms, 30000);
	ck_assert_uint_eq(fig.occupancy_permille, 1000);	/* never idle until 100 s */
	ck_assert_int_eq(acd_agent_stats(f->a, 0, 120000, ACD_WIN_15MIN, &fig), 0);
	ck_assert_uint_eq(fig.answered, 2);
	ck_assert_uint_eq(fig.handled, 2);
	ck_assert_uint_gt(fig.occupancy_permille, 500);
	/* 20 minutes later the 15 min window is empty, the hour still has it all */
	ck_assert_int_eq(acd_queue_stats(f->a, 0, 20 * 60000 + 120000, ACD_WIN_15MIN, &fig), 0);
	ck_assert_uint_eq(fig.offered, 0);
	ck_assert_int_eq(acd_queue_stats(f->a, 0, 20 * 60000 + 120000, ACD_WIN_1H, &fig), 0);
	ck_assert_uint_eq(fig.offered, 4);
	ck_assert_int_eq(acd_queue_stats(f->a, 0, 0, ACD_WIN__N, &fig), -EINVAL);
	fx_free(f);
}
END_TEST

START_TEST(test_acd_live_figures_count_agents_by_state)
{
	struct fx *f = fx_new();
	struct acd_queue_status qs;

	fx_queue(f, "q", NULL, 0);
	fx_agent(f, "a", NULL);
	fx_agent(f, "b", NULL);
	fx_agent(f, "c", NULL);
	fx_start(f);
	fx_ready(f, 0, "a");
	fx_ready(f, 0, "b");
	fx_arrive(f, 10, 1, "q", 0);
	fx_arrive(f, 10, 2, "q", 0);
	fx_arrive(f, 10, 3, "q", 0);
	ck_assert_int_eq(acd_offer_answer(f->a, 20, 1, 0), 0);
	ck_assert_int_eq(acd_queue_status(f->a, 0, 30, &qs), 0);
	ck_assert_uint_eq(qs.waiting, 1);
	ck_assert_uint_eq(qs.ringing, 1);
	ck_assert_uint_eq(qs.talking, 1);
	ck_assert_uint_eq(qs.agents[ACD_AGENT_TALKING], 1);
	ck_assert_uint_eq(qs.agents[ACD_AGENT_RINGING], 1);
	ck_assert_uint_eq(qs.agents[ACD_AGENT_LOGGED_OUT], 1);
	ck_assert_uint_eq(qs.longest_wait_ms, 20);
	fx_free(f);
}
END_TEST

START_TEST(test_acd_overflow_loop_between_full_queues_ends_refused)
{
	struct fx *f = fx_new();
	struct acd_queue_cfg *q = fx_queue(f, "a", NULL, 0);
	unsigned int from;

	q->max_len = 1;
	q->overflow.kind = ACD_TARGET_QUEUE;
	q->overflow.queue = 1;
	q = fx_queue(f, "b", NULL, 0);
	q->max_len = 1;
	q->overflow.kind = ACD_TARGET_QUEUE;
	q->overflow.queue = 0;
	fx_agent(f, "x", NULL);
	fx_start(f);
	fx_arrive(f, 0, 1, "a", 0);
	fx_arrive(f, 0, 2, "b", 0);
	from = f->nev;
	fx_arrive(f, 0, 3, "a", 0);	/* a full -> b full -> a full ... */
	ck_assert_uint_eq(fx_count(f, ACD_EV_OVERFLOW, from), 8);
	ck_assert_uint_eq(fx_count(f, ACD_EV_CALL_REFUSED, from), 1);
	fx_free(f);
}
END_TEST

static Suite *acd_queue_suite(void)
{
	Suite *s = suite_create("acd_queue");
	TCase *tc = tcase_create("queue");

	tcase_add_test(tc, test_acd_overflow_to_queue_on_max_wait);
	tcase_add_test(tc, test_acd_overflow_to_voicemail_leaves_engine);
	tcase_add_test(tc, test_acd_overflow_loop_between_full_queues_ends_refused);
	tcase_add_test(tc, test_acd_max_queue_length_refuses_extra_calls);
	tcase_add_test(tc, test_acd_join_rule_refuses_when_no_agent_logged_in);
	tcase_add_test(tc, test_acd_leave_rule_empties_queue_when_last_agent_logs_out);
	tcase_add_test(tc, test_acd_position_counts_waiting_calls_ahead);
	tcase_add_test(tc, test_acd_ewt_announced_only_when_reliable);
	tcase_add_test(tc, test_acd_ewt_counts_shared_agents_callers_ahead);
	tcase_add_test(tc, test_acd_statistics_windows_through_engine);
	tcase_add_test(tc, test_acd_live_figures_count_agents_by_state);
	suite_add_tcase(s, tc);
	return s;
}

TDMX_CHECK_MAIN(acd_queue_suite)
