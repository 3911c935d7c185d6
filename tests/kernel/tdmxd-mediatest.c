// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd-mediatest: what tdmxd's media graph does to audio, end to end.
 *
 *   tdmxd-mediatest -s SOCKET -l NEAR:FAR [-l NEAR:FAR]... TEST PORT...
 *
 *   conf T1 T2 T3 S L     conference: talkers T1..T3, a silent talker S and
 *                         a listen-only member L
 *   super AGENT CALLER SUP  supervisor modes on the bridge AGENT <-> CALLER
 *   dtmf PORT [DIGITS]    digits sent into PORT are reported in order
 *   rec CALLER AGENT M    stereo (law, pcm16) and mono recordings' contents,
 *                         of the bridge CALLER <-> AGENT, then of a
 *                         conference of CALLER, AGENT and M
 *   play PORT DIR         an A-law prompt (written to DIR) arrives bit-exact;
 *                         the dial tone is 425 Hz
 *
 * PORTs are tdmxd's (near) ports "SPAN/TS"; -l names the vcard loop pairs,
 * so that the program sends and receives on the far end of each port: the
 * channel device /dev/tdmx/chan/FAR/TS. The program drives tdmxd through
 * its control socket itself (so that a mode switch can happen while audio
 * flows) and undoes what it set up before it exits, so that the scenario
 * can run it again after a run broken by a TCG stall.
 *
 * Audio is A-law (the spans' law). Mixed audio is compared in the linear
 * domain with a tolerance of one quantisation step at the expected level
 * (the sum is re-encoded once, which errs by at most half a step); audio
 * that only one party sends must arrive bit-exact. Sequence patterns are
 * pseudo-random tables of period 251 (so a lost or repeated 8-sample block
 * changes nearly every later sample), one table per sender, in
 * [-1000, 1000] so that sums stay in the fine segments and never clamp.
 *
 * Exit status: 0 passed, 1 a check failed (the first line saying FAIL says
 * which and why), 2 usage or setup error.
 */
#include <math.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "ktest.h"

#define PERIOD		251	/* sequence pattern period (prime, not a multiple of 8) */
#define NPAT		4
#define IDLE		0xD5	/* A-law idle: +8 */
#define MAXFAR		8
#define LOCK_WIN	32	/* samples a pattern lock must match */
#define SETTLE		240	/* constant samples that make a level settled (30 ms) */
#define PHASE_SKIP	4000	/* samples heard before a new level may settle */

/* ---- A-law, written from G.711's segment table (int16 scale) ---- */

static int16_t alaw_dec(uint8_t c)
{
	int v, seg;

	c ^= 0x55;
	seg = (c >> 4) & 7;
	v = ((c & 15) << 4) + 8;	/* the middle of the step */
	if (seg)
		v = (v + 256) << (seg - 1);
	return (int16_t)(c & 0x80 ? v : -v);
}

static uint8_t alaw_enc(int x)
{
	unsigned int mag, seg = 0, sign = 0x80;
	uint8_t c;

	if (x < 0) {
		sign = 0;
		x = -x - 1;	/* G.711: negative values as one's complement */
	}
	mag = (unsigned int)(x > 32767 ? 32767 : x) >> 3;
	while (seg < 7 && mag >= (32u << seg))
		seg++;
	c = (uint8_t)(seg << 4 | ((seg ? mag >> seg : mag >> 1) & 15));
	return (uint8_t)((c | sign) ^ 0x55);
}

/* the quantisation step at magnitude @x: the tolerance of a mixed sample */
static int alaw_step(int x)
{
	int seg = 0;

	x = x < 0 ? -x : x;
	while (seg < 7 && x >= (512 << seg))
		seg++;
	return seg ? 16 << seg : 16;
}

static int clamp16(int x)
{
	return x > 32767 ? 32767 : x < -32768 ? -32768 : x;
}

/* does received @got stand for the linear value @want (already clamped)? */
static bool near_lin(int want, uint8_t got)
{
	int g = alaw_dec(got), tol = alaw_step(want);

	if (alaw_step(g) > tol)
		tol = alaw_step(g);
	return abs(g - want) <= tol;
}

static uint8_t pat[NPAT][PERIOD];

/* pattern tables: pseudo-random levels in [-1000, 1000], never idle */
static void pat_init(void)
{
	uint32_t s = 0x9e3779b9;
	unsigned int d, i;

	for (d = 0; d < NPAT; d++)
		for (i = 0; i < PERIOD; i++) {
			do {
				s ^= s << 13;
				s ^= s >> 17;
				s ^= s << 5;
				pat[d][i] = alaw_enc((int)(s % 2001) - 1000);
			} while (pat[d][i] == IDLE);
		}
}

/* ---- the control socket ---- */

static int ctl_fd = -1;
static char ctl_buf[65536];
static size_t ctl_len;
static char events[64][512];	/* event lines that came between replies */
static unsigned int nevents;

/* one line within @ms, without its newline; NULL on timeout or EOF */
static char *ctl_line(int ms)
{
	static char line[sizeof(ctl_buf)];
	double end = kt_now_ms() + ms;
	struct pollfd p = { .fd = ctl_fd, .events = POLLIN };
	char *nl;
	ssize_t n;

	for (;;) {
		nl = memchr(ctl_buf, '\n', ctl_len);
		if (nl) {
			*nl = 0;
			snprintf(line, sizeof(line), "%s", ctl_buf);
			ctl_len -= (size_t)(nl + 1 - ctl_buf);
			memmove(ctl_buf, nl + 1, ctl_len);
			return line;
		}
		if (ctl_len == sizeof(ctl_buf) - 1)
			return NULL;
		/* look at least once, even with @ms = 0 */
		if (poll(&p, 1, kt_now_ms() < end ? (int)(end - kt_now_ms()) + 1 : 0) <= 0) {
			if (kt_now_ms() >= end)
				return NULL;
			continue;
		}
		n = read(ctl_fd, ctl_buf + ctl_len, sizeof(ctl_buf) - 1 - ctl_len);
		if (n <= 0)
			return NULL;
		ctl_len += (size_t)n;
	}
}

static int ctl_open(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	ctl_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (ctl_fd < 0 || connect(ctl_fd, (struct sockaddr *)&sa, sizeof(sa)))
		return -errno;
	return 0;
}

/* an event line kept for later; a flood of them keeps the first ones */
static void keep_event(const char *l)
{
	if (nevents < sizeof(events) / sizeof(events[0]))
		snprintf(events[nevents++], sizeof(events[0]), "%s", l);
}

/*
 * One request; its reply in @reply (may be NULL). Event lines read on the
 * way are kept. Return: 0 ok, -EIO for an error reply (printed unless
 * @quiet), -ETIMEDOUT.
 */
static int ctl_req(char *reply, size_t size, bool quiet, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int ctl_req(char *reply, size_t size, bool quiet, const char *fmt, ...)
{
	char req[1024], *l;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(req, sizeof(req) - 1, fmt, ap);
	va_end(ap);
	req[n++] = '\n';
	if (write(ctl_fd, req, (size_t)n) != n)
		return -errno;
	for (;;) {
		l = ctl_line(10000);
		if (!l) {
			kt_msg("FAIL: no reply from tdmxd to %.*s", n - 1, req);
			return -ETIMEDOUT;
		}
		if (!strncmp(l, "{\"event\"", 8)) {
			keep_event(l);
			continue;
		}
		if (reply)
			snprintf(reply, size, "%s", l);
		if (!strncmp(l, "{\"ok\":true", 10))
			return 0;
		if (!quiet)
			kt_msg("FAIL: tdmxd refused %.*s: %s", n - 1, req, l);
		return -EIO;
	}
}

/* the string member @key of a flat JSON object (no escapes in our values) */
static bool json_str(const char *l, const char *key, char *out, size_t size)
{
	char pat_[64];
	const char *p, *e;

	snprintf(pat_, sizeof(pat_), "\"%s\":\"", key);
	p = strstr(l, pat_);
	if (!p)
		return false;
	p += strlen(pat_);
	e = strchr(p, '"');
	if (!e || (size_t)(e - p) >= size)
		return false;
	memcpy(out, p, (size_t)(e - p));
	out[e - p] = 0;
	return true;
}

static bool json_num(const char *l, const char *key, long long *v)
{
	char pat_[64];
	const char *p;

	snprintf(pat_, sizeof(pat_), "\"%s\":", key);
	p = strstr(l, pat_);
	if (!p)
		return false;
	*v = strtoll(p + strlen(pat_), NULL, 10);
	return true;
}

/* ---- far ends: what they send, what they hear ---- */

enum src_kind { SRC_IDLE, SRC_CONST, SRC_PAT, SRC_BUF };

struct far {
	const char *name;		/* the near port, for messages */
	unsigned int span, ts;		/* the far channel */
	int fd;
	enum src_kind kind;		/* what it sends */
	uint8_t code;			/* SRC_CONST */
	unsigned int pat;		/* SRC_PAT */
	const uint8_t *buf;		/* SRC_BUF, then idle */
	size_t buflen;
	uint64_t sent;
	bool sending;
	void (*hear)(struct far *f, const uint8_t *o, size_t n);
	void *chk;			/* the checker of what it hears */
};

static struct far fars[MAXFAR];
static unsigned int nfars;
static unsigned int loops[16][2];
static unsigned int nloops;

static void far_fill(struct far *f)
{
	uint8_t b[512];
	size_t i;
	ssize_t w;

	for (;;) {
		for (i = 0; i < sizeof(b); i++) {
			uint64_t k = f->sent + i;

			switch (f->kind) {
			case SRC_CONST: b[i] = f->code; break;
			case SRC_PAT: b[i] = pat[f->pat][k % PERIOD]; break;
			case SRC_BUF: b[i] = k < f->buflen ? f->buf[k] : IDLE; break;
			default: b[i] = IDLE; break;
			}
		}
		w = write(f->fd, b, sizeof(b));
		if (w <= 0)
			return;
		f->sent += (uint64_t)w;
	}
}

static void drain(int fd)
{
	uint8_t b[1024];

	while (read(fd, b, sizeof(b)) > 0)
		;
}

/*
 * Stream on every far end for @ms: keep the senders' FIFOs full, hand what
 * arrives to each end's checker. @stop (may be NULL) ends it early.
 */
static int pump(double ms, bool (*stop)(void))
{
	struct pollfd p[MAXFAR];
	double end = kt_now_ms() + ms;
	uint8_t b[1024];
	unsigned int i;
	ssize_t n;

	while (kt_now_ms() < end && !(stop && stop())) {
		for (i = 0; i < nfars; i++) {
			p[i].fd = fars[i].fd;
			p[i].events = POLLIN | (fars[i].sending ? POLLOUT : 0);
		}
		if (poll(p, nfars, 20) < 0 && errno != EINTR) {
			kt_msg("poll: %s", strerror(errno));
			return -errno;
		}
		for (i = 0; i < nfars; i++) {
			if (p[i].revents & POLLOUT)
				far_fill(&fars[i]);
			if (!(p[i].revents & POLLIN))
				continue;
			n = read(fars[i].fd, b, sizeof(b));
			if (n > 0 && fars[i].hear)
				fars[i].hear(&fars[i], b, (size_t)n);
		}
	}
	return 0;
}

static int parse_port(const char *s, unsigned int *span, unsigned int *ts)
{
	char *e;
	unsigned long a, b;

	a = strtoul(s, &e, 10);
	if (*e != '/' || a < 1 || a > 128)
		return -EINVAL;
	b = strtoul(e + 1, &e, 10);
	if (*e || b < 1 || b > 31)
		return -EINVAL;
	*span = (unsigned int)a;
	*ts = (unsigned int)b;
	return 0;
}

/* the far end of near port @name, opened */
static struct far *far_of(const char *name)
{
	unsigned int span, ts, i;
	struct far *f;
	int fd;

	if (parse_port(name, &span, &ts)) {
		fprintf(stderr, "tdmxd-mediatest: '%s' is not SPAN/TS\n", name);
		exit(KT_SETUP);
	}
	for (i = 0; i < nloops && loops[i][0] != span; i++)
		;
	if (i == nloops || nfars == MAXFAR) {
		fprintf(stderr, "tdmxd-mediatest: span %u is in no -l loop pair\n", span);
		exit(KT_SETUP);
	}
	fd = kt_open_chan(loops[i][1], ts, O_RDWR | O_NONBLOCK);
	if (fd < 0) {
		kt_msg("open /dev/tdmx/chan/%u/%u: %s", loops[i][1], ts, strerror(-fd));
		exit(KT_SETUP);
	}
	f = &fars[nfars++];
	memset(f, 0, sizeof(*f));
	f->name = name;
	f->span = loops[i][1];
	f->ts = ts;
	f->fd = fd;
	f->sending = true;
	drain(fd);
	return f;
}

/* ---- 1. conferences: constant levels, mix-minus, listen, clamping ---- */

struct level {
	int want;		/* linear value it must hear */
	unsigned int run;	/* consecutive samples near it */
	bool settled, bad;
	uint64_t n;		/* samples since the phase began */
	int got;		/* the first wrong value after settling */
};

static void hear_level(struct far *f, const uint8_t *o, size_t n)
{
	struct level *l = f->chk;
	size_t i;

	for (i = 0; i < n; i++, l->n++) {
		bool ok = near_lin(l->want, o[i]);

		/*
		 * The old levels still come for up to a FIFO each way plus the
		 * path (< 400 ms), and the members' new levels arrive at
		 * different times: a mix of old and new is no fault.
		 */
		if (l->n < PHASE_SKIP)
			continue;

		if (l->settled) {
			if (!ok && !l->bad) {
				l->bad = true;
				l->got = alaw_dec(o[i]);
			}
			continue;
		}
		l->run = ok ? l->run + 1 : 0;
		l->got = alaw_dec(o[i]);
		l->settled = l->run >= SETTLE;
	}
}

static struct level lv[5];
static unsigned int nlv;

static bool all_settled(void)
{
	unsigned int i;

	for (i = 0; i < nlv; i++)
		if (!lv[i].settled)
			return false;
	return true;
}

/*
 * One conference phase: talkers send @v (linear, A-law encoded; the silent
 * member sends idle, L sends @lvl_l which nobody may hear); each member
 * must settle on the sum of the others within 3 s and hold it for 0.5 s.
 */
static int conf_phase(struct far **m, const char *what, int v1, int v2, int v3, int lvl_l)
{
	int d[3] = { alaw_dec(alaw_enc(v1)), alaw_dec(alaw_enc(v2)), alaw_dec(alaw_enc(v3)) };
	int s = alaw_dec(IDLE), sum = d[0] + d[1] + d[2] + s;
	unsigned int i;
	int ret = 0;

	for (i = 0; i < 3; i++) {
		m[i]->kind = SRC_CONST;
		m[i]->code = alaw_enc(i == 0 ? v1 : i == 1 ? v2 : v3);
		lv[i] = (struct level){ .want = clamp16(sum - d[i]) };
	}
	m[3]->kind = SRC_CONST;	/* the silent talker: idle code */
	m[3]->code = IDLE;
	lv[3] = (struct level){ .want = clamp16(sum - s) };
	m[4]->kind = SRC_CONST;	/* the listener talks, unheard */
	m[4]->code = alaw_enc(lvl_l);
	lv[4] = (struct level){ .want = clamp16(sum) };
	nlv = 5;
	for (i = 0; i < 5; i++)
		m[i]->chk = &lv[i];
	pump(3500, all_settled);
	if (all_settled())
		pump(500, NULL);
	for (i = 0; i < 5; i++) {
		static const char *const role[] = { "talker 1", "talker 2", "talker 3",
						    "silent talker", "listener" };

		if (!lv[i].settled) {
			kt_msg("conference %s: FAIL: %s %s never heard %d (the others' sum, +-%d) for %d ms in 3.5 s; last heard %d",
			       what, role[i], m[i]->name, lv[i].want, alaw_step(lv[i].want),
			       SETTLE / 8, lv[i].got);
			ret = KT_FAIL;
		} else if (lv[i].bad) {
			kt_msg("conference %s: FAIL: %s %s heard %d after it had settled on %d",
			       what, role[i], m[i]->name, lv[i].got, lv[i].want);
			ret = KT_FAIL;
		}
	}
	if (!ret)
		kt_msg("conference %s: ok: members hear %d, %d, %d, silent %d, listener %d",
		       what, lv[0].want, lv[1].want, lv[2].want, lv[3].want, lv[4].want);
	return ret;
}

/* ports mixed on another worker than their span's, over all workers (status) */
static long long remote_ports(void)
{
	static char st[16384];
	long long v, sum = 0;
	const char *p;

	if (ctl_req(st, sizeof(st), false, "{\"cmd\":\"status\"}"))
		return -1;
	for (p = st; (p = strstr(p, "\"remote_ports\":")); p++)
		if (json_num(p, "remote_ports", &v))
			sum += v;
	return sum;
}

static int test_conf(char **ports, int n)
{
	static const char *const modes[] = { "talk", "talk", "talk", "talk", "listen" };
	struct far *m[5];
	int i, joined = 0, ret = KT_FAIL;

	if (n != 5)
		return -1;
	for (i = 0; i < 5; i++) {
		m[i] = far_of(ports[i]);
		m[i]->hear = hear_level;
	}
	for (i = 0; i < 5; i++, joined++)
		if (ctl_req(NULL, 0, false, "{\"cmd\":\"conf_join\",\"conf\":\"mt\",\"port\":\"%s\",\"mode\":\"%s\"}",
			    ports[i], modes[i]))
			goto out;
	/* the scenario checks this when the spans are on two workers */
	kt_msg("conf: %lld members mixed across workers", remote_ports());
	/*
	 * Clamping at +full scale (T3 hears T1 + T2 = 64512; a wrapped sum
	 * would be far off), sums in range, clamping at -full scale: in this
	 * order every member's level changes from one phase to the next.
	 */
	ret = conf_phase(m, "clamp+", 32256, 32256, -32256, -16128);
	ret |= conf_phase(m, "sums", 4224, 1056, -2112, 16128);
	ret |= conf_phase(m, "clamp-", -32256, -32256, 32256, 16128);
out:
	for (i = 0; i < joined; i++)
		ctl_req(NULL, 0, true, "{\"cmd\":\"conf_leave\",\"port\":\"%s\"}", ports[i]);
	return ret;
}

/* ---- 2. supervisor modes: patterns tracked across live switches ---- */

/*
 * What a far end hears, as a set of sources: the patterns of up to two
 * other ends (each at its own index, found by a lock) and the supervisor's
 * constant. The set may change (a mode switch) only to @next, and only as
 * a clean cut: every sample must match either the current or the next set
 * at the indices that advance by one per sample, so a lost or repeated
 * block fails whatever the mode.
 */
struct track {
	const char *what;
	unsigned int npat, p[2];	/* pattern sources */
	int k;				/* the constant heard in some modes */
	bool on, locked, failed;
	unsigned int cur, next;		/* bit 0: the constant is heard */
	uint32_t idx[2];
	uint8_t win[LOCK_WIN];
	unsigned int nwin;
	uint64_t n, switches;
};

static int track_want(const struct track *t, unsigned int set, const uint32_t *idx)
{
	int v = set & 1 ? t->k : 0;
	unsigned int j;

	for (j = 0; j < t->npat; j++)
		v += alaw_dec(pat[t->p[j]][idx[j] % PERIOD]);
	return clamp16(v);
}

/* does @o match set @set at indices @idx? (exact when one pattern alone) */
static bool track_ok(const struct track *t, unsigned int set, const uint32_t *idx, uint8_t o)
{
	if (t->npat == 1 && !(set & 1))
		return o == pat[t->p[0]][idx[0] % PERIOD];
	return near_lin(track_want(t, set, idx), o);
}

static bool track_lock(struct track *t)
{
	uint32_t i0, i1, idx[2];
	unsigned int j, n1 = t->npat > 1 ? PERIOD : 1;

	for (i0 = 0; i0 < PERIOD; i0++)
		for (i1 = 0; i1 < n1; i1++) {
			for (j = 0; j < LOCK_WIN; j++) {
				idx[0] = i0 + j;
				idx[1] = i1 + j;
				if (!track_ok(t, t->cur, idx, t->win[j]))
					break;
			}
			if (j == LOCK_WIN) {
				t->idx[0] = i0 + LOCK_WIN;
				t->idx[1] = i1 + LOCK_WIN;
				return true;
			}
		}
	return false;
}

static void hear_track(struct far *f, const uint8_t *o, size_t n)
{
	struct track *t = f->chk;
	size_t i;

	for (i = 0; i < n && t->on && !t->failed; i++, t->n++) {
		if (!t->locked) {
			if (t->nwin == LOCK_WIN)
				memmove(t->win, t->win + 1, --t->nwin);
			t->win[t->nwin++] = o[i];
			/* a two-pattern search is 63001 tries: not at every sample */
			t->locked = t->nwin == LOCK_WIN && (t->npat == 1 || t->n % 8 == 0) &&
				    track_lock(t);
			continue;
		}
		if (!track_ok(t, t->cur, t->idx, o[i])) {
			if (t->next != t->cur && track_ok(t, t->next, t->idx, o[i])) {
				t->cur = t->next;
				t->switches++;
			} else {
				kt_msg("supervision: FAIL: %s (%s): sample %llu: expected %d (%s), got %d: a lost, repeated or wrongly mixed block",
				       f->name, t->what, (unsigned long long)t->n,
				       track_want(t, t->cur, t->idx),
				       t->cur & 1 ? "with the supervisor" : "without the supervisor",
				       alaw_dec(o[i]));
				t->failed = true;
			}
		}
		t->idx[0]++;
		t->idx[1]++;
	}
}

static struct track *tr[3];

static bool all_locked(void)
{
	unsigned int i;

	for (i = 0; i < 3; i++)
		if (tr[i]->on && !tr[i]->locked)
			return false;
	return true;
}

/* each track's set in mode @mode: bit 0 of an ear: hears the supervisor */
static void sup_switch(const char *mode)
{
	bool w = !strcmp(mode, "whisper"), b = !strcmp(mode, "barge");

	tr[0]->next = w || b;	/* agent */
	tr[1]->next = b;	/* caller */
}

static int sup_verdict(const char *mode)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < 3; i++) {
		if (!tr[i]->on)
			continue;
		if (tr[i]->failed)
			ret = KT_FAIL;
		else if (!tr[i]->locked) {
			kt_msg("supervision %s: FAIL: %s never heard its pattern", mode, tr[i]->what);
			ret = KT_FAIL;
		} else if (tr[i]->cur != tr[i]->next) {
			kt_msg("supervision %s: FAIL: %s: the switch to %s never came through",
			       mode, tr[i]->what, mode);
			ret = KT_FAIL;
		}
	}
	return ret;
}

