// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd control socket over a socketpair, against a fake media backend:
 * requests are parsed and checked into struct ctl_req; bad JSON, unknown
 * commands, missing or wrong fields and backend errors get error replies
 * and the connection carries on; replies come in order with their id;
 * events reach only the connections that asked for them; a deferred
 * reply holds the connection's next request back until it is sent.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "unit.h"
#include "ctl.h"
#include "dchan.h"
#include "log.h"
#include "loop.h"

/* ------------------------------------------------------- fake backend */

struct fake {
	unsigned int calls;
	struct ctl_req last;
	char conf[64], prompts[CTL_MAX_PROMPTS][64], tone[64], call[64], rec[64];
	int ret;		/* what handle() returns */
	const char *msg;	/* with this error message (NULL: none) */
	unsigned int closed;
	uint64_t closed_conn;
	bool defer;		/* "stop" answers later */
	uint8_t frame[DCHAN_FRAME_MAX];	/* hdlc_send's payload */
	struct ctl_defer *d;
};

static struct fake fake;

static void keep(char *dst, const char *s)
{
	snprintf(dst, 64, "%s", s ? s : "");
}

static int fake_handle(void *priv, const struct ctl_req *q, struct ctl_reply *r)
{
	struct fake *f = priv;
	unsigned int i;

	f->calls++;
	f->last = *q;
	keep(f->conf, q->conf);
	keep(f->tone, q->tone);
	keep(f->call, q->call);
	keep(f->rec, q->rec);
	for (i = 0; i < q->nprompts; i++)
		keep(f->prompts[i], q->prompts[i]);
	if (q->frame)
		memcpy(f->frame, q->frame, q->frame_len);
	if (f->defer && q->cmd == CTL_STOP) {
		f->d = ctl_reply_defer(r);
		return f->d ? CTL_DEFERRED : -ENOMEM;
	}
	if (f->msg)
		return ctl_reply_error(r, f->ret, "%s", f->msg);
	if (f->ret)
		return f->ret;
	if (q->cmd == CTL_STATUS)
		tdmx_json_uint(ctl_reply_json(r), "spans", 7);
	if (q->cmd == CTL_RECORD_START)
		tdmx_json_str(ctl_reply_json(r), "rec", q->rec ? q->rec : "r1");
	return 0;
}

static void fake_closed(void *priv, uint64_t conn)
{
	struct fake *f = priv;

	f->closed++;
	f->closed_conn = conn;
}

/* -------------------------------------------------------------- harness */

static struct loop *loop;
static struct ctl *ctl;
static int cfd;			/* the client's end */
static char got[8192];

static void setup(void)
{
	struct ctl_backend be = { fake_handle, fake_closed, &fake };
	int sv[2], err;

	memset(&fake, 0, sizeof(fake));
	log_set_level(LOG_ERR);
	loop = loop_create("test", &err);
	ck_assert_msg(loop, "io_uring: %s", strerror(-err));
	ctl = ctl_create(loop, &be);
	ck_assert_ptr_nonnull(ctl);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	ck_assert_int_eq(ctl_adopt(ctl, sv[0]), 0);
	cfd = sv[1];
}

static void teardown(void)
{
	ctl_shutdown(ctl);
	loop_run_once(loop, 10);
	loop_destroy(loop);
	ctl_destroy(ctl);
	if (cfd >= 0)
		close(cfd);
}

static void send_text(int fd, const char *text)
{
	size_t n = strlen(text);

	ck_assert_int_eq(write(fd, text, n), (ssize_t)n);
}

/* pump the loop until @fd has a whole line; return it (without newline) */
static const char *line_from(int fd)
{
	static char buf[8192];
	static size_t len;
	static int buf_fd = -1;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char *nl;
	ssize_t n;
	int i;

	if (buf_fd != fd) {
		buf_fd = fd;
		len = 0;
	}
	for (i = 0; i < 400; i++) {
		nl = memchr(buf, '\n', len);
		if (nl) {
			*nl = 0;
			snprintf(got, sizeof(got), "%s", buf);
			len -= (size_t)(nl + 1 - buf);
			memmove(buf, nl + 1, len);
			return got;
		}
		loop_run_once(loop, 5);
		if (poll(&p, 1, 0) == 1 && (p.revents & POLLIN)) {
			n = read(fd, buf + len, sizeof(buf) - 1 - len);
			if (n > 0)
				len += (size_t)n;
		}
	}
	ck_abort_msg("no reply line within 2 s (have %zu bytes)", len);
	return NULL;
}

