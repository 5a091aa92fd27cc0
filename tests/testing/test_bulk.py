"""Bulk seeding: records written straight into the store are served like API-made ones."""

from __future__ import annotations

import pytest
from raw_api import Api

from zammad_orm.testing import FakeZammad
from zammad_orm.testing.bulk import add_tickets, add_users


def test_bulk_tickets_have_every_column_an_api_made_ticket_has(
    server: FakeZammad, api: Api
) -> None:
    made = api.ok("GET", f"/tickets/{api.ticket(title='Made')['id']}")
    [ident] = add_tickets(server.app.store, 1)
    bulk = api.ok("GET", f"/tickets/{ident}")
    assert set(bulk) == set(made)
    assert bulk["title"] == "Bulk ticket 1"
    assert bulk["number"] != made["number"]


def test_bulk_tickets_are_listed_searched_and_carry_their_articles(
    server: FakeZammad, api: Api
) -> None:
    ids = add_tickets(server.app.store, 3, articles=2, body="Body {n}.{a}")
    listed = api.ok("GET", "/tickets", params={"per_page": 100})
    assert [t["id"] for t in listed][-3:] == ids
    found = api.ok("GET", "/tickets/search", params={"query": 'title:"Bulk ticket 2"'})
    assert found["tickets"] == [ids[1]]
    articles = api.ok("GET", f"/ticket_articles/by_ticket/{ids[1]}")
    assert [a["body"] for a in articles] == ["Body 2.1", "Body 2.2"]
    assert api.ok("GET", f"/tickets/{ids[1]}", params={"expand": "true"})["article_ids"] == [
        a["id"] for a in articles
    ]


def test_bulk_tickets_take_customers_owners_and_states_round_robin(server: FakeZammad) -> None:
    store = server.app.store
    ids = add_tickets(store, 4, customer_ids=[2, 3], owner_ids=[4], state_ids=[2, 4])
    tickets = [store.tables["tickets"][i] for i in ids]
    assert [t["customer_id"] for t in tickets] == [2, 3, 2, 3]
    assert [t["state_id"] for t in tickets] == [2, 4, 2, 4]
    assert {t["owner_id"] for t in tickets} == {4}
    assert tickets[0]["organization_id"] == 1  # Nicole's organization follows her
    assert [t["close_at"] is not None for t in tickets] == [False, True, False, True]


def test_bulk_tickets_are_newest_last_by_updated_at(server: FakeZammad) -> None:
    store = server.app.store
    ids = add_tickets(store, 3)
    stamps = [store.tables["tickets"][i]["updated_at"] for i in ids]
    assert stamps == sorted(set(stamps))


def test_a_bulk_ticket_can_be_updated_through_the_api(server: FakeZammad, api: Api) -> None:
    [ident] = add_tickets(server.app.store, 1)
    assert api.ok("PUT", f"/tickets/{ident}", json={"state": "closed"})["state_id"] == 4


def test_bulk_users_log_in_by_search_and_keep_their_preferences(
    server: FakeZammad, api: Api
) -> None:
    ids = add_users(server.app.store, 2, login="Bulk-{n}@Example.com",
                    preferences=lambda n: {"n": n})  # fmt: skip
    found = api.ok("GET", "/users/search", params={"query": "login:bulk-2*"})
    assert [(u["id"], u["email"], u["preferences"]) for u in found] == [
        (ids[1], "bulk-2@example.com", {"n": 2})
    ]
    assert api.ok("GET", f"/users/{ids[0]}")["role_ids"] == [3]


def test_a_login_that_exists_is_refused(server: FakeZammad) -> None:
    with pytest.raises(ValueError, match=r"admin@example\.com"):
        add_users(server.app.store, 1, login="admin@example.com")


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"customer_ids": [999]}, "customer_ids: no users with the ids \\[999\\]"),
        ({"state_ids": []}, "state_ids must name at least one record"),
        ({"articles": -1}, "articles must be a non-negative int"),
        ({"group_id": 7}, "group_id: no groups"),
    ],
)
def test_bad_bulk_options_are_refused_by_name(
    server: FakeZammad, options: dict[str, object], problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        add_tickets(server.app.store, 1, **options)  # type: ignore[arg-type]


def test_a_negative_count_is_refused(server: FakeZammad) -> None:
    with pytest.raises(ValueError, match="count must be a non-negative int"):
        add_tickets(server.app.store, -1)
