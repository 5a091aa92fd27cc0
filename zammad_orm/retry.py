"""The :class:`Retry` policy: which failed requests are tried again, and after how long.

The policy only decides; :mod:`zammad_orm.transport` runs the attempts. It follows urllib3's
``Retry`` in its names and defaults (a retry count, exponential backoff with a cap, a set of
statuses and methods, ``Retry-After`` honoured) but is not built on it: urllib3's policy is
fixed per connection pool, sees neither the request body nor the caller's per-call choice, and
sleeps on its own clock. Here a decision can look at the body (a ``PUT`` that adds an article
must not be sent twice) and the sleeping is the client's, so tests inject theirs.

A failure is one of three kinds:

``NOT_SENT``
    the request never left (connection refused, connect timeout): safe to send again for
    every method the policy retries;
``MAYBE_APPLIED``
    it was sent and the reply never came (read timeout, connection dropped): the server may
    have applied it, so only requests that are safe to repeat are retried;
``STATUS``
    the server (or a proxy) answered one of :attr:`Retry.statuses`.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["DEFAULT_METHODS", "DEFAULT_STATUSES", "FailureKind", "Retry"]

#: the methods retried by default: the ones HTTP calls idempotent (POST is not)
DEFAULT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE"})
#: the statuses that mean "try again later": rate limited, bad gateway, unavailable, gateway
#: timeout
DEFAULT_STATUSES = frozenset({429, 502, 503, 504})
#: statuses that say the request was not processed: a proxy's 502 or 504 may come after Zammad
#: started working on it, so write-once requests are retried on these only
NOT_PROCESSED_STATUSES = frozenset({429, 503})


class FailureKind(enum.Enum):
    """How far a failed attempt got (see the module docs)."""

    NOT_SENT = "not sent"
    MAYBE_APPLIED = "maybe applied"
    STATUS = "status"


@dataclass(frozen=True)
class Retry:
    """When and how often a failed request is sent again.

    ``Retry()`` is the client's default; ``Retry(total=0)`` (or :meth:`never`) turns retries
    off. Pass one to ``Client(retry=...)`` or to a single call (``client.get(..., retry=...)``).

    :param total: how many times a request is sent again after the first attempt
    :param backoff_factor: the wait before retry *n* is drawn uniformly from
        ``[0, min(backoff_max, backoff_factor * 2 ** (n - 1))]`` ("full jitter")
    :param backoff_max: the cap of one backoff wait, in seconds
    :param retry_after_max: the cap on a server's ``Retry-After``, in seconds; a longer hint
        is waited this long
    :param methods: the methods that may be retried; add ``"POST"`` to opt in (a retried
        ``POST`` may create a record twice when the first reply was lost)
    :param statuses: the statuses that are retried
    :param write_once_keys: body keys that make a request unsafe to repeat once sent (a
        ticket ``PUT`` carrying an ``article`` would add it again): such requests are retried
        only when they never left or the server answered 429 or 503
    """

    total: int = 3
    backoff_factor: float = 0.5
    backoff_max: float = 30.0
    retry_after_max: float = 120.0
    methods: frozenset[str] = DEFAULT_METHODS
    statuses: frozenset[int] = DEFAULT_STATUSES
    write_once_keys: frozenset[str] = field(default_factory=lambda: frozenset({"article"}))

    def __post_init__(self) -> None:
        if isinstance(self.total, bool) or not isinstance(self.total, int) or self.total < 0:
            raise ValueError(f"Retry total must be an int of at least 0, got {self.total!r}")
        for name in ("backoff_factor", "backoff_max", "retry_after_max"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TypeError(f"Retry {name} must be a number of seconds, got {value!r}")
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"Retry {name} must be finite and at least 0, got {value!r}")
        object.__setattr__(self, "methods", frozenset(m.upper() for m in self.methods))
        object.__setattr__(self, "statuses", frozenset(self.statuses))
        object.__setattr__(self, "write_once_keys", frozenset(self.write_once_keys))

    @classmethod
    def never(cls) -> Retry:
        """A policy that never retries."""
        return cls(total=0)

    @property
    def attempts(self) -> int:
        """How many attempts a request gets at most."""
        return self.total + 1

    def is_write_once(self, body: Any) -> bool:
        """Whether a request with JSON ``body`` must not be repeated once sent."""
        return isinstance(body, Mapping) and any(key in body for key in self.write_once_keys)

    def allows(
        self,
        method: str,
        body: Any,
        kind: FailureKind,
        status: int | None,
        attempt: int,
    ) -> bool:
        """Whether attempt number ``attempt`` (1 for the first), which failed as ``kind``
        (with ``status`` for :attr:`FailureKind.STATUS`), is followed by another."""
        if attempt > self.total or method.upper() not in self.methods:
            return False
        write_once = self.is_write_once(body)
        if kind is FailureKind.NOT_SENT:
            return True
        if kind is FailureKind.MAYBE_APPLIED:
            return not write_once
        if status not in self.statuses:
            return False
        return not write_once or status in NOT_PROCESSED_STATUSES

    def wait(self, attempt: int, retry_after: float | None, jitter: Callable[[], float]) -> float:
        """Seconds to wait after failed attempt number ``attempt``: the server's ``Retry-After``
        (capped at :attr:`retry_after_max`) when it sent one, else the jittered backoff.

        :param jitter: a source of floats in ``[0, 1)`` (``random.random``)
        """
        if retry_after is not None:
            return min(max(0.0, retry_after), self.retry_after_max)
        ceiling = min(self.backoff_max, self.backoff_factor * 2.0 ** min(attempt - 1, 62))
        return jitter() * ceiling
