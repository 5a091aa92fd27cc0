"""Custom fields (object manager attributes) read, assign, track and save like declared fields,
with the type their attribute declares, from one read of the attribute list."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from support import NewTicket, last, wire

from zammad_orm import Client
from zammad_orm.testing import FakeZammad

LIST = ("GET", "/object_manager_attributes")

ATTRIBUTES: list[dict[str, Any]] = [
    {"name": "customer_no", "data_type": "input",
     "data_option": {"type": "text", "maxlength": 20}},
    {"name": "tier", "data_type": "select",
     "data_option": {"options": {"gold": "Gold", "silver": "Silver"}, "default": ""}},
    {"name": "regions", "data_type": "multiselect",
     "data_option": {"options": {"eu": "Europe", "us": "America"}, "default": []}},
    {"name": "seats", "data_type": "integer", "data_option": {"min": 1, "max": 100}},
    {"name": "billable", "data_type": "boolean",
     "data_option": {"options": {"true": "yes", "false": "no"}, "default": False}},
    {"name": "renewal", "data_type": "date", "data_option": {"diff": 0}},
]  # fmt: skip


def add_attributes(client: Client, obj: str, *, migrate: bool = True) -> None:
    """Create the test attributes on ``obj`` with raw requests and run the migrations."""
    for attribute in ATTRIBUTES:
        body = {"object": obj, "display": attribute["name"], "active": True, **attribute}
        client.post("object_manager_attributes", json=body)
    if migrate:
        client.post("object_manager_attributes_execute_migrations")


def writes(server: FakeZammad) -> list[tuple[str, str]]:
    """The requests that changed something."""
    return [(method, endpoint) for method, endpoint in wire(server) if method != "GET"]


@pytest.fixture
def ticket_id(zammad_client: Client, new_ticket: NewTicket, zammad_server: FakeZammad) -> int:
    """A ticket created after the test attributes were migrated (requests cleared)."""
    add_attributes(zammad_client, "Ticket")
    ident = new_ticket()
    zammad_server.clear_requests()
    return ident


def test_custom_fields_read_with_their_declared_types(
    zammad_client: Client, ticket_id: int, zammad_server: FakeZammad
) -> None:
    zammad_server.clear_requests()
    zammad_client.tickets.update(ticket_id, renewal=dt.date(2030, 1, 31), seats=3)
    ticket = zammad_client.tickets.get(ticket_id)
    assert ticket.renewal == dt.date(2030, 1, 31)
    assert ticket.seats == 3
    assert ticket.billable is False
    assert ticket.regions == []


def test_the_attribute_list_is_read_once_for_every_object_and_field(
    zammad_client: Client, ticket_id: int, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    other = new_ticket()
    first, second = zammad_client.tickets.get(ticket_id), zammad_client.tickets.get(other)
    for ticket in (first, second):
        _ = ticket.tier, ticket.seats, ticket.billable, ticket.customer_no
    assert wire(zammad_server).count(LIST) == 1


def test_the_attribute_list_is_read_again_after_the_cache_lifetime(
    zammad_server: FakeZammad,
) -> None:
    now = [0.0]
    client = Client(zammad_server.url, http_token=zammad_server.token, timer=lambda: now[0])
    add_attributes(client, "Ticket")
    ticket = client.tickets.get(1)
    _ = ticket.seats
    now[0] += client.cache.ttl + 1
    _ = ticket.seats
    assert wire(zammad_server).count(LIST) == 2


def test_assigning_a_custom_field_is_tracked_and_saved_alone(
    zammad_client: Client, ticket_id: int, zammad_server: FakeZammad
) -> None:
    ticket = zammad_client.tickets.get(ticket_id)
    ticket.tier = "gold"
    assert ticket.changes == {"tier": ("", "gold")}  # Zammad's select default is ""
    ticket.save()
    assert last(zammad_server).json == {"tier": "gold"}
    assert zammad_client.tickets.get(ticket_id).tier == "gold"


def test_a_date_field_is_sent_as_a_plain_date(
    zammad_client: Client, ticket_id: int, zammad_server: FakeZammad
) -> None:
    zammad_client.tickets(ticket_id).update(renewal=dt.date(2031, 5, 1))
    assert last(zammad_server).json == {"renewal": "2031-05-01"}


def test_a_select_option_not_offered_is_refused_before_sending(
    zammad_client: Client, ticket_id: int, zammad_server: FakeZammad
) -> None:
    ticket = zammad_client.tickets.get(ticket_id)
    zammad_server.clear_requests()
    with pytest.raises(ValueError, match=r"'gold', 'silver', got 'golden'.*did you mean 'gold'"):
        ticket.tier = "golden"
    assert not ticket.is_dirty
    assert writes(zammad_server) == []


def test_each_item_of_a_multiselect_is_checked(
    zammad_client: Client, ticket_id: int, zammad_server: FakeZammad
) -> None:
    ticket = zammad_client.tickets.get(ticket_id)
    with pytest.raises(ValueError, match="'asia'"):
        ticket.regions = ["eu", "asia"]
    ticket.regions = ["eu", "us"]
    ticket.save()
    assert last(zammad_server).json == {"regions": ["eu", "us"]}


def test_a_value_of_the_wrong_type_is_refused(zammad_client: Client, ticket_id: int) -> None:
    ticket = zammad_client.tickets.get(ticket_id)
    with pytest.raises(TypeError, match=r"Ticket.seats takes int \| None, got '3'"):
        ticket.seats = "3"
    with pytest.raises(TypeError, match="billable takes bool"):
        ticket.billable = "yes"


def test_an_integer_outside_the_attribute_bounds_is_refused(
    zammad_client: Client, ticket_id: int
) -> None:
    with pytest.raises(ValueError, match=r"Ticket\.seats is at most 100, got 101"):
        zammad_client.tickets(ticket_id).seats = 101


def test_an_unknown_name_suggests_the_custom_field_before_anything_is_sent(
    zammad_client: Client, ticket_id: int, zammad_server: FakeZammad
) -> None:
    ticket = zammad_client.tickets.get(ticket_id)
    zammad_server.clear_requests()
    with pytest.raises(AttributeError, match="did you mean 'customer_no'"):
        ticket.customer_nr = "C-1"
    with pytest.raises(AttributeError, match="did you mean 'customer_no'"):
        zammad_client.tickets.create(title="x", group="Users", customer_id=2, customer_nr="C")
    assert writes(zammad_server) == []


def test_a_new_object_sends_its_custom_fields(
    zammad_client: Client, ticket_id: int, zammad_server: FakeZammad
) -> None:
    ticket = zammad_client.tickets.create(
        title="With fields", group="Users", customer_id=2, tier="silver", seats=5
    )
    assert last(zammad_server).json == {
        "title": "With fields", "group_id": 1, "customer_id": 2, "tier": "silver", "seats": 5,
    }  # fmt: skip
    assert (ticket.tier, ticket.seats) == ("silver", 5)


def test_users_organizations_and_groups_take_custom_fields_too(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    for obj in ("User", "Organization", "Group"):
        add_attributes(zammad_client, obj, migrate=False)
    zammad_client.post("object_manager_attributes_execute_migrations")
    user = zammad_client.users.get(2)
    user.update(tier="gold")
    organization = zammad_client.organizations.get(1)
    organization.update(seats=7)
    group = zammad_client.groups.get(1)
    group.update(billable=True)
    assert (user.tier, organization.seats, group.billable) == ("gold", 7, True)


def test_an_attribute_not_yet_migrated_is_no_field(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    add_attributes(zammad_client, "Ticket", migrate=False)
    ticket = zammad_client.tickets.get(1)
    with pytest.raises(AttributeError, match="no field 'tier'"):
        ticket.tier = "gold"


def test_without_admin_object_permission_custom_fields_stay_raw(
    zammad_client: Client, ticket_id: int, zammad_server: FakeZammad
) -> None:
    zammad_client.tickets.update(ticket_id, seats=4)
    zammad_server.clear_requests()
    agent = Client(zammad_server.url, http_auth=("agent@example.com", zammad_server.admin_password))
    ticket = agent.tickets.get(ticket_id)
    assert ticket.renewal == dt.date.today().isoformat()  # the JSON string, untyped
    ticket["seats"] = 9  # raw assignment still sends it
    ticket.save()
    _ = ticket.renewal, ticket.seats
    refused = [r for r in zammad_server.requests if r.path.endswith("/object_manager_attributes")]
    assert [r.status for r in refused] == [403]  # the refusal is remembered, not asked again
    assert zammad_client.tickets(ticket_id).reload().seats == 9


def test_dir_lists_the_custom_fields(zammad_client: Client, ticket_id: int) -> None:
    ticket = zammad_client.tickets.get(ticket_id)
    _ = ticket.tier
    assert {"tier", "seats", "renewal", "title"} <= set(dir(ticket))
