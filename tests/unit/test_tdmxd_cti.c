// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd CTI socket through a real io_uring loop, over socketpairs and TCP,
 * against a fake backend: authentication (right and wrong tokens, the
 * growing delay, role limits), every command, subscription filters,
 * resync with and without a gap, protocol errors (the connection carries
 * on), and a client that does not read (it loses events, is told so once
 * it drains, and the loop never waits for it).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"
#include "cti.h"
#include "log.h"
#include "loop.h"

#define DELAY_MS	40

/* ------------------------------------------------------- fake backend */

struct fake {
	unsigned int calls;
	struct cti_req last;
	char agent[64], queue[64], reason[64], caller[64], ivr0[64];
	int ret;		/* what handle() returns */
	unsigned int snapshots;
};

static struct fake fake;

static void keep(char *dst, const char *s)
{
	snprintf(dst, 64, "%s", s ? s : "(null)");
}

static int fake_handle(void *priv, const struct cti_req *q, struct cti_reply *r)
{
	struct fake *f = priv;

	f->calls++;
	f->last = *q;
	keep(f->agent, q->agent);
	keep(f->queue, q->queue);
	keep(f->reason, q->reason);
	keep(f->caller, q->caller);
	keep(f->ivr0, q->nivr ? q->ivr[0] : NULL);
	if (f->ret == -ENOENT)
		return cti_reply_error(r, -ENOENT, "no agent '%s'", q->agent ? q->agent : "");
	if (f->ret)
		return f->ret;
	if (q->cmd == CTI_QUEUE_STATUS)
		tdmx_json_uint(cti_reply_json(r), "waiting", 3);
	return 0;
}

static int fake_snapshot(void *priv, const struct cti_req *q, struct tdmx_json *j)
{
	struct fake *f = priv;

	f->snapshots++;
	tdmx_json_str(j, "for", q->who);
	return 0;
}

/* -------------------------------------------------------------- harness */

static const struct cti_token tokens[] = {
	{ .name = "sup", .secret = "s3cret-sup", .role = CTI_ROLE_SUPERVISOR },
	{ .name = "alice", .secret = "tok-alice", .role = CTI_ROLE_AGENT, .agent = "1001" },
	{ .name = "bob", .secret = "tok-bob", .role = CTI_ROLE_AGENT },
	{ .name = "root", .secret = "tok-admin", .role = CTI_ROLE_ADMIN },
};

static struct loop *loop;
static struct cti *cti;
static int cfd;			/* the first client's end */
static char got[1 << 16];

static struct cti *make_cti(unsigned int history, size_t out_max)
{
	struct cti_backend be = { fake_handle, fake_snapshot, &fake };
	struct cti_config cfg = {
		.tokens = tokens, .ntokens = 4, .history = history,
		.auth_delay_ms = DELAY_MS, .out_max = out_max,
	};
	struct cti *c;
	int err = 0;

	c = cti_create(loop, LOOP_OP_USER3, &cfg, &be, &err);
	ck_assert_msg(c, "cti_create: %s", strerror(-err));
	return c;
}

