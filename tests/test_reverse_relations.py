"""Reverse relations as lazy searches: user.tickets, organization.tickets, group.tickets."""

from __future__ import annotations

from support import NewTicket, wire

from zammad_orm import Client
from zammad_orm.testing import FakeZammad


def test_user_tickets_sends_nothing_until_iterated(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    tickets = zammad_client.users(2).tickets
    assert zammad_server.requests == []
    assert [ticket.id for ticket in tickets] == [1]
    assert wire(zammad_server) == [("GET", "/tickets/search")]
    assert zammad_server.requests[0].query["query"] == "customer_id:2"


def test_user_tickets_are_the_tickets_they_are_customer_of(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    mine = new_ticket(customer_id=3)
    assert [ticket.id for ticket in zammad_client.users(3).tickets] == [mine]


def test_owned_by_finds_the_agents_tickets(zammad_client: Client, new_ticket: NewTicket) -> None:
    owned = new_ticket(owner_id=4)
    assert [ticket.id for ticket in zammad_client.tickets.owned_by(4)] == [owned]


def test_organization_tickets(zammad_client: Client, new_ticket: NewTicket) -> None:
    created = new_ticket()
    ids = {ticket.id for ticket in zammad_client.organizations(1).tickets}
    assert ids == {1, created}


def test_group_tickets_by_object_and_in_group_by_name(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    created = new_ticket()
    by_object = {ticket.id for ticket in zammad_client.groups(1).tickets}
    by_name = {ticket.id for ticket in zammad_client.tickets.in_group("Users")}
    assert by_object == by_name == {1, created}


def test_reverse_searches_take_search_arguments(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    new_ticket()
    found = list(zammad_client.tickets.of_customer(2, sort_by="id", order_by="asc", per_page=1))
    assert len(found) == 2
    assert zammad_server.requests[0].query["sort_by"] == "id"
