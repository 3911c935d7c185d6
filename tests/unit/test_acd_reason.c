// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Named not-ready reasons in the ACD engine: the YAML list and its
 * errors, codes by name, unknown codes refused only when a list is
 * configured, the overrun event (once, at since + max, the agent staying
 * not-ready), and the not-ready time per reason on the rolling windows,
 * with the memory it takes.
 */
#include "acd_fixture.h"
#include "unit.h"

static const char site[] =
	"skills: [sales]\n"
	"queues:\n"
	"  - {name: sales, require: {sales: 1}}\n"
	"agents:\n"
	"  - {id: ann, skills: {sales: 5}}\n"
	"reasons:\n"
	"  - {code: 12, name: lunch, max: 45min}\n"
	"  - {code: 30, name: training, paid: true}\n"
	"  - code: 7\n"
	"    name: break_short\n"
	"    max: 10min\n";

static struct fx *yaml_fx(const char *text)
{
	struct fx *f = fx_new();
	char err[256] = "";

	acd_config_free(f->c);
	f->c = NULL;
	ck_assert_msg(!acd_config_parse("r.yaml", text, strlen(text), &f->c, err, sizeof(err)),
		      "%s", err);
	fx_start(f);
	return f;
}

START_TEST(test_acd_reason_named_reason_accepted)
{
	struct fx *f = yaml_fx(site);
	const struct acd_reason_cfg *r;
	struct acd_agent_status st;
	uint32_t ann = fx_ag(f, "ann");

	ck_assert_uint_eq(f->c->nreasons, 3);
	r = acd_reason_get(f->c, 12);
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r->name, "lunch");
	ck_assert_uint_eq(r->max_ms, 45 * 60000);
	ck_assert(!r->paid);
	ck_assert(acd_reason_get(f->c, 30)->paid);
	ck_assert_int_eq(acd_reason_find(f->c, "break_short"), 7);
	/* built-in names are always there */
	ck_assert_int_eq(acd_reason_find(f->c, "no-answer"), ACD_REASON_NO_ANSWER);
	ck_assert_str_eq(acd_reason_name(f->c, ACD_REASON_LOGIN), "login");
	ck_assert_str_eq(acd_reason_name(f->c, 0), "unspecified");
	ck_assert_ptr_null(acd_reason_name(f->c, 13));
	ck_assert_int_eq(acd_agent_login(f->a, 1000, ann, false), 0);
	ck_assert_int_eq(acd_agent_not_ready(f->a, 2000, ann, 12), 0);
	ck_assert_int_eq(acd_agent_status(f->a, ann, &st), 0);
	ck_assert_int_eq(st.state, ACD_AGENT_NOT_READY);
	ck_assert_uint_eq(st.reason, 12);
	/* the log keeps the code, not the name */
	fflush(f->logf);
	ck_assert_msg(strstr(f->log, "\"ev\":\"agent-not-ready\",\"agent\":\"ann\",\"reason\":12}"),
		      "%s", f->log);
	fx_free(f);
}
END_TEST

START_TEST(test_acd_reason_unknown_code_refused_only_with_a_list)
{
	struct fx *f = yaml_fx(site);
	uint32_t ann = fx_ag(f, "ann");
	unsigned int n;

	ck_assert_int_eq(acd_agent_login(f->a, 1000, ann, true), 0);
	n = f->nev;
	ck_assert_int_eq(acd_agent_not_ready(f->a, 2000, ann, 13), -ENOENT);
	ck_assert_uint_eq(f->nev, n);			/* nothing emitted */
	ck_assert_int_eq(fx_state(f, "ann"), ACD_AGENT_READY);	/* nothing changed */
	ck_assert_int_eq(acd_agent_not_ready(f->a, 2000, ann, ACD_REASON_NO_ANSWER), -EINVAL);
	ck_assert_int_eq(acd_agent_not_ready(f->a, 2000, ann, 0), 0);	/* "unspecified" */
	fx_free(f);

	/* no list: any code in range, as before */
	f = fx_new();
	fx_queue(f, "sales", "sales", 1);
	fx_agent(f, "ann", "sales", 5, NULL);
	fx_start(f);
	ann = fx_ag(f, "ann");
	ck_assert_int_eq(acd_agent_login(f->a, 1000, ann, true), 0);
	ck_assert_int_eq(acd_agent_not_ready(f->a, 2000, ann, 13), 0);
	ck_assert_int_eq(acd_agent_not_ready(f->a, 3000, ann, ACD_REASON_SITE_MAX), 0);
	ck_assert_int_eq(acd_agent_not_ready(f->a, 3000, ann, ACD_REASON_SITE_MAX + 1), -EINVAL);
	fx_free(f);
}
END_TEST

