// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * jreq (userspace/tdmxd/jreq.c): the member checks the control and CTI
 * sockets share. Requests are parsed from text with libtdmx's parser, as
 * the sockets do, and the messages are compared whole.
 */
#include <errno.h>
#include <stdlib.h>

#include "unit.h"
#include "jreq.h"

static struct tdmx_jobj *parse(const char *line)
{
	struct tdmx_jobj *o = malloc(sizeof(*o));
	char err[128];

	ck_assert_ptr_nonnull(o);
	ck_assert_msg(!tdmx_jobj_parse(o, line, err, sizeof(err)), "%s: %s", line, err);
	return o;
}

START_TEST(test_jreq_field_of_the_right_type_is_returned)
{
	struct tdmx_jobj *o = parse("{\"cmd\":\"x\",\"port\":\"1/5\",\"n\":3}");
	const struct tdmx_jval *v;
	char err[64] = "";
	int ret = 1;

	v = jreq_field(o, "port", TDMX_J_STRING, true, err, sizeof(err), &ret);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(v->s, "1/5");
	ck_assert_int_eq(ret, 0);
	v = jreq_field(o, "n", TDMX_J_INT, false, err, sizeof(err), &ret);
	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(v->i, 3);
	ck_assert_str_eq(err, "");
	free(o);
}
END_TEST

START_TEST(test_jreq_missing_field_is_an_error_only_when_required)
{
	struct tdmx_jobj *o = parse("{\"cmd\":\"x\"}");
	char err[64] = "";
	int ret = 1;

	ck_assert_ptr_null(jreq_field(o, "tone", TDMX_J_STRING, false, err, sizeof(err), &ret));
	ck_assert_int_eq(ret, 0);
	ck_assert_str_eq(err, "");
	ck_assert_ptr_null(jreq_field(o, "tone", TDMX_J_STRING, true, err, sizeof(err), &ret));
	ck_assert_int_eq(ret, -EINVAL);
	ck_assert_str_eq(err, "missing field 'tone'");
	free(o);
}
END_TEST

START_TEST(test_jreq_wrong_type_names_the_type_wanted)
{
	struct tdmx_jobj *o = parse("{\"loop\":1,\"since\":\"7\",\"ivr\":true}");
	char err[64];
	int ret;

	ck_assert_ptr_null(jreq_field(o, "loop", TDMX_J_BOOL, false, err, sizeof(err), &ret));
	ck_assert_int_eq(ret, -EINVAL);
	ck_assert_str_eq(err, "field 'loop' must be true or false");
	ck_assert_ptr_null(jreq_field(o, "since", TDMX_J_INT, true, err, sizeof(err), &ret));
	ck_assert_str_eq(err, "field 'since' must be an integer");
	ck_assert_ptr_null(jreq_field(o, "ivr", TDMX_J_ARRAY, false, err, sizeof(err), &ret));
	ck_assert_str_eq(err, "field 'ivr' must be an array");
	free(o);
}
END_TEST

START_TEST(test_jreq_known_keys_takes_whole_words_cmd_and_id)
{
	struct tdmx_jobj *o = parse("{\"cmd\":\"x\",\"id\":4,\"port\":\"1/1\",\"mode\":\"talk\"}");
	char err[64] = "";

	ck_assert_int_eq(jreq_known_keys(o, "conf port mode", err, sizeof(err)), 0);
	ck_assert_str_eq(err, "");
	free(o);
}
END_TEST

START_TEST(test_jreq_known_keys_refuses_parts_of_words_and_empty_names)
{
	struct tdmx_jobj *o = parse("{\"cmd\":\"x\",\"por\":\"1/1\"}");
	char err[64];

	ck_assert_int_eq(jreq_known_keys(o, "port", err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "unknown field 'por'");
	free(o);
	o = parse("{\"cmd\":\"x\",\"ort\":1}");
	ck_assert_int_eq(jreq_known_keys(o, "port", err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "unknown field 'ort'");
	free(o);
	o = parse("{\"cmd\":\"x\",\"\":1}");
	ck_assert_int_eq(jreq_known_keys(o, "port", err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "unknown field ''");
	ck_assert_int_eq(jreq_known_keys(o, "", err, sizeof(err)), -EINVAL);
	free(o);
}
END_TEST

static Suite *jreq_suite(void)
{
	Suite *s = suite_create("tdmxd_jreq");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_jreq_field_of_the_right_type_is_returned);
	tcase_add_test(tc, test_jreq_missing_field_is_an_error_only_when_required);
	tcase_add_test(tc, test_jreq_wrong_type_names_the_type_wanted);
	tcase_add_test(tc, test_jreq_known_keys_takes_whole_words_cmd_and_id);
	tcase_add_test(tc, test_jreq_known_keys_refuses_parts_of_words_and_empty_names);
	suite_add_tcase(s, tc);
	return s;
}

TDMX_CHECK_MAIN(jreq_suite)
