// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The call centre end to end at daemon level: a tdmxd.yaml with acd: and
 * cti: sections in a temp directory (ACD file, tokens file, customer
 * database), callcentre_start() on a real loop, a CTI client over the
 * Unix socket that logs an agent in and makes it ready; a call injected
 * with the admin command acd_call rings the agent, and the client sees
 * the offer with its screen pop (caller, dialled, queue, wait, IVR data,
 * customer record). The ring timeout fires through the io_uring deadline
 * timer (the agent is skipped for that call and the call waits); a restart recovers the agents and waiting calls from the event
 * log.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <sqlite3.h>

#include "unit.h"
#include "callcentre.h"
#include "config.h"
#include "log.h"
#include "loop.h"

static char dir[64];
static struct loop *loop;
static struct callcentre *cc;
static struct cfg cfg;
static char got[1 << 16];

static void put(const char *name, const char *text, mode_t mode)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

static void start(void)
{
	char err[512] = "";
	int ret;

	ret = callcentre_start(loop, LOOP_OP_USER3, &cfg, (uid_t)-1, (gid_t)-1, &cc, err,
			       sizeof(err));
	ck_assert_msg(!ret, "callcentre_start: %s", err);
}

static void stop(void)
{
	callcentre_shutdown(cc);
	loop_run_once(loop, 10);
	loop_destroy(loop);
	callcentre_free(cc);
	cc = NULL;
}

static void setup(void)
{
	char yaml[1024], path[128], err[512];
	sqlite3 *db;
	int e;

	log_set_level(LOG_CRIT);
	snprintf(dir, sizeof(dir), "/tmp/test-cc-%d", (int)getpid());
	mkdir(dir, 0700);
	put("acd.yaml",
	    "skills: [sales]\n"
	    "queues:\n"
	    "  - name: sales\n"
	    "    require: {sales: 1}\n"
	    "    ring_timeout: 300ms\n"
	    "    max_no_answer: 0\n"
	    "agents:\n"
	    "  - id: \"1001\"\n"
	    "    name: Alice\n"
	    "    skills: {sales: 5}\n"
	    "reasons:\n"
	    "  - {code: 12, name: lunch, max: 400ms}\n"
	    "  - {code: 30, name: training, paid: true}\n", 0644);
	put("tokens.yaml",
	    "- name: alice\n  token: tok-alice\n  role: agent\n  agent: \"1001\"\n"
	    "- name: ops\n  token: tok-ops\n  role: admin\n", 0600);
	snprintf(path, sizeof(path), "%s/customers.db", dir);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "CREATE TABLE customers (number TEXT PRIMARY KEY,"
					  " name TEXT, account TEXT, segment TEXT, notes TEXT);"
					  "INSERT INTO customers VALUES ('8613800138000','Li Wei',"
					  " 'A-1','vip','');", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	snprintf(yaml, sizeof(yaml),
		 "acd:\n  config: %s/acd.yaml\n  log: %s/acd.log\n"
		 "cti:\n  socket: %s/cti\n  tokens: %s/tokens.yaml\n"
		 "  customers: %s/customers.db\n  country_code: \"86\"\n",
		 dir, dir, dir, dir, dir);
	ck_assert_msg(!cfg_parse(&cfg, "tdmxd.yaml", yaml, strlen(yaml), err, sizeof(err)),
		      "%s", err);
	loop = loop_create("control", &e);
	ck_assert_ptr_nonnull(loop);
	start();
}