static const char *ask(const char *req)
{
	char line[CTL_LINE_MAX + 16];

	snprintf(line, sizeof(line), "%s\n", req);
	send_text(cfd, line);
	return line_from(cfd);
}

#define ck_reply(req, want) ck_assert_str_eq(ask(req), want)

/* the request gets an error reply containing @what, and the next request works */
static void refused(const char *req, const char *what)
{
	const char *r = ask(req);

	ck_assert_msg(!strncmp(r, "{\"ok\":false", 11), "'%s' got '%s'", req, r);
	ck_assert_msg(strstr(r, what), "'%s' got '%s', not '%s'", req, r, what);
	ck_reply("{\"cmd\":\"status\"}", "{\"ok\":true,\"spans\":7}");
}

/* ----------------------------------------------------------------- tests */

START_TEST(test_ctl_bridge_reaches_the_backend_with_ports)
{
	ck_reply("{\"cmd\":\"bridge\",\"a\":\"1/5\",\"b\":\"2/7\"}", "{\"ok\":true}");
	ck_assert_uint_eq(fake.calls, 1);
	ck_assert_int_eq(fake.last.cmd, CTL_BRIDGE);
	ck_assert_uint_eq(fake.last.a, media_port_of(1, 5));
	ck_assert_uint_eq(fake.last.b, media_port_of(2, 7));
	ck_assert_uint_ne(fake.last.conn, 0);
	ck_reply("{\"cmd\":\"unbridge\",\"a\":\"2/7\",\"id\":42}", "{\"ok\":true,\"id\":42}");
	ck_assert_int_eq(fake.last.cmd, CTL_UNBRIDGE);
	ck_assert_uint_eq(fake.last.a, media_port_of(2, 7));
	ck_reply("{\"cmd\":\"unbridge\",\"port\":\"128/31\",\"id\":\"x\"}",
		 "{\"ok\":true,\"id\":\"x\"}");
	ck_assert_uint_eq(fake.last.a, media_port_of(128, 31));
}
END_TEST

START_TEST(test_ctl_bad_json_gets_an_error_and_the_connection_carries_on)
{
	refused("garbage", "bad JSON: column 1");
	refused("{\"cmd\":\"status\"", "bad JSON");
	refused("{\"cmd\":\"status\",}", "bad JSON");
	refused("[1,2]", "bad JSON");
	refused("{\"cmd\":{\"nested\":1}}", "bad JSON");
	ck_assert_uint_eq(fake.calls, 5);	/* only the status requests */
}
END_TEST

START_TEST(test_ctl_unknown_command_and_fields_are_refused)
{
	refused("{\"cmd\":\"explode\"}", "unknown command 'explode'");
	refused("{\"command\":\"status\"}", "missing field 'cmd'");
	refused("{\"cmd\":5}", "field 'cmd' must be a string");
	refused("{\"cmd\":\"bridge\",\"a\":\"1/5\",\"b\":\"2/5\",\"c\":\"3/5\"}",
		"unknown field 'c'");
	refused("{\"cmd\":\"status\",\"verbose\":true}", "unknown field 'verbose'");
	ck_assert_uint_eq(fake.calls, 5);
}
END_TEST

