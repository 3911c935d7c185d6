// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd detection: the DTMF wrapper against digits from spandsp's dtmf_tx
 * (all 16, levels, twist, durations at every alignment to spandsp's
 * blocks, any feeding chunk size), a talk-off run on English speech that
 * espeak-ng renders now, and call progress on the tone plans' own tones.
 *
 * Ground truth is read off the generated signal: a digit is a run of
 * samples between runs of 16 or more zeros.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cpt.h"
#include "dsp.h"
#include "dtmf.h"
#include "prompt.h"
#include "tone.h"
#include "unit.h"

#define MAX_EV		256
#define T0		1000000u	/* the caller's clock at the first sample */
#define EDGE		12		/* samples: measured within 8 for every digit */

/* ------------------------------------------------------------- helpers */

struct rec {
	struct dtmf_event ev[MAX_EV];
	uint64_t at[MAX_EV];	/* the clock of the chunk that reported it */
	int n;
	uint64_t now;
};

static void collect(void *arg, const struct dtmf_event *ev)
{
	struct rec *r = arg;

	ck_assert_int_lt(r->n, MAX_EV);
	r->at[r->n] = r->now;
	r->ev[r->n++] = *ev;
}

struct sig {
	int16_t *x;
	size_t n;
	unsigned int nd;
	size_t start[64];	/* where each digit's tone is */
	size_t end[64];
};

/* @digits from dtmf_tx after @lead samples of silence, 200 ms after */
static struct sig make_sig(const char *digits, int level, int twist, int on_ms, int off_ms,
			   size_t lead)
{
	struct dtmf_gen *g = dtmf_gen_new(level, twist, on_ms, off_ms);
	size_t per = (size_t)DSP_SAMPLES(on_ms + off_ms), i, zeros, j;
	struct sig s = { 0 };
	int k;

	ck_assert_ptr_nonnull(g);
	s.n = lead + strlen(digits) * per + DSP_SAMPLES(200);
	s.x = calloc(s.n, sizeof(*s.x));
	ck_assert_ptr_nonnull(s.x);
	ck_assert_int_eq(dtmf_gen_put(g, digits), (int)strlen(digits));
	for (i = lead; (k = dtmf_gen_generate(g, s.x + i, 160)) > 0; i += (size_t)k)
		ck_assert_uint_le(i + (size_t)k, s.n);
	dtmf_gen_free(g);

	/* the truth: tone runs separated by 16+ zeros */
	for (i = 0; i < s.n;) {
		while (i < s.n && !s.x[i])
			i++;
		if (i == s.n)
			break;
		ck_assert_uint_lt(s.nd, 64);
		s.start[s.nd] = i;
		for (j = i, zeros = 0; j < s.n && zeros < 16; j++)
			zeros = s.x[j] ? 0 : zeros + 1;
		s.end[s.nd++] = j - zeros;
		i = j;
	}
	ck_assert_uint_eq(s.nd, strlen(digits));
	return s;
}

static void feed(struct dtmf_det *d, struct rec *r, const int16_t *x, size_t n, size_t chunk,
		 uint64_t t0)
{
	size_t i, k;

	for (i = 0; i < n; i += k) {
		k = n - i < chunk ? n - i : chunk;
		r->now = t0 + i + k;
		dtmf_det_feed(d, x + i, (int)k, t0 + i);
	}
}

/* Run @s through a fresh detector; returns the events in @r. */
static void detect(const struct dtmf_det_config *cfg, const struct sig *s, size_t chunk,
		   struct rec *r)
{
	struct dtmf_det *d = dtmf_det_new(cfg, collect, r);

	ck_assert_ptr_nonnull(d);
	memset(r, 0, sizeof(*r));
	feed(d, r, s->x, s->n, chunk, T0);
	dtmf_det_free(d);
}

/*
 * Each digit of @digits exactly once, in order, as a START then an END,
 * edges within @tol samples of the truth.
 */
