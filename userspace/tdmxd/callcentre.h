/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tdmxd call centre glue: the ACD engine, its event log, the CTI socket
 * and the screen-pop database, all on the control loop's thread.
 *
 * - The ACD configuration file is named in tdmxd.yaml ("acd: config:").
 * - Every ACD event is appended to the event log ("acd: log:") as one JSON
 *   line (acd_log_write), written on the control thread and flushed after
 *   each input (never on a media worker). At start the log is replayed
 *   into a fresh engine (acd_log_replay), a torn last line is cut off, and
 *   appending resumes: agents, queues and waiting calls are as they were.
 * - The engine's clock is the wall clock in ms, never allowed to go back
 *   (so a log written before a reboot still replays in order).
 * - acd_next_deadline() is armed as an io_uring timeout (loop_timer); a
 *   new earlier deadline cancels the armed one.
 * - CTI commands map onto the ACD inputs and queries (callcentre_cti.c);
 *   ACD events become CTI events, the offer carrying the screen pop.
 *
 * Calls reach the ACD through callcentre_call() — today from the CTI
 * admin command acd_call, a test hook until the call-control issue
 * offers real calls.
 */
#ifndef TDMXD_CALLCENTRE_H
#define TDMXD_CALLCENTRE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "config.h"
#include "cti.h"
#include "loop.h"

struct callcentre;

int callcentre_start(struct loop *l, enum loop_op op, const struct cfg *c, uid_t uid,
		     gid_t gid, struct callcentre **out, char *err, size_t errlen);
void callcentre_shutdown(struct callcentre *cc);
void callcentre_free(struct callcentre *cc);
struct cti *callcentre_cti(struct callcentre *cc);

int callcentre_call(struct callcentre *cc, const char *queue, const char *caller,
		    const char *dialled, unsigned int priority, const char *const *ivr,
		    unsigned int nivr, uint64_t *call);

/* callcentre_check.c */

/* FNV-1a of a file's contents, 0 when it cannot be read (or path is "") */
uint64_t callcentre_file_hash(const char *path);

/*
 * callcentre_check() - load the ACD configuration and the CTI tokens file
 * of @c as a start would, and forget them
 *
 * Return: 0 (@msg: a summary, or "no ACD"), or the loaders' -errno with
 * @msg "FILE:LINE:COL: what".
 */
int callcentre_check(const struct cfg *c, char *msg, size_t len);

/*
 * callcentre_reload_check() - what a SIGHUP with configuration @next does
 * to the call centre that started from @running (whose ACD and tokens
 * files then hashed @acd_hash, @tokens_hash): nothing. It tells whether
 * they changed and checks them.
 *
 * Return: 0 unchanged, 1 changed and valid (applies at restart), -errno
 * changed and invalid; @msg says which, for the log.
 */
int callcentre_reload_check(const struct cfg *running, uint64_t acd_hash, uint64_t tokens_hash,
			    const struct cfg *next, char *msg, size_t len);

#endif /* TDMXD_CALLCENTRE_H */
