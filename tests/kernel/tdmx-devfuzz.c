// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmx-devfuzz: random system calls on the tdmx devices for a bounded
 * time. The kernel must survive, and where the answer is certain it must
 * be the right one.
 *
 *   tdmx-devfuzz [-t SECONDS] [-s SEED] [-o MAXOPEN] [-v]
 *   tdmx-devfuzz -H SPAN_A SPAN_B
 *
 *   -t SECONDS  how long (default 30)
 *   -s SEED     random seed (default: from the clock; printed first)
 *   -o MAXOPEN  open files kept at once (default 24)
 *   -v          print every call
 *
 * Every /dev/tdmx/chan/S/T, /dev/tdmx/span/S and /dev/tdmx/line/S present
 * at the start is a target (run it on a loop pair plus a tap card). Each
 * step is one of:
 *
 *   open     a random target, O_RDONLY / O_WRONLY / O_RDWR, with or
 *            without O_NONBLOCK; also device nodes made with mknod for
 *            minors no device has (span 0, timeslot 0, T1 timeslots 25+,
 *            a loop span's line minor, the ends of each minor range):
 *            those must not open;
 *   close, fcntl (O_NONBLOCK on/off), poll;
 *   read / write / readv / writev of 0, 1, 2, 3, 4095, 4096, 4098, 65536
 *            or 2^30 octets into / from a good buffer, NULL, a kernel
 *            address, an unmapped page, a read-only page or a buffer that
 *            runs into an unmapped page;
 *   ioctl    the four valid numbers and random ones, with good and bad
 *            pointers and values;
 *   mmap     of every target with offsets 0, 4096, ... and lengths 0 ...
 *            2^30, shared and private, read and write; a mapping that
 *            succeeds is read through, scribbled on when writable (the
 *            header too), sometimes kept after its file is closed, and
 *            mremap (grow) / mprotect are tried on it.
 *
 * Blocking calls run under an interval timer (SIGALRM without
 * SA_RESTART), so they end with EINTR; alarm(2) is used for some.
 *
 * Checked (a failure of these is a failure of the run):
 *   - a read or write never returns more than asked;
 *   - nothing is read into or written from NULL, a kernel address, an
 *     unmapped or read-only page with success;
 *   - ioctl: GET_INFO on a channel names the right span and timeslot,
 *     SET_TX_ABCD takes 0..15 and refuses more with EINVAL, bad pointers
 *     give EFAULT, unknown numbers ENOTTY; span and line devices have no
 *     ioctls (ENOTTY);
 *   - span device read returns exactly a struct tdmx_span_wake or an
 *     error; a smaller buffer gives EINVAL;
 *   - mmap: only span devices map, only at offset 0, at most the ring
 *     area; growing a mapping fails;
 *   - the extra minors never open.
 *
 * At the end every mapping is unmapped and every file closed. Prints a
 * histogram of results per call and device kind.
 *
 * -H: concurrency on an hdlc channel of a loop pair (the same CCS
 * D-channel on both spans), where the answer is certain:
 *   - one frame sent, two blocking readers of B's channel (two opens):
 *     exactly one gets the frame, the other is still waiting when its
 *     timer rings (EINTR), and then the queue is empty (EAGAIN); three
 *     rounds, as it comes;
 *   - the same forced with userfaultfd: the first reader's buffer is a
 *     missing page, so it stops inside read() with the channel's reader
 *     lock held while the second reader comes in;
 *   - A's transmit queue filled until EAGAIN, two blocking writers whose
 *     data is a missing page: when a slot frees, the first stops inside
 *     its copy with the writer lock held, the second waits for the lock;
 *     every frame must then arrive on B exactly once.
 *
 * Exit 0 / 1 (a check failed) / 2 (setup).
 */
#include <dirent.h>
#include <pthread.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <sys/syscall.h>
#include <linux/userfaultfd.h>

#include "ktest.h"

#define MAX_TARGETS	512
#define MAX_FILES	64
#define MAX_MAPS	16
#define MAX_FAILS	40
#define GOOD_SIZE	(1u << 20)
#define PAGE		4096u
#define RING_MAP	((TDMX_RING_MMAP_SIZE + PAGE - 1) / PAGE * PAGE)
#define TDMX_HDLC_FRAME_MAX	4096	/* kernel/framer/hdlc.h: payload + FCS */

enum kind { K_CHAN, K_SPAN, K_LINE, K_BOGUS, K_N };
static const char *const kind_names[K_N] = { "chan", "span", "line", "bogus" };

struct target {
	char path[64];
	enum kind kind;
	unsigned int span, ts;
};

struct file {
	int fd;
	struct target *t;
	int flags;
};

struct map {
	void *addr;
	size_t len;
	bool writable;
};

static struct target targets[MAX_TARGETS];
static unsigned int ntargets, nbogus;
static struct file files[MAX_FILES];
static unsigned int nfiles, max_open = 24;
static struct map maps[MAX_MAPS];
static unsigned int nmaps;
static uint64_t rng_state;
static bool verbose;
static unsigned int fails;
static unsigned long steps;

/* memory to point at */
static uint8_t *good;		/* GOOD_SIZE read/write, then an inaccessible page */
static uint8_t *guard;		/* the PROT_NONE page after good */
static uint8_t *rdonly;		/* one read-only page */
static void *const kaddr = (void *)0xffffffff81000000ULL;

/* ------------------------------------------------------------- helpers */

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static uint32_t rn(uint32_t n)
{
	return n ? (uint32_t)((rnd() >> 32) % n) : 0;
}

static bool chance(unsigned int pct)
{
	return rn(100) < pct;
}

static void failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void failf(const char *fmt, ...)
{
	va_list ap;

	if (fails++ >= MAX_FAILS)
		return;
	printf("%s: FAIL: ", kt_prog);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* results: [call][kind][errno or 0 for success] */
enum call { C_OPEN, C_READ, C_WRITE, C_READV, C_WRITEV, C_IOCTL, C_MMAP, C_POLL, C_N };
static const char *const call_names[C_N] = {
	"open", "read", "write", "readv", "writev", "ioctl", "mmap", "poll",
};
static unsigned long hist[C_N][K_N][136];

static void note(enum call c, enum kind k, int err)
{
	hist[c][k][err >= 0 && err < 135 ? err : 135]++;
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

/* arm a one-shot timer of 5..60 ms for a call that may block */
static void arm(bool blocking)
{
	struct itimerval it = { 0 };

	if (!blocking)
		return;
	if (chance(3)) {
		alarm(1);
		return;
	}
	it.it_value.tv_usec = 5000 + (suseconds_t)rn(55000);
	setitimer(ITIMER_REAL, &it, NULL);
}

static void disarm(void)
{
	struct itimerval it = { 0 };

	setitimer(ITIMER_REAL, &it, NULL);
	alarm(0);
}

/* --------------------------------------------------------------- targets */

static void add_target(const char *path, enum kind k, unsigned int span, unsigned int ts)
{
	struct target *t;

	if (ntargets == MAX_TARGETS)
		return;
	t = &targets[ntargets++];
	snprintf(t->path, sizeof(t->path), "%s", path);
	t->kind = k;
	t->span = span;
	t->ts = ts;
}

static bool all_digits(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s);
}

static void scan(void)
{
	char path[64];
	struct dirent *d, *e;
	DIR *dir, *sub;

	dir = opendir("/dev/tdmx/chan");
	while (dir && (d = readdir(dir))) {
		if (!all_digits(d->d_name))
			continue;
		snprintf(path, sizeof(path), "/dev/tdmx/chan/%.8s", d->d_name);
		sub = opendir(path);
		while (sub && (e = readdir(sub))) {
			char p2[64];

			if (!all_digits(e->d_name))
				continue;
			snprintf(p2, sizeof(p2), "/dev/tdmx/chan/%.8s/%.8s", d->d_name, e->d_name);
			add_target(p2, K_CHAN, (unsigned int)atoi(d->d_name),
				   (unsigned int)atoi(e->d_name));
		}
		if (sub)
			closedir(sub);
	}
	if (dir)
		closedir(dir);
	dir = opendir("/dev/tdmx/span");
	while (dir && (d = readdir(dir))) {
		if (!all_digits(d->d_name))
			continue;
		snprintf(path, sizeof(path), "/dev/tdmx/span/%.8s", d->d_name);
		add_target(path, K_SPAN, (unsigned int)atoi(d->d_name), 0);
	}
	if (dir)
		closedir(dir);
	dir = opendir("/dev/tdmx/line");
	while (dir && (d = readdir(dir))) {
		if (!all_digits(d->d_name))
			continue;
		snprintf(path, sizeof(path), "/dev/tdmx/line/%.8s", d->d_name);
		add_target(path, K_LINE, (unsigned int)atoi(d->d_name), 0);
	}
	if (dir)
		closedir(dir);
}

static bool have(enum kind k, unsigned int span, unsigned int ts)
{
	unsigned int i;

	for (i = 0; i < ntargets; i++)
		if (targets[i].kind == k && targets[i].span == span && targets[i].ts == ts)
			return true;
	return false;
}

/* minors (kernel/tdmx.h): chan span*32+ts, span 8192+id, line 8448+id */
static void bogus_node(unsigned int major, unsigned int minor, const char *why)
{
	char path[64];

	snprintf(path, sizeof(path), "/tmp/tdmx-devfuzz/m%u", minor);
	unlink(path);
	if (mknod(path, S_IFCHR | 0600, makedev(major, minor))) {
		kt_msg("mknod %s: %s (skipped)", path, strerror(errno));
		return;
	}
	add_target(path, K_BOGUS, minor, 0);
	if (verbose)
		kt_msg("extra node %s: %s", path, why);
	nbogus++;
}

static void make_bogus(void)
{
	struct stat st;
	unsigned int i, major, n = ntargets, s;

	for (i = 0; i < n && targets[i].kind != K_SPAN; i++)
		;
	if (i == n || stat(targets[i].path, &st))
		return;
	major = major(st.st_rdev);
	mkdir("/tmp/tdmx-devfuzz", 0700);
	bogus_node(major, 0, "chan of span 0, ts 0");
	bogus_node(major, 5, "chan of span 0, ts 5");
	bogus_node(major, 8192, "span 0");
	bogus_node(major, 8192 + 128, "span 128 (the last the range has; unused)");
	bogus_node(major, 8192 + 129, "beyond the span range");
	bogus_node(major, 8448, "line 0");
	bogus_node(major, 8448 + 128, "line 128 (unused)");
	bogus_node(major, 8448 + 129, "beyond the line range");
	bogus_node(major, 129 * 32, "beyond the chan range");
	bogus_node(major, 128 * 32 + 31, "chan 128/31 (unused)");
	bogus_node(major, 8704, "beyond every range");
	for (s = 1; s < 128; s++) {
		if (!have(K_SPAN, s, 0))
			continue;
		bogus_node(major, s * 32, "ts 0 of a span");
		if (!have(K_CHAN, s, 25))
			bogus_node(major, s * 32 + 25, "ts 25 of a T1 span");
		if (!have(K_LINE, s, 0))
			bogus_node(major, 8448 + s, "line minor of a loop span");
	}
}

/* ---------------------------------------------------------------- calls */

static struct file *pick_file(void)
{
	return nfiles ? &files[rn(nfiles)] : NULL;
}

static bool blocking(const struct file *f)
{
	return !(fcntl(f->fd, F_GETFL) & O_NONBLOCK);
}

static void do_open(void)
{
	static const int modes[] = { O_RDONLY, O_WRONLY, O_RDWR, O_RDWR };
	struct target *t;
	int flags, fd;

	if (!ntargets)
		return;
	if (nbogus && chance(8)) {
		unsigned int i = rn(ntargets);

		while (targets[i].kind != K_BOGUS)
			i = (i + 1) % ntargets;
		t = &targets[i];
	} else {
		t = &targets[rn(ntargets)];
	}
	flags = modes[rn(4)] | (chance(50) ? O_NONBLOCK : 0) | O_CLOEXEC;
	if (nfiles == max_open) {
		struct file *f = pick_file();

		close(f->fd);
		*f = files[--nfiles];
	}
	fd = open(t->path, flags);
	note(C_OPEN, t->kind, fd < 0 ? errno : 0);
	if (verbose)
		kt_msg("open %s 0%o = %d %s", t->path, flags, fd, fd < 0 ? strerror(errno) : "");
	if (t->kind == K_BOGUS) {
		if (fd >= 0) {
			failf("%s (minor %u, no such device) opened", t->path, t->span);
			close(fd);
		}
		return;
	}
	if (fd < 0)
		return;
	files[nfiles].fd = fd;
	files[nfiles].t = t;
	files[nfiles].flags = flags;
	nfiles++;
}

static void do_close(void)
{
	struct file *f = pick_file();

	if (!f)
		return;
	close(f->fd);
	*f = files[--nfiles];
}

enum buf_kind { B_GOOD, B_NULL, B_KERNEL, B_UNMAPPED, B_RDONLY, B_EDGE, B_N };
static const char *const buf_names[B_N] = {
	"good", "NULL", "kernel", "unmapped", "read-only", "edge",
};

static size_t pick_size(void)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 4095, 4096, 4098, 65536, 1u << 30,
					sizeof(struct tdmx_span_wake),
					sizeof(struct tdmx_span_wake) - 1 };

	return chance(85) ? sizes[rn(sizeof(sizes) / sizeof(sizes[0]))] : rn(70000);
}

