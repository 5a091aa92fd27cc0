"""The fake server keeps search documents between searches
(:mod:`zammad_orm.testing.search_index`): every kind of write still shows in the next search.

Each test searches once first, so the documents it then changes are cached ones."""

from __future__ import annotations

from typing import Any

import pytest
from object_manager_api import add_field
from raw_api import Api

from zammad_orm.testing import FakeZammad
from zammad_orm.testing.endpoints.tickets import TICKET_DOCUMENTS
from zammad_orm.testing.query import Document, parse
from zammad_orm.testing.search_index import SearchIndex, search_index


def found(api: Api, query: str) -> list[int]:
    """The ids of the tickets ``query`` finds."""
    reply = api.ok("GET", "/tickets/search", params={"query": query, "per_page": 200})
    return list(reply["tickets"])


def cached(server: FakeZammad) -> SearchIndex:
    """The server's ticket search index, up to date."""
    with server.app.store.lock:
        return search_index(server.app.store, TICKET_DOCUMENTS)


@pytest.fixture
def ticket(api: Api) -> dict[str, Any]:
    """A ticket titled "Quartz", with its documents cached by a first search."""
    created = api.ticket(title="Quartz", article={"body": "first words", "type": "note"})
    assert found(api, "quartz") == [created["id"]]
    return created


def test_a_search_without_writes_reuses_every_document(
    api: Api, server: FakeZammad, ticket: dict[str, Any]
) -> None:
    before = dict(cached(server).documents)
    found(api, "quartz")
    after = cached(server).documents
    assert all(after[ident] is document for ident, document in before.items())


def test_a_write_rebuilds_only_the_documents_it_reaches(
    api: Api, server: FakeZammad, ticket: dict[str, Any]
) -> None:
    other = api.ticket(title="Other")
    found(api, "quartz")
    kept = cached(server).documents[other["id"]]
    api.ok("PUT", f"/tickets/{ticket['id']}", json={"title": "Renamed"})
    assert cached(server).documents[other["id"]] is kept


def test_a_ticket_update_shows(api: Api, ticket: dict[str, Any]) -> None:
    api.ok("PUT", f"/tickets/{ticket['id']}", json={"title": "Basalt"})
    assert (found(api, "quartz"), found(api, "title:basalt")) == ([], [ticket["id"]])


def test_a_new_ticket_shows(api: Api, ticket: dict[str, Any]) -> None:
    other = api.ticket(title="Quartz again")
    assert found(api, "title:quartz") == [other["id"], ticket["id"]]


def test_a_deleted_ticket_leaves(api: Api, ticket: dict[str, Any]) -> None:
    api.ok("DELETE", f"/tickets/{ticket['id']}")
    assert found(api, "quartz") == []


def test_an_added_article_shows(api: Api, ticket: dict[str, Any]) -> None:
    article = {"ticket_id": ticket["id"], "body": "obsidian", "type": "note"}
    api.ok("POST", "/ticket_articles", json=article)
    assert found(api, "article.body:obsidian") == [ticket["id"]]


def test_an_article_changed_straight_in_the_store_shows(
    api: Api, server: FakeZammad, ticket: dict[str, Any]
) -> None:
    with server.app.store.lock:
        [article] = (
            server.app.store.tables["ticket_articles"].index("ticket_id").records(ticket["id"])
        )
        article["body"] = "jasper"
    assert found(api, "article.body:jasper") == [ticket["id"]]


def test_an_article_moved_straight_in_the_store_leaves_its_old_ticket(
    api: Api, server: FakeZammad, ticket: dict[str, Any]
) -> None:
    other = api.ticket(title="Other")
    found(api, "first")
    with server.app.store.lock:
        [article] = (
            server.app.store.tables["ticket_articles"].index("ticket_id").records(ticket["id"])
        )
        article["ticket_id"] = other["id"]
    assert found(api, "article.body:first") == [other["id"]]