static int new_client(void)
{
	int sv[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	ck_assert_int_eq(cti_adopt(cti, sv[0]), 0);
	return sv[1];
}

static void setup_with(unsigned int history, size_t out_max)
{
	int err;

	memset(&fake, 0, sizeof(fake));
	log_set_level(LOG_CRIT);
	loop = loop_create("test", &err);
	ck_assert_msg(loop, "io_uring: %s", strerror(-err));
	cti = make_cti(history, out_max);
	cfd = new_client();
}

static void setup(void)
{
	setup_with(8, 0);
}

static void teardown(void)
{
	cti_shutdown(cti);
	loop_run_once(loop, 10);
	loop_destroy(loop);
	cti_destroy(cti);
	if (cfd >= 0)
		close(cfd);
}

static void send_text(int fd, const char *text)
{
	size_t n = strlen(text);

	ck_assert_int_eq(write(fd, text, n), (ssize_t)n);
}

/* per-fd receive buffers, so that several clients can be read */
struct rbuf {
	int fd;
	size_t len;
	char buf[1 << 16];
};

static struct rbuf rbufs[4];

static struct rbuf *rbuf_of(int fd)
{
	unsigned int i;

	for (i = 0; i < 4; i++)
		if (rbufs[i].fd == fd && rbufs[i].len)
			return &rbufs[i];
	for (i = 0; i < 4; i++)
		if (!rbufs[i].len) {
			rbufs[i].fd = fd;
			return &rbufs[i];
		}
	ck_abort_msg("too many clients");
	return NULL;
}

/* pump the loop up to @ms until @fd has a whole line; NULL if none came */
static const char *try_line(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct rbuf *b = rbuf_of(fd);
	char *nl;
	ssize_t n;
	int i;

	for (i = 0; i <= ms; i++) {
		nl = memchr(b->buf, '\n', b->len);
		if (nl) {
			*nl = 0;
			snprintf(got, sizeof(got), "%s", b->buf);
			b->len -= (size_t)(nl + 1 - b->buf);
			memmove(b->buf, nl + 1, b->len);
			return got;
		}
		loop_run_once(loop, 1);
		if (poll(&p, 1, 0) == 1 && (p.revents & POLLIN)) {
			n = read(fd, b->buf + b->len, sizeof(b->buf) - 1 - b->len);
			if (n > 0)
				b->len += (size_t)n;
		}
	}
	return NULL;
}

static const char *line_from(int fd)
{
	const char *l = try_line(fd, 2000);

	ck_assert_msg(l, "no line within 2 s");
	return l;
}

static const char *ask_on(int fd, const char *req)
{
	char line[CTI_LINE_MAX + 16];

	snprintf(line, sizeof(line), "%s\n", req);
	send_text(fd, line);
	return line_from(fd);
}

static const char *ask(const char *req)
{
	return ask_on(cfd, req);
}

#define ck_reply(req, want) ck_assert_str_eq(ask(req), want)

/* @req gets an error reply with @code and a message containing @what */
static void refused_on(int fd, const char *req, const char *code, const char *what)
{
	char want[64];
	const char *r = ask_on(fd, req);

	snprintf(want, sizeof(want), "\"code\":\"%s\"", code);
	ck_assert_msg(!strncmp(r, "{\"ok\":false", 11), "'%s' got '%s'", req, r);
	ck_assert_msg(strstr(r, want), "'%s' got '%s', not code %s", req, r, code);
	ck_assert_msg(strstr(r, what), "'%s' got '%s', not '%s'", req, r, what);
}

static void refused(const char *req, const char *code, const char *what)
{
	refused_on(cfd, req, code, what);
}

static void auth_on(int fd, const char *token)
{
	char req[256];
	const char *r;

	snprintf(req, sizeof(req), "{\"cmd\":\"auth\",\"token\":\"%s\"}", token);
	r = ask_on(fd, req);
	ck_assert_msg(!strncmp(r, "{\"ok\":true", 10), "auth %s: %s", token, r);
}

static int64_t publish(const char *type, const char *queue, const char *agent,
		       const char *object)
{
	struct cti_event ev = { type, queue, agent, object };

	return cti_publish(cti, &ev);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ----------------------------------------------------------------- auth */

START_TEST(test_cti_requests_before_auth_are_refused)
{
	refused("{\"cmd\":\"queue_status\"}", "not_authenticated", "authenticate first");
	refused("{\"cmd\":\"subscribe\"}", "not_authenticated", "auth");
	ck_assert_uint_eq(fake.calls, 0);
	ck_reply("{\"cmd\":\"auth\",\"token\":\"s3cret-sup\",\"id\":1}",
		 "{\"ok\":true,\"id\":1,\"name\":\"sup\",\"role\":\"supervisor\",\"seq\":0}");
	ck_reply("{\"cmd\":\"queue_status\",\"queue\":\"sales\"}", "{\"ok\":true,\"waiting\":3}");
	ck_assert_str_eq(fake.queue, "sales");
	ck_assert_str_eq(fake.last.who, "sup");
	ck_assert_int_eq(fake.last.role, CTI_ROLE_SUPERVISOR);
}
END_TEST

START_TEST(test_cti_agent_token_names_its_agent)
{
	ck_reply("{\"cmd\":\"auth\",\"token\":\"tok-alice\"}",
		 "{\"ok\":true,\"name\":\"alice\",\"role\":\"agent\",\"agent\":\"1001\",\"seq\":0}");
	ck_reply("{\"cmd\":\"auth\",\"token\":\"tok-bob\"}",
		 "{\"ok\":true,\"name\":\"bob\",\"role\":\"agent\",\"agent\":\"bob\",\"seq\":0}");
}
END_TEST

START_TEST(test_cti_wrong_token_is_answered_after_a_growing_delay)
{
	double t0, t1, t2;

	t0 = now_ms();
	refused("{\"cmd\":\"auth\",\"token\":\"guess1\",\"id\":7}", "auth_failed", "\"id\":7");
	t1 = now_ms();
	refused("{\"cmd\":\"auth\",\"token\":\"tok-alic\"}", "auth_failed", "wrong token");
	t2 = now_ms();
	ck_assert_msg(t1 - t0 >= DELAY_MS, "first failure answered after %.1f ms", t1 - t0);
	ck_assert_msg(t2 - t1 >= 2 * DELAY_MS, "second failure answered after %.1f ms", t2 - t1);
	/* the connection is still usable, and a good token resets the delay */
	auth_on(cfd, "tok-alice");
	ck_reply("{\"cmd\":\"agent_ready\"}", "{\"ok\":true}");
}
END_TEST

START_TEST(test_cti_requests_during_the_auth_delay_wait_in_order)
{
	const char *r;

	auth_on(cfd, "s3cret-sup");
	send_text(cfd, "{\"cmd\":\"auth\",\"token\":\"nope\",\"id\":1}\n"
		       "{\"cmd\":\"queue_status\",\"id\":2}\n");
	r = line_from(cfd);
	ck_assert_msg(strstr(r, "\"id\":1") && strstr(r, "auth_failed"), "%s", r);
	/* a failed auth ends the earlier one */
	r = line_from(cfd);
	ck_assert_msg(strstr(r, "\"id\":2") && strstr(r, "not_authenticated"), "%s", r);
	ck_assert_uint_eq(fake.calls, 0);
}
END_TEST

START_TEST(test_cti_closing_during_the_auth_delay_is_safe)
{
	send_text(cfd, "{\"cmd\":\"auth\",\"token\":\"nope\"}\n");
	loop_run_once(loop, 1);
	close(cfd);
	cfd = -1;
	for (int i = 0; i < 20; i++)
		loop_run_once(loop, 5);
	ck_assert_uint_eq(cti_conns(cti), 0);
}
END_TEST

START_TEST(test_cti_agent_token_acts_only_on_its_own_agent)
{
	auth_on(cfd, "tok-alice");
	ck_reply("{\"cmd\":\"agent_login\"}", "{\"ok\":true}");
	ck_assert_str_eq(fake.agent, "1001");
	ck_reply("{\"cmd\":\"agent_ready\",\"agent\":\"1001\"}", "{\"ok\":true}");
	refused("{\"cmd\":\"agent_ready\",\"agent\":\"1002\"}", "forbidden", "own agent");
	refused("{\"cmd\":\"stats\",\"agent\":\"1002\"}", "forbidden", "own agent");
	refused("{\"cmd\":\"subscribe\",\"agents\":[\"1001\",\"1002\"]}", "forbidden", "own");
	refused("{\"cmd\":\"listen\",\"agent\":\"1001\"}", "forbidden", "role agent");
	refused("{\"cmd\":\"acd_call\",\"queue\":\"q\",\"caller\":\"1\"}", "forbidden",
		"role agent");
	/* agent_status without an agent is its own */
	ck_reply("{\"cmd\":\"agent_status\"}", "{\"ok\":true}");
	ck_assert_str_eq(fake.agent, "1001");
	ck_assert_uint_eq(fake.calls, 3);
}
END_TEST

START_TEST(test_cti_supervisor_media_commands_are_reserved)
{
	auth_on(cfd, "s3cret-sup");
	refused("{\"cmd\":\"listen\",\"agent\":\"1001\"}", "not_supported", "later issue");
	refused("{\"cmd\":\"whisper\",\"agent\":\"1001\"}", "not_supported", "reserved");
	refused("{\"cmd\":\"barge\",\"agent\":\"1001\"}", "not_supported", "reserved");
	refused("{\"cmd\":\"barge\"}", "bad_request", "missing field 'agent'");
	refused("{\"cmd\":\"acd_call\",\"queue\":\"q\",\"caller\":\"1\"}", "forbidden",
		"role supervisor");
	ck_assert_uint_eq(fake.calls, 0);
}
END_TEST

/* ------------------------------------------------------------- commands */

START_TEST(test_cti_every_agent_command_reaches_the_backend)
{
	static const struct {
		const char *req;
		enum cti_cmd cmd;
	} t[] = {
		{ "{\"cmd\":\"agent_login\",\"agent\":\"7\"}", CTI_AGENT_LOGIN },
		{ "{\"cmd\":\"agent_logout\",\"agent\":\"7\"}", CTI_AGENT_LOGOUT },
		{ "{\"cmd\":\"agent_ready\",\"agent\":\"7\"}", CTI_AGENT_READY },
		{ "{\"cmd\":\"agent_not_ready\",\"agent\":\"7\",\"reason\":\"lunch\"}",
		  CTI_AGENT_NOT_READY },
		{ "{\"cmd\":\"agent_wrapup_done\",\"agent\":\"7\"}", CTI_AGENT_WRAPUP_DONE },
		{ "{\"cmd\":\"agent_status\",\"agent\":\"7\"}", CTI_AGENT_STATUS },
	};
	unsigned int i;

	auth_on(cfd, "s3cret-sup");
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ck_reply(t[i].req, "{\"ok\":true}");
		ck_assert_int_eq(fake.last.cmd, t[i].cmd);
		ck_assert_str_eq(fake.agent, "7");
		ck_assert_uint_ne(fake.last.conn, 0);
		if (t[i].cmd == CTI_AGENT_NOT_READY)
			ck_assert_str_eq(fake.reason, "lunch");
	}
	ck_reply("{\"cmd\":\"agent_status\"}", "{\"ok\":true}");
	ck_assert_str_eq(fake.agent, "(null)");
	refused("{\"cmd\":\"agent_login\"}", "bad_request", "missing field 'agent'");
	ck_assert_uint_eq(fake.calls, 7);
}
END_TEST

START_TEST(test_cti_stats_take_a_queue_or_an_agent_and_a_window)
{
	auth_on(cfd, "s3cret-sup");
	ck_reply("{\"cmd\":\"stats\",\"queue\":\"sales\",\"window\":\"1h\"}", "{\"ok\":true}");
	ck_assert_int_eq(fake.last.cmd, CTI_STATS);
	ck_assert_int_eq(fake.last.window, CTI_WIN_1H);
	ck_assert_str_eq(fake.queue, "sales");
	ck_reply("{\"cmd\":\"stats\",\"agent\":\"7\"}", "{\"ok\":true}");
	ck_assert_int_eq(fake.last.window, CTI_WIN_15M);
	ck_reply("{\"cmd\":\"stats\",\"agent\":\"7\",\"window\":\"day\"}", "{\"ok\":true}");
	ck_assert_int_eq(fake.last.window, CTI_WIN_DAY);
	refused("{\"cmd\":\"stats\"}", "bad_request", "either 'queue' or 'agent'");
	refused("{\"cmd\":\"stats\",\"queue\":\"a\",\"agent\":\"b\"}", "bad_request", "either");
	refused("{\"cmd\":\"stats\",\"queue\":\"a\",\"window\":\"2h\"}", "bad_request",
		"15m, 1h or day");
}
END_TEST

START_TEST(test_cti_acd_call_is_checked_for_admins)
{
	auth_on(cfd, "tok-admin");
	ck_reply("{\"cmd\":\"acd_call\",\"queue\":\"sales\",\"caller\":\"+86 10 1234\","
		 "\"dialled\":\"800\",\"priority\":5,\"ivr\":[\"lang=en\",\"acct=9\"]}",
		 "{\"ok\":true}");
	ck_assert_int_eq(fake.last.cmd, CTI_ACD_CALL);
	ck_assert_str_eq(fake.caller, "+86 10 1234");
	ck_assert_int_eq(fake.last.priority, 5);
	ck_assert_uint_eq(fake.last.nivr, 2);
	ck_assert_str_eq(fake.ivr0, "lang=en");
	refused("{\"cmd\":\"acd_call\",\"queue\":\"s\",\"caller\":\"1\",\"ivr\":[\"x\"]}",
		"bad_request", "key=value");
	refused("{\"cmd\":\"acd_call\",\"queue\":\"s\",\"caller\":\"1\",\"priority\":-1}",
		"bad_request", "priority");
	refused("{\"cmd\":\"acd_call\",\"caller\":\"1\"}", "bad_request", "'queue'");
}
END_TEST

START_TEST(test_cti_backend_errors_become_error_codes)
{
	auth_on(cfd, "s3cret-sup");
	fake.ret = -ENOENT;
	refused("{\"cmd\":\"agent_ready\",\"agent\":\"9\",\"id\":\"x\"}", "not_found",
		"no agent '9'");
	ck_assert_str_eq(got + 11, ",\"id\":\"x\",\"code\":\"not_found\",\"error\":\"no agent '9'\"}");
	fake.ret = -EBUSY;
	refused("{\"cmd\":\"agent_logout\",\"agent\":\"9\"}", "busy", "busy");
	fake.ret = -EALREADY;
	refused("{\"cmd\":\"agent_login\",\"agent\":\"9\"}", "conflict", "already");
	fake.ret = 0;
	ck_reply("{\"cmd\":\"agent_login\",\"agent\":\"9\"}", "{\"ok\":true}");
}
END_TEST

/* ------------------------------------------------------ protocol errors */

START_TEST(test_cti_protocol_errors_get_replies_and_the_connection_carries_on)
{
	char big[CTI_LINE_MAX + 100];

	auth_on(cfd, "s3cret-sup");
	refused("garbage", "bad_json", "column 1");
	refused("{\"cmd\":\"queue_status\"", "bad_json", "bad JSON");
	refused("{\"cmd\":\"queue_status\",\"x\":{\"y\":1}}", "bad_json", "bad JSON");
	refused("{\"cmd\":\"fly\"}", "unknown_command", "'fly'");
	refused("{\"cmd\":7}", "bad_request", "'cmd' must be a string");
	refused("{\"agent\":\"7\"}", "bad_request", "missing field 'cmd'");
	refused("{\"cmd\":\"agent_ready\",\"agent\":7}", "bad_request", "'agent' must be a string");
	refused("{\"cmd\":\"agent_ready\",\"agent\":\"7\",\"colour\":1}", "bad_request",
		"unknown field 'colour'");
	refused("{\"cmd\":\"agent_ready\",\"agent\":\"\"}", "bad_request", "1 to 63 bytes");
	refused("{\"cmd\":\"queue_status\",\"id\":[1]}", "bad_request", "'id'");
	memset(big, 'x', sizeof(big));
	big[0] = '{';
	big[sizeof(big) - 2] = '\n';
	big[sizeof(big) - 1] = 0;
	send_text(cfd, big);
	ck_assert_msg(strstr(line_from(cfd), "line_too_long"), "%s", got);
	{
		static const char nul[] = "{\"cmd\":\"agent_ready\",\0\"agent\":\"7\"}\n";

		ck_assert_int_eq(write(cfd, nul, sizeof(nul) - 1), (ssize_t)sizeof(nul) - 1);
	}
	ck_assert_msg(strstr(line_from(cfd), "NUL byte"), "%s", got);
	/* empty lines are keep-alives: no reply */
	send_text(cfd, "\n\r\n");
	ck_assert_ptr_null(try_line(cfd, 20));
	ck_reply("{\"cmd\":\"queue_status\"}", "{\"ok\":true,\"waiting\":3}");
	ck_assert_uint_eq(fake.calls, 1);
}
END_TEST

START_TEST(test_cti_lines_are_joined_across_reads)
{
	auth_on(cfd, "s3cret-sup");
	send_text(cfd, "{\"cmd\":\"queue_");
	loop_run_once(loop, 5);
	send_text(cfd, "status\",\"id\":1}\n{\"cmd\":\"queue_status\",\"id\":2}\n");
	ck_assert_str_eq(line_from(cfd), "{\"ok\":true,\"id\":1,\"waiting\":3}");
	ck_assert_str_eq(line_from(cfd), "{\"ok\":true,\"id\":2,\"waiting\":3}");
}
END_TEST

/* --------------------------------------------------------------- events */

START_TEST(test_cti_events_reach_subscribers_through_their_filters)
{
	int c2 = new_client(), c3 = new_client();

	auth_on(cfd, "s3cret-sup");
	auth_on(c2, "s3cret-sup");
	auth_on(c3, "s3cret-sup");
	ck_reply("{\"cmd\":\"subscribe\"}", "{\"ok\":true,\"seq\":0}");
	ck_assert_str_eq(ask_on(c2, "{\"cmd\":\"subscribe\",\"queues\":[\"sales\"],"
				    "\"events\":[\"call_queued\",\"call_offered\"]}"),
			 "{\"ok\":true,\"seq\":0}");
	/* c3 is authenticated but not subscribed */
	ck_assert_int_eq(publish("call_queued", "sales", NULL, "{\"call\":\"c1\"}"), 1);
	ck_assert_int_eq(publish("agent_state", NULL, "7", "{\"state\":\"ready\"}"), 2);
	ck_assert_int_eq(publish("call_queued", "support", NULL, "{}"), 3);
	ck_assert_int_eq(publish("call_offered", "sales", "7", NULL), 4);
	ck_assert_str_eq(line_from(cfd), "{\"event\":\"call_queued\",\"seq\":1,\"queue\":\"sales\","
					 "\"call\":\"c1\"}");
	ck_assert_str_eq(line_from(cfd),
			 "{\"event\":\"agent_state\",\"seq\":2,\"agent\":\"7\",\"state\":\"ready\"}");
	ck_assert_str_eq(line_from(cfd), "{\"event\":\"call_queued\",\"seq\":3,\"queue\":\"support\"}");
	ck_assert_str_eq(line_from(cfd),
			 "{\"event\":\"call_offered\",\"seq\":4,\"queue\":\"sales\",\"agent\":\"7\"}");
	ck_assert_msg(strstr(line_from(c2), "\"seq\":1"), "%s", got);
	ck_assert_msg(strstr(line_from(c2), "\"seq\":4"), "%s", got);
	ck_assert_ptr_null(try_line(c2, 20));
	ck_assert_ptr_null(try_line(c3, 5));
	/* by agent; then unsubscribe stops everything */
	ck_assert_str_eq(ask_on(c2, "{\"cmd\":\"subscribe\",\"agents\":[\"7\"]}"),
			 "{\"ok\":true,\"seq\":4}");
	publish("agent_state", NULL, "8", "{}");
	publish("agent_state", NULL, "7", "{}");
	ck_assert_msg(strstr(line_from(c2), "\"seq\":6"), "%s", got);
	ck_assert_str_eq(ask_on(c2, "{\"cmd\":\"unsubscribe\"}"), "{\"ok\":true,\"seq\":6}");
	publish("agent_state", NULL, "7", "{}");
	ck_assert_ptr_null(try_line(c2, 20));
	refused_on(c2, "{\"cmd\":\"subscribe\",\"events\":[\"weather\"]}", "bad_request",
		   "unknown event 'weather'");
	close(c2);
	close(c3);
}
END_TEST

START_TEST(test_cti_agents_never_see_other_agents_events)
{
	auth_on(cfd, "tok-alice");
	ck_reply("{\"cmd\":\"subscribe\",\"queues\":[\"sales\"],\"agents\":[\"1001\"]}",
		 "{\"ok\":true,\"seq\":0}");
	publish("call_offered", "sales", "1002", "{\"customer\":{\"name\":\"X\"}}");
	publish("call_queued", "sales", NULL, "{}");
	publish("call_offered", "sales", "1001", "{}");
	ck_assert_msg(strstr(line_from(cfd), "\"seq\":2"), "%s", got);
	ck_assert_msg(strstr(line_from(cfd), "\"seq\":3"), "%s", got);
	ck_assert_ptr_null(try_line(cfd, 20));
}
END_TEST

START_TEST(test_cti_publish_refuses_unknown_types_and_bad_objects)
{
	ck_assert_int_eq(publish("weather", NULL, NULL, "{}"), -EINVAL);
	ck_assert_int_eq(publish("call_ended", NULL, NULL, "[1]"), -EINVAL);
	ck_assert_int_eq(publish("call_ended", NULL, NULL, "{\"a\":1}\n{}"), -EINVAL);
	ck_assert_uint_eq(cti_seq(cti), 0);
	ck_assert_int_eq(publish("call_ended", NULL, NULL, " {\"a\":1} "), 1);
}
END_TEST

START_TEST(test_cti_resync_replays_the_events_since)
{
	unsigned int i;

	auth_on(cfd, "s3cret-sup");
	for (i = 0; i < 6; i++)
		publish("call_queued", i % 2 ? "sales" : "support", NULL, "{}");
	ck_reply("{\"cmd\":\"subscribe\",\"queues\":[\"sales\"]}", "{\"ok\":true,\"seq\":6}");
	ck_reply("{\"cmd\":\"resync\",\"since\":2,\"id\":5}",
		 "{\"ok\":true,\"id\":5,\"seq\":6,\"gap\":false,\"snapshot\":{\"for\":\"sup\"}}");
	/* the kept events after 2 that pass the filter, then nothing */
	ck_assert_msg(strstr(line_from(cfd), "\"seq\":4"), "%s", got);
	ck_assert_msg(strstr(line_from(cfd), "\"seq\":6"), "%s", got);
	ck_assert_ptr_null(try_line(cfd, 10));
	ck_assert_uint_eq(fake.snapshots, 1);
	/* nothing new */
	ck_reply("{\"cmd\":\"resync\",\"since\":6}",
		 "{\"ok\":true,\"seq\":6,\"gap\":false,\"snapshot\":{\"for\":\"sup\"}}");
	ck_assert_ptr_null(try_line(cfd, 10));
	refused("{\"cmd\":\"resync\",\"since\":7}", "bad_request", "ahead");
	refused("{\"cmd\":\"resync\"}", "bad_request", "missing field 'since'");
	refused("{\"cmd\":\"resync\",\"since\":-1}", "bad_request", "0 or more");
}
END_TEST

START_TEST(test_cti_resync_older_than_the_history_gives_a_snapshot_and_a_gap)
{
	unsigned int i;

	auth_on(cfd, "s3cret-sup");
	for (i = 0; i < 20; i++)	/* history keeps 8: 13..20 */
		publish("call_queued", "sales", NULL, "{}");
	ck_reply("{\"cmd\":\"resync\",\"since\":4}",
		 "{\"ok\":true,\"seq\":20,\"gap\":true,\"snapshot\":{\"for\":\"sup\"}}");
	ck_assert_ptr_null(try_line(cfd, 10));
	/* the oldest kept is 13: since 12 is complete */
	ck_reply("{\"cmd\":\"resync\",\"since\":12}",
		 "{\"ok\":true,\"seq\":20,\"gap\":false,\"snapshot\":{\"for\":\"sup\"}}");
	for (i = 13; i <= 20; i++) {
		char want[32];

		snprintf(want, sizeof(want), "\"seq\":%u,", i);
		ck_assert_msg(strstr(line_from(cfd), want), "want %s got %s", want, got);
	}
	ck_assert_ptr_null(try_line(cfd, 10));
}
END_TEST

/* drain @fd completely, pumping the loop; return the "lost" line seen */
static void read_all(int fd, uint64_t *last_seq, char *lost, size_t lostlen)
{
	const char *l;
	const char *s;

	while ((l = try_line(fd, 50))) {
		if (strstr(l, "\"event\":\"lost\"")) {
			snprintf(lost, lostlen, "%s", l);
			continue;
		}
		s = strstr(l, "\"seq\":");
		ck_assert_ptr_nonnull(s);
		*last_seq = strtoull(s + 6, NULL, 10);
	}
}

START_TEST(test_cti_slow_client_loses_events_and_is_told_how_to_resync)
{
	char lost[256] = "", want[128];
	uint64_t last = 0, first_lost, i;
	int small = 4096;
	double t0, worst = 0, t;

	teardown();
	setup_with(100000, 8192);
	ck_assert_int_eq(setsockopt(cfd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)), 0);
	auth_on(cfd, "s3cret-sup");
	ck_reply("{\"cmd\":\"subscribe\"}", "{\"ok\":true,\"seq\":0}");
	/* the client reads nothing while 20,000 events are published */
	for (i = 0; i < 20000; i++) {
		t0 = now_ms();
		ck_assert_int_eq(publish("call_queued", "sales", NULL,
					 "{\"call\":\"c-0123456789\",\"caller\":\"+8613800138000\"}"),
				 (int64_t)i + 1);
		loop_run_once(loop, 0);
		t = now_ms() - t0;
		worst = t > worst ? t : worst;
	}
	/* the loop never waited for the client (generous: a loaded machine) */
	ck_assert_msg(worst < 500, "a publish took %.1f ms", worst);
	read_all(cfd, &last, lost, sizeof(lost));
	ck_assert_msg(lost[0], "no lost notice (last seq %llu)", (unsigned long long)last);
	first_lost = strtoull(strstr(lost, "\"first\":") + 8, NULL, 10);
	ck_assert_uint_gt(first_lost, 1);
	snprintf(want, sizeof(want), "\"resync_since\":%llu}", (unsigned long long)first_lost - 1);
	ck_assert_msg(strstr(lost, want), "%s (want %s)", lost, want);
	/* the events after the notice keep flowing */
	publish("call_ended", "sales", NULL, "{}");
	ck_assert_msg(strstr(line_from(cfd), "\"seq\":20001"), "%s", got);
	/* and resync fills the gap from the history */
	snprintf(want, sizeof(want), "{\"cmd\":\"resync\",\"since\":%llu}",
		 (unsigned long long)first_lost - 1);
	ck_assert_msg(strstr(ask(want), "\"gap\":false"), "%s", got);
	snprintf(want, sizeof(want), "\"seq\":%llu,", (unsigned long long)first_lost);
	ck_assert_msg(strstr(line_from(cfd), want), "want %s got %s", want, got);
}
END_TEST

