"""The identity cache: at most one live object per endpoint, id and acting user.

Each :class:`~zammad_orm.Client` owns one. Within the time to live, asking twice for the same
record gives the same object; after it, the next ask builds a fresh handle that loads again.
:class:`cachetools.TTLCache` is not thread-safe, so every access holds a lock; no HTTP request
is ever made while holding it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, NamedTuple, TypeVar

from cachetools import TTLCache

__all__ = ["CacheKey", "IdentityCache"]

T = TypeVar("T")


class CacheKey(NamedTuple):
    """Where an object lives in the cache."""

    #: the user the client impersonated when the object was loaded, or None
    acting_as: str | None
    #: the endpoint of the object's family, e.g. ``"tickets"``
    endpoint: str
    #: the record id, or a name for non-record entries such as lookup indexes
    key: Hashable


class IdentityCache:
    """A locked :class:`cachetools.TTLCache` of resource objects and lookup tables.

    :param maxsize: how many entries it holds at most (least recently used go first)
    :param ttl: seconds an entry lives
    :param timer: the clock, in seconds; inject a fake one in tests instead of sleeping
    """

    def __init__(self, *, maxsize: int, ttl: float, timer: Callable[[], float]) -> None:
        if maxsize < 1:
            raise ValueError(f"cache_maxsize must be at least 1, got {maxsize}")
        if ttl <= 0:
            raise ValueError(f"cache_ttl must be positive, got {ttl}")
        self._entries: TTLCache[CacheKey, Any] = TTLCache(maxsize=maxsize, ttl=ttl, timer=timer)
        self._lock = threading.Lock()

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

    def get(self, key: CacheKey) -> Any | None:
        """The live entry at ``key``, or None."""
        with self._lock:
            return self._entries.get(key)

    def put(self, key: CacheKey, value: Any) -> None:
        """Store ``value`` at ``key``, replacing any entry and restarting its time to live."""
        with self._lock:
            self._entries[key] = value

    def get_or_put(self, key: CacheKey, factory: Callable[[], T]) -> T:
        """The live entry at ``key``; if there is none, store and return ``factory()``.

        ``factory`` runs under the lock, so it must be cheap and never make a request.
        """
        with self._lock:
            try:
                value: T = self._entries[key]
            except KeyError:
                value = factory()
                self._entries[key] = value
            return value

    def evict(self, key: CacheKey) -> None:
        """Forget the entry at ``key``, if any."""
        with self._lock:
            self._entries.pop(key, None)

    def invalidate(self, endpoint: str | None = None, key: Hashable | None = None) -> int:
        """Forget entries: all of them, one endpoint's, or one record's (in every acting user's
        view). Returns how many were dropped."""
        with self._lock:
            doomed = [
                entry
                for entry in self._entries
                if (endpoint is None or entry.endpoint == endpoint)
                and (key is None or entry.key == key)
            ]
            for entry in doomed:
                del self._entries[entry]
            return len(doomed)

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._entries.clear()