static void expect_digits(const struct rec *r, const struct sig *s, const char *digits,
			  long tol, size_t chunk)
{
	unsigned int i;

	ck_assert_msg(r->n == 2 * (int)strlen(digits), "%d events for \"%s\"", r->n, digits);
	for (i = 0; i < strlen(digits); i++) {
		const struct dtmf_event *a = &r->ev[2 * i], *b = &r->ev[2 * i + 1];
		long st = (long)(T0 + s->start[i]), en = (long)(T0 + s->end[i]);

		ck_assert_int_eq(a->type, DTMF_DIGIT_START);
		ck_assert_int_eq(b->type, DTMF_DIGIT_END);
		ck_assert_msg(a->digit == digits[i] && b->digit == digits[i],
			      "digit %u: got %c/%c, want %c", i, a->digit, b->digit, digits[i]);
		ck_assert_msg(labs((long)a->start - st) <= tol,
			      "'%c' start %ld samples off", digits[i], (long)a->start - st);
		ck_assert_uint_eq(b->start, a->start);
		ck_assert_msg(labs((long)b->end - en) <= tol,
			      "'%c' end %ld samples off", digits[i], (long)b->end - en);
		ck_assert_uint_eq(a->end, 0);
		/* reported no later than min_on + two blocks + the chunk */
		ck_assert_uint_le(r->at[2 * i], st + DSP_SAMPLES(DTMF_MIN_ON_MS) + 2 * DTMF_BLOCK + chunk);
	}
}

static void setup(void)
{
	ck_assert_int_eq(dsp_init(), 0);
}

static void teardown(void)
{
	dsp_exit();
}

/* ------------------------------------------------------------- DTMF */

START_TEST(test_dtmf_all_16_digits_detected_once_each_in_order_with_times)
{
	struct sig s = make_sig(DTMF_DIGITS, -10, 0, 50, 50, 333);
	struct rec r;

	detect(NULL, &s, 160, &r);
	/* the envelope places both edges to within about 1 ms */
	expect_digits(&r, &s, DTMF_DIGITS, EDGE, 160);
	free(s.x);
}
END_TEST

START_TEST(test_dtmf_block_mode_times_are_within_one_block)
{
	struct dtmf_det_config c = { .min_on_ms = 0 };
	struct sig s = make_sig(DTMF_DIGITS, -10, 0, 50, 50, 333);
	struct rec r;
	size_t lead;

	for (lead = 0; lead < DTMF_BLOCK; lead += 17) {
		free(s.x);
		s = make_sig(DTMF_DIGITS, -10, 0, 50, 50, lead);
		detect(&c, &s, 160, &r);
		expect_digits(&r, &s, DTMF_DIGITS, DTMF_BLOCK, 160);
	}
	free(s.x);
}
END_TEST

START_TEST(test_dtmf_events_do_not_depend_on_the_chunk_size)
{
	static const size_t chunks[] = { 1, 7, 8, 80, 101, 102, 103, 160, 1000 };
	struct sig s = make_sig("159#", -20, 0, 60, 60, 77);
	struct rec ref, r;
	unsigned int i;
	int e;

	detect(NULL, &s, s.n, &ref);
	expect_digits(&ref, &s, "159#", EDGE, s.n);
	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		detect(NULL, &s, chunks[i], &r);
		ck_assert_int_eq(r.n, ref.n);
		for (e = 0; e < r.n; e++)
			ck_assert_msg(r.ev[e].type == ref.ev[e].type &&
				      r.ev[e].digit == ref.ev[e].digit &&
				      r.ev[e].level_dbm0 == ref.ev[e].level_dbm0 &&
				      r.ev[e].start == ref.ev[e].start &&
				      r.ev[e].end == ref.ev[e].end,
				      "chunk %zu: event %d differs", chunks[i], e);
	}
	free(s.x);
}
END_TEST

START_TEST(test_dtmf_digits_at_minus_30_dbm0_are_detected)
{
	struct sig s = make_sig(DTMF_DIGITS, -30, 0, 50, 50, 0);
	struct rec r;

	detect(NULL, &s, 160, &r);
	expect_digits(&r, &s, DTMF_DIGITS, EDGE, 160);
	ck_assert_int_lt(r.ev[0].level_dbm0, -20);
	free(s.x);
}
END_TEST

