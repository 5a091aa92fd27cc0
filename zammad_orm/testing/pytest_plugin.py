"""pytest fixtures for testing code that talks to Zammad, registered through the ``pytest11``
entry point when zammad_orm is installed.

``zammad_server``
    a running :class:`~zammad_orm.testing.FakeZammad` in the state of a new install: one server
    serves the whole session and is :meth:`~zammad_orm.testing.FakeZammad.reset` before each
    test (seed data restored, request log and pending faults cleared, latency back to 0).
``zammad_client``
    a :class:`~zammad_orm.Client` authenticated with the server's token.

Example::

    def test_closing_a_ticket(zammad_client):
        ticket = zammad_client.tickets(1)
        ticket.state = "closed"
        ticket.save()
        assert zammad_client.tickets.get(1).state.name == "closed"
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from zammad_orm.client import Client
    from zammad_orm.testing import FakeZammad


@pytest.fixture(scope="session")
def _zammad_session_server() -> Iterator[FakeZammad]:
    """The one fake server of the test session (started lazily, stopped at the end)."""
    from zammad_orm.testing import FakeZammad

    with FakeZammad() as server:
        yield server


@pytest.fixture
def zammad_server(_zammad_session_server: FakeZammad) -> Iterator[FakeZammad]:
    """A fake Zammad server on loopback, seeded as a new install, reset before the test."""
    server = _zammad_session_server
    latency = server.latency
    server.start()  # a no-op unless an earlier test stopped it
    server.reset()
    try:
        yield server
    finally:
        server.latency = latency


@pytest.fixture
def zammad_client(zammad_server: FakeZammad) -> Iterator[Client]:
    """A :class:`~zammad_orm.Client` bound to :func:`zammad_server` with its API token."""
    from zammad_orm.client import Client

    client = Client(zammad_server.url, http_token=zammad_server.token)
    try:
        yield client
    finally:
        client.session.close()
