"""Slot arithmetic: zones, DST, grace."""

from __future__ import annotations

from datetime import timedelta

import pytest

from briefings.errors import ConfigError
from briefings.schedule import due_slot, next_slot, parse_time, previous_slot, slot_on
from tests.worker.support import at

GRACE = timedelta(minutes=180)


@pytest.mark.parametrize(("day", "hhmm", "tz", "expected"), [
    ("2024-03-10", "08:00", "UTC", "2024-03-10T08:00:00+00:00"),
    ("2024-03-10", "08:00", "Asia/Tokyo", "2024-03-09T23:00:00+00:00"),
    ("2024-03-09", "08:00", "America/New_York", "2024-03-09T13:00:00+00:00"),  # EST
    ("2024-03-10", "08:00", "America/New_York", "2024-03-10T12:00:00+00:00"),  # EDT from today
    # 02:30 does not exist on spring-forward day: read with the offset before the jump (03:30).
    ("2024-03-10", "02:30", "America/New_York", "2024-03-10T07:30:00+00:00"),
    # 01:30 happens twice on fall-back day: the first one (EDT).
    ("2024-11-03", "01:30", "America/New_York", "2024-11-03T05:30:00+00:00"),
    ("2024-03-31", "08:00", "Europe/Berlin", "2024-03-31T06:00:00+00:00"),  # CEST
    ("2024-03-30", "08:00", "Europe/Berlin", "2024-03-30T07:00:00+00:00"),  # CET
    ("2024-03-10", "00:00", "Asia/Kolkata", "2024-03-09T18:30:00+00:00"),
    ("2024-03-10", "23:59", "Pacific/Auckland", "2024-03-10T10:59:00+00:00"),
])
def test_slot_on(day, hhmm, tz, expected):
    from datetime import date

    assert slot_on(date.fromisoformat(day), hhmm, tz) == at(expected)


@pytest.mark.parametrize(("now", "hhmm", "tz", "previous", "following"), [
    ("2024-03-10T08:00:00+00:00", "08:00", "UTC",
     "2024-03-10T08:00:00+00:00", "2024-03-11T08:00:00+00:00"),
    ("2024-03-10T07:59:59+00:00", "08:00", "UTC",
     "2024-03-09T08:00:00+00:00", "2024-03-10T08:00:00+00:00"),
    # Tokyo's 08:00 is 23:00 UTC the day before.
    ("2024-03-10T00:30:00+00:00", "08:00", "Asia/Tokyo",
     "2024-03-09T23:00:00+00:00", "2024-03-10T23:00:00+00:00"),
    # Across the spring-forward night in New York: 23 hours between the two slots.
    ("2024-03-10T11:00:00+00:00", "08:00", "America/New_York",
     "2024-03-09T13:00:00+00:00", "2024-03-10T12:00:00+00:00"),
    # Across fall-back: 25 hours.
    ("2024-11-03T12:30:00+00:00", "08:00", "America/New_York",
     "2024-11-02T12:00:00+00:00", "2024-11-03T13:00:00+00:00"),
])
def test_previous_and_next_slot(now, hhmm, tz, previous, following):
    assert previous_slot(at(now), hhmm, tz) == at(previous)
    assert next_slot(at(now), hhmm, tz) == at(following)


@pytest.mark.parametrize(("now", "not_before", "due", "slot", "reason"), [
    ("2024-03-10T08:00:00+00:00", None, True, "2024-03-10T08:00:00+00:00", ""),
    ("2024-03-10T10:59:00+00:00", None, True, "2024-03-10T08:00:00+00:00", ""),
    ("2024-03-10T11:00:00+00:00", None, True, "2024-03-10T08:00:00+00:00", ""),  # edge: inside
    ("2024-03-10T11:01:00+00:00", None, False, "2024-03-10T08:00:00+00:00",
     "missed by 181 min, beyond the 180 min grace window"),
    ("2024-03-10T07:00:00+00:00", None, False, "2024-03-09T08:00:00+00:00", "missed by 1380"),
    # Chose 08:00 at 09:00: today's slot predates the choice, so nothing is due.
    ("2024-03-10T09:00:00+00:00", "2024-03-10T08:59:00+00:00", False, None, "set after"),
    ("2024-03-10T09:00:00+00:00", "2024-03-10T07:59:00+00:00", True,
     "2024-03-10T08:00:00+00:00", ""),
])
def test_due_slot(now, not_before, due, slot, reason):
    decision = due_slot(at(now), "08:00", "UTC", grace=GRACE,
                        not_before=at(not_before) if not_before else None)
    assert decision.due is due
    assert decision.slot == (at(slot) if slot else None)
    assert reason in decision.reason


@pytest.mark.parametrize("text", ["8", "24:00", "08:60", "eight", "", "08:00:00"])
def test_bad_times(text):
    with pytest.raises(ConfigError):
        parse_time(text)


def test_unknown_zone():
    with pytest.raises(ConfigError):
        previous_slot(at("2024-03-10T08:00:00+00:00"), "08:00", "Mars/Olympus")
