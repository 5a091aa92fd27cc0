"""The fake server's link endpoints: links between tickets, listed from either end."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from zammad_orm import Client, Forbidden, NotFound
from zammad_orm.testing import FakeZammad

NewTicket = Callable[..., int]  # the ``new_ticket`` fixture of tests/conftest.py
LINK_TYPES = ("normal", "parent", "child")


def number_of(client: Client, ticket_id: int) -> str:
    number: str = client.get("tickets", ticket_id)["number"]
    return number


def add_link(client: Client, source_id: int, target_id: int, link_type: str = "normal") -> Any:
    return client.post(
        "links/add",
        json={
            "link_type": link_type,
            "link_object_source": "Ticket",
            "link_object_source_number": number_of(client, source_id),
            "link_object_target": "Ticket",
            "link_object_target_value": target_id,
        },
    )


def remove_link(client: Client, source_id: int, target_id: int, link_type: str = "normal") -> Any:
    return client.delete(
        "links/remove",
        json={
            "link_type": link_type,
            "link_object_source": "Ticket",
            "link_object_source_value": source_id,
            "link_object_target": "Ticket",
            "link_object_target_value": target_id,
        },
    )


def links_reply(client: Client, ticket_id: int) -> dict[str, Any]:
    reply: dict[str, Any] = client.get(
        "links", params={"link_object": "Ticket", "link_object_value": ticket_id}
    )
    return reply


def links_of(client: Client, ticket_id: int) -> list[tuple[str, int]]:
    """The ticket's links as ``(link_type, ticket id)`` pairs."""
    links = links_reply(client, ticket_id)["links"]
    assert all(link["link_object"] == "Ticket" for link in links)
    return [(link["link_type"], link["link_object_value"]) for link in links]


# --- adding --------------------------------------------------------------------------------------