static int test_super(char **ports, int n)
{
	static const char *const seq[] = { "listen", "whisper", "barge", "listen", "barge",
					   "whisper", "none" };
	static struct track t[3];
	struct far *ag, *ca, *su;
	bool bridged = false, supervised = false;
	unsigned int i;
	int ret = KT_FAIL;

	if (n != 3)
		return -1;
	ag = far_of(ports[0]);
	ca = far_of(ports[1]);
	su = far_of(ports[2]);
	ag->kind = SRC_PAT;
	ag->pat = 0;
	ca->kind = SRC_PAT;
	ca->pat = 1;
	su->kind = SRC_CONST;
	su->code = alaw_enc(2016);
	t[0] = (struct track){ .what = "the agent's ear: the caller", .npat = 1, .p = { 1 },
			       .k = alaw_dec(su->code), .on = true };
	t[1] = (struct track){ .what = "the caller's ear: the agent", .npat = 1, .p = { 0 },
			       .k = alaw_dec(su->code), .on = true };
	t[2] = (struct track){ .what = "the supervisor's ear: agent + caller", .npat = 2,
			       .p = { 0, 1 } };
	for (i = 0; i < 3; i++)
		tr[i] = &t[i];
	ag->chk = &t[0];
	ca->chk = &t[1];
	su->chk = &t[2];
	ag->hear = ca->hear = su->hear = hear_track;
	if (ctl_req(NULL, 0, false, "{\"cmd\":\"bridge\",\"a\":\"%s\",\"b\":\"%s\"}", ports[0],
		    ports[1]))
		goto out;
	bridged = true;
	pump(3000, all_locked);
	if (sup_verdict("bridge"))
		goto out;
	for (i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
		/* the supervisor hears nothing once supervision ends */
		if (!strcmp(seq[i], "none"))
			t[2].on = false;
		sup_switch(seq[i]);
		if (ctl_req(NULL, 0, false, "{\"cmd\":\"supervise\",\"supervisor\":\"%s\",\"agent\":\"%s\",\"mode\":\"%s\"}",
			    ports[2], ports[0], seq[i]))
			goto out;
		supervised = strcmp(seq[i], "none");
		if (i == 0) {
			/* the supervisor's ear locks once listen mode arrived */
			pump(300, NULL);
			t[2].on = true;
		}
		/* the switch comes through within ~100 ms; then it must hold */
		pump(450, NULL);
		if (sup_verdict(seq[i]))
			goto out;
		kt_msg("supervision %s: ok (%s heard %llu samples, %llu switches, no gap)",
		       seq[i], t[0].what, (unsigned long long)t[0].n,
		       (unsigned long long)t[0].switches);
	}
	ret = 0;
out:
	if (supervised)
		ctl_req(NULL, 0, true, "{\"cmd\":\"supervise\",\"supervisor\":\"%s\",\"agent\":\"%s\",\"mode\":\"none\"}",
			ports[2], ports[0]);
	if (bridged)
		ctl_req(NULL, 0, true, "{\"cmd\":\"unbridge\",\"a\":\"%s\"}", ports[0]);
	return ret;
}

