"""The client's shared cache of server records, safe to use from many threads.

Each :class:`~zammad_orm.Client` owns one :class:`RecordCache`. It holds what the server
said, never objects: one record per endpoint, id and acting user, fed by every reply (pages,
searches and their ``assets``, loads, the replies to writes). The records in it are never
mutated; a newer reply replaces a record with a new mapping. Objects live in units of work
(:mod:`zammad_orm.unit_of_work`) and read their data from these records, so units share what
the server sent without sharing anybody's pending changes.

Records that arrive together (one page, one family of a reply's ``assets``) are kept
together as one *arrival*: they were fetched at one moment, so they expire together, and
when the cache is full the least recently used arrival leaves first. A
:class:`cachetools.TTLCache` of arrivals keeps that order and the time to live; an index by
endpoint and id finds each record's arrival. A record that arrives again moves to its new
arrival. This keeps the cost of a cached record to two dictionary entries, whatever the size
of the page, where one ``TTLCache`` entry per record would cost several objects.

:class:`cachetools.TTLCache` is not thread-safe, so every access holds a lock, and no HTTP
request is ever made while holding it. :meth:`RecordCache.single_flight` lets concurrent
readers of one record or list share a single request.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, NamedTuple, TypeVar

from cachetools import TTLCache

from zammad_orm.changes import disagree

__all__ = ["CacheKey", "CachedRecord", "RecordCache", "order_by_update"]

T = TypeVar("T")


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


class _Arrival:
    """Entries of one endpoint and acting user that arrived at one moment."""

    __slots__ = ("acting_as", "complete", "endpoint", "entries", "stored_at")

    def __init__(
        self, acting_as: str | None, endpoint: str, complete: bool | None, stored_at: float
    ) -> None:
        self.acting_as = acting_as
        self.endpoint = endpoint
        #: True or False for records (whether they hold every field), None for other entries
        self.complete = complete
        self.stored_at = stored_at
        #: key -> record data (or the value of a non-record entry), in order of arrival
        self.entries: dict[Hashable, Any] = {}

    def read(self, key: Hashable) -> Any:
        """What the entry at ``key`` holds: a :class:`CachedRecord`, or the value put."""
        value = self.entries[key]
        if self.complete is None:
            return value
        return CachedRecord(value, self.complete, self.stored_at)


class _Arrivals(TTLCache[_Arrival, bool]):
    """The arrivals, least recently used first, each living ``ttl`` seconds; ``gone`` is told
    of every arrival that expires or is evicted."""

    def __init__(
        self, maxsize: int, ttl: float, timer: Callable[[], float], gone: Callable[[_Arrival], None]
    ) -> None:
        super().__init__(maxsize=maxsize, ttl=ttl, timer=timer)
        self._gone = gone

    def popitem(self) -> tuple[_Arrival, bool]:
        arrival, value = super().popitem()
        self._gone(arrival)
        return arrival, value

    def expire(self, time: float | None = None) -> Any:
        expired = super().expire(time)
        for arrival, _value in expired or ():
            self._gone(arrival)
        return expired


class _Flight:
    """One request that concurrent callers wait for."""

    __slots__ = ("done", "failed", "result")

    def __init__(self) -> None:
        self.done = threading.Event()
        self.failed = False
        self.result: Any = None


class RecordCache:
    """A locked cache of server records and lookup indexes, bounded in size and age (see the
    module's docs).

    :param maxsize: how many entries (records, indexes) it holds at most; least recently used
        arrivals go first
    :param ttl: seconds an entry lives
    :param timer: the clock, in seconds; inject a fake one in tests instead of sleeping
    """

    def __init__(self, *, maxsize: int, ttl: float, timer: Callable[[], float]) -> None:
        if isinstance(maxsize, bool) or not isinstance(maxsize, int) or maxsize < 1:
            raise ValueError(f"cache_maxsize must be an int of at least 1, got {maxsize!r}")
        if isinstance(ttl, bool) or not isinstance(ttl, int | float) or not ttl > 0:
            raise ValueError(f"cache_ttl must be a positive number of seconds, got {ttl!r}")
        # An arrival holds at least one entry, so there are never more than maxsize of them
        # before the one being added; the entries themselves are counted in _size.
        self._arrivals = _Arrivals(maxsize + 1, ttl, timer, self._unindex)
        #: endpoint -> key -> the arrival holding the entry, or {acting user: arrival} when
        #: several users have a view of it (most records are seen by one user: no dict)
        self._index: dict[str, dict[Hashable, Any]] = {}
        self._size = 0
        self._maxsize = maxsize
        #: seconds an entry lives, as a plain float for the objects' hot paths
        self.ttl_seconds = float(ttl)
        self._lock = threading.Lock()
        self._flights: dict[Hashable, _Flight] = {}
        self._flights_lock = threading.Lock()
        self.timer = timer

    @property
    def ttl(self) -> float:
        """Seconds an entry lives."""
        return self.ttl_seconds

    @property
    def maxsize(self) -> int:
        """How many entries the cache holds at most."""
        return self._maxsize

    def __len__(self) -> int:
        with self._lock:
            self._arrivals.expire()
            return self._size

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, CacheKey):
            return False
        with self._lock:
            return self._live(key.acting_as, key.endpoint, key.key) is not None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {len(self)}/{self.maxsize} entries, ttl={self.ttl:g}s>"

    # -- the index --------------------------------------------------------------------------

    def _held(self, acting_as: str | None, endpoint: str, key: Hashable) -> _Arrival | None:
        """The arrival holding an entry, live or not (holds ``_lock``)."""
        views = self._index.get(endpoint)
        if views is None:
            return None
        held = views.get(key)
        if held is None:
            return None
        if held.__class__ is dict:
            return held.get(acting_as)
        return held if held.acting_as == acting_as else None

    def _live(self, acting_as: str | None, endpoint: str, key: Hashable) -> _Arrival | None:
        """The arrival holding a live entry, marked as just used; None if there is none or
        it expired (holds ``_lock``)."""
        held = self._held(acting_as, endpoint, key)
        if held is None or self._arrivals.get(held) is None:
            return None
        return held

    def _point(self, arrival: _Arrival, key: Hashable) -> None:
        """Index ``key`` of ``arrival``, taking it out of the arrival that held it before
        (holds ``_lock``)."""
        views = self._index.get(arrival.endpoint)
        if views is None:
            views = self._index[arrival.endpoint] = {}
        held = views.get(key)
        if held is None:
            views[key] = arrival
            self._size += 1
            return
        if held.__class__ is dict:
            before = held.get(arrival.acting_as)
            held[arrival.acting_as] = arrival
        elif held.acting_as == arrival.acting_as:
            before = held
            views[key] = arrival
        else:
            before = None
            views[key] = {held.acting_as: held, arrival.acting_as: arrival}
        if before is None:
            self._size += 1
        elif before is not arrival:
            self._leave(before, key)

    def _leave(self, arrival: _Arrival, key: Hashable) -> None:
        """``key`` is no longer ``arrival``'s; an arrival left empty is dropped (holds
        ``_lock``)."""
        del arrival.entries[key]
        if not arrival.entries:
            self._arrivals.pop(arrival, None)

    def _unpoint(self, arrival: _Arrival, key: Hashable) -> None:
        """Drop the index entry of ``key`` if ``arrival`` holds it (holds ``_lock``)."""
        views = self._index.get(arrival.endpoint)
        if views is None:
            return
        held = views.get(key)
        if held is None:
            return
        if held.__class__ is dict:
            if held.get(arrival.acting_as) is not arrival:
                return
            del held[arrival.acting_as]
            if len(held) == 1:
                views[key] = next(iter(held.values()))
        elif held is arrival:
            del views[key]
        else:
            return
        self._size -= 1

    def _unindex(self, arrival: _Arrival) -> None:
        """``arrival`` expired or was evicted: its entries leave the index."""
        for key in arrival.entries:
            self._unpoint(arrival, key)
        arrival.entries = {}

    def _drop(self, arrival: _Arrival, key: Hashable) -> None:
        """Forget one entry (holds ``_lock``)."""
        self._unpoint(arrival, key)
        self._leave(arrival, key)

    def _arrive(self, arrival: _Arrival) -> None:
        """Make room for a filled ``arrival`` (already indexed), then add it (holds
        ``_lock``). Room is made first, so the arrival being added is never the one
        evicted, and the clock is read once, so nothing expires halfway."""
        if not arrival.entries:
            return
        with self._arrivals.timer:
            self._arrivals.expire()  # what expired leaves first, and frees its room
            while self._size > self._maxsize and len(self._arrivals):
                self._arrivals.popitem()  # the least recently used arrival
            for key in list(arrival.entries)[: max(0, self._size - self._maxsize)]:
                self._drop(arrival, key)  # a page larger than the whole cache: keep its end
            if arrival.entries:
                self._arrivals[arrival] = True

    # -- entries ----------------------------------------------------------------------------

    def get(self, key: CacheKey) -> Any | None:
        """The live entry at ``key`` (a :class:`CachedRecord` for records), or None."""
        with self._lock:
            held = self._live(key.acting_as, key.endpoint, key.key)
            return None if held is None else held.read(key.key)

    def put(self, key: CacheKey, value: Any) -> None:
        """Store ``value`` at ``key``, replacing any entry and restarting its time to live."""
        with self._lock:
            arrival = _Arrival(key.acting_as, key.endpoint, None, self.timer())
            arrival.entries[key.key] = value
            self._point(arrival, key.key)
            self._arrive(arrival)

    def record(self, key: CacheKey) -> CachedRecord | None:
        """The fresh record at ``key``, or None."""
        with self._lock:
            held = self._live(key.acting_as, key.endpoint, key.key)
            return None if held is None or held.complete is None else held.read(key.key)

    def store(self, key: CacheKey, data: Mapping[str, Any], *, complete: bool) -> CachedRecord:
        """Remember a record from a reply and return what the cache now holds for it.

        A partial reply (one lacking some fields, e.g. ``/users/me``) is laid over a fresh
        record already held, keeping the fields it lacks; a complete one replaces it. A reply
        older than the record held (by ``updated_at``: replies to concurrent writes arrive in
        any order) leaves the newer record in place, and is what this returns.
        """
        with self._lock:
            partial = not complete
            if partial:
                held = self._live(key.acting_as, key.endpoint, key.key)
                if held is not None and held.complete is not None:
                    reconciled = self._reconciled(held, key.key, data, complete=False)
                    if isinstance(reconciled, CachedRecord):
                        return reconciled
                    data = {**held.entries[key.key], **reconciled}
                    complete = bool(held.complete)
            return self._store(
                key.acting_as, key.endpoint, [key.key], [data], complete, checked=partial
            )[0]

    def store_records(
        self, acting_as: str | None, endpoint: str, records: Sequence[Mapping[str, Any]]
    ) -> list[CachedRecord]:
        """Remember the complete records of one reply (each with an ``id``), at the cost of
        one arrival; returns what the cache now holds for each, in order (see
        :meth:`store`)."""
        with self._lock:
            return self._store(
                acting_as, endpoint, [record["id"] for record in records], records, True
            )

    def _reconciled(
        self, held: _Arrival, key: Hashable, data: Mapping[str, Any], *, complete: bool
    ) -> CachedRecord | Mapping[str, Any]:
        """What the live record ``held`` has for ``key`` makes of a reply's ``data``: the
        held record when it is newer (returned as a :class:`CachedRecord`: nothing to store),
        else the data to store. Two complete copies of one moment that disagree on a field
        (two writes within one millisecond) cannot be ordered: both are dropped. Copies of
        one moment that only carry different fields are joined (holds ``_lock``)."""
        current = held.entries[key]
        order = order_by_update(current, data)
        if order is not None and order > 0:
            return CachedRecord(current, bool(held.complete), held.stored_at)
        if order == 0 and complete and held.complete and current != data:
            if disagree(current, data):
                self._drop(held, key)
                return CachedRecord(data, complete, self.timer())
            return {**current, **data}
        return data

    def _store(
        self,
        acting_as: str | None,
        endpoint: str,
        keys: Sequence[Hashable],
        records: Sequence[Mapping[str, Any]],
        complete: bool,
        *,
        checked: bool = False,
    ) -> list[CachedRecord]:
        """Store ``records`` at ``keys`` in one arrival; ``checked`` when the caller already
        compared them with what is held (holds ``_lock``)."""
        now = self.timer()
        arrival = _Arrival(acting_as, endpoint, complete, now)
        entries = arrival.entries
        views = self._index.get(endpoint)
        if views is None:
            views = self._index[endpoint] = {}
        ttl = self.ttl_seconds
        stored: list[CachedRecord] = []
        for key, data in zip(keys, records, strict=True):
            if key not in views:  # the common case: a record not cached yet
                entries[key] = data
                views[key] = arrival
                self._size += 1
                stored.append(CachedRecord(data, complete, now))
                continue
            held = None if checked else self._held(acting_as, endpoint, key)
            if held is not None and held.complete is not None and now - held.stored_at < ttl:
                reconciled = self._reconciled(held, key, data, complete=complete)
                if isinstance(reconciled, CachedRecord):
                    stored.append(reconciled)
                    continue
                data = reconciled
            entries[key] = data
            self._point(arrival, key)
            stored.append(CachedRecord(data, complete, now))
        self._arrive(arrival)
        return stored

    def evict(self, key: CacheKey) -> None:
        """Forget the entry at ``key``, if any."""
        with self._lock:
            held = self._held(key.acting_as, key.endpoint, key.key)
            if held is not None:
                self._drop(held, key.key)

    def views_of(self, endpoint: str, key: Hashable) -> list[str | None]:
        """The acting users who have an entry for this record."""
        with self._lock:
            views = self._index.get(endpoint)
            held = None if views is None else views.get(key)
            if held is None:
                return []
            return list(held) if held.__class__ is dict else [held.acting_as]

    def invalidate(self, endpoint: str | None = None, key: Hashable | None = None) -> int:
        """Forget entries: all of them, one endpoint's, or one record's (in every acting user's
        view). Returns how many were dropped. One record costs O(its entries)."""
        with self._lock:
            self._arrivals.expire()
            if endpoint is None and key is None:
                dropped = self._size
                self._clear()
                return dropped
            doomed: list[tuple[_Arrival, Hashable]] = []
            for family in [endpoint] if endpoint is not None else list(self._index):
                views = self._index.get(family, {})
                for ident in [key] if key is not None else list(views):
                    held = views.get(ident)
                    if held is not None:
                        arrivals = list(held.values()) if held.__class__ is dict else [held]
                        doomed.extend((arrival, ident) for arrival in arrivals)
            for arrival, ident in doomed:
                self._drop(arrival, ident)
            return len(doomed)

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._clear()

    def _clear(self) -> None:
        self._arrivals.clear()
        self._index.clear()
        self._size = 0

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
