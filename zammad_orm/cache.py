"""The client's shared cache of server records, safe to use from many threads.

Each :class:`~zammad_orm.Client` owns one :class:`RecordCache`. It holds what the server
said, never objects: one :class:`CachedRecord` per endpoint, id and acting user, fed by every
reply (pages, searches and their ``assets``, loads, the replies to writes). The records in it
are never mutated; a newer reply replaces a record with a new mapping. Objects live in units
of work (:mod:`zammad_orm.unit_of_work`) and read their data from these records, so units
share what the server sent without sharing anybody's pending changes.

:class:`cachetools.TTLCache` is not thread-safe, so every access holds a lock, and no HTTP
request is ever made while holding it. :meth:`RecordCache.single_flight` lets concurrent
readers of one record or list share a single request.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Mapping
from typing import Any, NamedTuple, TypeVar

from cachetools import TTLCache

__all__ = ["CacheKey", "CachedRecord", "RecordCache", "order_by_update"]

T = TypeVar("T")

_NO_VIEW: Any = object()


def order_by_update(first: Mapping[str, Any], second: Mapping[str, Any]) -> int | None:
    """Compare two copies of one record by ``updated_at``: 1 when ``first`` is newer, 0 for
    the same moment, -1 when ``second`` is newer, None when either lacks a timestamp."""
    left, right = first.get("updated_at"), second.get("updated_at")
    if not isinstance(left, str) or not isinstance(right, str):
        return None
    if len(left) != len(right) or not left.endswith("Z") or not right.endswith("Z"):
        from zammad_orm.fields import parse_datetime  # rare: mixed formats

        try:
            moments = parse_datetime(left), parse_datetime(right)
        except ValueError:
            return None
        if moments[0] is None or moments[1] is None:
            return None
        return (moments[0] > moments[1]) - (moments[0] < moments[1])
    return (left > right) - (left < right)  # Zammad's fixed-width UTC timestamps sort as text


class CacheKey(NamedTuple):
    """Where a record lives in the cache."""

    #: the user the client impersonated when the record was read, or None
    acting_as: str | None
    #: the endpoint of the record's family, e.g. ``"tickets"``
    endpoint: str
    #: the record id, or a name for non-record entries such as lookup indexes
    key: Hashable


class CachedRecord(NamedTuple):
    """One record as the server last sent it."""

    #: the record's fields; never mutated (a newer reply stores a new mapping)
    data: Mapping[str, Any]
    #: True when the reply held every field of the record (its own endpoint, a list page)
    complete: bool
    #: the cache's clock when the record arrived
    stored_at: float


class _IndexedTTLCache(TTLCache[CacheKey, Any]):
    """A TTLCache that keeps ``(endpoint, key) -> {acting users}`` in step with its entries,
    so dropping one record from every user's view costs O(its entries), not O(the cache)."""

    def __init__(self, maxsize: int, ttl: float, timer: Callable[[], float]) -> None:
        super().__init__(maxsize=maxsize, ttl=ttl, timer=timer)
        #: (endpoint, key) -> the acting user of its one entry, or a set of them (most records
        #: are seen by one user: no set for them)
        self.views: dict[tuple[str, Hashable], Any] = {}

    def users_of(self, record: tuple[str, Hashable]) -> list[str | None]:
        """The acting users with an entry for ``record``."""
        held = self.views.get(record, _NO_VIEW)
        if held is _NO_VIEW:
            return []
        return list(held) if isinstance(held, set) else [held]

    def _forget(self, key: CacheKey) -> None:
        record = (key.endpoint, key.key)
        held = self.views.get(record, _NO_VIEW)
        if isinstance(held, set):
            held.discard(key.acting_as)
            if len(held) == 1:
                self.views[record] = next(iter(held))
        elif held is not _NO_VIEW and held == key.acting_as:
            del self.views[record]

    def __setitem__(self, key: CacheKey, value: Any) -> None:
        super().__setitem__(key, value)
        record = (key.endpoint, key.key)
        held = self.views.get(record, _NO_VIEW)
        if held is _NO_VIEW:
            self.views[record] = key.acting_as
        elif isinstance(held, set):
            held.add(key.acting_as)
        elif held != key.acting_as:
            self.views[record] = {held, key.acting_as}

    def __delitem__(self, key: CacheKey) -> None:
        super().__delitem__(key)
        self._forget(key)

    def popitem(self) -> tuple[CacheKey, Any]:
        key, value = super().popitem()
        self._forget(key)
        return key, value

    def expire(self, time: float | None = None) -> Any:
        expired = super().expire(time)
        for key, _value in expired or ():
            self._forget(key)
        return expired

    def clear(self) -> None:
        super().clear()
        self.views.clear()


class _Flight:
    """One request that concurrent callers wait for."""

    __slots__ = ("done", "failed", "result")

    def __init__(self) -> None:
        self.done = threading.Event()
        self.failed = False
        self.result: Any = None


