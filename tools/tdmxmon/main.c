// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxmon: print tdmx notifications as they happen, one time-stamped line
 * each (the same printers as tdmxctl show), or one JSON object per line.
 *
 *   tdmxmon [-j] [--replay FILE]
 *
 * Subscribes to the "monitor" and "alarm" groups; stdout is flushed after
 * every line; SIGINT and SIGTERM end it with exit 0. See tdmxmon(8).
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "libtdmx.h"
#include "mon.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

struct out {
	bool json;
	int err;	/* errno of a failed write */
};

static int print_event(const struct tdmx_event *ev, void *arg)
{
	struct out *o = arg;
	char time[TDMX_TIME_LEN];
	struct timespec now;
	struct tdmx_json j;

	clock_gettime(CLOCK_REALTIME, &now);
	tdmx_time_text(time, &now);
	if (o->json) {
		tdmx_json_init(&j, stdout, false);
		tdmx_json_event(&j, ev, time);
		fputc('\n', stdout);
	} else {
		tdmx_print_event(stdout, ev, time);
	}
	errno = 0;
	if (fflush(stdout) || ferror(stdout)) {
		o->err = errno ? errno : EIO;
		return 1;
	}
	return 0;
}

static int open_monitor(struct tdmx_mon **m)
{
	int ret = tdmx_mon_open(m, TDMX_MON_MONITOR | TDMX_MON_ALARM);

	if (!ret)
		return MON_EXIT_OK;
	if (ret == -ENOENT) {
		fprintf(stderr, "tdmxmon: tdmx module not loaded "
			"(generic netlink family '" TDMX_GENL_NAME "' not found)\n");
		return MON_EXIT_NOMOD;
	}
	if (ret == -EPROTO)
		fprintf(stderr, "tdmxmon: the tdmx family lacks the '" TDMX_MCGRP_MONITOR
			"' or '" TDMX_MCGRP_ALARM "' group (module and tools do not match)\n");
	else
		fprintf(stderr, "tdmxmon: cannot subscribe: %s\n", strerror(-ret));
	return MON_EXIT_FAIL;
}

/* poll until SIGINT/SIGTERM; the signals are only delivered inside ppoll() */
static int monitor(struct tdmx_mon *m, struct out *o, const sigset_t *wait_mask)
{
	struct pollfd pfd = { .fd = tdmx_mon_fd(m), .events = POLLIN };
	int ret;

	while (!stop) {
		if (ppoll(&pfd, 1, NULL, wait_mask) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "tdmxmon: poll: %s\n", strerror(errno));
			return MON_EXIT_FAIL;
		}
		ret = tdmx_mon_recv(m, print_event, o);
		if (ret == -ENOBUFS) {
			fflush(stdout);
			fputs("tdmxmon: warning: notifications lost (receive buffer full)\n", stderr);
			continue;
		}
		if (ret > 0) {
			fprintf(stderr, "tdmxmon: write error: %s\n", strerror(o->err));
			return MON_EXIT_FAIL;
		}
		if (ret < 0) {
			fprintf(stderr, "tdmxmon: receive: %s\n", strerror(-ret));
			return MON_EXIT_FAIL;
		}
	}
	return MON_EXIT_OK;
}

static int live(bool json)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct out o = { .json = json };
	sigset_t block, orig;
	struct tdmx_mon *m;
	int ret;

	sigemptyset(&sa.sa_mask);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &orig);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	ret = open_monitor(&m);
	if (ret)
		return ret;
	ret = monitor(m, &o, &orig);
	tdmx_mon_close(m);
	return ret;
}

static void usage(FILE *f)
{
	fputs("Usage: tdmxmon [-j] [--replay FILE]\n"
	      "Print tdmx notifications (span, channel and card changes, alarm edges),\n"
	      "one time-stamped line each.\n\n"
	      "  -j, --json           one JSON object per line\n"
	      "  -r, --replay FILE    re-print a saved -j capture (- for stdin)\n"
	      "  -h, --help           this help\n\n"
	      "Exit status: 0 ok (also on SIGINT/SIGTERM), 1 error, 2 bad usage or a\n"
	      "malformed replay line, 3 the tdmx module is not loaded.\n", f);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "replay", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *replay = NULL;
	bool json = false;
	int opt;

	while ((opt = getopt_long(argc, argv, "jr:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		case 'r':
			replay = optarg;
			break;
		case 'h':
			usage(stdout);
			return MON_EXIT_OK;
		default:
			fputs("Try 'tdmxmon --help'.\n", stderr);
			return MON_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "tdmxmon: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return MON_EXIT_USAGE;
	}
	return replay ? mon_replay(replay, json) : live(json);
}
