// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * yamlcfg (userspace/tdmxd/yamlcfg.c): the YAML loading and node checks
 * that tdmxd.yaml, the ACD configuration, the CTI tokens and tdmx-acdsim's
 * scenarios share. Documents are given as text; messages compared whole.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "unit.h"
#include "yamlcfg.h"

static char err[256];

static int open_text(struct yamlcfg *y, const char *text)
{
	return yamlcfg_open(y, "t.yaml", text, strlen(text), err, sizeof(err));
}

START_TEST(test_yamlcfg_syntax_error_names_file_line_and_column)
{
	struct yamlcfg y;

	ck_assert_int_eq(open_text(&y, "a: 1\nb: [1, 2\n"), -EINVAL);
	ck_assert_msg(!strncmp(err, "t.yaml:", 7), "%s", err);
	ck_assert_msg(strstr(err, "(while parsing a flow sequence at line 2)"), "%s", err);
}
END_TEST

START_TEST(test_yamlcfg_second_document_is_refused_at_its_line)
{
	struct yamlcfg y;

	ck_assert_int_eq(open_text(&y, "a: 1\n---\nb: 2\n"), -EINVAL);
	ck_assert_str_eq(err, "t.yaml:3:1: a second YAML document; the configuration is one");
	ck_assert_int_eq(open_text(&y, ""), 0);
	ck_assert_ptr_null(yamlcfg_root(&y));
	yamlcfg_close(&y);
}
END_TEST

START_TEST(test_yamlcfg_need_says_what_was_found)
{
	struct yamlcfg y;

	ck_assert_int_eq(open_text(&y, "a: [1]\n"), 0);
	ck_assert_int_eq(yamlcfg_need(&y, yamlcfg_root(&y), YAML_MAPPING_NODE, "top"), 0);
	ck_assert_int_eq(yamlcfg_need(&y, yamlcfg_node(&y, yamlcfg_root(&y)->data.mapping.pairs.start->value),
				      YAML_SCALAR_NODE, "a"), -EINVAL);
	ck_assert_str_eq(err, "t.yaml:1:4: a: expected a value, found a list");
	yamlcfg_close(&y);
}
END_TEST

START_TEST(test_yamlcfg_uint_takes_only_whole_numbers_in_range)
{
	static const char *const bad[] = { "-1", "1.5", "x", "11", "", "99999999999999999999999" };
	struct yamlcfg y;
	uint64_t v = 0;
	unsigned int i;
	yaml_node_t *n;

	ck_assert_int_eq(open_text(&y, "7"), 0);
	ck_assert_int_eq(yamlcfg_uint(&y, yamlcfg_root(&y), "n", 1, 10, &v), 0);
	ck_assert_uint_eq(v, 7);
	yamlcfg_close(&y);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[64];

		snprintf(text, sizeof(text), "'%s'", bad[i]);
		ck_assert_int_eq(open_text(&y, text), 0);
		n = yamlcfg_root(&y);
		ck_assert_int_eq(yamlcfg_uint(&y, n, "n", 1, 10, &v), -EINVAL);
		ck_assert_msg(strstr(err, "n: expected a number from 1 to 10, found '"), "%s", err);
		yamlcfg_close(&y);
	}
}
END_TEST

START_TEST(test_yamlcfg_durations_have_units_and_a_limit)
{
	uint64_t ms = 1;

	ck_assert_int_eq(yamlcfg_parse_ms("250ms", UINT32_MAX, &ms), 0);
	ck_assert_uint_eq(ms, 250);
	ck_assert_int_eq(yamlcfg_parse_ms("20", UINT32_MAX, &ms), 0);
	ck_assert_uint_eq(ms, 20000);
	ck_assert_int_eq(yamlcfg_parse_ms("5min", UINT32_MAX, &ms), 0);
	ck_assert_uint_eq(ms, 300000);
	ck_assert_int_eq(yamlcfg_parse_ms("2h", UINT32_MAX, &ms), 0);
	ck_assert_uint_eq(ms, 7200000);
	ck_assert_int_eq(yamlcfg_parse_ms("1d", UINT64_MAX, &ms), 0);
	ck_assert_uint_eq(ms, 86400000);
	ck_assert_int_eq(yamlcfg_parse_ms("off", UINT32_MAX, &ms), 0);
	ck_assert_uint_eq(ms, 0);
	ck_assert_int_eq(yamlcfg_parse_ms("50d", UINT32_MAX, &ms), -EINVAL);
	ck_assert_int_eq(yamlcfg_parse_ms("+5s", UINT32_MAX, &ms), -EINVAL);
	ck_assert_int_eq(yamlcfg_parse_ms(" 5s", UINT32_MAX, &ms), -EINVAL);
	ck_assert_int_eq(yamlcfg_parse_ms("-5s", UINT32_MAX, &ms), -EINVAL);
	ck_assert_int_eq(yamlcfg_parse_ms("5 s", UINT32_MAX, &ms), -EINVAL);
	ck_assert_int_eq(yamlcfg_parse_ms("5y", UINT32_MAX, &ms), -EINVAL);
	ck_assert_int_eq(yamlcfg_parse_ms("", UINT32_MAX, &ms), -EINVAL);
}
END_TEST

START_TEST(test_yamlcfg_dup_key_finds_both_places)
{
	yaml_node_t *first = NULL, *dup;
	struct yamlcfg y;

	ck_assert_int_eq(open_text(&y, "a: 1\nb: 2\n"), 0);
	ck_assert_ptr_null(yamlcfg_dup_key(&y, yamlcfg_root(&y), &first));
	yamlcfg_close(&y);
	ck_assert_int_eq(open_text(&y, "a: 1\nb: 2\na: 3\n"), 0);
	dup = yamlcfg_dup_key(&y, yamlcfg_root(&y), &first);
	ck_assert_ptr_nonnull(dup);
	ck_assert_str_eq(yamlcfg_str(dup), "a");
	ck_assert_uint_eq(dup->start_mark.line, 2);
	ck_assert_uint_eq(first->start_mark.line, 0);
	yamlcfg_close(&y);
}
END_TEST

START_TEST(test_yamlcfg_read_of_a_missing_file_says_why)
{
	char *text = (char *)1;
	size_t len = 1;

	ck_assert_int_eq(yamlcfg_read("/nonexistent/t.yaml", &text, &len, err, sizeof(err)),
			 -ENOENT);
	ck_assert_ptr_null(text);
	ck_assert_str_eq(err, "/nonexistent/t.yaml: No such file or directory");
}
END_TEST

static Suite *yamlcfg_suite(void)
{
	Suite *s = suite_create("tdmxd_yamlcfg");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_yamlcfg_syntax_error_names_file_line_and_column);
	tcase_add_test(tc, test_yamlcfg_second_document_is_refused_at_its_line);
	tcase_add_test(tc, test_yamlcfg_need_says_what_was_found);
	tcase_add_test(tc, test_yamlcfg_uint_takes_only_whole_numbers_in_range);
	tcase_add_test(tc, test_yamlcfg_durations_have_units_and_a_limit);
	tcase_add_test(tc, test_yamlcfg_dup_key_finds_both_places);
	tcase_add_test(tc, test_yamlcfg_read_of_a_missing_file_says_why);
	suite_add_tcase(s, tc);
	return s;
}

TDMX_CHECK_MAIN(yamlcfg_suite)
