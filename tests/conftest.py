"""Shared fixtures. ``zammad_server`` and ``zammad_client`` come from zammad_orm's pytest
plugin (``zammad_orm.testing.pytest_plugin``), as they do for our users."""

from __future__ import annotations

from typing import Any

import pytest
from support import NewTicket

from zammad_orm import Client
from zammad_orm.testing import FakeZammad
from zammad_orm.testing.indexes import ColumnIndex

#: every index lookup of the fake server is checked against a scan of its table
ColumnIndex.verify = True


@pytest.fixture
def new_ticket(zammad_client: Client, zammad_server: FakeZammad) -> NewTicket:
    """Create a ticket with raw requests (not the code under test) and return its id; the
    request log is cleared afterwards so tests count only their own requests."""

    def create(**fields: Any) -> int:
        payload = {"title": "Test ticket", "group": "Users", "customer_id": 2, **fields}
        ticket_id = int(zammad_client.post("tickets", json=payload)["id"])
        zammad_server.clear_requests()
        return ticket_id

    return create