static void *pick_buf(enum buf_kind b, size_t size)
{
	switch (b) {
	case B_NULL:
		return NULL;
	case B_KERNEL:
		return kaddr;
	case B_UNMAPPED:
		return guard;
	case B_RDONLY:
		return rdonly;
	case B_EDGE:
		/* starts in good memory, runs into the unmapped page */
		return guard - (size > 2 ? rn((uint32_t)(size < GOOD_SIZE ? size : GOOD_SIZE) / 2 + 1) + 1 : 1);
	default:
		return good;
	}
}

/* the good buffer is only GOOD_SIZE: larger sizes run into the guard */
static bool fits(enum buf_kind b, size_t size)
{
	return b == B_GOOD && size <= GOOD_SIZE;
}

static void check_rw(const char *what, struct file *f, enum buf_kind b, size_t size,
		     ssize_t n, int err, bool is_read)
{
	const struct target *t = f->t;

	if (n > (ssize_t)size)
		failf("%s %s of %zu returned %zd", what, t->path, size, n);
	if (n > 0 && (b == B_NULL || b == B_KERNEL || b == B_UNMAPPED ||
		      (is_read && b == B_RDONLY)))
		failf("%s %s with a %s buffer returned %zd (must fail)", what, t->path,
		      buf_names[b], n);
	if (t->kind == K_SPAN && is_read && n >= 0 && n != 0 &&
	    n != (ssize_t)sizeof(struct tdmx_span_wake))
		failf("%s %s returned %zd, not a struct tdmx_span_wake (%zu)", what, t->path, n,
		      sizeof(struct tdmx_span_wake));
	if (t->kind == K_SPAN && is_read && n < 0 && size < sizeof(struct tdmx_span_wake) &&
	    err != EINVAL && err != EBADF && err != EFAULT && strcmp(what, "read") == 0)
		failf("read %s of %zu octets: %s, expected EINVAL (smaller than a wake)",
		      t->path, size, strerror(err));
	if (t->kind == K_SPAN && !is_read && n >= 0)
		failf("%s %s returned %zd: span devices take no writes", what, t->path, n);
}

