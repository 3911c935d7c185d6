// SPDX-License-Identifier: GPL-2.0-or-later
/* ACD engine agents: wrap-up, no-answer, not-ready, and inputs refused with nothing changed. */
#include "acd_fixture.h"
#include "unit.h"

/* one queue "q" (linear, ring timeout 10 s, wrap-up @wrap_ms), agents a and b */
static struct fx *two(uint32_t wrap_ms, uint32_t max_no_answer)
{
	struct fx *f = fx_new();
	struct acd_queue_cfg *q = fx_queue(f, "q", NULL, 0);

	q->strategy = ACD_STRAT_LINEAR;
	q->wrapup_ms = wrap_ms;
	q->max_no_answer = max_no_answer;
	fx_agent(f, "a", NULL);
	fx_agent(f, "b", NULL);
	fx_start(f);
	return f;
}

START_TEST(test_acd_wrapup_holds_agent_then_makes_it_ready)
{
	struct fx *f = two(10000, 0);
	const struct acd_event *ev;
	struct acd_agent_status st;

	fx_ready(f, 0, "a");
	fx_arrive(f, 100, 1, "q", 0);
	fx_handle(f, 200, 1, 0, 5000);		/* ends at 5200 */
	ck_assert_int_eq(fx_state(f, "a"), ACD_AGENT_WRAPUP);
	ev = fx_last(f, ACD_EV_AGENT_STATE, 0);
	ck_assert_uint_eq(ev->d.state.wrapup_ms, 10000);
	ck_assert_int_eq(acd_agent_status(f->a, 0, &st), 0);
	ck_assert_uint_eq(st.wrapup_until_ms, 15200);
	ck_assert_uint_eq(st.call, 1);
	fx_arrive(f, 6000, 2, "q", 0);
	ck_assert_uint_eq(fx_offered(f, 2), ACD_NONE);
	ck_assert_int_eq(acd_advance(f->a, 15199), 0);
	ck_assert_int_eq(fx_state(f, "a"), ACD_AGENT_WRAPUP);
	ck_assert_int_eq(acd_advance(f->a, 15200), 0);
	ck_assert_uint_eq(fx_offered(f, 2), 0);
	ck_assert_int_eq(fx_state(f, "a"), ACD_AGENT_RINGING);
	fx_free(f);
}
END_TEST

START_TEST(test_acd_wrapup_done_ends_wrapup_early)
{
	struct fx *f = two(60000, 0);

	fx_ready(f, 0, "a");
	fx_arrive(f, 0, 1, "q", 0);
	fx_handle(f, 0, 1, 0, 1000);
	ck_assert_int_eq(acd_agent_wrapup_done(f->a, 2000, 0), 0);
	ck_assert_int_eq(fx_state(f, "a"), ACD_AGENT_READY);
	ck_assert_uint_eq(acd_next_deadline(f->a), UINT64_MAX);
	fx_free(f);
}
END_TEST

START_TEST(test_acd_logout_in_wrapup_ends_it_and_counts_the_call_handled)
{
	struct fx *f = two(60000, 0);
	struct acd_figures fig;

	fx_ready(f, 0, "a");
	fx_arrive(f, 0, 1, "q", 0);
	fx_handle(f, 0, 1, 0, 1000);
	ck_assert_int_eq(acd_agent_logout(f->a, 3000, 0), 0);
	ck_assert_int_eq(fx_state(f, "a"), ACD_AGENT_LOGGED_OUT);
	ck_assert_uint_eq(acd_next_deadline(f->a), UINT64_MAX);	/* no wrap-up timer left */
	ck_assert_int_eq(acd_queue_stats(f->a, 0, 3000, ACD_WIN_15MIN, &fig), 0);
	ck_assert_uint_eq(fig.handled, 1);
	ck_assert_uint_eq(fig.aht_ms, 3000);
	fx_free(f);
}
END_TEST