/* ------------------------------------------------------------ listeners */

START_TEST(test_cti_serves_tcp_and_unix_clients)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	char path[64];
	unsigned int port = 0;
	int fd;

	ck_assert_int_eq(cti_listen_tcp(cti, "127.0.0.1", 0, &port), 0);
	ck_assert_uint_ne(port, 0);
	ck_assert_int_eq(cti_listen_tcp(cti, "localhost", 0, NULL), -EINVAL);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	auth_on(fd, "tok-bob");
	ck_assert_str_eq(ask_on(fd, "{\"cmd\":\"agent_login\"}"), "{\"ok\":true}");
	ck_assert_str_eq(fake.agent, "bob");
	close(fd);

	snprintf(path, sizeof(path), "/tmp/test-cti-%d.sock", (int)getpid());
	ck_assert_int_eq(cti_listen_unix(cti, path, (uid_t)-1, (gid_t)-1), 0);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	{
		struct sockaddr_un su = { .sun_family = AF_UNIX };

		snprintf(su.sun_path, sizeof(su.sun_path), "%s", path);
		ck_assert_int_eq(connect(fd, (struct sockaddr *)&su, sizeof(su)), 0);
	}
	auth_on(fd, "s3cret-sup");
	close(fd);
}
END_TEST

START_TEST(test_cti_refuses_bad_token_configuration)
{
	struct cti_backend be = { fake_handle, fake_snapshot, &fake };
	struct cti_token bad = { .name = "x", .secret = "", .role = CTI_ROLE_ADMIN };
	struct cti_config cfg = { .tokens = &bad, .ntokens = 1 };
	int err = 0;

	ck_assert_ptr_null(cti_create(loop, LOOP_OP_USER2, &cfg, &be, &err));
	ck_assert_int_eq(err, -EINVAL);
	snprintf(bad.secret, sizeof(bad.secret), "ok");
	bad.role = 0;
	ck_assert_ptr_null(cti_create(loop, LOOP_OP_USER2, &cfg, &be, &err));
	ck_assert_int_eq(cti_role_parse("supervisor", &bad.role), 0);
	ck_assert_int_eq(bad.role, CTI_ROLE_SUPERVISOR);
	ck_assert_int_eq(cti_role_parse("boss", &bad.role), -EINVAL);
}
END_TEST