def test_a_merge_moves_the_articles_text_to_the_target(api: Api, ticket: dict[str, Any]) -> None:
    target = api.ticket(title="Target")
    api.ok("PUT", f"/ticket_merge/{ticket['id']}/{target['number']}")
    assert found(api, "article.body:first") == [target["id"]]
    assert found(api, "state.name:merged") == [ticket["id"]]


def test_an_added_tag_shows(api: Api, ticket: dict[str, Any]) -> None:
    api.ok("POST", "/tags/add", json={"object": "Ticket", "o_id": ticket["id"], "item": "vip"})
    assert found(api, "tags:vip") == [ticket["id"]]


def test_a_removed_tag_leaves(api: Api, ticket: dict[str, Any]) -> None:
    api.ok("POST", "/tags/add", json={"object": "Ticket", "o_id": ticket["id"], "item": "vip"})
    assert found(api, "tags:vip") == [ticket["id"]]
    api.ok(
        "DELETE", "/tags/remove", params={"object": "Ticket", "o_id": ticket["id"], "item": "vip"}
    )
    assert found(api, "tags:vip") == []


def test_a_renamed_tag_shows(api: Api, ticket: dict[str, Any]) -> None:
    api.ok("POST", "/tags/add", json={"object": "Ticket", "o_id": ticket["id"], "item": "vip"})
    [listed] = [tag for tag in api.ok("GET", "/tag_list") if tag["name"] == "vip"]
    api.ok("PUT", f"/tag_list/{listed['id']}", json={"name": "gold"})
    assert (found(api, "tags:vip"), found(api, "tags:gold")) == ([], [ticket["id"]])


def test_a_tag_put_on_in_the_store_shows_though_the_ticket_is_untouched(
    api: Api, server: FakeZammad, ticket: dict[str, Any]
) -> None:
    with server.app.store.lock:
        server.app.store.tag(ticket["id"], "silent")
    assert found(api, "tags:silent") == [ticket["id"]]


def test_a_changed_customer_email_shows(api: Api, ticket: dict[str, Any]) -> None:
    api.ok("PUT", f"/users/{ticket['customer_id']}", json={"email": "new.mail@example.com"})
    assert ticket["id"] in found(api, 'customer.email:"new.mail@example.com"')
    assert found(api, 'customer.email:"nicole.braun@zammad.org"') == []


def test_a_renamed_organization_shows(api: Api, ticket: dict[str, Any]) -> None:
    api.ok("PUT", f"/organizations/{ticket['organization_id']}", json={"name": "Renamed Org"})
    assert ticket["id"] in found(api, 'organization.name:"Renamed Org"')


def test_a_renamed_state_shows(api: Api, ticket: dict[str, Any]) -> None:
    api.ok("PUT", f"/ticket_states/{ticket['state_id']}", json={"name": "fresh"})
    assert ticket["id"] in found(api, "state.name:fresh")


def test_a_users_unshown_change_rebuilds_no_ticket_document(
    api: Api, server: FakeZammad, ticket: dict[str, Any]
) -> None:
    kept = cached(server).documents[ticket["id"]]
    api.ok("PUT", f"/users/{ticket['customer_id']}", json={"preferences": {"locale": "de-de"}})
    assert cached(server).documents[ticket["id"]] is kept


def test_a_custom_field_migrated_in_shows(api: Api, ticket: dict[str, Any]) -> None:
    add_field(api, "serial")
    api.ok("PUT", f"/tickets/{ticket['id']}", json={"serial": "S-7"})
    assert (found(api, "serial:S-7"), found(api, "S-7")) == ([ticket["id"]], [ticket["id"]])


def test_a_custom_field_migrated_out_leaves(api: Api, ticket: dict[str, Any]) -> None:
    field = add_field(api, "serial")
    api.ok("PUT", f"/tickets/{ticket['id']}", json={"serial": "S-7"})
    assert found(api, "serial:S-7") == [ticket["id"]]
    api.ok("DELETE", f"/object_manager_attributes/{field['id']}")
    api.ok("POST", "/object_manager_attributes_execute_migrations")
    assert found(api, "serial:S-7") == []