START_TEST(test_acd_no_answer_skips_agent_for_that_call_only)
{
	struct fx *f = two(0, 0);
	const struct acd_event *ev;

	fx_ready(f, 0, "a");
	fx_ready(f, 0, "b");
	fx_arrive(f, 100, 1, "q", 0);
	ck_assert_uint_eq(fx_offered(f, 1), 0);
	ck_assert_int_eq(acd_advance(f->a, 10100), 0);	/* ring timeout */
	ev = fx_last(f, ACD_EV_OFFER_CANCEL, 0);
	ck_assert_ptr_nonnull(ev);
	ck_assert_int_eq(ev->d.cancel, ACD_CANCEL_TIMEOUT);
	ck_assert_uint_eq(fx_offered(f, 1), 1);		/* next agent */
	ck_assert_int_eq(fx_state(f, "a"), ACD_AGENT_READY);
	fx_arrive(f, 10200, 2, "q", 0);
	ck_assert_uint_eq(fx_offered(f, 2), 0);		/* a still gets other calls */
	fx_free(f);
}
END_TEST

START_TEST(test_acd_rejected_call_is_not_offered_again_to_same_agent)
{
	struct fx *f = two(0, 0);
	struct acd_call_status cs;

	fx_ready(f, 0, "a");
	ck_assert_int_eq(acd_agent_login(f->a, 0, 1, false), 0);	/* b: not ready yet */
	fx_arrive(f, 100, 1, "q", 0);
	ck_assert_int_eq(acd_offer_reject(f->a, 200, 1, 0, ACD_REJECT_DECLINED), 0);
	ck_assert_int_eq(fx_state(f, "a"), ACD_AGENT_READY);
	ck_assert_int_eq(acd_call_status(f->a, 1, &cs), 0);
	ck_assert(!cs.ringing);
	ck_assert_uint_eq(cs.position, 1);
	ck_assert_int_eq(acd_agent_ready(f->a, 300, 1), 0);
	ck_assert_uint_eq(fx_offered(f, 1), 1);
	/* b misses it too: everyone did, so a new round starts with a */
	ck_assert_int_eq(acd_offer_reject(f->a, 400, 1, 1, ACD_REJECT_NO_ANSWER), 0);
	ck_assert_uint_eq(fx_offered(f, 1), 0);
	fx_free(f);
}
END_TEST

START_TEST(test_acd_max_no_answer_makes_agent_not_ready)
{
	struct fx *f = two(0, 2);
	struct acd_agent_status st;

	fx_ready(f, 0, "a");
	ck_assert_int_eq(acd_agent_login(f->a, 0, 1, false), 0);
	fx_arrive(f, 100, 1, "q", 0);
	ck_assert_int_eq(acd_offer_reject(f->a, 200, 1, 0, ACD_REJECT_NO_ANSWER), 0);
	ck_assert_int_eq(fx_state(f, "a"), ACD_AGENT_READY);
	fx_arrive(f, 300, 2, "q", 0);
	ck_assert_uint_eq(fx_offered(f, 2), 0);
	ck_assert_int_eq(acd_advance(f->a, 10300), 0);	/* second miss: ring timeout */
	ck_assert_int_eq(acd_agent_status(f->a, 0, &st), 0);
	ck_assert_int_eq(st.state, ACD_AGENT_NOT_READY);
	ck_assert_uint_eq(st.reason, ACD_REASON_NO_ANSWER);
	ck_assert_uint_eq(st.missed, 2);
	fx_free(f);
}
END_TEST

START_TEST(test_acd_answer_resets_consecutive_misses)
{
	struct fx *f = two(0, 2);
	struct acd_agent_status st;

	fx_ready(f, 0, "a");
	ck_assert_int_eq(acd_agent_login(f->a, 0, 1, false), 0);
	fx_arrive(f, 100, 1, "q", 0);
	ck_assert_int_eq(acd_offer_reject(f->a, 200, 1, 0, ACD_REJECT_DECLINED), 0);
	fx_arrive(f, 300, 2, "q", 0);
	fx_handle(f, 400, 2, 0, 100);
	ck_assert_int_eq(acd_agent_status(f->a, 0, &st), 0);
	ck_assert_uint_eq(st.missed, 0);
	ck_assert_int_eq(st.state, ACD_AGENT_READY);
	fx_free(f);
}
END_TEST