START_TEST(test_dtmf_digits_below_the_threshold_are_not)
{
	struct sig s = make_sig(DTMF_DIGITS, -50, 0, 50, 50, 0);
	struct rec r;

	detect(NULL, &s, 160, &r);
	ck_assert_int_eq(r.n, 0);
	free(s.x);
}
END_TEST

/* spandsp accepts the high group up to 8 dB weaker, 4 dB stronger */
START_TEST(test_dtmf_twist_within_spec_is_detected)
{
	static const int twist[] = { -7, -6, -3, 0, 2, 3 };
	unsigned int i;
	struct rec r;

	for (i = 0; i < sizeof(twist) / sizeof(twist[0]); i++) {
		struct sig s = make_sig(DTMF_DIGITS, -20, twist[i], 50, 50, 0);

		detect(NULL, &s, 160, &r);
		expect_digits(&r, &s, DTMF_DIGITS, EDGE, 160);
		free(s.x);
	}
}
END_TEST

START_TEST(test_dtmf_twist_beyond_spec_is_rejected)
{
	static const int twist[] = { -12, 7 };
	unsigned int i;
	struct rec r;

	for (i = 0; i < sizeof(twist) / sizeof(twist[0]); i++) {
		struct sig s = make_sig(DTMF_DIGITS, -20, twist[i], 50, 50, 0);

		detect(NULL, &s, 160, &r);
		ck_assert_msg(r.n == 0, "twist %d: %d events", twist[i], r.n);
		free(s.x);
	}
}
END_TEST

START_TEST(test_dtmf_twist_and_threshold_are_configurable)
{
	struct dtmf_det_config strict = { .min_on_ms = 40, .twist_db = 3, .reverse_twist_db = 1,
					  .threshold_dbm0 = -30 };
	struct sig weak_high = make_sig("48", -20, -6, 50, 50, 0);
	struct sig strong_high = make_sig("48", -20, 3, 50, 50, 0);
	struct sig quiet = make_sig("48", -36, 0, 50, 50, 0);
	struct sig fine = make_sig("48", -20, 0, 50, 50, 0);
	struct rec r;

	detect(&strict, &weak_high, 160, &r);
	ck_assert_int_eq(r.n, 0);
	detect(&strict, &strong_high, 160, &r);
	ck_assert_int_eq(r.n, 0);
	detect(&strict, &quiet, 160, &r);
	ck_assert_int_eq(r.n, 0);
	detect(&strict, &fine, 160, &r);
	expect_digits(&r, &fine, "48", EDGE, 160);
	detect(NULL, &quiet, 160, &r);
	expect_digits(&r, &quiet, "48", EDGE, 160);
	free(weak_high.x);
	free(strong_high.x);
	free(quiet.x);
	free(fine.x);
}
END_TEST

/* Q.24: 40 ms must be accepted; spandsp alone takes some 25..35 ms tones */
START_TEST(test_dtmf_digits_shorter_than_40ms_are_not_reported_at_any_alignment)
{
	static const int short_ms[] = { 10, 20, 25, 30, 35 };
	struct dtmf_det_stats st;
	struct dtmf_det *d;
	struct rec r;
	unsigned int i;
	size_t lead;

	for (i = 0; i < sizeof(short_ms) / sizeof(short_ms[0]); i++) {
		for (lead = 0; lead < DTMF_BLOCK; lead += 3) {
			struct sig s = make_sig("5", -10, 0, short_ms[i], 100, 400 + lead);

			memset(&r, 0, sizeof(r));
			d = dtmf_det_new(NULL, collect, &r);
			feed(d, &r, s.x, s.n, 160, T0);
			ck_assert_msg(r.n == 0, "%d ms at +%zu: %d events", short_ms[i], lead, r.n);
			dtmf_det_get_stats(d, &st);
			ck_assert_uint_eq(st.digits, 0);
			dtmf_det_free(d);
			free(s.x);
		}
	}
}
END_TEST

