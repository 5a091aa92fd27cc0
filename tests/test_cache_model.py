"""The shared record cache against a reference model: every answer and every count the same.

The model is what the cache promises, written the slow and obvious way: entries indexed by
(acting user, endpoint, key), each belonging to the arrival it came with; arrivals in a list,
least recently used first; everything expired removed before each operation. The real cache
expires lazily and indexes by endpoint, so the two agreeing after each step of thousands of
random sequences (records, partial records, lookup entries, reads, evictions, invalidations,
the clock moving) says the cache keeps its promises; the structural check says its own
bookkeeping (the size, the index, the arrivals) never drifts.

``ZAMMAD_ORM_FUZZ_CASES`` sets the number of sequences (150 by default).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import pytest
from fuzzing import CASES
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from zammad_orm.cache import CachedRecord, CacheKey, RecordCache, order_by_update
from zammad_orm.changes import disagree

pytestmark = pytest.mark.fuzz

TTL = 10.0
users = st.sampled_from([None, "nicole", "erik"])
endpoints = st.sampled_from(["tickets", "users"])
keys = st.integers(0, 4)
stamps = st.sampled_from([None, "2024-01-01T00:00:01.000Z", "2024-01-01T00:00:02.000Z"])
values = st.integers(0, 2)


def record(ident: int, stamp: str | None, value: int, extra: bool = False) -> dict[str, Any]:
    """A record with an id, a value, maybe a timestamp and maybe a field other copies lack."""
    data: dict[str, Any] = {"id": ident, "value": value}
    if stamp is not None:
        data["updated_at"] = stamp
    if extra:
        data["article_ids"] = [ident]
    return data


records = st.builds(record, keys, stamps, values, st.booleans())


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Arrival:
    """The model's arrival: entries that came together, and when."""

    def __init__(self, user: str | None, endpoint: str, complete: bool | None, at: float) -> None:
        self.user, self.endpoint, self.complete, self.at = user, endpoint, complete, at
        self.entries: dict[Hashable, Any] = {}


class Model:
    """What the cache promises, the obvious way."""

    def __init__(self, maxsize: int, clock: Clock) -> None:
        self.maxsize, self.clock = maxsize, clock
        self.index: dict[tuple[str | None, str, Hashable], Arrival] = {}
        self.used: list[Arrival] = []  # least recently used first

    def expire(self) -> None:
        now = self.clock()
        for arrival in [a for a in self.used if not now < a.at + TTL]:
            self.used.remove(arrival)
            for key in arrival.entries:
                if self.index.get((arrival.user, arrival.endpoint, key)) is arrival:
                    del self.index[(arrival.user, arrival.endpoint, key)]

    def live(self, user: str | None, endpoint: str, key: Hashable) -> Arrival | None:
        arrival = self.index.get((user, endpoint, key))
        if arrival is not None:
            self.used.remove(arrival)
            self.used.append(arrival)
        return arrival

    def drop(self, arrival: Arrival, key: Hashable) -> None:
        del self.index[(arrival.user, arrival.endpoint, key)]
        del arrival.entries[key]
        if not arrival.entries and arrival in self.used:
            self.used.remove(arrival)

    def point(self, arrival: Arrival, key: Hashable) -> None:
        before = self.index.get((arrival.user, arrival.endpoint, key))
        if before is not None and before is not arrival:
            del before.entries[key]
            if not before.entries and before in self.used:
                self.used.remove(before)
        self.index[(arrival.user, arrival.endpoint, key)] = arrival

    def arrive(self, arrival: Arrival) -> None:
        while len(self.index) > self.maxsize and self.used:
            gone = self.used.pop(0)
            for key in gone.entries:
                del self.index[(gone.user, gone.endpoint, key)]
        for key in list(arrival.entries)[: max(0, len(self.index) - self.maxsize)]:
            self.drop(arrival, key)
        if arrival.entries:
            self.used.append(arrival)

    def store_all(
        self,
        user: str | None,
        endpoint: str,
        datas: Sequence[Mapping[str, Any]],
        complete: bool,
        *,
        checked: bool = False,
    ) -> list[CachedRecord]:
        now = self.clock()
        arrival = Arrival(user, endpoint, complete, now)
        stored = []
        for data in datas:
            key = data["id"]
            held = None if checked else self.index.get((user, endpoint, key))
            if held is not None and held.complete is not None:
                current = held.entries[key]
                order = order_by_update(current, data)
                if order is not None and order > 0:
                    stored.append(CachedRecord(current, held.complete, held.at))
                    continue
                if order == 0 and complete and held.complete and current != data:
                    if disagree(current, data):
                        self.drop(held, key)
                        stored.append(CachedRecord(data, complete, now))
                        continue
                    data = {**current, **data}
            arrival.entries[key] = data
            self.point(arrival, key)
            stored.append(CachedRecord(data, complete, now))
        self.arrive(arrival)
        return stored

    def store(self, key: CacheKey, data: Mapping[str, Any], complete: bool) -> CachedRecord:
        self.expire()
        partial = not complete
        if partial:
            held = self.live(*key)
            if held is not None and held.complete is not None:
                current = held.entries[key.key]
                order = order_by_update(current, data)
                if order is not None and order > 0:
                    return CachedRecord(current, held.complete, held.at)
                data = {**current, **data}
                complete = held.complete
        return self.store_all(key.acting_as, key.endpoint, [data], complete, checked=partial)[0]

    def store_records(
        self, user: str | None, endpoint: str, datas: Sequence[Mapping[str, Any]]
    ) -> list[CachedRecord]:
        self.expire()
        return self.store_all(user, endpoint, datas, True)

    def put(self, key: CacheKey, value: Any) -> None:
        self.expire()
        arrival = Arrival(key.acting_as, key.endpoint, None, self.clock())
        arrival.entries[key.key] = value
        self.point(arrival, key.key)
        self.arrive(arrival)

    def get(self, key: CacheKey) -> Any:
        self.expire()
        arrival = self.live(*key)
        if arrival is None:
            return None
        value = arrival.entries[key.key]
        return (
            value if arrival.complete is None else CachedRecord(value, arrival.complete, arrival.at)
        )

    def record(self, key: CacheKey) -> CachedRecord | None:
        found = self.get(key)
        return found if isinstance(found, CachedRecord) else None

    def evict(self, key: CacheKey) -> None:
        self.expire()
        arrival = self.index.get(tuple(key))  # type: ignore[arg-type]
        if arrival is not None:
            self.drop(arrival, key.key)

    def invalidate(self, endpoint: str | None, key: Hashable | None) -> int:
        self.expire()
        doomed = [
            (arrival, k)
            for (_user, e, k), arrival in self.index.items()
            if (endpoint is None or e == endpoint) and (key is None or k == key)
        ]
        for arrival, k in doomed:
            self.drop(arrival, k)
        return len(doomed)

    def __len__(self) -> int:
        self.expire()
        return len(self.index)


