"""Helpers the test modules share (fixtures live in conftest.py)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from zammad_orm.testing import FakeZammad, RecordedRequest

#: the ``new_ticket`` fixture: creates a ticket from keyword fields, returns its id
NewTicket = Callable[..., int]


def wire(server: FakeZammad) -> list[tuple[str, str]]:
    """The requests the server received, as ``(method, endpoint)`` pairs."""
    return [(request.method, request.endpoint) for request in server.requests]


def last(server: FakeZammad) -> RecordedRequest:
    """The last request the server received."""
    return server.requests[-1]


def in_thread(work: Callable[[], Any]) -> Any:
    """Run ``work()`` in a new thread (its own default unit of work) and return its result,
    re-raising its exception."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as error:
            outcome["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")
