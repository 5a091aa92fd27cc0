"""Property: whatever sequence of assignments and saves, the server ends up holding exactly
the values the object shows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zammad_orm import Client
from zammad_orm.testing import FakeZammad

STATES = ["open", "closed"]  # "new" only on create, pending states need a pending_time
PRIORITIES = ["1 low", "2 normal", "3 high"]

assignment = st.one_of(
    st.tuples(st.just("title"), st.text(min_size=1, max_size=20).map(str.strip).filter(bool)),
    st.tuples(st.just("note"), st.one_of(st.none(), st.text(max_size=20))),
    st.tuples(st.just("state"), st.sampled_from(STATES)),
    st.tuples(st.just("priority"), st.sampled_from(PRIORITIES)),
    st.tuples(st.just("preferences.key"), st.integers(0, 5)),
    st.tuples(st.just("save"), st.none()),
)


@pytest.fixture(scope="module")
def server() -> Iterator[FakeZammad]:
    with FakeZammad() as fake:
        yield fake


def shown(client: Client, ticket_id: int) -> dict[str, Any]:
    ticket = client.tickets(ticket_id)
    assert ticket.state is not None
    assert ticket.priority is not None
    return {
        "title": ticket.title,
        "note": ticket.note,
        "state": ticket.state.name,
        "priority": ticket.priority.name,
        "key": ticket.preferences.get("key"),
    }


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(assignment, max_size=12))
def test_server_ends_with_what_the_object_shows(
    server: FakeZammad, steps: list[tuple[str, Any]]
) -> None:
    client = Client(server.url, http_token=server.token)
    created = client.post("tickets", json={"title": "Prop", "group": "Users", "customer_id": 2})
    ticket = client.tickets(created["id"])
    for field, value in steps:
        if field == "save":
            ticket.save()
        elif field == "preferences.key":
            ticket.preferences["key"] = value
        else:
            setattr(ticket, field, value)
    ticket.save()
    assert not ticket.is_dirty
    expected = shown(client, ticket.id)
    fresh = Client(server.url, http_token=server.token)
    assert shown(fresh, ticket.id) == expected