static void refused(const char *text, const char *want)
{
	struct acd_config *c = NULL;
	char err[256] = "";

	ck_assert_int_eq(acd_config_parse("r.yaml", text, strlen(text), &c, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_null(c);
	ck_assert_msg(strstr(err, want) != NULL, "'%s' lacks '%s'", err, want);
}

START_TEST(test_acd_reason_list_errors_name_file_line_col)
{
	static const char head[] = "skills: [s]\nqueues: []\nagents: []\nreasons:\n";
	char buf[512];

	snprintf(buf, sizeof(buf), "%s  - {code: 0, name: lunch}\n", head);
	refused(buf, "r.yaml:5:12: code: expected a number from 1 to 65520");
	snprintf(buf, sizeof(buf), "%s  - {code: 1, name: Lunch}\n", head);
	refused(buf, "r.yaml:5:21: name: 'Lunch': use a-z, 0-9, - and _ only");
	snprintf(buf, sizeof(buf), "%s  - {code: 1, name: a}\n  - {code: 1, name: b}\n", head);
	refused(buf, "r.yaml:6:12: code: 1 is given twice");
	snprintf(buf, sizeof(buf), "%s  - {code: 1, name: a}\n  - {code: 2, name: a}\n", head);
	refused(buf, "r.yaml:6:21: name: 'a' is given twice");
	snprintf(buf, sizeof(buf), "%s  - {code: 2, name: login}\n", head);
	refused(buf, "r.yaml:5:21: name: 'login' is built in");
	snprintf(buf, sizeof(buf), "%s  - {code: 2, name: x, max: soon}\n", head);
	refused(buf, "r.yaml:5:29: max: expected a duration");
	snprintf(buf, sizeof(buf), "%s  - {code: 2, name: x, paid: yes}\n", head);
	refused(buf, "r.yaml:5:30: paid: expected true or false, found 'yes'");
	snprintf(buf, sizeof(buf), "%s  - {code: 2}\n", head);
	refused(buf, "r.yaml:5:5: reasons: name: missing");
	snprintf(buf, sizeof(buf), "%s  - {code: 2, name: x, colour: red}\n", head);
	refused(buf, "r.yaml:5:24: reasons: unknown key 'colour'");
	snprintf(buf, sizeof(buf), "%s  lunch: 12\n", head);
	refused(buf, "r.yaml:5:3: reasons: expected a list");
}
END_TEST

START_TEST(test_acd_reason_overrun_event_once_at_the_right_time)
{
	struct fx *f = yaml_fx(site);
	uint32_t ann = fx_ag(f, "ann");
	const struct acd_event *ev;
	unsigned int n;

	ck_assert_int_eq(acd_agent_login(f->a, 1000, ann, true), 0);
	ck_assert_int_eq(acd_agent_not_ready(f->a, 60000, ann, 7), 0);	/* max 10 min */
	ck_assert_uint_eq(acd_next_deadline(f->a), 60000 + 600000);
	n = f->nev;
	ck_assert_int_eq(acd_advance(f->a, 660000 - 1), 0);
	ck_assert_uint_eq(fx_count(f, ACD_EV_REASON_OVERRUN, n), 0);
	ck_assert_int_eq(acd_advance(f->a, 900000), 0);
	ck_assert_uint_eq(fx_count(f, ACD_EV_REASON_OVERRUN, n), 1);
	ev = fx_last(f, ACD_EV_REASON_OVERRUN, n);
	ck_assert_uint_eq(ev->time_ms, 660000);
	ck_assert_uint_eq(ev->agent, ann);
	ck_assert_uint_eq(ev->d.overrun.reason, 7);
	ck_assert_uint_eq(ev->d.overrun.max_ms, 600000);
	ck_assert_uint_eq(ev->d.overrun.since_ms, 60000);
	/* once: the agent stays not-ready and nothing else fires */
	ck_assert_int_eq(fx_state(f, "ann"), ACD_AGENT_NOT_READY);
	ck_assert_int_eq(acd_advance(f->a, 10000000), 0);
	ck_assert_uint_eq(fx_count(f, ACD_EV_REASON_OVERRUN, n), 1);
	/* leaving the reason in time: no overrun; a reason without max: none */
	n = f->nev;
	ck_assert_int_eq(acd_agent_not_ready(f->a, 10000000, ann, 7), 0);
	ck_assert_int_eq(acd_agent_ready(f->a, 10000000 + 599999, ann), 0);
	ck_assert_int_eq(acd_agent_not_ready(f->a, 11000000, ann, 30), 0);
	ck_assert_uint_eq(acd_next_deadline(f->a), UINT64_MAX);
	ck_assert_int_eq(acd_advance(f->a, 20000000), 0);
	ck_assert_uint_eq(fx_count(f, ACD_EV_REASON_OVERRUN, n), 0);
	fx_free(f);
}
END_TEST

static uint64_t time_of(struct fx *f, uint32_t agent, uint64_t now, enum acd_win w, uint16_t code,
			size_t *n)
{
	struct acd_reason_time rt[8];
	size_t i;

	ck_assert_int_eq(acd_agent_reason_times(f->a, agent, now, w, rt, 8, n), 0);
	for (i = 0; i < *n && i < 8; i++)
		if (rt[i].code == code)
			return rt[i].ms;
	return 0;
}

START_TEST(test_acd_reason_time_per_reason_in_windows)
{
	struct fx *f = yaml_fx(site);
	uint32_t ann = fx_ag(f, "ann");
	const uint64_t min = 60000, h = 60 * min;
	size_t n;

	ck_assert_int_eq(acd_agent_login(f->a, 10 * h, ann, true), 0);
	/* lunch 10:00-10:40, training 10:40-11:10, ready; break 11:50-11:55 */
	ck_assert_int_eq(acd_agent_not_ready(f->a, 10 * h, ann, 12), 0);
	ck_assert_int_eq(acd_agent_not_ready(f->a, 10 * h + 40 * min, ann, 30), 0);
	ck_assert_int_eq(acd_agent_ready(f->a, 11 * h + 10 * min, ann), 0);
	ck_assert_int_eq(acd_agent_not_ready(f->a, 11 * h + 50 * min, ann, 7), 0);
	ck_assert_int_eq(acd_agent_ready(f->a, 11 * h + 55 * min, ann), 0);
	/* at 12:00 the day holds everything */
	ck_assert_uint_eq(time_of(f, ann, 12 * h, ACD_WIN_DAY, 12, &n), 40 * min);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(time_of(f, ann, 12 * h, ACD_WIN_DAY, 30, &n), 30 * min);
	ck_assert_uint_eq(time_of(f, ann, 12 * h, ACD_WIN_DAY, 7, &n), 5 * min);
	/* the hour 11:00-12:00: 10 min of training, the break, no lunch */
	ck_assert_uint_eq(time_of(f, ann, 12 * h - 1, ACD_WIN_1H, 30, &n), 10 * min);
	ck_assert_uint_eq(time_of(f, ann, 12 * h - 1, ACD_WIN_1H, 12, &n), 0);
	ck_assert_uint_eq(time_of(f, ann, 12 * h - 1, ACD_WIN_1H, 7, &n), 5 * min);
	/* 15 min (11:45-12:00): the break only */
	ck_assert_uint_eq(time_of(f, ann, 12 * h - 1, ACD_WIN_15MIN, 7, &n), 5 * min);
	ck_assert_uint_eq(n, 1);
	/* the period going on now counts up to now */
	ck_assert_int_eq(acd_agent_not_ready(f->a, 13 * h, ann, 12), 0);
	ck_assert_uint_eq(time_of(f, ann, 13 * h + 3 * min, ACD_WIN_15MIN, 12, &n), 3 * min);
	ck_assert_uint_eq(time_of(f, ann, 13 * h + 3 * min, ACD_WIN_DAY, 12, &n), 43 * min);
	/* a day later everything has slid out */
	ck_assert_int_eq(acd_agent_ready(f->a, 13 * h + 3 * min, ann), 0);
	ck_assert_uint_eq(time_of(f, ann, 38 * h, ACD_WIN_DAY, 12, &n), 0);
	ck_assert_uint_eq(n, 0);
	fx_free(f);
}
END_TEST

START_TEST(test_acd_reason_memory_only_for_reasons_used)
{
	struct fx *f = yaml_fx(site);
	uint32_t ann = fx_ag(f, "ann");
	size_t one, two;

	ck_assert_uint_eq(acd_agent_reason_mem(f->a, ann), 0);
	ck_assert_int_eq(acd_agent_login(f->a, 1000, ann, true), 0);
	ck_assert_uint_eq(acd_agent_reason_mem(f->a, ann), 0);	/* ready from login */
	ck_assert_int_eq(acd_agent_not_ready(f->a, 2000, ann, 12), 0);
	ck_assert_int_eq(acd_agent_ready(f->a, 3000, ann), 0);
	one = acd_agent_reason_mem(f->a, ann);
	ck_assert_uint_gt(one, 0);
	ck_assert_uint_lt(one, 1024);
	/* the same reason again: no more memory; another: one more row */
	ck_assert_int_eq(acd_agent_not_ready(f->a, 4000, ann, 12), 0);
	ck_assert_int_eq(acd_agent_ready(f->a, 5000, ann), 0);
	ck_assert_uint_eq(acd_agent_reason_mem(f->a, ann), one);
	ck_assert_int_eq(acd_agent_not_ready(f->a, 6000, ann, 30), 0);
	ck_assert_int_eq(acd_agent_ready(f->a, 7000, ann), 0);
	two = acd_agent_reason_mem(f->a, ann);
	ck_assert_uint_gt(two, one);
	ck_assert_uint_lt(two, 2 * one);
	fx_free(f);
}
END_TEST

START_TEST(test_acd_reason_untracked_beyond_the_code_limit)
{
	struct fx *f = fx_new();
	struct acd_reason_time rt[ACD_RSTATS_MAX_CODES + 1];
	uint32_t ann;
	uint64_t t = 1000;
	size_t n;
	uint16_t c;

	fx_queue(f, "sales", "sales", 1);
	fx_agent(f, "ann", "sales", 5, NULL);
	fx_start(f);
	ann = fx_ag(f, "ann");
	ck_assert_int_eq(acd_agent_login(f->a, t, ann, true), 0);
	for (c = 1; c <= ACD_RSTATS_MAX_CODES + 3; c++) {
		ck_assert_int_eq(acd_agent_not_ready(f->a, t, ann, c), 0);
		t += 1000;
		ck_assert_int_eq(acd_agent_ready(f->a, t, ann), 0);
	}
	ck_assert_int_eq(acd_agent_reason_times(f->a, ann, t, ACD_WIN_DAY, rt,
						ACD_RSTATS_MAX_CODES + 1, &n), 0);
	ck_assert_uint_eq(n, ACD_RSTATS_MAX_CODES + 1);
	ck_assert_uint_eq(rt[ACD_RSTATS_MAX_CODES].code, ACD_RSTATS_UNTRACKED);
	ck_assert_uint_eq(rt[ACD_RSTATS_MAX_CODES].ms, 3000);
	ck_assert_uint_eq(rt[0].ms, 1000);
	fx_free(f);
}
END_TEST

static Suite *acd_reason_suite(void)
{
	Suite *s = suite_create("acd_reason");
	TCase *tc = tcase_create("reason");

	tcase_add_test(tc, test_acd_reason_named_reason_accepted);
	tcase_add_test(tc, test_acd_reason_unknown_code_refused_only_with_a_list);
	tcase_add_test(tc, test_acd_reason_list_errors_name_file_line_col);
	tcase_add_test(tc, test_acd_reason_overrun_event_once_at_the_right_time);
	tcase_add_test(tc, test_acd_reason_time_per_reason_in_windows);
	tcase_add_test(tc, test_acd_reason_memory_only_for_reasons_used);
	tcase_add_test(tc, test_acd_reason_untracked_beyond_the_code_limit);
	suite_add_tcase(s, tc);
	return s;
}

TDMX_CHECK_MAIN(acd_reason_suite)