static void do_rw(bool is_read)
{
	struct file *f = pick_file();
	enum buf_kind b;
	size_t size;
	void *buf;
	ssize_t n;
	int err;
	bool blk;

	if (!f)
		return;
	size = pick_size();
	b = chance(50) ? B_GOOD : (enum buf_kind)rn(B_N);
	if (b == B_GOOD && !fits(b, size))
		b = B_EDGE;
	buf = pick_buf(b, size);
	if (!is_read && b == B_GOOD) {
		uint32_t i, n4 = (uint32_t)(size < 64 ? size : 64);

		for (i = 0; i < n4; i++)
			good[i] = (uint8_t)rnd();
	}
	blk = blocking(f);
	arm(blk);
	n = is_read ? read(f->fd, buf, size) : write(f->fd, buf, size);
	err = n < 0 ? errno : 0;
	disarm();
	if (verbose)
		kt_msg("%s %s %zu %s = %zd %s", is_read ? "read" : "write", f->t->path, size,
		       buf_names[b], n, n < 0 ? strerror(err) : "");
	note(is_read ? C_READ : C_WRITE, f->t->kind, err);
	/* a file opened without read (or write) access cannot do it at all */
	if (n >= 0 && is_read && (f->flags & O_ACCMODE) == O_WRONLY && size)
		failf("read %s opened O_WRONLY returned %zd", f->t->path, n);
	if (n >= 0 && !is_read && (f->flags & O_ACCMODE) == O_RDONLY && size)
		failf("write %s opened O_RDONLY returned %zd", f->t->path, n);
	check_rw(is_read ? "read" : "write", f, b, size, n, err, is_read);
}

static void do_rwv(bool is_read)
{
	struct file *f = pick_file();
	struct iovec iov[4];
	unsigned int i, cnt = 1 + rn(4);
	size_t total = 0;
	ssize_t n;
	int err;
	bool bad = false;

	if (!f)
		return;
	for (i = 0; i < cnt; i++) {
		size_t size = chance(70) ? 1 + rn(5000) : pick_size();
		enum buf_kind b = chance(75) ? B_GOOD : (enum buf_kind)rn(B_N);

		if (b == B_GOOD && size > GOOD_SIZE / 4)
			size = GOOD_SIZE / 4;
		iov[i].iov_base = b == B_GOOD ? good + i * (GOOD_SIZE / 4) : pick_buf(b, size);
		iov[i].iov_len = size;
		total += size;
		if (b != B_GOOD && b != B_EDGE && !(b == B_RDONLY && !is_read) && size)
			bad = true;
	}
	arm(blocking(f));
	n = is_read ? readv(f->fd, iov, (int)cnt) : writev(f->fd, iov, (int)cnt);
	err = n < 0 ? errno : 0;
	disarm();
	note(is_read ? C_READV : C_WRITEV, f->t->kind, err);
	if (verbose)
		kt_msg("%s %s %u iovecs %zu = %zd %s", is_read ? "readv" : "writev", f->t->path,
		       cnt, total, n, n < 0 ? strerror(err) : "");
	if (n > (ssize_t)total && total < SSIZE_MAX)
		failf("%s %s of %zu returned %zd", is_read ? "readv" : "writev", f->t->path, total, n);
	/* with a bad iovec first, nothing may succeed */
	if (bad && n > 0 && iov[0].iov_len && (iov[0].iov_base == NULL ||
					       iov[0].iov_base == kaddr ||
					       iov[0].iov_base == guard))
		failf("%s %s with a bad first iovec returned %zd", is_read ? "readv" : "writev",
		      f->t->path, n);
}

