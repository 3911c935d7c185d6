// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd: the tdmx switching daemon.
 *
 *   tdmxd [--config FILE] [--control PATH] [--foreground] [--check] [--help]
 *
 * Start-up: read the configuration, detach (unless --foreground), open and
 * map the configured span devices (setting their block_ms and law over
 * netlink), bind the control socket, drop privileges to the configured
 * user, start the media workers (one io_uring loop each, spans shared out
 * among them), tell systemd READY=1. The main thread runs the control
 * loop: the control socket, and signals through a signalfd (SIGTERM and
 * SIGINT: clean shutdown; SIGHUP: reload the configuration).
 *
 * Exit status: 0 after a clean shutdown (or --check/--help), 1 when
 * start-up failed (a span device, the control socket, privileges), 2 for a
 * usage or configuration error.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <poll.h>
#include <pthread.h>
#include <pwd.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "callcentre.h"
#include "config.h"
#include "dsp.h"
#include "ctl.h"
#include "dchan_ctl.h"
#include "engine.h"
#include "libtdmx.h"
#include "log.h"
#include "loop.h"
#include "span.h"
#include "tone.h"

#define DEFAULT_CONFIG	"/etc/tdmxd/tdmxd.yaml"
#define EXIT_START	1
#define EXIT_USAGE	2

struct worker {
	unsigned int idx;
	pthread_t thread;
	sem_t ready;
	struct loop *loop;
	struct eng_group *group;
	struct eng *eng;
	unsigned int rt_priority;
	unsigned int nspans;	/* spans running on it (its thread only) */
	bool stopping;
	int err;
};

struct daemon {
	struct cfg *cfg;
	const char *cfg_path;
	const char *control;	/* --control, or NULL */
	struct loop *loop;	/* the control loop (main thread) */
	struct ctl *ctl;
	struct dchan_ctl *dchans;	/* the spans' D-channels, on the control loop */
	struct callcentre *cc;	/* ACD + CTI, when acd: config: is set */
	uint64_t acd_hash, tokens_hash;	/* of the files cc started from */
	struct eng *eng;
	struct tdmx *nl;
	int sfd;
	unsigned int nworkers;
	struct worker workers[CFG_MAX_WORKERS];
	struct dspan *spans[MEDIA_MAX_SPANS + 1];
	struct worker *span_worker[MEDIA_MAX_SPANS + 1];
	unsigned int workers_running;
	bool stopping;
	uid_t uid;
	gid_t gid;
	bool drop;
} __attribute__((aligned(16)));

static struct daemon dmn;
static int ready_fd = -1;	/* write end of the pipe to the parent (daemonised) */

/* ------------------------------------------------------------ start-up */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: tdmxd [--config FILE] [--control PATH] [--foreground] [--check] [--help]\n"
		"  -c, --config FILE   configuration (default " DEFAULT_CONFIG ")\n"
		"  -s, --control PATH  control socket (overrides the configuration)\n"
		"  -f, --foreground    stay in the foreground, log to stderr\n"
		"  -n, --check         check the configuration and exit\n"
		"  -h, --help          this text\n"
		"exit status: 0 ok, 1 start-up failed, 2 usage or configuration error\n");
}

/* tell the waiting parent how start-up went (daemonised only) */
static void tell_parent(unsigned char code)
{
	if (ready_fd < 0)
		return;
	if (write(ready_fd, &code, 1) < 0)
		log_err(NULL, "cannot report start-up to the parent: %s", strerror(errno));
	close(ready_fd);
	ready_fd = -1;
}

static void die(int code)
{
	tell_parent((unsigned char)code);
	exit(code);
}

/*
 * Detach: fork twice, new session, stdio to /dev/null, logs to syslog. The
 * first parent waits for the daemon's start-up verdict and exits with it.
 */
