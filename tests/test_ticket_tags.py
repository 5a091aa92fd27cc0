"""A ticket's tags: one request per name as Zammad takes them, remembered, with signals
(zammadoo T11-T13, TG9)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from support import NewTicket, wire

from zammad_orm import Client, signals
from zammad_orm.resources.tickets import Ticket
from zammad_orm.testing import FakeZammad


@pytest.fixture
def ticket(zammad_client: Client, new_ticket: NewTicket) -> Ticket:
    return zammad_client.tickets(new_ticket(tags="alpha"))


@pytest.fixture
def updates() -> Iterator[list[tuple[str, Any, dict[str, Any]]]]:
    seen: list[tuple[str, Any, dict[str, Any]]] = []

    def before(sender: type[Ticket], **kwargs: Any) -> None:
        seen.append(("updating", kwargs["instance"], kwargs["changes"]))

    def after(sender: type[Ticket], **kwargs: Any) -> None:
        seen.append(("updated", kwargs["instance"], kwargs["changes"]))

    signals.updating.connect(before, sender=Ticket)
    signals.updated.connect(after, sender=Ticket)
    yield seen
    signals.updating.disconnect(before, sender=Ticket)
    signals.updated.disconnect(after, sender=Ticket)


def test_tags_are_read_in_one_request(ticket: Ticket, zammad_server: FakeZammad) -> None:
    assert ticket.tags() == ["alpha"]
    assert wire(zammad_server) == [("GET", "/tags")]
    assert zammad_server.requests[0].query == {"object": "Ticket", "o_id": str(ticket.id)}


def test_tags_are_remembered_while_the_ticket_is_unchanged(
    ticket: Ticket, zammad_server: FakeZammad
) -> None:
    ticket.tags()
    ticket.tags()
    assert len(zammad_server.requests) == 1


def test_add_tags_sends_one_request_per_name(ticket: Ticket, zammad_server: FakeZammad) -> None:
    ticket.tags()
    zammad_server.clear_requests()
    assert ticket.add_tags("beta", "gamma") == ["alpha", "beta", "gamma"]
    assert wire(zammad_server) == [("POST", "/tags/add"), ("POST", "/tags/add")]
    assert [r.json for r in zammad_server.requests] == [
        {"object": "Ticket", "o_id": ticket.id, "item": "beta"},
        {"object": "Ticket", "o_id": ticket.id, "item": "gamma"},
    ]


def test_added_tags_are_known_without_another_request(
    ticket: Ticket, zammad_server: FakeZammad
) -> None:
    ticket.add_tags("beta")
    zammad_server.clear_requests()
    assert ticket.tags() == ["alpha", "beta"]
    assert zammad_server.requests == []


def test_remove_tags_sends_one_delete_per_name(ticket: Ticket, zammad_server: FakeZammad) -> None:
    ticket.add_tags("beta")
    zammad_server.clear_requests()
    assert ticket.remove_tags("alpha") == ["beta"]
    assert wire(zammad_server) == [("DELETE", "/tags/remove")]
    assert zammad_client_tags(ticket) == ["beta"]


def zammad_client_tags(ticket: Ticket) -> list[str]:
    reply = ticket.client.get("tags", params={"object": "Ticket", "o_id": ticket.id})
    return list(reply["tags"])


def test_adding_a_tag_is_an_update_of_the_ticket(
    ticket: Ticket, updates: list[tuple[str, Any, dict[str, Any]]]
) -> None:
    ticket.add_tags("beta")
    change = {"tags": (["alpha"], ["alpha", "beta"])}
    assert updates == [("updating", ticket, change), ("updated", ticket, change)]


def test_a_vetoed_tag_change_sends_nothing(ticket: Ticket, zammad_server: FakeZammad) -> None:
    ticket.tags()
    zammad_server.clear_requests()

    def veto(sender: type[Ticket], **kwargs: Any) -> None:
        raise PermissionError("no tags today")

    signals.updating.connect(veto, sender=Ticket)
    try:
        with pytest.raises(PermissionError):
            ticket.add_tags("beta")
    finally:
        signals.updating.disconnect(veto, sender=Ticket)
    assert zammad_server.requests == []


def test_a_bad_name_is_refused_before_anything_is_sent(
    ticket: Ticket, zammad_server: FakeZammad
) -> None:
    with pytest.raises(ValueError, match="blank"):
        ticket.add_tags("beta", "  ")
    assert zammad_server.requests == []


def test_a_tag_change_makes_the_ticket_load_again(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets.get(new_ticket())
    stamp = ticket.updated_at
    zammad_server.advance(seconds=5)
    ticket.add_tags("beta")
    assert ticket.updated_at is not None
    assert stamp is not None
    assert ticket.updated_at > stamp


def test_a_refused_second_name_keeps_and_reports_the_first(
    ticket: Ticket, zammad_server: FakeZammad, updates: list[tuple[str, Any, dict[str, Any]]]
) -> None:
    ticket.tags()
    zammad_server.fail_next(status=0, path="/tags/add")  # status 0: the first one passes
    zammad_server.fail_next(status=422, path="/tags/add")
    with pytest.raises(Exception, match="422"):
        ticket.add_tags("beta", "gamma")
    assert updates[-1] == ("updated", ticket, {"tags": (["alpha"], ["alpha", "beta"])})


def test_the_tags_manager_goes_through_the_ticket(
    zammad_client: Client, ticket: Ticket, updates: list[tuple[str, Any, dict[str, Any]]]
) -> None:
    assert zammad_client.tags.add(ticket.id, "beta") == ["alpha", "beta"]
    assert zammad_client.tags.of(ticket.id) == ["alpha", "beta"]
    assert updates[-1][0] == "updated"


def test_tags_given_on_create_are_sent_with_the_ticket(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    created = zammad_client.tickets.create(
        title="Tagged", group="Users", customer=2, tags=["one", "two"]
    )
    assert zammad_server.requests[-1].json["tags"] == "one,two"
    assert created.tags() == ["one", "two"]