/* ---- 3. DTMF: Q.23 tones generated here, events checked ---- */

/* Q.23: row (low group) and column (high group) frequencies, in Hz */
static const char keys[4][5] = { "123A", "456B", "789C", "*0#D" };
static const double rowf[4] = { 697, 770, 852, 941 };
static const double colf[4] = { 1209, 1336, 1477, 1633 };

/* @digits as 50 ms of tone + 50 ms of idle each, -10 dBm0 per tone */
static size_t dtmf_render(const char *digits, uint8_t *o, size_t max)
{
	/* A-law: a sine of 0 dBm0 peaks at 3.14 dB below full scale */
	const double amp = 32768.0 * pow(10.0, -3.14 / 20) * pow(10.0, -10.0 / 20);
	size_t n = 0, i;
	const char *d, *k;

	for (d = digits; *d; d++) {
		double fr = 0, fc = 0;
		unsigned int r;

		for (r = 0; r < 4; r++) {
			k = strchr(keys[r], *d);
			if (k) {
				fr = rowf[r];
				fc = colf[k - keys[r]];
			}
		}
		if (!fr || n + 800 > max)
			return 0;
		for (i = 0; i < 400; i++)
			o[n++] = alaw_enc((int)lrint(amp * (sin(2 * M_PI * fr * i / 8000.0) +
							    sin(2 * M_PI * fc * i / 8000.0))));
		for (i = 0; i < 400; i++)
			o[n++] = IDLE;
	}
	return n;
}