START_TEST(test_dtmf_digits_of_40ms_are_reported_at_every_alignment)
{
	struct dtmf_det_stats st;
	struct dtmf_det *d;
	struct rec r;
	size_t lead;

	for (lead = 0; lead < DTMF_BLOCK; lead++) {
		struct sig s = make_sig("5", -10, 0, 40, 100, 400 + lead);

		memset(&r, 0, sizeof(r));
		d = dtmf_det_new(NULL, collect, &r);
		feed(d, &r, s.x, s.n, 160, T0);
		expect_digits(&r, &s, "5", EDGE, 160);
		dtmf_det_get_stats(d, &st);
		ck_assert_uint_eq(st.digits, 1);
		ck_assert_uint_eq(st.too_short, 0);
		dtmf_det_free(d);
		free(s.x);
	}
}
END_TEST

START_TEST(test_dtmf_min_on_is_configurable)
{
	struct dtmf_det_config c = { .min_on_ms = 60 };
	struct sig s45 = make_sig("7", -10, 0, 45, 100, 400);
	struct sig s70 = make_sig("7", -10, 0, 70, 100, 400);
	struct rec r;

	detect(&c, &s45, 160, &r);
	ck_assert_int_eq(r.n, 0);
	detect(&c, &s70, 160, &r);
	expect_digits(&r, &s70, "7", EDGE, 160);
	c.min_on_ms = DTMF_MAX_MIN_ON_MS + 1;
	ck_assert_ptr_null(dtmf_det_new(&c, collect, &r));
	c.min_on_ms = -1;
	ck_assert_ptr_null(dtmf_det_new(&c, collect, &r));
	free(s45.x);
	free(s70.x);
}
END_TEST

/* Rolling across the keypad: no gap, both digits, the second starting
 * where the first ended. */
START_TEST(test_dtmf_back_to_back_digits_without_a_gap_are_both_reported)
{
	struct sig a = make_sig("2", -10, 0, 80, 0, 400);
	struct sig b = make_sig("8", -10, 0, 80, 0, 0);
	int16_t *x = calloc(a.n + b.n, sizeof(*x));
	size_t join = a.end[0];
	struct dtmf_det *d;
	struct rec r = { 0 };

	ck_assert_ptr_nonnull(x);
	memcpy(x, a.x, join * sizeof(*x));
	memcpy(x + join, b.x, b.n * sizeof(*x));
	d = dtmf_det_new(NULL, collect, &r);
	feed(d, &r, x, join + b.n, 160, T0);
	ck_assert_int_eq(r.n, 4);
	ck_assert_int_eq(r.ev[0].digit, '2');
	ck_assert_int_eq(r.ev[2].digit, '8');
	ck_assert_int_eq(r.ev[1].type, DTMF_DIGIT_END);
	ck_assert_uint_eq(r.ev[1].end, r.ev[2].start);
	ck_assert_int_lt(labs((long)r.ev[2].start - (long)(T0 + join)), DTMF_BLOCK);
	dtmf_det_free(d);
	free(x);
	free(a.x);
	free(b.x);
}
END_TEST

START_TEST(test_dtmf_reset_forgets_a_digit_in_progress)
{
	struct sig s = make_sig("9", -10, 0, 200, 100, 0);
	struct dtmf_det *d;
	struct rec r = { 0 };

	d = dtmf_det_new(NULL, collect, &r);
	feed(d, &r, s.x, DSP_SAMPLES(100), 160, T0);
	ck_assert_int_eq(r.n, 1);	/* START, 100 ms in */
	dtmf_det_reset(d);
	feed(d, &r, s.x + DSP_SAMPLES(200), s.n - DSP_SAMPLES(200), 160, T0);
	ck_assert_int_eq(r.n, 1);	/* no END for it, nothing new */
	dtmf_det_free(d);
	free(s.x);
}
END_TEST

START_TEST(test_dtmf_generator_rejects_bad_digits_and_detector_needs_init)
{
	struct dtmf_gen *g = dtmf_gen_new(-10, 0, 50, 50);

	ck_assert_ptr_nonnull(g);
	ck_assert_int_eq(dtmf_gen_put(g, "12x"), -EINVAL);
	ck_assert_int_eq(dtmf_gen_put(g, "*#"), 2);
	dtmf_gen_free(g);
	dsp_exit();
	ck_assert_ptr_null(dtmf_det_new(NULL, NULL, NULL));
	ck_assert_ptr_null(dtmf_gen_new(-10, 0, 50, 50));
	ck_assert_int_eq(dsp_init(), 0);
}
END_TEST

