"""Iterating a search while the loop changes what matches yields every match once."""

from __future__ import annotations

from zammad_orm import Client
from zammad_orm.testing import FakeZammad


def open_tickets(client: Client, count: int) -> list[int]:
    return [
        client.post("tickets", json={"title": f"Open {n}", "group": "Users", "customer_id": 2})[
            "id"
        ]
        for n in range(count)
    ]


def test_closing_every_result_of_a_search_for_open_tickets_skips_none(
    zammad_client: Client,
) -> None:
    created = open_tickets(zammad_client, 25)
    query = "state.name:new AND title:Open"
    seen = []
    for ticket in zammad_client.tickets.search(query, per_page=4):
        seen.append(ticket.id)
        ticket.state = "closed"
        ticket.save()
    assert sorted(seen) == sorted(created)
    assert len(seen) == len(set(seen))


def test_search_pages_ask_for_ids_after_the_last_one_seen(
    zammad_server: FakeZammad, zammad_client: Client
) -> None:
    created = open_tickets(zammad_client, 5)
    zammad_server.clear_requests()
    list(zammad_client.tickets.search("title:Open", per_page=2))
    queries = [r.query for r in zammad_server.requests if r.endpoint == "/tickets/search"]
    assert [q["query"] for q in queries] == [
        "title:Open",
        f"(title:Open) AND id:>{created[1]}",
        f"(title:Open) AND id:>{created[3]}",
    ]
    assert all((q["sort_by"], q["order_by"], q["page"]) == ("id", "asc", "1") for q in queries)


def test_a_search_with_its_own_order_pages_by_offset(
    zammad_server: FakeZammad, zammad_client: Client
) -> None:
    open_tickets(zammad_client, 3)
    zammad_server.clear_requests()
    list(zammad_client.tickets.search("title:Open", sort_by="created_at", per_page=2))
    pages = [r.query["page"] for r in zammad_server.requests if r.endpoint == "/tickets/search"]
    assert pages == ["1", "2"]


def test_a_search_without_keyset_pages_by_offset(
    zammad_server: FakeZammad, zammad_client: Client
) -> None:
    open_tickets(zammad_client, 3)
    zammad_server.clear_requests()
    list(zammad_client.tickets.search("title:Open", per_page=2, keyset=False))
    queries = [r.query for r in zammad_server.requests if r.endpoint == "/tickets/search"]
    assert [(q["query"], q["page"]) for q in queries] == [("title:Open", "1"), ("title:Open", "2")]
