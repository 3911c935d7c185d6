// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd configuration file: a full file and the defaults are read right;
 * every kind of mistake is refused with FILE:LINE:COLUMN and a message that
 * names the problem.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "config.h"
#include "log.h"

static struct cfg cfg;
static char err[CFG_ERR_LEN];

static int parse(const char *text)
{
	return cfg_parse(&cfg, "t.yaml", text, strlen(text), err, sizeof(err));
}

/* the text must be refused with an error starting with @where and holding @what */
static void refused(const char *text, const char *where, const char *what)
{
	int ret = parse(text);

	ck_assert_msg(ret == -EINVAL, "accepted (%d): %s", ret, text);
	ck_assert_msg(!strncmp(err, where, strlen(where)), "error '%s' is not at '%s'", err, where);
	ck_assert_msg(strstr(err, what), "error '%s' does not say '%s'", err, what);
}

START_TEST(test_config_full_file_is_read)
{
	ck_assert_int_eq(parse("# a comment\n"
			       "log_level: debug\n"
			       "workers: 4\n"
			       "jitter_ms: 12\n"
			       "rt_priority: 20\n"
			       "block_ms: 5\n"
			       "control: /run/x/ctl\n"
			       "user: tdmx\n"
			       "group: audio\n"
			       "spans:\n"
			       "  - span: 1\n"
			       "    block_ms: 20\n"
			       "    law: ulaw\n"
			       "  - span: 7\n"
			       "    law: alaw\n"
			       "  - 3\n"
			       "recordings:\n"
			       "  dir: /srv/rec\n"
			       "  database: /srv/rec/index.db\n"
			       "prompts:\n"
			       "  dir: /srv/prompts\n"
			       "tones:\n"
			       "  country: cn\n"), 0);
	ck_assert_int_eq(cfg.log_level, LOG_DEBUG);
	ck_assert_uint_eq(cfg.workers, 4);
	ck_assert_uint_eq(cfg.jitter_ms, 12);
	ck_assert_uint_eq(cfg.rt_priority, 20);
	ck_assert_str_eq(cfg.control, "/run/x/ctl");
	ck_assert_str_eq(cfg.user, "tdmx");
	ck_assert_str_eq(cfg.group, "audio");
	ck_assert_uint_eq(cfg.nspans, 3);
	ck_assert_uint_eq(cfg.spans[0].span, 1);
	ck_assert_uint_eq(cfg.spans[0].block_ms, 20);
	ck_assert_uint_eq(cfg.spans[0].law, MEDIA_ULAW);
	ck_assert_uint_eq(cfg.spans[1].span, 7);
	ck_assert_uint_eq(cfg.spans[1].block_ms, 5);	/* the top-level default */
	ck_assert_uint_eq(cfg.spans[1].law, MEDIA_ALAW);
	ck_assert_uint_eq(cfg.spans[2].span, 3);
	ck_assert_uint_eq(cfg.spans[2].block_ms, 5);
	ck_assert_uint_eq(cfg.spans[2].law, 0);
	ck_assert_str_eq(cfg.rec_dir, "/srv/rec");
	ck_assert_str_eq(cfg.rec_db, "/srv/rec/index.db");
	ck_assert_str_eq(cfg.prompt_dir, "/srv/prompts");
	ck_assert_str_eq(cfg.tone_country, "cn");
	ck_assert_ptr_nonnull(cfg_span_find(&cfg, 7));
	ck_assert_ptr_null(cfg_span_find(&cfg, 2));
}
END_TEST

START_TEST(test_config_empty_file_gives_defaults)
{
	ck_assert_int_eq(parse(""), 0);
	ck_assert_int_eq(cfg.log_level, LOG_INFO);
	ck_assert_uint_eq(cfg.workers, 1);
	ck_assert_uint_eq(cfg.jitter_ms, CFG_DEFAULT_JITTER_MS);
	ck_assert_str_eq(cfg.control, CFG_DEFAULT_CONTROL);
	ck_assert_str_eq(cfg.user, "");
	ck_assert_uint_eq(cfg.nspans, 0);
	ck_assert_str_eq(cfg.rec_dir, CFG_DEFAULT_REC_DIR);
	ck_assert_str_eq(cfg.tone_country, CFG_DEFAULT_COUNTRY);
	ck_assert_int_eq(parse("# only a comment\n"), 0);
	ck_assert_int_eq(parse("spans:\n"), 0);
	ck_assert_uint_eq(cfg.nspans, 0);
	ck_assert_int_eq(parse("spans: [1, 2]\n"), 0);
	ck_assert_uint_eq(cfg.nspans, 2);
	ck_assert_uint_eq(cfg.spans[1].block_ms, CFG_DEFAULT_BLOCK_MS);
}
END_TEST

START_TEST(test_config_unknown_key_is_refused_with_its_position)
{
	refused("workers: 2\nworker: 3\n", "t.yaml:2:1: ", "unknown key 'worker'");
	refused("spans:\n  - span: 1\n    blockms: 5\n", "t.yaml:3:5: ", "unknown key 'blockms'");
	refused("recordings:\n  directory: /x\n", "t.yaml:2:3: ", "unknown key 'directory'");
}
END_TEST