static int test_dtmf(char **ports, int n)
{
	const char *digits = n > 1 ? ports[1] : "0123456789*#ABCD";
	static uint8_t buf[100 * 800];
	char got[128] = "", *l, d[4];
	long long t, last = -1, lvl = 0;
	unsigned int ngot = 0, i;
	struct far *f;
	int ret = KT_FAIL;
	double end;

	if (n < 1 || n > 2)
		return -1;
	f = far_of(ports[0]);
	f->buflen = dtmf_render(digits, buf, sizeof(buf));
	if (!f->buflen) {
		fprintf(stderr, "tdmxd-mediatest: '%s': at most 100 digits of 0-9*#A-D\n", digits);
		return KT_SETUP;
	}
	f->buf = buf;
	if (ctl_req(NULL, 0, false, "{\"cmd\":\"dtmf_subscribe\",\"port\":\"%s\"}", ports[0]))
		return KT_FAIL;
	pump(200, NULL);	/* idle first: the detector starts from silence */
	f->kind = SRC_BUF;
	f->sent = 0;
	end = kt_now_ms() + f->buflen / 8.0 + 3000;
	while (ngot < strlen(digits) && kt_now_ms() < end) {
		pump(50, NULL);
		while ((l = ctl_line(0)))
			keep_event(l);
		for (i = 0; i < nevents; i++) {
			if (!json_str(events[i], "digit", d, sizeof(d)) ||
			    !json_num(events[i], "time_ms", &t))
				continue;
			kt_msg("event: %s", events[i]);
			/* two tones of -10 dBm0 each are -7 dBm0 together */
			if (!json_num(events[i], "level_dbm0", &lvl) || lvl < -10 || lvl > -4) {
				kt_msg("dtmf: FAIL: digit %s: level %lld dBm0, sent -7 dBm0 (+-3)", d, lvl);
				goto out;
			}
			if (t <= last) {
				kt_msg("dtmf: FAIL: digit %s at %lld ms does not come after %lld ms",
				       d, t, last);
				goto out;
			}
			if (last >= 0 && t - last < 90)
				kt_msg("dtmf: note: only %lld ms after the previous digit", t - last);
			last = t;
			if (ngot < sizeof(got) - 1)
				got[ngot++] = d[0];
		}
		nevents = 0;
	}
	got[ngot] = 0;
	if (strcmp(got, digits)) {
		kt_msg("dtmf: FAIL: sent \"%s\", tdmxd reported \"%s\"", digits, got);
		goto out;
	}
	pump(300, NULL);
	while ((l = ctl_line(0)))
		if (strstr(l, "\"dtmf\"")) {
			kt_msg("dtmf: FAIL: an extra digit after the string: %s", l);
			goto out;
		}
	kt_msg("dtmf: ok: \"%s\" reported in order with increasing time stamps", got);
	ret = 0;
out:
	ctl_req(NULL, 0, true, "{\"cmd\":\"dtmf_unsubscribe\",\"port\":\"%s\"}", ports[0]);
	return ret;
}

/* ---- 4. recordings: WAV headers and contents ---- */

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

struct wav {
	uint8_t *file;
	size_t size;
	unsigned int tag, channels, bits;
	const uint8_t *data;
	size_t frames;
};