def test_a_custom_field_definition_change_alone_shows(
    api: Api, server: FakeZammad, ticket: dict[str, Any]
) -> None:
    field = add_field(api, "amount", "integer")
    api.ok("PUT", f"/tickets/{ticket['id']}", json={"amount": 7})
    assert found(api, "7") == []  # free text does not search a number field
    with server.app.store.lock:
        server.app.store.tables["object_manager_attributes"][field["id"]]["data_type"] = "input"
    assert found(api, "7") == [ticket["id"]]


def test_relative_dates_follow_the_clock(api: Api, server: FakeZammad) -> None:
    created = api.ticket(title="Fresh")
    assert created["id"] in found(api, "created_at:>now-1h")
    server.advance(hours=2)
    assert created["id"] not in found(api, "created_at:>now-1h")
    assert created["id"] in found(api, "created_at:>now-3h")


def test_a_column_written_straight_into_the_store_shows(
    api: Api, server: FakeZammad, ticket: dict[str, Any]
) -> None:
    with server.app.store.lock:
        server.app.store.tables["tickets"][ticket["id"]]["title"] = "Granite"
    assert found(api, "title:granite") == [ticket["id"]]


def test_a_plain_dict_in_the_store_is_searched_as_it_changes(
    api: Api, server: FakeZammad, ticket: dict[str, Any]
) -> None:
    tickets = server.app.store.tables["tickets"]
    with server.app.store.lock:
        plain = dict(tickets[ticket["id"]])
        tickets[ticket["id"]] = plain
    assert found(api, "quartz") == [ticket["id"]]
    plain["title"] = "Marble"  # nobody hears of this: the table is no longer trusted
    assert (found(api, "quartz"), found(api, "marble")) == ([], [ticket["id"]])


_QUERIES = (
    "quartz", "title:quartz", "state.name:open", "state.name:new OR state.name:open",
    "id:>1", "id:[1 TO 3]", "(state.name:open) AND id:>2", "NOT title:quartz",
    "created_at:>now-1h", "article_count:1", "priority.name:\"2 normal\"", "first",
    "customer.email:nicole*", "tags:vip", "id:abc", "title:\"quartz\" AND id:<100",
    "id:>=2", "id:{1 TO 3}", "id:[* TO 2}", "title:\"open one\"", "state.name:OPEN",
    "created_at:[now-1h TO now]", "article_count:>0", "tags:vip OR id:1", "open",
)  # fmt: skip


@pytest.mark.parametrize("query", _QUERIES)
def test_candidates_never_lose_a_match(
    api: Api, server: FakeZammad, ticket: dict[str, Any], query: str
) -> None:
    api.ticket(title="Open one", state="open")
    api.ok("POST", "/tags/add", json={"object": "Ticket", "o_id": ticket["id"], "item": "vip"})
    store = server.app.store
    with store.lock:
        index = cached(server)
        everything = SearchIndex(store, TICKET_DOCUMENTS)
        everything.refresh()
        now = store.current_time()
        parsed = parse(query)
        expected = [i for i, d in everything.documents.items() if parsed.matches(d, now=now)]
        candidates = parsed.candidates(index, now=now)
    if candidates is not None:
        assert set(expected) <= candidates.ids
        assert not candidates.exact or candidates.ids == set(expected)
    assert sorted(found(api, query)) == expected


def test_a_document_matches_as_its_mapping_does() -> None:
    fields = {"title": "Hello World", "_fulltext": ["title"], "n": 5}
    for query in ("hello", "title:world", "n:5", "n:>4", "NOT hello", "wor*"):
        parsed = parse(query)
        assert parsed.matches(Document(fields)) == parsed.matches(fields), query
