// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd recording index in SQLite (see recdb.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "recdb.h"

#define BUSY_TIMEOUT_MS	5000

/*
 * Migrations: entry i takes the schema from version i to i + 1. Append
 * only; never edit an entry that has shipped.
 */
static const char *const migrations[RECDB_SCHEMA_VERSION] = {
	/* 0 -> 1: the table of issue 4 */
	"CREATE TABLE recordings ("
	" id TEXT PRIMARY KEY,"
	" call_id TEXT,"
	" span_a INTEGER, ts_a INTEGER, span_b INTEGER, ts_b INTEGER,"
	" start_utc TEXT,"
	" duration_ms INTEGER NOT NULL DEFAULT 0,"
	" size_bytes INTEGER NOT NULL DEFAULT 0,"
	" path TEXT NOT NULL,"
	" state TEXT NOT NULL CHECK(state IN"
	"  ('recording','paused','done','interrupted','failed')),"
	" error TEXT);"
	"CREATE INDEX recordings_call_id ON recordings(call_id);"
	"CREATE INDEX recordings_state ON recordings(state);"
	"CREATE INDEX recordings_path ON recordings(path);",
	/* 1 -> 2: paused time, so that a pause is noted in the index */
	"ALTER TABLE recordings ADD COLUMN paused_ms INTEGER NOT NULL DEFAULT 0;",
	/*
	 * 2 -> 3: what a conference recording recorded; rows of version 2
	 * read NULL (a conference row of version 2 is not told apart: it has
	 * span_a/ts_a and NULL span_b, like a mono recording of one port)
	 */
	"ALTER TABLE recordings ADD COLUMN conference TEXT;"
	"ALTER TABLE recordings ADD COLUMN ports TEXT;"
	"CREATE INDEX recordings_conference ON recordings(conference);",
};

#define ROW_COLS "id, call_id, span_a, ts_a, span_b, ts_b, start_utc, duration_ms," \
		 " size_bytes, path, state, error, paused_ms, conference, ports"

enum stmt_id {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_INSERT,
	ST_UPDATE,
	ST_GET,
	ST_BY_STATE,
	ST_BY_CALL,
	ST_BY_PATH,
	__ST_MAX
};

static const char *const stmt_sql[__ST_MAX] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_INSERT] = "INSERT INTO recordings (" ROW_COLS ")"
		      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
	[ST_UPDATE] = "UPDATE recordings SET duration_ms = ?8, size_bytes = ?9,"
		      " state = ?11, error = ?12, paused_ms = ?13 WHERE id = ?1",
	[ST_GET] = "SELECT " ROW_COLS " FROM recordings WHERE id = ?1",
	[ST_BY_STATE] = "SELECT " ROW_COLS " FROM recordings WHERE state = ?1"
			" ORDER BY start_utc, id",
	[ST_BY_CALL] = "SELECT " ROW_COLS " FROM recordings WHERE call_id = ?1"
		       " ORDER BY start_utc, id",
	[ST_BY_PATH] = "SELECT " ROW_COLS " FROM recordings WHERE path = ?1"
		       " ORDER BY start_utc, id",
};

struct recdb {
	sqlite3 *db;
	sqlite3_stmt *st[__ST_MAX];
	int version;
};

static const char *const state_names[__RECDB_STATE_MAX] = {
	[RECDB_RECORDING] = "recording",
	[RECDB_PAUSED] = "paused",
	[RECDB_DONE] = "done",
	[RECDB_INTERRUPTED] = "interrupted",
	[RECDB_FAILED] = "failed",
};

const char *recdb_state_name(enum recdb_state state)
{
	return (unsigned int)state < __RECDB_STATE_MAX ? state_names[state] : NULL;
}

/* enum recdb_state for a name, or -EINVAL */
int recdb_state_parse(const char *name)
{
	int i;

	for (i = 0; name && i < __RECDB_STATE_MAX; i++)
		if (!strcmp(name, state_names[i]))
			return i;
	return -EINVAL;
}

