"""How Rails casts JSON values into a record's columns, for the columns the fake server keeps.

Zammad hands request parameters to ActiveRecord, whose attribute types cast them
(``ActiveModel::Type::String``, ``Boolean``, ``DateTime``):

* a string column takes numbers as their text (``title: 42`` is ``"42"``) and booleans as
  ``"t"``/``"f"``;
* a boolean column takes ``false``, ``0``, ``"0"``, ``"f"``, ``"false"``, ``"off"`` (any case of
  those words) as false, ``""`` as null and anything else (``"yes"``) as true;
* a datetime column parses ISO-8601 text in any offset and stores it in UTC with milliseconds
  (``"2024-05-01T12:00:00+02:00"`` is ``"2024-05-01T10:00:00.000Z"``; a date alone is midnight
  UTC); text it cannot parse, numbers and booleans become null, silently.

Objects and arrays given for a string, boolean or datetime column are refused with a 422
(Rails would store their Ruby text).
"""

from __future__ import annotations

from typing import Any

from zammad_orm.testing.http import unprocessable
from zammad_orm.testing.store import format_time, parse_timestamp

__all__ = ["cast_boolean", "cast_columns", "cast_datetime", "is_datetime_column"]

_FALSE_WORDS = frozenset({"0", "f", "false", "off"})
#: datetime columns that do not end in ``_at``
_OTHER_DATETIMES = frozenset({"pending_time", "last_login"})


#: ``*_at`` columns that hold a date, not a timestamp
_DATES = frozenset({"out_of_office_start_at", "out_of_office_end_at"})


def is_datetime_column(column: str) -> bool:
    """Whether ``column`` holds a timestamp (``*_at``, ``pending_time``, ``last_login``)."""
    return (column.endswith("_at") and column not in _DATES) or column in _OTHER_DATETIMES


def cast_boolean(value: Any) -> bool | None:
    """``ActiveModel::Type::Boolean``: Rails' false words are false, ``""`` null, the rest
    true."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    return str(value).strip().lower() not in _FALSE_WORDS


def cast_datetime(value: Any) -> str | None:
    """``ActiveModel::Type::DateTime`` then Zammad's JSON: ISO text as UTC with milliseconds,
    anything unparseable as null."""
    moment = parse_timestamp(value)
    return None if moment is None else format_time(moment)


def _cast_string(value: Any) -> Any:
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (int, float)):
        return str(value)
    return value


def cast_columns(columns: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """``values`` cast to the types of ``columns`` (the table's defaults tell a column's type:
    ``str``, ``bool``, or a timestamp by its name)."""
    cast: dict[str, Any] = {}
    for column, value in values.items():
        default = columns.get(column)
        scalar = isinstance(default, (str, bool)) or is_datetime_column(column)
        if scalar and isinstance(value, (dict, list)):
            raise unprocessable(f"Invalid value for param '{column}': {value!r}")
        if is_datetime_column(column):
            cast[column] = cast_datetime(value)
        elif isinstance(default, bool):
            cast[column] = cast_boolean(value)
        elif isinstance(default, str):
            cast[column] = _cast_string(value)
        else:
            cast[column] = value
    return cast