static void daemonise(void)
{
	int pfd[2], fd;
	unsigned char code;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC)) {
		log_err(NULL, "pipe: %s", strerror(errno));
		exit(EXIT_START);
	}
	pid = fork();
	if (pid < 0) {
		log_err(NULL, "fork: %s", strerror(errno));
		exit(EXIT_START);
	}
	if (pid > 0) {
		close(pfd[1]);
		if (read(pfd[0], &code, 1) != 1)
			code = EXIT_START;	/* the daemon died before it could say */
		_exit(code);
	}
	close(pfd[0]);
	ready_fd = pfd[1];
	if (setsid() < 0)
		die(EXIT_START);
	pid = fork();
	if (pid < 0)
		die(EXIT_START);
	if (pid > 0)
		_exit(0);
	if (chdir("/"))
		die(EXIT_START);
	umask(022);
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	log_use_syslog(true);
}

/* the user and group of the configuration, looked up before anything starts */
static int resolve_user(struct daemon *d)
{
	const struct cfg *c = d->cfg;
	struct passwd *pw;
	struct group *gr;

	d->uid = (uid_t)-1;
	d->gid = (gid_t)-1;
	d->drop = false;
	if (!c->user[0]) {
		if (c->group[0])
			log_warn("config", "group '%s' without user: ignored", c->group);
		return 0;
	}
	pw = getpwnam(c->user);
	if (!pw) {
		log_err("config", "%s: user '%s' does not exist", c->file, c->user);
		return -ENOENT;
	}
	d->uid = pw->pw_uid;
	d->gid = pw->pw_gid;
	if (c->group[0]) {
		gr = getgrnam(c->group);
		if (!gr) {
			log_err("config", "%s: group '%s' does not exist", c->file, c->group);
			return -ENOENT;
		}
		d->gid = gr->gr_gid;
	}
	if (geteuid() == 0) {
		d->drop = d->uid != 0;
	} else if (geteuid() != d->uid) {
		log_warn(NULL, "not started as root: staying uid %u instead of user '%s'",
			 (unsigned int)geteuid(), c->user);
		d->uid = (uid_t)-1;
		d->gid = (gid_t)-1;
	}
	return 0;
}

/* setgroups (the user's groups, so udev's "tdmx" group keeps working),
 * setgid, setuid; and check that root cannot come back */
static int drop_privileges(struct daemon *d)
{
	if (!d->drop)
		return 0;
	if (initgroups(d->cfg->user, d->gid) || setgid(d->gid) || setuid(d->uid)) {
		log_err(NULL, "cannot drop privileges to %s: %s", d->cfg->user, strerror(errno));
		return -errno;
	}
	if (setuid(0) == 0) {
		log_err(NULL, "privileges still there after dropping them");
		return -EPERM;
	}
	log_info(NULL, "running as user %s (uid %u, gid %u)", d->cfg->user,
		 (unsigned int)d->uid, (unsigned int)d->gid);
	return 0;
}

/* a directory the daemon writes to: created (0750) and given to its user */
static void make_dir(struct daemon *d, const char *path)
{
	if (!mkdir(path, 0750)) {
		if (d->drop && chown(path, d->uid, d->gid))
			log_warn(NULL, "chown %s: %s", path, strerror(errno));
	} else if (errno != EEXIST) {
		log_warn(NULL, "mkdir %s: %s", path, strerror(errno));
	}
}

static void make_dir_of(struct daemon *d, const char *file)
{
	char dir[PATH_MAX], *slash;

	snprintf(dir, sizeof(dir), "%s", file);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return;
	*slash = 0;
	make_dir(d, dir);
}

/* ------------------------------------------------------------- workers */

/*
 * Real-time scheduling for the workers: while still privileged, the
 * daemon raises RLIMIT_RTPRIO to the configured priority, so that after
 * the privilege drop each worker can switch itself to SCHED_FIFO once its
 * set-up (recorder, index, mixer: slow, and not real-time work) is done.
 */
static void rt_allow(struct daemon *d)
{
	struct rlimit rl = { d->cfg->rt_priority, d->cfg->rt_priority };

	if (d->cfg->rt_priority && setrlimit(RLIMIT_RTPRIO, &rl) && geteuid() == 0)
		log_warn(NULL, "RLIMIT_RTPRIO %u: %s", d->cfg->rt_priority, strerror(errno));
}

