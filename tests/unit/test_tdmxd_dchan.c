// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd D-channels without a kernel: the hex codec of the control socket,
 * the bounds of the tx queue, and the io_uring transport driven over a
 * SOCK_SEQPACKET socketpair standing in for a channel device (one frame
 * per read and per write, payload + 2 FCS octets, as the hdlc device).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "unit.h"
#include "dchan.h"
#include "log.h"
#include "loop.h"

/* ------------------------------------------------------------ hex codec */

START_TEST(test_dchan_hex_round_trips_every_octet)
{
	uint8_t in[256], out[256];
	char text[513];
	int i;

	for (i = 0; i < 256; i++)
		in[i] = (uint8_t)i;
	dchan_hex_encode(in, sizeof(in), text);
	ck_assert_uint_eq(strlen(text), 512);
	ck_assert(!strncmp(text, "000102", 6));
	ck_assert_int_eq(dchan_hex_decode(text, out, sizeof(out)), 256);
	ck_assert_mem_eq(in, out, sizeof(in));
	ck_assert_int_eq(dchan_hex_decode("AbCd", out, sizeof(out)), 2);
	ck_assert_uint_eq(out[0], 0xab);
	ck_assert_uint_eq(out[1], 0xcd);
}
END_TEST

START_TEST(test_dchan_hex_refuses_bad_text_and_overlong_frames)
{
	uint8_t out[4];

	ck_assert_int_eq(dchan_hex_decode("", out, sizeof(out)), -EINVAL);
	ck_assert_int_eq(dchan_hex_decode("abc", out, sizeof(out)), -EINVAL);
	ck_assert_int_eq(dchan_hex_decode("0g", out, sizeof(out)), -EINVAL);
	ck_assert_int_eq(dchan_hex_decode("01 2", out, sizeof(out)), -EINVAL);
	ck_assert_int_eq(dchan_hex_decode("0102030405", out, sizeof(out)), -EMSGSIZE);
	ck_assert_int_eq(dchan_hex_decode("01020304", out, sizeof(out)), 4);
}
END_TEST

/* ------------------------------------------------------------- tx queue */

START_TEST(test_dchan_txq_refuses_when_full_and_keeps_the_order)
{
	static struct dchan_txq q;
	uint8_t f[DCHAN_FRAME_MAX + 1];
	const uint8_t *p;
	size_t wlen;
	unsigned int i;

	memset(f, 0x7e, sizeof(f));
	dchan_txq_init(&q);
	ck_assert_ptr_null(dchan_txq_peek(&q, &wlen));
	ck_assert_int_eq(dchan_txq_push(&q, f, 0), -EMSGSIZE);
	ck_assert_int_eq(dchan_txq_push(&q, f, DCHAN_FRAME_MAX + 1), -EMSGSIZE);
	for (i = 0; i < DCHAN_TXQ_LEN; i++) {
		f[0] = (uint8_t)i;
		ck_assert_int_eq(dchan_txq_push(&q, f, i + 1), 0);
	}
	ck_assert_int_eq(dchan_txq_push(&q, f, 1), -ENOBUFS);
	ck_assert_uint_eq(dchan_txq_count(&q), DCHAN_TXQ_LEN);
	for (i = 0; i < DCHAN_TXQ_LEN; i++) {
		p = dchan_txq_peek(&q, &wlen);
		ck_assert_ptr_nonnull(p);
		ck_assert_uint_eq(wlen, i + 1 + DCHAN_FCS_LEN);
		ck_assert_uint_eq(p[0], i);
		/* the FCS room is zeroed, whatever followed the payload */
		ck_assert_uint_eq(p[i + 1], 0);
		ck_assert_uint_eq(p[i + 2], 0);
		dchan_txq_pop(&q);
		if (i == 0)	/* a slot freed: a push fits again, at the end */
			ck_assert_int_eq(dchan_txq_push(&q, f, DCHAN_FRAME_MAX), 0);
	}
	p = dchan_txq_peek(&q, &wlen);
	ck_assert_uint_eq(wlen, DCHAN_FRAME_MAX + DCHAN_FCS_LEN);
	dchan_txq_pop(&q);
	ck_assert_uint_eq(dchan_txq_count(&q), 0);
	dchan_txq_pop(&q);	/* popping an empty queue does nothing */
	ck_assert_uint_eq(dchan_txq_count(&q), 0);
}
END_TEST

/* ------------------------------------------------- transport over sockets */

static struct loop *loop;
static struct dchan_set *set;
static int peer = -1, mine = -1;
static uint8_t got[DCHAN_RX_MAX];
static size_t got_len;
static unsigned int got_frames, got_span, got_ts, gone_calls;
static uint64_t got_ts_ms;

static void on_rx(void *arg, unsigned int span, unsigned int ts, const uint8_t *frame,
		  size_t len, uint64_t ts_ms)
{
	(void)arg;
	memcpy(got, frame, len);
	got_len = len;
	got_span = span;
	got_ts = ts;
	got_ts_ms = ts_ms;
	got_frames++;
}

static void on_gone(void *arg, unsigned int span, unsigned int ts)
{
	(void)arg;
	(void)span;
	(void)ts;
	gone_calls++;
}