static void do_ioctl(void)
{
	struct file *f = pick_file();
	unsigned long cmd;
	uint64_t argv;
	void *arg;
	unsigned int which = rn(10);
	enum buf_kind b;
	int ret, err;
	uint32_t v = 0;
	bool valid_cmd = true, blk;

	if (!f)
		return;
	switch (which) {
	case 0:
	case 1:
		cmd = TDMX_IOC_GET_INFO;
		break;
	case 2:
		cmd = TDMX_IOC_GET_RX_ABCD;
		break;
	case 3:
	case 4:
		cmd = TDMX_IOC_SET_TX_ABCD;
		break;
	case 5:
		cmd = TDMX_IOC_GET_EVENT;
		break;
	case 6:	/* our magic, other numbers, directions, sizes */
		cmd = _IOC(rn(4), TDMX_IOC_MAGIC, rn(12), rn(64));
		valid_cmd = cmd == TDMX_IOC_GET_INFO || cmd == TDMX_IOC_GET_RX_ABCD ||
			    cmd == TDMX_IOC_SET_TX_ABCD || cmd == TDMX_IOC_GET_EVENT;
		break;
	case 7:	/* generic ones the VFS may handle itself */
	{
		static const unsigned long generic[] = { FIONREAD, FIONBIO, FIOASYNC, FIOCLEX,
							 FIONCLEX, FIOQSIZE, 0x5401 /* TCGETS */ };

		cmd = generic[rn(sizeof(generic) / sizeof(generic[0]))];
		valid_cmd = false;
		break;
	}
	default:
		cmd = (unsigned long)(uint32_t)rnd();
		valid_cmd = cmd == TDMX_IOC_GET_INFO || cmd == TDMX_IOC_GET_RX_ABCD ||
			    cmd == TDMX_IOC_SET_TX_ABCD || cmd == TDMX_IOC_GET_EVENT;
		break;
	}
	b = chance(50) ? B_GOOD : (enum buf_kind)rn(B_N);
	if (b == B_EDGE)
		arg = guard - 2;	/* a struct that runs into the unmapped page */
	else
		arg = pick_buf(b, 64);
	if (chance(5)) {
		argv = rnd();
		arg = (void *)(uintptr_t)argv;
		b = B_N;	/* unknown */
	}
	if (cmd == TDMX_IOC_SET_TX_ABCD && b == B_GOOD) {
		v = chance(70) ? rn(16) : chance(50) ? 16 + rn(20) : (uint32_t)rnd();
		memcpy(good, &v, sizeof(v));
	} else if (b == B_GOOD) {
		memset(good, 0xAA, 64);
	}
	/* FIONBIO/FIOASYNC with a bad pointer fail; with a good one they flip flags */
	blk = blocking(f);
	arm(blk);
	ret = ioctl(f->fd, cmd, arg);
	err = ret < 0 ? errno : 0;
	disarm();
	note(C_IOCTL, f->t->kind, err);
	if (verbose)
		kt_msg("ioctl %s 0x%lx %s = %d %s", f->t->path, cmd,
		       b < B_N ? buf_names[b] : "random", ret, ret < 0 ? strerror(err) : "");
	if (cmd == FIONBIO && !ret) {
		/* keep our bookkeeping of the file's mode honest */
		f->flags = fcntl(f->fd, F_GETFL);
	}
	if (!valid_cmd)
		return;
	if (f->t->kind != K_CHAN) {
		if (ret != -1 || err != ENOTTY)
			failf("ioctl 0x%lx on %s: %d %s, expected ENOTTY", cmd, f->t->path, ret,
			      strerror(err));
		return;
	}
	if ((b == B_NULL || b == B_KERNEL || b == B_UNMAPPED || b == B_EDGE ||
	     (b == B_RDONLY && cmd != TDMX_IOC_SET_TX_ABCD)) && !ret &&
	    !(cmd == TDMX_IOC_GET_EVENT))
		failf("ioctl 0x%lx on %s with a %s pointer succeeded", cmd, f->t->path,
		      buf_names[b]);
	if (cmd == TDMX_IOC_GET_EVENT && !ret && b != B_GOOD && b != B_N)
		failf("TDMX_IOC_GET_EVENT on %s with a %s pointer succeeded", f->t->path,
		      buf_names[b]);
	if (b != B_GOOD)
		return;
	if (cmd == TDMX_IOC_GET_INFO) {
		struct tdmx_chan_info info;

		memcpy(&info, good, sizeof(info));
		if (ret)
			failf("TDMX_IOC_GET_INFO on %s: %s", f->t->path, strerror(err));
		else if (info.span != f->t->span || info.chan != f->t->ts ||
			 info.type < TDMX_CHAN_UNUSED || info.type > TDMX_CHAN_CAS)
			failf("TDMX_IOC_GET_INFO on %s says span %u chan %u type %u", f->t->path,
			      info.span, info.chan, info.type);
	} else if (cmd == TDMX_IOC_SET_TX_ABCD) {
		if (v <= 15 && ret)
			failf("TDMX_IOC_SET_TX_ABCD %u on %s: %s", v, f->t->path, strerror(err));
		if (v > 15 && (ret != -1 || err != EINVAL))
			failf("TDMX_IOC_SET_TX_ABCD %u on %s: %d %s, expected EINVAL", v,
			      f->t->path, ret, strerror(err));
	} else if (cmd == TDMX_IOC_GET_RX_ABCD) {
		memcpy(&v, good, sizeof(v));
		if (ret || v > 15)
			failf("TDMX_IOC_GET_RX_ABCD on %s: %d %s, value %u", f->t->path, ret,
			      strerror(err), v);
	} else if (cmd == TDMX_IOC_GET_EVENT) {
		struct tdmx_chan_event ev;

		memcpy(&ev, good, sizeof(ev));
		if (ret && err != EAGAIN)
			failf("TDMX_IOC_GET_EVENT on %s: %s", f->t->path, strerror(err));
		if (!ret && (ev.type < TDMX_CHAN_EV_ABCD || ev.type > TDMX_CHAN_EV_UNDERRUN ||
			     !ev.seq))
			failf("TDMX_IOC_GET_EVENT on %s: type %u seq %llu", f->t->path, ev.type,
			      (unsigned long long)ev.seq);
	}
}

static void touch_map(struct map *mp)
{
	volatile const uint8_t *p = mp->addr;
	size_t i;
	unsigned int sum = 0;

	for (i = 0; i < mp->len; i += 512)
		sum += p[i];
	(void)sum;
	if (mp->writable) {
		uint8_t *w = mp->addr;
		unsigned int k;

		/* scribble: header fields (rx_seq, tx_seq_done ...) and rings */
		for (k = 0; k < 16; k++)
			w[rn((uint32_t)mp->len)] = (uint8_t)rnd();
		if (chance(30) && mp->len >= sizeof(struct tdmx_ring_hdr)) {
			struct tdmx_ring_hdr *h = mp->addr;

			switch (rn(4)) {
			case 0:
				h->tx_seq_done = rnd();
				break;
			case 1:
				h->rx_seq = chance(50) ? 0 : rnd();
				break;
			case 2:
				h->block_ms = (uint32_t)rnd();
				break;
			default:
				h->tx_missed = rnd();
				break;
			}
		}
	}
}

static void drop_map(unsigned int i)
{
	munmap(maps[i].addr, maps[i].len);
	maps[i] = maps[--nmaps];
}

