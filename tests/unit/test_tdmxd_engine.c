// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd engine, driven through a real control connection (a socketpair)
 * on one loop that is also the media worker's: what the engine does when
 * no span wakes the worker. Spans are routed to the worker but never
 * attached, so nothing but the loop's own operations (the control socket,
 * queued calls, the recorder's ring fd) can make progress.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "config.h"
#include "ctl.h"
#include "dsp.h"
#include "engine.h"
#include "log.h"
#include "loop.h"

static struct loop *loop, *loop1;	/* worker 0 (and control), worker 1 */
static struct loop *loop2;		/* a third worker, for some tests */
static bool pump1 = true;		/* line_within() runs worker 1 */
static struct ctl *ctl;
static struct eng *eng;
static struct eng_group *grp, *grp1;
static struct cfg *cfg;
static char tmpdir[64];
static int cfd;
static char got[8192];

static void setup(void)
{
	struct ctl_backend be = { eng_ctl_handle, eng_ctl_conn_closed, NULL };
	int sv[2], err;

	log_set_level(LOG_ERR);
	ck_assert_int_eq(dsp_init(), 0);
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/tdmxd-eng-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	cfg = calloc(1, sizeof(*cfg));
	ck_assert_ptr_nonnull(cfg);
	cfg_defaults(cfg);
	snprintf(cfg->rec_dir, sizeof(cfg->rec_dir), "%s", tmpdir);
	snprintf(cfg->rec_db, sizeof(cfg->rec_db), "%s/index.db", tmpdir);
	ck_assert_int_eq(eng_create(&eng, cfg), 0);
	loop = loop_create("test", &err);
	ck_assert_msg(loop, "io_uring: %s", strerror(-err));
	grp = eng_group_create(eng, 0, loop, false);
	ck_assert_ptr_nonnull(grp);
	/* a second worker, pumped on this thread too */
	loop1 = loop_create("test1", &err);
	ck_assert_msg(loop1, "io_uring: %s", strerror(-err));
	grp1 = eng_group_create(eng, 1, loop1, false);
	ck_assert_ptr_nonnull(grp1);
	/* spans 1 and 2 belong to worker 0, span 4 to worker 1, but none
	 * ever delivers a block */
	eng_span_route(eng, 1, grp, MEDIA_ALAW, 10);
	eng_span_route(eng, 2, grp, MEDIA_ALAW, 10);
	eng_span_route(eng, 4, grp1, MEDIA_ALAW, 10);
	be.priv = eng;
	ctl = ctl_create(loop, &be);
	ck_assert_ptr_nonnull(ctl);
	eng_set_ctl(eng, ctl);
	eng_set_loop(eng, loop);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	ck_assert_int_eq(ctl_adopt(ctl, sv[0]), 0);
	cfd = sv[1];
}

static void teardown(void)
{
	char cmd[128];

	ctl_shutdown(ctl);
	loop_run_once(loop, 10);
	if (loop1)
		loop_run_once(loop1, 10);
	eng_group_destroy(grp1);
	eng_group_destroy(grp);
	if (loop1)
		loop_destroy(loop1);
	loop_destroy(loop);
	ctl_destroy(ctl);
	eng_destroy(eng);
	free(cfg);
	close(cfd);
	dsp_exit();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", tmpdir);
}

/* pump the loop until a whole line came; NULL after @ms without one */
static const char *line_within(unsigned int ms)
{
	static char buf[8192];
	static size_t len;
	struct pollfd p = { .fd = cfd, .events = POLLIN };
	unsigned int i;
	char *nl;
	ssize_t n;

	for (i = 0; i < ms / 5 + 1; i++) {
		nl = memchr(buf, '\n', len);
		if (nl) {
			*nl = 0;
			snprintf(got, sizeof(got), "%s", buf);
			len -= (size_t)(nl + 1 - buf);
			memmove(buf, nl + 1, len);
			return got;
		}
		loop_run_once(loop, 5);
		if (loop1 && pump1)
			loop_run_once(loop1, 0);
		if (loop2)
			loop_run_once(loop2, 0);
		if (poll(&p, 1, 0) == 1 && (p.revents & POLLIN)) {
			n = read(cfd, buf + len, sizeof(buf) - 1 - len);
			if (n > 0)
				len += (size_t)n;
		}
	}
	return NULL;
}

