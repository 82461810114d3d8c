"""Briefing slot arithmetic: when a daily "HH:MM in a zone" falls, across DST, and what is due.

Pure functions of their arguments (the clock comes in as `now`). Every datetime returned is UTC.

A local time that does not exist (spring forward, 02:30 in New York) is read with the offset in
force just before the jump, so the briefing goes out at the same instant a clock that had not
yet moved would show (03:30 local); a time that happens twice (fall back) means its first
occurrence. Either way there is exactly one slot per local day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from briefings.errors import ConfigError
from briefings.store.values import ChannelSettings

__all__ = ["SlotDecision", "channel_zone", "clock_time", "due_slot", "is_zone", "next_slot",
           "parse_time", "previous_slot", "slot_on", "zone", "zone_name"]

# The one reading of a time of day: 08:00, 8:00, 08.00 or 8h00 on a 24-hour clock.
_HHMM = re.compile(r"^([01]?\d|2[0-3])[:.h]([0-5]\d)$")
MAX_ZONE_CHARS = 64


def parse_time(text: str) -> time:
    """'08:00' -> time(8, 0); ConfigError for anything else."""
    match = _HHMM.match((text or "").strip())
    if not match:
        raise ConfigError(f"not a time of day: {text!r} — use 24-hour HH:MM, such as 08:00")
    return time(int(match.group(1)), int(match.group(2)))


def clock_time(text: str) -> str | None:
    """The time of day `text` names, as HH:MM; None when it names none."""
    try:
        return parse_time(text).strftime("%H:%M")
    except ConfigError:
        return None


def is_zone(name: str) -> bool:
    try:
        zone(name)
    except ConfigError:
        return False
    return True


# Abbreviations people type for zones they mean; each names the zone it stands for here.
ZONE_ABBREVIATIONS = {
    "JST": "Asia/Tokyo", "KST": "Asia/Seoul", "IST": "Asia/Kolkata", "ICT": "Asia/Bangkok",
    "MMT": "Asia/Yangon", "PKT": "Asia/Karachi", "MSK": "Europe/Moscow", "EET": "Europe/Kyiv",
    "EEST": "Europe/Kyiv", "CET": "Europe/Paris", "CEST": "Europe/Paris", "WET": "Europe/Lisbon",
    "BST": "Europe/London", "EAT": "Africa/Nairobi", "CAT": "Africa/Maputo",
    "WAT": "Africa/Lagos", "EST": "America/New_York", "EDT": "America/New_York",
    "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles", "GMT": "UTC", "Z": "UTC",
}


def zone_name(name: str) -> str:
    """The IANA name for `name`, mapping common abbreviations ("JST" → "Asia/Tokyo")."""
    return ZONE_ABBREVIATIONS.get(name.strip().upper(), name.strip())


def zone(name: str) -> ZoneInfo:
    """The IANA zone `name`; ConfigError when unknown."""
    name = (name or "").strip()
    try:
        if len(name) > MAX_ZONE_CHARS or not name:
            raise ValueError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise ConfigError(f"unknown time zone: {name!r} — use an IANA name such as Europe/Kyiv "
                          "or Asia/Tokyo, or an abbreviation such as JST or CET") from exc


def slot_on(day: date, hhmm: str, tz: str) -> datetime:
    """The UTC instant of `hhmm` on local `day` in zone `tz`."""
    local = datetime.combine(day, parse_time(hhmm), tzinfo=zone(tz))  # fold=0: first occurrence
    return local.astimezone(UTC)


def previous_slot(now: datetime, hhmm: str, tz: str) -> datetime:
    """The latest slot at or before `now`."""
    today = now.astimezone(zone(tz)).date()
    for offset in range(0, 3):
        slot = slot_on(today - timedelta(days=offset), hhmm, tz)
        if slot <= now:
            return slot
    raise AssertionError("unreachable: a slot exists every local day")


def next_slot(now: datetime, hhmm: str, tz: str) -> datetime:
    """The earliest slot strictly after `now`."""
    today = now.astimezone(zone(tz)).date()
    for offset in range(-1, 3):
        slot = slot_on(today + timedelta(days=offset), hhmm, tz)
        if slot > now:
            return slot
    raise AssertionError("unreachable: a slot exists every local day")


@dataclass(frozen=True, slots=True)
class SlotDecision:
    """What to do about the latest slot: post it (`due`), or skip it and why (`reason`)."""

    slot: datetime | None
    due: bool
    reason: str = ""


def due_slot(
    now: datetime, hhmm: str, tz: str, *, grace: timedelta, not_before: datetime | None = None
) -> SlotDecision:
    """Decide about the latest slot at or before `now`.

    Due while `now` is within `grace` of it; missed (with a reason) after that. A slot earlier than
    `not_before` (when the channel chose this schedule) never counts: choosing 08:00 at 09:00
    means tomorrow, not a catch-up now. Only the latest slot is considered: a worker down for
    days posts one briefing when it returns, not one per missed day.
    """
    slot = previous_slot(now, hhmm, tz)
    if not_before is not None and slot < not_before:
        return SlotDecision(None, False, "schedule set after the latest slot")
    late = now - slot
    if late <= grace:
        return SlotDecision(slot, True)
    minutes = int(late.total_seconds() // 60)
    return SlotDecision(
        slot, False,
        f"missed by {minutes} min, beyond the {int(grace.total_seconds() // 60)} min grace window",
    )


def channel_zone(channel: ChannelSettings | None, default: str) -> str:
    """The zone a channel's briefing and replies use: its own, or the configured default."""
    return (channel.digest_tz if channel else None) or default