static void do_mmap(void)
{
	static const size_t lens[] = { 0, 1, PAGE, 2 * PAGE, TDMX_RING_MMAP_SIZE - 1,
				       TDMX_RING_MMAP_SIZE, RING_MAP, RING_MAP + PAGE,
				       4 * RING_MAP, 1u << 30 };
	static const off_t offs[] = { 0, 0, 0, PAGE, 2 * PAGE, RING_MAP, RING_MAP + PAGE,
				      (off_t)1 << 40 };
	struct file *f = pick_file();
	size_t len;
	off_t off;
	int prot, flags, err;
	void *p;
	bool ok_expected;

	if (!f)
		return;
	len = lens[rn(sizeof(lens) / sizeof(lens[0]))];
	off = chance(10) ? (off_t)rn(1000) * PAGE : offs[rn(sizeof(offs) / sizeof(offs[0]))];
	prot = chance(50) ? PROT_READ : PROT_READ | PROT_WRITE;
	if (chance(5))
		prot = PROT_WRITE;
	if (chance(3))
		prot |= PROT_EXEC;
	flags = chance(80) ? MAP_SHARED : MAP_PRIVATE;
	/* a private writable GiB only fails the memory accounting (and logs) */
	if (len > 4 * RING_MAP && (prot & PROT_WRITE))
		flags = MAP_SHARED;
	p = mmap(NULL, len, prot, flags, f->fd, off);
	err = p == MAP_FAILED ? errno : 0;
	note(C_MMAP, f->t->kind, err);
	if (verbose)
		kt_msg("mmap %s len %zu off %lld prot %d %s = %s", f->t->path, len, (long long)off,
		       prot, flags == MAP_SHARED ? "shared" : "private",
		       p == MAP_FAILED ? strerror(err) : "ok");
	ok_expected = f->t->kind == K_SPAN && off == 0 && len && len <= RING_MAP;
	if (p != MAP_FAILED && !ok_expected) {
		failf("mmap %s len %zu offset %lld succeeded (must fail)", f->t->path, len,
		      (long long)off);
		munmap(p, len);
		return;
	}
	if (p == MAP_FAILED)
		return;
	if (nmaps == MAX_MAPS)
		drop_map(rn(nmaps));
	maps[nmaps].addr = p;
	maps[nmaps].len = len;
	maps[nmaps].writable = prot & PROT_WRITE;
	if (prot & PROT_READ)
		touch_map(&maps[nmaps]);
	else
		maps[nmaps].writable = false;	/* PROT_WRITE alone: do not read */
	/* growing a device mapping must fail; moving it may work */
	if (chance(30)) {
		void *q = mremap(p, len, len + RING_MAP, MREMAP_MAYMOVE);

		if (q != MAP_FAILED) {
			failf("mremap of a %s mapping from %zu to %zu octets succeeded",
			      f->t->path, len, (size_t)(len + RING_MAP));
			munmap(q, len + RING_MAP);
			return;
		}
	}
	if (chance(20) && !(prot & PROT_WRITE) && flags == MAP_SHARED &&
	    (f->flags & O_ACCMODE) == O_RDONLY) {
		if (!mprotect(p, len, PROT_READ | PROT_WRITE))
			failf("mprotect(PROT_WRITE) of a shared mapping of %s opened read-only succeeded",
			      f->t->path);
	}
	nmaps++;
}

static void do_poll(void)
{
	struct pollfd pfd[MAX_FILES];
	unsigned int i;
	int n;

	for (i = 0; i < nfiles; i++) {
		pfd[i].fd = files[i].fd;
		pfd[i].events = (short)(POLLIN | POLLOUT | POLLPRI);
	}
	n = poll(pfd, nfiles, (int)rn(20));
	note(C_POLL, K_CHAN, n < 0 ? errno : 0);
	for (i = 0; n > 0 && i < nfiles; i++)
		if (pfd[i].revents & POLLNVAL)
			failf("poll: POLLNVAL on open %s", files[i].t->path);
}

static void do_fcntl(void)
{
	struct file *f = pick_file();
	int fl;

	if (!f)
		return;
	fl = fcntl(f->fd, F_GETFL);
	fl ^= O_NONBLOCK;
	if (!fcntl(f->fd, F_SETFL, fl))
		f->flags = fl;
}

static void step(void)
{
	unsigned int r = rn(100);

	steps++;
	if (r < 12 || nfiles < 3)
		do_open();
	else if (r < 18)
		do_close();
	else if (r < 36)
		do_rw(true);
	else if (r < 50)
		do_rw(false);
	else if (r < 54)
		do_rwv(true);
	else if (r < 58)
		do_rwv(false);
	else if (r < 78)
		do_ioctl();
	else if (r < 88)
		do_mmap();
	else if (r < 91 && nmaps)
		drop_map(rn(nmaps));
	else if (r < 96)
		do_poll();
	else
		do_fcntl();
}

/* ---------------------------------------------- two readers, one frame */

/* the first hdlc channel of @span, or 0 */
static unsigned int hdlc_ts(unsigned int span)
{
	struct tdmx_chan_info info;
	unsigned int ts;
	int fd;

	for (ts = 1; ts < 32; ts++) {
		fd = kt_open_chan(span, ts, O_RDONLY | O_NONBLOCK);
		if (fd < 0)
			continue;
		if (!kt_chan_info(fd, &info) && info.type == TDMX_CHAN_HDLC) {
			close(fd);
			return ts;
		}
		close(fd);
	}
	return 0;
}

struct held_read {
	int fd;
	void *buf;
	ssize_t n;
	int err;
};

static void *held_read_thread(void *arg)
{
	struct held_read *h = arg;

	h->n = read(h->fd, h->buf, PAGE);
	h->err = h->n < 0 ? errno : 0;
	return NULL;
}

/*
 * The same, made certain with userfaultfd: the first reader's buffer is a
 * page that is not there yet, so it stops inside read(), holding the
 * channel's reader lock, while copying the frame out. The second reader
 * (blocking) comes in meanwhile and waits. When the page is supplied the
 * first read completes; the queue is then empty and the second reader
 * must go on waiting (its timer ends it with EINTR), not return a frame.
 */