static void rt_worker(struct worker *w, unsigned int prio)
{
	struct sched_param sp = { .sched_priority = (int)prio };
	int ret;

	if (!prio)
		return;
	ret = pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);
	if (ret)
		log_warn(loop_name(w->loop), "SCHED_FIFO priority %u: %s", prio, strerror(ret));
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	char name[16];
	int err = 0;

	snprintf(name, sizeof(name), "worker%u", w->idx);
	pthread_setname_np(pthread_self(), name);
	w->loop = loop_create(name, &err);
	w->err = err;
	if (w->loop) {
		/* worker 0 repairs what a crash left, before any recording starts */
		w->group = eng_group_create(w->eng, w->idx, w->loop, w->idx == 0);
		if (!w->group)
			w->err = -ENOMEM;
	}
	sem_post(&w->ready);
	if (!w->loop || !w->group)
		return NULL;
	dspan_register(w->loop);
	log_debug(name, "io_uring %s", loop_setup_flags(w->loop));
	rt_worker(w, w->rt_priority);
	loop_run(w->loop);
	/* finalises the recordings still running */
	eng_group_destroy(w->group);
	w->group = NULL;
	return NULL;
}

static int start_workers(struct daemon *d)
{
	unsigned int i;
	int ret;

	d->nworkers = d->cfg->workers;
	for (i = 0; i < d->nworkers; i++) {
		struct worker *w = &d->workers[i];

		w->idx = i;
		w->eng = d->eng;
		w->rt_priority = d->cfg->rt_priority;
		sem_init(&w->ready, 0, 0);
		ret = pthread_create(&w->thread, NULL, worker_main, w);
		if (ret) {
			log_err(NULL, "cannot start worker %u: %s", i, strerror(ret));
			return -ret;
		}
		d->workers_running++;
		while (sem_wait(&w->ready) && errno == EINTR)
			;
		if (!w->loop || !w->group) {
			log_err(NULL, "worker %u: %s", i, strerror(-w->err));
			return w->err ? w->err : -ENOMEM;
		}
	}
	return 0;
}

struct span_op {
	struct daemon *d;
	struct worker *w;
	struct dspan *s;
};

/* on the worker: start processing */
static void span_start_call(void *arg)
{
	struct span_op *op = arg;

	op->w->nspans++;
	eng_group_span_add(op->w->group, op->s);
	dspan_start(op->s, op->w->loop);
	free(op);
}

/* the span's hdlc channels run on the control loop (dchan.h) */
static void attach_dchans(struct daemon *d, unsigned int num)
{
	int ret = dchan_attach_span(dchan_ctl_set(d->dchans), num);

	if (ret < 0)
		log_span(LOG_WARNING, num, "D-channels not opened: %s", strerror(-ret));
}

static int hand_to_worker(struct daemon *d, struct dspan *s, struct worker *w)
{
	struct span_op *op = malloc(sizeof(*op));

	if (!op)
		return -ENOMEM;
	op->d = d;
	op->w = w;
	op->s = s;
	d->span_worker[dspan_num(s)] = w;
	eng_span_route(d->eng, dspan_num(s), w->group, dspan_law(s), dspan_block_ms(s));
	attach_dchans(d, dspan_num(s));
	return loop_call(w->loop, span_start_call, op);
}

/* the worker with the fewest spans */
static struct worker *least_loaded(struct daemon *d)
{
	unsigned int i, n[CFG_MAX_WORKERS] = { 0 }, best = 0;

	for (i = 1; i <= MEDIA_MAX_SPANS; i++)
		if (d->spans[i] && d->span_worker[i])
			n[d->span_worker[i]->idx]++;
	for (i = 1; i < d->nworkers; i++)
		if (n[i] < n[best])
			best = i;
	return &d->workers[best];
}

static int open_span(struct daemon *d, const struct cfg_span *cs)
{
	struct dspan *s;
	int ret;

	ret = dspan_open(&s, cs, d->cfg->jitter_ms, d->nl);
	if (ret) {
		log_span(LOG_ERR, cs->span, "cannot attach %s/span/%u: %s", tdmx_dev_dir(),
			 cs->span, ret == -EPROTO ? "ring layout of another version" :
			 strerror(-ret));
		return ret;
	}
	d->spans[cs->span] = s;
	return 0;
}

