// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd logging (see log.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

int log_level = LOG_INFO;

static struct {
	const char *ident;
	bool syslog;
	bool journal;	/* stderr is the journal: "<N>" prefixes, no time */
	int fd;
} lg = { .ident = "tdmxd", .fd = STDERR_FILENO };

static const char *const level_names[] = {
	[LOG_EMERG] = "emerg",
	[LOG_ALERT] = "alert",
	[LOG_CRIT] = "crit",
	[LOG_ERR] = "error",
	[LOG_WARNING] = "warning",
	[LOG_NOTICE] = "notice",
	[LOG_INFO] = "info",
	[LOG_DEBUG] = "debug",
};

/**
 * log_init() - start logging to stderr
 * @ident: program name for syslog
 */
void log_init(const char *ident)
{
	lg.ident = ident;
	lg.fd = STDERR_FILENO;
	/* systemd sets JOURNAL_STREAM when stderr is connected to the journal */
	lg.journal = getenv("JOURNAL_STREAM") != NULL;
}

void log_set_level(int prio)
{
	if (prio < LOG_ERR)
		prio = LOG_ERR;
	if (prio > LOG_DEBUG)
		prio = LOG_DEBUG;
	__atomic_store_n(&log_level, prio, __ATOMIC_RELAXED);
}

/* switch to syslog (true, after daemonising) or back to stderr */
void log_use_syslog(bool on)
{
	if (on && !lg.syslog)
		openlog(lg.ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	else if (!on && lg.syslog)
		closelog();
	lg.syslog = on;
}

/* send stderr-style lines to @fd instead (tests) */
void log_set_fd(int fd)
{
	lg.fd = fd;
	lg.journal = false;
}

/* Return: the priority named @name ("error", "warning", "notice", "info",
 * "debug"; "err" and "warn" too), or -EINVAL. */
int log_level_parse(const char *name)
{
	int i;

	if (!strcasecmp(name, "err"))
		return LOG_ERR;
	if (!strcasecmp(name, "warn"))
		return LOG_WARNING;
	for (i = LOG_ERR; i <= LOG_DEBUG; i++)
		if (!strcasecmp(name, level_names[i]))
			return i;
	return -EINVAL;
}

const char *log_level_name(int prio)
{
	if (prio < 0 || prio > LOG_DEBUG)
		return "?";
	return level_names[prio];
}

const char *log_port_name(char buf[LOG_OBJ_LEN], media_port p)
{
	snprintf(buf, LOG_OBJ_LEN, "span%u/ts%u", media_port_span(p), media_port_ts(p));
	return buf;
}

static size_t stamp(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	return strftime(buf, len, "%H:%M:%S", &tm) +
	       (size_t)snprintf(buf + 8, len > 8 ? len - 8 : 0, ".%03ld ",
				ts.tv_nsec / 1000000);
}

/**
 * log_write() - write one message (use the log_* macros, which check the
 *	level first)
 * @prio: syslog priority
 * @obj: object path ("span1/ts5"), or NULL for the daemon itself
 * @fmt: printf format of the message
 */
void log_write(int prio, const char *obj, const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	size_t n = 0, max = sizeof(line) - 1;
	va_list ap;
	int r;

	if (lg.syslog) {
		va_start(ap, fmt);
		r = vsnprintf(line, sizeof(line), fmt, ap);
		va_end(ap);
		if (r >= 0)
			syslog(prio, "%s%s%s", obj ? obj : "", obj ? ": " : "", line);
		return;
	}
	if (lg.journal)
		n = (size_t)snprintf(line, max, "<%d>", prio);
	else
		n = stamp(line, max);
	r = snprintf(line + n, max - n, "%s%s%s%s", lg.journal ? "" : log_level_name(prio),
		     lg.journal ? "" : " ", obj ? obj : "", obj ? ": " : "");
	if (r > 0)
		n = n + (size_t)r < max ? n + (size_t)r : max;
	va_start(ap, fmt);
	r = vsnprintf(line + n, max - n, fmt, ap);
	va_end(ap);
	if (r > 0)
		n = n + (size_t)r < max ? n + (size_t)r : max;
	line[n++] = '\n';
	/* one write per line; a failed log write has nowhere to be reported */
	if (write(lg.fd, line, n) < 0)
		return;
}
