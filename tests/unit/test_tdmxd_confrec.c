// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Conference recordings (confrec.h) on a real mixing graph and a real
 * recorder: one span's rx in memory carries pseudo-random G.711 octets on
 * every timeslot, block by block; the test keeps what each member sent and
 * checks the WAV files sample for sample against sums it makes itself
 * (mono: every talker; stereo: the designated member left, the others
 * right), across joins, leaves, mode changes and a pause.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "confrec.h"
#include "g711.h"
#include "log.h"
#include "mix.h"
#include "rec.h"
#include "unit.h"
#include "wav.h"

#define BLK		TDMX_RING_FRAMES
#define MAX_BLOCKS	64
#define P(ts)		media_port_of(1, ts)

static char tmpdir[64];
static struct mix *mix;
static struct rec_ctx *ctx;
static unsigned int ndone;
static uint8_t rx[TDMX_RING_BLOCK_BYTES], tx[TDMX_RING_BLOCK_BYTES];
static unsigned int seed = 12345;

/* what the test expects in each file, built block by block */
struct want {
	int16_t l[MAX_BLOCKS * BLK], r[MAX_BLOCKS * BLK];
	unsigned int n;	/* samples */
};

static void on_event(const struct rec_event *ev, void *arg)
{
	(void)arg;
	ck_assert_msg(ev->type == REC_EV_DONE, "%s: %s", ev->id, ev->error_text);
	ndone++;
}

static void setup(void)
{
	struct rec_config cfg = { .max_recordings = 16, .event = on_event };
	char db[128];

	log_set_level(LOG_ERR);
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/tdmxd-confrec-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(db, sizeof(db), "%s/index.db", tmpdir);
	cfg.db_path = db;
	ck_assert_int_eq(rec_open(&ctx, &cfg), 0);
	mix = mix_new(4 * MEDIA_SPAN_TS);
	ck_assert_ptr_nonnull(mix);
	ndone = 0;
}

static void teardown(void)
{
	char cmd[128];

	rec_close(ctx);
	mix_free(mix);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", tmpdir);
}

static int16_t sat(int32_t v)
{
	return v > INT16_MAX ? INT16_MAX : v < INT16_MIN ? INT16_MIN : (int16_t)v;
}

static uint8_t next_octet(void)
{
	seed = seed * 1103515245u + 12345u;
	return (uint8_t)(seed >> 16);
}

static struct rec *start(const char *id, enum rec_layout lay, enum rec_encoding enc)
{
	char path[160];
	struct rec_params p = {
		.id = id, .layout = lay, .encoding = enc, .law = MEDIA_ALAW, .path = path,
	};
	struct rec *r;

	snprintf(path, sizeof(path), "%s/%s.wav", tmpdir, id);
	ck_assert_int_eq(rec_start(ctx, &p, &r), 0);
	return r;
}

/*
 * One block: new rx on timeslots 1-4, the mixer runs, and each want gets
 * the block as the test computes it from the conference's members.
 * @talk: which of timeslots 1-4 talk in the conference now (bit ts)
 * @left: stereo wants' designated timeslot
 */
static void block(unsigned int talk, struct want *mono, struct want *st, unsigned int left,
		  bool recorded)
{
	struct mix_ring rings[2] = { { 0 }, { .rx = rx, .tx = tx, .blocks = 1 } };
	struct mix_io io = { .span = rings, .nspans = 2 };
	int32_t d[5][BLK] = { { 0 } }, sum;
	unsigned int ts, k;

	for (ts = 1; ts <= 4; ts++)
		for (k = 0; k < BLK; k++) {
			rx[ts * BLK + k] = next_octet();
			d[ts][k] = g711_alaw_decode(rx[ts * BLK + k]);
		}
	ck_assert_int_eq(mix_process(mix, &io, 1), 0);
	ck_assert_int_ge(rec_poll(ctx), 0);
	if (!recorded)
		return;
	for (k = 0; k < BLK; k++) {
		sum = 0;
		for (ts = 1; ts <= 4; ts++)
			if (talk & (1u << ts))
				sum += d[ts][k];
		if (mono)
			mono->l[mono->n + k] = sat(sum);
		if (st) {
			int32_t own = (talk & (1u << left)) ? d[left][k] : 0;

			st->l[st->n + k] = (int16_t)own;
			st->r[st->n + k] = sat(sum - own);
		}
	}
	if (mono)
		mono->n += BLK;
	if (st)
		st->n += BLK;
}

