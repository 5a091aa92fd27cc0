"""Dates and numbers in search queries (see :mod:`zammad_orm.testing.query`): ISO-8601 dates,
Elasticsearch date math (``now-7d/d``, ``2024-01-01||+1M``) and its rounding, numbers."""

from __future__ import annotations

import calendar
import math
import re
from datetime import datetime, timedelta, timezone

__all__ = ["as_utc", "parse_date", "parse_number", "resolve_date"]

_DATE = re.compile(
    r"""(?P<year>\d{4})
    (?:-(?P<month>\d{1,2})
      (?:-(?P<day>\d{1,2})
        (?:[T\ ](?P<hour>\d{1,2})
          (?::(?P<minute>\d{2})
            (?::(?P<second>\d{2})(?:[.,](?P<fraction>\d+))?)?
          )?
          (?P<offset>Z|[+-]\d{2}:?\d{2})?
        )?
      )?
    )?""",
    re.VERBOSE,
)
_GRANULARITY = (("fraction", ""), ("second", "s"), ("minute", "m"), ("hour", "h"), ("day", "d"))
_MATH = re.compile(r"([+-])(\d+)([yMwdhHms])|/([yMwdhHms])")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def as_utc(moment: datetime) -> datetime:
    """``moment`` in UTC (a naive one is taken to be UTC)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def parse_number(text: str) -> float | None:
    """``text`` as a finite number, or ``None``."""
    if not _NUMBER.fullmatch(text):
        return None
    number = float(text)
    return number if math.isfinite(number) else None


def parse_date(text: str) -> tuple[datetime, str] | None:
    """An ISO-8601 date or datetime, in UTC, with the unit of its last component ("" if exact)."""
    match = _DATE.fullmatch(text.strip())
    if match is None:
        return None
    parts = match.groupdict()
    offset = timezone.utc
    if parts["offset"] and parts["offset"] != "Z":
        sign = -1 if parts["offset"][0] == "-" else 1
        digits = parts["offset"][1:].replace(":", "")
        offset = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    try:
        moment = datetime(
            int(parts["year"]),
            int(parts["month"] or 1),
            int(parts["day"] or 1),
            int(parts["hour"] or 0),
            int(parts["minute"] or 0),
            int(parts["second"] or 0),
            int((parts["fraction"] or "0")[:6].ljust(6, "0")),
            tzinfo=offset,
        )
    except ValueError:
        return None
    unit = "y" if parts["month"] is None else "M"
    for group, group_unit in _GRANULARITY:
        if parts[group] is not None:
            unit = group_unit
            break
    return moment.astimezone(timezone.utc), unit


def _add_months(moment: datetime, months: int) -> datetime:
    year, month_index = divmod(moment.year * 12 + moment.month - 1 + months, 12)
    day = min(moment.day, calendar.monthrange(year, month_index + 1)[1])
    return moment.replace(year=year, month=month_index + 1, day=day)


def _shift(moment: datetime, amount: int, unit: str) -> datetime:
    if unit == "y":
        return _add_months(moment, 12 * amount)
    if unit == "M":
        return _add_months(moment, amount)
    seconds = {"w": 604800, "d": 86400, "h": 3600, "H": 3600, "m": 60, "s": 1}[unit]
    return moment + timedelta(seconds=amount * seconds)


def _round(moment: datetime, unit: str, *, up: bool) -> datetime:
    """The start of ``moment``'s ``unit`` or, rounding up, the last microsecond of it."""
    if unit == "w":
        down = _round(moment, "d", up=False) - timedelta(days=moment.weekday())
    else:
        down = moment.replace(microsecond=0)
        if unit in "yMdhHm":
            down = down.replace(second=0)
        if unit in "yMdhH":
            down = down.replace(minute=0)
        if unit in "yMd":
            down = down.replace(hour=0)
        if unit in "yM":
            down = down.replace(day=1)
        if unit == "y":
            down = down.replace(month=1)
    return _shift(down, 1, unit) - timedelta(microseconds=1) if up else down


def resolve_date(text: str, now: datetime, *, round_up: bool) -> datetime | None:
    """A date bound (``now-7d/d``, ``2024-01-01``, ``2024-01-01||+1M``) as a UTC datetime."""
    if text.startswith("now"):
        moment, expression = now, text[3:]
    else:
        anchor, separator, expression = text.partition("||")
        parsed = parse_date(anchor)
        if parsed is None:
            return None
        moment, unit = parsed
        if not separator:
            return _round(moment, unit, up=round_up) if unit else moment
    position = 0
    for match in _MATH.finditer(expression):
        if match.start() != position:
            return None
        position = match.end()
        sign, amount, shift_unit, round_unit = match.groups()
        if round_unit:
            moment = _round(moment, round_unit, up=round_up)
        else:
            moment = _shift(moment, int(amount) * (-1 if sign == "-" else 1), shift_unit)
    return moment if position == len(expression) else None
