// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd-cti: a CTI client for the QEMU scenarios (Documentation/cti.md),
 * over the Unix socket or TCP.
 *
 *   tdmxd-cti -u SOCKET | -t ADDR:PORT [-w SECONDS] [-r SECONDS] [-e EVENTS]
 *             [REQUEST...]
 *
 *   -u SOCKET   the CTI Unix socket
 *   -t ADDR:PORT  the CTI TCP listener (numeric IPv4 address)
 *   -w SECONDS  wait up to this long for the socket to accept (default 0)
 *   -r SECONDS  how long to wait for each reply (default 15: a wrong
 *               token's reply comes after the auth delay)
 *   -e EVENTS   with REQUEST arguments: after the last reply, wait for
 *               this many more event lines (a resync's replayed events)
 *
 * With REQUEST arguments: each is sent in turn and its reply awaited; event
 * lines that come in between are printed too. Without: a session: request
 * lines are read from stdin (a FIFO the scenario keeps open) and sent as
 * they come, and every line from the daemon (replies and events) is
 * printed as it arrives, so the scenario can watch a long-lived client
 * (an agent desktop, a supervisor's wallboard) in its output file. At the
 * end of stdin the session waits for the outstanding replies, then exits.
 *
 * A reply is a line that is not an event (events start {"event"). Empty
 * request lines are keep-alives and get no reply (cti.md), so they are
 * not counted.
 *
 * Exit status: 0 when every request got a reply (with REQUEST arguments:
 * and every reply has "ok":true), 1 when one did not or the daemon closed
 * the connection, 2 when the socket cannot be reached.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "ktest.h"

#define LINE_MAX_LEN 65536

/* bytes read from one fd and not yet split into lines */
struct rbuf {
	int fd;
	char buf[LINE_MAX_LEN];
	size_t len;
	int eof;
};

static struct rbuf sock_in, std_in = { .fd = 0 };
static unsigned int reply_s = 15, events;

/* one complete line out of @b (newline dropped) into @line, or 0 */
static int take_line(struct rbuf *b, char *line)
{
	char *nl = memchr(b->buf, '\n', b->len);
	size_t n;

	if (!nl) {
		/* a line longer than the buffer: hand it over in pieces */
		if (b->len < sizeof(b->buf) - 1 && !(b->eof && b->len))
			return 0;
		nl = b->buf + b->len;
	}
	n = (size_t)(nl - b->buf);
	memcpy(line, b->buf, n);
	line[n] = 0;
	if (n < b->len)
		n++;
	b->len -= n;
	memmove(b->buf, b->buf + n, b->len);
	return 1;
}

/* read what is there; 0, or -1 at EOF/error with nothing buffered */
static int fill(struct rbuf *b)
{
	ssize_t n = read(b->fd, b->buf + b->len, sizeof(b->buf) - 1 - b->len);

	if (n <= 0) {
		b->eof = 1;
		return b->len ? 0 : -1;
	}
	b->len += (size_t)n;
	return 0;
}

static int is_event(const char *line)
{
	return !strncmp(line, "{\"event\"", 8);
}

static int send_line(int fd, const char *s)
{
	size_t n = strlen(s);

	if (write(fd, s, n) != (ssize_t)n || write(fd, "\n", 1) != 1) {
		fprintf(stderr, "tdmxd-cti: write: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------- connecting */

static int connect_unix(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -errno;
	}
	return fd;
}

static int connect_tcp(const char *addr)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	char host[64], *colon;
	int fd;

	snprintf(host, sizeof(host), "%s", addr);
	colon = strrchr(host, ':');
	if (!colon)
		return -EINVAL;
	*colon = 0;
	sa.sin_port = htons((uint16_t)kt_uint(colon + 1, "the TCP port", 1, 65535));
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1)
		return -EINVAL;
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -errno;
	}
	return fd;
}

static int connect_retry(const char *unix_path, const char *tcp, unsigned int wait_s)
{
	double end = kt_now_ms() + wait_s * 1000.0;
	int fd;

	for (;;) {
		fd = unix_path ? connect_unix(unix_path) : connect_tcp(tcp);
		if (fd >= 0 || fd == -EINVAL || kt_now_ms() > end)
			return fd;
		usleep(100 * 1000);
	}
}

/* ------------------------------------------------------------- modes */

/* the next reply on the socket, printing the events before it; NULL when none came */
static const char *next_reply(char *line)
{
	double end = kt_now_ms() + reply_s * 1000.0;
	struct pollfd p = { .fd = sock_in.fd, .events = POLLIN };

	for (;;) {
		while (take_line(&sock_in, line)) {
			printf("%s\n", line);
			if (!is_event(line))
				return line;
		}
		if (sock_in.eof || kt_now_ms() > end)
			return NULL;
		if (poll(&p, 1, (int)(end - kt_now_ms()) + 1) > 0 && fill(&sock_in) < 0)
			return NULL;
	}
}

/* the next event line on the socket within the reply time; 0 when none came */
static int next_event(char *line)
{
	double end = kt_now_ms() + reply_s * 1000.0;
	struct pollfd p = { .fd = sock_in.fd, .events = POLLIN };

	for (;;) {
		if (take_line(&sock_in, line)) {
			printf("%s\n", line);
			if (is_event(line))
				return 1;
			continue;
		}
		if (sock_in.eof || kt_now_ms() > end)
			return 0;
		if (poll(&p, 1, (int)(end - kt_now_ms()) + 1) > 0 && fill(&sock_in) < 0)
			return 0;
	}
}

/* REQUEST arguments: one reply each, all must be ok; then @events events */
static int run_requests(char **req, int n)
{
	static char line[LINE_MAX_LEN];
	int i, ret = KT_PASS;
	unsigned int e;

	for (i = 0; i < n; i++) {
		if (send_line(sock_in.fd, req[i]))
			return KT_FAIL;
		if (!next_reply(line)) {
			fflush(stdout);
			fprintf(stderr, "tdmxd-cti: no reply to %s\n", req[i]);
			return KT_FAIL;
		}
		if (strncmp(line, "{\"ok\":true", 10))
			ret = KT_FAIL;
	}
	for (e = 0; e < events; e++) {
		if (!next_event(line)) {
			fflush(stdout);
			fprintf(stderr, "tdmxd-cti: only %u of %u events came\n", e, events);
			return KT_FAIL;
		}
	}
	fflush(stdout);
	return ret;
}

/* a session: stdin to the socket, the socket to stdout, line by line */
static int run_session(void)
{
	static char line[LINE_MAX_LEN];
	struct pollfd p[2] = { { .fd = sock_in.fd, .events = POLLIN },
			       { .fd = 0, .events = POLLIN } };
	unsigned long sent = 0, replies = 0;
	double end = 0;

	for (;;) {
		while (take_line(&sock_in, line)) {
			printf("%s\n", line);
			if (!is_event(line))
				replies++;
		}
		fflush(stdout);
		while (!std_in.eof || std_in.len) {
			if (!take_line(&std_in, line))
				break;
			if (send_line(sock_in.fd, line))
				return KT_FAIL;
			if (line[0])
				sent++;
		}
		if (std_in.eof && !std_in.len) {
			if (replies >= sent)
				return KT_PASS;
			if (!end)
				end = kt_now_ms() + reply_s * 1000.0;
			if (kt_now_ms() > end) {
				fprintf(stderr, "tdmxd-cti: %lu of %lu replies came\n", replies, sent);
				return KT_FAIL;
			}
		}
		if (sock_in.eof) {
			fprintf(stderr, "tdmxd-cti: the daemon closed the connection\n");
			return KT_FAIL;
		}
		p[1].fd = std_in.eof ? -1 : 0;
		if (poll(p, 2, 200) <= 0)
			continue;
		if (p[0].revents && fill(&sock_in) < 0)
			continue;	/* reported at the top of the loop */
		if (p[1].revents)
			fill(&std_in);
	}
}

int main(int argc, char **argv)
{
	const char *unix_path = NULL, *tcp = NULL;
	unsigned int wait_s = 0;
	int fd, c;

	kt_prog = "tdmxd-cti";
	while ((c = getopt(argc, argv, "u:t:w:r:e:")) != -1) {
		switch (c) {
		case 'u':
			unix_path = optarg;
			break;
		case 't':
			tcp = optarg;
			break;
		case 'w':
			wait_s = (unsigned int)kt_uint(optarg, "-w", 0, 600);
			break;
		case 'e':
			events = (unsigned int)kt_uint(optarg, "-e", 0, 1000000);
			break;
		case 'r':
			reply_s = (unsigned int)kt_uint(optarg, "-r", 1, 600);
			break;
		default:
			goto usage;
		}
	}
	if (!unix_path == !tcp)
		goto usage;
	fd = connect_retry(unix_path, tcp, wait_s);
	if (fd < 0) {
		fprintf(stderr, "tdmxd-cti: connect %s: %s\n", unix_path ? unix_path : tcp,
			strerror(-fd));
		return KT_SETUP;
	}
	sock_in.fd = fd;
	if (optind < argc)
		c = run_requests(argv + optind, argc - optind);
	else
		c = run_session();
	close(fd);
	return c;

usage:
	fprintf(stderr, "usage: tdmxd-cti -u SOCKET | -t ADDR:PORT [-w SECONDS] [-r SECONDS] [-e EVENTS] [REQUEST...]\n");
	return KT_SETUP;
}
