/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CTI client tokens read from their own YAML file (format in
 * cti_tokens.c and Documentation/cti.md).
 */
#ifndef TDMXD_CTI_TOKENS_H
#define TDMXD_CTI_TOKENS_H

#include <stddef.h>

#include "cti.h"

int cti_tokens_load(const char *file, struct cti_token **out, unsigned int *n,
		    char *err, size_t errlen);

#endif /* TDMXD_CTI_TOKENS_H */
