"""Links between tickets: read with their records, made and removed from either end, with
signals for both tickets (zammadoo T1, T14-T16, X1)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from support import NewTicket, last, wire

from zammad_orm import Client, signals
from zammad_orm.resources.ticket_links import LINK_TYPES
from zammad_orm.resources.tickets import Ticket
from zammad_orm.testing import FakeZammad


@pytest.fixture
def pair(zammad_client: Client, new_ticket: NewTicket) -> tuple[Ticket, Ticket]:
    first, second = new_ticket(title="A"), new_ticket(title="B")
    return zammad_client.tickets.get(first), zammad_client.tickets.get(second)


@pytest.fixture
def updated() -> Iterator[list[tuple[Any, dict[str, Any]]]]:
    seen: list[tuple[Any, dict[str, Any]]] = []

    def receiver(sender: type[Ticket], **kwargs: Any) -> None:
        seen.append((kwargs["instance"], kwargs["changes"]))

    signals.updated.connect(receiver, sender=Ticket)
    yield seen
    signals.updated.disconnect(receiver, sender=Ticket)


def test_link_types_are_normal_parent_and_child() -> None:
    assert LINK_TYPES == ("normal", "parent", "child")


def test_links_of_an_unlinked_ticket_list_every_type_empty(
    pair: tuple[Ticket, Ticket], zammad_server: FakeZammad
) -> None:
    a, _b = pair
    zammad_server.clear_requests()
    assert a.links() == {"normal": [], "parent": [], "child": []}
    assert wire(zammad_server) == [("GET", "/links")]


def test_link_with_sends_one_request_naming_the_source_by_number(
    pair: tuple[Ticket, Ticket], zammad_server: FakeZammad
) -> None:
    a, b = pair
    zammad_server.clear_requests()
    assert a.link_with(b, "child") is True
    assert wire(zammad_server) == [("POST", "/links/add")]
    assert last(zammad_server).json == {
        "link_type": "parent",
        "link_object_source": "Ticket",
        "link_object_source_number": a.number,
        "link_object_target": "Ticket",
        "link_object_target_value": b.id,
    }


def test_a_child_link_shows_as_parent_from_the_other_end(pair: tuple[Ticket, Ticket]) -> None:
    a, b = pair
    a.link_with(b, "child")
    assert a.links()["child"] == [b]
    assert b.links()["parent"] == [a]


def test_linked_tickets_arrive_with_their_records(
    pair: tuple[Ticket, Ticket], zammad_client: Client, zammad_server: FakeZammad
) -> None:
    a, b = pair
    a.link_with(b)
    with zammad_client.unit_of_work():
        (linked,) = zammad_client.tickets(a.id).links()["normal"]
        zammad_server.clear_requests()
        assert linked.title == "B"
    assert zammad_server.requests == []


def test_linking_twice_changes_nothing_the_second_time(
    pair: tuple[Ticket, Ticket], updated: list[tuple[Any, dict[str, Any]]]
) -> None:
    a, b = pair
    a.link_with(b)
    updated.clear()
    assert a.link_with(b) is False
    assert updated == []


def test_linking_is_an_update_of_both_tickets(
    pair: tuple[Ticket, Ticket], updated: list[tuple[Any, dict[str, Any]]]
) -> None:
    a, b = pair
    a.link_with(b, "parent")
    assert updated == [
        (a, {"links": ([], [("parent", b.id)])}),
        (b, {"links": ([], [("child", a.id)])}),
    ]


def test_linking_makes_both_tickets_load_again(
    pair: tuple[Ticket, Ticket], zammad_server: FakeZammad
) -> None:
    a, b = pair
    zammad_server.advance(seconds=5)
    stamps = (a.updated_at, b.updated_at)
    a.link_with(b)
    assert (a.updated_at, b.updated_at) != stamps


def test_a_ticket_cannot_be_linked_with_itself(
    pair: tuple[Ticket, Ticket], zammad_server: FakeZammad
) -> None:
    a, _b = pair
    zammad_server.clear_requests()
    with pytest.raises(ValueError, match="itself"):
        a.link_with(a)
    assert zammad_server.requests == []


def test_an_unknown_link_type_is_refused_before_sending(
    pair: tuple[Ticket, Ticket], zammad_server: FakeZammad
) -> None:
    a, b = pair
    zammad_server.clear_requests()
    with pytest.raises(ValueError, match="link_type must be one of"):
        a.link_with(b, "sibling")  # type: ignore[arg-type]
    assert zammad_server.requests == []


def test_unlink_from_removes_every_link_with_the_other_ticket(
    pair: tuple[Ticket, Ticket], zammad_server: FakeZammad
) -> None:
    a, b = pair
    a.link_with(b, "child")
    zammad_server.clear_requests()
    assert a.unlink_from(b) == ["child"]
    assert wire(zammad_server) == [("GET", "/links"), ("DELETE", "/links/remove")]
    assert b.links()["parent"] == []


def test_unlink_from_works_from_the_other_end(pair: tuple[Ticket, Ticket]) -> None:
    a, b = pair
    a.link_with(b, "child")
    assert b.unlink_from(a, "parent") == ["parent"]
    assert a.links()["child"] == []


def test_unlinking_what_is_not_linked_sends_no_delete(
    pair: tuple[Ticket, Ticket], zammad_server: FakeZammad
) -> None:
    a, b = pair
    zammad_server.clear_requests()
    assert a.unlink_from(b) == []
    assert wire(zammad_server) == [("GET", "/links")]


def test_unlinking_is_an_update_of_both_tickets(
    pair: tuple[Ticket, Ticket], updated: list[tuple[Any, dict[str, Any]]]
) -> None:
    a, b = pair
    a.link_with(b, "normal")
    updated.clear()
    a.unlink_from(b)
    assert updated == [
        (a, {"links": ([("normal", b.id)], [])}),
        (b, {"links": ([("normal", a.id)], [])}),
    ]


def test_links_given_on_create_are_made_with_the_ticket(
    pair: tuple[Ticket, Ticket], zammad_client: Client
) -> None:
    a, _b = pair
    created = zammad_client.tickets.create(
        title="Follow-up", group="Users", customer=2, links={"parent": [a]}
    )
    assert created.links()["parent"] == [a]
    assert a.links()["child"] == [created]
