// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd screen-pop data: number normalisation rules, the customer lookup
 * in a SQLite file made here (named columns, further columns, NULLs, no
 * match, not a number), the per-call cache (one query per call), the JSON
 * form, and clear errors for a missing file or a database without the
 * customers table.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "unit.h"
#include "custdb.h"
#include "libtdmx.h"

static char path[64];
static struct custdb_rules rules;
static struct custdb *db;

static void make_db(const char *sql)
{
	sqlite3 *s;
	char *err = NULL;

	unlink(path);
	ck_assert_int_eq(sqlite3_open(path, &s), SQLITE_OK);
	ck_assert_msg(sqlite3_exec(s, sql, NULL, NULL, &err) == SQLITE_OK, "%s", err);
	sqlite3_close(s);
}

static void setup(void)
{
	char err[256];

	snprintf(path, sizeof(path), "/tmp/test-custdb-%d.db", (int)getpid());
	make_db("CREATE TABLE customers (number TEXT PRIMARY KEY, name TEXT, account TEXT,"
		" segment TEXT, notes TEXT, language TEXT, agent_pref TEXT);"
		"INSERT INTO customers VALUES ('8613800138000','Li Wei','A-1001','vip',"
		" 'prefers mornings','zh',NULL);"
		"INSERT INTO customers (number, name) VALUES ('441632960000','Ann Smith');"
		"INSERT INTO customers (number, name) VALUES ('2001','Front desk');");
	custdb_rules_default(&rules, "86");
	ck_assert_int_eq(custdb_open(path, &rules, &db, err, sizeof(err)), 0);
}

static void teardown(void)
{
	custdb_close(db);
	unlink(path);
}

static const char *norm(const char *in)
{
	static char out[CUSTDB_NUMBER_LEN];

	if (custdb_normalise(&rules, in, out, sizeof(out)))
		return "(invalid)";
	return out;
}

START_TEST(test_custdb_numbers_are_normalised_to_international_digits)
{
	ck_assert_str_eq(norm("+86 138 0013 8000"), "8613800138000");
	ck_assert_str_eq(norm("0086-138-0013-8000"), "8613800138000");
	ck_assert_str_eq(norm("013800138000"), "8613800138000");	/* national: trunk 0 */
	ck_assert_str_eq(norm("(010) 1234.5678"), "861012345678");
	ck_assert_str_eq(norm("+44 1632 960000"), "441632960000");
	ck_assert_str_eq(norm("2001"), "2001");			/* an extension stays */
	ck_assert_str_eq(norm(""), "(invalid)");
	ck_assert_str_eq(norm("anonymous"), "(invalid)");
	ck_assert_str_eq(norm("+"), "(invalid)");
	ck_assert_str_eq(norm("12+34"), "(invalid)");
	ck_assert_str_eq(norm("123456789012345678901"), "(invalid)");	/* 21 digits */
	ck_assert_str_eq(norm("12345678901234567890"), "12345678901234567890");
	/* a site without national rewriting, with another international prefix */
	custdb_rules_default(&rules, "");
	snprintf(rules.intl_prefix, sizeof(rules.intl_prefix), "011");
	ck_assert_str_eq(norm("011 44 1632 960000"), "441632960000");
	ck_assert_str_eq(norm("0123"), "0123");
}
END_TEST

START_TEST(test_custdb_finds_the_customer_by_any_spelling_of_the_number)
{
	struct custdb_rec r;

	ck_assert_int_eq(custdb_lookup(db, "0138 0013 8000", &r), 0);
	ck_assert(r.found);
	ck_assert_str_eq(r.number, "8613800138000");
	ck_assert_str_eq(r.name, "Li Wei");
	ck_assert_str_eq(r.account, "A-1001");
	ck_assert_str_eq(r.segment, "vip");
	ck_assert_str_eq(r.notes, "prefers mornings");
	/* further columns pass through, NULLs are left out */
	ck_assert_uint_eq(r.nextra, 1);
	ck_assert_str_eq(r.extra[0].key, "language");
	ck_assert_str_eq(r.extra[0].value, "zh");
	ck_assert_int_eq(custdb_lookup(db, "+44 1632 960000", &r), 0);
	ck_assert(r.found);
	ck_assert_str_eq(r.name, "Ann Smith");
	ck_assert_str_eq(r.segment, "");
	ck_assert_int_eq(custdb_lookup(db, "2001", &r), 0);
	ck_assert_str_eq(r.name, "Front desk");
}
END_TEST