def check_bookkeeping(cache: RecordCache) -> None:
    """The size counts the index; the index and the arrivals agree; the bound holds."""
    indexed: dict[int, set[Hashable]] = {}
    count = 0
    for endpoint, views in cache._index.items():
        for key, held in views.items():
            if held.__class__ is dict:
                assert len(held) >= 2, "a dict of views holds several users"
                pairs = list(held.items())
            else:
                pairs = [(held.acting_as, held)]
            for user, arrival in pairs:
                assert (arrival.acting_as, arrival.endpoint) == (user, endpoint)
                assert key in arrival.entries
                indexed.setdefault(id(arrival), set()).add(key)
                count += 1
    assert count == cache._size
    assert cache._size <= cache.maxsize
    # every arrival, expired ones included: asking the TTLCache itself would expire them
    arrivals = list(cache._arrivals._Cache__data)  # type: ignore[attr-defined]
    for arrival in arrivals:
        assert set(arrival.entries) == indexed.get(id(arrival), set())
    assert {id(arrival) for arrival in arrivals} >= set(indexed)


class CacheAgainstModel(RuleBasedStateMachine):
    """Random sequences of operations, on the cache and on the model."""

    cache: RecordCache
    model: Model

    @initialize(maxsize=st.integers(1, 6))
    def start(self, maxsize: int) -> None:
        self.clock = Clock()
        self.cache = RecordCache(maxsize=maxsize, ttl=TTL, timer=self.clock)
        self.model = Model(maxsize, self.clock)

    @rule(seconds=st.sampled_from([0, 1, 3, 9.5, 10, 11]))
    def time_passes(self, seconds: float) -> None:
        self.clock.now += seconds

    @rule(user=users, endpoint=endpoints, page=st.lists(records, max_size=8))
    def a_page_arrives(self, user: str | None, endpoint: str, page: list[dict[str, Any]]) -> None:
        assert self.cache.store_records(user, endpoint, page) == self.model.store_records(
            user, endpoint, page
        )

    @rule(user=users, endpoint=endpoints, data=records, complete=st.booleans())
    def a_record_arrives(
        self, user: str | None, endpoint: str, data: dict[str, Any], complete: bool
    ) -> None:
        key = CacheKey(user, endpoint, data["id"])
        if not complete:  # a partial reply carries a field of its own
            data = {"id": data["id"], "note": data["value"], **data}
            del data["value"]
        assert self.cache.store(key, data, complete=complete) == self.model.store(
            key, data, complete
        )

    @rule(user=users, endpoint=endpoints, key=keys, value=values)
    def an_index_is_put(self, user: str | None, endpoint: str, key: int, value: int) -> None:
        self.cache.put(CacheKey(user, endpoint, key), ("index", value))
        self.model.put(CacheKey(user, endpoint, key), ("index", value))

    @rule(user=users, endpoint=endpoints, key=keys)
    def an_entry_is_read(self, user: str | None, endpoint: str, key: int) -> None:
        where = CacheKey(user, endpoint, key)
        assert self.cache.get(where) == self.model.get(where)
        assert self.cache.record(where) == self.model.record(where)

    @rule(user=users, endpoint=endpoints, key=keys)
    def an_entry_is_evicted(self, user: str | None, endpoint: str, key: int) -> None:
        self.cache.evict(CacheKey(user, endpoint, key))
        self.model.evict(CacheKey(user, endpoint, key))

    @rule(endpoint=st.none() | endpoints, key=st.none() | keys)
    def entries_are_invalidated(self, endpoint: str | None, key: int | None) -> None:
        assert self.cache.invalidate(endpoint, key) == self.model.invalidate(endpoint, key)

    @rule()
    def entries_are_counted(self) -> None:
        assert len(self.cache) == len(self.model)

    @invariant()
    def bookkeeping_holds(self) -> None:
        if hasattr(self, "cache"):
            check_bookkeeping(self.cache)


CacheAgainstModel.TestCase.settings = settings(
    max_examples=CASES, stateful_step_count=40, deadline=None
)
test_the_cache_answers_as_the_model = CacheAgainstModel.TestCase
