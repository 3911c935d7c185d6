// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxmon --replay FILE: re-print a capture of tdmxmon -j. Every line is
 * parsed and checked (tdmx_jobj_parse(), tdmx_event_from_json()); it is
 * printed in the human format, or as it was with -j. The first malformed
 * line stops the replay with "tdmxmon: FILE:LINE: message" and exit 2.
 * Blank lines are skipped.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libtdmx.h"
#include "mon.h"

/* strip leading and trailing white space in place */
static char *trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n && strchr(" \t\r\n", s[n - 1]))
		s[--n] = 0;
	return s;
}

static int replay_line(char *line, const char *name, unsigned int lineno, bool json)
{
	static struct tdmx_jobj o;
	char err[256], time[TDMX_TIME_LEN];
	struct tdmx_event ev;

	line = trim(line);
	if (!*line)
		return MON_EXIT_OK;
	if (tdmx_jobj_parse(&o, line, err, sizeof(err)) ||
	    tdmx_event_from_json(&o, &ev, time, err, sizeof(err))) {
		fflush(stdout);
		fprintf(stderr, "tdmxmon: %s:%u: %s\n", name, lineno, err);
		return MON_EXIT_USAGE;
	}
	if (json)
		printf("%s\n", line);
	else
		tdmx_print_event(stdout, &ev, time);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "tdmxmon: write error: %s\n", strerror(errno ? errno : EIO));
		return MON_EXIT_FAIL;
	}
	return MON_EXIT_OK;
}

/**
 * mon_replay() - re-print a saved tdmxmon -j capture
 * @path: the file, "-" for stdin
 * @json: print the lines as they are (after checking them)
 *
 * Return: an exit status.
 */
int mon_replay(const char *path, bool json)
{
	bool is_stdin = !strcmp(path, "-");
	const char *name = is_stdin ? "<stdin>" : path;
	FILE *f = is_stdin ? stdin : fopen(path, "r");
	unsigned int lineno = 0;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int ret = MON_EXIT_OK;

	if (!f) {
		fprintf(stderr, "tdmxmon: cannot open %s: %s\n", path, strerror(errno));
		return MON_EXIT_USAGE;
	}
	errno = 0;
	while (!ret && (len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (strlen(line) != (size_t)len) {
			fprintf(stderr, "tdmxmon: %s:%u: NUL byte in the line\n", name, lineno);
			ret = MON_EXIT_USAGE;
			break;
		}
		ret = replay_line(line, name, lineno, json);
		errno = 0;
	}
	if (!ret && ferror(f)) {
		fprintf(stderr, "tdmxmon: %s: read error: %s\n", name,
			strerror(errno ? errno : EIO));
		ret = MON_EXIT_FAIL;
	}
	free(line);
	if (!is_stdin)
		fclose(f);
	return ret;
}
