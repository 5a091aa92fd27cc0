"""The shared record cache on its own: keys, time to live, records, invalidation, one flight."""

from __future__ import annotations

import threading
import time

import pytest

from zammad_orm.cache import CacheKey, RecordCache, order_by_update


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def cache(clock: FakeClock) -> RecordCache:
    return RecordCache(maxsize=100, ttl=60, timer=clock)


def test_a_stored_record_is_read_back_within_ttl(cache: RecordCache) -> None:
    key = CacheKey(None, "groups", 1)
    cache.store(key, {"id": 1, "name": "Users"}, complete=True)
    record = cache.record(key)
    assert record is not None
    assert record.data == {"id": 1, "name": "Users"}
    assert record.complete


def test_entries_expire_after_ttl(cache: RecordCache, clock: FakeClock) -> None:
    key = CacheKey(None, "groups", 1)
    cache.store(key, {"id": 1}, complete=True)
    clock.now += 61
    assert cache.record(key) is None


def test_a_partial_reply_keeps_the_fields_it_lacks(cache: RecordCache) -> None:
    key = CacheKey(None, "users", 3)
    cache.store(key, {"id": 3, "login": "a", "note": "kept"}, complete=True)
    stored = cache.store(key, {"id": 3, "login": "b"}, complete=False)
    assert stored.data == {"id": 3, "login": "b", "note": "kept"}
    assert stored.complete


def test_a_complete_reply_replaces_the_record(cache: RecordCache) -> None:
    key = CacheKey(None, "users", 3)
    cache.store(key, {"id": 3, "note": "old"}, complete=True)
    assert cache.store(key, {"id": 3}, complete=True).data == {"id": 3}


def test_acting_user_is_part_of_the_key(cache: RecordCache) -> None:
    cache.store(CacheKey(None, "tickets", 1), {"id": 1, "title": "admin's"}, complete=True)
    assert cache.record(CacheKey("nicole", "tickets", 1)) is None


def test_invalidate_one_endpoint_keeps_others(cache: RecordCache) -> None:
    cache.put(CacheKey(None, "tickets", 1), "t")
    cache.put(CacheKey(None, "groups", 1), "g")
    assert cache.invalidate("tickets") == 1
    assert cache.get(CacheKey(None, "groups", 1)) == "g"
    assert cache.get(CacheKey(None, "tickets", 1)) is None


def test_invalidate_one_record_in_every_view(cache: RecordCache) -> None:
    cache.put(CacheKey(None, "tickets", 1), "a")
    cache.put(CacheKey("nicole", "tickets", 1), "b")
    cache.put(CacheKey(None, "tickets", 2), "c")
    assert cache.invalidate("tickets", 1) == 2
    assert len(cache) == 1


def test_views_of_a_record_follow_expiry_and_eviction(clock: FakeClock) -> None:
    cache = RecordCache(maxsize=2, ttl=60, timer=clock)
    cache.put(CacheKey(None, "tickets", 1), "a")
    cache.put(CacheKey("nicole", "tickets", 1), "b")
    assert sorted(cache.views_of("tickets", 1), key=str) == [None, "nicole"]
    cache.put(CacheKey(None, "tickets", 2), "c")  # evicts the oldest view
    assert cache.views_of("tickets", 1) == ["nicole"]
    clock.now += 61
    len(cache)  # expires everything
    assert cache.views_of("tickets", 1) == []


def test_clear_forgets_everything(cache: RecordCache) -> None:
    cache.put(CacheKey(None, "tickets", 1), "a")
    cache.clear()
    assert len(cache) == 0
    assert cache.views_of("tickets", 1) == []


def test_maxsize_bounds_the_number_of_entries(clock: FakeClock) -> None:
    cache = RecordCache(maxsize=3, ttl=60, timer=clock)
    for ident in range(10):
        cache.put(CacheKey(None, "tickets", ident), ident)
    assert len(cache) == 3


@pytest.mark.parametrize(("maxsize", "ttl"), [(0, 60), (10, 0), (10, -1), (True, 60)])
def test_nonsense_settings_are_rejected(maxsize: int, ttl: float) -> None:
    with pytest.raises(ValueError, match="cache_"):
        RecordCache(maxsize=maxsize, ttl=ttl, timer=FakeClock())


