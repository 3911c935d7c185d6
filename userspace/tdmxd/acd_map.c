// SPDX-License-Identifier: GPL-2.0-or-later
/* Hash maps of the ACD engine (acd_map.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "acd_map.h"

static uint32_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return (uint32_t)(z ^ (z >> 31));
}

/* FNV-1a */
static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

static int idmap_grow(struct acd_idmap *m)
{
	uint32_t cap = m->mask ? (m->mask + 1) * 2 : 64, i, j;
	uint64_t *keys = calloc(cap, sizeof(*keys));
	void **vals = calloc(cap, sizeof(*vals));

	if (!keys || !vals) {
		free(keys);
		free(vals);
		return -ENOMEM;
	}
	for (i = 0; m->mask && i <= m->mask; i++) {
		if (!m->keys[i])
			continue;
		for (j = mix64(m->keys[i]) & (cap - 1); keys[j]; j = (j + 1) & (cap - 1))
			;
		keys[j] = m->keys[i];
		vals[j] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	m->keys = keys;
	m->vals = vals;
	m->mask = cap - 1;
	return 0;
}

int acd_idmap_put(struct acd_idmap *m, uint64_t key, void *val)
{
	uint32_t i;
	int ret;

	if ((m->n + 1) * 2 > m->mask + 1 || !m->mask) {
		ret = idmap_grow(m);
		if (ret)
			return ret;
	}
	for (i = mix64(key) & m->mask; m->keys[i]; i = (i + 1) & m->mask)
		if (m->keys[i] == key)
			return -EEXIST;
	m->keys[i] = key;
	m->vals[i] = val;
	m->n++;
	return 0;
}

static uint32_t idmap_slot(const struct acd_idmap *m, uint64_t key)
{
	uint32_t i;

	if (!m->mask)
		return UINT32_MAX;
	for (i = mix64(key) & m->mask; m->keys[i]; i = (i + 1) & m->mask)
		if (m->keys[i] == key)
			return i;
	return UINT32_MAX;
}

void *acd_idmap_get(const struct acd_idmap *m, uint64_t key)
{
	uint32_t i = idmap_slot(m, key);

	return i == UINT32_MAX ? NULL : m->vals[i];
}

void acd_idmap_del(struct acd_idmap *m, uint64_t key)
{
	uint32_t i = idmap_slot(m, key), j, home;

	if (i == UINT32_MAX)
		return;
	m->keys[i] = 0;
	m->n--;
	/* backward shift: move up every entry whose probe passed the hole */
	for (j = (i + 1) & m->mask; m->keys[j]; j = (j + 1) & m->mask) {
		home = mix64(m->keys[j]) & m->mask;
		if (((j - home) & m->mask) < ((j - i) & m->mask))
			continue;
		m->keys[i] = m->keys[j];
		m->vals[i] = m->vals[j];
		m->keys[j] = 0;
		i = j;
	}
}

void acd_idmap_free(struct acd_idmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

int acd_namemap_build(struct acd_namemap *m, const char *base, size_t stride,
		      uint32_t n, uint32_t *dup)
{
	uint32_t cap = 16, i, j;

	while (cap < 2 * n)
		cap *= 2;
	m->slots = calloc(cap, sizeof(*m->slots));
	if (!m->slots)
		return -ENOMEM;
	m->base = base;
	m->stride = stride;
	m->mask = cap - 1;
	for (i = 0; i < n; i++) {
		const char *name = base + i * stride;

		for (j = hash_str(name) & m->mask; m->slots[j]; j = (j + 1) & m->mask) {
			if (!strcmp(base + (m->slots[j] - 1) * stride, name)) {
				if (dup)
					*dup = i;
				acd_namemap_free(m);
				return -EEXIST;
			}
		}
		m->slots[j] = i + 1;
	}
	return 0;
}

int acd_namemap_find(const struct acd_namemap *m, const char *name)
{
	uint32_t j;

	if (!m->slots)
		return -ENOENT;
	for (j = hash_str(name) & m->mask; m->slots[j]; j = (j + 1) & m->mask)
		if (!strcmp(m->base + (m->slots[j] - 1) * m->stride, name))
			return (int)(m->slots[j] - 1);
	return -ENOENT;
}

void acd_namemap_free(struct acd_namemap *m)
{
	free(m->slots);
	memset(m, 0, sizeof(*m));
}