static const struct dchan_ops ops = { .rx = on_rx, .gone = on_gone };

static void setup(void)
{
	int sv[2], err;

	log_set_level(LOG_ERR);
	got_frames = 0;
	gone_calls = 0;
	loop = loop_create("test", &err);
	ck_assert_msg(loop, "io_uring: %s", strerror(-err));
	set = dchan_set_create(loop, LOOP_OP_USER2, NULL, &ops, NULL);
	ck_assert_ptr_nonnull(set);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	/* non-blocking, as dchan_open() opens the device */
	ck_assert_int_eq(fcntl(sv[0], F_SETFL, O_NONBLOCK), 0);
	ck_assert_int_eq(dchan_adopt(set, 1, 16, sv[0]), 0);
	peer = sv[1];
	mine = sv[0];
	loop_run_once(loop, 0);	/* submit the read */
}

static void teardown(void)
{
	loop_destroy(loop);
	dchan_set_destroy(set);
	if (peer >= 0)
		close(peer);
	peer = -1;
}

/* run the loop until @n frames were received (at most 2 s) */
static void wait_frames(unsigned int n)
{
	int i;

	for (i = 0; i < 400 && got_frames < n; i++)
		loop_run_once(loop, 5);
	ck_assert_uint_eq(got_frames, n);
}

static void make_frame(uint8_t *f, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		f[i] = (uint8_t)(seed * 31 + i * 7);
}

START_TEST(test_dchan_delivers_received_frames_without_fcs_bit_exact)
{
	uint8_t f[300];
	struct dchan_stats st;
	size_t len;

	for (len = 1; len <= 260; len++) {
		make_frame(f, len + 2, (unsigned int)len);
		ck_assert_int_eq(write(peer, f, len + 2), (ssize_t)(len + 2));
		wait_frames((unsigned int)len);
		ck_assert_uint_eq(got_len, len);
		ck_assert_mem_eq(got, f, len);
	}
	ck_assert_uint_eq(got_span, 1);
	ck_assert_uint_eq(got_ts, 16);
	ck_assert_uint_ne(got_ts_ms, 0);
	ck_assert_int_eq(dchan_get_stats(set, 1, 16, &st), 0);
	ck_assert_uint_eq(st.rx_frames, 260);
	ck_assert_uint_eq(st.rx_errors, 0);
}
END_TEST

START_TEST(test_dchan_counts_a_read_without_payload_as_an_rx_error_and_reads_on)
{
	uint8_t f[8] = { 1, 2, 3, 4, 5 };
	struct dchan_stats st;

	ck_assert_int_eq(write(peer, f, 2), 2);
	ck_assert_int_eq(write(peer, f, 5), 5);
	wait_frames(1);
	ck_assert_uint_eq(got_len, 3);
	ck_assert_int_eq(dchan_get_stats(set, 1, 16, &st), 0);
	ck_assert_uint_eq(st.rx_errors, 1);
	ck_assert_uint_eq(st.rx_frames, 1);
}
END_TEST

START_TEST(test_dchan_sends_frames_in_order_with_fcs_room)
{
	uint8_t f[DCHAN_FRAME_MAX], r[DCHAN_FRAME_MAX + 8];
	struct dchan_stats st;
	unsigned int i;
	size_t len;
	int k;

	for (i = 0; i < 5; i++) {
		len = i * 60 + 1;
		make_frame(f, len, i);
		ck_assert_int_eq(dchan_send(set, 1, 16, f, len), 0);
	}
	for (k = 0; k < 40; k++)
		loop_run_once(loop, 5);
	for (i = 0; i < 5; i++) {
		len = i * 60 + 1;
		make_frame(f, len, i);
		ck_assert_int_eq(recv(peer, r, sizeof(r), MSG_DONTWAIT), (ssize_t)(len + 2));
		ck_assert_mem_eq(r, f, len);
	}
	ck_assert_int_eq(recv(peer, r, sizeof(r), MSG_DONTWAIT), -1);
	ck_assert_int_eq(dchan_get_stats(set, 1, 16, &st), 0);
	ck_assert_uint_eq(st.tx_frames, 5);
	ck_assert_uint_eq(st.tx_full, 0);
}
END_TEST

START_TEST(test_dchan_full_tx_queue_refuses_with_enobufs_and_loses_nothing_queued)
{
	uint8_t f[4] = { 0 }, r[16];
	struct dchan_stats st;
	unsigned int i;
	int k;

	/* the loop does not run: nothing completes, the queue fills */
	for (i = 0; i < DCHAN_TXQ_LEN; i++) {
		f[0] = (uint8_t)i;
		ck_assert_int_eq(dchan_send(set, 1, 16, f, sizeof(f)), 0);
	}
	ck_assert_int_eq(dchan_send(set, 1, 16, f, sizeof(f)), -ENOBUFS);
	ck_assert_int_eq(dchan_send(set, 1, 16, f, 0), -EMSGSIZE);
	ck_assert_int_eq(dchan_send(set, 1, 17, f, sizeof(f)), -ENOENT);
	for (k = 0; k < 40; k++)
		loop_run_once(loop, 5);
	for (i = 0; i < DCHAN_TXQ_LEN; i++) {
		ck_assert_int_eq(recv(peer, r, sizeof(r), MSG_DONTWAIT), 6);
		ck_assert_uint_eq(r[0], i);
	}
	ck_assert_int_eq(dchan_get_stats(set, 1, 16, &st), 0);
	ck_assert_uint_eq(st.tx_full, 1);
	ck_assert_uint_eq(st.tx_frames, DCHAN_TXQ_LEN);
}
END_TEST