def test_concurrent_callers_share_one_flight(cache: RecordCache) -> None:
    calls: list[int] = []
    started = threading.Event()
    results: list[object] = []

    def fetch() -> object:
        calls.append(1)
        started.set()
        time.sleep(0.05)
        return object()

    def worker() -> None:
        results.append(cache.single_flight("key", fetch))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    threads[0].start()
    started.wait()
    for thread in threads[1:]:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert len({id(result) for result in results}) == 1


def test_a_failed_flight_lets_each_waiter_try_again(cache: RecordCache) -> None:
    attempts: list[int] = []

    def fetch() -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise OSError("first try fails")
        return "ok"

    with pytest.raises(OSError, match="first try"):
        cache.single_flight("key", fetch)
    assert cache.single_flight("key", fetch) == "ok"


def test_an_older_reply_does_not_replace_a_newer_record(cache: RecordCache) -> None:
    key = CacheKey(None, "tickets", 1)
    cache.store(
        key, {"id": 1, "title": "new", "updated_at": "2024-01-01T10:00:01.000Z"}, complete=True
    )
    kept = cache.store(
        key, {"id": 1, "title": "old", "updated_at": "2024-01-01T10:00:00.000Z"}, complete=True
    )
    assert kept.data["title"] == "new"
    record = cache.record(key)
    assert record is not None
    assert record.data["title"] == "new"


def test_two_different_records_of_the_same_moment_are_both_dropped(cache: RecordCache) -> None:
    key = CacheKey(None, "tickets", 1)
    moment = "2024-01-01T10:00:00.000Z"
    cache.store(key, {"id": 1, "title": "a", "updated_at": moment}, complete=True)
    cache.store(key, {"id": 1, "title": "b", "updated_at": moment}, complete=True)
    assert cache.record(key) is None


def test_timestamps_of_other_forms_are_compared_as_moments() -> None:
    earlier = {"updated_at": "2024-01-01T11:00:00+01:00"}
    later = {"updated_at": "2024-01-01T10:00:00.500Z"}
    assert order_by_update(earlier, later) == -1
    assert order_by_update(later, earlier) == 1
    assert order_by_update({}, later) is None


def test_records_that_arrive_together_expire_together(cache: RecordCache, clock: FakeClock) -> None:
    cache.store_records(None, "tickets", [{"id": 1}, {"id": 2}])
    clock.now += 30
    cache.store(CacheKey(None, "tickets", 3), {"id": 3}, complete=True)
    clock.now += 31
    assert cache.record(CacheKey(None, "tickets", 1)) is None
    assert cache.record(CacheKey(None, "tickets", 2)) is None
    assert cache.record(CacheKey(None, "tickets", 3)) is not None
    assert len(cache) == 1


def test_a_record_that_arrives_again_lives_from_its_new_arrival(
    cache: RecordCache, clock: FakeClock
) -> None:
    cache.store_records(None, "tickets", [{"id": 1}, {"id": 2}])
    clock.now += 40
    cache.store_records(None, "tickets", [{"id": 1, "title": "again"}])
    clock.now += 21
    record = cache.record(CacheKey(None, "tickets", 1))
    assert record is not None
    assert record.data["title"] == "again"
    assert record.stored_at == clock.now - 21
    assert cache.record(CacheKey(None, "tickets", 2)) is None
    assert len(cache) == 1


def test_maxsize_counts_records_not_arrivals(clock: FakeClock) -> None:
    cache = RecordCache(maxsize=10, ttl=60, timer=clock)
    cache.store_records(None, "tickets", [{"id": ident} for ident in range(10)])
    assert len(cache) == 10
    assert all(cache.record(CacheKey(None, "tickets", ident)) for ident in range(10))


def test_a_full_cache_drops_the_least_recently_used_arrival(clock: FakeClock) -> None:
    cache = RecordCache(maxsize=4, ttl=60, timer=clock)
    cache.store_records(None, "tickets", [{"id": 1}, {"id": 2}])
    cache.store_records(None, "tickets", [{"id": 3}, {"id": 4}])
    assert cache.record(CacheKey(None, "tickets", 1)) is not None  # 1 and 2 were used last
    cache.store(CacheKey(None, "users", 9), {"id": 9}, complete=True)
    assert len(cache) == 3
    assert cache.record(CacheKey(None, "tickets", 3)) is None
    assert cache.record(CacheKey(None, "tickets", 4)) is None
    assert cache.record(CacheKey(None, "tickets", 2)) is not None
    assert cache.views_of("tickets", 3) == []


