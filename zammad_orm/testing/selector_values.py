"""Values in selector conditions, as Zammad's ``Selector::Sql`` compares them: timestamps,
values as SQL text, lists, and the relative time ranges of ``within last (relative)`` and the
like (ActiveSupport durations)."""

from __future__ import annotations

import calendar as calendar_module
import datetime as dt
from collections.abc import Mapping
from typing import Any

from zammad_orm.testing.selector_conditions import SelectorError
from zammad_orm.testing.store import parse_timestamp

__all__ = ["as_list", "parse_time", "relative_range", "shift_time", "sql_text"]

_UNITS = {"minute": "minutes", "hour": "hours", "day": "days", "week": "weeks"}


def parse_time(value: Any) -> dt.datetime | None:
    """An ISO timestamp or date as an aware UTC datetime; None when it is not one."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    return parse_timestamp(value)


def sql_text(value: Any) -> str | None:
    """A value as SQL compares it: booleans as ``true``/``false``, numbers as digits."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Mapping):
        return sql_text(value.get("value"))
    return str(value)


def as_list(value: Any) -> list[Any]:
    """A list or tuple as a list; any other value as a list of it."""
    return list(value) if isinstance(value, (list, tuple)) else [value]


def shift_time(moment: dt.datetime, amount: int, unit: str) -> dt.datetime:
    """``moment`` moved by ``amount`` ``unit``s (minute, hour, day, week, month, year),
    months and years by the calendar (as ActiveSupport's durations)."""
    if unit in _UNITS:
        return moment + dt.timedelta(**{_UNITS[unit]: amount})
    if unit not in ("month", "year"):
        raise SelectorError("unknown selector")
    months = amount * (12 if unit == "year" else 1)
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar_module.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def relative_range(condition: Mapping[str, Any]) -> tuple[int, str]:
    """The amount and unit of a relative condition (``{"value": 2, "range": "day"}``)."""
    try:
        amount = int(str(condition.get("value") or 0).strip() or 0)
    except ValueError:
        raise SelectorError("unknown selector") from None
    return amount, str(condition.get("range") or "")