START_TEST(test_ctl_missing_and_wrong_fields_are_refused)
{
	refused("{\"cmd\":\"bridge\",\"a\":\"1/5\"}", "missing field 'b'");
	refused("{\"cmd\":\"bridge\",\"a\":5,\"b\":\"2/5\"}", "field 'a' must be a string");
	refused("{\"cmd\":\"bridge\",\"a\":\"1/32\",\"b\":\"2/5\"}", "'1/32' is not a port");
	refused("{\"cmd\":\"bridge\",\"a\":\"0/5\",\"b\":\"2/5\"}", "'0/5' is not a port");
	refused("{\"cmd\":\"bridge\",\"a\":\"1/0\",\"b\":\"2/5\"}", "'1/0' is not a port");
	refused("{\"cmd\":\"bridge\",\"a\":\"129/1\",\"b\":\"2/5\"}", "is not a port");
	refused("{\"cmd\":\"bridge\",\"a\":\"1/5x\",\"b\":\"2/5\"}", "is not a port");
	refused("{\"cmd\":\"bridge\",\"a\":\"/5\",\"b\":\"2/5\"}", "is not a port");
	refused("{\"cmd\":\"bridge\",\"a\":\"1/5\",\"b\":\"1/5\"}", "bridged to itself");
	refused("{\"cmd\":\"supervise\",\"supervisor\":\"1/1\",\"agent\":\"1/2\",\"mode\":\"spy\"}",
		"must be none, listen, whisper or barge, not 'spy'");
	refused("{\"cmd\":\"conf_join\",\"port\":\"1/1\"}", "missing field 'conf'");
	refused("{\"cmd\":\"conf_join\",\"conf\":\"\",\"port\":\"1/1\"}", "must not be empty");
	refused("{\"cmd\":\"play\",\"port\":\"1/1\"}", "either 'prompt' or 'tone'");
	refused("{\"cmd\":\"play\",\"port\":\"1/1\",\"prompt\":\"a\",\"tone\":\"busy\"}",
		"either 'prompt' or 'tone'");
	refused("{\"cmd\":\"play\",\"port\":\"1/1\",\"prompt\":[\"a\",3]}", "item 2");
	refused("{\"cmd\":\"play\",\"port\":\"1/1\",\"tone\":\"busy\",\"loop\":1}",
		"field 'loop' must be true or false");
	refused("{\"cmd\":\"record_stop\"}", "missing field 'rec'");
	refused("{\"cmd\":\"record_stop\",\"rec\":\"../x\"}", "not a recording id");
	refused("{\"cmd\":\"record_start\",\"conf\":\"c\",\"a\":\"1/1\",\"b\":\"1/2\"}", "not both");
	refused("{\"cmd\":\"record_start\",\"conf\":\"c\",\"format\":\"stereo\"}",
		"needs 'a': the member on the left channel");
	refused("{\"cmd\":\"record_start\",\"a\":\"1/1\",\"format\":\"5.1\"}",
		"must be stereo or mono");
	ck_assert_uint_eq(fake.calls, 21);	/* the status requests only */
}
END_TEST