static Suite *cti_suite(void)
{
	Suite *s = suite_create("tdmxd_cti");
	TCase *tc = tcase_create("cti");

	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_cti_requests_before_auth_are_refused);
	tcase_add_test(tc, test_cti_agent_token_names_its_agent);
	tcase_add_test(tc, test_cti_wrong_token_is_answered_after_a_growing_delay);
	tcase_add_test(tc, test_cti_requests_during_the_auth_delay_wait_in_order);
	tcase_add_test(tc, test_cti_closing_during_the_auth_delay_is_safe);
	tcase_add_test(tc, test_cti_agent_token_acts_only_on_its_own_agent);
	tcase_add_test(tc, test_cti_supervisor_media_commands_are_reserved);
	tcase_add_test(tc, test_cti_every_agent_command_reaches_the_backend);
	tcase_add_test(tc, test_cti_stats_take_a_queue_or_an_agent_and_a_window);
	tcase_add_test(tc, test_cti_acd_call_is_checked_for_admins);
	tcase_add_test(tc, test_cti_backend_errors_become_error_codes);
	tcase_add_test(tc, test_cti_protocol_errors_get_replies_and_the_connection_carries_on);
	tcase_add_test(tc, test_cti_lines_are_joined_across_reads);
	tcase_add_test(tc, test_cti_events_reach_subscribers_through_their_filters);
	tcase_add_test(tc, test_cti_agents_never_see_other_agents_events);
	tcase_add_test(tc, test_cti_publish_refuses_unknown_types_and_bad_objects);
	tcase_add_test(tc, test_cti_resync_replays_the_events_since);
	tcase_add_test(tc, test_cti_resync_older_than_the_history_gives_a_snapshot_and_a_gap);
	tcase_add_test(tc, test_cti_slow_client_loses_events_and_is_told_how_to_resync);
	tcase_add_test(tc, test_cti_serves_tcp_and_unix_clients);
	tcase_add_test(tc, test_cti_refuses_bad_token_configuration);
	suite_add_tcase(s, tc);
	return s;
}

TDMX_CHECK_MAIN(cti_suite)
