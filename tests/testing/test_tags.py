"""The fake server's tag endpoints: tags on tickets, tag search and the admin tag list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from zammad_orm import Client, Forbidden, NotFound, UnprocessableEntity
from zammad_orm.testing import FakeZammad

NewTicket = Callable[..., int]  # the ``new_ticket`` fixture of tests/conftest.py


def tags_of(client: Client, ticket_id: int) -> list[str]:
    tags: list[str] = client.get("tags", params={"object": "Ticket", "o_id": ticket_id})["tags"]
    return tags


def add_tag(client: Client, ticket_id: int, item: str) -> Any:
    return client.post("tags/add", json={"object": "Ticket", "o_id": ticket_id, "item": item})


def remove_tag(client: Client, ticket_id: int, item: str) -> Any:
    return client.delete("tags/remove", json={"object": "Ticket", "o_id": ticket_id, "item": item})


def tag_list(client: Client) -> list[dict[str, Any]]:
    tags: list[dict[str, Any]] = client.get("tag_list")
    return tags


def tag_id(client: Client, name: str) -> int:
    return next(int(tag["id"]) for tag in tag_list(client) if tag["name"] == name)


# --- tags on a ticket ----------------------------------------------------------------------------


def test_a_new_ticket_has_no_tags(zammad_client: Client, new_ticket: NewTicket) -> None:
    assert zammad_client.get("tags", params={"object": "Ticket", "o_id": new_ticket()}) == {
        "tags": []
    }


def test_adding_a_tag_answers_201_true(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket()
    assert add_tag(zammad_client, ticket_id, "billing") is True
    assert zammad_server.requests[-1].status == 201
    assert tags_of(zammad_client, ticket_id) == ["billing"]


def test_tags_are_listed_in_the_order_they_were_added(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket()
    for item in ("zeta", "alpha", "mid"):
        add_tag(zammad_client, ticket_id, item)
    assert tags_of(zammad_client, ticket_id) == ["zeta", "alpha", "mid"]


def test_adding_a_tag_twice_keeps_one(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket()
    add_tag(zammad_client, ticket_id, "billing")
    assert add_tag(zammad_client, ticket_id, "billing") is True
    assert zammad_server.requests[-1].status == 201
    assert tags_of(zammad_client, ticket_id) == ["billing"]


def test_the_item_is_stripped_when_added(zammad_client: Client, new_ticket: NewTicket) -> None:
    ticket_id = new_ticket()
    add_tag(zammad_client, ticket_id, "  billing \t")
    assert tags_of(zammad_client, ticket_id) == ["billing"]


def test_tags_are_case_sensitive(zammad_client: Client, new_ticket: NewTicket) -> None:
    # Zammad's Tag::Item.lookup(name:) enforces a case-sensitive match (CanLookup), so "vip"
    # is a tag of its own beside "VIP".
    ticket_id = new_ticket()
    add_tag(zammad_client, ticket_id, "VIP")
    add_tag(zammad_client, ticket_id, "vip")
    assert tags_of(zammad_client, ticket_id) == ["VIP", "vip"]


def test_tags_belong_to_one_ticket(zammad_client: Client, new_ticket: NewTicket) -> None:
    first, second = new_ticket(), new_ticket()
    add_tag(zammad_client, first, "billing")
    assert tags_of(zammad_client, second) == []


def test_a_blank_item_is_unprocessable(zammad_client: Client, new_ticket: NewTicket) -> None:
    with pytest.raises(UnprocessableEntity) as raised:
        add_tag(zammad_client, new_ticket(), "   ")
    assert raised.value.error == "Name can't be blank"


def test_removing_a_tag_answers_200_true(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket()
    add_tag(zammad_client, ticket_id, "billing")
    add_tag(zammad_client, ticket_id, "vip")
    assert remove_tag(zammad_client, ticket_id, " billing ") is True
    assert zammad_server.requests[-1].status == 200
    assert tags_of(zammad_client, ticket_id) == ["vip"]


def test_removing_a_tag_the_ticket_lacks_still_answers_true(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    assert remove_tag(zammad_client, new_ticket(), "never-added") is True


def test_removing_accepts_query_parameters(zammad_client: Client, new_ticket: NewTicket) -> None:
    ticket_id = new_ticket()
    add_tag(zammad_client, ticket_id, "billing")
    params = {"object": "Ticket", "o_id": ticket_id, "item": "billing"}
    response = zammad_client.response("DELETE", zammad_client.url_for("tags/remove"), params)
    assert (response.status_code, response.json()) == (200, True)
    assert tags_of(zammad_client, ticket_id) == []


def test_tagging_touches_the_ticket(zammad_client: Client, new_ticket: NewTicket) -> None:
    ticket_id = new_ticket()
    before = zammad_client.get("tickets", ticket_id)["updated_at"]
    add_tag(zammad_client, ticket_id, "billing")
    assert zammad_client.get("tickets", ticket_id)["updated_at"] > before


def test_tags_of_an_unknown_ticket_are_an_empty_list(zammad_client: Client) -> None:
    assert tags_of(zammad_client, 9999) == []


def test_tagging_an_unknown_ticket_is_not_found(zammad_client: Client) -> None:
    with pytest.raises(NotFound) as raised:
        add_tag(zammad_client, 9999, "billing")
    assert raised.value.error == "Couldn't find Ticket with 'id'=9999"


def test_untagging_an_unknown_ticket_is_not_found(zammad_client: Client) -> None:
    with pytest.raises(NotFound):
        remove_tag(zammad_client, 9999, "billing")


def test_an_agent_of_the_group_can_tag(zammad_client: Client, new_ticket: NewTicket) -> None:
    ticket_id = new_ticket()
    with zammad_client.impersonation_of("agent@example.com"):
        add_tag(zammad_client, ticket_id, "billing")
    assert tags_of(zammad_client, ticket_id) == ["billing"]


def test_a_customer_cannot_tag_their_own_ticket(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket()
    with zammad_client.impersonation_of(2), pytest.raises(Forbidden) as raised:
        add_tag(zammad_client, ticket_id, "billing")
    assert raised.value.error == "Not authorized"


def test_a_customer_can_read_tags(zammad_client: Client, new_ticket: NewTicket) -> None:
    ticket_id = new_ticket()
    add_tag(zammad_client, ticket_id, "billing")
    with zammad_client.impersonation_of(2):
        assert tags_of(zammad_client, ticket_id) == ["billing"]


# --- tag search ----------------------------------------------------------------------------------


def test_tag_search_matches_a_substring_ignoring_case(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket()
    for item in ("Accounting", "billing", "count-me"):
        add_tag(zammad_client, ticket_id, item)
    found = zammad_client.get("tag_search", params={"term": "COUNT"})
    assert [tag["value"] for tag in found] == ["Accounting", "count-me"]


def test_tag_search_answers_ids_and_values(zammad_client: Client, new_ticket: NewTicket) -> None:
    add_tag(zammad_client, new_ticket(), "billing")
    assert zammad_client.get("tag_search", params={"term": "bill"}) == [
        {"id": tag_id(zammad_client, "billing"), "value": "billing"}
    ]


def test_tag_search_answers_ten_tags_unless_limited(zammad_client: Client) -> None:
    zammad_client.post("tag_list", json={"name": [f"tag-{n:02}" for n in range(12)]})
    assert len(zammad_client.get("tag_search", params={"term": "tag"})) == 10
    assert len(zammad_client.get("tag_search", params={"term": "tag", "limit": 3})) == 3


def test_tag_search_without_a_term_lists_the_most_used_first(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    first, second = new_ticket(), new_ticket()
    zammad_client.post("tag_list", json={"name": "unused"})
    add_tag(zammad_client, first, "once")
    add_tag(zammad_client, first, "twice")
    add_tag(zammad_client, second, "twice")
    found = zammad_client.get("tag_search", params={"term": ""})
    assert [tag["value"] for tag in found] == ["twice", "once", "unused"]


# --- the admin tag list --------------------------------------------------------------------------


def test_the_tag_list_counts_uses_and_is_ordered_by_name(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    first, second = new_ticket(), new_ticket()
    add_tag(zammad_client, first, "zeta")
    add_tag(zammad_client, first, "alpha")
    add_tag(zammad_client, second, "alpha")
    assert [(tag["name"], tag["count"]) for tag in tag_list(zammad_client)] == [
        ("alpha", 2),
        ("zeta", 1),
    ]


def test_creating_a_listed_tag_answers_an_empty_object(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    assert zammad_client.post("tag_list", json={"name": " fresh "}) == {}
    assert zammad_server.requests[-1].status == 200
    assert [(tag["name"], tag["count"]) for tag in tag_list(zammad_client)] == [("fresh", 0)]


def test_creating_a_listed_tag_that_exists_changes_nothing(zammad_client: Client) -> None:
    zammad_client.post("tag_list", json={"name": "fresh"})
    zammad_client.post("tag_list", json={"name": "fresh"})
    assert [tag["name"] for tag in tag_list(zammad_client)] == ["fresh"]


def test_renaming_a_listed_tag_renames_it_on_tickets(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket()
    add_tag(zammad_client, ticket_id, "old")
    assert zammad_client.put("tag_list", tag_id(zammad_client, "old"), json={"name": "new "}) == {}
    assert zammad_server.requests[-1].status == 200
    assert tags_of(zammad_client, ticket_id) == ["new"]


def test_renaming_onto_an_existing_tag_merges_the_two(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    both, only_old = new_ticket(), new_ticket()
    add_tag(zammad_client, both, "old")
    add_tag(zammad_client, both, "new")
    add_tag(zammad_client, only_old, "old")
    zammad_client.put("tag_list", tag_id(zammad_client, "old"), json={"name": "new"})
    assert tags_of(zammad_client, both) == ["new"]
    assert tags_of(zammad_client, only_old) == ["new"]
    assert [(tag["name"], tag["count"]) for tag in tag_list(zammad_client)] == [("new", 2)]


def test_deleting_a_listed_tag_removes_it_from_tickets(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket()
    add_tag(zammad_client, ticket_id, "gone")
    add_tag(zammad_client, ticket_id, "kept")
    assert zammad_client.delete("tag_list", tag_id(zammad_client, "gone")) == {}
    assert zammad_server.requests[-1].status == 200
    assert tags_of(zammad_client, ticket_id) == ["kept"]
    assert [tag["name"] for tag in tag_list(zammad_client)] == ["kept"]


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_an_unknown_listed_tag_is_not_found(zammad_client: Client, method: str) -> None:
    with pytest.raises(NotFound) as raised:
        zammad_client.request(method, "tag_list", 9999, json={"name": "x"})
    assert raised.value.error == "Couldn't find Tag::Item with 'id'=9999"


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "tag_list"), ("POST", "tag_list"), ("PUT", "tag_list/1"), ("DELETE", "tag_list/1")],
)
def test_the_tag_list_is_for_admins_only(zammad_client: Client, method: str, path: str) -> None:
    with zammad_client.impersonation_of("agent@example.com"), pytest.raises(Forbidden) as raised:
        zammad_client.request(method, path, json={"name": "x"})
    assert raised.value.error == "Not authorized (user)!"
