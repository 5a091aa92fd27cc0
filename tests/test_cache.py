"""The identity cache on its own: keys, time to live, invalidation."""

from __future__ import annotations

import threading

import pytest

from zammad_orm.cache import CacheKey, IdentityCache


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def cache(clock: FakeClock) -> IdentityCache:
    return IdentityCache(maxsize=100, ttl=60, timer=clock)


def test_get_or_put_returns_the_same_object_within_ttl(cache: IdentityCache) -> None:
    key = CacheKey(None, "groups", 1)
    first = cache.get_or_put(key, object)
    assert cache.get_or_put(key, object) is first


def test_entries_expire_after_ttl(cache: IdentityCache, clock: FakeClock) -> None:
    key = CacheKey(None, "groups", 1)
    first = cache.get_or_put(key, object)
    clock.now += 61
    assert cache.get(key) is None
    assert cache.get_or_put(key, object) is not first


def test_acting_user_is_part_of_the_key(cache: IdentityCache) -> None:
    admin = cache.get_or_put(CacheKey(None, "tickets", 1), object)
    customer = cache.get_or_put(CacheKey("nicole", "tickets", 1), object)
    assert admin is not customer


def test_invalidate_one_endpoint_keeps_others(cache: IdentityCache) -> None:
    cache.put(CacheKey(None, "tickets", 1), "t")
    cache.put(CacheKey(None, "groups", 1), "g")
    assert cache.invalidate("tickets") == 1
    assert cache.get(CacheKey(None, "groups", 1)) == "g"
    assert cache.get(CacheKey(None, "tickets", 1)) is None


def test_invalidate_one_record_in_every_view(cache: IdentityCache) -> None:
    cache.put(CacheKey(None, "tickets", 1), "a")
    cache.put(CacheKey("nicole", "tickets", 1), "b")
    cache.put(CacheKey(None, "tickets", 2), "c")
    assert cache.invalidate("tickets", 1) == 2
    assert len(cache) == 1


def test_clear_forgets_everything(cache: IdentityCache) -> None:
    cache.put(CacheKey(None, "tickets", 1), "a")
    cache.clear()
    assert len(cache) == 0


def test_maxsize_bounds_the_number_of_entries(clock: FakeClock) -> None:
    cache = IdentityCache(maxsize=3, ttl=60, timer=clock)
    for ident in range(10):
        cache.put(CacheKey(None, "tickets", ident), ident)
    assert len(cache) == 3


@pytest.mark.parametrize(("maxsize", "ttl"), [(0, 60), (10, 0)])
def test_nonsense_settings_are_rejected(maxsize: int, ttl: float) -> None:
    with pytest.raises(ValueError, match="cache_"):
        IdentityCache(maxsize=maxsize, ttl=ttl, timer=FakeClock())


def test_concurrent_get_or_put_builds_one_object(cache: IdentityCache) -> None:
    key = CacheKey(None, "tickets", 1)
    seen: list[object] = []
    barrier = threading.Barrier(8)

    def worker() -> None:
        barrier.wait()
        seen.append(cache.get_or_put(key, object))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(obj) for obj in seen}) == 1