START_TEST(test_dchan_waits_for_room_when_the_device_is_full_and_sends_everything)
{
	uint8_t f[DCHAN_FRAME_MAX], r[DCHAN_FRAME_MAX + 8];
	struct dchan_stats st;
	int sndbuf = 1, k, fd;
	unsigned int i, n = 0;

	fd = mine;	/* the set's end: a tiny send buffer fills at once */
	ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)), 0);
	for (i = 0; i < DCHAN_TXQ_LEN; i++) {
		make_frame(f, sizeof(f), i);
		ck_assert_int_eq(dchan_send(set, 1, 16, f, sizeof(f)), 0);
	}
	for (k = 0; k < 20; k++)
		loop_run_once(loop, 5);
	ck_assert_int_eq(dchan_get_stats(set, 1, 16, &st), 0);
	ck_assert_uint_lt(st.tx_frames, DCHAN_TXQ_LEN);	/* the socket is full */
	for (k = 0; k < 400 && n < DCHAN_TXQ_LEN; k++) {
		loop_run_once(loop, 5);
		while (recv(peer, r, sizeof(r), MSG_DONTWAIT) == (ssize_t)sizeof(f) + 2) {
			make_frame(f, sizeof(f), n);
			ck_assert_mem_eq(r, f, sizeof(f));
			n++;
		}
	}
	ck_assert_uint_eq(n, DCHAN_TXQ_LEN);
	ck_assert_int_eq(dchan_get_stats(set, 1, 16, &st), 0);
	ck_assert_uint_eq(st.tx_frames, DCHAN_TXQ_LEN);
	ck_assert_uint_eq(st.tx_errors, 0);
}
END_TEST

START_TEST(test_dchan_closes_when_the_device_goes_away)
{
	struct dchan_stats st;
	uint8_t f[1] = { 0 };
	int k;

	close(peer);		/* the read returns 0: end of file */
	peer = -1;
	for (k = 0; k < 40 && !gone_calls; k++)
		loop_run_once(loop, 5);
	ck_assert_uint_eq(gone_calls, 1);
	ck_assert_int_eq(dchan_get_stats(set, 1, 16, &st), -ENOENT);
	ck_assert_int_eq(dchan_send(set, 1, 16, f, 1), -ENOENT);
}
END_TEST

START_TEST(test_dchan_detach_cancels_the_outstanding_read_and_closes)
{
	struct dchan_stats st;
	uint8_t f[3] = { 9, 0, 0 };
	int k;

	dchan_detach_span(set, 2);	/* another span: nothing happens */
	ck_assert_int_eq(dchan_get_stats(set, 1, 16, &st), 0);
	dchan_detach_span(set, 1);
	ck_assert_uint_eq(gone_calls, 1);
	ck_assert_int_eq(dchan_get_stats(set, 1, 16, &st), -ENOENT);
	for (k = 0; k < 10; k++)
		loop_run_once(loop, 5);
	/* a frame after the detach reaches nobody */
	ck_assert_int_eq(write(peer, f, 3) == 3 || errno == EPIPE || errno == ECONNRESET, 1);
	for (k = 0; k < 10; k++)
		loop_run_once(loop, 5);
	ck_assert_uint_eq(got_frames, 0);
}
END_TEST

static Suite *dchan_suite(void)
{
	Suite *s = suite_create("tdmxd_dchan");
	TCase *tc = tcase_create("codec");

	tcase_add_test(tc, test_dchan_hex_round_trips_every_octet);
	tcase_add_test(tc, test_dchan_hex_refuses_bad_text_and_overlong_frames);
	tcase_add_test(tc, test_dchan_txq_refuses_when_full_and_keeps_the_order);
	suite_add_tcase(s, tc);
	tc = tcase_create("transport");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_dchan_delivers_received_frames_without_fcs_bit_exact);
	tcase_add_test(tc, test_dchan_counts_a_read_without_payload_as_an_rx_error_and_reads_on);
	tcase_add_test(tc, test_dchan_sends_frames_in_order_with_fcs_room);
	tcase_add_test(tc, test_dchan_full_tx_queue_refuses_with_enobufs_and_loses_nothing_queued);
	tcase_add_test(tc, test_dchan_waits_for_room_when_the_device_is_full_and_sends_everything);
	tcase_add_test(tc, test_dchan_closes_when_the_device_goes_away);
	tcase_add_test(tc, test_dchan_detach_cancels_the_outstanding_read_and_closes);
	suite_add_tcase(s, tc);
	return s;
}

TDMX_CHECK_MAIN(dchan_suite)