static const char *ask(const char *req)
{
	char line[CTL_LINE_MAX + 16];
	const char *r;
	size_t n;

	n = (size_t)snprintf(line, sizeof(line), "%s\n", req);
	ck_assert_int_eq(write(cfd, line, n), (ssize_t)n);
	r = line_within(2000);
	ck_assert_msg(r, "no reply to %s within 2 s", req);
	return r;
}

START_TEST(test_engine_recording_finishes_without_span_wakeups)
{
	char path[128];
	const char *r;
	struct stat st;

	r = ask("{\"cmd\":\"record_start\",\"a\":\"1/5\",\"b\":\"2/5\",\"rec\":\"idle1\"}");
	ck_assert_msg(!strncmp(r, "{\"ok\":true", 10), "record_start: %s", r);
	r = ask("{\"cmd\":\"record_stop\",\"rec\":\"idle1\"}");
	ck_assert_str_eq(r, "{\"ok\":true}");
	/* the file is opened, its header written and finalised, and the event
	 * sent, with no span ever waking the worker */
	r = line_within(3000);
	ck_assert_msg(r, "no record_done event without span wake-ups");
	ck_assert_msg(strstr(r, "\"event\":\"record_done\"") && strstr(r, "\"rec\":\"idle1\""),
		      "got %s", r);
	snprintf(path, sizeof(path), "%s/idle1.wav", tmpdir);
	ck_assert_int_eq(stat(path, &st), 0);
	/* a WAV header (44 bytes or more), no audio */
	ck_assert_int_ge(st.st_size, 44);
}
END_TEST

START_TEST(test_engine_commands_on_unattached_span_are_refused)
{
	const char *r = ask("{\"cmd\":\"bridge\",\"a\":\"1/5\",\"b\":\"3/5\"}");

	ck_assert_msg(strstr(r, "\"ok\":false") && strstr(r, "span 3 is not attached"), "got %s", r);
}
END_TEST

START_TEST(test_engine_progress_subscription_runs_one_detector_per_port)
{
	const char *r;

	ck_assert_str_eq(ask("{\"cmd\":\"progress_subscribe\",\"port\":\"1/5\"}"), "{\"ok\":true}");
	ck_assert_str_eq(ask("{\"cmd\":\"progress_subscribe\",\"port\":\"1/5\"}"), "{\"ok\":true}");
	r = ask("{\"cmd\":\"status\"}");
	ck_assert_msg(strstr(r, "\"progress_detectors\":1,"), "got %s", r);
	ck_assert_str_eq(ask("{\"cmd\":\"progress_unsubscribe\",\"port\":\"1/5\"}"), "{\"ok\":true}");
	r = ask("{\"cmd\":\"status\"}");
	ck_assert_msg(strstr(r, "\"progress_detectors\":1,"), "one subscription left: %s", r);
	ck_assert_str_eq(ask("{\"cmd\":\"progress_unsubscribe\",\"port\":\"1/5\"}"), "{\"ok\":true}");
	r = ask("{\"cmd\":\"status\"}");
	ck_assert_msg(strstr(r, "\"progress_detectors\":0,"), "got %s", r);
	r = ask("{\"cmd\":\"progress_subscribe\",\"port\":\"3/5\"}");
	ck_assert_msg(strstr(r, "span 3 is not attached"), "got %s", r);
}
END_TEST

/* a counter of worker @w in status */
static unsigned long long worker_stat(unsigned int w, const char *name)
{
	char key[64];
	const char *r, *at;

	line_within(10);
	r = ask("{\"cmd\":\"status\"}");
	snprintf(key, sizeof(key), "\"worker\":\"worker%u\"", w);
	at = strstr(r, key);
	ck_assert_msg(at, "no %s in %s", key, r);
	snprintf(key, sizeof(key), "\"%s\":", name);
	at = strstr(at, key);
	ck_assert_msg(at, "no %s in %s", key, r);
	return strtoull(at + strlen(key), NULL, 10);
}

