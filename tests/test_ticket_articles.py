"""A ticket's articles: read in one request and remembered, created with Zammad's defaults,
and a new article keeps its ticket right (zammadoo T9, T18, T20, A8, A9, A12, A13)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from support import NewTicket, last, wire

from zammad_orm import Client, signals
from zammad_orm.resources.articles import Article
from zammad_orm.testing import FakeZammad


def test_articles_come_oldest_first_in_one_request(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket(article={"body": "first"})
    zammad_client.post("ticket_articles", json={"ticket_id": ticket_id, "body": "second"})
    zammad_server.clear_requests()
    ticket = zammad_client.tickets(ticket_id)
    assert [article.body for article in ticket.articles] == ["first", "second"]
    assert wire(zammad_server) == [("GET", f"/ticket_articles/by_ticket/{ticket_id}")]


def test_articles_are_remembered_while_the_ticket_is_unchanged(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets(new_ticket(article={"body": "first"}))
    first = ticket.articles
    again = ticket.articles
    assert again == first
    assert len(zammad_server.requests) == 1


def test_article_ids_need_no_request_once_articles_are_known(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets(new_ticket(article={"body": "first"}))
    ids = [article.id for article in ticket.articles]
    assert ticket.article_ids == ids
    assert len(zammad_server.requests) == 1


def test_a_saved_change_of_the_ticket_makes_articles_ask_again(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets(new_ticket(article={"body": "first"}))
    assert len(ticket.articles) == 1
    ticket.update(article={"body": "reply", "type": "note"})
    zammad_server.clear_requests()
    assert [article.body for article in ticket.articles] == ["first", "reply"]
    assert wire(zammad_server) == [("GET", f"/ticket_articles/by_ticket/{ticket.id}")]


def test_create_article_sends_one_request_with_zammads_defaults(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets(new_ticket())
    article = ticket.create_article("Hello")
    assert wire(zammad_server) == [("POST", "/ticket_articles")]
    assert last(zammad_server).json == {
        "ticket_id": ticket.id,
        "body": "Hello",
        "type": "note",
        "internal": False,
    }
    assert (article.type, article.internal, article.sender) == ("note", False, "Agent")


def test_create_article_passes_further_fields(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets(new_ticket())
    article = ticket.create_article(
        "<p>Hi</p>", internal=True, subject="Re: hi", content_type="text/html"
    )
    assert (article.subject, article.content_type, article.internal) == (
        "Re: hi",
        "text/html",
        True,
    )


def test_create_article_books_its_time_unit(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets(new_ticket())
    article = ticket.create_article("Worked on it", time_unit=1.5)
    assert last(zammad_server).json["time_unit"] == "1.5"
    assert [(b.time_unit, b["ticket_article_id"]) for b in ticket.time_accountings()] == [
        ("1.5", article.id)
    ]


def test_a_new_article_joins_the_remembered_articles_without_a_request(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets(new_ticket(article={"body": "first"}))
    before = ticket.articles
    article = ticket.create_article("second")
    zammad_server.clear_requests()
    assert ticket.articles == [*before, article]
    assert zammad_server.requests == []


def test_a_new_article_updates_the_tickets_article_count(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets.get(new_ticket(article={"body": "first"}))
    assert ticket.article_count == 1
    ticket.create_article("second")
    assert ticket.article_count == 2


def test_a_new_article_reaches_the_ticket_of_other_units(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket(article={"body": "first"})
    mine = zammad_client.tickets.get(ticket_id)
    with zammad_client.unit_of_work():
        theirs = zammad_client.tickets.get(ticket_id)
        mine.create_article("second")
        assert theirs.article_count == 2


def test_an_article_created_through_the_manager_updates_its_ticket(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets.get(new_ticket(article={"body": "first"}))
    zammad_client.ticket_articles.create(ticket=ticket, body="second")
    assert ticket.article_count == 2


def test_deleting_an_article_drops_it_from_the_remembered_articles(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets(new_ticket(article={"body": "first"}))
    note = ticket.create_article("oops")
    assert len(ticket.articles) == 2
    note.delete()
    zammad_server.clear_requests()
    assert [article.body for article in ticket.articles] == ["first"]
    assert zammad_server.requests == []


def test_create_article_sends_created_for_the_article(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    seen: list[Any] = []

    def receiver(sender: type[Article], **kwargs: Any) -> None:
        seen.append(kwargs["instance"])

    signals.created.connect(receiver, sender=Article)
    try:
        article = zammad_client.tickets(new_ticket()).create_article("Hello")
    finally:
        signals.created.disconnect(receiver, sender=Article)
    assert seen == [article]


def test_create_article_refuses_a_body_that_is_no_str_before_sending(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets(new_ticket())
    with pytest.raises(TypeError, match="body must be a str"):
        ticket.create_article(b"bytes")  # type: ignore[arg-type]
    assert zammad_server.requests == []


def test_create_article_refuses_a_time_unit_that_is_no_number_before_sending(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets(new_ticket())
    with pytest.raises(ValueError, match="time_unit must be a number"):
        ticket.create_article("Hello", time_unit="an hour")
    assert zammad_server.requests == []


def test_a_refused_article_leaves_nothing_in_the_unit(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets(new_ticket())
    zammad_server.fail_next(status=422, path="/ticket_articles$")
    with pytest.raises(Exception, match="422"):
        ticket.create_article("Hello")
    assert zammad_client.current_unit_of_work().pending == []


def test_article_ticket_sender_type_from_and_origin_by(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets(new_ticket())
    article = ticket.create_article("On the phone", type="phone", origin_by=2)
    assert article.ticket == ticket
    assert (article.type, article.sender, article.from_) == ("phone", "Agent", "Test Admin")
    assert article.origin_by is not None
    assert article.origin_by.login == "nicole.braun@zammad.org"


def test_replying_by_assigning_an_article_sends_one_put(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets(new_ticket())
    ticket.article = {"body": "Reply", "type": "note", "internal": False}
    ticket.title = "Answered"
    ticket.save()
    assert wire(zammad_server) == [("PUT", f"/tickets/{ticket.id}")]
    assert last(zammad_server).json == {
        "article": {"body": "Reply", "type": "note", "internal": False},
        "title": "Answered",
    }
    assert ticket.article_count == 1


def test_deleting_a_ticket_drops_its_articles_from_every_unit(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets(new_ticket(article={"body": "first"}))
    (article,) = ticket.articles
    with zammad_client.unit_of_work():
        theirs = zammad_client.ticket_articles(article.id)
        assert theirs.body == "first"
        ticket.delete()
        again = zammad_client.ticket_articles(article.id)
        assert again is not theirs
        assert not again.is_loaded  # the shared cache forgot it too


def test_by_tickets_reads_each_tickets_articles_in_parallel(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    payloads = [
        {"title": f"A{n}", "group": "Users", "customer_id": 2, "article": {"body": f"b{n}"}}
        for n in range(4)
    ]
    ids = [int(zammad_client.post("tickets", json=payload)["id"]) for payload in payloads]
    zammad_server.clear_requests()
    zammad_server.latency = 0.1
    started = time.monotonic()
    found = zammad_client.ticket_articles.by_tickets(ids, workers=4)
    elapsed = time.monotonic() - started
    assert list(found) == ids
    assert [[a.body for a in found[i]] for i in ids] == [["b0"], ["b1"], ["b2"], ["b3"]]
    assert len(zammad_server.requests) == 4
    assert elapsed < 0.1 * 4 * 0.75  # overlapping: one after the other takes 0.4 s at least
