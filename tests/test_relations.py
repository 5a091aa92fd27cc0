"""Relations: ids become objects through the identity cache; objects, ids and names go back."""

from __future__ import annotations

import pytest
from support import NewTicket, last, wire

from zammad_orm import Client, ResourceLookupError
from zammad_orm.resources import Group, Organization, Role, State, User
from zammad_orm.testing import FakeZammad


def test_related_ids_resolve_to_objects(zammad_client: Client, new_ticket: NewTicket) -> None:
    ticket = zammad_client.tickets.get(new_ticket())
    assert isinstance(ticket.group, Group)
    assert isinstance(ticket.state, State)
    assert isinstance(ticket.customer, User)
    assert ticket.group.name == "Users"
    assert ticket.state.name == "new"
    assert ticket.customer.email == "nicole.braun@zammad.org"
    assert ticket.created_by is not None
    assert ticket.created_by.id == 3


def test_same_id_gives_the_same_object(zammad_client: Client, new_ticket: NewTicket) -> None:
    first = zammad_client.tickets.get(new_ticket())
    second = zammad_client.tickets.get(new_ticket())
    assert first.group is second.group
    assert first.group is zammad_client.groups(1)


def test_reading_a_relation_needs_no_request_until_its_fields_are_read(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets.get(new_ticket())
    zammad_server.clear_requests()
    group = ticket.group
    assert group is not None
    assert zammad_server.requests == []
    assert group.name == "Users"
    assert wire(zammad_server) == [("GET", "/groups")]  # the whole small table at once


def test_none_stays_none(zammad_client: Client) -> None:
    customer = zammad_client.users.create(firstname="No", lastname="Org", email="no@org.test")
    assert customer.organization is None


def test_assigning_an_object(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets(new_ticket())
    ticket.priority = zammad_client.ticket_priorities(3)
    ticket.save()
    assert last(zammad_server).json == {"priority_id": 3}


def test_assigning_an_id(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets(new_ticket())
    ticket.owner = 3
    ticket.save()
    assert last(zammad_server).json == {"owner_id": 3}
    assert ticket.owner is zammad_client.users(3)


def test_assigning_a_state_name_sends_its_id(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets(new_ticket())
    ticket.state = "closed"
    ticket.save()
    assert last(zammad_server).json == {"state_id": 4}
    assert zammad_client.get("tickets", ticket.id)["state_id"] == 4


def test_lookup_tables_are_asked_once(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    first = zammad_client.tickets(new_ticket())
    second = zammad_client.tickets(new_ticket())
    first.state = "open"
    second.state = "closed"
    first.group = "Users"
    assert wire(zammad_server) == [("GET", "/ticket_states"), ("GET", "/groups")]


def test_unknown_name_raises_lookup_error_naming_the_choices_before_sending(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets(new_ticket())
    with pytest.raises(ResourceLookupError) as caught:
        ticket.state = "finished"
    error = caught.value
    assert isinstance(error, LookupError)
    assert "'closed'" in str(error)
    assert "state" in str(error)
    assert error.choices == sorted(
        ["new", "open", "pending reminder", "closed", "merged", "pending close"]
    )
    assert all(method == "GET" for method, _ in wire(zammad_server))
    assert not ticket.is_dirty


def test_a_name_created_since_the_table_was_cached_is_found(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    zammad_client.ticket_states.id_for("new")
    zammad_client.post("ticket_states", json={"name": "waiting", "state_type_id": 2})
    ticket = zammad_client.tickets(new_ticket())
    ticket.state = "waiting"
    assert ticket.state is not None
    assert ticket.state.name == "waiting"


def test_user_names_pass_through_for_the_server(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets(new_ticket())
    ticket.owner = "agent@example.com"
    ticket.save()
    assert last(zammad_server).json == {"owner": "agent@example.com"}
    assert ticket.owner is not None
    assert ticket.owner.id == 4


def test_a_pending_user_name_resolves_on_read(zammad_client: Client, new_ticket: NewTicket) -> None:
    ticket = zammad_client.tickets(new_ticket())
    ticket.owner = "agent@example.com"
    assert ticket.owner is not None
    assert ticket.owner.id == 4


def test_payload_never_holds_both_name_and_id(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets(new_ticket())
    ticket.owner = 3
    ticket.owner = "agent@example.com"
    ticket.save()
    assert last(zammad_server).json == {"owner": "agent@example.com"}
    ticket.owner = "admin@example.com"
    ticket.owner = 4
    assert not ticket.is_dirty


def test_assigning_none_clears_a_relation(zammad_client: Client, zammad_server: FakeZammad) -> None:
    user = zammad_client.users.get(2)
    user.organization = None
    user.save()
    assert last(zammad_server).json == {"organization_id": None}
    assert user.organization is None


def test_assigning_the_wrong_kind_of_object_is_refused(zammad_client: Client) -> None:
    ticket = zammad_client.tickets(1)
    with pytest.raises(TypeError, match="takes a Group"):
        ticket.group = zammad_client.users(3)  # type: ignore[assignment]


def test_user_relations(zammad_client: Client) -> None:
    nicole = zammad_client.users.get(2)
    assert isinstance(nicole.organization, Organization)
    assert nicole.organization.name == "Zammad Foundation"
    assert [role.name for role in nicole.roles] == ["Customer"]
    assert all(isinstance(role, Role) for role in nicole.roles)
    assert nicole.organizations == ()


def test_organization_members(zammad_client: Client) -> None:
    foundation = zammad_client.organizations.get(1)
    assert zammad_client.users(2) in foundation.members


def test_roles_assigned_by_name(zammad_client: Client, zammad_server: FakeZammad) -> None:
    user = zammad_client.users.create(firstname="Role", lastname="Play", email="role@play.test")
    user.roles = ["Agent", zammad_client.roles(3)]
    user.save()
    assert last(zammad_server).json == {"role_ids": [2, 3]}
    assert [role.name for role in user.roles] == ["Agent", "Customer"]


def test_unknown_role_name_is_refused(zammad_client: Client) -> None:
    user = zammad_client.users(2)
    with pytest.raises(ResourceLookupError, match="roles"):
        user.roles = ["Wizard"]


def test_relation_lists_refuse_a_single_string(zammad_client: Client) -> None:
    user = zammad_client.users(2)
    with pytest.raises(TypeError, match="list"):
        user.roles = "Agent"  # type: ignore[assignment]


def test_organization_by_name_passes_through(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    user = zammad_client.users.create(firstname="Org", lastname="Name", email="org@name.test")
    user.organization = "Zammad Foundation"
    assert user.organization is not None
    assert user.organization.id == 1
    user.save()
    assert last(zammad_server).json == {"organization": "Zammad Foundation"}
    assert zammad_client.get("users", user.id)["organization_id"] == 1
