"""The fake server's clock: the time every timestamp, pending time and escalation counts from.

A :class:`FakeClock` follows a time source (the real time by default, or a fixed moment) plus
an offset that :meth:`FakeClock.advance` moves forward; :meth:`FakeClock.at` pins it to one
moment for a block, to seed records with past timestamps::

    clock = FakeClock(dt.datetime(2024, 1, 1, 9, tzinfo=dt.timezone.utc))   # frozen
    with FakeZammad(clock=clock) as server:
        with server.at(clock.now() - dt.timedelta(days=40)):
            ...                              # records made here are 40 days old
        server.advance(days=3)               # and the scheduled jobs run
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["FakeClock", "TimeSource", "as_clock", "utc"]

#: anything that tells the time: returns an aware datetime
TimeSource = Callable[[], dt.datetime]


def utc(moment: dt.datetime) -> dt.datetime:
    """``moment`` in UTC; a naive datetime is refused (its zone would be a guess)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(
            f"the fake server's clock needs an aware datetime, got naive {moment.isoformat()}; "
            "use e.g. datetime.now(timezone.utc)"
        )
    return moment.astimezone(dt.timezone.utc)


def _real_time() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class FakeClock:
    """A controllable clock.

    :param source: a fixed aware datetime (the clock stands still until advanced), a callable
        returning the current aware datetime, or None for the real time
    """

    def __init__(self, source: dt.datetime | TimeSource | None = None) -> None:
        if isinstance(source, dt.datetime):
            fixed = utc(source)
            self._source: TimeSource = lambda: fixed
        else:
            self._source = source or _real_time
        self._offset = dt.timedelta(0)
        self._pinned: list[dt.datetime] = []
        self._lock = threading.Lock()

    def now(self) -> dt.datetime:
        """The current fake time, in UTC."""
        with self._lock:
            if self._pinned:
                return self._pinned[-1]
            offset = self._offset
        return utc(self._source()) + offset

    __call__ = now

    def advance(
        self,
        delta: dt.timedelta | None = None,
        *,
        days: float = 0,
        hours: float = 0,
        minutes: float = 0,
        seconds: float = 0,
        weeks: float = 0,
    ) -> dt.datetime:
        """Move the clock forward (never back) and return the new time."""
        step = (delta or dt.timedelta(0)) + dt.timedelta(
            days=days, hours=hours, minutes=minutes, seconds=seconds, weeks=weeks
        )
        if step < dt.timedelta(0):
            raise ValueError(f"the clock only moves forward, got {step}")
        with self._lock:
            self._offset += step
        return self.now()

    @contextmanager
    def at(self, moment: dt.datetime) -> Iterator[dt.datetime]:
        """Stand still at ``moment`` inside the block (nested blocks stack)."""
        pinned = utc(moment)
        with self._lock:
            self._pinned.append(pinned)
        try:
            yield pinned
        finally:
            with self._lock:
                self._pinned.remove(pinned)

    def reset(self) -> None:
        """Drop the offset added by :meth:`advance` and any pinned moment."""
        with self._lock:
            self._offset = dt.timedelta(0)
            self._pinned.clear()

    def __repr__(self) -> str:
        return f"<FakeClock {self.now().isoformat()}>"


def as_clock(clock: FakeClock | TimeSource | dt.datetime | None) -> FakeClock:
    """``clock`` as a :class:`FakeClock` (a callable or a moment becomes its source)."""
    if isinstance(clock, FakeClock):
        return clock
    return FakeClock(clock)
