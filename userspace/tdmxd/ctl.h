/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tdmxd control socket: a Unix stream socket speaking JSON lines (the
 * protocol is in Documentation/tdmxd.md). One request object per line,
 * {"cmd":"bridge","a":"1/5","b":"2/5"}, optionally with an "id" that the
 * reply repeats; one reply line per request, in order:
 * {"ok":true,...} or {"ok":false,"error":"..."}. Events (DTMF digits,
 * call progress tones, playback and recording ends) are pushed as {"event":...} lines on the
 * connections that asked for them. A bad line gets an error reply and the
 * connection carries on.
 *
 * ctl parses and checks every request itself (names, types, ports) and
 * hands a struct ctl_req to a backend, the media engine in the daemon and
 * a fake one in the unit test. All of it runs on one loop's thread;
 * ctl_event() may be called from any thread. The connections are a jsonl
 * server's (jsonl.h) on the loop op LOOP_OP_CTL.
 */
#ifndef TDMXD_CTL_H
#define TDMXD_CTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "libtdmx.h"
#include "loop.h"
#include "media.h"

#define CTL_LINE_MAX		4000	/* longest request line, newline excluded */
#define CTL_MAX_CONNS		64
#define CTL_OUT_MAX		(1u << 20)	/* queued output before events are dropped */
#define CTL_MAX_PROMPTS		16
#define CTL_ERR_LEN		256

enum ctl_cmd {
	CTL_BRIDGE = 1,		/* a, b */
	CTL_UNBRIDGE,		/* a (either port of the bridge) */
	CTL_CONF_JOIN,		/* conf, a, mode (talk|listen) */
	CTL_CONF_LEAVE,		/* a */
	CTL_CONF_MODE,		/* a, mode */
	CTL_SUPERVISE,		/* a = supervisor, b = agent, mode */
	CTL_PLAY,		/* a, prompts[] or tone, loop, bargein */
	CTL_STOP,		/* a */
	CTL_TONE,		/* a, tone */
	CTL_RECORD_START,	/* a [, b] or conf, stereo, pcm16, call [, rec] */
	CTL_RECORD_STOP,	/* rec */
	CTL_RECORD_PAUSE,	/* rec */
	CTL_RECORD_RESUME,	/* rec */
	CTL_RECORD_INFO,	/* rec: its index row */
	CTL_DTMF_SUBSCRIBE,	/* a */
	CTL_DTMF_UNSUBSCRIBE,	/* a */
	CTL_STATUS,
	CTL_PROGRESS_SUBSCRIBE,		/* a */
	CTL_PROGRESS_UNSUBSCRIBE,	/* a */
	CTL_HDLC_SUBSCRIBE,	/* a: a D-channel's received frames */
	CTL_HDLC_UNSUBSCRIBE,	/* a */
	CTL_HDLC_SEND,		/* a, frame */
	__CTL_CMD_MAX
};

enum ctl_conf_mode {
	CTL_CONF_TALK = 1,	/* talks and listens */
	CTL_CONF_LISTEN,	/* listens only */
};

enum ctl_sup_mode {
	CTL_SUP_NONE = 1,	/* end supervision */
	CTL_SUP_LISTEN,		/* supervisor hears both sides */
	CTL_SUP_WHISPER,	/* the agent hears the supervisor, the caller not */
	CTL_SUP_BARGE,		/* three-way */
};

/* kinds of event, for routing */
enum ctl_ev {
	CTL_EV_DTMF = 1,	/* to connections subscribed to the port */
	CTL_EV_CONN,		/* to one connection (the one that started it) */
	CTL_EV_PROGRESS,	/* to connections subscribed to the port's call progress */
	CTL_EV_HDLC,		/* to connections subscribed to the D-channel's frames */
};