/* -------------------------------------------------- detach and shutdown */

/* on the control loop: a span stopped on its worker; free it */
static void span_closed_call(void *arg)
{
	struct span_op *op = arg;
	struct daemon *d = op->d;
	unsigned int num = dspan_num(op->s);

	if (d->spans[num] == op->s) {
		eng_span_route(d->eng, num, NULL, 0, 0);
		d->spans[num] = NULL;
		d->span_worker[num] = NULL;
	}
	log_span(LOG_INFO, num, "detached");
	dspan_close(op->s);
	free(op);
}

/* on the worker: the span has no operation in flight any more */
static void span_stopped(struct dspan *s, void *arg)
{
	struct span_op *op = arg;
	struct worker *w = op->w;

	w->nspans--;
	eng_group_span_del(w->group, s);
	if (loop_call(op->d->loop, span_closed_call, op))
		log_span(LOG_ERR, dspan_num(s), "out of memory: not freed");
	if (w->stopping && !w->nspans)
		loop_stop(w->loop);
}

/* on the worker: stop one span */
static void span_stop_call(void *arg)
{
	struct span_op *op = arg;

	dspan_stop(op->s, span_stopped, op);
}

static int detach_span(struct daemon *d, unsigned int num)
{
	struct span_op *op = malloc(sizeof(*op));

	if (!op)
		return -ENOMEM;
	op->d = d;
	op->w = d->span_worker[num];
	op->s = d->spans[num];
	dchan_detach_span(dchan_ctl_set(d->dchans), num);
	return loop_call(op->w->loop, span_stop_call, op);
}

/* on the worker: stop when its spans are gone */
static void worker_stop_call(void *arg)
{
	struct worker *w = arg;

	w->stopping = true;
	if (!w->nspans)
		loop_stop(w->loop);
}

static void shutdown_daemon(struct daemon *d)
{
	unsigned int i;

	if (d->stopping)
		return;
	d->stopping = true;
	sd_notify(0, "STOPPING=1");
	log_notice(NULL, "shutting down");
	ctl_shutdown(d->ctl);
	callcentre_shutdown(d->cc);
	for (i = 1; i <= MEDIA_MAX_SPANS; i++)
		if (d->spans[i])
			detach_span(d, i);
	for (i = 0; i < d->workers_running; i++)
		loop_call(d->workers[i].loop, worker_stop_call, &d->workers[i]);
	loop_stop(d->loop);
}

/* --------------------------------------------------------------- reload */

/* SIGHUP and the ACD/CTI: check, log, change nothing (callcentre_check.c) */
static void reload_callcentre(struct daemon *d, const struct cfg *nc)
{
	char msg[CFG_ERR_LEN];
	int ret;

	if (!d->cc) {
		if (nc->acd_config[0])
			log_warn("acd", "acd: config: %s is new: the call centre starts at the next restart",
				 nc->acd_config);
		return;
	}
	ret = callcentre_reload_check(d->cfg, d->acd_hash, d->tokens_hash, nc, msg, sizeof(msg));
	if (ret < 0)
		log_err("acd", "reload: the new ACD/CTI files are not valid, the running ones stay: %s",
			msg);
	else if (ret > 0)
		log_warn("acd", "reload: %s: %s", nc->acd_config[0] ? nc->acd_config : "(none)", msg);
}

