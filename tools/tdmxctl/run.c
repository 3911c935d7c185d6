// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Running tdmxctl commands: send the parsed request with libtdmx, print the
 * result as iproute2-style lines or JSON (show: one array; vcard add: one
 * object), and turn errors into "tdmxctl: <strerror>: <extack>" and an
 * exit status. Show commands collect the whole answer before printing, so
 * a failure never leaves half a JSON document on stdout.
 */
#include <errno.h>
#include <string.h>

#include "ctl.h"

/**
 * ctl_connect() - open the netlink handle if it is not open yet
 * @c: tool state
 *
 * Return: CTL_EXIT_OK, CTL_EXIT_NOMOD (family missing, message printed) or
 * CTL_EXIT_FAIL (message printed).
 */
int ctl_connect(struct ctl *c)
{
	int ret;

	if (c->h)
		return CTL_EXIT_OK;
	ret = tdmx_open(&c->h);
	if (ret == -ENOENT) {
		fprintf(stderr, "tdmxctl: tdmx module not loaded "
			"(generic netlink family '" TDMX_GENL_NAME "' not found)\n");
		return CTL_EXIT_NOMOD;
	}
	if (ret) {
		fprintf(stderr, "tdmxctl: cannot open generic netlink: %s\n", strerror(-ret));
		return CTL_EXIT_FAIL;
	}
	return CTL_EXIT_OK;
}

/**
 * ctl_fail() - print "tdmxctl: [where: ]<strerror>[: <extack>]"
 * @c: tool state
 * @err: negative errno
 * @where: a prefix ("spans.conf:3"), or NULL
 *
 * Without an extack message, the attribute the kernel pointed at (or
 * found missing) is named instead.
 *
 * Return: CTL_EXIT_FAIL.
 */
int ctl_fail(struct ctl *c, int err, const char *where)
{
	const char *msg = c->h ? tdmx_ext_ack(c->h) : NULL;
	unsigned int attr = c->h ? tdmx_ext_ack_attr(c->h) : 0;
	unsigned int missing = c->h ? tdmx_ext_ack_missing(c->h) : 0;

	fflush(stdout);
	fputs("tdmxctl: ", stderr);
	if (where)
		fprintf(stderr, "%s: ", where);
	fputs(strerror(-err), stderr);
	if (msg)
		fprintf(stderr, ": %s", msg);
	else if (attr && tdmx_attr_name(attr))
		fprintf(stderr, " (attribute %s)", tdmx_attr_name(attr));
	if (!msg && missing && tdmx_attr_name(missing))
		fprintf(stderr, " (missing attribute %s)", tdmx_attr_name(missing));
	fputc('\n', stderr);
	return CTL_EXIT_FAIL;
}

/* print a warning the kernel attached to a successful request */
void ctl_warn_ext_ack(struct ctl *c, const char *where)
{
	const char *msg = tdmx_ext_ack(c->h);

	if (!msg)
		return;
	fflush(stdout);
	fprintf(stderr, "tdmxctl: %s%swarning: %s\n", where ? where : "", where ? ": " : "", msg);
}

/* the output of one show command */
struct show {
	struct ctl *c;
	struct tdmx_json j;
	bool open;
};

static void show_item_begin(struct show *s)
{
	if (!s->c->json)
		return;
	if (!s->open) {
		tdmx_json_init(&s->j, stdout, s->c->pretty);
		tdmx_json_arr_open(&s->j, NULL);
		s->open = true;
	}
	tdmx_json_obj_open(&s->j, NULL);
}

static void show_item_end(struct show *s)
{
	if (s->c->json)
		tdmx_json_obj_close(&s->j);
}

/* after a successful show: close the array ("[]" when nothing was shown) */
static void show_end(struct show *s)
{
	if (!s->c->json)
		return;
	if (!s->open) {
		tdmx_json_init(&s->j, stdout, s->c->pretty);
		tdmx_json_arr_open(&s->j, NULL);
	}
	tdmx_json_arr_close(&s->j);
	fputc('\n', stdout);
}

static int show_span(const struct tdmx_span *sp, void *arg)
{
	struct show *s = arg;

	show_item_begin(s);
	if (s->c->json)
		tdmx_json_span(&s->j, sp);
	else
		tdmx_print_span(stdout, sp, NULL);
	show_item_end(s);
	return 0;
}

static int show_chan(const struct tdmx_chan *ch, void *arg)
{
	struct show *s = arg;

	show_item_begin(s);
	if (s->c->json)
		tdmx_json_chan(&s->j, ch);
	else
		tdmx_print_chan(stdout, ch, NULL);
	show_item_end(s);
	return 0;
}

static int show_vcard(const struct tdmx_vcard *v, void *arg)
{
	struct show *s = arg;

	show_item_begin(s);
	if (s->c->json)
		tdmx_json_vcard(&s->j, v);
	else
		tdmx_print_vcard(stdout, v, NULL);
	show_item_end(s);
	return 0;
}

static int show_counters(const struct tdmx_counters *cn, void *arg)
{
	struct show *s = arg;

	show_item_begin(s);
	if (s->c->json)
		tdmx_json_counters(&s->j, cn);
	else
		tdmx_print_counters(stdout, cn);
	show_item_end(s);
	return 0;
}

