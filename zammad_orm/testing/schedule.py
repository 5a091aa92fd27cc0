"""Business hours of a Zammad calendar: whether a moment is working time, what moment lies
N working minutes after another, and how many working minutes lie between two moments.

What Zammad asks of the ``biz`` gem (``Calendar#biz``, ``Escalation::DestinationTime``,
``Escalation::PeriodWorkingMinutes``), over the calendar's ``business_hours`` (per weekday
``{"active": true, "timeframes": [["09:00", "17:00"]]}``, ``23:59`` meaning the end of the
day), its active ``public_holidays`` (whole days off) and its ``timezone``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["Schedule", "business_hours_problem"]

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: how far ahead a destination time is searched (a schedule without hours never ends)
_HORIZON_DAYS = 3 * 366


def _minute_of_day(text: Any) -> int | None:
    if not isinstance(text, str) or ":" not in text:
        return None
    hours, _, minutes = text.partition(":")
    try:
        value = int(hours) * 60 + int(minutes)
    except ValueError:
        return None
    if text == "23:59":
        return 24 * 60
    return value if 0 <= value <= 24 * 60 else None


def _timeframes(business_hours: Any) -> dict[int, list[tuple[int, int]]]:
    frames: dict[int, list[tuple[int, int]]] = {}
    if not isinstance(business_hours, Mapping):
        return frames
    for index, day in enumerate(_DAYS):
        meta = business_hours.get(day)
        if not isinstance(meta, Mapping) or not meta.get("active"):
            continue
        for frame in meta.get("timeframes") or []:
            if not isinstance(frame, (list, tuple)) or len(frame) != 2:
                continue
            start, end = _minute_of_day(frame[0]), _minute_of_day(frame[1])
            if start is not None and end is not None and start < end:
                frames.setdefault(index, []).append((start, end))
    return {day: sorted(spans) for day, spans in frames.items()}


def business_hours_problem(business_hours: Any) -> str | None:
    """Why Zammad refuses ``business_hours`` (``Calendar#validate_hours``), or None."""
    if not _timeframes(business_hours):
        return "No configured business hours found!"
    return None


@dataclass(frozen=True)
class Schedule:
    """Working hours in a time zone, minus holidays."""

    frames: Mapping[int, list[tuple[int, int]]]
    zone: dt.tzinfo
    holidays: frozenset[dt.date]

    @classmethod
    def from_calendar(cls, calendar: Mapping[str, Any]) -> Schedule:
        """The schedule of a stored calendar record."""
        try:
            zone: dt.tzinfo = ZoneInfo(str(calendar.get("timezone") or "UTC"))
        except (ZoneInfoNotFoundError, ValueError):
            zone = dt.timezone.utc
        holidays = set()
        for day, meta in (calendar.get("public_holidays") or {}).items():
            if isinstance(meta, Mapping) and meta.get("active") and not meta.get("removed"):
                try:
                    holidays.add(dt.date.fromisoformat(str(day)))
                except ValueError:
                    continue
        return cls(_timeframes(calendar.get("business_hours")), zone, frozenset(holidays))

    def _intervals(self, start: dt.datetime) -> Iterator[tuple[dt.datetime, dt.datetime]]:
        """Working intervals (UTC) from the local day of ``start`` on, in order."""
        day = start.astimezone(self.zone).date()
        for _ in range(_HORIZON_DAYS):
            if day not in self.holidays:
                for begin, end in self.frames.get(day.weekday(), []):
                    yield self._moment(day, begin), self._moment(day, end)
            day += dt.timedelta(days=1)

    def _moment(self, day: dt.date, minute: int) -> dt.datetime:
        local = dt.datetime.combine(day, dt.time(0), tzinfo=self.zone)
        wall = local + dt.timedelta(minutes=minute)  # wall-clock arithmetic in the zone
        return wall.astimezone(dt.timezone.utc)

    def in_hours(self, moment: dt.datetime) -> bool:
        """Whether ``moment`` is working time."""
        for begin, end in self._intervals(moment - dt.timedelta(days=1)):
            if begin > moment:
                return False
            if begin <= moment < end:
                return True
        return False

    def add_minutes(self, start: dt.datetime, minutes: float) -> dt.datetime | None:
        """The moment ``minutes`` working minutes after ``start`` (None past the horizon)."""
        remaining = dt.timedelta(minutes=minutes)
        for begin, end in self._intervals(start - dt.timedelta(days=1)):
            if end <= start:
                continue
            begin = max(begin, start)
            if begin + remaining <= end:
                return begin + remaining
            remaining -= end - begin
        return None

    def working_minutes(self, start: dt.datetime, end: dt.datetime) -> int:
        """Whole working minutes between ``start`` and ``end``."""
        total = dt.timedelta(0)
        for begin, finish in self._intervals(start - dt.timedelta(days=1)):
            if begin >= end:
                break
            overlap = min(finish, end) - max(begin, start)
            if overlap > dt.timedelta(0):
                total += overlap
        return int(total.total_seconds() // 60)
