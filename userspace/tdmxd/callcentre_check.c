// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Checking the call centre's files without starting it, and what a reload
 * (SIGHUP) does to them.
 *
 * tdmxd --check loads the ACD configuration and the CTI tokens file named
 * in tdmxd.yaml exactly as the start would (the same loaders, the same
 * FILE:LINE:COL messages, the ACD's cross-checks), so an operator can try
 * a change before a restart.
 *
 * SIGHUP does not apply a new ACD configuration: the event log replays
 * only against the configuration it was written with (queues, agents and
 * their order are what the logged decisions refer to), and the waiting
 * callers, ringing offers and timers of the running engine would have no
 * safe mapping onto changed queues. So a reload compares the ACD and
 * tokens files (path and contents) with those the running call centre
 * started from; when one changed it is checked and a log line says that it
 * applies at the next restart (or what is wrong with it). Nothing running
 * changes: no call is dropped, the CTI clients stay connected.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acd.h"
#include "callcentre.h"
#include "cti_tokens.h"

/* FNV-1a of the file's bytes; 0 when it cannot be read */
uint64_t callcentre_file_hash(const char *path)
{
	uint64_t h = 0xcbf29ce484222325ull;
	FILE *f;
	int ch;

	if (!path[0] || !(f = fopen(path, "re")))
		return 0;
	while ((ch = getc(f)) != EOF) {
		h ^= (unsigned char)ch;
		h *= 0x100000001b3ull;
	}
	fclose(f);
	return h ? h : 1;
}

int callcentre_check(const struct cfg *c, char *msg, size_t len)
{
	struct acd_config *ac = NULL;
	struct cti_token *tok = NULL;
	unsigned int ntok = 0;
	int ret;

	if (!c->acd_config[0]) {
		snprintf(msg, len, "no ACD");
		return 0;
	}
	ret = acd_config_load(c->acd_config, &ac, msg, len);
	if (ret)
		return ret;
	if (c->cti_tokens[0]) {
		ret = cti_tokens_load(c->cti_tokens, &tok, &ntok, msg, len);
		if (ret)
			goto out;
	}
	snprintf(msg, len, "ACD %s: %u queues, %u agents; CTI tokens: %u", c->acd_config,
		 ac->nqueues, ac->nagents, ntok);
out:
	free(tok);
	acd_config_free(ac);
	return ret;
}

int callcentre_reload_check(const struct cfg *running, uint64_t acd_hash, uint64_t tokens_hash,
			    const struct cfg *next, char *msg, size_t len)
{
	bool changed;
	int ret;

	changed = strcmp(running->acd_config, next->acd_config) ||
		  strcmp(running->cti_tokens, next->cti_tokens) ||
		  callcentre_file_hash(next->acd_config) != acd_hash ||
		  callcentre_file_hash(next->cti_tokens) != tokens_hash;
	if (!changed) {
		snprintf(msg, len, "unchanged");
		return 0;
	}
	ret = callcentre_check(next, msg, len);
	if (ret)
		return ret;
	snprintf(msg, len, "changed and checked ok; the ACD and CTI keep their running configuration "
		 "until the next restart (the event log replays only against the configuration it was written with)");
	return 1;
}
