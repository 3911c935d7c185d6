// SPDX-License-Identifier: GPL-2.0-only
/*
 * Names of receiver events and alarms, as tdmx-line prints them and the
 * netlink layer reports them.
 */
#include "event.h"

static const char *const ev_names[TDMX_FR_EV_COUNT] = {
	[TDMX_FR_EV_FRAME_SYNC] = "frame_sync",
	[TDMX_FR_EV_FRAME_LOSS] = "frame_loss",
	[TDMX_FR_EV_CRC4_SYNC] = "crc4_sync",
	[TDMX_FR_EV_CRC4_LOSS] = "crc4_loss",
	[TDMX_FR_EV_CRC4_INTERWORKING] = "crc4_interworking",
	[TDMX_FR_EV_CRC4_ERROR] = "crc4_error",
	[TDMX_FR_EV_EBIT] = "ebit",
	[TDMX_FR_EV_CAS_SYNC] = "cas_sync",
	[TDMX_FR_EV_CAS_LOSS] = "cas_loss",
	[TDMX_FR_EV_ABCD] = "abcd",
	[TDMX_FR_EV_ALARM] = "alarm",
	[TDMX_FR_EV_CRC6_ERROR] = "crc6_error",
};

static const char *const alarm_names[TDMX_FR_ALARM_COUNT] = {
	[TDMX_FR_ALARM_LOS] = "los",
	[TDMX_FR_ALARM_AIS] = "ais",
	[TDMX_FR_ALARM_LOF] = "lof",
	[TDMX_FR_ALARM_RAI] = "rai",
	[TDMX_FR_ALARM_TS16_AIS] = "ts16_ais",
	[TDMX_FR_ALARM_CAS_RMFA] = "cas_rmfa",
	[TDMX_FR_ALARM_YELLOW] = "yellow",
};

/**
 * tdmx_fr_ev_name() - the name of an event type
 * @type: enum tdmx_fr_ev_type
 *
 * Return: a static string, "unknown" for values out of range.
 */
const char *tdmx_fr_ev_name(unsigned int type)
{
	return type < TDMX_FR_EV_COUNT ? ev_names[type] : "unknown";
}

/**
 * tdmx_fr_alarm_name() - the name of an alarm
 * @alarm: enum tdmx_fr_alarm
 *
 * Return: a static string, "unknown" for values out of range.
 */
const char *tdmx_fr_alarm_name(unsigned int alarm)
{
	return alarm < TDMX_FR_ALARM_COUNT ? alarm_names[alarm] : "unknown";
}