START_TEST(test_custdb_unknown_and_withheld_callers_have_no_record)
{
	struct custdb_rec r;

	ck_assert_int_eq(custdb_lookup(db, "+86 139 0000 0000", &r), 0);
	ck_assert(!r.found);
	ck_assert_str_eq(r.number, "8613900000000");
	ck_assert_str_eq(r.name, "");
	ck_assert_int_eq(custdb_lookup(db, "withheld", &r), -EINVAL);
	ck_assert(!r.found);
	ck_assert_str_eq(r.number, "");
}
END_TEST

START_TEST(test_custdb_looks_each_call_up_once)
{
	const struct custdb_rec *a, *b;

	a = custdb_call_get(db, 42, "013800138000");
	ck_assert_ptr_nonnull(a);
	ck_assert(a->found);
	ck_assert_uint_eq(custdb_queries(db), 1);
	/* offered again (ring timeout, next agent): no query, same record */
	b = custdb_call_get(db, 42, "013800138000");
	ck_assert_ptr_eq(a, b);
	ck_assert_uint_eq(custdb_queries(db), 1);
	/* a withheld number is cached too (not retried) */
	ck_assert(!custdb_call_get(db, 43, "")->found);
	ck_assert(!custdb_call_get(db, 43, "")->found);
	ck_assert_uint_eq(custdb_queries(db), 1);
	ck_assert_uint_eq(custdb_cached(db), 2);
	custdb_call_forget(db, 42);
	custdb_call_forget(db, 42);
	ck_assert_uint_eq(custdb_cached(db), 1);
	ck_assert(custdb_call_get(db, 42, "2001")->found);
	ck_assert_uint_eq(custdb_queries(db), 2);
	/* many calls, colliding buckets */
	for (uint64_t c = 1000; c < 5000; c++)
		ck_assert_ptr_nonnull(custdb_call_get(db, c, "2001"));
	ck_assert_uint_eq(custdb_cached(db), 4002);
	for (uint64_t c = 1000; c < 5000; c++)
		custdb_call_forget(db, c);
	ck_assert_uint_eq(custdb_cached(db), 2);
}
END_TEST

START_TEST(test_custdb_record_as_screen_pop_json)
{
	struct custdb_rec r;
	struct tdmx_json j;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_int_eq(custdb_lookup(db, "+8613800138000", &r), 0);
	tdmx_json_init(&j, f, false);
	tdmx_json_obj_open(&j, NULL);
	custdb_json(&j, "customer", &r);
	ck_assert_int_eq(custdb_lookup(db, "07700", &r), 0);
	custdb_json(&j, "other", &r);
	tdmx_json_obj_close(&j);
	fclose(f);
	ck_assert_str_eq(buf, "{\"customer\":{\"number\":\"8613800138000\",\"found\":true,"
			      "\"name\":\"Li Wei\",\"account\":\"A-1001\",\"segment\":\"vip\","
			      "\"notes\":\"prefers mornings\",\"extra\":{\"language\":\"zh\"}},"
			      "\"other\":{\"number\":\"867700\",\"found\":false}}");
	free(buf);
}
END_TEST

START_TEST(test_custdb_refuses_missing_files_and_other_databases)
{
	struct custdb *x = NULL;
	char err[256] = "";

	ck_assert_int_eq(custdb_open("/nonexistent/customers.db", &rules, &x, err, sizeof(err)),
			 -ENOENT);
	ck_assert_msg(strstr(err, "/nonexistent/customers.db"), "%s", err);
	custdb_close(db);
	db = NULL;
	make_db("CREATE TABLE people (id INTEGER, name TEXT);");
	ck_assert_int_eq(custdb_open(path, &rules, &x, err, sizeof(err)), -EINVAL);
	ck_assert_msg(strstr(err, "not a customer database"), "%s", err);
	ck_assert_ptr_null(x);
}
END_TEST

static Suite *custdb_suite(void)
{
	Suite *s = suite_create("tdmxd_custdb");
	TCase *tc = tcase_create("custdb");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_custdb_numbers_are_normalised_to_international_digits);
	tcase_add_test(tc, test_custdb_finds_the_customer_by_any_spelling_of_the_number);
	tcase_add_test(tc, test_custdb_unknown_and_withheld_callers_have_no_record);
	tcase_add_test(tc, test_custdb_looks_each_call_up_once);
	tcase_add_test(tc, test_custdb_record_as_screen_pop_json);
	tcase_add_test(tc, test_custdb_refuses_missing_files_and_other_databases);
	suite_add_tcase(s, tc);
	return s;
}

TDMX_CHECK_MAIN(custdb_suite)
