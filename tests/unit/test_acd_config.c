// SPDX-License-Identifier: GPL-2.0-or-later
/* ACD configuration: the example file loads; every error names file, line, column and key. */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "acd.h"
#include "unit.h"

START_TEST(test_acd_config_example_file_loads)
{
	struct acd_config *c = NULL;
	const struct acd_queue_cfg *q;
	char err[256];
	struct acd *a;

	ck_assert_msg(acd_config_load("userspace/tdmxd/acd.yaml", &c, err, sizeof(err)) == 0,
		      "%s", err);
	ck_assert_uint_eq(c->seed, 2026);
	ck_assert_uint_eq(c->nskills, 4);
	ck_assert_uint_eq(c->nqueues, 3);
	ck_assert_uint_eq(c->nagents, 3);
	q = &c->queue[0];
	ck_assert_str_eq(q->name, "sales");
	ck_assert_uint_eq(q->ntiers, 2);
	ck_assert_uint_eq(q->tier[1].after_ms, 30000);
	ck_assert_uint_eq(q->tier[1].req[0].min_level, 3);
	ck_assert_uint_eq(q->wrapup_ms, 15000);
	ck_assert_uint_eq(q->max_wait_ms, 300000);
	ck_assert_int_eq(q->overflow.kind, ACD_TARGET_QUEUE);
	ck_assert_uint_eq(q->overflow.queue, 1);
	ck_assert_int_eq(q->join_rule, ACD_EMPTY_LOGGED_IN);
	ck_assert_int_eq(q->leave_rule, ACD_EMPTY_AVAILABLE);
	ck_assert_uint_eq(q->aging_ms, 60000);
	ck_assert_uint_eq(q->ewt_max_error_permille, 250);
	ck_assert_int_eq(c->queue[1].strategy, ACD_STRAT_ROUND_ROBIN);
	ck_assert_int_eq(c->queue[1].overflow.kind, ACD_TARGET_CALLBACK);
	ck_assert_str_eq(c->queue[1].overflow.dest, "support-callback");
	ck_assert_int_eq(c->queue[2].strategy, ACD_STRAT_RING_ALL);
	ck_assert_str_eq(c->agent[0].id, "1001");
	ck_assert_str_eq(c->agent[2].name, "Chloé Martin");
	ck_assert_uint_eq(c->agent[0].nskills, 3);
	ck_assert_uint_eq(c->agent[0].skill[1].level, 6);
	ck_assert_uint_eq(c->agent[0].skill[1].preference_ms, 20000);
	ck_assert_int_eq(acd_new(c, &a), 0);
	ck_assert_int_eq(acd_queue_find(a, "billing"), 2);
	ck_assert_int_eq(acd_agent_find(a, "1003"), 2);
	ck_assert_int_eq(acd_agent_find(a, "9999"), -ENOENT);
	acd_free(a);
	acd_config_free(c);
}
END_TEST

static const char head[] = "skills: [sales, support]\n";