START_TEST(test_config_values_out_of_range_are_refused)
{
	refused("spans:\n  - span: 1\n    block_ms: 0\n", "t.yaml:3:15: ", "from 1 to 20");
	refused("spans:\n  - span: 1\n    block_ms: 21\n", "t.yaml:3:15: ", "found '21'");
	refused("block_ms: 50\n", "t.yaml:1:11: ", "block_ms");
	refused("workers: 0\n", "t.yaml:1:10: ", "workers");
	refused("workers: -1\n", "t.yaml:1:10: ", "workers");
	refused("workers: two\n", "t.yaml:1:10: ", "found 'two'");
	refused("jitter_ms: 41\n", "t.yaml:1:12: ", "from 0 to 40");
	refused("rt_priority: 100\n", "t.yaml:1:14: ", "from 0 to 99");
	refused("spans: [0]\n", "t.yaml:1:9: ", "from 1 to 128");
	refused("spans: [129]\n", "t.yaml:1:9: ", "from 1 to 128");
}
END_TEST

START_TEST(test_config_bad_words_are_refused)
{
	refused("log_level: loud\n", "t.yaml:1:12: ", "expected error, warning");
	refused("spans:\n  - span: 2\n    law: slaw\n", "t.yaml:3:10: ", "alaw, ulaw or auto");
	refused("tones:\n  country: CN1\n", "t.yaml:2:12: ", "tone plan");
	refused("control: run/ctl\n", "t.yaml:1:10: ", "absolute path");
	refused("prompts:\n  dir: prompts\n", "t.yaml:2:8: ", "absolute path");
}
END_TEST

START_TEST(test_config_wrong_shapes_are_refused)
{
	refused("spans: 1\n", "t.yaml:1:8: ", "expected a list of spans");
	refused("spans:\n  - law: alaw\n", "t.yaml:2:5: ", "without 'span: N'");
	refused("workers: [1]\n", "t.yaml:1:10: ", "expected a value, found a list");
	refused("recordings: /x\n", "t.yaml:1:13: ", "expected a mapping");
	refused("- 1\n- 2\n", "t.yaml:1:1: ", "expected a mapping");
	refused("? [a]\n: 1\n", "t.yaml:1:3: ", "keys must be plain words");
}
END_TEST

START_TEST(test_config_duplicates_are_refused)
{
	refused("workers: 1\nlog_level: info\nworkers: 2\n", "t.yaml:3:1: ",
		"duplicate key 'workers' (first at line 1)");
	refused("spans:\n  - 1\n  - span: 1\n", "t.yaml:3:5: ", "span 1 is listed twice");
}
END_TEST

START_TEST(test_config_yaml_syntax_errors_name_the_position)
{
	refused("workers: 1\n  log_level: info\n", "t.yaml:2:", "mapping values are not allowed");
	refused("spans: [1, 2\n", "t.yaml:2:1: ", "");
	refused("workers: \"1\n", "t.yaml:", "unexpected end of stream");
	refused("workers: 1\n---\nworkers: 2\n", "t.yaml:3:1: ", "a second YAML document");
}
END_TEST

START_TEST(test_config_file_is_loaded_and_a_missing_one_named)
{
	char path[] = "/tmp/tdmxd-cfg-XXXXXX";
	const char *text = "workers: 3\nspans:\n  - span: 2\n    bad: 1\n";
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (int)strlen(text));
	close(fd);
	ck_assert_int_eq(cfg_load(&cfg, path, err, sizeof(err)), -EINVAL);
	ck_assert_msg(!strncmp(err, path, strlen(path)) && strstr(err, ":4:5: "),
		      "error '%s' does not name %s:4:5", err, path);
	unlink(path);
	ck_assert_int_eq(cfg_load(&cfg, path, err, sizeof(err)), -ENOENT);
	ck_assert_msg(strstr(err, path) && strstr(err, "No such file"), "error '%s'", err);
}
END_TEST

static Suite *config_suite(void)
{
	Suite *s = suite_create("tdmxd_config");
	TCase *tc = tcase_create("config");

	tcase_add_test(tc, test_config_full_file_is_read);
	tcase_add_test(tc, test_config_empty_file_gives_defaults);
	tcase_add_test(tc, test_config_unknown_key_is_refused_with_its_position);
	tcase_add_test(tc, test_config_values_out_of_range_are_refused);
	tcase_add_test(tc, test_config_bad_words_are_refused);
	tcase_add_test(tc, test_config_wrong_shapes_are_refused);
	tcase_add_test(tc, test_config_duplicates_are_refused);
	tcase_add_test(tc, test_config_yaml_syntax_errors_name_the_position);
	tcase_add_test(tc, test_config_file_is_loaded_and_a_missing_one_named);
	suite_add_tcase(s, tc);
	return s;
}

TDMX_CHECK_MAIN(config_suite)
