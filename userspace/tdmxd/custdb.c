// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd screen-pop data (see custdb.h): one prepared primary-key query on
 * a read-only SQLite connection, and a per-call cache (a chained hash on
 * the call id) so that a call offered to several agents in turn, or
 * re-offered after a ring timeout, is looked up only once.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "custdb.h"
#include "libtdmx.h"

#define CACHE_BUCKETS	1024	/* power of two */
#define MAX_DIGITS	20	/* longer than any E.164 number (15) plus room */

struct cached {
	struct cached *next;
	uint64_t call;
	struct custdb_rec rec;
};

struct custdb {
	sqlite3 *db;
	sqlite3_stmt *st;
	struct custdb_rules rules;
	struct cached *bucket[CACHE_BUCKETS];
	unsigned int ncached;
	uint64_t queries;
};

/* ------------------------------------------------------- normalisation */

/* @country: "" for no national-number rewriting */
void custdb_rules_default(struct custdb_rules *r, const char *country)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->country, sizeof(r->country), "%s", country ? country : "");
	snprintf(r->intl_prefix, sizeof(r->intl_prefix), "00");
	snprintf(r->trunk_prefix, sizeof(r->trunk_prefix), "0");
}

static bool starts(const char *s, const char *prefix)
{
	return *prefix && !strncmp(s, prefix, strlen(prefix));
}

/**
 * custdb_normalise() - a number in the form stored in the database
 * @r: the rules
 * @in: as signalled or typed ("+86 (10) 1234-5678", "010 12345678")
 * @out: the digits ("861012345678")
 * @len: size of @out
 *
 * Return: 0, or -EINVAL when @in is not a number.
 */
int custdb_normalise(const struct custdb_rules *r, const char *in, char *out, size_t len)
{
	char d[MAX_DIGITS * 2 + 2];
	const char *p;
	size_t n = 0;
	bool plus = false;
	int w;

	for (p = in; *p; p++) {
		if (strchr(" -.()", *p))
			continue;
		if (*p == '+' && !n && !plus) {
			plus = true;
			continue;
		}
		if (*p < '0' || *p > '9' || n >= sizeof(d) - 1)
			return -EINVAL;
		d[n++] = *p;
	}
	d[n] = 0;
	if (!n)
		return -EINVAL;
	/* "+CC..." and "00CC..." are the same international number */
	if (plus)
		w = snprintf(out, len, "%s", d);
	else if (starts(d, r->intl_prefix))
		w = snprintf(out, len, "%s", d + strlen(r->intl_prefix));
	else if (r->country[0] && starts(d, r->trunk_prefix))
		w = snprintf(out, len, "%s%s", r->country, d + strlen(r->trunk_prefix));
	else
		w = snprintf(out, len, "%s", d);
	if (w <= 0 || (size_t)w >= len || w > MAX_DIGITS)
		return -EINVAL;
	return 0;
}

/* ------------------------------------------------------------ database */

/**
 * custdb_open() - open the customer database read-only
 * @path: the SQLite file
 * @r: normalisation rules (copied)
 * @out: the handle
 * @err: a message on failure
 * @errlen: size of @err
 *
 * Return: 0, -ENOENT (no such file), -EINVAL (no customers table with a
 * number column) or -EIO.
 */
int custdb_open(const char *path, const struct custdb_rules *r, struct custdb **out,
		char *err, size_t errlen)
{
	struct custdb *db = calloc(1, sizeof(*db));
	int rc, ret;

	if (!db)
		return -ENOMEM;
	db->rules = *r;
	rc = sqlite3_open_v2(path, &db->db, SQLITE_OPEN_READONLY, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path,
			 db->db ? sqlite3_errmsg(db->db) : "out of memory");
		ret = rc == SQLITE_CANTOPEN ? -ENOENT : -EIO;
		goto err_open;
	}
	sqlite3_busy_timeout(db->db, 1000);
	rc = sqlite3_prepare_v3(db->db, "SELECT * FROM customers WHERE number = ?1", -1,
				SQLITE_PREPARE_PERSISTENT, &db->st, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: not a customer database (%s)", path,
			 sqlite3_errmsg(db->db));
		ret = -EINVAL;
		goto err_open;
	}
	*out = db;
	return 0;

err_open:
	sqlite3_close(db->db);
	free(db);
	return ret;
}

static void forget_all(struct custdb *db)
{
	struct cached *c, *next;
	unsigned int i;

	for (i = 0; i < CACHE_BUCKETS; i++) {
		for (c = db->bucket[i]; c; c = next) {
			next = c->next;
			free(c);
		}
		db->bucket[i] = NULL;
	}
	db->ncached = 0;
}

void custdb_close(struct custdb *db)
{
	if (!db)
		return;
	forget_all(db);
	sqlite3_finalize(db->st);
	sqlite3_close(db->db);
	free(db);
}

