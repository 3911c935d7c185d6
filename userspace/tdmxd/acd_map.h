/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Hash maps of the ACD engine, open addressing with linear probing:
 *   acd_idmap    call id (u64, never 0) -> pointer; removal shifts the
 *                following entries back, so there are no tombstones and
 *                lookups stay short however many calls come and go;
 *   acd_namemap  name -> index, built once from the configuration; the
 *                names live in the caller's array (stride bytes apart).
 * Both keep the load at most 1/2.
 */
#ifndef TDMXD_ACD_MAP_H
#define TDMXD_ACD_MAP_H

#include <stddef.h>
#include <stdint.h>

struct acd_idmap {
	uint64_t *keys;		/* 0 = empty */
	void **vals;
	uint32_t mask, n;
};

int acd_idmap_put(struct acd_idmap *m, uint64_t key, void *val);	/* -EEXIST, -ENOMEM */
void *acd_idmap_get(const struct acd_idmap *m, uint64_t key);
void acd_idmap_del(struct acd_idmap *m, uint64_t key);
void acd_idmap_free(struct acd_idmap *m);

struct acd_namemap {
	const char *base;
	size_t stride;
	uint32_t *slots;	/* index + 1, 0 = empty */
	uint32_t mask;
};

/* names: base + i * stride for i < n; -EEXIST on a duplicate (*dup = i) */
int acd_namemap_build(struct acd_namemap *m, const char *base, size_t stride,
		      uint32_t n, uint32_t *dup);
int acd_namemap_find(const struct acd_namemap *m, const char *name);	/* index, -ENOENT */
void acd_namemap_free(struct acd_namemap *m);

#endif /* TDMXD_ACD_MAP_H */