class RecordCache:
    """A locked :class:`cachetools.TTLCache` of server records and lookup indexes.

    :param maxsize: how many entries it holds at most (least recently used go first)
    :param ttl: seconds an entry lives
    :param timer: the clock, in seconds; inject a fake one in tests instead of sleeping
    """

    def __init__(self, *, maxsize: int, ttl: float, timer: Callable[[], float]) -> None:
        if isinstance(maxsize, bool) or not isinstance(maxsize, int) or maxsize < 1:
            raise ValueError(f"cache_maxsize must be an int of at least 1, got {maxsize!r}")
        if isinstance(ttl, bool) or not isinstance(ttl, int | float) or not ttl > 0:
            raise ValueError(f"cache_ttl must be a positive number of seconds, got {ttl!r}")
        self._entries = _IndexedTTLCache(maxsize=maxsize, ttl=ttl, timer=timer)
        #: seconds an entry lives, as a plain float for the objects' hot paths
        self.ttl_seconds = float(ttl)
        self._lock = threading.Lock()
        self._flights: dict[Hashable, _Flight] = {}
        self._flights_lock = threading.Lock()
        self.timer = timer

    @property
    def ttl(self) -> float:
        """Seconds an entry lives."""
        return float(self._entries.ttl)

    @property
    def maxsize(self) -> int:
        """How many entries the cache holds at most."""
        return int(self._entries.maxsize)

    def __len__(self) -> int:
        with self._lock:
            self._entries.expire()
            return len(self._entries)

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._entries

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {len(self)}/{self.maxsize} entries, ttl={self.ttl:g}s>"

    # -- entries ----------------------------------------------------------------------------

    def get(self, key: CacheKey) -> Any | None:
        """The live entry at ``key``, or None."""
        with self._lock:
            return self._entries.get(key)

    def put(self, key: CacheKey, value: Any) -> None:
        """Store ``value`` at ``key``, replacing any entry and restarting its time to live."""
        with self._lock:
            self._entries[key] = value

    def record(self, key: CacheKey) -> CachedRecord | None:
        """The fresh record at ``key``, or None."""
        with self._lock:
            value = self._entries.get(key)
        return value if isinstance(value, CachedRecord) else None

    def store(self, key: CacheKey, data: Mapping[str, Any], *, complete: bool) -> CachedRecord:
        """Remember a record from a reply and return what the cache now holds for it.

        A partial reply (one lacking some fields, e.g. ``/users/me``) is laid over a fresh
        record already held, keeping the fields it lacks; a complete one replaces it. A reply
        older than the record held (by ``updated_at``: replies to concurrent writes arrive in
        any order) leaves the newer record in place, and is what this returns.
        """
        with self._lock:
            held = self._entries.get(key)
            if isinstance(held, CachedRecord):
                order = order_by_update(held.data, data)
                if order is not None and order > 0:
                    return held  # a reply older than what the cache has: keep the newer one
                if order == 0 and complete and held.complete and held.data != data:
                    # Two different records stamped the same moment (two writes within one
                    # millisecond): which is the server's is unknown, so keep neither.
                    self._entries.pop(key, None)
                    return CachedRecord(data, complete, self.timer())
                if not complete:
                    data = {**held.data, **data}
                    complete = held.complete
            record = CachedRecord(data, complete, self.timer())
            self._entries[key] = record
            return record

    def evict(self, key: CacheKey) -> None:
        """Forget the entry at ``key``, if any."""
        with self._lock:
            self._entries.pop(key, None)

    def views_of(self, endpoint: str, key: Hashable) -> list[str | None]:
        """The acting users who have an entry for this record."""
        with self._lock:
            return self._entries.users_of((endpoint, key))

    def invalidate(self, endpoint: str | None = None, key: Hashable | None = None) -> int:
        """Forget entries: all of them, one endpoint's, or one record's (in every acting user's
        view). Returns how many were dropped. One record costs O(its entries)."""
        with self._lock:
            entries = self._entries
            if endpoint is not None and key is not None:
                users = entries.users_of((endpoint, key))
                doomed = [CacheKey(user, endpoint, key) for user in users]
            else:
                doomed = [
                    entry
                    for entry in list(entries.keys())
                    if (endpoint is None or entry.endpoint == endpoint)
                    and (key is None or entry.key == key)
                ]
            dropped = 0
            for entry in doomed:
                if entries.pop(entry, None) is not None:
                    dropped += 1
            return dropped

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._entries.clear()

    # -- one request at a time --------------------------------------------------------------

    def single_flight(self, key: Hashable, fetch: Callable[[], T]) -> T:
        """Run ``fetch()`` once for concurrent callers with the same ``key``.

        The first caller runs it; callers arriving while it runs wait and get its result. If
        it fails, the first caller gets the exception and each waiter tries on its own.
        """
        while True:
            with self._flights_lock:
                flight = self._flights.get(key)
                leader = flight is None
                if flight is None:
                    flight = self._flights[key] = _Flight()
            if leader:
                try:
                    flight.result = fetch()
                except BaseException:
                    flight.failed = True
                    raise
                finally:
                    with self._flights_lock:
                        del self._flights[key]
                    flight.done.set()
                return flight.result  # type: ignore[no-any-return]
            flight.done.wait()
            if not flight.failed:
                return flight.result  # type: ignore[no-any-return]