static void teardown(void)
{
	char cmd[128];

	if (cc)
		stop();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static int client(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/cti", dir);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static char rbuf[2][1 << 16];
static size_t rlen[2];

/* the next line on client @i's socket @fd containing @what (others skipped) */
static const char *wait_for(int i, int fd, const char *what)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char *nl;
	ssize_t n;
	int tries;

	for (tries = 0; tries < 3000; tries++) {
		while ((nl = memchr(rbuf[i], '\n', rlen[i]))) {
			*nl = 0;
			snprintf(got, sizeof(got), "%s", rbuf[i]);
			rlen[i] -= (size_t)(nl + 1 - rbuf[i]);
			memmove(rbuf[i], nl + 1, rlen[i]);
			if (strstr(got, what))
				return got;
		}
		loop_run_once(loop, 1);
		if (poll(&p, 1, 0) == 1 && (p.revents & POLLIN)) {
			n = read(fd, rbuf[i] + rlen[i], sizeof(rbuf[i]) - 1 - rlen[i]);
			if (n > 0)
				rlen[i] += (size_t)n;
		}
	}
	ck_abort_msg("no line with '%s' within 3 s", what);
	return NULL;
}

static void say(int fd, const char *line)
{
	ck_assert_int_eq(write(fd, line, strlen(line)), (ssize_t)strlen(line));
}

START_TEST(test_callcentre_agent_sees_the_screen_pop_of_an_offered_call)
{
	int agent = client(), admin = client();
	const char *l;

	say(agent, "{\"cmd\":\"auth\",\"token\":\"tok-alice\"}\n");
	wait_for(0, agent, "\"ok\":true");
	say(agent, "{\"cmd\":\"subscribe\"}\n{\"cmd\":\"agent_login\"}\n");
	wait_for(0, agent, "\"state\":\"not-ready\"");
	say(agent, "{\"cmd\":\"agent_ready\",\"id\":2}\n");
	l = wait_for(0, agent, "agent_state");
	ck_assert_msg(strstr(l, "\"state\":\"ready\"") && strstr(l, "\"agent\":\"1001\""), "%s", l);
	wait_for(0, agent, "\"id\":2");

	say(admin, "{\"cmd\":\"auth\",\"token\":\"tok-ops\"}\n");
	wait_for(1, admin, "\"role\":\"admin\"");
	say(admin, "{\"cmd\":\"acd_call\",\"queue\":\"sales\",\"caller\":\"013800138000\","
		   "\"dialled\":\"4008\",\"ivr\":[\"lang=zh\",\"order=77\"]}\n");
	l = wait_for(1, admin, "\"call\":");
	ck_assert_msg(strstr(l, "\"ok\":true"), "%s", l);

	l = wait_for(0, agent, "call_offered");
	ck_assert_msg(strstr(l, "\"queue\":\"sales\"") && strstr(l, "\"agent\":\"1001\""), "%s", l);
	ck_assert_msg(strstr(l, "\"caller\":\"013800138000\"") && strstr(l, "\"dialled\":\"4008\""),
		      "%s", l);
	ck_assert_msg(strstr(l, "\"wait_ms\":"), "%s", l);
	ck_assert_msg(strstr(l, "\"ivr\":{\"lang\":\"zh\",\"order\":\"77\"}"), "%s", l);
	ck_assert_msg(strstr(l, "\"customer\":{\"number\":\"8613800138000\",\"found\":true,"
				"\"name\":\"Li Wei\",\"account\":\"A-1\",\"segment\":\"vip\"}"),
		      "%s", l);
	/* nobody answers: the ring timeout fires through the loop's timer */
	l = wait_for(0, agent, "call_offer_cancelled");
	ck_assert_msg(strstr(l, "\"agent\":\"1001\"") && strstr(l, "\"why\":\"timeout\""),
		      "%s", l);
	/* the agent is skipped for this call only: ready again; as every
	 * eligible agent has now missed the call, a new round offers it again
	 * (Documentation/acd.md, ring timeout and no answer) */
	l = wait_for(0, agent, "agent_state");
	ck_assert_msg(strstr(l, "\"state\":\"ready\""), "%s", l);
	l = wait_for(0, agent, "call_offered");
	ck_assert_msg(strstr(l, "\"agent\":\"1001\"") && strstr(l, "\"caller\":\"013800138000\""),
		      "%s", l);
	close(agent);
	close(admin);
}
END_TEST

START_TEST(test_callcentre_status_commands_answer_from_the_engine)
{
	int fd = client();
	const char *l;

	say(fd, "{\"cmd\":\"auth\",\"token\":\"tok-ops\"}\n");
	wait_for(0, fd, "\"ok\":true");
	say(fd, "{\"cmd\":\"agent_login\",\"agent\":\"1001\"}\n{\"cmd\":\"agent_status\"}\n");
	l = wait_for(0, fd, "\"agents\":[");
	ck_assert_msg(strstr(l, "{\"agent\":\"1001\",\"name\":\"Alice\",\"state\":\"not-ready\""),
		      "%s", l);
	say(fd, "{\"cmd\":\"queue_status\",\"queue\":\"sales\"}\n");
	l = wait_for(0, fd, "\"queues\":[");
	ck_assert_msg(strstr(l, "\"queue\":\"sales\",\"waiting\":0"), "%s", l);
	say(fd, "{\"cmd\":\"stats\",\"queue\":\"sales\",\"window\":\"1h\"}\n");
	l = wait_for(0, fd, "\"window\":\"1h\"");
	ck_assert_msg(strstr(l, "\"offered\":0"), "%s", l);
	say(fd, "{\"cmd\":\"agent_ready\",\"agent\":\"9999\"}\n");
	l = wait_for(0, fd, "not_found");
	ck_assert_msg(strstr(l, "no agent '9999'"), "%s", l);
	say(fd, "{\"cmd\":\"acd_call\",\"queue\":\"nope\",\"caller\":\"1\"}\n");
	wait_for(0, fd, "no queue 'nope'");
	say(fd, "{\"cmd\":\"agent_not_ready\",\"agent\":\"1001\",\"reason\":\"nap\"}\n");
	wait_for(0, fd, "no reason 'nap'");
	say(fd, "{\"cmd\":\"resync\",\"since\":0}\n");
	l = wait_for(0, fd, "\"snapshot\":");
	ck_assert_msg(strstr(l, "\"agents\":[{\"agent\":\"1001\"") && strstr(l, "\"queues\":["),
		      "%s", l);
	close(fd);
}
END_TEST

START_TEST(test_callcentre_not_ready_by_reason_name_shows_code_name_overrun_and_time)
{
	int fd = client();
	const char *l, *ms;

	say(fd, "{\"cmd\":\"auth\",\"token\":\"tok-ops\"}\n");
	wait_for(0, fd, "\"ok\":true");
	say(fd, "{\"cmd\":\"subscribe\"}\n{\"cmd\":\"agent_login\",\"agent\":\"1001\"}\n");
	l = wait_for(0, fd, "\"event\":\"agent_state\"");
	ck_assert_msg(strstr(l, "\"reason\":65534,\"reason_name\":\"login\""), "%s", l);
	/* by name: the event and the status carry code and name */
	say(fd, "{\"cmd\":\"agent_not_ready\",\"agent\":\"1001\",\"reason\":\"lunch\"}\n");
	l = wait_for(0, fd, "\"event\":\"agent_state\"");
	ck_assert_msg(strstr(l, "\"reason\":12,\"reason_name\":\"lunch\""), "%s", l);
	say(fd, "{\"cmd\":\"agent_status\",\"agent\":\"1001\"}\n");
	l = wait_for(0, fd, "\"agents\":[");
	ck_assert_msg(strstr(l, "\"reason\":12,\"reason_name\":\"lunch\""), "%s", l);
	/* a code not on the list, and one the engine keeps for itself */
	say(fd, "{\"cmd\":\"agent_not_ready\",\"agent\":\"1001\",\"reason\":77}\n");
	l = wait_for(0, fd, "\"ok\":false");
	ck_assert_msg(strstr(l, "reason 77 is not on this site's reasons list"), "%s", l);
	say(fd, "{\"cmd\":\"agent_not_ready\",\"agent\":\"1001\",\"reason\":\"no-answer\"}\n");
	l = wait_for(0, fd, "\"ok\":false");
	ck_assert_msg(strstr(l, "set by the engine only"), "%s", l);
	say(fd, "{\"cmd\":\"reasons\"}\n");
	l = wait_for(0, fd, "\"reasons\":[");
	ck_assert_msg(strstr(l, "{\"code\":12,\"name\":\"lunch\",\"max_ms\":400,\"paid\":false,"
			     "\"builtin\":false}") &&
		      strstr(l, "{\"code\":30,\"name\":\"training\",\"paid\":true") &&
		      strstr(l, "\"name\":\"no-answer\"") && strstr(l, "\"any_code\":false"), "%s", l);
	/* lunch has a max of 400 ms: one overrun, the agent stays not-ready */
	l = wait_for(0, fd, "\"event\":\"reason_overrun\"");
	ck_assert_msg(strstr(l, "\"reason\":12,\"reason_name\":\"lunch\",\"max_ms\":400"), "%s", l);
	/* by code (the numeric form), then the time per reason in the window */
	say(fd, "{\"cmd\":\"agent_not_ready\",\"agent\":\"1001\",\"reason\":30}\n");
	l = wait_for(0, fd, "\"event\":\"agent_state\"");
	ck_assert_msg(strstr(l, "\"reason\":30,\"reason_name\":\"training\""), "%s", l);
	say(fd, "{\"cmd\":\"stats\",\"agent\":\"1001\",\"window\":\"15m\"}\n");
	l = wait_for(0, fd, "\"window\":\"15m\"");
	ms = strstr(l, "\"reasons\":[{\"reason\":12,\"reason_name\":\"lunch\",\"paid\":false,\"ms\":");
	ck_assert_msg(ms != NULL, "%s", l);
	/* lunch lasted at least its max (the overrun came first) */
	ck_assert_uint_ge(strtoul(strstr(ms, "\"ms\":") + 5, NULL, 10), 400);
	ck_assert_msg(strstr(l, "\"not_ready_unpaid_ms\":"), "%s", l);
	close(fd);
}
END_TEST

START_TEST(test_callcentre_restart_recovers_agents_and_waiting_calls_from_the_log)
{
	int fd = client();
	const char *l;

	say(fd, "{\"cmd\":\"auth\",\"token\":\"tok-ops\"}\n");
	wait_for(0, fd, "\"ok\":true");
	/* the agent is logged in but not ready: the call waits */
	say(fd, "{\"cmd\":\"agent_login\",\"agent\":\"1001\"}\n");
	wait_for(0, fd, "\"ok\":true");
	say(fd, "{\"cmd\":\"acd_call\",\"queue\":\"sales\",\"caller\":\"2001\"}\n");
	wait_for(0, fd, "\"call\":");
	close(fd);
	stop();
	rlen[0] = 0;

	loop = loop_create("control", &(int){ 0 });
	ck_assert_ptr_nonnull(loop);
	start();
	fd = client();
	say(fd, "{\"cmd\":\"auth\",\"token\":\"tok-ops\"}\n{\"cmd\":\"queue_status\"}\n");
	l = wait_for(0, fd, "\"queues\":[");
	ck_assert_msg(strstr(l, "\"waiting\":1"), "%s", l);
	say(fd, "{\"cmd\":\"agent_status\",\"agent\":\"1001\"}\n");
	l = wait_for(0, fd, "\"agents\":[");
	ck_assert_msg(strstr(l, "\"state\":\"not-ready\""), "%s", l);
	/* and routing goes on: ready now gets the recovered call */
	say(fd, "{\"cmd\":\"subscribe\"}\n{\"cmd\":\"agent_ready\",\"agent\":\"1001\"}\n");
	l = wait_for(0, fd, "call_offered");
	ck_assert_msg(strstr(l, "\"caller\":\"2001\""), "%s", l);
	close(fd);
}
END_TEST

START_TEST(test_callcentre_refuses_a_world_readable_tokens_file)
{
	char path[128], err[512] = "";
	struct callcentre *x = NULL;

	stop();
	snprintf(path, sizeof(path), "%s/tokens.yaml", dir);
	chmod(path, 0644);
	loop = loop_create("control", &(int){ 0 });
	ck_assert_int_eq(callcentre_start(loop, LOOP_OP_USER3, &cfg, (uid_t)-1, (gid_t)-1, &x,
					  err, sizeof(err)), -EPERM);
	ck_assert_msg(strstr(err, "readable by everyone"), "%s", err);
	loop_destroy(loop);
}
END_TEST

START_TEST(test_callcentre_check_names_file_line_col_of_a_bad_acd_or_tokens_file)
{
	char msg[512], want[160];

	ck_assert_int_eq(callcentre_check(&cfg, msg, sizeof(msg)), 0);
	ck_assert_msg(strstr(msg, "1 queues, 1 agents; CTI tokens: 2"), "%s", msg);
	put("acd.yaml", "skills: [sales]\nqueues:\n  - name: sales\n    strategy: fastest\n"
	    "agents:\n  - id: \"1\"\n    skills: {sales: 1}\n", 0644);
	ck_assert_int_eq(callcentre_check(&cfg, msg, sizeof(msg)), -EINVAL);
	snprintf(want, sizeof(want), "%s/acd.yaml:4:15:", dir);
	ck_assert_msg(strstr(msg, want) && strstr(msg, "strategy"), "%s", msg);
	put("acd.yaml", "skills: [sales]\nqueues:\n  - name: sales\n"
	    "agents:\n  - id: \"1\"\n    skills: {sales: 1}\n", 0644);
	put("tokens.yaml", "- name: alice\n  tokn: x\n", 0600);
	ck_assert_int_lt(callcentre_check(&cfg, msg, sizeof(msg)), 0);
	snprintf(want, sizeof(want), "%s/tokens.yaml:2:", dir);
	ck_assert_msg(strstr(msg, want), "%s", msg);
}
END_TEST

/* SIGHUP: the running call centre keeps its configuration; the files are
 * only compared and checked, and a change is reported for the restart */
START_TEST(test_callcentre_reload_keeps_the_running_acd_and_checks_the_new_files)
{
	uint64_t ha = callcentre_file_hash(cfg.acd_config), ht = callcentre_file_hash(cfg.cti_tokens);
	struct cfg next = cfg;
	char msg[512];
	int fd = client();

	ck_assert_int_eq(callcentre_reload_check(&cfg, ha, ht, &next, msg, sizeof(msg)), 0);
	put("acd.yaml",
	    "skills: [sales]\nqueues:\n  - name: sales\n  - name: more\n"
	    "agents:\n  - id: \"1001\"\n    skills: {sales: 5}\n", 0644);
	ck_assert_int_eq(callcentre_reload_check(&cfg, ha, ht, &next, msg, sizeof(msg)), 1);
	ck_assert_msg(strstr(msg, "next restart"), "%s", msg);
	put("acd.yaml", "queues: [\n", 0644);
	ck_assert_int_lt(callcentre_reload_check(&cfg, ha, ht, &next, msg, sizeof(msg)), 0);
	ck_assert_msg(strstr(msg, "acd.yaml:"), "%s", msg);
	/* the running engine still answers with its own single queue */
	say(fd, "{\"cmd\":\"auth\",\"token\":\"tok-ops\"}\n");
	wait_for(0, fd, "\"ok\":true");
	say(fd, "{\"cmd\":\"queue_status\",\"queue\":\"sales\"}\n");
	ck_assert_ptr_nonnull(wait_for(0, fd, "\"queue\":\"sales\",\"waiting\":0"));
	say(fd, "{\"cmd\":\"queue_status\",\"queue\":\"more\"}\n");
	ck_assert_ptr_nonnull(wait_for(0, fd, "no queue 'more'"));
	close(fd);
}
END_TEST

static Suite *cc_suite(void)
{
	Suite *s = suite_create("tdmxd_callcentre");
	TCase *tc = tcase_create("callcentre");

	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_callcentre_agent_sees_the_screen_pop_of_an_offered_call);
	tcase_add_test(tc, test_callcentre_status_commands_answer_from_the_engine);
	tcase_add_test(tc, test_callcentre_not_ready_by_reason_name_shows_code_name_overrun_and_time);
	tcase_add_test(tc, test_callcentre_restart_recovers_agents_and_waiting_calls_from_the_log);
	tcase_add_test(tc, test_callcentre_refuses_a_world_readable_tokens_file);
	tcase_add_test(tc, test_callcentre_check_names_file_line_col_of_a_bad_acd_or_tokens_file);
	tcase_add_test(tc, test_callcentre_reload_keeps_the_running_acd_and_checks_the_new_files);
	suite_add_tcase(s, tc);
	return s;
}

TDMX_CHECK_MAIN(cc_suite)