/* ports of other workers mixed on worker @w, from status */
static unsigned int remote_ports(unsigned int w)
{
	char key[64];
	const char *r, *at;

	/* a link released by a command is gone by its reply; its home side
	 * may still be queued on worker 1: pump once more */
	line_within(10);
	r = ask("{\"cmd\":\"status\"}");
	snprintf(key, sizeof(key), "\"worker\":\"worker%u\"", w);
	at = strstr(r, key);
	ck_assert_msg(at, "no %s in %s", key, r);
	at = strstr(at, "\"remote_ports\":");
	ck_assert_msg(at, "no remote_ports in %s", r);
	return (unsigned int)strtoul(at + strlen("\"remote_ports\":"), NULL, 10);
}

START_TEST(test_engine_bridge_across_workers_links_the_second_port)
{
	const char *r;

	ck_assert_str_eq(ask("{\"cmd\":\"bridge\",\"a\":\"1/5\",\"b\":\"4/5\"}"), "{\"ok\":true}");
	ck_assert_uint_eq(remote_ports(0), 1);
	ck_assert_uint_eq(remote_ports(1), 0);
	/* 4/5 is in worker 0's graph now: a second bridge finds it busy */
	r = ask("{\"cmd\":\"bridge\",\"a\":\"4/5\",\"b\":\"1/6\"}");
	ck_assert_msg(strstr(r, "\"ok\":false") && strstr(r, "already in a bridge"), "got %s", r);
	r = ask("{\"cmd\":\"bridge\",\"a\":\"2/1\",\"b\":\"4/5\"}");
	ck_assert_msg(strstr(r, "\"ok\":false") && strstr(r, "already in a bridge"), "got %s", r);
	/* its home worker sends what the mixer gives it: no prompt or tone */
	r = ask("{\"cmd\":\"tone\",\"port\":\"4/5\",\"tone\":\"busy\"}");
	ck_assert_msg(strstr(r, "\"ok\":false") && strstr(r, "cannot play"), "got %s", r);
	ck_assert_uint_eq(remote_ports(0), 1);
	/* unbridged from either side: the link goes, the port is free again */
	ck_assert_str_eq(ask("{\"cmd\":\"unbridge\",\"a\":\"4/5\"}"), "{\"ok\":true}");
	ck_assert_uint_eq(remote_ports(0), 0);
	r = ask("{\"cmd\":\"tone\",\"port\":\"4/5\",\"tone\":\"busy\"}");
	ck_assert_msg(strstr(r, "\"ok\":true"), "got %s", r);
	r = ask("{\"cmd\":\"stop\",\"port\":\"4/5\"}");
	ck_assert_msg(strstr(r, "\"event\":\"play_done\""), "got %s", r);	/* the event comes first */
	r = line_within(2000);
	ck_assert_msg(r && !strcmp(r, "{\"ok\":true}"), "got %s", r ? r : "nothing");
	/* the other way round: mixed on worker 1 */
	ck_assert_str_eq(ask("{\"cmd\":\"bridge\",\"a\":\"4/5\",\"b\":\"1/5\"}"), "{\"ok\":true}");
	ck_assert_uint_eq(remote_ports(1), 1);
	ck_assert_uint_eq(remote_ports(0), 0);
	ck_assert_str_eq(ask("{\"cmd\":\"unbridge\",\"a\":\"1/5\"}"), "{\"ok\":true}");
	ck_assert_uint_eq(remote_ports(1), 0);
}
END_TEST

START_TEST(test_engine_conference_across_workers_links_remote_members)
{
	ck_assert_str_eq(ask("{\"cmd\":\"conf_join\",\"conf\":\"c1\",\"port\":\"1/1\"}"), "{\"ok\":true}");
	ck_assert_str_eq(ask("{\"cmd\":\"conf_join\",\"conf\":\"c1\",\"port\":\"4/1\"}"), "{\"ok\":true}");
	ck_assert_str_eq(ask("{\"cmd\":\"conf_join\",\"conf\":\"c1\",\"port\":\"4/2\",\"mode\":\"listen\"}"),
			 "{\"ok\":true}");
	ck_assert_uint_eq(remote_ports(0), 2);
	ck_assert_str_eq(ask("{\"cmd\":\"conf_mode\",\"port\":\"4/2\",\"mode\":\"talk\"}"), "{\"ok\":true}");
	ck_assert_str_eq(ask("{\"cmd\":\"conf_leave\",\"port\":\"4/1\"}"), "{\"ok\":true}");
	ck_assert_uint_eq(remote_ports(0), 1);
	ck_assert_str_eq(ask("{\"cmd\":\"conf_leave\",\"port\":\"4/2\"}"), "{\"ok\":true}");
	ck_assert_str_eq(ask("{\"cmd\":\"conf_leave\",\"port\":\"1/1\"}"), "{\"ok\":true}");
	ck_assert_uint_eq(remote_ports(0), 0);
}
END_TEST

