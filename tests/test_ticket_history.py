"""A ticket's history as typed entries with aware datetimes and users as objects (zammadoo
T21)."""

from __future__ import annotations

import datetime as dt

from support import NewTicket, wire

from zammad_orm import Client
from zammad_orm.resources.articles import Article
from zammad_orm.resources.history import HistoryEntry
from zammad_orm.resources.tickets import Ticket
from zammad_orm.resources.users import User
from zammad_orm.testing import FakeZammad


def test_history_is_one_request(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets(new_ticket())
    entries = ticket.history()
    assert wire(zammad_server) == [("GET", f"/ticket_history/{ticket.id}")]
    assert all(isinstance(entry, HistoryEntry) for entry in entries)


def test_entries_come_oldest_first_with_aware_datetimes(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets(new_ticket(article={"body": "hi"}))
    entries = ticket.history()
    assert [(e.object, e.type) for e in entries] == [
        ("Ticket", "created"),
        ("Ticket::Article", "created"),
    ]
    moments = [entry.created_at for entry in entries]
    assert all(moment.tzinfo is dt.timezone.utc for moment in moments)
    assert moments == sorted(moments)


def test_the_acting_user_is_an_object_that_costs_no_request(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets(new_ticket())
    (created,) = ticket.history()
    zammad_server.clear_requests()
    assert isinstance(created.created_by, User)
    assert created.created_by.login == "admin@example.com"
    assert zammad_server.requests == []


def test_a_changed_attribute_names_old_and_new_values(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets(new_ticket())
    ticket.update(title="Renamed")
    change = ticket.history()[-1]
    assert (change.type, change.attribute, change.value_from, change.value_to) == (
        "updated",
        "title",
        "Test ticket",
        "Renamed",
    )


def test_a_changed_relation_gives_both_ids(zammad_client: Client, new_ticket: NewTicket) -> None:
    ticket = zammad_client.tickets(new_ticket())
    ticket.update(owner_id=4)
    change = ticket.history()[-1]
    assert (change.attribute, change.id_from, change.id_to) == ("owner", 1, 4)


def test_the_subject_of_an_entry_is_the_record_it_is_about(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets(new_ticket(article={"body": "hi"}))
    created, article_created = ticket.history()
    assert created.subject == ticket
    assert isinstance(article_created.subject, Article)
    assert isinstance(created.subject, Ticket)
    assert article_created.related_object == "Ticket"
    assert article_created.related_o_id == ticket.id


def test_tag_changes_are_in_the_history(zammad_client: Client, new_ticket: NewTicket) -> None:
    ticket = zammad_client.tickets(new_ticket())
    ticket.add_tags("urgent")
    added = ticket.history()[-1]
    assert (added.type, added.attribute, added.value_to) == ("added", "tag", "urgent")


def test_articles_in_the_history_assets_cost_no_request(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets(new_ticket(article={"body": "hi"}))
    _created, article_created = ticket.history()
    zammad_server.clear_requests()
    article = article_created.subject
    assert isinstance(article, Article)
    assert article.body == "hi"
    assert zammad_server.requests == []