/* ------------------------------------------------------------- talk-off */

/* Mixed English with numbers, dates, money, codes: read by four voices. */
static const char *const talk[] = {
	"Good morning, and thank you for calling. Your call is important to us. "
	"Please listen carefully, as our menu options have recently changed. "
	"For account balances and recent transactions, press one. To report a lost "
	"or stolen card, press two. For questions about a mortgage or a loan, press "
	"three. To speak with a customer service representative, press zero, or "
	"simply stay on the line.",
	"Your current balance is four thousand, three hundred and twenty seven dollars "
	"and fifty eight cents. Your last payment of 1,250 dollars was received on "
	"March 14th, 2023. The minimum payment of 35 dollars is due on the 2nd of "
	"April. Your reference number is 8 8 4 7 1 0 2 9 3 6, and the branch code is "
	"0 4 5 1. Call us back on 1 800 555 0199, extension 4 2 7.",
	"The weather tomorrow will be mostly sunny, with a high of 23 degrees and a "
	"low of 11. Winds from the south west at 15 to 25 kilometres per hour, gusting "
	"to 40 in the afternoon. There is a thirty percent chance of scattered showers "
	"in the evening, clearing overnight. Saturday looks cooler, with temperatures "
	"around 17 degrees and light rain moving in from the coast.",
	"She sells sea shells by the sea shore. The quick brown fox jumps over the "
	"lazy dog. Peter Piper picked a peck of pickled peppers. How much wood would a "
	"woodchuck chuck if a woodchuck could chuck wood? Red leather, yellow leather. "
	"Unique New York. Toy boat, toy boat, toy boat. Irish wristwatch, Swiss "
	"wristwatch. Eleven benevolent elephants.",
	"Flight BA 2 9 7 to Chicago, departing at 10 45 from gate 31 B, is now "
	"boarding. Passengers in rows 20 to 35 please proceed to the gate. Flight "
	"U A 9 0 1 to San Francisco has been delayed until 14 20. We apologise for the "
	"inconvenience. Please keep your belongings with you at all times; unattended "
	"baggage will be removed and may be destroyed.",
	"Ooh, aah, eee, ohh, mmm, hmm. Yes. No. Maybe. Really? Absolutely! "
	"Well, I suppose so... It's the nineteenth of September, nineteen ninety "
	"nine, twenty past eleven. Seven, seventeen, seventy, seven hundred and "
	"seventy seven. Eight, eighty, eighty eight. Nine nine nine, one one two, "
	"nine one one. Pi is three point one four one five nine two six five three.",
	"In the beginning the universe was created. This has made a lot of people "
	"very angry and been widely regarded as a bad move. Many were increasingly of "
	"the opinion that they'd all made a big mistake in coming down from the trees "
	"in the first place. And some said that even the trees had been a bad move, "
	"and that no one should ever have left the oceans.",
	"To change your personal identification number, enter your current four "
	"digit PIN followed by the hash key. Then enter your new PIN, twice. Your PIN "
	"must not contain repeated digits such as 1 1 1 1, or sequences such as 1 2 3 "
	"4. For security reasons, we will never ask for your full PIN over the "
	"telephone, by email, or by text message.",
};

static const char *const voices[][3] = {
	/* voice, words per minute, pitch */
	{ "en-us", "175", "50" },
	{ "en-gb+f3", "160", "75" },
	{ "en-gb-scotland+m3", "140", "30" },
	{ "en-029+f2", "200", "60" },
};

static void run_espeak(const char *voice, const char *wpm, const char *pitch,
		       const char *txt, const char *wav)
{
	int status;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (!pid) {
		execlp("espeak-ng", "espeak-ng", "-v", voice, "-s", wpm, "-p", pitch, "-f", txt,
		       "-w", wav, (char *)NULL);
		_exit(127);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) != 127,
		      "espeak-ng not found (scripts/deps installs it)");
	ck_assert_msg(WIFEXITED(status) && !WEXITSTATUS(status), "espeak-ng failed");
}