START_TEST(test_acd_not_ready_while_talking_applies_after_wrapup)
{
	struct fx *f = two(5000, 0);
	struct acd_agent_status st;

	fx_ready(f, 0, "a");
	fx_arrive(f, 0, 1, "q", 0);
	ck_assert_int_eq(acd_offer_answer(f->a, 10, 1, 0), 0);
	ck_assert_int_eq(acd_agent_not_ready(f->a, 20, 0, 7), 0);
	ck_assert_int_eq(acd_agent_status(f->a, 0, &st), 0);
	ck_assert_int_eq(st.state, ACD_AGENT_TALKING);
	ck_assert(st.not_ready_pending);
	ck_assert_int_eq(acd_call_end(f->a, 1000, 1), 0);
	ck_assert_int_eq(acd_advance(f->a, 6000), 0);
	ck_assert_int_eq(acd_agent_status(f->a, 0, &st), 0);
	ck_assert_int_eq(st.state, ACD_AGENT_NOT_READY);
	ck_assert_uint_eq(st.reason, 7);
	fx_free(f);
}
END_TEST

START_TEST(test_acd_logout_while_ringing_returns_call_to_queue)
{
	struct fx *f = two(0, 0);
	struct acd_call_status cs;
	struct acd_queue_status qs;

	fx_ready(f, 0, "a");
	fx_arrive(f, 100, 1, "q", 0);
	ck_assert_int_eq(acd_agent_logout(f->a, 200, 0), 0);
	ck_assert_int_eq(fx_last(f, ACD_EV_OFFER_CANCEL, 0)->d.cancel, ACD_CANCEL_AGENT);
	ck_assert_int_eq(acd_call_status(f->a, 1, &cs), 0);
	ck_assert_uint_eq(cs.position, 1);
	ck_assert_int_eq(acd_queue_status(f->a, 0, 200, &qs), 0);
	ck_assert_uint_eq(qs.waiting, 1);
	ck_assert_uint_eq(qs.ringing, 0);
	ck_assert_uint_eq(qs.agents[ACD_AGENT_LOGGED_OUT], 2);
	fx_free(f);
}
END_TEST

START_TEST(test_acd_abandon_while_ringing_frees_agent)
{
	struct fx *f = two(0, 0);
	struct acd_call_status cs;

	fx_ready(f, 0, "a");
	fx_arrive(f, 100, 1, "q", 0);
	fx_arrive(f, 100, 2, "q", 0);
	ck_assert_int_eq(acd_call_abandon(f->a, 300, 1), 0);
	ck_assert_int_eq(acd_call_status(f->a, 1, &cs), -ENOENT);
	ck_assert_uint_eq(fx_offered(f, 2), 0);	/* freed and given the next call */
	fx_free(f);
}
END_TEST

static struct fx *g_reenter;
static int g_reenter_ret;

static void reenter_sink(void *arg, const struct acd_event *ev)
{
	(void)arg;
	(void)ev;
	g_reenter_ret = acd_agent_ready(g_reenter->a, ev->time_ms, 1);
}