static int sql_errno(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return 0;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return -EBUSY;
	case SQLITE_NOMEM:
		return -ENOMEM;
	case SQLITE_FULL:
		return -ENOSPC;
	case SQLITE_PERM:
	case SQLITE_AUTH:
	case SQLITE_READONLY:
		return -EACCES;
	case SQLITE_CANTOPEN:
		return -ENOENT;
	case SQLITE_CONSTRAINT:
		return rc == SQLITE_CONSTRAINT_PRIMARYKEY ? -EEXIST : -EINVAL;
	case SQLITE_MISMATCH:
	case SQLITE_RANGE:
	case SQLITE_TOOBIG:
		return -EINVAL;
	default:
		return -EIO;
	}
}

const char *recdb_errmsg(struct recdb *db)
{
	return sqlite3_errmsg(db->db);
}

int recdb_version(struct recdb *db)
{
	return db->version;
}

static int exec(struct recdb *db, const char *sql)
{
	return sql_errno(sqlite3_exec(db->db, sql, NULL, NULL, NULL));
}

/* run a statement that returns no rows, then reset it */
static int step_done(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : sql_errno(rc == SQLITE_ROW ? SQLITE_MISUSE : rc);
}

static int read_version(struct recdb *db)
{
	sqlite3_stmt *st;
	int rc, v = 0;

	rc = sqlite3_prepare_v2(db->db, "SELECT version FROM schema_version", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return sql_errno(rc);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	else if (rc != SQLITE_DONE)
		v = sql_errno(rc);
	sqlite3_finalize(st);
	return v;
}

static int write_version(struct recdb *db, int v)
{
	char sql[96];

	snprintf(sql, sizeof(sql), "DELETE FROM schema_version;"
		 "INSERT INTO schema_version (version) VALUES (%d);", v);
	return exec(db, sql);
}

/*
 * Bring the schema to RECDB_SCHEMA_VERSION in one transaction. An index
 * that is up to date costs one read (no write lock: the control socket
 * opens connections for queries).
 */
static int migrate(struct recdb *db)
{
	int ret, v;

	v = read_version(db);
	if (v == RECDB_SCHEMA_VERSION) {
		db->version = v;
		return 0;
	}
	ret = exec(db, "BEGIN IMMEDIATE;"
		   "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);");
	if (ret)
		return ret;
	v = read_version(db);
	if (v < 0) {
		ret = v;
		goto rollback;
	}
	if (v > RECDB_SCHEMA_VERSION) {
		ret = -EPROTO;
		goto rollback;
	}
	db->version = v;
	for (; v < RECDB_SCHEMA_VERSION; v++) {
		ret = exec(db, migrations[v]);
		if (ret)
			goto rollback;
	}
	if (db->version != v) {
		ret = write_version(db, v);
		if (ret)
			goto rollback;
	}
	ret = exec(db, "COMMIT");
	if (ret)
		goto rollback;
	db->version = v;
	return 0;

rollback:
	exec(db, "ROLLBACK");
	return ret;
}

static int set_wal(struct recdb *db)
{
	sqlite3_stmt *st;
	int rc, ret = -EIO;

	rc = sqlite3_prepare_v2(db->db, "PRAGMA journal_mode=WAL", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return sql_errno(rc);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && !strcmp((const char *)sqlite3_column_text(st, 0), "wal"))
		ret = 0;
	else if (rc != SQLITE_ROW)
		ret = sql_errno(rc);
	sqlite3_finalize(st);
	if (ret)
		return ret;
	/* WAL + NORMAL: a commit is durable at the next checkpoint, never torn */
	return exec(db, "PRAGMA synchronous=NORMAL");
}

static int prepare_all(struct recdb *db)
{
	int i, rc;

	for (i = 0; i < __ST_MAX; i++) {
		rc = sqlite3_prepare_v3(db->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
					&db->st[i], NULL);
		if (rc != SQLITE_OK)
			return sql_errno(rc);
	}
	return 0;
}

/**
 * recdb_open() - open (create, migrate) the index
 * @path: database file
 * @out: the connection
 *
 * Return: 0 or a negative errno.
 */
int recdb_open(const char *path, struct recdb **out)
{
	struct recdb *db;
	int rc, ret;

	db = calloc(1, sizeof(*db));
	if (!db)
		return -ENOMEM;
	rc = sqlite3_open_v2(path, &db->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			     SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		ret = db->db ? sql_errno(sqlite3_extended_errcode(db->db)) : -ENOMEM;
		goto fail;
	}
	sqlite3_extended_result_codes(db->db, 1);
	sqlite3_busy_timeout(db->db, BUSY_TIMEOUT_MS);
	ret = set_wal(db);
	if (ret)
		goto fail;
	ret = migrate(db);
	if (ret)
		goto fail;
	ret = prepare_all(db);
	if (ret)
		goto fail;
	*out = db;
	return 0;

fail:
	recdb_close(db);
	return ret;
}

void recdb_close(struct recdb *db)
{
	int i;

	if (!db)
		return;
	for (i = 0; i < __ST_MAX; i++)
		sqlite3_finalize(db->st[i]);
	sqlite3_close(db->db);
	free(db);
}

int recdb_begin(struct recdb *db)
{
	return step_done(db->st[ST_BEGIN]);
}

int recdb_commit(struct recdb *db)
{
	return step_done(db->st[ST_COMMIT]);
}

int recdb_rollback(struct recdb *db)
{
	return step_done(db->st[ST_ROLLBACK]);
}

static int bind_text(sqlite3_stmt *st, int col, const char *s)
{
	if (!s)
		return sqlite3_bind_null(st, col);
	return sqlite3_bind_text(st, col, s, -1, SQLITE_STATIC);
}

static int bind_port(sqlite3_stmt *st, int col, unsigned int span, unsigned int ts)
{
	if (!span)
		return sqlite3_bind_null(st, col) | sqlite3_bind_null(st, col + 1);
	return sqlite3_bind_int(st, col, span) | sqlite3_bind_int(st, col + 1, ts);
}

/*
 * bind the columns of @row as ?1..?13 in ROW_COLS order; the insert binds
 * conference and ports (?14, ?15) itself: an update never changes them
 */
static int bind_row(sqlite3_stmt *st, const struct recdb_row *row)
{
	const char *state = recdb_state_name(row->state);
	int rc;

	if (!row->id || !state || row->duration_ms < 0 || row->size_bytes < 0 ||
	    row->paused_ms < 0)
		return -EINVAL;
	rc = bind_text(st, 1, row->id);
	rc |= bind_text(st, 2, row->call_id);
	rc |= bind_port(st, 3, row->span_a, row->ts_a);
	rc |= bind_port(st, 5, row->span_b, row->ts_b);
	rc |= bind_text(st, 7, row->start_utc);
	rc |= sqlite3_bind_int64(st, 8, row->duration_ms);
	rc |= sqlite3_bind_int64(st, 9, row->size_bytes);
	rc |= bind_text(st, 10, row->path);
	rc |= bind_text(st, 11, state);
	rc |= bind_text(st, 12, row->error);
	rc |= sqlite3_bind_int64(st, 13, row->paused_ms);
	return rc ? -EIO : 0;
}

/**
 * recdb_insert() - add a recording
 * @db: the index
 * @row: every column (@path required; @conference and @ports NULL for a
 *	recording of ports)
 *
 * Return: 0, -EEXIST if the id is taken, -EINVAL for a bad value.
 */
int recdb_insert(struct recdb *db, const struct recdb_row *row)
{
	sqlite3_stmt *st = db->st[ST_INSERT];
	int ret;

	if (!row->path)
		return -EINVAL;
	ret = bind_row(st, row);
	if (!ret && (bind_text(st, 14, row->conference) | bind_text(st, 15, row->ports)))
		ret = -EIO;
	if (ret) {
		sqlite3_clear_bindings(st);
		return ret;
	}
	return step_done(st);
}

/**
 * recdb_update() - record progress or the end of a recording
 * @db: the index
 * @row: @id selects the row; @state, @duration_ms, @size_bytes, @error and
 *	@paused_ms are written, the other columns are left as inserted
 *
 * Return: 0, -ENOENT if there is no such row, -EINVAL for a bad value.
 */
int recdb_update(struct recdb *db, const struct recdb_row *row)
{
	sqlite3_stmt *st = db->st[ST_UPDATE];
	int ret;

	ret = bind_row(st, row);
	if (ret) {
		sqlite3_clear_bindings(st);
		return ret;
	}
	ret = step_done(st);
	if (!ret && !sqlite3_changes(db->db))
		ret = -ENOENT;
	return ret;
}

static const char *col_text(sqlite3_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st, col);
}