START_TEST(test_ctl_requests_are_checked_into_their_fields)
{
	ck_reply("{\"cmd\":\"play\",\"port\":\"3/4\",\"prompt\":[\"hello\",\"menu\"],\"loop\":true,\"bargein\":true}",
		 "{\"ok\":true}");
	ck_assert_int_eq(fake.last.cmd, CTL_PLAY);
	ck_assert_uint_eq(fake.last.nprompts, 2);
	ck_assert_str_eq(fake.prompts[0], "hello");
	ck_assert_str_eq(fake.prompts[1], "menu");
	ck_assert(fake.last.loop && fake.last.bargein);
	ck_reply("{\"cmd\":\"play\",\"port\":\"3/4\",\"tone\":\"ringback\"}", "{\"ok\":true}");
	ck_assert_str_eq(fake.tone, "ringback");
	ck_assert(!fake.last.loop && !fake.last.bargein && !fake.last.nprompts);
	ck_reply("{\"cmd\":\"supervise\",\"supervisor\":\"1/1\",\"agent\":\"1/2\",\"mode\":\"whisper\"}",
		 "{\"ok\":true}");
	ck_assert_uint_eq(fake.last.mode, CTL_SUP_WHISPER);
	ck_assert_uint_eq(fake.last.b, media_port_of(1, 2));
	ck_reply("{\"cmd\":\"conf_join\",\"conf\":\"sales\",\"port\":\"2/3\"}", "{\"ok\":true}");
	ck_assert_str_eq(fake.conf, "sales");
	ck_assert_uint_eq(fake.last.mode, CTL_CONF_TALK);
	ck_reply("{\"cmd\":\"conf_mode\",\"port\":\"2/3\",\"mode\":\"listen\"}", "{\"ok\":true}");
	ck_assert_uint_eq(fake.last.mode, CTL_CONF_LISTEN);
	ck_reply("{\"cmd\":\"record_start\",\"a\":\"1/5\",\"b\":\"2/5\",\"call\":\"c-9\"}",
		 "{\"ok\":true,\"rec\":\"r1\"}");
	ck_assert(fake.last.stereo && !fake.last.pcm16);
	ck_assert_str_eq(fake.call, "c-9");
	ck_reply("{\"cmd\":\"record_start\",\"conf\":\"sales\",\"format\":\"mono\",\"encoding\":\"pcm16\",\"rec\":\"my-1\"}",
		 "{\"ok\":true,\"rec\":\"my-1\"}");
	ck_assert(!fake.last.stereo && fake.last.pcm16);
	ck_reply("{\"cmd\":\"record_start\",\"conf\":\"sales\",\"a\":\"2/3\",\"format\":\"stereo\",\"rec\":\"my-2\"}",
		 "{\"ok\":true,\"rec\":\"my-2\"}");
	ck_assert(fake.last.stereo && !fake.last.pcm16);
	ck_assert_uint_eq(fake.last.a, media_port_of(2, 3));
	ck_reply("{\"cmd\":\"record_start\",\"conf\":\"sales\",\"rec\":\"my-3\"}",
		 "{\"ok\":true,\"rec\":\"my-3\"}");
	ck_assert_msg(!fake.last.stereo, "a conference records mono unless told");
	ck_reply("{\"cmd\":\"record_pause\",\"rec\":\"my-1\"}", "{\"ok\":true}");
	ck_assert_int_eq(fake.last.cmd, CTL_RECORD_PAUSE);
	ck_assert_str_eq(fake.rec, "my-1");
}
END_TEST

START_TEST(test_ctl_backend_errors_become_error_replies)
{
	fake.ret = -EBUSY;
	fake.msg = "span1/ts5 is already bridged";
	ck_reply("{\"cmd\":\"bridge\",\"a\":\"1/5\",\"b\":\"2/5\",\"id\":7}",
		 "{\"ok\":false,\"id\":7,\"error\":\"span1/ts5 is already bridged\"}");
	fake.msg = NULL;
	fake.ret = -ENODEV;
	ck_reply("{\"cmd\":\"stop\",\"port\":\"1/5\"}", "{\"ok\":false,\"error\":\"No such device\"}");
	fake.ret = 0;
	ck_reply("{\"cmd\":\"status\"}", "{\"ok\":true,\"spans\":7}");
}
END_TEST

START_TEST(test_ctl_lines_are_split_and_joined_across_reads)
{
	send_text(cfd, "{\"cmd\":\"status\",\"id\":1}\n{\"cmd\":\"nope\",\"id\":2}\n\n{\"cmd\":\"sta");
	ck_assert_str_eq(line_from(cfd), "{\"ok\":true,\"id\":1,\"spans\":7}");
	ck_assert_str_eq(line_from(cfd), "{\"ok\":false,\"id\":2,\"error\":\"unknown command 'nope'\"}");
	send_text(cfd, "tus\",\"id\":3}\r\n");
	ck_assert_str_eq(line_from(cfd), "{\"ok\":true,\"id\":3,\"spans\":7}");
}
END_TEST

START_TEST(test_ctl_too_long_line_is_refused_once)
{
	static char big[3 * CTL_LINE_MAX];

	memset(big, 'x', sizeof(big) - 2);
	big[sizeof(big) - 2] = '\n';
	send_text(cfd, big);
	ck_assert_str_eq(line_from(cfd), "{\"ok\":false,\"error\":\"line too long\"}");
	ck_reply("{\"cmd\":\"status\"}", "{\"ok\":true,\"spans\":7}");
}
END_TEST