/* read and check the RIFF structure; 0 or a FAIL message printed */
static int wav_read(const char *what, const char *path, struct wav *w)
{
	size_t off = 12, fmt_len = 0;
	const uint8_t *fmt = NULL;
	uint32_t data_len = 0;
	struct stat st;
	FILE *fp;

	memset(w, 0, sizeof(*w));
	fp = fopen(path, "rb");
	if (!fp || fstat(fileno(fp), &st) || st.st_size < 44) {
		kt_msg("rec %s: FAIL: %s: %s", what, path, fp ? "shorter than a header" : strerror(errno));
		goto fail;
	}
	w->size = (size_t)st.st_size;
	w->file = malloc(w->size);
	if (!w->file || fread(w->file, 1, w->size, fp) != w->size) {
		kt_msg("rec %s: FAIL: cannot read %s", what, path);
		goto fail;
	}
	if (memcmp(w->file, "RIFF", 4) || memcmp(w->file + 8, "WAVE", 4)) {
		kt_msg("rec %s: FAIL: %s is not RIFF/WAVE", what, path);
		goto fail;
	}
	if (le32(w->file + 4) != w->size - 8) {
		kt_msg("rec %s: FAIL: RIFF size %u, but the file has %zu bytes", what,
		       le32(w->file + 4), w->size);
		goto fail;
	}
	while (off + 8 <= w->size) {
		uint32_t len = le32(w->file + off + 4);
		const uint8_t *body = w->file + off + 8;

		if (!memcmp(w->file + off, "fmt ", 4)) {
			fmt = body;
			fmt_len = len;
		} else if (!memcmp(w->file + off, "data", 4)) {
			w->data = body;
			data_len = len;
			/* RIFF: an odd chunk is followed by a pad byte */
			if (off + 8 + len + (len & 1) != w->size) {
				kt_msg("rec %s: FAIL: data chunk of %u bytes at %zu, but the file has %zu",
				       what, len, off, w->size);
				goto fail;
			}
			break;
		}
		off += 8 + len + (len & 1);
	}
	if (!fmt || fmt_len < 16 || !w->data) {
		kt_msg("rec %s: FAIL: no %s chunk", what, fmt ? "data" : "fmt");
		goto fail;
	}
	w->tag = le16(fmt);
	w->channels = le16(fmt + 2);
	w->bits = le16(fmt + 14);
	if (le32(fmt + 4) != 8000 || !w->channels || (w->bits != 8 && w->bits != 16) ||
	    le16(fmt + 12) != w->channels * w->bits / 8 ||
	    le32(fmt + 8) != 8000u * w->channels * w->bits / 8) {
		kt_msg("rec %s: FAIL: format: rate %u, %u channels, %u bits, block align %u, byte rate %u",
		       what, le32(fmt + 4), w->channels, w->bits, le16(fmt + 12), le32(fmt + 8));
		goto fail;
	}
	w->frames = data_len / (w->channels * w->bits / 8);
	fclose(fp);
	return 0;
fail:
	if (fp)
		fclose(fp);
	free(w->file);
	w->file = NULL;
	return KT_FAIL;
}

/* sample @i of channel @ch, as linear (pcm16) or as the A-law code */
static int wav_at(const struct wav *w, size_t i, unsigned int ch)
{
	if (w->bits == 8)
		return w->data[i * w->channels + ch];
	return (int16_t)le16(w->data + 2 * (i * w->channels + ch));
}

/* @pattern's index @k as the recording holds it */
static int rec_want(const struct wav *w, unsigned int p, int64_t k)
{
	if (k < 0)	/* the lead-in: the line's idle */
		return w->bits == 8 ? IDLE : alaw_dec(IDLE);
	return w->bits == 8 ? pat[p][k % PERIOD] : alaw_dec(pat[p][k % PERIOD]);
}

/*
 * Channel @ch holds idle, then pattern @p from index 0 to the end: no gap,
 * no repeat, nothing reordered. Return: the frame where it starts, or -1.
 */
static long rec_channel(const char *what, const struct wav *w, unsigned int ch, unsigned int p,
			const char *who)
{
	size_t i, start;

	for (start = 0; start < w->frames && wav_at(w, start, ch) == rec_want(w, p, -1); start++)
		;
	if (w->frames < start + 8000) {
		kt_msg("rec %s: FAIL: %s: only %zu frames of %s's pattern (after %zu of lead-in)",
		       what, who, w->frames - start, who, start);
		return -1;
	}
	for (i = start; i < w->frames; i++)
		if (wav_at(w, i, ch) != rec_want(w, p, (int64_t)(i - start))) {
			kt_msg("rec %s: FAIL: %s: frame %zu (pattern index %zu after a lead-in of %zu): expected %d, got %d: a gap, repeat or reordering",
			       what, who, i, i - start, start, rec_want(w, p, (int64_t)(i - start)),
			       wav_at(w, i, ch));
			return -1;
		}
	return (long)start;
}

/* mono pcm16: caller + agent, each after its own lead-in */
static int rec_mono(const char *what, const struct wav *w)
{
	size_t i, n0, oc, oa, o2;
	int lead = 2 * alaw_dec(IDLE);

	for (n0 = 0; n0 < w->frames && wav_at(w, n0, 0) == lead; n0++)
		;
	/* one side starts at n0, the other up to 0.5 s later */
	for (o2 = n0; o2 < n0 + 4000 && o2 < w->frames; o2++) {
		unsigned int swap;

		for (swap = 0; swap < 2; swap++) {
			oc = swap ? o2 : n0;
			oa = swap ? n0 : o2;
			for (i = n0; i < w->frames; i++) {
				int c = rec_want(w, 1, (int64_t)i - (int64_t)oc);
				int a = rec_want(w, 0, (int64_t)i - (int64_t)oa);

				if (wav_at(w, i, 0) != clamp16(c + a))
					break;
			}
			if (i == w->frames && w->frames > n0 + 8000) {
				kt_msg("rec %s: ok: caller + agent from frames %zu and %zu to the end (%zu frames)",
				       what, oc, oa, w->frames);
				return 0;
			}
		}
	}
	kt_msg("rec %s: FAIL: the samples after frame %zu are not caller + agent patterns without gaps",
	       what, n0);
	return KT_FAIL;
}

/* linear value of pattern @p's index @k as sent (k < 0: the idle lead-in) */
static int pat_lin(unsigned int p, int64_t k)
{
	return alaw_dec(k < 0 ? IDLE : pat[p][k % PERIOD]);
}

/* does frame @i of channel @ch hold the mix @want: exact in pcm16, to a
 * quantisation step in A-law (the mix is encoded once) */
static bool sum_ok(const struct wav *w, size_t i, unsigned int ch, int want)
{
	want = clamp16(want);
	if (w->bits == 8)
		return near_lin(want, w->data[i * w->channels + ch]);
	return wav_at(w, i, ch) == want;
}

/*
 * What a conference recording's channel may turn into at its end, while
 * the members leave one by one: @keep (bit k: pattern p[k] still heard,
 * at the same index) plus @extra. keep < 0: no such tail.
 */
struct rec_tail {
	int keep;
	int extra;
};

/* from frame @from to the end: the mix, then (after 1 s of it) the tail */
static bool sum_runs(const struct wav *w, unsigned int ch, const unsigned int *p, unsigned int np,
		     const size_t *o, int extra, size_t from, const struct rec_tail *t,
		     size_t *tail_at)
{
	unsigned int keep = (1u << np) - 1, k;
	size_t i;

	*tail_at = 0;
	for (i = from; i < w->frames; i++) {
		int v = extra;

		for (k = 0; k < np; k++)
			if (keep & (1u << k))
				v += pat_lin(p[k], (int64_t)i - (int64_t)o[k]);
		if (sum_ok(w, i, ch, v))
			continue;
		if (*tail_at || t->keep < 0 || i < from + 8000)
			return false;
		/* the members start leaving: the rest must be the tail */
		*tail_at = i;
		keep = (unsigned int)t->keep;
		extra = t->extra;
		i--;
	}
	return true;
}

/*
 * Channel @ch holds @extra plus the patterns @p[0..@np) (1 or 2), each
 * from its own start after an idle lead-in to the end: no gap, no repeat.
 * One pattern may start up to 0.5 s after the other; in A-law, where a
 * pattern's first samples may pass for the lead-in, its start is looked
 * for up to 16 frames early.
 */
static int rec_sum(const char *what, const struct wav *w, unsigned int ch, const unsigned int *p,
		   unsigned int np, int extra, const struct rec_tail *t, const char *who)
{
	size_t n0, o[2], a, b, lo, tail_at = 0;
	char from[64];

	for (n0 = 0; n0 < w->frames && sum_ok(w, n0, ch, (int)np * alaw_dec(IDLE) + extra); n0++)
		;
	lo = n0 > 16 ? n0 - 16 : 0;
	if (w->frames < n0 + 8000) {
		kt_msg("rec %s: FAIL: %s: only %zu frames after a lead-in of %zu", what, who,
		       w->frames - n0, n0);
		return KT_FAIL;
	}
	for (a = lo; a <= n0 + (w->bits == 8 ? 16 : 0); a++) {
		if (np == 1) {
			o[0] = a;
			if (sum_runs(w, ch, p, 1, o, extra, lo, t, &tail_at))
				goto ok;
			continue;
		}
		for (b = a; b < a + 4000 && b < w->frames; b++) {
			o[0] = a;
			o[1] = b;
			if (sum_runs(w, ch, p, 2, o, extra, lo, t, &tail_at))
				goto ok;
			o[0] = b;
			o[1] = a;
			if (sum_runs(w, ch, p, 2, o, extra, lo, t, &tail_at))
				goto ok;
		}
	}
	kt_msg("rec %s: FAIL: %s: the frames after %zu are not %s without gaps", what, who, n0,
	       np == 1 ? "one pattern plus the constant" : "two patterns plus the constant");
	return KT_FAIL;
ok:
	if (np == 2)
		snprintf(from, sizeof(from), "patterns from frames %zu and %zu", o[0], o[1]);
	else
		snprintf(from, sizeof(from), "pattern from frame %zu", o[0]);
	if (tail_at)
		kt_msg("rec %s: ok: %s: %s, + %d, to frame %zu, then the members leaving to the end (%zu frames)",
		       what, who, from, extra, tail_at, w->frames);
	else
		kt_msg("rec %s: ok: %s: %s, + %d, to the end (%zu frames)", what, who, from, extra,
		       w->frames);
	return 0;
}

