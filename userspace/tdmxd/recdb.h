/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tdmxd recording index: one SQLite database (WAL mode), one row per
 * recording in table "recordings":
 *
 *   id TEXT PRIMARY KEY     the recording id given to rec_start()
 *   call_id TEXT            the call it belongs to (NULL: none)
 *   span_a, ts_a            port a (the caller; in mono mixed: any side)
 *   span_b, ts_b            port b (the agent); NULL when there is none
 *   start_utc TEXT          "2024-05-01T12:34:56.789Z"
 *   duration_ms INTEGER     audio in the file (paused time excluded)
 *   size_bytes INTEGER      file size, header included
 *   path TEXT               the WAV file
 *   state TEXT              recording | paused | done | interrupted | failed
 *   error TEXT              why it failed, or a note from recovery; NULL
 *   paused_ms INTEGER       wall time spent paused (schema version 2)
 *   conference TEXT         a conference recording: the conference's name;
 *                           NULL for a recording of ports (version 3)
 *   ports TEXT              a conference recording: its members when it
 *                           started, "span/ts" comma-separated in port
 *                           order ("1/5,1/6,2/7"); NULL otherwise (version 3)
 *
 * A conference recording keeps span_a/ts_a for its designated member (the
 * left channel of a stereo one; NULL for mono) and NULL span_b; conference
 * and ports say what was recorded. Both are written by recdb_insert() only.
 *
 * The schema is versioned: table schema_version holds one row, and
 * recdb_open() applies every migration above it in one transaction (a
 * migration is an entry in the table in recdb.c: CREATE, or ALTER TABLE ...
 * ADD COLUMN for the agent and caller columns of later issues). A database
 * newer than this code is refused.
 *
 * One struct recdb is one connection with its prepared statements: use it
 * from one thread at a time. Readers in other connections (the control
 * socket) do not block the writer in WAL mode; writers wait up to 5 s for
 * each other.
 *
 * Functions return 0 (or a count) on success and a negative errno on
 * failure: -ENOENT no such row, -EEXIST duplicate id, -EINVAL a bad value,
 * -EBUSY locked, -ENOSPC disk full, -EPROTO a database newer than this
 * code, -EIO anything else; recdb_errmsg() has SQLite's text.
 */
#ifndef TDMXD_RECDB_H
#define TDMXD_RECDB_H

#include <stdint.h>

#define RECDB_SCHEMA_VERSION	3

enum recdb_state {
	RECDB_RECORDING,
	RECDB_PAUSED,
	RECDB_DONE,
	RECDB_INTERRUPTED,
	RECDB_FAILED,
	__RECDB_STATE_MAX
};

/**
 * struct recdb_row - one recording
 * @id: recording id (required)
 * @call_id: call id, or NULL
 * @span_a: port a's span (from 1; 0 stores NULL)
 * @ts_a: port a's timeslot
 * @span_b: port b's span (0 stores NULL, e.g. a mono conference recording)
 * @ts_b: port b's timeslot
 * @start_utc: start time, ISO 8601 UTC with milliseconds
 * @duration_ms: audio written
 * @size_bytes: file size
 * @path: the file
 * @state: where it is
 * @error: error text, or NULL
 * @paused_ms: time spent paused
 * @conference: the conference recorded, or NULL (a recording of ports)
 * @ports: the conference's members at the start ("1/5,1/6,2/7"), or NULL
 *
 * In rows handed to a callback the strings point into SQLite's memory and
 * stay valid only during the call.
 */
struct recdb_row {
	const char *id;
	const char *call_id;
	unsigned int span_a;
	unsigned int ts_a;
	unsigned int span_b;
	unsigned int ts_b;
	const char *start_utc;
	int64_t duration_ms;
	int64_t size_bytes;
	const char *path;
	enum recdb_state state;
	const char *error;
	int64_t paused_ms;
	const char *conference;
	const char *ports;
};

/* return nonzero to stop the walk */
typedef int (*recdb_row_fn)(const struct recdb_row *row, void *arg);

struct recdb;

int recdb_open(const char *path, struct recdb **out);
void recdb_close(struct recdb *db);
const char *recdb_errmsg(struct recdb *db);
int recdb_version(struct recdb *db);

int recdb_begin(struct recdb *db);
int recdb_commit(struct recdb *db);
int recdb_rollback(struct recdb *db);

int recdb_insert(struct recdb *db, const struct recdb_row *row);
int recdb_update(struct recdb *db, const struct recdb_row *row);
int recdb_get(struct recdb *db, const char *id, recdb_row_fn fn, void *arg);
int recdb_list_by_state(struct recdb *db, enum recdb_state state, recdb_row_fn fn, void *arg);
int recdb_find_by_call(struct recdb *db, const char *call_id, recdb_row_fn fn, void *arg);
int recdb_find_by_path(struct recdb *db, const char *path, recdb_row_fn fn, void *arg);

const char *recdb_state_name(enum recdb_state state);
int recdb_state_parse(const char *name);

#endif /* TDMXD_RECDB_H */