static void held_reader(int afd, const int *bfd, const int *pfd, unsigned int b, unsigned int ts)
{
	static const uint8_t frame[10] = { 'h', 'e', 'l', 'd', 1, 2, 3, 4, 0, 0 };
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { 0 };
	struct uffdio_copy cp = { 0 };
	struct uffd_msg msg;
	struct held_read h = { .fd = bfd[0] };
	struct pollfd p;
	pthread_t th;
	uint8_t *area, *src;
	int uffd, res[2] = { -2, 0 };
	pid_t pid;
	ssize_t n;

	uffd = (int)syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api)) {
		kt_msg("userfaultfd: %s: the held-reader check is skipped", strerror(errno));
		return;
	}
	area = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	src = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	reg.range.start = (uintptr_t)area;
	reg.range.len = 2 * PAGE;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	if (area == MAP_FAILED || src == MAP_FAILED || ioctl(uffd, UFFDIO_REGISTER, &reg)) {
		kt_msg("userfaultfd register: %s: the held-reader check is skipped", strerror(errno));
		close(uffd);
		return;
	}
	memset(src, 0, PAGE);
	/* one frame waits in the queue */
	if (write(afd, frame, sizeof(frame)) != (ssize_t)sizeof(frame)) {
		failf("write a frame: %s", strerror(errno));
		return;
	}
	p.fd = bfd[0];
	p.events = POLLIN;
	if (poll(&p, 1, 3000) != 1) {
		failf("held reader: the frame did not arrive on %u/%u", b, ts);
		return;
	}
	/* reader 1 stops in the copy, holding the reader lock */
	h.buf = area;
	pthread_create(&th, NULL, held_read_thread, &h);
	p.fd = uffd;
	if (poll(&p, 1, 3000) != 1 || read(uffd, &msg, sizeof(msg)) != (ssize_t)sizeof(msg) ||
	    msg.event != UFFD_EVENT_PAGEFAULT) {
		kt_msg("held reader: no page fault from the first read (n %zd): check skipped", h.n);
		close(uffd);	/* ends a fault nobody will serve */
		pthread_join(th, NULL);
		return;
	}
	/* reader 2: blocking, must still be waiting when its timer rings */
	pid = fork();
	if (pid == 0) {
		struct itimerval it = { .it_value = { .tv_sec = 2 } };
		uint8_t buf[TDMX_HDLC_FRAME_MAX];

		setitimer(ITIMER_REAL, &it, NULL);
		n = read(bfd[1], buf, sizeof(buf));
		res[0] = (int)n;
		res[1] = n < 0 ? errno : 0;
		(void)!write(pfd[1], res, sizeof(res));
		_exit(0);
	}
	usleep(500000);	/* reader 2 is in read(), waiting for the lock */
	cp.dst = msg.arg.pagefault.address & ~(uint64_t)(PAGE - 1);
	cp.src = (uintptr_t)src;
	cp.len = PAGE;
	if (ioctl(uffd, UFFDIO_COPY, &cp))
		kt_msg("UFFDIO_COPY: %s", strerror(errno));
	pthread_join(th, NULL);
	if (read(pfd[0], res, sizeof(res)) != (ssize_t)sizeof(res))
		res[0] = -2;
	waitpid(pid, NULL, 0);
	if (h.n != (ssize_t)sizeof(frame) || memcmp(area, frame, 8))
		failf("held reader: the first reader got %zd octets (%s: %02x %02x %02x %02x %02x %02x %02x %02x), not the frame",
		      h.n, h.n < 0 ? strerror(h.err) : "wrong data", area[0], area[1], area[2],
		      area[3], area[4], area[5], area[6], area[7]);
	if (res[0] != -1 || res[1] != EINTR)
		failf("held reader: one frame queued, two readers of %u/%u: the second read returned %d%s%s instead of waiting (the reader lock is taken after the queue was found non-empty, and the queue is not checked again under it)",
		      b, ts, res[0], res[0] < 0 ? " " : " octets", res[0] < 0 ? strerror(res[1]) : "");
	/* the queue must be empty now */
	{
		uint8_t buf[TDMX_HDLC_FRAME_MAX];
		int fl = fcntl(bfd[0], F_GETFL), k;

		fcntl(bfd[0], F_SETFL, fl | O_NONBLOCK);
		for (k = 0; k < 3; k++) {
			n = read(bfd[0], buf, sizeof(buf));
			if (n < 0)
				break;
		}
		if (k)
			failf("held reader: afterwards %u/%u still gives frames nobody sent (%d reads returned data, the last %zd octets): the queue indices are off",
			      b, ts, k, n);
		fcntl(bfd[0], F_SETFL, fl);
	}
	kt_msg("held reader: first read %zd octets, second read %d (%s)", h.n, res[0],
	       res[0] < 0 ? strerror(res[1]) : "data");
	munmap(area, 2 * PAGE);
	munmap(src, PAGE);
	close(uffd);
}

struct held_write {
	int fd;
	uint8_t *buf;
	size_t len;
	ssize_t n;
	int err;
};

static void *held_write_thread(void *arg)
{
	struct held_write *h = arg;

	h->n = write(h->fd, h->buf, h->len);
	h->err = h->n < 0 ? errno : 0;
	return NULL;
}

/*
 * Wait up to @ms for a userfault in @area (two pages), let @delay_us pass
 * (so that other threads get where they are going), then supply the page
 * from src[0] or src[1]. False when no fault came.
 */
static bool uffd_serve(int uffd, const uint8_t *area, uint8_t *const *src, int ms,
		       unsigned int delay_us)
{
	struct uffdio_copy cp = { 0 };
	struct uffd_msg msg;
	struct pollfd p = { .fd = uffd, .events = POLLIN };

	if (poll(&p, 1, ms) != 1 || read(uffd, &msg, sizeof(msg)) != (ssize_t)sizeof(msg) ||
	    msg.event != UFFD_EVENT_PAGEFAULT)
		return false;
	usleep(delay_us);
	cp.dst = msg.arg.pagefault.address & ~(uint64_t)(PAGE - 1);
	cp.src = (uintptr_t)src[cp.dst == (uintptr_t)area ? 0 : 1];
	cp.len = PAGE;
	return !ioctl(uffd, UFFDIO_COPY, &cp);
}

#define HW_LEN	4094	/* payload octets per frame: over 500 ms each at 64 kbit/s */

/*
 * Two writers and a full transmit queue: A's hdlc queue is filled until
 * a non-blocking write says EAGAIN; then two threads write one frame
 * each, blocking, from pages that are not there yet (userfaultfd). When
 * the transmitter frees one slot, both wake; the first to take the writer
 * lock stops in the copy, the other waits for the lock. Then the pages
 * are supplied one after the other. Every frame written must arrive on B
 * exactly once: the second writer has to wait for room, not write over a
 * queued frame.
 */