struct recspec {
	const char *base, *format, *encoding;
	unsigned int tag, channels, bits;
	char id[64];		/* base-PID: a retry never meets an old row */
	char path[256];
	int conf_k;		/* a conference recording: M's constant level; 0: a bridge's */
	char ports[64];		/* a conference recording: the index row's members */
};

/*
 * A conference of caller (pattern 1), agent (pattern 0) and M (a constant
 * @k), recorded stereo with the caller on the left: left the caller as
 * sent, right what the caller hears (agent + M); mono: all three.
 */
static int rec_conf_content(const struct recspec *r, const struct wav *w, int k)
{
	static const unsigned int agent[1] = { 0 }, caller[1] = { 1 }, both[2] = { 1, 0 };
	/* mono: stopped before anyone leaves; stereo: ended by the leaves, M
	 * first (the agent alone on the right), then the caller (silence on
	 * the left), then the agent */
	static const struct rec_tail none = { -1, 0 }, silence = { 0, 0 }, agent_only = { 1, 0 };

	if (r->channels == 1)
		return rec_sum(r->id, w, 0, both, 2, k, &none, "caller + agent + M");
	if (rec_sum(r->id, w, 0, caller, 1, 0, &silence, "left (caller)"))
		return KT_FAIL;
	return rec_sum(r->id, w, 1, agent, 1, k, &agent_only, "right (agent + M)");
}

static int rec_check(struct recspec *r)
{
	char info[1024], state[32], conf[32], members[64];
	long long dur, size;
	struct wav w;
	int ret = KT_FAIL;
	long l, a;

	if (ctl_req(info, sizeof(info), false, "{\"cmd\":\"record_info\",\"rec\":\"%s\"}", r->id))
		return KT_FAIL;
	if (!json_str(info, "state", state, sizeof(state)) || strcmp(state, "done")) {
		kt_msg("rec %s: FAIL: index row not 'done' after record_stop: %s", r->id, info);
		return KT_FAIL;
	}
	/* a conference's row names it and its members at the start (schema v3) */
	if (r->ports[0] && (!json_str(info, "conference", conf, sizeof(conf)) ||
			    strcmp(conf, "mtrec") || !json_str(info, "ports", members, sizeof(members)) ||
			    strcmp(members, r->ports))) {
		kt_msg("rec %s: FAIL: index row %s: expected conference mtrec, ports %s", r->id, info,
		       r->ports);
		return KT_FAIL;
	}
	if (r->ports[0])
		kt_msg("rec %s: ok: index row: conference %s, ports %s", r->id, conf, members);
	if (wav_read(r->id, r->path, &w))
		return KT_FAIL;
	if (w.tag != r->tag || w.channels != r->channels || w.bits != r->bits) {
		kt_msg("rec %s: FAIL: format tag %u, %u channels, %u bits; expected %u, %u, %u",
		       r->id, w.tag, w.channels, w.bits, r->tag, r->channels, r->bits);
		goto out;
	}
	/* the row's duration is the audio's, to one 10 ms block */
	if (!json_num(info, "duration_ms", &dur) || llabs(dur - (long long)w.frames / 8) > 10 ||
	    !json_num(info, "size", &size) || size != (long long)w.size) {
		kt_msg("rec %s: FAIL: index row %s, but the file has %zu bytes, %zu frames (%zu ms)",
		       r->id, info, w.size, w.frames, w.frames / 8);
		goto out;
	}
	if (r->conf_k) {
		ret = rec_conf_content(r, &w, r->conf_k);
		goto out;
	}
	if (r->channels == 1) {
		ret = rec_mono(r->id, &w);
		goto out;
	}
	l = rec_channel(r->id, &w, 0, 1, "left (caller)");
	a = l < 0 ? -1 : rec_channel(r->id, &w, 1, 0, "right (agent)");
	if (a < 0)
		goto out;
	kt_msg("rec %s: ok: %s %s, %zu frames (%lld ms in the index): caller from frame %ld, agent from frame %ld, in order to the end",
	       r->id, r->format, r->encoding, w.frames, dur, l, a);
	ret = 0;
out:
	free(w.file);
	return ret;
}

/* a record_done event for @id came (events are read with replies) */
static bool rec_done_seen(const char *id)
{
	char key[96];
	unsigned int i;

	snprintf(key, sizeof(key), "\"rec\":\"%s\"", id);
	for (i = 0; i < nevents; i++)
		if (strstr(events[i], "\"record_done\"") && strstr(events[i], key))
			return true;
	return false;
}

#define CONF_K	2112	/* M's level in the conference recordings */

/*
 * The conference "mtrec" of caller, agent and M: M sends a constant, the
 * caller and the agent their patterns. The mono recording is stopped by
 * record_stop, the stereo ones (caller on the left) end with the
 * conference when its members leave: each must bring its record_done.
 */
/* "span/ts" of @n ports, in port order (span, then timeslot), as tdmxd lists them */
static void ports_sorted(char **ports, unsigned int n, char *out, size_t size)
{
	unsigned int span[8], ts[8], i, j, t;
	size_t len = 0;

	for (i = 0; i < n && i < 8; i++)
		if (sscanf(ports[i], "%u/%u", &span[i], &ts[i]) != 2)
			span[i] = ts[i] = 0;
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (span[j] < span[i] || (span[j] == span[i] && ts[j] < ts[i])) {
				t = span[i], span[i] = span[j], span[j] = t;
				t = ts[i], ts[i] = ts[j], ts[j] = t;
			}
	out[0] = 0;
	for (i = 0; i < n && len < size; i++)
		len += snprintf(out + len, size - len, "%s%u/%u", i ? "," : "", span[i], ts[i]);
}

