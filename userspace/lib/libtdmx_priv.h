/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libtdmx internals shared between its files (and the unit tests). */
#ifndef TDMX_LIBTDMX_PRIV_H
#define TDMX_LIBTDMX_PRIV_H

#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>

#include "libtdmx.h"

#define TDMX_EXT_ACK_LEN 256

/**
 * struct tdmx_ack - what an ack, an error or a dump's NLMSG_DONE said
 * @error: 0 or a negative errno
 * @msg: NLMSGERR_ATTR_MSG, "" if none
 * @attr: type of the attribute NLMSGERR_ATTR_OFFS points at, 0 if none
 * @missing: NLMSGERR_ATTR_MISS_TYPE, 0 if none
 */
struct tdmx_ack {
	int error;
	char msg[TDMX_EXT_ACK_LEN];
	unsigned int attr;
	unsigned int missing;
};

void tdmx_ack_parse(struct tdmx_ack *ack, const struct nlmsghdr *nlh,
		    const struct nlmsghdr *sent);
int tdmx_nle_errno(int nle);

/* parse the generic netlink payload of @nlh into @tb (0 or -EBADMSG) */
int tdmx_attrs(const struct nlmsghdr *nlh, struct nlattr **tb);

/* requests (nl.c) */
int tdmx_open_family(struct tdmx **hp, const char *name);
struct nl_msg *tdmx_msg(struct tdmx *h, uint8_t cmd, int flags);
struct nl_msg *tdmx_msg_span(struct tdmx *h, uint8_t cmd, uint32_t span);
typedef int (*tdmx_reply_fn)(const struct nlmsghdr *nlh, void *arg);
int tdmx_request(struct tdmx *h, struct nl_msg *msg, tdmx_reply_fn fn, void *arg);
void tdmx_set_ext_ack(struct tdmx *h, const char *msg);

/**
 * struct tdmx_vec - the parsed replies of a dump
 * @data: @n elements of @size bytes
 */
struct tdmx_vec {
	void *data;
	size_t n;
	size_t cap;
	size_t size;
};

typedef int (*tdmx_parse_fn)(const struct nlmsghdr *nlh, void *elem);
int tdmx_dump(struct tdmx *h, uint8_t cmd, uint32_t span, tdmx_parse_fn parse,
	      struct tdmx_vec *out);
void tdmx_vec_free(struct tdmx_vec *v);

/* print.c: JSON keys of the u8 members of a span (ends with key NULL) */
struct tdmx_span_key {
	uint32_t field;
	const char *key;
	int kind;		/* enum tdmx_kind, or -1 for a number */
	size_t off;		/* in struct tdmx_span */
};

extern const struct tdmx_span_key tdmx_span_keys[];
/* "span", "chan", "vcard", "alarm" by enum tdmx_event_type */
extern const char *const tdmx_event_types[TDMX_EV_ALARM + 1];

/* json.c */
size_t tdmx_utf8_len(const unsigned char *s);

#endif /* TDMX_LIBTDMX_PRIV_H */