/* Speech read by espeak-ng now, brought to 8 kHz by the prompt loader */
static struct prompt *speech(char *dir, unsigned int v)
{
	char txt[256], wav[256], err[PROMPT_ERR_LEN];
	struct prompt *p;
	unsigned int i;
	FILE *f;

	snprintf(txt, sizeof(txt), "%s/talk.txt", dir);
	snprintf(wav, sizeof(wav), "%s/talk%u.wav", dir, v);
	f = fopen(txt, "w");
	ck_assert_ptr_nonnull(f);
	for (i = 0; i < sizeof(talk) / sizeof(talk[0]); i++)
		fprintf(f, "%s\n\n", talk[i]);
	fclose(f);
	run_espeak(voices[v][0], voices[v][1], voices[v][2], txt, wav);
	ck_assert_msg(!prompt_load(wav, PROMPT_LINEAR, &p, err, sizeof(err)), "%s", err);
	unlink(wav);
	unlink(txt);
	return p;
}

static void talk_off(const struct dtmf_det_config *cfg, const char *what)
{
	char dir[] = "/tmp/tdmxd-talkoff-XXXXXX";
	struct dtmf_det_stats st, total = { 0 };
	uint64_t samples = 0;
	unsigned int v;
	int gain;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	for (v = 0; v < sizeof(voices) / sizeof(voices[0]); v++) {
		struct prompt *p = speech(dir, v);
		int16_t *x = malloc(p->samples * sizeof(*x));

		ck_assert_ptr_nonnull(x);
		/* as rendered (peaks near full scale), and 20 dB down */
		for (gain = 0; gain < 2; gain++) {
			struct rec r = { 0 };
			struct dtmf_det *d = dtmf_det_new(cfg, collect, &r);
			uint32_t i;

			for (i = 0; i < p->samples; i++)
				x[i] = gain ? p->pcm[i] / 10 : p->pcm[i];
			feed(d, &r, x, p->samples, 160, 0);
			ck_assert_msg(r.n == 0, "%s: %s at -%d dB: false digit '%c' at %.2f s",
				      what, voices[v][0], gain * 20, r.ev[0].digit,
				      r.n ? (double)r.ev[0].start / MEDIA_RATE : 0.0);
			dtmf_det_get_stats(d, &st);
			total.too_short += st.too_short;
			dtmf_det_free(d);
		}
		samples += p->samples;
		free(x);
		prompt_put(p);
	}
	rmdir(dir);
	/* a few minutes of speech, or the test proves little */
	ck_assert_uint_ge(samples, (uint64_t)MEDIA_RATE * 240);
	printf("talk-off (%s): %.0f s of speech at two levels, 0 digits, %llu short hits dropped\n",
	       what, (double)samples / MEDIA_RATE, (unsigned long long)total.too_short);
}

START_TEST(test_dtmf_talk_off_espeak_speech_gives_no_digits)
{
	talk_off(NULL, "default");
}
END_TEST

START_TEST(test_dtmf_talk_off_block_mode_gives_no_digits)
{
	struct dtmf_det_config c = { .min_on_ms = 0 };

	talk_off(&c, "min_on 0");
}
END_TEST

/* ------------------------------------------------------- call progress */

struct cpt_rec {
	enum tone_id tone[32];
	uint64_t at[32];
	int n;
};

static void cpt_collect(void *arg, enum tone_id tone, uint64_t ts)
{
	struct cpt_rec *r = arg;

	ck_assert_int_lt(r->n, 32);
	r->tone[r->n] = tone;
	r->at[r->n++] = ts;
}

/* @ms of @id from @plan at @gain, then 6 s of silence, into plan @rx_plan */
static void cpt_run(const char *plan, enum tone_id id, unsigned int ms, double gain,
		    const char *rx_plan, struct cpt_rec *r)
{
	struct cpt_rx *rx;
	struct tone_player tp;
	int16_t x[160];
	uint64_t t, end = (uint64_t)DSP_SAMPLES(ms), stop = end + DSP_SAMPLES(6000);
	int i;

	memset(r, 0, sizeof(*r));
	rx = cpt_rx_new(tone_plan_find(rx_plan), cpt_collect, r);
	ck_assert_ptr_nonnull(rx);
	ck_assert_int_eq(tone_player_init(&tp), 0);
	ck_assert_int_eq(tone_start(&tp, tone_plan_find(plan), id), 0);
	for (t = 0; t < stop; t += 160) {
		if (t == end)
			tone_stop(&tp);
		tone_generate(&tp, x, 160);
		for (i = 0; i < 160; i++)
			x[i] = (int16_t)(x[i] * gain);
		cpt_rx_feed(rx, x, 160, t);
	}
	tone_player_release(&tp);
	cpt_rx_free(rx);
}