def test_adding_a_link_answers_201_with_the_stored_row(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    source, target = new_ticket(), new_ticket()
    row = add_link(zammad_client, source, target)
    assert zammad_server.requests[-1].status == 201
    assert set(row) == {
        "id",
        "link_type_id",
        "link_object_source_id",
        "link_object_source_value",
        "link_object_target_id",
        "link_object_target_value",
        "created_at",
        "updated_at",
    }
    assert (row["link_object_source_value"], row["link_object_target_value"]) == (source, target)
    assert (row["link_type_id"], row["link_object_source_id"], row["link_object_target_id"]) == (
        1,
        1,
        1,
    )


def test_link_types_have_their_own_ids(zammad_client: Client, new_ticket: NewTicket) -> None:
    rows = [add_link(zammad_client, new_ticket(), new_ticket(), kind) for kind in LINK_TYPES]
    assert len({row["link_type_id"] for row in rows}) == len(LINK_TYPES)


def test_the_source_is_named_by_its_number_not_its_id(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    source, target = new_ticket(), new_ticket()
    with pytest.raises(NotFound):
        zammad_client.post(
            "links/add",
            json={
                "link_type": "normal",
                "link_object_source": "Ticket",
                "link_object_source_number": str(source + 1000),
                "link_object_target": "Ticket",
                "link_object_target_value": target,
            },
        )


def test_linking_to_an_unknown_target_is_not_found(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    with pytest.raises(NotFound) as raised:
        add_link(zammad_client, new_ticket(), 9999)
    assert raised.value.error == 'Couldn\'t find Ticket with [WHERE "tickets"."id" = $1]'


def test_adding_a_link_twice_keeps_one(zammad_client: Client, new_ticket: NewTicket) -> None:
    source, target = new_ticket(), new_ticket()
    add_link(zammad_client, source, target)
    add_link(zammad_client, source, target)
    assert links_of(zammad_client, source) == [("normal", target)]


def test_a_customer_cannot_add_links(zammad_client: Client, new_ticket: NewTicket) -> None:
    source, target = new_ticket(), new_ticket()
    with zammad_client.impersonation_of(2), pytest.raises(Forbidden) as raised:
        add_link(zammad_client, source, target)
    assert raised.value.error == "Not authorized (user)!"


def test_an_agent_of_the_group_can_add_links(zammad_client: Client, new_ticket: NewTicket) -> None:
    source, target = new_ticket(), new_ticket()
    with zammad_client.impersonation_of("agent@example.com"):
        add_link(zammad_client, source, target)
    assert links_of(zammad_client, source) == [("normal", target)]


# --- listing -------------------------------------------------------------------------------------


def test_a_ticket_without_links_lists_none(zammad_client: Client, new_ticket: NewTicket) -> None:
    assert links_reply(zammad_client, new_ticket()) == {"links": [], "assets": {}}


def test_a_normal_link_is_listed_from_both_ends(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    source, target = new_ticket(), new_ticket()
    add_link(zammad_client, source, target)
    assert links_of(zammad_client, source) == [("normal", target)]
    assert links_of(zammad_client, target) == [("normal", source)]


def test_a_parent_link_reads_as_child_from_its_source(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    source, target = new_ticket(), new_ticket()
    add_link(zammad_client, source, target, "parent")
    assert links_of(zammad_client, source) == [("child", target)]
    assert links_of(zammad_client, target) == [("parent", source)]


def test_a_child_link_reads_as_parent_from_its_source(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    source, target = new_ticket(), new_ticket()
    add_link(zammad_client, source, target, "child")
    assert links_of(zammad_client, source) == [("parent", target)]
    assert links_of(zammad_client, target) == [("child", source)]


def test_links_where_the_ticket_is_source_come_first(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    middle, before, after = new_ticket(), new_ticket(), new_ticket()
    add_link(zammad_client, before, middle)
    add_link(zammad_client, middle, after)
    assert links_of(zammad_client, middle) == [("normal", after), ("normal", before)]


def test_the_linked_tickets_come_with_their_assets(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    source, target = new_ticket(), new_ticket()
    add_link(zammad_client, source, target)
    assets = links_reply(zammad_client, source)["assets"]
    assert list(assets["Ticket"]) == [str(target)]
    assert {"2", "3"} <= set(assets["User"])  # the customer and the acting admin
    assert "1" in assets["Group"]


def test_links_to_tickets_the_user_cannot_read_are_hidden(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    other_customer = zammad_client.post("users", json={"email": "other@example.com"})["id"]
    own, foreign = new_ticket(), new_ticket(customer_id=other_customer)
    add_link(zammad_client, own, foreign)
    with zammad_client.impersonation_of(2):
        assert links_reply(zammad_client, own) == {"links": [], "assets": {}}


# --- removing ------------------------------------------------------------------------------------


def test_removing_a_link_removes_it_from_both_ends(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    source, target = new_ticket(), new_ticket()
    add_link(zammad_client, source, target)
    remove_link(zammad_client, source, target)
    assert zammad_server.requests[-1].status == 201
    assert links_of(zammad_client, source) == []
    assert links_of(zammad_client, target) == []


def test_removing_from_the_other_end_answers_the_removed_rows(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    source, target = new_ticket(), new_ticket()
    row = add_link(zammad_client, source, target)
    assert remove_link(zammad_client, target, source) == [row]
    assert links_of(zammad_client, source) == []


def test_removing_as_stored_answers_an_empty_array(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    # Zammad answers with the rows its second pass (the reversed direction) removed.
    source, target = new_ticket(), new_ticket()
    add_link(zammad_client, source, target)
    assert remove_link(zammad_client, source, target) == []


def test_removing_a_parent_link_from_its_target_names_it_child(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    source, target = new_ticket(), new_ticket()
    add_link(zammad_client, source, target, "parent")
    remove_link(zammad_client, target, source, "child")
    assert links_of(zammad_client, source) == []


def test_removing_needs_the_right_link_type(zammad_client: Client, new_ticket: NewTicket) -> None:
    source, target = new_ticket(), new_ticket()
    add_link(zammad_client, source, target, "parent")
    remove_link(zammad_client, source, target, "normal")
    assert links_of(zammad_client, source) == [("child", target)]


def test_removing_a_missing_link_answers_an_empty_array(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    assert remove_link(zammad_client, new_ticket(), new_ticket()) == []


def test_a_customer_cannot_remove_links(zammad_client: Client, new_ticket: NewTicket) -> None:
    source, target = new_ticket(), new_ticket()
    add_link(zammad_client, source, target)
    with zammad_client.impersonation_of(2), pytest.raises(Forbidden):
        remove_link(zammad_client, source, target)
    assert links_of(zammad_client, source) == [("normal", target)]
