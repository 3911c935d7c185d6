// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdmxd-ctl: send requests to tdmxd's control socket, print the replies.
 *
 *   tdmxd-ctl [-s SOCKET] [-w SECONDS] [-e EVENTS] REQUEST...
 *
 *   -s SOCKET   the control socket (default /run/tdmxd/control)
 *   -w SECONDS  wait up to this long for the socket to accept (default 0)
 *   -e EVENTS   after the replies, wait for this many event lines (5 s)
 *
 * Each REQUEST is one JSON object ({"cmd":"status"}); its reply line is
 * printed on stdout. Exit status: 0 when every reply has "ok":true, 1 when
 * one does not (or an event did not come), 2 when the socket cannot be
 * reached.
 */
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "ktest.h"

static char buf[65536];
static size_t len;

/* one line from @fd within @ms, without its newline; NULL on timeout/EOF */
static char *read_line(int fd, int ms)
{
	static char line[sizeof(buf)];
	double end = kt_now_ms() + ms;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char *nl;
	ssize_t n;

	for (;;) {
		nl = memchr(buf, '\n', len);
		if (nl) {
			*nl = 0;
			snprintf(line, sizeof(line), "%s", buf);
			len -= (size_t)(nl + 1 - buf);
			memmove(buf, nl + 1, len);
			return line;
		}
		if (kt_now_ms() > end || len == sizeof(buf) - 1)
			return NULL;
		if (poll(&p, 1, (int)(end - kt_now_ms()) + 1) <= 0)
			continue;
		n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n <= 0)
			return NULL;
		len += (size_t)n;
	}
}

static int connect_to(const char *path, unsigned int wait_s)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	double end = kt_now_ms() + wait_s * 1000.0;
	int fd;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	for (;;) {
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -errno;
		if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
			return fd;
		close(fd);
		if (kt_now_ms() > end)
			return -errno;
		usleep(100 * 1000);
	}
}

int main(int argc, char **argv)
{
	const char *path = "/run/tdmxd/control";
	unsigned int wait_s = 0, events = 0, i;
	int fd, c, ret = KT_PASS;
	char *reply;

	kt_prog = "tdmxd-ctl";
	while ((c = getopt(argc, argv, "s:w:e:")) != -1) {
		switch (c) {
		case 's':
			path = optarg;
			break;
		case 'w':
			wait_s = (unsigned int)kt_uint(optarg, "-w", 0, 600);
			break;
		case 'e':
			events = (unsigned int)kt_uint(optarg, "-e", 0, 100000);
			break;
		default:
			fprintf(stderr, "usage: tdmxd-ctl [-s SOCKET] [-w SECONDS] [-e EVENTS] REQUEST...\n");
			return KT_SETUP;
		}
	}
	fd = connect_to(path, wait_s);
	if (fd < 0) {
		fprintf(stderr, "tdmxd-ctl: connect %s: %s\n", path, strerror(-fd));
		return KT_SETUP;
	}
	for (i = (unsigned int)optind; i < (unsigned int)argc; i++) {
		size_t n = strlen(argv[i]);

		if (write(fd, argv[i], n) != (ssize_t)n || write(fd, "\n", 1) != 1) {
			fprintf(stderr, "tdmxd-ctl: write: %s\n", strerror(errno));
			return KT_SETUP;
		}
		reply = read_line(fd, 10000);
		if (!reply) {
			fprintf(stderr, "tdmxd-ctl: no reply to %s\n", argv[i]);
			return KT_FAIL;
		}
		printf("%s\n", reply);
		fflush(stdout);	/* a script may wait for the reply while events come */
		if (strncmp(reply, "{\"ok\":true", 10))
			ret = KT_FAIL;
	}
	for (i = 0; i < events; i++) {
		reply = read_line(fd, 5000);
		if (!reply) {
			fprintf(stderr, "tdmxd-ctl: only %u of %u events came\n", i, events);
			return KT_FAIL;
		}
		printf("%s\n", reply);
	}
	fflush(stdout);
	close(fd);
	return ret;
}