/* Three cadence periods (at least 4 s), or 3 s of a steady tone */
static unsigned int cpt_play_ms(const struct tone_def *d)
{
	unsigned int p = tone_period_ms(d);

	if (!d->cadence_ms[1])
		return 3000;
	return 3 * p > 4000 ? 3 * p : 4000;
}

/*
 * Every progress tone of every plan: recognised as itself, once, then its
 * end. Call waiting is no progress tone: nothing at all, in particular not
 * the busy tone its first burst resembles (CN) or the congestion its
 * double beep resembles (ITU).
 */
START_TEST(test_cpt_classifies_every_tone_of_every_plan)
{
	const struct tone_plan *p = tone_plan_at((unsigned int)_i / TONE_COUNT);
	enum tone_id id = (enum tone_id)(_i % TONE_COUNT);
	const struct tone_def *d = tone_plan_def(p, id);
	unsigned int ms = cpt_play_ms(d);
	struct cpt_rec r;

	cpt_run(p->name, id, ms, 1.0, p->name, &r);
	if (id == TONE_CALL_WAITING) {
		ck_assert_msg(r.n == 0, "%s call waiting taken for %s", p->name,
			      tone_name(r.tone[0]));
		return;
	}
	ck_assert_msg(r.n == 2, "%s %s: %d events", p->name, tone_name(id), r.n);
	ck_assert_msg(r.tone[0] == id, "%s %s: taken for %s", p->name, tone_name(id),
		      tone_name(r.tone[0]));
	ck_assert_int_eq(r.tone[1], TONE_NONE);
	/* recognised within two periods and a bit; ended after it did */
	ck_assert_uint_le(r.at[0], DSP_SAMPLES(2 * tone_period_ms(d) + 1600));
	ck_assert_uint_ge(r.at[1], DSP_SAMPLES(ms));
}
END_TEST

START_TEST(test_cpt_cn_busy_and_ringback_are_told_apart_quickly)
{
	struct cpt_rec r;

	cpt_run("cn", TONE_BUSY, 3000, 1.0, "cn", &r);
	ck_assert_int_eq(r.tone[0], TONE_BUSY);
	ck_assert_uint_le(r.at[0], DSP_SAMPLES(1500));
	cpt_run("cn", TONE_RINGBACK, 11000, 1.0, "cn", &r);
	ck_assert_int_eq(r.tone[0], TONE_RINGBACK);
	ck_assert_uint_le(r.at[0], DSP_SAMPLES(5000));
	cpt_run("cn", TONE_CONGESTION, 3000, 1.0, "cn", &r);
	ck_assert_int_eq(r.tone[0], TONE_CONGESTION);
}
END_TEST

START_TEST(test_cpt_us_busy_ringback_and_reorder_at_minus_20_db)
{
	struct cpt_rec r;

	cpt_run("us", TONE_BUSY, 3000, 0.1, "us", &r);
	ck_assert_int_eq(r.n, 2);
	ck_assert_int_eq(r.tone[0], TONE_BUSY);
	cpt_run("us", TONE_RINGBACK, 14000, 0.1, "us", &r);
	ck_assert_int_eq(r.n, 2);
	ck_assert_int_eq(r.tone[0], TONE_RINGBACK);
	cpt_run("us", TONE_CONGESTION, 2000, 0.1, "us", &r);
	ck_assert_int_eq(r.n, 2);
	ck_assert_int_eq(r.tone[0], TONE_CONGESTION);
}
END_TEST

