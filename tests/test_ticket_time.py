"""Time booked on a ticket: listed in one request and booked through Zammad's per-ticket
route, with the type by object, id or name (zammadoo T10, T19, A11)."""

from __future__ import annotations

from typing import Any

import pytest
from support import NewTicket, last, wire

from zammad_orm import Client, UnprocessableEntity, signals
from zammad_orm.resources.tickets import Ticket
from zammad_orm.resources.time_accountings import TimeAccounting
from zammad_orm.testing import FakeZammad


@pytest.fixture
def ticket(zammad_client: Client, new_ticket: NewTicket) -> Ticket:
    return zammad_client.tickets.get(new_ticket(article={"body": "first"}))


@pytest.fixture
def billable(zammad_client: Client, zammad_server: FakeZammad) -> int:
    ident = int(zammad_client.post("time_accounting/types", json={"name": "Billable"})["id"])
    zammad_server.clear_requests()
    return ident


def test_create_time_accounting_posts_to_the_tickets_route(
    ticket: Ticket, zammad_server: FakeZammad
) -> None:
    zammad_server.clear_requests()
    booking = ticket.create_time_accounting(1.25)
    assert wire(zammad_server) == [("POST", f"/tickets/{ticket.id}/time_accountings")]
    assert last(zammad_server).json == {"ticket_id": ticket.id, "time_unit": "1.25"}
    assert (booking.time_unit, booking.ticket) == ("1.25", ticket)


def test_the_type_may_be_given_by_name(
    ticket: Ticket, billable: int, zammad_server: FakeZammad
) -> None:
    booking = ticket.create_time_accounting("2", type="Billable")
    assert last(zammad_server).json["type"] == "Billable"
    assert booking.type_id == billable


def test_the_type_may_be_given_by_id(
    ticket: Ticket, billable: int, zammad_server: FakeZammad
) -> None:
    assert ticket.create_time_accounting(2, type=billable).type_id == billable


def test_an_unknown_type_name_books_nothing(ticket: Ticket) -> None:
    with pytest.raises(UnprocessableEntity, match="No such type"):
        ticket.create_time_accounting(2, type="No such type")
    assert ticket.time_accountings() == []


def test_a_booking_may_belong_to_an_article(ticket: Ticket, zammad_server: FakeZammad) -> None:
    (article,) = ticket.articles
    booking = ticket.create_time_accounting("0.5", article=article)
    assert last(zammad_server).json["ticket_article_id"] == article.id
    assert booking.ticket_article == article


def test_an_article_of_another_ticket_is_refused_before_sending(
    ticket: Ticket, zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    (foreign,) = zammad_client.tickets(new_ticket(article={"body": "elsewhere"})).articles
    zammad_server.clear_requests()
    with pytest.raises(ValueError, match="belongs to ticket"):
        ticket.create_time_accounting(1, article=foreign)
    assert zammad_server.requests == []


def test_a_time_unit_that_is_no_number_is_refused_before_sending(
    ticket: Ticket, zammad_server: FakeZammad
) -> None:
    zammad_server.clear_requests()
    with pytest.raises(TypeError, match="time_unit takes a number"):
        ticket.create_time_accounting(True)
    assert zammad_server.requests == []


def test_time_accountings_lists_the_tickets_bookings_in_one_request(
    ticket: Ticket, zammad_server: FakeZammad
) -> None:
    ticket.create_time_accounting(1)
    ticket.create_time_accounting(2)
    zammad_server.clear_requests()
    assert [b.time_unit for b in ticket.time_accountings()] == ["1.0", "2.0"]
    assert wire(zammad_server) == [("GET", f"/tickets/{ticket.id}/time_accountings")]


def test_a_booking_updates_the_tickets_time_unit(ticket: Ticket) -> None:
    ticket.create_time_accounting(1.5)
    assert ticket.time_unit == "1.5"


def test_a_booking_sends_created(ticket: Ticket) -> None:
    seen: list[Any] = []

    def receiver(sender: type[TimeAccounting], **kwargs: Any) -> None:
        seen.append(kwargs["instance"])

    signals.created.connect(receiver, sender=TimeAccounting)
    try:
        booking = ticket.create_time_accounting(1)
    finally:
        signals.created.disconnect(receiver, sender=TimeAccounting)
    assert seen == [booking]


def test_article_book_time_creates_the_articles_booking(
    ticket: Ticket, zammad_server: FakeZammad
) -> None:
    (article,) = ticket.articles
    zammad_server.clear_requests()
    booking = article.book_time(1)
    assert wire(zammad_server) == [
        ("GET", f"/tickets/{ticket.id}/time_accountings"),
        ("POST", f"/tickets/{ticket.id}/time_accountings"),
    ]
    assert booking.ticket_article == article


def test_article_book_time_changes_an_existing_booking_and_keeps_its_type(
    ticket: Ticket, billable: int, zammad_server: FakeZammad
) -> None:
    (article,) = ticket.articles
    first = article.book_time(1, type=billable)
    second = article.book_time("2.5")
    assert second is first
    assert last(zammad_server).method == "PUT"
    assert last(zammad_server).json == {"time_unit": "2.5"}
    assert (second.time_unit, second.type_id) == ("2.5", billable)