/* @text must be refused with @want (a substring) in the message */
static void refused(const char *text, const char *want)
{
	struct acd_config *c = NULL;
	char err[256];

	ck_assert_int_eq(acd_config_parse("t.yaml", text, strlen(text), &c, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_null(c);
	ck_assert_msg(strstr(err, want) != NULL, "'%s' lacks '%s'", err, want);
}

START_TEST(test_acd_config_errors_name_line_and_key)
{
	char buf[512];

	refused("skills: [a\n", "t.yaml:");
	snprintf(buf, sizeof(buf), "%squeues:\n  - name: q\n    strategy: fastest\n"
		 "agents: []\n", head);
	refused(buf, "t.yaml:4:15: strategy: expected one of longest-idle");
	snprintf(buf, sizeof(buf), "%squeues:\n  - name: q\n    wrapup: soon\n"
		 "agents: []\n", head);
	refused(buf, "t.yaml:4:13: wrapup: expected a duration");
	snprintf(buf, sizeof(buf), "%squeues:\n  - name: q\n    require: {cooking: 3}\n"
		 "agents: []\n", head);
	refused(buf, "t.yaml:4:15: require: unknown skill 'cooking'");
	snprintf(buf, sizeof(buf), "%squeues:\n  - name: q\n    require: {sales: 11}\n"
		 "agents: []\n", head);
	refused(buf, "t.yaml:4:22: require: expected a number from 1 to 10");
	snprintf(buf, sizeof(buf), "%squeues:\n  - name: q\n    overflow: {queue: nowhere}\n"
		 "agents: []\n", head);
	refused(buf, "t.yaml:4:23: overflow: queue 'nowhere' is not defined");
	snprintf(buf, sizeof(buf), "%squeues:\n  - name: q\n    colour: red\n"
		 "agents: []\n", head);
	refused(buf, "t.yaml:4:5: queues: unknown key 'colour'");
	snprintf(buf, sizeof(buf), "%squeues:\n  - name: q\n    tiers:\n      - after: 10s\n"
		 "agents: []\n", head);
	refused(buf, "t.yaml:5:9: tiers: 'after' must be 0");
	snprintf(buf, sizeof(buf), "%squeues: []\nagents:\n  - id: \"1\"\n  - id: \"1\"\n", head);
	refused(buf, "t.yaml:5:5: agents: id '1' given twice");
	snprintf(buf, sizeof(buf), "%squeues: []\nagents:\n  - id: \"1\"\n    skills: {sales: 0}\n",
		 head);
	refused(buf, "t.yaml:5:21: skills: expected a number from 1 to 10");
	snprintf(buf, sizeof(buf), "%squeues: []\n", head);
	refused(buf, "agents: missing");
	refused("skills: [a, a]\nqueues: []\nagents: []\n", "t.yaml:1:13: skills: 'a' given twice");
	refused("nonsense: 1\n", "t.yaml:1:1: unknown key 'nonsense'");
	snprintf(buf, sizeof(buf), "%squeues:\n  - name: q\n    wrapup: 5s\n    wrapup: 9s\n"
		 "agents: []\n", head);
	refused(buf, "t.yaml:5:5: queues: 'wrapup' given twice");
}
END_TEST

START_TEST(test_acd_config_missing_file_is_named)
{
	struct acd_config *c = NULL;
	char err[256];

	ck_assert_int_eq(acd_config_load("/nonexistent/acd.yaml", &c, err, sizeof(err)), -ENOENT);
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent/acd.yaml"));
}
END_TEST

START_TEST(test_acd_config_check_rejects_bad_built_config)
{
	struct acd_config *c = acd_config_new();
	struct acd_queue_cfg q;
	struct acd_agent_cfg ag;
	struct acd *a;
	char err[256];

	ck_assert_int_eq(acd_config_add_skill(c, "s"), 0);
	ck_assert_int_eq(acd_config_add_skill(c, "s"), -EEXIST);
	acd_queue_cfg_init(&q, "q");
	q.ntiers = 2;
	q.tier[1].after_ms = 0;		/* must grow */
	ck_assert_int_eq(acd_config_add_queue(c, &q), 0);
	ck_assert_int_eq(acd_config_check(c, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "queue q: tier 2"));
	ck_assert_int_eq(acd_new(c, &a), -EINVAL);
	acd_config_free(c);
	/* ids must be unique */
	c = acd_config_new();
	acd_agent_cfg_init(&ag, "7");
	ck_assert_int_eq(acd_config_add_agent(c, &ag), 0);
	ck_assert_int_eq(acd_config_check(c, err, sizeof(err)), 0);
	ck_assert_int_eq(acd_config_add_agent(c, &ag), 1);
	ck_assert_int_eq(acd_config_check(c, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "agent 7: id given twice"));
	acd_config_free(c);
}
END_TEST

static Suite *acd_config_suite(void)
{
	Suite *s = suite_create("acd_config");
	TCase *tc = tcase_create("config");

	tcase_add_test(tc, test_acd_config_example_file_loads);
	tcase_add_test(tc, test_acd_config_errors_name_line_and_key);
	tcase_add_test(tc, test_acd_config_missing_file_is_named);
	tcase_add_test(tc, test_acd_config_check_rejects_bad_built_config);
	suite_add_tcase(s, tc);
	return s;
}

TDMX_CHECK_MAIN(acd_config_suite)