/* A US busy tone means nothing to a CN-plan detector's ringback, and so on */
START_TEST(test_cpt_ignores_silence_and_a_foreign_cadence)
{
	struct cpt_rec r;

	cpt_run("us", TONE_BUSY, 0, 1.0, "us", &r);
	ck_assert_int_eq(r.n, 0);
	cpt_run("itu", TONE_CALL_WAITING, 12000, 1.0, "us", &r);
	ck_assert_int_eq(r.n, 0);
}
END_TEST

START_TEST(test_cpt_reset_forgets_the_tone)
{
	struct cpt_rec r = { 0 };
	struct cpt_rx *rx = cpt_rx_new(tone_plan_find("cn"), cpt_collect, &r);
	struct tone_player tp;
	int16_t x[160];
	uint64_t t;

	ck_assert_ptr_nonnull(rx);
	ck_assert_int_eq(tone_player_init(&tp), 0);
	ck_assert_int_eq(tone_start(&tp, tone_plan_find("cn"), TONE_BUSY), 0);
	for (t = 0; t < DSP_SAMPLES(2000); t += 160) {
		tone_generate(&tp, x, 160);
		cpt_rx_feed(rx, x, 160, t);
	}
	ck_assert_int_eq(cpt_rx_tone(rx), TONE_BUSY);
	cpt_rx_reset(rx);
	ck_assert_int_eq(cpt_rx_tone(rx), TONE_NONE);
	ck_assert_ptr_null(cpt_rx_new(NULL, cpt_collect, &r));
	tone_player_release(&tp);
	cpt_rx_free(rx);
}
END_TEST

static Suite *dtmf_suite(void)
{
	Suite *s = suite_create("tdmxd_dtmf");
	TCase *tc = tcase_create("dtmf");
	TCase *tt = tcase_create("talkoff");
	TCase *tp = tcase_create("cpt");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_dtmf_all_16_digits_detected_once_each_in_order_with_times);
	tcase_add_test(tc, test_dtmf_block_mode_times_are_within_one_block);
	tcase_add_test(tc, test_dtmf_events_do_not_depend_on_the_chunk_size);
	tcase_add_test(tc, test_dtmf_digits_at_minus_30_dbm0_are_detected);
	tcase_add_test(tc, test_dtmf_digits_below_the_threshold_are_not);
	tcase_add_test(tc, test_dtmf_twist_within_spec_is_detected);
	tcase_add_test(tc, test_dtmf_twist_beyond_spec_is_rejected);
	tcase_add_test(tc, test_dtmf_twist_and_threshold_are_configurable);
	tcase_add_test(tc, test_dtmf_digits_shorter_than_40ms_are_not_reported_at_any_alignment);
	tcase_add_test(tc, test_dtmf_digits_of_40ms_are_reported_at_every_alignment);
	tcase_add_test(tc, test_dtmf_min_on_is_configurable);
	tcase_add_test(tc, test_dtmf_back_to_back_digits_without_a_gap_are_both_reported);
	tcase_add_test(tc, test_dtmf_reset_forgets_a_digit_in_progress);
	tcase_add_test(tc, test_dtmf_generator_rejects_bad_digits_and_detector_needs_init);
	suite_add_tcase(s, tc);

	tcase_add_checked_fixture(tt, setup, teardown);
	tcase_set_timeout(tt, 300);
	tcase_add_test(tt, test_dtmf_talk_off_espeak_speech_gives_no_digits);
	tcase_add_test(tt, test_dtmf_talk_off_block_mode_gives_no_digits);
	suite_add_tcase(s, tt);

	tcase_add_checked_fixture(tp, setup, teardown);
	tcase_set_timeout(tp, 120);
	tcase_add_loop_test(tp, test_cpt_classifies_every_tone_of_every_plan, 0,
			    (int)(tone_plan_count() * TONE_COUNT));
	tcase_add_test(tp, test_cpt_cn_busy_and_ringback_are_told_apart_quickly);
	tcase_add_test(tp, test_cpt_us_busy_ringback_and_reorder_at_minus_20_db);
	tcase_add_test(tp, test_cpt_ignores_silence_and_a_foreign_cadence);
	tcase_add_test(tp, test_cpt_reset_forgets_the_tone);
	suite_add_tcase(s, tp);
	return s;
}

TDMX_CHECK_MAIN(dtmf_suite)
