/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * An intrusive order-statistics treap for the ACD engine: waiting calls
 * per (queue, tier) and ready agents per (queue, tier), ordered by a key
 * of two u64 compared lexicographically (the pair must be unique in a
 * tree). Every node keeps its subtree size, so the rank of a key (a
 * caller's position) costs O(log n) like insert, remove and lower_bound.
 *
 * Heap priorities come from a hash of the key, so the shape (and thus the
 * cost, never the order) is the same from run to run.
 */
#ifndef TDMXD_ACD_TREE_H
#define TDMXD_ACD_TREE_H

#include <stdbool.h>
#include <stdint.h>

struct acd_tnode {
	struct acd_tnode *l, *r, *p;
	uint64_t k1, k2;
	uint32_t prio;
	uint32_t size;		/* nodes in this subtree, itself included */
};

struct acd_tree {
	struct acd_tnode *root;
};

/* @n's k1, k2 must be set; @n must not be in a tree */
void acd_tree_insert(struct acd_tree *t, struct acd_tnode *n);
void acd_tree_remove(struct acd_tree *t, struct acd_tnode *n);
struct acd_tnode *acd_tree_first(const struct acd_tree *t);
struct acd_tnode *acd_tree_next(const struct acd_tnode *n);
/* first node with key >= (k1, k2), NULL if none */
struct acd_tnode *acd_tree_lower_bound(const struct acd_tree *t, uint64_t k1, uint64_t k2);
/* nodes with key < (k1, k2) */
uint32_t acd_tree_count_less(const struct acd_tree *t, uint64_t k1, uint64_t k2);
uint32_t acd_tree_size(const struct acd_tree *t);
/* the node of rank @r (0 = first), NULL if r >= size */
struct acd_tnode *acd_tree_select(const struct acd_tree *t, uint32_t r);
bool acd_tnode_less(const struct acd_tnode *a, uint64_t k1, uint64_t k2);

#endif /* TDMXD_ACD_TREE_H */
