/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tdmxd logging: one line per message, prefixed with the path of the object
 * it is about, osmocom style ("span1/ts5: bridged to span2/ts7"). Lines go
 * to stderr (with a "<N>" priority prefix when stderr is the systemd
 * journal, else with a time stamp) or to syslog once the daemon has
 * detached. Safe to call from any thread; each line is one write(2).
 *
 * Levels are syslog priorities: LOG_ERR, LOG_WARNING, LOG_NOTICE, LOG_INFO,
 * LOG_DEBUG. Messages above the current level cost one comparison.
 */
#ifndef TDMXD_LOG_H
#define TDMXD_LOG_H

#include <stdbool.h>
#include <stdio.h>
#include <syslog.h>

#include "media.h"

#define LOG_OBJ_LEN	32	/* "span128/ts31", "conf/longname", ... */
#define LOG_LINE_MAX	1024

extern int log_level;

void log_init(const char *ident);
void log_set_level(int prio);
void log_use_syslog(bool on);
void log_set_fd(int fd);
int log_level_parse(const char *name);
const char *log_level_name(int prio);

static inline bool log_enabled(int prio)
{
	return prio <= log_level;
}

void log_write(int prio, const char *obj, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "span1/ts5" */
const char *log_port_name(char buf[LOG_OBJ_LEN], media_port p);

#define log_msg(prio, obj, ...)						\
	do {								\
		if (log_enabled(prio))					\
			log_write(prio, obj, __VA_ARGS__);		\
	} while (0)

/* a message about a span: "span3: ..." */
#define log_span(prio, span, ...)					\
	do {								\
		if (log_enabled(prio)) {				\
			char log_obj_[LOG_OBJ_LEN];			\
									\
			snprintf(log_obj_, sizeof(log_obj_), "span%u",	\
				 (unsigned int)(span));			\
			log_write(prio, log_obj_, __VA_ARGS__);		\
		}							\
	} while (0)

/* a message about a port: "span1/ts5: ..." */
#define log_port(prio, port, ...)					\
	do {								\
		if (log_enabled(prio)) {				\
			char log_obj_[LOG_OBJ_LEN];			\
									\
			log_write(prio, log_port_name(log_obj_, port),	\
				  __VA_ARGS__);				\
		}							\
	} while (0)

#define log_err(obj, ...)	log_msg(LOG_ERR, obj, __VA_ARGS__)
#define log_warn(obj, ...)	log_msg(LOG_WARNING, obj, __VA_ARGS__)
#define log_notice(obj, ...)	log_msg(LOG_NOTICE, obj, __VA_ARGS__)
#define log_info(obj, ...)	log_msg(LOG_INFO, obj, __VA_ARGS__)
#define log_debug(obj, ...)	log_msg(LOG_DEBUG, obj, __VA_ARGS__)

#endif /* TDMXD_LOG_H */