def test_a_page_larger_than_the_cache_keeps_its_last_records(clock: FakeClock) -> None:
    cache = RecordCache(maxsize=3, ttl=60, timer=clock)
    cache.store_records(None, "tickets", [{"id": ident} for ident in range(1, 6)])
    assert len(cache) == 3
    kept = [ident for ident in range(1, 6) if cache.record(CacheKey(None, "tickets", ident))]
    assert kept == [3, 4, 5]


def test_one_arrival_holds_records_of_one_user_only(cache: RecordCache) -> None:
    cache.store_records(None, "tickets", [{"id": 1, "title": "admin's"}])
    cache.store_records("nicole", "tickets", [{"id": 1, "title": "nicole's"}])
    assert sorted(cache.views_of("tickets", 1), key=str) == [None, "nicole"]
    assert cache.invalidate("tickets", 1) == 2
    assert len(cache) == 0


def test_an_older_record_in_a_page_keeps_the_newer_one(cache: RecordCache) -> None:
    newer = {"id": 1, "title": "new", "updated_at": "2024-01-01T10:00:01.000Z"}
    cache.store(CacheKey(None, "tickets", 1), newer, complete=True)
    older = {"id": 1, "title": "old", "updated_at": "2024-01-01T10:00:00.000Z"}
    stored = cache.store_records(None, "tickets", [older, {"id": 2}])
    assert [record.data.get("title") for record in stored] == ["new", None]
    record = cache.record(CacheKey(None, "tickets", 1))
    assert record is not None
    assert record.data["title"] == "new"


def test_making_room_never_evicts_the_arrival_being_added() -> None:
    class Ticking:
        """A clock that moves on every reading, as a real one may between two reads."""

        def __init__(self) -> None:
            self.now, self.step = 0.0, 0.0

        def __call__(self) -> float:
            self.now += self.step
            return self.now

    clock = Ticking()
    cache = RecordCache(maxsize=2, ttl=10, timer=clock)
    cache.store_records(None, "tickets", [{"id": 1}])
    clock.now, clock.step = 9.99, 0.003  # the first arrival expires while room is made
    cache.store_records(None, "tickets", [{"id": 2}, {"id": 3}])
    clock.step = 0
    assert len(cache) == 2
    assert cache.record(CacheKey(None, "tickets", 2)) is not None
    assert cache.record(CacheKey(None, "tickets", 3)) is not None


def test_expired_entries_make_room_before_live_ones_are_evicted(clock: FakeClock) -> None:
    cache = RecordCache(maxsize=5, ttl=10, timer=clock)
    cache.put(CacheKey("erik", "tickets", 0), "expires first")
    clock.now += 5
    cache.put(CacheKey("nicole", "users", 1), "still fresh")
    clock.now += 7  # the first entry expired; nothing removed it yet
    cache.store_records(None, "tickets", [{"id": ident} for ident in range(4)])
    assert len(cache) == 5
    assert cache.get(CacheKey("nicole", "users", 1)) == "still fresh"


def test_copies_of_one_moment_that_carry_other_fields_are_joined(cache: RecordCache) -> None:
    moment = "2024-01-01T10:00:00.000Z"
    key = CacheKey(None, "tickets", 1)
    cache.store(key, {"id": 1, "title": "a", "updated_at": moment}, complete=True)
    cache.store_records(None, "tickets", [{"id": 1, "article_ids": [7], "updated_at": moment}])
    record = cache.record(key)
    assert record is not None
    assert record.data == {"id": 1, "title": "a", "article_ids": [7], "updated_at": moment}


def test_a_partial_reply_of_the_same_moment_is_laid_over_the_record(
    cache: RecordCache,
) -> None:
    moment = "2024-01-01T10:00:00.000Z"
    key = CacheKey(None, "users", 3)
    cache.store(key, {"id": 3, "login": "a", "note": "kept", "updated_at": moment}, complete=True)
    stored = cache.store(key, {"id": 3, "login": "b", "updated_at": moment}, complete=False)
    assert stored.data["login"] == "b"
    assert stored.data["note"] == "kept"
    assert cache.record(key) == stored
