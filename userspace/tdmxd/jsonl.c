// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * jsonl: line-oriented stream sockets on an io_uring loop (see jsonl.h).
 *
 * A connection is freed only when no operation of it is in flight and no
 * owner callback is running for it (@busy), so an owner may close it from
 * inside its line() callback.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "jsonl.h"
#include "log.h"

enum io_kind {
	IO_ACCEPT = 1,
	IO_RECV,
	IO_SEND,
};

/* what a completion's user_data points at (16-byte aligned, see loop.h) */
struct jsonl_io {
	enum io_kind kind;
	void *owner;		/* struct listener or struct jsonl_conn */
} __attribute__((aligned(16)));

struct listener {
	struct jsonl_io io;
	struct jsonl *srv;
	int fd;
	bool busy;
	bool tcp;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

struct jsonl_conn {
	struct jsonl_io rio, sio;
	struct jsonl *srv;
	struct jsonl_conn *next;
	int fd;
	uint64_t id;
	char peer[JSONL_PEER_LEN];
	void *data;
	char *in;			/* line_max + 2 bytes */
	size_t inlen;
	bool discard;			/* inside a line that was too long */
	char *out;			/* in flight: not touched until sent */
	size_t outlen, outcap;
	char *pend;			/* queued behind @out */
	size_t pendlen, pendcap;
	bool recv_busy, send_busy;
	bool closing;
	bool eof;			/* the peer finished sending */
	bool paused;
	bool refused;			/* a droppable message was refused */
	unsigned int busy;		/* owner callbacks running */
};

struct jsonl {
	struct loop *loop;
	enum loop_op op;
	char name[16];
	struct jsonl_ops ops;
	struct jsonl_limits lim;
	struct listener lis[JSONL_MAX_LISTEN];
	unsigned int nlis;
	struct jsonl_conn *conns;
	unsigned int nconns;
	uint64_t next_id;
	bool down;
};

static void conn_recv(struct jsonl_conn *k);
static void conn_send(struct jsonl_conn *k);
static void conn_close(struct jsonl_conn *k);

/* ---------------------------------------------------------------- output */

static size_t queued(const struct jsonl_conn *k)
{
	return k->outlen + k->pendlen;
}

/**
 * jsonl_send() - queue @n bytes (whole lines, newline included) for @k
 * @k: the connection
 * @msg: the bytes
 * @n: how many
 * @droppable: an event: refuse it when more than out_max bytes wait
 *
 * Return: 0, -ENOBUFS (refused; drained() follows once the queue is
 * empty), -EPIPE (closing) or -ENOMEM.
 */
int jsonl_send(struct jsonl_conn *k, const char *msg, size_t n, bool droppable)
{
	size_t cap;
	char *p;

	if (k->closing)
		return -EPIPE;
	if (droppable && queued(k) + n > k->srv->lim.out_max) {
		if (!k->refused)
			log_warn(k->srv->name, "conn%llu: not reading its events: dropping them",
				 (unsigned long long)k->id);
		k->refused = true;
		return -ENOBUFS;
	}
	if (k->pendlen + n > k->pendcap) {
		cap = k->pendcap ? k->pendcap : 4096;
		while (cap < k->pendlen + n)
			cap *= 2;
		p = realloc(k->pend, cap);
		if (!p)
			return -ENOMEM;
		k->pend = p;
		k->pendcap = cap;
	}
	memcpy(k->pend + k->pendlen, msg, n);
	k->pendlen += n;
	conn_send(k);
	return 0;
}

static void conn_send(struct jsonl_conn *k)
{
	struct io_uring_sqe *sqe;
	size_t cap;
	char *p;

	if (k->send_busy || k->fd < 0)
		return;
	if (!k->outlen && k->pendlen) {
		/* swap: the queued bytes go out, the old buffer fills */
		p = k->out, k->out = k->pend, k->pend = p;
		cap = k->outcap, k->outcap = k->pendcap, k->pendcap = cap;
		k->outlen = k->pendlen;
		k->pendlen = 0;
	}
	if (!k->outlen)
		return;
	sqe = loop_sqe(k->srv->loop);
	io_uring_prep_send(sqe, k->fd, k->out, k->outlen, MSG_NOSIGNAL);
	io_uring_sqe_set_data64(sqe, loop_tag(k->srv->op, &k->sio));
	k->send_busy = true;
}

/* ----------------------------------------------------------------- input */

/* may the connection's lines be handled now? */
static bool can_take(const struct jsonl_conn *k)
{
	return !k->closing && !k->paused && queued(k) <= k->srv->lim.out_max;
}

static void one_line(struct jsonl_conn *k, char *start, char *nl)
{
	struct jsonl_ops *ops = &k->srv->ops;

	bool nul = memchr(start, 0, (size_t)(nl - start)) != NULL;

	*nl = 0;
	if (nl > start && nl[-1] == '\r')
		nl[-1] = 0;
	if (k->discard)
		k->discard = false;
	else if (nul)
		ops->bad_line(ops->priv, k);
	else
		ops->line(ops->priv, k, start);
}

/* hand every whole line to the owner, as long as it may take them */
static void take_lines(struct jsonl_conn *k)
{
	struct jsonl_ops *ops = &k->srv->ops;
	char *start = k->in, *nl;
	size_t left = k->inlen;

	k->busy++;
	while (can_take(k) && (nl = memchr(start, '\n', left))) {
		one_line(k, start, nl);
		left -= (size_t)(nl + 1 - start);
		start = nl + 1;
	}
	if (!k->closing && !memchr(start, '\n', left) && left > k->srv->lim.line_max) {
		if (!k->discard)
			ops->too_long(ops->priv, k);
		k->discard = true;
		left = 0;
	}
	memmove(k->in, start, left);
	k->inlen = left;
	k->busy--;
}

/* the connection has nothing more to do: the peer is done and all is sent */
static bool finished(const struct jsonl_conn *k)
{
	return k->eof && !memchr(k->in, '\n', k->inlen) && !k->send_busy && !queued(k);
}

/* after lines were handled or output drained: read on, or close */
static void conn_step(struct jsonl_conn *k)
{
	if (k->closing) {
		conn_close(k);
		return;
	}
	take_lines(k);
	if (k->closing) {
		conn_close(k);
		return;
	}
	if (!k->paused && finished(k))
		conn_close(k);
	else
		conn_recv(k);
}

static void conn_recv(struct jsonl_conn *k)
{
	struct io_uring_sqe *sqe;
	size_t room = k->srv->lim.line_max + 1 - k->inlen;

	if (k->recv_busy || !can_take(k) || k->eof)
		return;
	if (memchr(k->in, '\n', k->inlen))
		return;		/* lines still waiting to be taken */
	sqe = loop_sqe(k->srv->loop);
	io_uring_prep_recv(sqe, k->fd, k->in + k->inlen, room, 0);
	io_uring_sqe_set_data64(sqe, loop_tag(k->srv->op, &k->rio));
	k->recv_busy = true;
}

/* ----------------------------------------------------------- connections */

static void conn_free(struct jsonl_conn *k)
{
	struct jsonl *s = k->srv;
	struct jsonl_conn **pp;

	for (pp = &s->conns; *pp; pp = &(*pp)->next) {
		if (*pp == k) {
			*pp = k->next;
			break;
		}
	}
	s->nconns--;
	if (k->fd >= 0)
		close(k->fd);
	free(k->in);
	free(k->out);
	free(k->pend);
	free(k);
}

/* stop reading and sending; free once nothing is in flight */
static void conn_close(struct jsonl_conn *k)
{
	struct jsonl *s = k->srv;

	if (!k->closing) {
		k->closing = true;
		log_debug(s->name, "conn%llu (%s): closed", (unsigned long long)k->id, k->peer);
		if (s->ops.closed) {
			k->busy++;
			s->ops.closed(s->ops.priv, k);
			k->busy--;
		}
		if (k->recv_busy)
			loop_cancel(s->loop, s->op, &k->rio);
		if (k->send_busy)
			loop_cancel(s->loop, s->op, &k->sio);
	}
	if (!k->recv_busy && !k->send_busy && !k->busy)
		conn_free(k);
}

static void on_recv(struct jsonl_conn *k, int res)
{
	k->recv_busy = false;
	if (k->closing || res < 0) {
		if (res < 0 && res != -ECANCELED && res != -ECONNRESET)
			log_info(k->srv->name, "conn%llu: recv: %s", (unsigned long long)k->id,
				 strerror(-res));
		conn_close(k);
		return;
	}
	if (!res)
		k->eof = true;	/* answer what came before the end, then close */
	k->inlen += (size_t)res;
	conn_step(k);
}

static void on_send(struct jsonl_conn *k, int res)
{
	struct jsonl_ops *ops = &k->srv->ops;
	bool was_full = queued(k) > k->srv->lim.out_max;

	k->send_busy = false;
	if (k->closing || res < 0) {
		if (res < 0 && res != -EPIPE && res != -ECONNRESET && res != -ECANCELED)
			log_info(k->srv->name, "conn%llu: send: %s", (unsigned long long)k->id,
				 strerror(-res));
		conn_close(k);
		return;
	}
	memmove(k->out, k->out + res, k->outlen - (size_t)res);
	k->outlen -= (size_t)res;
	conn_send(k);
	if (!queued(k) && k->refused) {
		k->refused = false;
		k->busy++;
		ops->drained(ops->priv, k);
		k->busy--;
	}
	if (was_full || k->eof || k->closing)
		conn_step(k);
}

/**
 * jsonl_adopt() - serve a connected stream socket
 * @s: the server
 * @fd: the socket; the server closes it (also on failure)
 * @peer: who it is, for logs ("unix", "192.0.2.1:5000"), or NULL
 *
 * Return: 0, -EMFILE (max_conns reached, or shut down) or -ENOMEM.
 */
int jsonl_adopt(struct jsonl *s, int fd, const char *peer)
{
	struct jsonl_conn *k;

	if (s->nconns >= s->lim.max_conns || s->down) {
		close(fd);
		return -EMFILE;
	}
	k = aligned_alloc(16, sizeof(*k));
	if (!k) {
		close(fd);
		return -ENOMEM;
	}
	memset(k, 0, sizeof(*k));
	k->in = malloc(s->lim.line_max + 2);
	if (!k->in) {
		free(k);
		close(fd);
		return -ENOMEM;
	}
	k->rio = (struct jsonl_io){ .kind = IO_RECV, .owner = k };
	k->sio = (struct jsonl_io){ .kind = IO_SEND, .owner = k };
	k->srv = s;
	k->fd = fd;
	k->id = ++s->next_id;
	snprintf(k->peer, sizeof(k->peer), "%s", peer ? peer : "?");
	k->next = s->conns;
	s->conns = k;
	s->nconns++;
	log_debug(s->name, "conn%llu (%s): new", (unsigned long long)k->id, k->peer);
	if (s->ops.opened)
		s->ops.opened(s->ops.priv, k);
	conn_recv(k);
	return 0;
}

/* stop handing @k's lines (and reading) until jsonl_resume() */
void jsonl_pause(struct jsonl_conn *k)
{
	k->paused = true;
}

void jsonl_resume(struct jsonl_conn *k)
{
	if (!k->paused)
		return;
	k->paused = false;
	if (!k->busy)
		conn_step(k);	/* else the running take_lines() goes on */
}

/* close @k (its queued output is dropped) */
void jsonl_close(struct jsonl_conn *k)
{
	conn_close(k);
}

uint64_t jsonl_conn_id(const struct jsonl_conn *k)
{
	return k->id;
}

const char *jsonl_conn_peer(const struct jsonl_conn *k)
{
	return k->peer;
}

size_t jsonl_conn_queued(const struct jsonl_conn *k)
{
	return queued(k);
}

void jsonl_conn_set_data(struct jsonl_conn *k, void *data)
{
	k->data = data;
}

void *jsonl_conn_data(const struct jsonl_conn *k)
{
	return k->data;
}

/* iterate over the open connections (closing ones are skipped) */
struct jsonl_conn *jsonl_conn_first(struct jsonl *s)
{
	struct jsonl_conn *k = s->conns;