static void read_row(sqlite3_stmt *st, struct recdb_row *row)
{
	row->id = col_text(st, 0);
	row->call_id = col_text(st, 1);
	row->span_a = sqlite3_column_int(st, 2);
	row->ts_a = sqlite3_column_int(st, 3);
	row->span_b = sqlite3_column_int(st, 4);
	row->ts_b = sqlite3_column_int(st, 5);
	row->start_utc = col_text(st, 6);
	row->duration_ms = sqlite3_column_int64(st, 7);
	row->size_bytes = sqlite3_column_int64(st, 8);
	row->path = col_text(st, 9);
	row->state = recdb_state_parse(col_text(st, 10));
	row->error = col_text(st, 11);
	row->paused_ms = sqlite3_column_int64(st, 12);
	row->conference = col_text(st, 13);
	row->ports = col_text(st, 14);
}

/* step a bound SELECT, calling @fn per row; the number of rows seen */
static int walk(sqlite3_stmt *st, recdb_row_fn fn, void *arg)
{
	struct recdb_row row;
	int rc, n = 0;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_row(st, &row);
		n++;
		if (fn && fn(&row, arg))
			break;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sql_errno(rc);
	return n;
}

/**
 * recdb_get() - one recording by id
 * @db: the index
 * @id: recording id
 * @fn: called with the row (may be NULL: existence test)
 * @arg: for @fn
 *
 * Return: 0, -ENOENT if there is none.
 */