/* every refused input leaves the log and the state exactly as they were */
START_TEST(test_acd_bad_inputs_rejected_with_nothing_changed)
{
	struct fx *f = two(5000, 0);
	unsigned int nev;
	char *before, *after, longtext[257];

	fx_ready(f, 0, "a");
	fx_arrive(f, 100, 1, "q", 0);
	ck_assert_int_eq(acd_offer_answer(f->a, 200, 1, 0), 0);
	fx_arrive(f, 300, 2, "q", 0);
	nev = f->nev;
	before = fx_snapshot(f->a, 400);
	ck_assert_int_eq(acd_agent_login(f->a, 400, 9, true), -ENOENT);
	ck_assert_int_eq(acd_agent_login(f->a, 400, 0, true), -EBUSY);
	ck_assert_int_eq(acd_agent_ready(f->a, 400, 1), -EBUSY);	/* logged out */
	ck_assert_int_eq(acd_agent_ready(f->a, 400, 0), -EBUSY);	/* talking */
	ck_assert_int_eq(acd_agent_logout(f->a, 400, 0), -EBUSY);
	ck_assert_int_eq(acd_agent_wrapup_done(f->a, 400, 0), -EBUSY);
	ck_assert_int_eq(acd_agent_not_ready(f->a, 400, 0, ACD_REASON_NO_ANSWER), -EINVAL);
	ck_assert_int_eq(acd_call_arrive(f->a, 400, 2, 0, 0, NULL, NULL, NULL), -EEXIST);
	ck_assert_int_eq(acd_call_arrive(f->a, 400, 0, 0, 0, NULL, NULL, NULL), -EINVAL);
	ck_assert_int_eq(acd_call_arrive(f->a, 400, 3, 5, 0, NULL, NULL, NULL), -ENOENT);
	ck_assert_int_eq(acd_call_arrive(f->a, 400, UINT64_MAX, 0, 0, NULL, NULL, NULL), -EINVAL);
	ck_assert_int_eq(acd_call_arrive(f->a, 50, 3, 0, 0, NULL, NULL, NULL), -EINVAL);
	ck_assert_int_eq(acd_advance(f->a, ACD_TIME_MAX + 1), -EINVAL);
	ck_assert_int_eq(acd_call_arrive(f->a, 400, 3, 0, 0, "\xff\xfe", NULL, NULL), -EINVAL);
	memset(longtext, 'x', sizeof(longtext) - 1);
	longtext[sizeof(longtext) - 1] = 0;
	ck_assert_int_eq(acd_call_arrive(f->a, 400, 3, 0, 0, NULL, NULL, longtext), -EINVAL);
	ck_assert_int_eq(acd_call_abandon(f->a, 400, 99), -ENOENT);
	ck_assert_int_eq(acd_call_abandon(f->a, 400, 1), -EBUSY);	/* connected */
	ck_assert_int_eq(acd_call_end(f->a, 400, 2), -EBUSY);		/* waiting */
	ck_assert_int_eq(acd_offer_answer(f->a, 400, 2, 1), -EBUSY);
	ck_assert_int_eq(acd_offer_answer(f->a, 400, 2, 7), -ENOENT);
	ck_assert_int_eq(acd_offer_reject(f->a, 400, 2, 0, (enum acd_reject)9), -EINVAL);
	ck_assert_uint_eq(f->nev, nev);
	after = fx_snapshot(f->a, 400);
	ck_assert_str_eq(before, after);
	free(after);
	/* an input from inside the sink is refused */
	g_reenter = f;
	acd_set_sink(f->a, reenter_sink, f);
	ck_assert_int_eq(acd_agent_login(f->a, 500, 1, false), 0);
	ck_assert_int_eq(g_reenter_ret, -EDEADLK);
	free(before);
	fx_free(f);
}
END_TEST

static Suite *acd_agent_suite(void)
{
	Suite *s = suite_create("acd_agent");
	TCase *tc = tcase_create("agent");

	tcase_add_test(tc, test_acd_wrapup_holds_agent_then_makes_it_ready);
	tcase_add_test(tc, test_acd_wrapup_done_ends_wrapup_early);
	tcase_add_test(tc, test_acd_logout_in_wrapup_ends_it_and_counts_the_call_handled);
	tcase_add_test(tc, test_acd_no_answer_skips_agent_for_that_call_only);
	tcase_add_test(tc, test_acd_rejected_call_is_not_offered_again_to_same_agent);
	tcase_add_test(tc, test_acd_max_no_answer_makes_agent_not_ready);
	tcase_add_test(tc, test_acd_answer_resets_consecutive_misses);
	tcase_add_test(tc, test_acd_not_ready_while_talking_applies_after_wrapup);
	tcase_add_test(tc, test_acd_logout_while_ringing_returns_call_to_queue);
	tcase_add_test(tc, test_acd_abandon_while_ringing_frees_agent);
	tcase_add_test(tc, test_acd_bad_inputs_rejected_with_nothing_changed);
	suite_add_tcase(s, tc);
	return s;
}

TDMX_CHECK_MAIN(acd_agent_suite)
