"""Timestamps in and out of Zammad's format."""

from __future__ import annotations

import datetime as dt

import pytest

from zammad_orm.fields import format_datetime, parse_datetime

UTC = dt.timezone.utc


def test_parse_zammad_timestamp_is_aware_utc() -> None:
    assert parse_datetime("2024-03-18T23:01:21.260Z") == dt.datetime(
        2024, 3, 18, 23, 1, 21, 260000, tzinfo=UTC
    )


def test_parse_none_and_empty_give_none() -> None:
    assert parse_datetime(None) is None
    assert parse_datetime("") is None


def test_parse_offset_timestamp_converts_to_utc() -> None:
    assert parse_datetime("2024-03-19T01:01:21+02:00") == dt.datetime(
        2024, 3, 18, 23, 1, 21, tzinfo=UTC
    )


def test_format_writes_utc_with_milliseconds_and_z() -> None:
    moment = dt.datetime(2024, 3, 19, 1, 1, 21, 260999, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert format_datetime(moment) == "2024-03-18T23:01:21.260Z"


def test_format_rejects_naive_datetimes_with_a_hint() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        format_datetime(dt.datetime(2024, 1, 1))


def test_format_then_parse_round_trips_to_the_millisecond() -> None:
    moment = dt.datetime(2025, 12, 31, 23, 59, 59, 999000, tzinfo=UTC)
    assert parse_datetime(format_datetime(moment)) == moment