	while (k && k->closing)
		k = k->next;
	return k;
}

struct jsonl_conn *jsonl_conn_next(struct jsonl_conn *k)
{
	for (k = k->next; k && k->closing; k = k->next)
		;
	return k;
}

/* ------------------------------------------------------------ listening */

static void arm_accept(struct listener *li)
{
	struct io_uring_sqe *sqe;

	if (li->busy || li->fd < 0 || li->srv->down)
		return;
	sqe = loop_sqe(li->srv->loop);
	io_uring_prep_accept(sqe, li->fd, NULL, NULL, SOCK_CLOEXEC);
	io_uring_sqe_set_data64(sqe, loop_tag(li->srv->op, &li->io));
	li->busy = true;
}

static void peer_name(int fd, bool tcp, char *buf, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char host[48], port[8];

	snprintf(buf, len, "%s", tcp ? "tcp" : "unix");
	if (!tcp || getpeername(fd, (struct sockaddr *)&ss, &sl) ||
	    getnameinfo((struct sockaddr *)&ss, sl, host, sizeof(host), port, sizeof(port),
			NI_NUMERICHOST | NI_NUMERICSERV))
		return;
	snprintf(buf, len, "%s:%s", host, port);
}

static void on_accept(struct listener *li, int res)
{
	struct jsonl *s = li->srv;
	char peer[JSONL_PEER_LEN];
	int one = 1;

	li->busy = false;
	if (s->down) {
		if (res >= 0)
			close(res);
		return;
	}
	if (res >= 0) {
		peer_name(res, li->tcp, peer, sizeof(peer));
		/* one line is one message: do not hold small writes back */
		if (li->tcp)
			setsockopt(res, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (jsonl_adopt(s, res, peer) == -EMFILE)
			log_warn(s->name, "%u connections open: refused %s", s->lim.max_conns,
				 peer);
	} else if (res != -EINTR && res != -ECONNABORTED && res != -ECANCELED) {
		log_err(s->name, "accept: %s", strerror(-res));
	}
	arm_accept(li);
}

static void on_io(struct loop *l, void *ptr, int res, unsigned int flags)
{
	struct jsonl_io *io = ptr;

	(void)l;
	(void)flags;
	switch (io->kind) {
	case IO_ACCEPT:
		on_accept(io->owner, res);
		break;
	case IO_RECV:
		on_recv(io->owner, res);
		break;
	case IO_SEND:
		on_send(io->owner, res);
		break;
	}
}

static struct listener *new_listener(struct jsonl *s, int fd, bool tcp)
{
	struct listener *li = &s->lis[s->nlis++];

	memset(li, 0, sizeof(*li));
	li->io = (struct jsonl_io){ .kind = IO_ACCEPT, .owner = li };
	li->srv = s;
	li->fd = fd;
	li->tcp = tcp;
	return li;
}

/**
 * jsonl_listen_unix() - bind @path (mode 0660) and accept on it
 * @s: the server
 * @path: socket path; a stale socket there is replaced, any other file is
 *	an error (-EEXIST); its directory must exist
 * @uid: owner to give the socket ((uid_t)-1: leave)
 * @gid: group to give it ((gid_t)-1: leave)
 *
 * Return: 0 or a negative errno.
 */
int jsonl_listen_unix(struct jsonl *s, const char *path, uid_t uid, gid_t gid)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct listener *li;
	struct stat st;
	int fd, ret;

	if (s->nlis >= JSONL_MAX_LISTEN)
		return -ENOSPC;
	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (!lstat(path, &st)) {
		if (!S_ISSOCK(st.st_mode))
			return -EEXIST;
		unlink(path);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		ret = -errno;
		goto err_bind;
	}
	if (chmod(path, 0660) ||
	    ((uid != (uid_t)-1 || gid != (gid_t)-1) && chown(path, uid, gid)) ||
	    listen(fd, 16)) {
		ret = -errno;
		goto err_setup;
	}
	li = new_listener(s, fd, false);
	snprintf(li->path, sizeof(li->path), "%s", path);
	arm_accept(li);
	return 0;

err_setup:
	unlink(path);
err_bind:
	close(fd);
	return ret;
}

/**
 * jsonl_listen_tcp() - bind a TCP address and accept on it
 * @s: the server
 * @addr: a numeric IPv4 or IPv6 address ("127.0.0.1", "::", "0.0.0.0")
 * @port: the port; 0 picks a free one
 * @bound_port: receives the port bound (may be NULL)
 *
 * Return: 0, -EINVAL (not a numeric address) or a negative errno.
 */
int jsonl_listen_tcp(struct jsonl *s, const char *addr, unsigned int port,
		     unsigned int *bound_port)
{
	struct addrinfo hints = {
		.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
		.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE,
	};
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	struct addrinfo *ai;
	char pstr[8];
	int fd, ret, one = 1;

	if (s->nlis >= JSONL_MAX_LISTEN)
		return -ENOSPC;
	if (port > 65535)
		return -EINVAL;
	snprintf(pstr, sizeof(pstr), "%u", port);
	if (getaddrinfo(addr, pstr, &hints, &ai))
		return -EINVAL;
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		ret = -errno;
		goto err_socket;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) || listen(fd, 64) ||
	    getsockname(fd, (struct sockaddr *)&ss, &sl)) {
		ret = -errno;
		goto err_bind;
	}
	freeaddrinfo(ai);
	if (bound_port)
		*bound_port = ntohs(ss.ss_family == AF_INET6 ?
				    ((struct sockaddr_in6 *)&ss)->sin6_port :
				    ((struct sockaddr_in *)&ss)->sin_port);
	arm_accept(new_listener(s, fd, true));
	return 0;

