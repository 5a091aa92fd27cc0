"""Mentions: read, remembered, added and removed as the acting user or on behalf of another,
with signals; given on create."""

from __future__ import annotations

from typing import Any

import pytest
from support import NewTicket, wire

from zammad_orm import Client, signals
from zammad_orm.resources.tickets import Ticket
from zammad_orm.resources.users import User
from zammad_orm.testing import FakeZammad


@pytest.fixture
def ticket(zammad_client: Client, new_ticket: NewTicket) -> Ticket:
    return zammad_client.tickets(new_ticket())


def test_mentions_are_read_in_one_request(ticket: Ticket, zammad_server: FakeZammad) -> None:
    assert ticket.mentions == []
    assert wire(zammad_server) == [("GET", "/mentions")]
    assert zammad_server.requests[0].query == {
        "mentionable_type": "Ticket",
        "mentionable_id": str(ticket.id),
    }


def test_mention_without_a_user_mentions_yourself(
    ticket: Ticket, zammad_server: FakeZammad
) -> None:
    assert ticket.mention() == 3
    zammad_server.clear_requests()
    assert [user.id for user in ticket.mentions] == [3]
    assert zammad_server.requests == []


def test_mentioning_someone_else_acts_on_their_behalf(
    ticket: Ticket, zammad_client: Client, zammad_server: FakeZammad
) -> None:
    agent = zammad_client.users(4)
    ticket.mention(agent)
    post = zammad_server.requests[-1]
    assert (post.method, post.headers["x-on-behalf-of"]) == ("POST", "4")
    assert ticket.mentions == [agent]


def test_a_mention_is_an_update_of_the_ticket(ticket: Ticket) -> None:
    seen: list[dict[str, Any]] = []

    def receiver(sender: type[Ticket], **kwargs: Any) -> None:
        seen.append(kwargs["changes"])

    signals.updated.connect(receiver, sender=Ticket)
    try:
        ticket.mention(4)
    finally:
        signals.updated.disconnect(receiver, sender=Ticket)
    assert seen == [{"mentions": ([], [4])}]


def test_unmention_removes_your_own_mention(ticket: Ticket, zammad_server: FakeZammad) -> None:
    ticket.mention()
    zammad_server.clear_requests()
    assert ticket.unmention() is True
    assert [r[0] for r in wire(zammad_server)] == ["GET", "DELETE"]  # who am I, then remove
    assert ticket.mentions == []


def test_unmention_of_someone_not_mentioned_sends_no_delete(
    ticket: Ticket, zammad_server: FakeZammad
) -> None:
    ticket.mention()
    zammad_server.clear_requests()
    assert ticket.unmention(4) is False
    assert zammad_server.requests == []


def test_mentions_given_on_create_are_made_with_the_ticket(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    agent = zammad_client.users(4)
    created = zammad_client.tickets.create(
        title="Watch this", group="Users", customer=2, mentions=[agent, 3]
    )
    assert zammad_server.requests[-1].json["mentions"] == [4, 3]
    assert sorted(user.id for user in created.mentions) == [3, 4]


def test_mentions_of_a_saved_ticket_cannot_be_assigned(ticket: Ticket) -> None:
    with pytest.raises(AttributeError, match=r"ticket\.mention\(user\)"):
        ticket.mentions = [3]  # type: ignore[assignment]


def test_a_mentioned_user_is_a_user_object(ticket: Ticket) -> None:
    ticket.mention()
    (user,) = ticket.mentions
    assert isinstance(user, User)
    assert user.login == "admin@example.com"