START_TEST(test_ctl_dtmf_events_go_to_subscribers_only)
{
	int sv[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	ck_assert_int_eq(ctl_adopt(ctl, sv[0]), 0);
	ck_reply("{\"cmd\":\"dtmf_subscribe\",\"port\":\"1/5\"}", "{\"ok\":true}");
	ck_assert_int_eq(fake.last.cmd, CTL_DTMF_SUBSCRIBE);
	/* the other connection subscribes to another port */
	send_text(sv[1], "{\"cmd\":\"dtmf_subscribe\",\"port\":\"1/6\"}\n");
	ck_assert_str_eq(line_from(sv[1]), "{\"ok\":true}");
	ck_assert_int_eq(ctl_event(ctl, CTL_EV_DTMF, media_port_of(1, 5), 0,
				   "{\"event\":\"dtmf\",\"port\":\"1/5\",\"digit\":\"7\"}"), 0);
	ck_assert_int_eq(ctl_event(ctl, CTL_EV_DTMF, media_port_of(1, 6), 0,
				   "{\"event\":\"dtmf\",\"port\":\"1/6\",\"digit\":\"#\"}"), 0);
	ck_assert_str_eq(line_from(cfd), "{\"event\":\"dtmf\",\"port\":\"1/5\",\"digit\":\"7\"}");
	ck_assert_str_eq(line_from(sv[1]), "{\"event\":\"dtmf\",\"port\":\"1/6\",\"digit\":\"#\"}");
	/* an event for one connection: the first one's id is 1 */
	ck_assert_int_eq(ctl_event(ctl, CTL_EV_CONN, 0, 1, "{\"event\":\"play_done\"}"), 0);
	ck_assert_str_eq(line_from(cfd), "{\"event\":\"play_done\"}");
	ck_reply("{\"cmd\":\"dtmf_unsubscribe\",\"port\":\"1/5\"}", "{\"ok\":true}");
	ck_assert_int_eq(ctl_event(ctl, CTL_EV_DTMF, media_port_of(1, 5), 0,
				   "{\"event\":\"dtmf\",\"port\":\"1/5\",\"digit\":\"8\"}"), 0);
	ck_reply("{\"cmd\":\"status\"}", "{\"ok\":true,\"spans\":7}");	/* no event before it */
	ck_assert_uint_eq(ctl_conns(ctl), 2);
	close(sv[1]);
	while (ctl_conns(ctl) == 2)
		loop_run_once(loop, 5);
	ck_assert_uint_eq(fake.closed, 1);
	ck_assert_uint_eq(fake.closed_conn, 2);
}
END_TEST

START_TEST(test_ctl_progress_events_go_to_progress_subscribers_only)
{
	int sv[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	ck_assert_int_eq(ctl_adopt(ctl, sv[0]), 0);
	ck_reply("{\"cmd\":\"progress_subscribe\",\"port\":\"1/5\"}", "{\"ok\":true}");
	ck_assert_int_eq(fake.last.cmd, CTL_PROGRESS_SUBSCRIBE);
	ck_assert_uint_eq(fake.last.a, media_port_of(1, 5));
	/* the other connection listens to the same port's digits, not its progress */
	send_text(sv[1], "{\"cmd\":\"dtmf_subscribe\",\"port\":\"1/5\"}\n");
	ck_assert_str_eq(line_from(sv[1]), "{\"ok\":true}");
	ck_assert_int_eq(ctl_event(ctl, CTL_EV_PROGRESS, media_port_of(1, 5), 0,
				   "{\"event\":\"progress\",\"port\":\"1/5\",\"tone\":\"busy\"}"), 0);
	ck_assert_int_eq(ctl_event(ctl, CTL_EV_DTMF, media_port_of(1, 5), 0,
				   "{\"event\":\"dtmf\",\"port\":\"1/5\",\"digit\":\"1\"}"), 0);
	ck_assert_str_eq(line_from(cfd), "{\"event\":\"progress\",\"port\":\"1/5\",\"tone\":\"busy\"}");
	ck_assert_str_eq(line_from(sv[1]), "{\"event\":\"dtmf\",\"port\":\"1/5\",\"digit\":\"1\"}");
	/* the first connection did not get the digit: its next line is a reply */
	ck_reply("{\"cmd\":\"progress_unsubscribe\",\"port\":\"1/5\"}", "{\"ok\":true}");
	ck_assert_int_eq(fake.last.cmd, CTL_PROGRESS_UNSUBSCRIBE);
	ck_assert_int_eq(ctl_event(ctl, CTL_EV_PROGRESS, media_port_of(1, 5), 0,
				   "{\"event\":\"progress\",\"port\":\"1/5\",\"tone\":\"none\"}"), 0);
	ck_reply("{\"cmd\":\"status\"}", "{\"ok\":true,\"spans\":7}");	/* no event before it */
	close(sv[1]);
}
END_TEST

START_TEST(test_ctl_progress_subscribe_checks_the_port)
{
	refused("{\"cmd\":\"progress_subscribe\"}", "port");
	refused("{\"cmd\":\"progress_subscribe\",\"port\":\"1/32\"}", "port");
	refused("{\"cmd\":\"progress_subscribe\",\"port\":7}", "port");
	refused("{\"cmd\":\"progress_unsubscribe\",\"port\":\"1/5\",\"tone\":\"busy\"}", "tone");
	ck_assert_uint_eq(fake.calls, 4);	/* only the status requests of refused() */
}
END_TEST

START_TEST(test_ctl_replies_are_sent_before_closing_after_eof)
{
	send_text(cfd, "{\"cmd\":\"status\",\"id\":9}\n");
	ck_assert_int_eq(shutdown(cfd, SHUT_WR), 0);
	ck_assert_str_eq(line_from(cfd), "{\"ok\":true,\"id\":9,\"spans\":7}");
	while (ctl_conns(ctl))
		loop_run_once(loop, 5);
	ck_assert_uint_eq(fake.closed, 1);
}
END_TEST

/* pump the loop for a while; Return: whether the client has bytes to read */
static bool quiet_for(int ms)
{
	struct pollfd p = { .fd = cfd, .events = POLLIN };
	int i;

	for (i = 0; i < ms / 5; i++)
		loop_run_once(loop, 5);
	return poll(&p, 1, 0) == 0;
}

START_TEST(test_ctl_deferred_replies_keep_the_order)
{
	fake.defer = true;
	send_text(cfd, "{\"cmd\":\"stop\",\"port\":\"1/1\",\"id\":\"s1\"}\n{\"cmd\":\"status\",\"id\":2}\n");
	ck_assert(quiet_for(100));	/* status waits behind the deferred stop */
	ck_assert_ptr_nonnull(fake.d);
	ck_assert_uint_eq(fake.calls, 1);
	ctl_defer_done(fake.d, 0, NULL, "\"play\":3");
	ck_assert_str_eq(line_from(cfd), "{\"ok\":true,\"id\":\"s1\",\"play\":3}");
	ck_assert_str_eq(line_from(cfd), "{\"ok\":true,\"id\":2,\"spans\":7}");
	fake.d = NULL;
	send_text(cfd, "{\"cmd\":\"stop\",\"port\":\"1/1\"}\n");
	ck_assert(quiet_for(50));
	ck_assert_ptr_nonnull(fake.d);
	ctl_defer_done(fake.d, -ENOENT, "span1/ts1 plays nothing", NULL);
	ck_assert_str_eq(line_from(cfd), "{\"ok\":false,\"error\":\"span1/ts1 plays nothing\"}");
	fake.d = NULL;
	send_text(cfd, "{\"cmd\":\"stop\",\"port\":\"1/1\"}\n");
	ck_assert(quiet_for(50));
	ctl_defer_done(fake.d, -EBUSY, NULL, NULL);
	ck_assert_str_eq(line_from(cfd), "{\"ok\":false,\"error\":\"Device or resource busy\"}");
}
END_TEST

START_TEST(test_ctl_deferred_reply_to_a_closed_connection_is_dropped)
{
	fake.defer = true;
	send_text(cfd, "{\"cmd\":\"stop\",\"port\":\"1/1\"}\n");
	ck_assert(quiet_for(50));
	ck_assert_ptr_nonnull(fake.d);
	close(cfd);
	cfd = -1;
	/* noticed once the reply goes out (nothing is read while waiting) */
	ctl_defer_done(fake.d, 0, NULL, NULL);
	while (ctl_conns(ctl))
		loop_run_once(loop, 5);
	ck_assert_uint_eq(fake.closed, 1);
}
END_TEST

START_TEST(test_ctl_port_text_round_trips)
{
	media_port p;
	char buf[16];

	ck_assert_int_eq(ctl_port_parse("12/31", &p), 0);
	ck_assert_str_eq(ctl_port_text(buf, p), "12/31");
	ck_assert_int_eq(ctl_port_parse("1/ 5", &p), -EINVAL);
	ck_assert_int_eq(ctl_port_parse("-1/5", &p), -EINVAL);
	ck_assert_int_eq(ctl_port_parse("", &p), -EINVAL);
	ck_assert_str_eq(ctl_cmd_name(CTL_RECORD_RESUME), "record_resume");
}
END_TEST

START_TEST(test_ctl_hdlc_send_decodes_the_frame_for_the_backend)
{
	char req[CTL_LINE_MAX];
	int n, i;

	ck_reply("{\"cmd\":\"hdlc_send\",\"port\":\"1/16\",\"frame\":\"0001Fe7e\"}",
		 "{\"ok\":true}");
	ck_assert_int_eq(fake.last.cmd, CTL_HDLC_SEND);
	ck_assert_uint_eq(fake.last.a, media_port_of(1, 16));
	ck_assert_uint_eq(fake.last.frame_len, 4);
	ck_assert_uint_eq(fake.frame[0], 0x00);
	ck_assert_uint_eq(fake.frame[1], 0x01);
	ck_assert_uint_eq(fake.frame[2], 0xfe);
	ck_assert_uint_eq(fake.frame[3], 0x7e);
	/* the longest frame fits in a request line */
	n = snprintf(req, sizeof(req), "{\"cmd\":\"hdlc_send\",\"port\":\"2/16\",\"frame\":\"");
	for (i = 0; i < DCHAN_FRAME_MAX; i++)
		n += snprintf(req + n, sizeof(req) - (size_t)n, "%02x", i & 0xff);
	snprintf(req + n, sizeof(req) - (size_t)n, "\"}");
	ck_reply(req, "{\"ok\":true}");
	ck_assert_uint_eq(fake.last.frame_len, DCHAN_FRAME_MAX);
	ck_assert_uint_eq(fake.frame[DCHAN_FRAME_MAX - 1], (DCHAN_FRAME_MAX - 1) & 0xff);
}
END_TEST

START_TEST(test_ctl_hdlc_send_refuses_bad_frames_without_calling_the_backend)
{
	char req[CTL_LINE_MAX];
	int n, i;

	refused("{\"cmd\":\"hdlc_send\",\"port\":\"1/16\",\"frame\":\"0g\"}", "not hex");
	refused("{\"cmd\":\"hdlc_send\",\"port\":\"1/16\",\"frame\":\"abc\"}", "not hex");
	refused("{\"cmd\":\"hdlc_send\",\"port\":\"1/16\",\"frame\":\"\"}", "not hex");
	refused("{\"cmd\":\"hdlc_send\",\"port\":\"1/16\",\"frame\":17}", "frame");
	refused("{\"cmd\":\"hdlc_send\",\"port\":\"1/16\"}", "frame");
	refused("{\"cmd\":\"hdlc_send\",\"port\":\"1/32\",\"frame\":\"00\"}", "port");
	n = snprintf(req, sizeof(req), "{\"cmd\":\"hdlc_send\",\"port\":\"1/16\",\"frame\":\"");
	for (i = 0; i <= DCHAN_FRAME_MAX; i++)
		n += snprintf(req + n, sizeof(req) - (size_t)n, "00");
	snprintf(req + n, sizeof(req) - (size_t)n, "\"}");
	refused(req, "longer than");
	/* only the status requests of refused() reached it */
	ck_assert_int_eq(fake.last.cmd, CTL_STATUS);
	ck_assert_uint_eq(fake.calls, 7);
}
END_TEST

START_TEST(test_ctl_hdlc_events_go_to_hdlc_subscribers_only)
{
	int sv[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	ck_assert_int_eq(ctl_adopt(ctl, sv[0]), 0);
	ck_reply("{\"cmd\":\"hdlc_subscribe\",\"port\":\"1/16\"}", "{\"ok\":true}");
	ck_assert_int_eq(fake.last.cmd, CTL_HDLC_SUBSCRIBE);
	/* the other connection listens to the port's digits, not its frames */
	send_text(sv[1], "{\"cmd\":\"dtmf_subscribe\",\"port\":\"1/16\"}\n");
	ck_assert_str_eq(line_from(sv[1]), "{\"ok\":true}");
	ck_assert_int_eq(ctl_event(ctl, CTL_EV_HDLC, media_port_of(1, 16), 0,
				   "{\"event\":\"hdlc\",\"port\":\"1/16\",\"frame\":\"01\"}"), 0);
	ck_assert_str_eq(line_from(cfd), "{\"event\":\"hdlc\",\"port\":\"1/16\",\"frame\":\"01\"}");
	send_text(sv[1], "{\"cmd\":\"status\"}\n");
	ck_assert_str_eq(line_from(sv[1]), "{\"ok\":true,\"spans\":7}");	/* no event before it */
	ck_reply("{\"cmd\":\"hdlc_unsubscribe\",\"port\":\"1/16\"}", "{\"ok\":true}");
	ck_assert_int_eq(ctl_event(ctl, CTL_EV_HDLC, media_port_of(1, 16), 0,
				   "{\"event\":\"hdlc\",\"port\":\"1/16\",\"frame\":\"02\"}"), 0);
	ck_reply("{\"cmd\":\"status\"}", "{\"ok\":true,\"spans\":7}");
	close(sv[1]);
}
END_TEST

static Suite *ctl_suite(void)
{
	Suite *s = suite_create("tdmxd_ctl");
	TCase *tc = tcase_create("ctl");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_ctl_bridge_reaches_the_backend_with_ports);
	tcase_add_test(tc, test_ctl_bad_json_gets_an_error_and_the_connection_carries_on);
	tcase_add_test(tc, test_ctl_unknown_command_and_fields_are_refused);
	tcase_add_test(tc, test_ctl_missing_and_wrong_fields_are_refused);
	tcase_add_test(tc, test_ctl_requests_are_checked_into_their_fields);
	tcase_add_test(tc, test_ctl_backend_errors_become_error_replies);
	tcase_add_test(tc, test_ctl_lines_are_split_and_joined_across_reads);
	tcase_add_test(tc, test_ctl_too_long_line_is_refused_once);
	tcase_add_test(tc, test_ctl_dtmf_events_go_to_subscribers_only);
	tcase_add_test(tc, test_ctl_progress_events_go_to_progress_subscribers_only);
	tcase_add_test(tc, test_ctl_progress_subscribe_checks_the_port);
	tcase_add_test(tc, test_ctl_replies_are_sent_before_closing_after_eof);
	tcase_add_test(tc, test_ctl_deferred_replies_keep_the_order);
	tcase_add_test(tc, test_ctl_deferred_reply_to_a_closed_connection_is_dropped);
	tcase_add_test(tc, test_ctl_port_text_round_trips);
	tcase_add_test(tc, test_ctl_hdlc_send_decodes_the_frame_for_the_backend);
	tcase_add_test(tc, test_ctl_hdlc_send_refuses_bad_frames_without_calling_the_backend);
	tcase_add_test(tc, test_ctl_hdlc_events_go_to_hdlc_subscribers_only);
	suite_add_tcase(s, tc);
	return s;
}

TDMX_CHECK_MAIN(ctl_suite)