static int test_rec_conf(struct far *ca, struct far *ag, struct far *m, char **ports)
{
	static struct recspec rs[3] = {
		{ "mtc-pcm", "stereo", "pcm16", 1, 2, 16, "", "", 0, "" },
		{ "mtc-law", "stereo", "law", 6, 2, 8, "", "", 0, "" },
		{ "mtc-mono", "mono", "pcm16", 1, 1, 16, "", "", 0, "" },
	};
	static const unsigned int leave_order[3] = { 2, 0, 1 };
	char reply[1024], left[64];
	unsigned int i, joined = 0, started = 0, tries;
	int ret = KT_FAIL;

	ca->kind = ag->kind = SRC_IDLE;
	m->kind = SRC_CONST;
	m->code = alaw_enc(CONF_K);
	for (i = 0; i < 3; i++, joined++)
		if (ctl_req(NULL, 0, false, "{\"cmd\":\"conf_join\",\"conf\":\"mtrec\",\"port\":\"%s\"}",
			    ports[i]))
			goto out;
	pump(300, NULL);
	for (i = 0; i < 3; i++, started++) {
		rs[i].conf_k = alaw_dec(m->code);
		ports_sorted(ports, 3, rs[i].ports, sizeof(rs[i].ports));
		snprintf(rs[i].id, sizeof(rs[i].id), "%s-%ld", rs[i].base, (long)getpid());
		left[0] = 0;
		if (rs[i].channels == 2)
			snprintf(left, sizeof(left), "\"a\":\"%s\",", ports[0]);
		if (ctl_req(reply, sizeof(reply), false,
			    "{\"cmd\":\"record_start\",\"conf\":\"mtrec\",%s\"format\":\"%s\",\"encoding\":\"%s\",\"rec\":\"%s\"}",
			    left, rs[i].format, rs[i].encoding, rs[i].id))
			goto out;
		if (!json_str(reply, "path", rs[i].path, sizeof(rs[i].path))) {
			kt_msg("rec conf: FAIL: no path in %s", reply);
			goto out;
		}
	}
	pump(100, NULL);
	ca->kind = ag->kind = SRC_PAT;
	ca->pat = 1;
	ag->pat = 0;
	ca->sent = ag->sent = 0;
	pump(2500, NULL);
	if (ctl_req(NULL, 0, false, "{\"cmd\":\"record_stop\",\"rec\":\"%s\"}", rs[2].id))
		goto out;
	/* the last member leaving ends the conference and its recordings: M,
	 * the caller, the agent (rec_conf_content() knows the order) */
	for (; joined; joined--)
		if (ctl_req(NULL, 0, false, "{\"cmd\":\"conf_leave\",\"port\":\"%s\"}",
			    ports[leave_order[3 - joined]]))
			goto out;
	started = 0;
	for (tries = 0; tries < 50; tries++) {
		pump(100, NULL);
		ctl_req(NULL, 0, true, "{\"cmd\":\"status\"}");
		if (rec_done_seen(rs[0].id) && rec_done_seen(rs[1].id) && rec_done_seen(rs[2].id))
			break;
	}
	ret = 0;
	for (i = 0; i < 3; i++) {
		if (!rec_done_seen(rs[i].id)) {
			kt_msg("rec %s: FAIL: no record_done within 5 s of %s", rs[i].id,
			       i == 2 ? "record_stop" : "the conference's end");
			ret = KT_FAIL;
			continue;
		}
		ret |= rec_check(&rs[i]);
		unlink(rs[i].path);
	}
out:
	for (; started; started--)
		ctl_req(NULL, 0, true, "{\"cmd\":\"record_stop\",\"rec\":\"%s\"}",
			rs[started - 1].id);
	/* after a failure: whoever is still in (the others' errors are quiet) */
	for (i = 0; i < 3 && joined; i++)
		ctl_req(NULL, 0, true, "{\"cmd\":\"conf_leave\",\"port\":\"%s\"}", ports[i]);
	m->kind = SRC_IDLE;
	return ret;
}

static int test_rec(char **ports, int n)
{
	static struct recspec rs[3] = {
		{ "mt-law", "stereo", "law", 6, 2, 8, "", "", 0, "" },
		{ "mt-pcm", "stereo", "pcm16", 1, 2, 16, "", "", 0, "" },
		{ "mt-mono", "mono", "pcm16", 1, 1, 16, "", "", 0, "" },
	};
	char reply[1024];
	struct far *ca, *ag, *m;
	unsigned int i, started = 0;
	int ret = KT_FAIL;

	if (n != 3)
		return -1;
	ca = far_of(ports[0]);
	ag = far_of(ports[1]);
	m = far_of(ports[2]);
	ctl_req(NULL, 0, true, "{\"cmd\":\"bridge\",\"a\":\"%s\",\"b\":\"%s\"}", ports[0], ports[1]);
	pump(200, NULL);
	for (i = 0; i < 3; i++, started++) {
		snprintf(rs[i].id, sizeof(rs[i].id), "%s-%ld", rs[i].base, (long)getpid());
		if (ctl_req(reply, sizeof(reply), false,
			    "{\"cmd\":\"record_start\",\"a\":\"%s\",\"b\":\"%s\",\"format\":\"%s\",\"encoding\":\"%s\",\"rec\":\"%s\",\"call\":\"mediatest\"}",
			    ports[0], ports[1], rs[i].format, rs[i].encoding, rs[i].id))
			goto out;
		if (!json_str(reply, "path", rs[i].path, sizeof(rs[i].path))) {
			kt_msg("rec: FAIL: no path in %s", reply);
			goto out;
		}
	}
	/* lead-in: the recordings run a moment before the patterns start */
	pump(100, NULL);
	ca->kind = SRC_PAT;
	ca->pat = 1;
	ag->kind = SRC_PAT;
	ag->pat = 0;
	ca->sent = ag->sent = 0;
	pump(2500, NULL);
	/* stopped while the patterns still flow: they must reach the end */
	for (; started; started--)
		if (ctl_req(NULL, 0, false, "{\"cmd\":\"record_stop\",\"rec\":\"%s\"}",
			    rs[started - 1].id))
			goto out;
	pump(200, NULL);
	ret = 0;
	for (i = 0; i < 3; i++) {
		ret |= rec_check(&rs[i]);
		unlink(rs[i].path);
	}
out:
	for (; started; started--)
		ctl_req(NULL, 0, true, "{\"cmd\":\"record_stop\",\"rec\":\"%s\"}",
			rs[started - 1].id);
	ctl_req(NULL, 0, true, "{\"cmd\":\"unbridge\",\"a\":\"%s\"}", ports[0]);
	if (!ret)
		ret = test_rec_conf(ca, ag, m, ports);
	return ret;
}

/* ---- 5. playback: an A-law prompt bit-exact, a dial tone's frequency ---- */

#define PROMPT_LEN	12000	/* 1.5 s */
#define PROMPT_PAT	2

struct playchk {
	unsigned int state;	/* 0 lead-in, 1 the prompt, 2 idle after it */
	uint64_t k, tail, n;
	bool failed;
};

/* idle, the prompt's PROMPT_LEN samples in order, idle again */
static void hear_play(struct far *f, const uint8_t *o, size_t n)
{
	struct playchk *c = f->chk;
	size_t i;

	for (i = 0; i < n && !c->failed; i++, c->n++) {
		uint8_t want = c->state == 1 ? pat[PROMPT_PAT][c->k % PERIOD] : IDLE;

		if (c->state == 0 && o[i] != IDLE) {
			c->state = 1;
			want = pat[PROMPT_PAT][0];
		}
		if (o[i] != want) {
			kt_msg("play: FAIL: %s: sample %llu (%s, prompt sample %llu): expected 0x%02x, got 0x%02x",
			       f->name, (unsigned long long)c->n,
			       c->state == 1 ? "in the prompt" : "after the prompt",
			       (unsigned long long)c->k, want, o[i]);
			c->failed = true;
		} else if (c->state == 1 && ++c->k == PROMPT_LEN) {
			c->state = 2;
		} else if (c->state == 2) {
			c->tail++;
		}
	}
}

static struct playchk *play_chk;

static bool play_over(void)
{
	return play_chk->failed || play_chk->tail >= 800;
}

/* an 8 kHz A-law WAV of the prompt pattern: fmt (18 bytes), fact, data */
static int write_prompt(const char *path)
{
	uint8_t h[58] = "RIFF....WAVEfmt ";
	uint8_t data[PROMPT_LEN];
	unsigned int i;
	FILE *fp;

	for (i = 0; i < PROMPT_LEN; i++)
		data[i] = pat[PROMPT_PAT][i % PERIOD];
#define PUT32(o, v) do { h[o] = (uint8_t)(v); h[o + 1] = (uint8_t)((v) >> 8); \
	h[o + 2] = (uint8_t)((v) >> 16); h[o + 3] = (uint8_t)((v) >> 24); } while (0)
	PUT32(4, 50u + PROMPT_LEN);
	PUT32(16, 18u);
	PUT32(20, 6u | 1u << 16);	/* format 6 (A-law), 1 channel */
	PUT32(24, 8000u);
	PUT32(28, 8000u);
	PUT32(32, 1u | 8u << 16);	/* block align 1, 8 bits */
	PUT32(36, 0u);			/* cbSize 0, then "fact" */
	memcpy(h + 38, "fact", 4);
	PUT32(42, 4u);
	PUT32(46, (unsigned int)PROMPT_LEN);
	memcpy(h + 50, "data", 4);
	PUT32(54, (unsigned int)PROMPT_LEN);
