"""Users, organizations, groups, roles, states and priorities: names, access levels, relations
and the server's rules, each with the requests it costs."""

from __future__ import annotations

import datetime as dt

import pytest
from support import last, wire

from zammad_orm import Client
from zammad_orm.resources import Group, User
from zammad_orm.testing import FakeZammad


def test_fullname_joins_first_and_last_name(zammad_client: Client) -> None:
    assert zammad_client.users.get(3).fullname == "Test Admin"


def test_fullname_falls_back_to_the_email(zammad_client: Client) -> None:
    user = zammad_client.users.create(email="nameless@example.com")
    assert user.fullname == "nameless@example.com"


def test_longname_adds_the_organization(zammad_client: Client) -> None:
    assert zammad_client.users.get(2).longname == "Nicole Braun (Zammad Foundation)"


def test_longname_without_an_organization_is_the_fullname(zammad_client: Client) -> None:
    assert zammad_client.users.get(3).longname == "Test Admin"


def test_users_and_organizations_have_their_web_pages(zammad_client: Client) -> None:
    base = zammad_client.url.removesuffix("/api/v1")
    assert zammad_client.users(2).weburl == f"{base}/#user/profile/2"
    assert zammad_client.organizations(1).weburl == f"{base}/#organization/profile/1"


def test_group_access_takes_a_group_object_id_or_name(zammad_client: Client) -> None:
    user = zammad_client.users.get(4)
    group = zammad_client.groups.get(1)
    assert user.group_access(group) == user.group_access(1) == user.group_access("Users")
    assert user.group_access("Users") == ["full"]


def test_groups_are_objects_with_int_ids(zammad_client: Client) -> None:
    groups = zammad_client.users.get(4).groups
    assert groups == (zammad_client.groups(1),)
    assert isinstance(groups[0], Group)


def test_setting_access_levels_is_a_tracked_change_of_group_ids(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    user = zammad_client.users.get(4)
    user.set_group_access("Users", ["read", "change"])
    assert user.changes == {"group_ids": ({"1": ["full"]}, {"1": ["read", "change"]})}
    user.save()
    assert last(zammad_server).json == {"group_ids": {"1": ["read", "change"]}}
    assert zammad_client.users(4).reload().group_access(1) == ["read", "change"]


def test_no_access_levels_take_the_group_away(zammad_client: Client) -> None:
    user = zammad_client.users.get(4)
    user.set_group_access(1, [])
    assert user.group_ids == {}


def test_an_unknown_access_level_is_refused_and_nothing_recorded(zammad_client: Client) -> None:
    user = zammad_client.users.get(4)
    with pytest.raises(ValueError, match=r"unknown access level.*'write'.*'full', 'read'"):
        user.set_group_access("Users", ["read", "write"])
    assert not user.is_dirty


def test_roles_have_group_access_too(zammad_client: Client) -> None:
    role = zammad_client.roles.by_name("Agent")
    role.set_group_access("Users", ["full"])
    role.save()
    assert zammad_client.roles(role.id).reload().groups == (zammad_client.groups(1),)


def test_listed_roles_come_with_their_permissions(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    roles = list(zammad_client.roles)
    names = {role.name: role.permissions for role in roles}
    assert "admin" in names["Admin"]
    assert "ticket.agent" in names["Agent"]
    assert wire(zammad_server) == [("GET", "/roles")]


def test_permissions_of_a_role_from_assets_read_the_table_once(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    zammad_client.users.get(3)  # its roles are not expanded
    zammad_server.clear_requests()
    roles = zammad_client.users(3).roles  # objects built from the user's record alone
    assert [bool(role.permissions) for role in roles] == [True, True]
    assert wire(zammad_server) == [("GET", "/roles")]


def test_a_role_cannot_be_deleted_and_says_why(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    role = zammad_client.roles(2)
    with pytest.raises(TypeError, match="never deletes roles; deactivate one with"):
        role.delete()
    with pytest.raises(TypeError, match="no delete for /roles"):
        zammad_client.roles.delete(2)
    assert zammad_server.requests == []


def test_state_type_is_a_name_read_with_the_table(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    names = {state.name: state.state_type for state in zammad_client.ticket_states}
    assert names["pending reminder"] == "pending reminder"
    assert names["closed"] == "closed"
    assert len(zammad_server.requests) == 1


def test_state_type_is_assigned_by_name(zammad_client: Client, zammad_server: FakeZammad) -> None:
    state = zammad_client.ticket_states.create(name="waiting", state_type="pending action")
    assert last(zammad_server).json == {"name": "waiting", "state_type": "pending action"}
    assert state.state_type_id == 4
    state.update(state_type="open")
    assert zammad_client.ticket_states(state.id).reload().state_type == "open"


def test_next_state_is_a_state(zammad_client: Client) -> None:
    waiting = zammad_client.ticket_states.by_name("pending close")
    assert waiting.next_state == zammad_client.ticket_states.by_name("closed")


def test_parent_group_is_the_parent(zammad_client: Client) -> None:
    parent = zammad_client.groups.create(name="Sales")
    child = zammad_client.groups.create(name="Sales::Europe", parent=parent)
    assert child.parent_group is parent
    assert zammad_client.groups(1).parent_group is None


def test_by_name_finds_priorities(zammad_client: Client) -> None:
    assert zammad_client.ticket_priorities.by_name("3 high").id == 3


def test_members_of_an_organization_are_users(zammad_client: Client) -> None:
    members = zammad_client.organizations.get(1).members
    assert [member.login for member in members] == ["nicole.braun@zammad.org"]
    assert all(isinstance(member, User) for member in members)


def test_user_history_entries_are_typed(zammad_client: Client, zammad_server: FakeZammad) -> None:
    user = zammad_client.users.create(firstname="Hist", lastname="Ory", email="h@example.com")
    user.update(lastname="Oric")
    entries = user.history()
    assert [entry.type for entry in entries][:1] == ["created"]
    assert entries[0].object == "User"
    assert entries[0].o_id == user.id
    assert isinstance(entries[0].created_at, dt.datetime)
    assert entries[0].created_at.tzinfo is not None
    zammad_server.clear_requests()
    assert entries[0].created_by is zammad_client.users(3)
    assert entries[0].created_by.login == "admin@example.com"  # from the reply's assets
    assert zammad_server.requests == []


def test_organization_history_is_one_request(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    organization = zammad_client.organizations.create(name="Historic Ltd")
    zammad_server.clear_requests()
    entries = organization.history()
    assert [(entry.type, entry.object) for entry in entries][:1] == [("created", "Organization")]
    assert wire(zammad_server) == [("GET", f"/organizations/history/{organization.id}")]


def test_creating_a_user_sends_only_the_fields_given(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    zammad_client.users.create(firstname="Only", email="only@example.com")
    assert last(zammad_server).json == {"firstname": "Only", "email": "only@example.com"}


def test_roles_priorities_and_states_are_created_and_found_by_name(
    zammad_client: Client,
) -> None:
    role = zammad_client.roles.create(name="Auditor", permission_ids=[])
    priority = zammad_client.ticket_priorities.create(name="4 urgent")
    state = zammad_client.ticket_states.create(name="on hold", state_type_id=3)
    assert zammad_client.roles.by_name("Auditor") is role
    assert zammad_client.ticket_priorities.by_name("4 urgent") is priority
    assert zammad_client.ticket_states.by_name("on hold").state_type == "pending reminder"
    assert state.id == zammad_client.ticket_states.id_for("on hold")