int recdb_get(struct recdb *db, const char *id, recdb_row_fn fn, void *arg)
{
	sqlite3_stmt *st = db->st[ST_GET];
	int n;

	if (bind_text(st, 1, id))
		return -EIO;
	n = walk(st, fn, arg);
	if (n < 0)
		return n;
	return n ? 0 : -ENOENT;
}

/**
 * recdb_list_by_state() - every recording in a state, oldest first
 * @db: the index
 * @state: which
 * @fn: called per row; nonzero stops the walk
 * @arg: for @fn
 *
 * Return: rows passed to @fn, or a negative errno.
 */
int recdb_list_by_state(struct recdb *db, enum recdb_state state, recdb_row_fn fn, void *arg)
{
	sqlite3_stmt *st = db->st[ST_BY_STATE];
	const char *name = recdb_state_name(state);

	if (!name)
		return -EINVAL;
	if (bind_text(st, 1, name))
		return -EIO;
	return walk(st, fn, arg);
}

/* every recording of a call, oldest first; like recdb_list_by_state() */
int recdb_find_by_call(struct recdb *db, const char *call_id, recdb_row_fn fn, void *arg)
{
	sqlite3_stmt *st = db->st[ST_BY_CALL];

	if (!call_id)
		return -EINVAL;
	if (bind_text(st, 1, call_id))
		return -EIO;
	return walk(st, fn, arg);
}

/* every recording written to a path (normally one); like recdb_list_by_state() */
int recdb_find_by_path(struct recdb *db, const char *path, recdb_row_fn fn, void *arg)
{
	sqlite3_stmt *st = db->st[ST_BY_PATH];

	if (!path)
		return -EINVAL;
	if (bind_text(st, 1, path))
		return -EIO;
	return walk(st, fn, arg);
}
