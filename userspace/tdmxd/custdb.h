/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tdmxd screen-pop data: the customer record found by the caller's number
 * in a SQLite database the site maintains (tdmxd only reads it).
 *
 * Schema (Documentation/cti.md, "Screen pop"):
 *   CREATE TABLE customers (
 *     number  TEXT PRIMARY KEY,  -- normalised as below
 *     name    TEXT, account TEXT, segment TEXT, notes TEXT,
 *     ...                        -- any further columns: passed on as-is
 *   );
 * Every column of the matching row goes into the record: the four named
 * ones into their fields, the others (up to CUSTDB_MAX_EXTRA) as
 * name/value pairs, NULLs left out.
 *
 * Number normalisation (the same for the stored numbers and the callers):
 * spaces, '-', '.', '(' and ')' are dropped; a leading "+" or the
 * international prefix (default "00") is removed, leaving the number in
 * international form without prefix (E.164 digits: "8613800138000"); a
 * leading national trunk prefix (default "0") is replaced by the country
 * code; any other number is taken as it is (extensions, short numbers).
 * Anything but digits left after that, an empty number, or more than 20
 * digits is not a number (-EINVAL: anonymous and withheld callers).
 *
 * Each call's record is looked up once, when the call is first offered,
 * and cached for the call until custdb_call_forget().
 */
#ifndef TDMXD_CUSTDB_H
#define TDMXD_CUSTDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CUSTDB_NUMBER_LEN	24	/* 20 digits, NUL, room */
#define CUSTDB_FIELD_LEN	128
#define CUSTDB_NOTES_LEN	512
#define CUSTDB_MAX_EXTRA	8

/**
 * struct custdb_rules - number normalisation
 * @country: the site's country code ("86", "44", "1")
 * @intl_prefix: dialled before an international number ("00", "011")
 * @trunk_prefix: dialled before a national number ("0"; "" if none)
 */
struct custdb_rules {
	char country[8];
	char intl_prefix[8];
	char trunk_prefix[8];
};

struct custdb_extra {
	char key[32];
	char value[CUSTDB_FIELD_LEN];
};

/**
 * struct custdb_rec - one customer
 * @found: a row matched (else only @number is set)
 * @number: the caller's number, normalised
 */
struct custdb_rec {
	bool found;
	char number[CUSTDB_NUMBER_LEN];
	char name[CUSTDB_FIELD_LEN];
	char account[CUSTDB_FIELD_LEN];
	char segment[CUSTDB_FIELD_LEN];
	char notes[CUSTDB_NOTES_LEN];
	unsigned int nextra;
	struct custdb_extra extra[CUSTDB_MAX_EXTRA];
};

struct custdb;
struct tdmx_json;

void custdb_rules_default(struct custdb_rules *r, const char *country);
int custdb_normalise(const struct custdb_rules *r, const char *in, char *out, size_t len);

int custdb_open(const char *path, const struct custdb_rules *r, struct custdb **out,
		char *err, size_t errlen);
void custdb_close(struct custdb *db);
int custdb_lookup(struct custdb *db, const char *number, struct custdb_rec *rec);

const struct custdb_rec *custdb_call_get(struct custdb *db, uint64_t call, const char *number);
void custdb_call_forget(struct custdb *db, uint64_t call);
void custdb_json(struct tdmx_json *j, const char *key, const struct custdb_rec *rec);
unsigned int custdb_cached(const struct custdb *db);
uint64_t custdb_queries(const struct custdb *db);

#endif /* TDMXD_CUSTDB_H */