static void reload(struct daemon *d)
{
	char err[CFG_ERR_LEN];
	struct cfg *nc;
	unsigned int i;
	int ret;

	sd_notify(0, "RELOADING=1");
	nc = malloc(sizeof(*nc));
	if (!nc) {
		sd_notify(0, "READY=1");
		return;
	}
	ret = cfg_load(nc, d->cfg_path, err, sizeof(err));
	if (ret) {
		log_err("config", "reload failed, keeping the running configuration: %s", err);
		free(nc);
		sd_notify(0, "READY=1\nSTATUS=configuration reload failed");
		return;
	}
	if (nc->log_level != d->cfg->log_level) {
		log_set_level(nc->log_level);
		log_notice("config", "log level %s", log_level_name(nc->log_level));
	}
	if (strcmp(nc->prompt_dir, d->cfg->prompt_dir))
		log_notice("config", "prompt directory %s", nc->prompt_dir);
	if (nc->workers != d->cfg->workers)
		log_warn("config", "workers: %u -> %u needs a restart", d->cfg->workers, nc->workers);
	if (!d->control && strcmp(nc->control, d->cfg->control))
		log_warn("config", "control socket: %s -> %s needs a restart", d->cfg->control,
			 nc->control);
	if (strcmp(nc->user, d->cfg->user) || strcmp(nc->group, d->cfg->group))
		log_warn("config", "user/group change needs a restart");
	if (strcmp(nc->rec_dir, d->cfg->rec_dir) || strcmp(nc->rec_db, d->cfg->rec_db))
		log_warn("config", "recordings dir/database change needs a restart");
	reload_callcentre(d, nc);
	eng_reconfigure(d->eng, nc);
	/* spans no longer listed: detach; new ones: attach */
	for (i = 1; i <= MEDIA_MAX_SPANS; i++)
		if (d->spans[i] && !cfg_span_find(nc, i))
			detach_span(d, i);
	for (i = 0; i < nc->nspans; i++) {
		const struct cfg_span *cs = &nc->spans[i], *old = cfg_span_find(d->cfg, cs->span);

		if (d->spans[cs->span]) {
			if (old && (old->block_ms != cs->block_ms || old->law != cs->law))
				log_span(LOG_WARNING, cs->span,
					 "block_ms/law change applies when the span is re-attached (remove it, reload, add it, reload) or after a restart");
			continue;
		}
		d->cfg->jitter_ms = nc->jitter_ms;
		if (!open_span(d, cs) && hand_to_worker(d, d->spans[cs->span], least_loaded(d)))
			log_span(LOG_ERR, cs->span, "out of memory");
	}
	/* keep what cannot change without a restart */
	snprintf(nc->control, sizeof(nc->control), "%s", d->cfg->control);
	nc->workers = d->cfg->workers;
	snprintf(nc->user, sizeof(nc->user), "%s", d->cfg->user);
	snprintf(nc->group, sizeof(nc->group), "%s", d->cfg->group);
	/* the call centre keeps its files until a restart (callcentre_check.c) */
	snprintf(nc->acd_config, sizeof(nc->acd_config), "%s", d->cfg->acd_config);
	snprintf(nc->acd_log, sizeof(nc->acd_log), "%s", d->cfg->acd_log);
	snprintf(nc->cti_tokens, sizeof(nc->cti_tokens), "%s", d->cfg->cti_tokens);
	free(d->cfg);
	d->cfg = nc;
	log_notice("config", "reloaded %s", d->cfg_path);
	sd_notify(0, "READY=1\nSTATUS=running");
}

/* -------------------------------------------------------------- signals */

static void arm_signals(struct daemon *d)
{
	struct io_uring_sqe *sqe = loop_sqe(d->loop);

	io_uring_prep_poll_multishot(sqe, d->sfd, POLLIN);
	io_uring_sqe_set_data64(sqe, loop_tag(LOOP_OP_SIGNAL, d));
}

static void on_signal(struct loop *l, void *ptr, int res, unsigned int flags)
{
	struct daemon *d = ptr;
	struct signalfd_siginfo si;

	(void)l;
	if (res < 0 && res != -ECANCELED) {
		log_err(NULL, "signalfd poll: %s", strerror(-res));
		return;
	}
	/* the poll said readable: this read does not wait */
	while (read(d->sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGHUP:
			if (!d->stopping) {
				log_notice(NULL, "SIGHUP: reloading %s", d->cfg_path);
				reload(d);
			}
			break;
		case SIGTERM:
		case SIGINT:
			log_notice(NULL, "%s", si.ssi_signo == SIGTERM ? "SIGTERM" : "SIGINT");
			shutdown_daemon(d);
			break;
		default:
			break;
		}
	}
	if (!(flags & IORING_CQE_F_MORE) && !d->stopping)
		arm_signals(d);
}

