// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd D-channels: the bounded per-channel tx queue (dchan.h). A fixed
 * ring of DCHAN_TXQ_LEN slots, no allocation: pushing onto a full queue
 * is refused, so a stalled line or a flooding client costs nothing but
 * refusals. Each slot keeps DCHAN_FCS_LEN octets after the payload, the
 * room the kernel's write wants for the FCS it computes.
 */
#include <errno.h>
#include <string.h>

#include "dchan.h"

void dchan_txq_init(struct dchan_txq *q)
{
	q->head = 0;
	q->tail = 0;
}

unsigned int dchan_txq_count(const struct dchan_txq *q)
{
	return q->head - q->tail;
}

/* Return: 0, -EMSGSIZE (empty or too long), -ENOBUFS (full) */
int dchan_txq_push(struct dchan_txq *q, const uint8_t *p, size_t len)
{
	unsigned int i = q->head % DCHAN_TXQ_LEN;

	if (!len || len > DCHAN_FRAME_MAX)
		return -EMSGSIZE;
	if (dchan_txq_count(q) == DCHAN_TXQ_LEN)
		return -ENOBUFS;
	memcpy(q->buf[i], p, len);
	memset(q->buf[i] + len, 0, DCHAN_FCS_LEN);
	q->len[i] = (uint16_t)len;
	q->head++;
	return 0;
}

/* the oldest frame as written (payload + FCS room, *@wlen octets), or NULL */
const uint8_t *dchan_txq_peek(const struct dchan_txq *q, size_t *wlen)
{
	unsigned int i = q->tail % DCHAN_TXQ_LEN;

	if (!dchan_txq_count(q))
		return NULL;
	*wlen = q->len[i] + DCHAN_FCS_LEN;
	return q->buf[i];
}

void dchan_txq_pop(struct dchan_txq *q)
{
	if (dchan_txq_count(q))
		q->tail++;
}