static void held_writers(int afd, int afd2, int bfd, unsigned int a, unsigned int b,
			 unsigned int ts)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { 0 };
	struct held_write w[2];
	uint8_t frame[HW_LEN + 2], buf[TDMX_HDLC_FRAME_MAX], *area, *src[2];
	unsigned int nfill = 0, i, seen[1100] = { 0 }, got = 0, want, missing = 0, dups = 0;
	pthread_t th[2];
	double deadline;
	int uffd, fl;

	uffd = (int)syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api)) {
		kt_msg("userfaultfd: %s: the held-writers check is skipped", strerror(errno));
		return;
	}
	area = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	src[0] = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED || src[0] == MAP_FAILED)
		return;
	src[1] = src[0] + PAGE;
	reg.range.start = (uintptr_t)area;
	reg.range.len = 2 * PAGE;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg)) {
		kt_msg("userfaultfd register: %s: the held-writers check is skipped", strerror(errno));
		close(uffd);
		return;
	}
	/* what the page will hold: frame 1000 (both writers send it) */
	for (i = 0; i < 2; i++) {
		memset(src[i], 0x40, PAGE);
		src[i][0] = (uint8_t)(1000 >> 8);
		src[i][1] = (uint8_t)1000;
	}
	/* drain B, then fill A's queue */
	fl = fcntl(bfd, F_GETFL);
	fcntl(bfd, F_SETFL, fl | O_NONBLOCK);
	for (i = 0; i < 64 && read(bfd, buf, sizeof(buf)) >= 0; i++)
		;
	fcntl(afd, F_SETFL, fcntl(afd, F_GETFL) | O_NONBLOCK);
	for (;;) {
		memset(frame, 0x20, sizeof(frame));
		frame[0] = (uint8_t)(nfill >> 8);
		frame[1] = (uint8_t)nfill;
		if (write(afd, frame, sizeof(frame)) != (ssize_t)sizeof(frame))
			break;
		if (++nfill >= 40)
			break;
	}
	fcntl(afd, F_SETFL, fcntl(afd, F_GETFL) & ~O_NONBLOCK);
	if (errno != EAGAIN || nfill < 2 || nfill >= 40) {
		kt_msg("held writers: filling the queue of %u/%u: %u frames, %s: check skipped", a,
		       ts, nfill, strerror(errno));
		close(uffd);
		return;
	}
	/*
	 * Two blocking writers, their data in a page not yet there: the
	 * first to take the writer lock faults on it; once it is supplied,
	 * the second copies at once.
	 */
	for (i = 0; i < 2; i++) {
		w[i].fd = i ? afd2 : afd;
		w[i].buf = area;
		w[i].len = HW_LEN + 2;
		w[i].n = -2;
		pthread_create(&th[i], NULL, held_write_thread, &w[i]);
	}
	/* hold the first writer 150 ms: the transmitter frees no slot meanwhile */
	if (!uffd_serve(uffd, area, src, 3000, 150000)) {
		kt_msg("held writers: no page fault (writers %zd %zd): check skipped", w[0].n,
		       w[1].n);
		close(uffd);
		for (i = 0; i < 2; i++)
			pthread_join(th[i], NULL);
		return;
	}
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	close(uffd);
	for (i = 0; i < 2; i++)
		if (w[i].n != HW_LEN + 2)
			failf("held writers: writer %u: %zd (%s)", i, w[i].n,
			      w[i].n < 0 ? strerror(w[i].err) : "short");
	/* every frame once on B: fill 0..nfill-1, and the two (ids from the page) */
	want = nfill + 2;
	deadline = kt_now_ms() + (want + 4) * 600.0 + 3000;
	fcntl(bfd, F_SETFL, fl & ~O_NONBLOCK);
	while (got < want + 2 && kt_now_ms() < deadline) {
		struct pollfd p = { .fd = bfd, .events = POLLIN };
		ssize_t n;
		unsigned int id;

		if (poll(&p, 1, (int)(deadline - kt_now_ms()) + 1) != 1)
			break;
		n = read(bfd, buf, sizeof(buf));
		if (n < 2)
			continue;
		id = (unsigned int)buf[0] << 8 | buf[1];
		got++;
		if (id < sizeof(seen) / sizeof(seen[0]))
			seen[id]++;
		if (got == want)
			deadline = kt_now_ms() + 1000;	/* a little more: duplicates */
	}
	fcntl(bfd, F_SETFL, fl);
	for (i = 0; i < nfill; i++) {
		missing += !seen[i];
		dups += seen[i] > 1 ? seen[i] - 1 : 0;
	}
	/* frame 1000 was written twice */
	missing += seen[1000] < 2 ? 2 - seen[1000] : 0;
	dups += seen[1000] > 2 ? seen[1000] - 2 : 0;
	if (missing || dups || got != want)
		failf("held writers: %u frames written on %u/%u (%u to fill the queue, 2 by writers waiting for room), %u arrived on %u/%u: %u lost, %u twice (the queue's room is checked before the writer lock and not again under it: the second writer overwrites a queued frame)",
		      want, a, ts, nfill, got, b, ts, missing, dups);
	kt_msg("held writers: %u frames written, %u arrived, %u lost, %u twice", want, got,
	       missing, dups);
	munmap(area, 2 * PAGE);
	munmap(src[0], 2 * PAGE);
}

/*
 * Two blocking readers on B's hdlc channel (two opens), one frame sent
 * on A's: exactly one reader gets it, the other keeps waiting (its timer
 * ends it with EINTR), and afterwards the queue is empty (EAGAIN).
 */
static int hdlc_readers(unsigned int a, unsigned int b, unsigned int rounds)
{
	static const uint8_t payload[8] = { 'r', 'a', 'c', 'e', 0x5A, 0xA5, 0x01, 0x80 };
	unsigned int ts = hdlc_ts(b), r, i;
	int afd, bfd[2], pfd[2];

	if (!ts || hdlc_ts(a) != ts) {
		kt_msg("spans %u and %u need an hdlc channel on the same timeslot", a, b);
		return KT_SETUP;
	}
	afd = kt_open_chan(a, ts, O_RDWR);
	bfd[0] = kt_open_chan(b, ts, O_RDWR);
	bfd[1] = kt_open_chan(b, ts, O_RDWR);
	if (afd < 0 || bfd[0] < 0 || bfd[1] < 0 || pipe(pfd)) {
		kt_msg("open the hdlc channels %u/%u and %u/%u: %s", a, ts, b, ts, strerror(errno));
		return KT_SETUP;
	}
	for (r = 0; r < rounds; r++) {
		uint8_t frame[sizeof(payload) + 2];
		pid_t pid[2];
		int got_frame = 0, got_other = 0;

		memcpy(frame, payload, sizeof(payload));
		frame[0] = (uint8_t)('r' + r);
		/* a fresh queue each round: the last close and a new open reset it */
		close(bfd[0]);
		close(bfd[1]);
		bfd[0] = kt_open_chan(b, ts, O_RDWR);
		bfd[1] = kt_open_chan(b, ts, O_RDWR);
		if (bfd[0] < 0 || bfd[1] < 0) {
			kt_msg("reopen %u/%u: %s", b, ts, strerror(errno));
			return KT_SETUP;
		}
		for (i = 0; i < 2; i++) {
			pid[i] = fork();
			if (pid[i] == 0) {
				struct itimerval it = { .it_value = { .tv_sec = 3 } };
				uint8_t buf[TDMX_HDLC_FRAME_MAX];
				ssize_t n;
				int res[2];

				setitimer(ITIMER_REAL, &it, NULL);
				n = read(bfd[i], buf, sizeof(buf));
				res[0] = (int)n;
				res[1] = n < 0 ? errno :
					 n == (ssize_t)sizeof(frame) && !memcmp(buf, frame, sizeof(payload));
				(void)!write(pfd[1], res, sizeof(res));
				_exit(0);
			}
		}
		usleep(300000);	/* both readers wait */
		if (write(afd, frame, sizeof(frame)) != (ssize_t)sizeof(frame)) {
			kt_msg("write a frame on %u/%u: %s", a, ts, strerror(errno));
			return KT_FAIL;
		}
		for (i = 0; i < 2; i++) {
			int res[2] = { -2, 0 };

			if (read(pfd[0], res, sizeof(res)) != (ssize_t)sizeof(res))
				res[0] = -2;
			if (res[0] == (int)sizeof(frame) && res[1] == 1)
				got_frame++;
			else if (res[0] == -1 && res[1] == EINTR)
				;	/* still waiting when its timer rang: right */
			else {
				got_other++;
				failf("round %u: a second reader of %u/%u got %d octets (%s) for the one frame sent",
				      r, b, ts, res[0], res[0] < 0 ? strerror(res[1]) :
				      res[1] ? "the frame again" : "not the frame");
			}
		}
		waitpid(pid[0], NULL, 0);
		waitpid(pid[1], NULL, 0);
		if (got_frame != 1)
			failf("round %u: %d readers of %u/%u got the frame sent on %u/%u, expected 1",
			      r, got_frame, b, ts, a, ts);
		/* nothing is left to read */
		for (i = 0; i < 2; i++) {
			uint8_t buf[TDMX_HDLC_FRAME_MAX];
			int fl = fcntl(bfd[i], F_GETFL);
			ssize_t n;

			fcntl(bfd[i], F_SETFL, fl | O_NONBLOCK);
			n = read(bfd[i], buf, sizeof(buf));
			if (n >= 0)
				failf("round %u: %u/%u gives a frame of %zd octets when none was sent",
				      r, b, ts, n);
			fcntl(bfd[i], F_SETFL, fl);
		}
		kt_msg("round %u: one frame, two readers: %d got it, %d got something else",
		       r, got_frame, got_other);
	}
	/* the last close and a new open reset B's queue, whatever the above did */
	close(bfd[0]);
	close(bfd[1]);
	bfd[0] = kt_open_chan(b, ts, O_RDWR);
	bfd[1] = kt_open_chan(b, ts, O_RDWR);
	if (bfd[0] >= 0 && bfd[1] >= 0)
		held_reader(afd, bfd, pfd, b, ts);
	close(bfd[0]);
	close(bfd[1]);
	bfd[0] = kt_open_chan(b, ts, O_RDWR);
	{
		int afd2 = kt_open_chan(a, ts, O_RDWR);

		if (afd2 >= 0 && bfd[0] >= 0)
			held_writers(afd, afd2, bfd[0], a, b, ts);
		if (afd2 >= 0)
			close(afd2);
	}
	close(afd);
	if (bfd[0] >= 0)
		close(bfd[0]);
	close(pfd[0]);
	close(pfd[1]);
	return fails ? KT_FAIL : KT_PASS;
}