static int setup_signals(struct daemon *d)
{
	sigset_t set;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	/* blocked in every thread (they inherit it): only the signalfd sees them */
	if (pthread_sigmask(SIG_BLOCK, &set, NULL))
		return -errno;
	d->sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	return d->sfd < 0 ? -errno : 0;
}

/* ----------------------------------------------------------------- main */

static void parse_args(struct daemon *d, int argc, char **argv, bool *fg, bool *check)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "control", required_argument, NULL, 's' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "check", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	d->cfg_path = DEFAULT_CONFIG;
	while ((c = getopt_long(argc, argv, "c:s:fnh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			d->cfg_path = optarg;
			break;
		case 's':
			d->control = optarg;
			break;
		case 'f':
			*fg = true;
			break;
		case 'n':
			*check = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(EXIT_USAGE);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "tdmxd: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		exit(EXIT_USAGE);
	}
	if (d->control && (d->control[0] != '/' ||
			   strlen(d->control) >= sizeof(d->cfg->control))) {
		fprintf(stderr, "tdmxd: --control needs an absolute path shorter than %zu characters\n",
			sizeof(d->cfg->control));
		exit(EXIT_USAGE);
	}
}

static int start(struct daemon *d)
{
	struct ctl_backend be = {
		.handle = eng_ctl_handle,
		.conn_closed = eng_ctl_conn_closed,
	};
	unsigned int i;
	int ret;

	ret = setup_signals(d);
	if (ret) {
		log_err(NULL, "signalfd: %s", strerror(-ret));
		return EXIT_START;
	}
	ret = dsp_init();
	if (ret) {
		log_err(NULL, "spandsp: %s", strerror(-ret));
		return EXIT_START;
	}
	ret = tdmx_open(&d->nl);
	if (ret) {
		log_warn(NULL, "tdmx netlink: %s (is tdmx.ko loaded?)", strerror(-ret));
		d->nl = NULL;
	}
	if (eng_create(&d->eng, d->cfg))
		return EXIT_START;
	for (i = 0; i < d->cfg->nspans; i++)
		if (open_span(d, &d->cfg->spans[i]))
			return EXIT_START;
	d->loop = loop_create("control", &ret);
	if (!d->loop) {
		log_err(NULL, "io_uring: %s", strerror(-ret));
		return EXIT_START;
	}
	log_debug("control", "io_uring %s", loop_setup_flags(d->loop));
	loop_on(d->loop, LOOP_OP_SIGNAL, on_signal);
	be.priv = d->eng;
	d->ctl = ctl_create(d->loop, &be);
	if (!d->ctl)
		return EXIT_START;
	eng_set_ctl(d->eng, d->ctl);
	eng_set_loop(d->eng, d->loop);
	d->dchans = dchan_ctl_create(d->loop, LOOP_OP_USER2, d->nl);
	if (!d->dchans)
		return EXIT_START;
	dchan_ctl_set_ctl(d->dchans, d->ctl);
	eng_set_dchans(d->eng, d->dchans);
	ret = ctl_listen(d->ctl, d->cfg->control, d->drop ? d->uid : (uid_t)-1,
			 d->drop ? d->gid : (gid_t)-1);
	if (ret) {
		log_err("ctl", "cannot listen on %s: %s", d->cfg->control, strerror(-ret));
		return EXIT_START;
	}
	if (d->cfg->acd_config[0]) {
		char err[CFG_ERR_LEN];

		make_dir_of(d, d->cfg->acd_log);
		d->acd_hash = callcentre_file_hash(d->cfg->acd_config);
		d->tokens_hash = callcentre_file_hash(d->cfg->cti_tokens);
		ret = callcentre_start(d->loop, LOOP_OP_USER3, d->cfg,
				       d->drop ? d->uid : (uid_t)-1, d->drop ? d->gid : (gid_t)-1,
				       &d->cc, err, sizeof(err));
		if (ret) {
			log_err("acd", "%s", err);
			return EXIT_START;
		}
	}
	make_dir(d, d->cfg->rec_dir);
	make_dir_of(d, d->cfg->rec_db);
	rt_allow(d);
	if (drop_privileges(d))
		return EXIT_START;
	if (start_workers(d))
		return EXIT_START;
	for (i = 0; i < d->cfg->nspans; i++) {
		unsigned int num = d->cfg->spans[i].span;

		if (hand_to_worker(d, d->spans[num], &d->workers[i % d->nworkers]))
			return EXIT_START;
	}
	arm_signals(d);
	return 0;
}

static void cleanup(struct daemon *d)
{
	unsigned int i;

	for (i = 0; i < d->workers_running; i++) {
		if (!d->workers[i].loop)
			continue;
		if (!d->stopping)
			loop_stop(d->workers[i].loop);
		pthread_join(d->workers[i].thread, NULL);
		loop_destroy(d->workers[i].loop);
	}
	/* the workers' last words: spans they stopped, to free here */
	if (d->loop)
		loop_drain_calls(d->loop);
	/* spans not stopped through a worker (start-up failed) */
	for (i = 1; i <= MEDIA_MAX_SPANS; i++) {
		if (!d->spans[i])
			continue;
		dspan_close(d->spans[i]);
	}
	loop_destroy(d->loop);
	dchan_ctl_destroy(d->dchans);
	ctl_destroy(d->ctl);
	callcentre_free(d->cc);
	eng_destroy(d->eng);
	if (d->nl)
		tdmx_close(d->nl);
	if (d->sfd >= 0)
		close(d->sfd);
	if (dsp_ready())
		dsp_exit();
	free(d->cfg);
}

int main(int argc, char **argv)
{
	struct daemon *d = &dmn;
	bool fg = false, check = false;
	char err[CFG_ERR_LEN], *cfg_abs;
	int ret;

	log_init("tdmxd");
	d->sfd = -1;
	d->cfg = malloc(sizeof(*d->cfg));
	if (!d->cfg)
		return EXIT_START;
	parse_args(d, argc, argv, &fg, &check);
	/* reloads happen after the chdir("/") of daemonising */
	cfg_abs = realpath(d->cfg_path, NULL);
	if (cfg_abs)
		d->cfg_path = cfg_abs;
	if (cfg_load(d->cfg, d->cfg_path, err, sizeof(err))) {
		fprintf(stderr, "tdmxd: %s\n", err);
		return EXIT_USAGE;
	}
	if (d->control)
		snprintf(d->cfg->control, sizeof(d->cfg->control), "%s", d->control);
	log_set_level(d->cfg->log_level);
	if (resolve_user(d))
		return EXIT_USAGE;
	if (!tone_plan_find(d->cfg->tone_country)) {
		fprintf(stderr, "tdmxd: %s: tones: country: no tone plan '%s'\n", d->cfg_path,
			d->cfg->tone_country);
		return EXIT_USAGE;
	}
	if (check) {
		/* the ACD and CTI files too, as the start would load them */
		if (callcentre_check(d->cfg, err, sizeof(err))) {
			fprintf(stderr, "tdmxd: %s\n", err);
			return EXIT_USAGE;
		}
		printf("%s: ok (%u spans, %u workers, control %s; %s)\n", d->cfg_path, d->cfg->nspans,
		       d->cfg->workers, d->cfg->control, err);
		return 0;
	}
	if (!fg)
		daemonise();
	ret = start(d);
	if (ret) {
		tell_parent((unsigned char)ret);
		cleanup(d);
		return ret;
	}
	log_notice(NULL, "ready: %u spans on %u workers, control socket %s", d->cfg->nspans,
		   d->nworkers, d->cfg->control);
	sd_notifyf(0, "READY=1\nSTATUS=running: %u spans\nMAINPID=%lu", d->cfg->nspans,
		   (unsigned long)getpid());
	tell_parent(0);
	ret = loop_run(d->loop);
	cleanup(d);
	log_notice(NULL, "stopped");
	free(cfg_abs);
	return ret ? EXIT_START : 0;
}
