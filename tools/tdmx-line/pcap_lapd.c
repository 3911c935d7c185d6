// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * LAPD frames in pcap files, link type 177 (LINUX_LAPD). Each packet is a
 * 16-byte big-endian pseudo-header, then the frame from the LAPD address
 * on, without FCS:
 *
 *   u16 packet type   0 = received (we decode what came in on the line)
 *   u16 hatype        8445 (ARPHRD_LAPD)
 *   u16 halen         1
 *   u8  addr[8]       addr[0] = 0: we are the user side
 *   u16 protocol      0x0030 (ETH_P_LAPD)
 *
 * The packet time is the line time: bit position / line rate, seconds
 * from the start of the raw file.
 */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "hdlc.h"
#include "line.h"

#define LAPD_HDR 16
#define LAPD_HATYPE 8445
#define LAPD_PROTOCOL 0x0030
#define LAPD_SNAPLEN (LAPD_HDR + TDMX_HDLC_MAX_FRAME)

#ifndef DLT_LINUX_LAPD
#define DLT_LINUX_LAPD 177
#endif
#ifndef DLT_LAPD
#define DLT_LAPD 203
#endif

struct line_pcap {
	pcap_t *pd;
	pcap_dumper_t *d;
	const char *path;
	u8 pkt[LAPD_SNAPLEN];
};

/**
 * line_pcap_create() - create a LINUX_LAPD capture file
 * @p: set to the new writer
 * @path: file name ("-" is refused: stdout carries the events)
 *
 * Return: 0 or a negative errno (message printed).
 */
int line_pcap_create(struct line_pcap **p, const char *path)
{
	struct line_pcap *w;

	if (!strcmp(path, "-"))
		return line_err("%s: cannot write a capture to stdout (it carries the events)",
				path);
	w = calloc(1, sizeof(*w));
	if (!w)
		return line_errno(ENOMEM, "%s", path);
	w->path = path;
	w->pd = pcap_open_dead(DLT_LINUX_LAPD, LAPD_SNAPLEN);
	if (!w->pd) {
		free(w);
		return line_errno(ENOMEM, "%s", path);
	}
	w->d = pcap_dump_open(w->pd, path);
	if (!w->d) {
		line_err("%s: %s", path, pcap_geterr(w->pd));
		pcap_close(w->pd);
		free(w);
		return -EACCES;
	}
	/* pseudo-header: all but the packet type is the same for every frame */
	w->pkt[3] = LAPD_HATYPE & 0xFF;
	w->pkt[2] = LAPD_HATYPE >> 8;
	w->pkt[5] = 1;
	w->pkt[15] = LAPD_PROTOCOL;
	*p = w;
	return 0;
}

/**
 * line_pcap_write_lapd() - append one received frame
 * @p: writer
 * @bit: line bit the frame was completed at
 * @rate: line rate in bit/s, for the timestamp
 * @frame: LAPD frame from the address on, FCS removed
 * @len: its length
 *
 * Return: 0 or -EINVAL for a frame longer than the snap length.
 */
int line_pcap_write_lapd(struct line_pcap *p, u64 bit, unsigned int rate,
			 const u8 *frame, unsigned int len)
{
	struct pcap_pkthdr h;

	if (len > TDMX_HDLC_MAX_FRAME)
		return line_err("%s: frame of %u octets is too long", p->path, len);
	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = bit / rate;
	h.ts.tv_usec = (bit % rate) * 1000000 / rate;
	h.caplen = h.len = LAPD_HDR + len;
	memcpy(p->pkt + LAPD_HDR, frame, len);
	pcap_dump((u_char *)p->d, &h, p->pkt);
	return 0;
}

/**
 * line_pcap_close() - flush and close a capture (and free @p)
 * @p: writer, may be NULL
 *
 * Return: 0 or -EIO if the file could not be written.
 */
int line_pcap_close(struct line_pcap *p)
{
	int ret = 0;

	if (!p)
		return 0;
	if (pcap_dump_flush(p->d) || ferror(pcap_dump_file(p->d)))
		ret = line_errno(EIO, "%s", p->path);
	pcap_dump_close(p->d);
	pcap_close(p->pd);
	free(p);
	return ret;
}

/**
 * line_pcap_magic() - do these four octets start a pcap or pcapng file?
 * @magic: the first four octets of a file
 *
 * Return: true for classic pcap (either byte order, micro- or nanosecond)
 * and for a pcapng section header.
 */
bool line_pcap_magic(const u8 magic[4])
{
	static const u8 known[][4] = {
		{ 0xa1, 0xb2, 0xc3, 0xd4 }, { 0xd4, 0xc3, 0xb2, 0xa1 },
		{ 0xa1, 0xb2, 0x3c, 0x4d }, { 0x4d, 0x3c, 0xb2, 0xa1 },
		{ 0x0a, 0x0d, 0x0d, 0x0a },
	};
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!memcmp(magic, known[i], 4))
			return true;
	return false;
}

/**
 * line_frames_load_pcap() - append the frames of a LAPD capture
 * @fr: frame list
 * @path: pcap or pcapng file of link type 177 (LINUX_LAPD, 16-byte
 *	pseudo-header stripped) or 203 (LAPD, taken as is)
 *
 * Return: 0 or a negative errno (message printed).
 */
int line_frames_load_pcap(struct line_frames *fr, const char *path)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	unsigned int skip;
	u64 n = 0;
	pcap_t *pd;
	int ret, dlt;

	pd = pcap_open_offline(path, errbuf);
	if (!pd)
		return line_err("%s: %s", path, errbuf);
	dlt = pcap_datalink(pd);
	if (dlt != DLT_LINUX_LAPD && dlt != DLT_LAPD) {
		ret = line_err("%s: link type %d is not LAPD (177 LINUX_LAPD or 203 LAPD)",
			       path, dlt);
		goto out;
	}
	skip = dlt == DLT_LINUX_LAPD ? LAPD_HDR : 0;
	while ((ret = pcap_next_ex(pd, &h, &data)) == 1) {
		n++;
		if (h->caplen < h->len) {
			ret = line_err("%s: packet %llu is truncated (%u of %u octets captured)",
				       path, (unsigned long long)n, h->caplen, h->len);
			goto out;
		}
		if (h->caplen <= skip) {
			ret = line_err("%s: packet %llu is shorter than the LAPD pseudo-header",
				       path, (unsigned long long)n);
			goto out;
		}
		ret = line_frames_add(fr, data + skip, h->caplen - skip, path);
		if (ret)
			goto out;
	}
	if (ret == PCAP_ERROR) {
		ret = line_err("%s: %s", path, pcap_geterr(pd));
		goto out;
	}
	ret = 0;
out:
	pcap_close(pd);
	return ret;
}