static void finish(unsigned int expect_done)
{
	unsigned int i;

	for (i = 0; i < 3000 && ndone < expect_done; i++)
		ck_assert_int_ge(rec_wait(ctx, 10), 0);
	ck_assert_uint_eq(ndone, expect_done);
}

static uint8_t *data_of(const char *id, struct wav_info *wi)
{
	uint8_t hdr[WAV_HDR_MAX], *data;
	char path[160];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.wav", tmpdir, id);
	f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(wav_header_parse(hdr, fread(hdr, 1, sizeof(hdr), f), wi), 0);
	data = malloc(wi->data_bytes + 1);
	ck_assert_ptr_nonnull(data);
	ck_assert_int_eq(fseek(f, wi->data_offset, SEEK_SET), 0);
	ck_assert_uint_eq(fread(data, 1, wi->data_bytes, f), wi->data_bytes);
	fclose(f);
	return data;
}

static void check_pcm16_mono(const char *id, const struct want *w)
{
	struct wav_info wi;
	uint8_t *d = data_of(id, &wi);
	unsigned int i;

	ck_assert_uint_eq(wi.data_bytes, 2 * w->n);
	for (i = 0; i < w->n; i++) {
		int16_t v = (int16_t)(d[2 * i] | d[2 * i + 1] << 8);

		ck_assert_msg(v == w->l[i], "%s sample %u: %d, want %d", id, i, v, w->l[i]);
	}
	free(d);
}

static void check_alaw_stereo(const char *id, const struct want *w)
{
	struct wav_info wi;
	uint8_t *d = data_of(id, &wi);
	unsigned int i;

	ck_assert_uint_eq(wi.data_bytes, 2 * w->n);
	for (i = 0; i < w->n; i++) {
		ck_assert_msg(d[2 * i] == g711_alaw_encode(w->l[i]),
			      "%s left %u: %02x, want %02x", id, i, d[2 * i], g711_alaw_encode(w->l[i]));
		ck_assert_msg(d[2 * i + 1] == g711_alaw_encode(w->r[i]),
			      "%s right %u: %02x, want %02x", id, i, d[2 * i + 1],
			      g711_alaw_encode(w->r[i]));
	}
	free(d);
}

static struct confrec *conf_with(int *id, unsigned int talkers, unsigned int listeners)
{
	struct confrec *cr;
	unsigned int ts;

	*id = mix_conf_new(mix, 0);
	ck_assert_int_gt(*id, 0);
	for (ts = 1; ts <= 4; ts++)
		if ((talkers | listeners) & (1u << ts))
			ck_assert_int_eq(mix_conf_join(mix, *id, P(ts), talkers & (1u << ts), true), 0);
	ck_assert_int_eq(confrec_new(&cr, mix, *id), 0);
	return cr;
}

START_TEST(test_confrec_mono_and_stereo_follow_joins_leaves_and_modes)
{
	static struct want mono, st;
	struct rec *rm, *rs;
	unsigned int talk = 1u << 1 | 1u << 2, b;
	struct confrec *cr;
	int id;

	memset(&mono, 0, sizeof(mono));
	memset(&st, 0, sizeof(st));
	/* 1/1 and 1/2 talk, 1/3 only listens: it is in neither channel */
	cr = conf_with(&id, talk, 1u << 3);
	rm = start("mono", REC_MONO, REC_PCM16);
	rs = start("stereo", REC_STEREO, REC_LAW);
	ck_assert_int_eq(confrec_add(cr, rm, REC_MONO, 0), 0);
	ck_assert_int_eq(confrec_add(cr, rs, REC_STEREO, P(1)), 0);
	ck_assert_int_eq(confrec_add(cr, rs, REC_STEREO, P(1)), -EEXIST);
	for (b = 0; b < 10; b++)
		block(talk, &mono, &st, 1, true);
	/* 1/4 joins talking: in both from the next block (three random
	 * talkers often pass int16: the clamp is exercised) */
	ck_assert_int_eq(mix_conf_join(mix, id, P(4), true, true), 0);
	talk |= 1u << 4;
	for (b = 0; b < 10; b++)
		block(talk, &mono, &st, 1, true);
	/* the designated member leaves: silence on the left, the rest right */
	ck_assert_int_eq(mix_conf_leave(mix, P(1)), 0);
	talk &= ~(1u << 1);
	for (b = 0; b < 10; b++)
		block(talk, &mono, &st, 1, true);
	/* 1/2 is muted (listens only) */
	ck_assert_int_eq(mix_conf_set(mix, P(2), false, true), 0);
	talk &= ~(1u << 2);
	for (b = 0; b < 10; b++)
		block(talk, &mono, &st, 1, true);
	/* 1/1 comes back as a talker: on the left again */
	ck_assert_int_eq(mix_conf_join(mix, id, P(1), true, true), 0);
	talk |= 1u << 1;
	for (b = 0; b < 10; b++)
		block(talk, &mono, &st, 1, true);
	ck_assert_int_eq(confrec_remove(cr, rm), 0);
	ck_assert_int_eq(confrec_remove(cr, rs), 0);
	ck_assert_int_eq(confrec_remove(cr, rs), -ENOENT);
	ck_assert_uint_eq(confrec_count(cr), 0);
	rec_stop(rm);
	rec_stop(rs);
	/* removed: the mixer goes on without writing them */
	block(talk, NULL, NULL, 1, false);
	finish(2);
	confrec_free(cr);
	check_pcm16_mono("mono", &mono);
	check_alaw_stereo("stereo", &st);
}
END_TEST

