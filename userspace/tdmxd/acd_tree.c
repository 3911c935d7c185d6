// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Order-statistics treap (acd_tree.h): a binary search tree on (k1, k2)
 * that is also a max-heap on prio. Insert adds a leaf and rotates it up
 * while its prio beats its parent's; remove rotates the node down towards
 * the child with the higher prio until it is a leaf, then unlinks it.
 * Rotations fix the two sizes they touch; the path to the root is fixed
 * by +1/-1 on the way.
 */
#include <stddef.h>

#include "acd_tree.h"

static uint32_t size_of(const struct acd_tnode *n)
{
	return n ? n->size : 0;
}

static void fix_size(struct acd_tnode *n)
{
	n->size = 1 + size_of(n->l) + size_of(n->r);
}

bool acd_tnode_less(const struct acd_tnode *a, uint64_t k1, uint64_t k2)
{
	return a->k1 < k1 || (a->k1 == k1 && a->k2 < k2);
}

/* splitmix64 finaliser: a well spread priority from the key */
static uint32_t hash_prio(uint64_t k1, uint64_t k2)
{
	uint64_t z = k1 * 0x9e3779b97f4a7c15ull ^ (k2 + 0x632be59bd9b4e019ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return (uint32_t)(z ^ (z >> 31));
}

static void replace_child(struct acd_tree *t, struct acd_tnode *p,
			  struct acd_tnode *old, struct acd_tnode *n)
{
	if (!p)
		t->root = n;
	else if (p->l == old)
		p->l = n;
	else
		p->r = n;
}

/* lift x over its parent */
static void rotate_up(struct acd_tree *t, struct acd_tnode *x)
{
	struct acd_tnode *p = x->p, *g = p->p;

	if (p->l == x) {
		p->l = x->r;
		if (x->r)
			x->r->p = p;
		x->r = p;
	} else {
		p->r = x->l;
		if (x->l)
			x->l->p = p;
		x->l = p;
	}
	p->p = x;
	x->p = g;
	replace_child(t, g, p, x);
	fix_size(p);
	fix_size(x);
}

void acd_tree_insert(struct acd_tree *t, struct acd_tnode *n)
{
	struct acd_tnode *p = NULL, **link = &t->root;

	n->l = n->r = NULL;
	n->size = 1;
	n->prio = hash_prio(n->k1, n->k2);
	while (*link) {
		p = *link;
		p->size++;
		link = acd_tnode_less(n, p->k1, p->k2) ? &p->l : &p->r;
	}
	n->p = p;
	*link = n;
	while (n->p && n->p->prio < n->prio)
		rotate_up(t, n);
}

void acd_tree_remove(struct acd_tree *t, struct acd_tnode *n)
{
	struct acd_tnode *c, *p;

	while (n->l || n->r) {
		if (!n->r || (n->l && n->l->prio > n->r->prio))
			c = n->l;
		else
			c = n->r;
		rotate_up(t, c);
	}
	p = n->p;
	replace_child(t, p, n, NULL);
	for (; p; p = p->p)
		p->size--;
	n->p = n->l = n->r = NULL;
}

struct acd_tnode *acd_tree_first(const struct acd_tree *t)
{
	struct acd_tnode *n = t->root;

	while (n && n->l)
		n = n->l;
	return n;
}

struct acd_tnode *acd_tree_next(const struct acd_tnode *n)
{
	const struct acd_tnode *c;

	if (n->r) {
		n = n->r;
		while (n->l)
			n = n->l;
		return (struct acd_tnode *)n;
	}
	c = n;
	n = n->p;
	while (n && n->r == c) {
		c = n;
		n = n->p;
	}
	return (struct acd_tnode *)n;
}

struct acd_tnode *acd_tree_lower_bound(const struct acd_tree *t, uint64_t k1, uint64_t k2)
{
	struct acd_tnode *n = t->root, *best = NULL;

	while (n) {
		if (acd_tnode_less(n, k1, k2)) {
			n = n->r;
		} else {
			best = n;
			n = n->l;
		}
	}
	return best;
}

uint32_t acd_tree_count_less(const struct acd_tree *t, uint64_t k1, uint64_t k2)
{
	const struct acd_tnode *n = t->root;
	uint32_t cnt = 0;

	while (n) {
		if (acd_tnode_less(n, k1, k2)) {
			cnt += 1 + size_of(n->l);
			n = n->r;
		} else {
			n = n->l;
		}
	}
	return cnt;
}

uint32_t acd_tree_size(const struct acd_tree *t)
{
	return size_of(t->root);
}

struct acd_tnode *acd_tree_select(const struct acd_tree *t, uint32_t r)
{
	struct acd_tnode *n = t->root;

	while (n) {
		if (r < size_of(n->l)) {
			n = n->l;
		} else if (r == size_of(n->l)) {
			return n;
		} else {
			r -= size_of(n->l) + 1;
			n = n->r;
		}
	}
	return NULL;
}