/* worker 0 has no span (none attached): its own timer keeps the link of
 * the remote port it mixes flowing */
START_TEST(test_engine_spanless_mixer_keeps_mixing_remote_ports)
{
	unsigned long long before;

	ck_assert_str_eq(ask("{\"cmd\":\"bridge\",\"a\":\"1/5\",\"b\":\"4/5\"}"), "{\"ok\":true}");
	before = worker_stat(0, "remote_blocks");
	line_within(200);
	ck_assert_uint_ge(worker_stat(0, "remote_blocks"), before + 50);
	ck_assert_str_eq(ask("{\"cmd\":\"unbridge\",\"a\":\"1/5\"}"), "{\"ok\":true}");
	/* no remote port left: the tick stops */
	before = worker_stat(0, "remote_blocks");
	line_within(100);
	ck_assert_uint_eq(worker_stat(0, "remote_blocks"), before);
}
END_TEST

/* span 4 is attached again on another worker (a SIGHUP that moved it):
 * the link of its bridged port moves with it */
START_TEST(test_engine_link_follows_its_span_to_another_worker)
{
	struct eng_group *grp2;
	int err;

	loop2 = loop_create("test2", &err);
	ck_assert_msg(loop2, "io_uring: %s", strerror(-err));
	grp2 = eng_group_create(eng, 2, loop2, false);
	ck_assert_ptr_nonnull(grp2);
	ck_assert_str_eq(ask("{\"cmd\":\"bridge\",\"a\":\"1/5\",\"b\":\"4/5\"}"), "{\"ok\":true}");
	ck_assert_uint_eq(worker_stat(1, "linked_ports"), 1);
	eng_span_route(eng, 4, NULL, 0, 0);
	eng_span_route(eng, 4, grp2, MEDIA_ALAW, 10);
	line_within(50);
	ck_assert_uint_eq(worker_stat(1, "linked_ports"), 0);
	ck_assert_uint_eq(worker_stat(2, "linked_ports"), 1);
	ck_assert_str_eq(ask("{\"cmd\":\"unbridge\",\"a\":\"4/5\"}"), "{\"ok\":true}");
	line_within(50);
	ck_assert_uint_eq(worker_stat(2, "linked_ports"), 0);
	eng_group_destroy(grp2);
	loop_destroy(loop2);
	loop2 = NULL;
}
END_TEST

/* a link released just before its home worker stopped is freed with the
 * engine (ASan's leak check in make SAN=1 unit) */
START_TEST(test_engine_links_queued_at_shutdown_are_freed)
{
	ck_assert_str_eq(ask("{\"cmd\":\"bridge\",\"a\":\"1/5\",\"b\":\"4/5\"}"), "{\"ok\":true}");
	line_within(20);
	pump1 = false;
	/* the release reaches worker 1's queue, which never runs again */
	ck_assert_str_eq(ask("{\"cmd\":\"unbridge\",\"a\":\"1/5\"}"), "{\"ok\":true}");
	line_within(20);
	eng_group_destroy(grp1);
	grp1 = NULL;
	loop_destroy(loop1);
	loop1 = NULL;
	pump1 = true;
	/* a bridge across now finds worker 1 gone from the routes' view too */
	ck_assert_uint_eq(worker_stat(0, "remote_ports"), 0);
}
END_TEST

/* the next line with @what in it, within 3 s (replies and events interleave) */
static const char *line_with(const char *what)
{
	const char *r;
	unsigned int i;

	for (i = 0; i < 20; i++) {
		r = line_within(3000);
		ck_assert_msg(r, "no line with %s", what);
		if (strstr(r, what))
			return r;
	}
	ck_abort_msg("no line with %s", what);
	return NULL;
}