/**
 * struct ctl_req - one checked request
 * @cmd: what
 * @conn: id of the connection it came on (events for it go there)
 * @a: the port (bridge: first side; supervise: the supervisor)
 * @b: the second port (bridge, supervise: the agent; record: other leg)
 * @conf: conference name
 * @mode: enum ctl_conf_mode or enum ctl_sup_mode
 * @prompts: play: prompt names, played in order
 * @nprompts: entries in @prompts
 * @tone: play/tone: tone name (dial, busy, ringback, congestion, ...)
 * @loop: play: repeat until stopped
 * @bargein: play: a DTMF digit on the port stops it
 * @stereo: record: two channels (a left, b right) instead of one mixed
 * @pcm16: record: 16-bit linear PCM instead of the span's law
 * @call: record: call id for the index
 * @rec: record_start: the id to give it (NULL: the backend picks one);
 *	stop/pause/resume: which recording
 * @frame: hdlc_send: the payload (decoded from hex), @frame_len octets
 *
 * Strings point into the parsed line and live until the backend returns.
 */
struct ctl_req {
	enum ctl_cmd cmd;
	uint64_t conn;
	media_port a, b;
	const char *conf;
	unsigned int mode;
	const char *prompts[CTL_MAX_PROMPTS];
	unsigned int nprompts;
	const char *tone;
	bool loop;
	bool bargein;
	bool stereo;
	bool pcm16;
	const char *call;
	const char *rec;
	const uint8_t *frame;
	size_t frame_len;
};

struct ctl_reply;

/* handle() took the reply over with ctl_reply_defer() */
#define CTL_DEFERRED	1

/**
 * struct ctl_backend - what carries requests out
 * @handle: do @q; add reply members with ctl_reply_json() (after "ok":true)
 *	or set an error with ctl_reply_error(). Return: 0, or a negative
 *	errno (the reply then says the error message, or strerror), or
 *	CTL_DEFERRED after ctl_reply_defer(): the reply comes later through
 *	ctl_defer_done(), and the connection's next request waits for it
 * @conn_closed: a connection went away (drop its subscriptions); may be NULL
 * @priv: for both
 */
struct ctl_backend {
	int (*handle)(void *priv, const struct ctl_req *q, struct ctl_reply *r);
	void (*conn_closed)(void *priv, uint64_t conn);
	void *priv;
};

struct ctl;

struct ctl *ctl_create(struct loop *l, const struct ctl_backend *be);
int ctl_listen(struct ctl *c, const char *path, uid_t uid, gid_t gid);
int ctl_adopt(struct ctl *c, int fd);
void ctl_shutdown(struct ctl *c);
void ctl_destroy(struct ctl *c);
unsigned int ctl_conns(const struct ctl *c);

struct tdmx_json *ctl_reply_json(struct ctl_reply *r);
int ctl_reply_error(struct ctl_reply *r, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

struct ctl_defer;

struct ctl_defer *ctl_reply_defer(struct ctl_reply *r);
void ctl_defer_done(struct ctl_defer *d, int err, const char *msg, const char *members);

int ctl_event(struct ctl *c, enum ctl_ev kind, media_port port, uint64_t conn,
	      const char *json);

const char *ctl_cmd_name(enum ctl_cmd cmd);

/* a (un)subscription to a port's events: DTMF digits or call progress */
static inline bool ctl_cmd_subscribes(enum ctl_cmd cmd)
{
	return cmd == CTL_DTMF_SUBSCRIBE || cmd == CTL_DTMF_UNSUBSCRIBE ||
	       cmd == CTL_PROGRESS_SUBSCRIBE || cmd == CTL_PROGRESS_UNSUBSCRIBE;
}

/* a D-channel command (dchan_ctl.c carries it out, not the media engine) */
static inline bool ctl_cmd_hdlc(enum ctl_cmd cmd)
{
	return cmd == CTL_HDLC_SUBSCRIBE || cmd == CTL_HDLC_UNSUBSCRIBE || cmd == CTL_HDLC_SEND;
}
int ctl_port_parse(const char *s, media_port *p);
const char *ctl_port_text(char buf[16], media_port p);

#endif /* TDMXD_CTL_H */