err_bind:
	close(fd);
err_socket:
	freeaddrinfo(ai);
	return ret;
}

/* ---------------------------------------------------------------- server */

/**
 * jsonl_create() - a server on loop @l (its thread only)
 * @l: the loop
 * @op: the loop op all the server's operations are tagged with; jsonl
 *	installs its handler for it
 * @name: for log lines ("cti")
 * @ops: the owner's callbacks (copied); line, too_long, bad_line and
 *	drained are required
 * @lim: limits (copied)
 *
 * Return: the server, or NULL when out of memory.
 */
struct jsonl *jsonl_create(struct loop *l, enum loop_op op, const char *name,
			   const struct jsonl_ops *ops, const struct jsonl_limits *lim)
{
	struct jsonl *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->loop = l;
	s->op = op;
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->ops = *ops;
	s->lim = *lim;
	loop_on(l, op, on_io);
	return s;
}

/* stop accepting and close every connection (on the loop's thread) */
void jsonl_shutdown(struct jsonl *s)
{
	struct jsonl_conn *k, *next;
	unsigned int i;

	s->down = true;
	for (i = 0; i < s->nlis; i++)
		if (s->lis[i].busy)
			loop_cancel(s->loop, s->op, &s->lis[i].io);
	for (k = s->conns; k; k = next) {
		next = k->next;
		conn_close(k);
	}
}

/* free everything; the loop must have no operation of @s in flight */
void jsonl_destroy(struct jsonl *s)
{
	struct jsonl_conn *k, *next;
	unsigned int i;

	if (!s)
		return;
	for (k = s->conns; k; k = next) {
		next = k->next;
		if (!k->closing && s->ops.closed)
			s->ops.closed(s->ops.priv, k);
		if (k->fd >= 0)
			close(k->fd);
		free(k->in);
		free(k->out);
		free(k->pend);
		free(k);
	}
	for (i = 0; i < s->nlis; i++) {
		close(s->lis[i].fd);
		if (s->lis[i].path[0])
			unlink(s->lis[i].path);
	}
	free(s);
}

unsigned int jsonl_conns(const struct jsonl *s)
{
	return s->nconns;
}

const char *jsonl_name(const struct jsonl *s)
{
	return s->name;
}