START_TEST(test_engine_conference_recording_ends_with_the_conference)
{
	const char *r;

	r = ask("{\"cmd\":\"record_start\",\"conf\":\"nope\",\"rec\":\"cr0\"}");
	ck_assert_msg(strstr(r, "\"ok\":false") && strstr(r, "no conference 'nope'"), "got %s", r);
	ck_assert_str_eq(ask("{\"cmd\":\"conf_join\",\"conf\":\"c2\",\"port\":\"1/1\"}"), "{\"ok\":true}");
	/* a member mixed on the other worker: the recording is made on the mixer */
	ck_assert_str_eq(ask("{\"cmd\":\"conf_join\",\"conf\":\"c2\",\"port\":\"4/1\"}"), "{\"ok\":true}");
	r = ask("{\"cmd\":\"record_start\",\"conf\":\"c2\",\"a\":\"2/9\",\"format\":\"stereo\",\"rec\":\"cr1\"}");
	ck_assert_msg(strstr(r, "\"ok\":false") && strstr(r, "is not in conference c2"), "got %s", r);
	r = ask("{\"cmd\":\"record_start\",\"conf\":\"c2\",\"a\":\"4/1\",\"format\":\"stereo\",\"rec\":\"cr2\"}");
	ck_assert_msg(strstr(r, "\"ok\":true"), "got %s", r);
	r = ask("{\"cmd\":\"record_start\",\"conf\":\"c2\",\"encoding\":\"pcm16\",\"rec\":\"cr3\"}");
	ck_assert_msg(strstr(r, "\"ok\":true"), "got %s", r);
	ck_assert_str_eq(ask("{\"cmd\":\"record_pause\",\"rec\":\"cr3\"}"), "{\"ok\":true}");
	ck_assert_str_eq(ask("{\"cmd\":\"record_resume\",\"rec\":\"cr3\"}"), "{\"ok\":true}");
	r = ask("{\"cmd\":\"status\"}");
	ck_assert_msg(strstr(r, "\"recordings\":2,"), "got %s", r);
	/* the designated member leaving does not end anything */
	ck_assert_str_eq(ask("{\"cmd\":\"conf_leave\",\"port\":\"4/1\"}"), "{\"ok\":true}");
	r = ask("{\"cmd\":\"status\"}");
	ck_assert_msg(strstr(r, "\"recordings\":2,"), "got %s", r);
	/* the last member leaves: both recordings end with a record_done */
	ck_assert_str_eq(ask("{\"cmd\":\"conf_leave\",\"port\":\"1/1\"}"), "{\"ok\":true}");
	r = line_with("\"rec\":\"cr");
	ck_assert_msg(strstr(r, "\"event\":\"record_done\""), "got %s", r);
	r = line_with("\"rec\":\"cr");
	ck_assert_msg(strstr(r, "\"event\":\"record_done\""), "got %s", r);
	r = ask("{\"cmd\":\"status\"}");
	ck_assert_msg(strstr(r, "\"recordings\":0,"), "got %s", r);
	r = ask("{\"cmd\":\"record_stop\",\"rec\":\"cr2\"}");
	ck_assert_msg(strstr(r, "\"ok\":false") && strstr(r, "no recording 'cr2' running"), "got %s", r);
	r = ask("{\"cmd\":\"record_info\",\"rec\":\"cr3\"}");
	ck_assert_msg(strstr(r, "\"state\":\"done\""), "got %s", r);
	/* the index row names the conference and its members at the start */
	ck_assert_msg(strstr(r, "\"conference\":\"c2\",\"ports\":\"1/1,4/1\""), "got %s", r);
}
END_TEST

static Suite *engine_suite(void)
{
	Suite *s = suite_create("tdmxd_engine");
	TCase *tc = tcase_create("engine");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_engine_recording_finishes_without_span_wakeups);
	tcase_add_test(tc, test_engine_commands_on_unattached_span_are_refused);
	tcase_add_test(tc, test_engine_progress_subscription_runs_one_detector_per_port);
	tcase_add_test(tc, test_engine_bridge_across_workers_links_the_second_port);
	tcase_add_test(tc, test_engine_conference_across_workers_links_remote_members);
	tcase_add_test(tc, test_engine_spanless_mixer_keeps_mixing_remote_ports);
	tcase_add_test(tc, test_engine_link_follows_its_span_to_another_worker);
	tcase_add_test(tc, test_engine_links_queued_at_shutdown_are_freed);
	tcase_add_test(tc, test_engine_conference_recording_ends_with_the_conference);
	suite_add_tcase(s, tc);
	return s;
}

TDMX_CHECK_MAIN(engine_suite)
