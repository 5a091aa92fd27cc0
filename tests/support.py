"""Helpers the test modules share (fixtures live in conftest.py)."""

from __future__ import annotations

from collections.abc import Callable

from zammad_orm.testing import FakeZammad, RecordedRequest

#: the ``new_ticket`` fixture: creates a ticket from keyword fields, returns its id
NewTicket = Callable[..., int]


def wire(server: FakeZammad) -> list[tuple[str, str]]:
    """The requests the server received, as ``(method, endpoint)`` pairs."""
    return [(request.method, request.endpoint) for request in server.requests]


def last(server: FakeZammad) -> RecordedRequest:
    """The last request the server received."""
    return server.requests[-1]