/* the end of a show: close the output, or report the error */
static int show_done(struct show *s, int ret)
{
	if (ret)
		return ctl_fail(s->c, ret, NULL);
	show_end(s);
	return CTL_EXIT_OK;
}

int ctl_run_span_show(struct ctl *c, const struct ctl_req *req)
{
	struct show s = { .c = c };
	struct tdmx_span sp;
	int ret = ctl_connect(c);

	if (ret)
		return ret;
	if (!req->span)
		return show_done(&s, tdmx_span_dump(c->h, show_span, &s));
	ret = tdmx_span_get(c->h, req->span, &sp);
	if (!ret)
		show_span(&sp, &s);
	return show_done(&s, ret);
}

int ctl_run_span_set(struct ctl *c, const struct ctl_req *req)
{
	int ret = ctl_connect(c);

	if (ret)
		return ret;
	ret = tdmx_span_set(c->h, req->span, &req->span_cfg);
	if (ret)
		return ctl_fail(c, ret, NULL);
	ctl_warn_ext_ack(c, NULL);
	return CTL_EXIT_OK;
}

int ctl_run_chan_show(struct ctl *c, const struct ctl_req *req)
{
	struct show s = { .c = c };
	struct tdmx_chan ch;
	int ret = ctl_connect(c);

	if (ret)
		return ret;
	if (!req->ts)
		return show_done(&s, tdmx_chan_dump(c->h, req->span, show_chan, &s));
	ret = tdmx_chan_get(c->h, req->span, req->ts, &ch);
	if (!ret)
		show_chan(&ch, &s);
	return show_done(&s, ret);
}

int ctl_run_chan_set(struct ctl *c, const struct ctl_req *req)
{
	int ret = ctl_connect(c);

	if (ret)
		return ret;
	ret = tdmx_chan_set(c->h, req->span, req->ts, &req->chan_cfg);
	if (ret)
		return ctl_fail(c, ret, NULL);
	ctl_warn_ext_ack(c, NULL);
	return CTL_EXIT_OK;
}

int ctl_run_vcard_show(struct ctl *c, const struct ctl_req *req)
{
	struct show s = { .c = c };
	int ret = ctl_connect(c);

	(void)req;
	if (ret)
		return ret;
	return show_done(&s, tdmx_vcard_dump(c->h, show_vcard, &s));
}

/* prints the new card: "vcard 3 loop e1 spans 3,4" or one JSON object */
int ctl_run_vcard_add(struct ctl *c, const struct ctl_req *req)
{
	struct tdmx_vcard v;
	struct tdmx_json j;
	int ret = ctl_connect(c);

	if (ret)
		return ret;
	ret = tdmx_vcard_new(c->h, req->vcard_type, req->line, &v);
	if (ret)
		return ctl_fail(c, ret, NULL);
	ctl_warn_ext_ack(c, NULL);
	if (!c->json) {
		tdmx_print_vcard(stdout, &v, NULL);
		return CTL_EXIT_OK;
	}
	tdmx_json_init(&j, stdout, c->pretty);
	tdmx_json_obj_open(&j, NULL);
	tdmx_json_vcard(&j, &v);
	tdmx_json_obj_close(&j);
	fputc('\n', stdout);
	return CTL_EXIT_OK;
}

int ctl_run_vcard_del(struct ctl *c, const struct ctl_req *req)
{
	int ret = ctl_connect(c);

	if (ret)
		return ret;
	ret = tdmx_vcard_del(c->h, req->vcard);
	if (ret)
		return ctl_fail(c, ret, NULL);
	ctl_warn_ext_ack(c, NULL);
	return CTL_EXIT_OK;
}

int ctl_run_fault_set(struct ctl *c, const struct ctl_req *req)
{
	int ret = ctl_connect(c);

	if (ret)
		return ret;
	ret = tdmx_fault_set(c->h, req->span, &req->fault);
	if (ret)
		return ctl_fail(c, ret, NULL);
	ctl_warn_ext_ack(c, NULL);
	return CTL_EXIT_OK;
}

int ctl_run_counters_show(struct ctl *c, const struct ctl_req *req)
{
	struct show s = { .c = c };
	struct tdmx_counters cn;
	int ret = ctl_connect(c);

	if (ret)
		return ret;
	if (!req->span)
		return show_done(&s, tdmx_counters_dump(c->h, show_counters, &s));
	ret = tdmx_counters_get(c->h, req->span, &cn);
	if (!ret)
		show_counters(&cn, &s);
	return show_done(&s, ret);
}

int ctl_run_counters_reset(struct ctl *c, const struct ctl_req *req)
{
	int ret = ctl_connect(c);

	if (ret)
		return ret;
	ret = tdmx_counters_reset(c->h, req->span);
	if (ret)
		return ctl_fail(c, ret, NULL);
	ctl_warn_ext_ack(c, NULL);
	return CTL_EXIT_OK;
}

int ctl_run_help(struct ctl *c, const struct ctl_req *req)
{
	(void)c;
	ctl_usage(stdout, req->topic);
	return CTL_EXIT_OK;
}