#undef PUT32
	fp = fopen(path, "wb");
	if (!fp || fwrite(h, 1, sizeof(h), fp) != sizeof(h) ||
	    fwrite(data, 1, sizeof(data), fp) != sizeof(data)) {
		if (fp)
			fclose(fp);
		return -errno;
	}
	return fclose(fp) ? -errno : 0;
}

struct tonechk {
	uint64_t n, skip;
	int16_t buf[4][800];	/* four 100 ms windows */
	unsigned int nbuf;
};

static void hear_tone(struct far *f, const uint8_t *o, size_t n)
{
	struct tonechk *t = f->chk;
	size_t i;

	for (i = 0; i < n; i++, t->n++) {
		if (t->n < t->skip || t->nbuf == 4 * 800)
			continue;
		t->buf[t->nbuf / 800][t->nbuf % 800] = alaw_dec(o[i]);
		t->nbuf++;
	}
}

static struct tonechk *tone_chk;

static bool tone_full(void)
{
	return tone_chk->nbuf == 4 * 800;
}

/* Goertzel: the share of @x's power at @hz */
static double tone_share(const int16_t *x, unsigned int n, double hz)
{
	double w = 2 * M_PI * hz / 8000, c = 2 * cos(w), s1 = 0, s2 = 0, e = 0, p;
	unsigned int i;

	for (i = 0; i < n; i++) {
		double s0 = x[i] + c * s1 - s2;

		s2 = s1;
		s1 = s0;
		e += (double)x[i] * x[i];
	}
	p = s1 * s1 + s2 * s2 - c * s1 * s2;	/* |X(hz)|^2 */
	return e > 0 ? 2 * p / (n * e) : 0;
}

static int test_play(char **ports, int n)
{
	static struct playchk pc;
	static struct tonechk tc;
	char path[512], name[64], *l;
	long long v;
	struct far *f;
	unsigned int i;
	bool done = false;
	int ret;

	if (n != 2)
		return -1;
	f = far_of(ports[0]);
	snprintf(name, sizeof(name), "mt-%ld", (long)getpid());
	snprintf(path, sizeof(path), "%s/%s.wav", ports[1], name);
	ret = write_prompt(path);
	if (ret) {
		kt_msg("play: cannot write %s: %s", path, strerror(-ret));
		return KT_SETUP;
	}
	pc = (struct playchk){ 0 };
	play_chk = &pc;
	f->chk = &pc;
	f->hear = hear_play;
	pump(200, NULL);
	if (pc.failed || pc.state) {
		kt_msg("play: FAIL: %s is not idle before the prompt", ports[0]);
		return KT_FAIL;
	}
	if (ctl_req(NULL, 0, false, "{\"cmd\":\"play\",\"port\":\"%s\",\"prompt\":\"%s\"}",
		    ports[0], name))
		return KT_FAIL;
	pump(PROMPT_LEN / 8 + 4000, play_over);
	unlink(path);
	if (pc.failed)
		return KT_FAIL;
	if (pc.tail < 800) {
		kt_msg("play: FAIL: %s: only %llu of %u prompt samples came in %u ms",
		       ports[0], (unsigned long long)pc.k, PROMPT_LEN, PROMPT_LEN / 8 + 4000);
		return KT_FAIL;
	}
	while ((l = ctl_line(0)))
		keep_event(l);
	for (i = 0; i < nevents; i++) {
		char why[16];

		if (!strstr(events[i], "\"play_done\""))
			continue;
		kt_msg("event: %s", events[i]);
		done = json_str(events[i], "why", why, sizeof(why)) && !strcmp(why, "done") &&
		       json_num(events[i], "played_ms", &v) && llabs(v - PROMPT_LEN / 8) <= 10;
	}
	nevents = 0;
	if (!done) {
		kt_msg("play: FAIL: no play_done event with why \"done\" and played_ms %d (+-10)",
		       PROMPT_LEN / 8);
		return KT_FAIL;
	}
	kt_msg("play: ok: the %u-sample A-law prompt arrived bit-exact between idle, play_done came",
	       PROMPT_LEN);

	/* the dial tone: 425 Hz and nothing else, continuous (ITU plan) */
	tc = (struct tonechk){ .skip = 4000 };
	tone_chk = &tc;
	f->chk = &tc;
	f->hear = hear_tone;
	if (ctl_req(NULL, 0, false, "{\"cmd\":\"tone\",\"port\":\"%s\",\"tone\":\"dial\"}", ports[0]))
		return KT_FAIL;
	pump(3000, tone_full);
	ctl_req(NULL, 0, true, "{\"cmd\":\"stop\",\"port\":\"%s\"}", ports[0]);
	if (!tone_full()) {
		kt_msg("play: FAIL: %s: the dial tone did not come for 0.9 s", ports[0]);
		return KT_FAIL;
	}
	for (i = 0; i < 4; i++) {
		double sh = tone_share(tc.buf[i], 800, 425);

		if (sh < 0.9) {
			kt_msg("play: FAIL: %s: dial tone window %u: only %.0f %% of the power at 425 Hz",
			       ports[0], i, 100 * sh);
			return KT_FAIL;
		}
	}
	kt_msg("play: ok: dial tone on %s: >= 90 %% of the power at 425 Hz in four 100 ms windows",
	       ports[0]);
	return 0;
}

/* ---- main ---- */

/*
 * This program's own lateness shows as channel FIFO overruns (it read too
 * late) and underruns (it wrote too late): said with every verdict, so
 * that a failed run under TCG tells whose stall broke it.
 */
static void fifo_report(void)
{
	unsigned int i, over = 0, under = 0;
	struct tdmx_chan_event ev;

	for (i = 0; i < nfars; i++)
		while (!ioctl(fars[i].fd, TDMX_IOC_GET_EVENT, &ev) && ev.type) {
			over += ev.type == TDMX_CHAN_EV_OVERRUN;
			under += ev.type == TDMX_CHAN_EV_UNDERRUN;
		}
	kt_msg("own channel FIFOs during the run: %u rx overruns, %u tx underruns", over, under);
}

static const struct {
	const char *name;
	int (*fn)(char **ports, int n);
	const char *args;
} tests[] = {
	{ "conf", test_conf, "T1 T2 T3 SILENT LISTENER" },
	{ "super", test_super, "AGENT CALLER SUPERVISOR" },
	{ "dtmf", test_dtmf, "PORT [DIGITS]" },
	{ "rec", test_rec, "CALLER AGENT M" },
	{ "play", test_play, "PORT PROMPT_DIR" },
};

static int usage(void)
{
	unsigned int i;

	fprintf(stderr, "usage: tdmxd-mediatest -s SOCKET -l NEAR:FAR [-l NEAR:FAR]... TEST PORT...\n");
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		fprintf(stderr, "  %s %s\n", tests[i].name, tests[i].args);
	return KT_SETUP;
}

int main(int argc, char **argv)
{
	const char *sock = NULL;
	unsigned int i;
	int c, ret;

	kt_prog = "tdmxd-mediatest";
	while ((c = getopt(argc, argv, "s:l:")) != -1) {
		char *colon;

		switch (c) {
		case 's':
			sock = optarg;
			break;
		case 'l':
			colon = strchr(optarg, ':');
			if (!colon || nloops == 16)
				return usage();
			*colon = 0;
			loops[nloops][0] = (unsigned int)kt_uint(optarg, "near span", 1, 128);
			loops[nloops][1] = (unsigned int)kt_uint(colon + 1, "far span", 1, 128);
			nloops++;
			break;
		default:
			return usage();
		}
	}
	if (!sock || optind >= argc)
		return usage();
	pat_init();
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		if (!strcmp(argv[optind], tests[i].name))
			break;
	if (i == sizeof(tests) / sizeof(tests[0]))
		return usage();
	ret = ctl_open(sock);
	if (ret) {
		kt_msg("connect %s: %s", sock, strerror(-ret));
		return KT_SETUP;
	}
	ret = tests[i].fn(argv + optind + 1, argc - optind - 1);
	if (ret < 0)
		return usage();
	fifo_report();
	kt_msg("%s: %s", tests[i].name, ret ? "FAIL" : "ok");
	return ret;
}