static void usage(void)
{
	fprintf(stderr, "usage: tdmx-devfuzz [-t SECONDS] [-s SEED] [-o MAXOPEN] [-v]\n"
			"       tdmx-devfuzz -H SPAN_A SPAN_B\n");
	exit(KT_SETUP);
}

static void print_hist(void)
{
	unsigned int c, k, e;
	char line[1024];

	for (c = 0; c < C_N; c++) {
		for (k = 0; k < K_N; k++) {
			size_t used = 0;
			unsigned long total = 0;

			for (e = 0; e < 136; e++)
				total += hist[c][k][e];
			if (!total)
				continue;
			for (e = 0; e < 136 && used < sizeof(line) - 64; e++) {
				if (!hist[c][k][e])
					continue;
				used += (size_t)snprintf(line + used, sizeof(line) - used, " %s %lu",
							 e ? (e == 135 ? "other" : strerrorname_np((int)e)) : "ok",
							 hist[c][k][e]);
			}
			kt_msg("%-6s %-5s %6lu:%s", call_names[c], kind_names[k], total, line);
		}
	}
}

int main(int argc, char **argv)
{
	struct sigaction sa = { 0 };
	unsigned int seconds = 30, i;
	uint64_t seed;
	double t0, deadline;
	uint8_t *area;
	bool hdlc_mode = false;
	int opt;

	kt_prog = "tdmx-devfuzz";
	setvbuf(stdout, NULL, _IOLBF, 0);
	{
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		seed = (uint64_t)ts.tv_sec * 1000003u ^ (uint64_t)ts.tv_nsec ^ (uint64_t)getpid() << 32;
	}
	while ((opt = getopt(argc, argv, "t:s:o:vHh")) != -1) {
		switch (opt) {
		case 'H':
			hdlc_mode = true;
			break;
		case 't':
			seconds = (unsigned int)kt_uint(optarg, "seconds", 1, 3600);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'o':
			max_open = (unsigned int)kt_uint(optarg, "max open", 1, MAX_FILES);
			break;
		case 'v':
			verbose = true;
			break;
		default:
			usage();
		}
	}
	if (hdlc_mode) {
		struct sigaction sa2 = { .sa_handler = on_alarm };

		if (argc - optind != 2)
			usage();
		sigaction(SIGALRM, &sa2, NULL);	/* no SA_RESTART */
		return hdlc_readers((unsigned int)kt_uint(argv[optind], "SPAN_A", 1, 65535),
				    (unsigned int)kt_uint(argv[optind + 1], "SPAN_B", 1, 65535), 3);
	}
	if (optind != argc)
		usage();
	kt_msg("seed %llu (repeat with -s %llu)", (unsigned long long)seed,
	       (unsigned long long)seed);
	rng_state = seed ? seed : 1;

	sa.sa_handler = on_alarm;	/* no SA_RESTART: blocking calls end with EINTR */
	sigaction(SIGALRM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	area = mmap(NULL, GOOD_SIZE + 2 * PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED) {
		kt_msg("mmap: %s", strerror(errno));
		return KT_SETUP;
	}
	good = area;
	guard = area + GOOD_SIZE;
	rdonly = area + GOOD_SIZE + PAGE;
	/* PROT_NONE rather than unmapped: a later mmap() could land there */
	mprotect(guard, PAGE, PROT_NONE);
	mprotect(rdonly, PAGE, PROT_READ);

	scan();
	if (!ntargets) {
		kt_msg("no /dev/tdmx devices");
		return KT_SETUP;
	}
	{
		unsigned int n[K_N] = { 0 };

		for (i = 0; i < ntargets; i++)
			n[targets[i].kind]++;
		make_bogus();
		kt_msg("targets: %u channel, %u span, %u line devices, %u extra nodes; %u s",
		       n[K_CHAN], n[K_SPAN], n[K_LINE], nbogus, seconds);
	}

	t0 = kt_now_ms();
	deadline = t0 + seconds * 1000.0;
	while (kt_now_ms() < deadline)
		step();

	while (nmaps)
		drop_map(0);
	while (nfiles)
		do_close();
	for (i = 0; i < ntargets; i++)
		if (targets[i].kind == K_BOGUS)
			unlink(targets[i].path);
	rmdir("/tmp/tdmx-devfuzz");
	print_hist();
	kt_msg("%lu steps in %.1f s, %d signals; %u checks failed", steps,
	       (kt_now_ms() - t0) / 1000, (int)alarms, fails);
	return fails ? KT_FAIL : KT_PASS;
}
