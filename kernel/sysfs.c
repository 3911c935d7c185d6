// SPDX-License-Identifier: GPL-2.0-only
/*
 * sysfs attributes of span devices (/sys/class/tdmx/tdmxs<N>/: name, line,
 * framing, alarms, channels) and channel devices (/sys/class/tdmx/
 * tdmxc<N>.<ts>/: span, timeslot, type), for udev rules and quick looks.
 */
#include <linux/device.h>
#include <linux/sysfs.h>

#include "tdmx.h"

static const char *const line_names[] = { [TDMX_LINE_E1] = "e1", [TDMX_LINE_T1] = "t1" };
static const char *const framing_names[] = {
	[TDMX_FRAMING_E1_UNFRAMED] = "e1-unframed", [TDMX_FRAMING_E1] = "e1",
	[TDMX_FRAMING_E1_CRC4] = "e1-crc4", [TDMX_FRAMING_T1_D4] = "t1-d4",
	[TDMX_FRAMING_T1_ESF] = "t1-esf",
};

static ssize_t name_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct tdmx_span *span = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%s\n", span->name);
}
static DEVICE_ATTR_RO(name);

static ssize_t line_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct tdmx_span *span = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%s\n", line_names[span->line]);
}
static DEVICE_ATTR_RO(line);

static ssize_t framing_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct tdmx_span *span = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%s\n", framing_names[READ_ONCE(span->cfg.framing)]);
}
static DEVICE_ATTR_RO(framing);

static ssize_t alarms_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct tdmx_span *span = dev_get_drvdata(dev);

	return sysfs_emit(buf, "0x%x\n", READ_ONCE(span->alarms));
}
static DEVICE_ATTR_RO(alarms);

static ssize_t channels_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct tdmx_span *span = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%u\n", span->nchans);
}
static DEVICE_ATTR_RO(channels);

static struct attribute *span_attrs[] = {
	&dev_attr_name.attr,
	&dev_attr_line.attr,
	&dev_attr_framing.attr,
	&dev_attr_alarms.attr,
	&dev_attr_channels.attr,
	NULL,
};

const struct attribute_group tdmx_span_attr_group = {
	.attrs = span_attrs,
};

static const char *const chan_type_names[] = {
	[TDMX_CHAN_UNUSED] = "unused", [TDMX_CHAN_VOICE] = "voice",
	[TDMX_CHAN_CLEAR] = "clear", [TDMX_CHAN_HDLC] = "hdlc", [TDMX_CHAN_CAS] = "cas",
};

static ssize_t span_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct tdmx_chan *chan = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%u\n", chan->span->id);
}
static DEVICE_ATTR_RO(span);

static ssize_t timeslot_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct tdmx_chan *chan = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%u\n", chan->no);
}
static DEVICE_ATTR_RO(timeslot);

static ssize_t type_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct tdmx_chan *chan = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%s\n", chan_type_names[READ_ONCE(chan->type)]);
}
static DEVICE_ATTR_RO(type);

static struct attribute *chan_attrs[] = {
	&dev_attr_span.attr,
	&dev_attr_timeslot.attr,
	&dev_attr_type.attr,
	NULL,
};

static const struct attribute_group chan_group = {
	.attrs = chan_attrs,
};

const struct attribute_group *tdmx_chan_attr_groups[] = {
	&chan_group,
	NULL,
};