START_TEST(test_confrec_pause_cuts_the_paused_blocks)
{
	static struct want mono;
	unsigned int talk = 1u << 2 | 1u << 3, b;
	struct confrec *cr;
	struct rec *r;
	int id;

	memset(&mono, 0, sizeof(mono));
	cr = conf_with(&id, talk, 0);
	r = start("paused", REC_MONO, REC_PCM16);
	ck_assert_int_eq(confrec_add(cr, r, REC_MONO, 0), 0);
	for (b = 0; b < 5; b++)
		block(talk, &mono, NULL, 0, true);
	ck_assert_int_eq(rec_pause(r), 0);
	for (b = 0; b < 7; b++)
		block(talk, NULL, NULL, 0, false);
	ck_assert_int_eq(rec_resume(r), 0);
	for (b = 0; b < 5; b++)
		block(talk, &mono, NULL, 0, true);
	confrec_remove(cr, r);
	rec_stop(r);
	finish(1);
	confrec_free(cr);
	check_pcm16_mono("paused", &mono);
}
END_TEST

START_TEST(test_confrec_conference_without_talkers_records_silence)
{
	static struct want mono;
	struct confrec *cr;
	struct rec *r;
	unsigned int b;
	int id;

	memset(&mono, 0, sizeof(mono));
	cr = conf_with(&id, 0, 1u << 1 | 1u << 2);
	r = start("quiet", REC_MONO, REC_PCM16);
	ck_assert_int_eq(confrec_add(cr, r, REC_MONO, 0), 0);
	for (b = 0; b < 4; b++)
		block(0, &mono, NULL, 0, true);
	confrec_remove(cr, r);
	rec_stop(r);
	finish(1);
	/* the conference is gone before the confrec: free leaves no tap behind */
	ck_assert_int_eq(mix_conf_del(mix, id), 0);
	confrec_free(cr);
	check_pcm16_mono("quiet", &mono);
	for (b = 0; b < mono.n; b++)
		ck_assert_int_eq(mono.l[b], 0);
}
END_TEST

START_TEST(test_confrec_refuses_bad_arguments)
{
	struct confrec *cr;
	struct rec *r;
	int id;

	ck_assert_int_eq(confrec_new(&cr, mix, 7), -ENOENT);
	cr = conf_with(&id, 1u << 1, 0);
	r = start("bad", REC_STEREO, REC_LAW);
	/* stereo needs the member for the left channel */
	ck_assert_int_eq(confrec_add(cr, r, REC_STEREO, 0), -EINVAL);
	ck_assert_int_eq(confrec_add(cr, NULL, REC_MONO, 0), -EINVAL);
	rec_stop(r);
	finish(1);
	confrec_free(cr);
}
END_TEST

static Suite *confrec_suite(void)
{
	Suite *s = suite_create("tdmxd_confrec");
	TCase *tc = tcase_create("confrec");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_confrec_mono_and_stereo_follow_joins_leaves_and_modes);
	tcase_add_test(tc, test_confrec_pause_cuts_the_paused_blocks);
	tcase_add_test(tc, test_confrec_conference_without_talkers_records_silence);
	tcase_add_test(tc, test_confrec_refuses_bad_arguments);
	suite_add_tcase(s, tc);
	return s;
}

TDMX_CHECK_MAIN(confrec_suite)