static void column(sqlite3_stmt *st, int i, struct custdb_rec *rec)
{
	const char *name = sqlite3_column_name(st, i);
	const char *v = (const char *)sqlite3_column_text(st, i);
	struct custdb_extra *x;

	if (!v || !name || !strcmp(name, "number"))
		return;
	if (!strcmp(name, "name"))
		snprintf(rec->name, sizeof(rec->name), "%s", v);
	else if (!strcmp(name, "account"))
		snprintf(rec->account, sizeof(rec->account), "%s", v);
	else if (!strcmp(name, "segment"))
		snprintf(rec->segment, sizeof(rec->segment), "%s", v);
	else if (!strcmp(name, "notes"))
		snprintf(rec->notes, sizeof(rec->notes), "%s", v);
	else if (rec->nextra < CUSTDB_MAX_EXTRA) {
		x = &rec->extra[rec->nextra++];
		snprintf(x->key, sizeof(x->key), "%s", name);
		snprintf(x->value, sizeof(x->value), "%s", v);
	}
}

/**
 * custdb_lookup() - the customer with the caller's number
 * @db: the database
 * @number: as signalled; normalised first
 * @rec: the result (@rec->found false and 0 returned when no row matches)
 *
 * Return: 0, -EINVAL (not a number: @rec->number is "") or -EIO.
 */
int custdb_lookup(struct custdb *db, const char *number, struct custdb_rec *rec)
{
	int rc, i, ret = 0;

	memset(rec, 0, sizeof(*rec));
	if (custdb_normalise(&db->rules, number, rec->number, sizeof(rec->number))) {
		rec->number[0] = 0;
		return -EINVAL;
	}
	db->queries++;
	sqlite3_bind_text(db->st, 1, rec->number, -1, SQLITE_STATIC);
	rc = sqlite3_step(db->st);
	if (rc == SQLITE_ROW) {
		rec->found = true;
		for (i = 0; i < sqlite3_column_count(db->st); i++)
			column(db->st, i, rec);
	} else if (rc != SQLITE_DONE) {
		ret = -EIO;
	}
	sqlite3_reset(db->st);
	sqlite3_clear_bindings(db->st);
	return ret;
}

/**
 * custdb_json() - the record as an object member @key of the screen pop:
 *	{"number":..,"found":true,"name":..,"account":..,"segment":..,
 *	"notes":..,"extra":{"col":"value",...}}; empty fields are left out
 * @j: the writer, inside an object
 * @key: the member name ("customer")
 * @rec: the record
 */
void custdb_json(struct tdmx_json *j, const char *key, const struct custdb_rec *rec)
{
	static const struct {
		const char *name;
		size_t off;
	} fields[] = {
		{ "name", offsetof(struct custdb_rec, name) },
		{ "account", offsetof(struct custdb_rec, account) },
		{ "segment", offsetof(struct custdb_rec, segment) },
		{ "notes", offsetof(struct custdb_rec, notes) },
	};
	unsigned int i;
	const char *v;

	tdmx_json_obj_open(j, key);
	tdmx_json_str(j, "number", rec->number);
	tdmx_json_bool(j, "found", rec->found);
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		v = (const char *)rec + fields[i].off;
		if (*v)
			tdmx_json_str(j, fields[i].name, v);
	}
	if (rec->nextra) {
		tdmx_json_obj_open(j, "extra");
		for (i = 0; i < rec->nextra; i++)
			tdmx_json_str(j, rec->extra[i].key, rec->extra[i].value);
		tdmx_json_obj_close(j);
	}
	tdmx_json_obj_close(j);
}

/* ---------------------------------------------------------- call cache */

static unsigned int hash(uint64_t call)
{
	/* Fibonacci hashing: call ids are often sequential */
	return (unsigned int)((call * 0x9e3779b97f4a7c15ull) >> 54) & (CACHE_BUCKETS - 1);
}

/**
 * custdb_call_get() - the record of @call's caller, looked up on the first
 *	request for the call and cached until custdb_call_forget()
 * @db: the database
 * @call: the call id
 * @number: the caller's number (used on the first request only)
 *
 * A number that is not one, or a failed query, caches a record with
 * @found false, so it is not retried for every offer of the call.
 *
 * Return: the record (valid until the call is forgotten), or NULL when out
 * of memory.
 */
const struct custdb_rec *custdb_call_get(struct custdb *db, uint64_t call, const char *number)
{
	unsigned int h = hash(call);
	struct cached *c;

	for (c = db->bucket[h]; c; c = c->next)
		if (c->call == call)
			return &c->rec;
	c = malloc(sizeof(*c));
	if (!c)
		return NULL;
	c->call = call;
	custdb_lookup(db, number ? number : "", &c->rec);
	c->next = db->bucket[h];
	db->bucket[h] = c;
	db->ncached++;
	return &c->rec;
}

/* the call is over: drop its record */
void custdb_call_forget(struct custdb *db, uint64_t call)
{
	struct cached **pp, *c;

	for (pp = &db->bucket[hash(call)]; (c = *pp); pp = &c->next) {
		if (c->call == call) {
			*pp = c->next;
			free(c);
			db->ncached--;
			return;
		}
	}
}

unsigned int custdb_cached(const struct custdb *db)
{
	return db->ncached;
}

/* database queries made so far (for tests and status) */
uint64_t custdb_queries(const struct custdb *db)
{
	return db->queries;
}
