"""Core-workflow value rules on ticket writes, as Zammad's API enforces them."""

from __future__ import annotations

from typing import Any

from raw_api import Api

from zammad_orm.testing import FakeZammad


def agent_with(api: Api, server: FakeZammad, login: str, group_ids: dict[str, list[str]]) -> Api:
    """A new agent with ``group_ids`` access, and raw requests as that agent."""
    api.ok(
        "POST",
        "/users",
        json={
            "login": login,
            "firstname": "Some",
            "lastname": "Agent",
            "roles": ["Agent"],
            "group_ids": group_ids,
            "password": server.admin_password,
        },
    )
    return Api(server, (login, server.admin_password))


def invalid(response: Any) -> tuple[int, str]:
    return response.status_code, response.json()["error"]


def test_a_customer_as_owner_is_refused(api: Api) -> None:
    """app/models/core_workflow/attributes/user.rb: only user 1 and agents with full group
    access may own a ticket; app/models/concerns/checks_core_workflow.rb words the 422."""
    response = api.try_ticket(owner_id=2)
    assert invalid(response) == (422, "Invalid value '2' for field 'owner_id'!")


def test_an_agent_without_full_access_cannot_own(api: Api, server: FakeZammad) -> None:
    """app/models/core_workflow/attributes/user.rb: ``groups_users.access = 'full'`` only."""
    agent_with(api, server, "reader@example.com", {"1": ["read", "change", "create"]})
    reader = api.ok("GET", "/users/search", params={"query": "login:reader@example.com"})[0]
    ticket = api.ticket()
    response = api.call("PUT", f"/tickets/{ticket['id']}", json={"owner_id": reader["id"]})
    assert invalid(response) == (422, f"Invalid value '{reader['id']}' for field 'owner_id'!")


def test_an_agent_with_full_access_and_nobody_may_own(api: Api) -> None:
    """app/models/core_workflow/attributes/user.rb: full-access agents, and user 1 always."""
    ticket = api.ticket(owner_id=4)
    assert ticket["owner_id"] == 4
    back = api.ok("PUT", f"/tickets/{ticket['id']}", json={"owner_id": 1})
    assert back["owner_id"] == 1


def test_a_ticket_cannot_go_back_to_new(api: Api) -> None:
    """app/models/core_workflow/attributes/ticket_state.rb: ``new`` only on screen
    create_middle."""
    ticket = api.ticket(state="open")
    response = api.call("PUT", f"/tickets/{ticket['id']}", json={"state": "new"})
    assert invalid(response) == (422, "Invalid value '1' for field 'state_id'!")


def test_a_ticket_can_be_created_new(api: Api) -> None:
    """app/models/core_workflow/attributes/ticket_state.rb: create_middle adds ``new``."""
    assert api.ticket(state="new")["state_id"] == 1


def test_a_ticket_cannot_be_set_to_merged(api: Api) -> None:
    """app/models/core_workflow/attributes/ticket_state.rb: ``merged`` is never offered."""
    ticket = api.ticket()
    response = api.call("PUT", f"/tickets/{ticket['id']}", json={"state": "merged"})
    assert invalid(response) == (422, "Invalid value '5' for field 'state_id'!")
    created = api.try_ticket(state_id=5)
    assert invalid(created) == (422, "Invalid value '5' for field 'state_id'!")


def test_an_unchanged_value_is_not_checked(api: Api) -> None:
    """app/models/concerns/checks_core_workflow.rb: only changed attributes are checked."""
    ticket = api.ticket()  # state new
    same = api.ok("PUT", f"/tickets/{ticket['id']}", json={"state": "new", "title": "Renamed"})
    assert (same["state_id"], same["title"]) == (1, "Renamed")


def test_an_inactive_priority_is_refused(api: Api) -> None:
    """app/models/core_workflow/attributes/ticket_priority.rb: active priorities only."""
    api.ok("PUT", "/ticket_priorities/1", json={"active": False})
    ticket = api.ticket()
    response = api.call("PUT", f"/tickets/{ticket['id']}", json={"priority_id": 1})
    assert invalid(response) == (422, "Invalid value '1' for field 'priority_id'!")


def test_moving_to_a_group_with_read_access_only_is_refused(api: Api, server: FakeZammad) -> None:
    """app/models/core_workflow/attributes/group.rb: on edit an agent needs create or change
    access to the new group."""
    group = api.ok("POST", "/groups", json={"name": "Secret"})
    mover = agent_with(
        api, server, "mover@example.com", {"1": ["full"], str(group["id"]): ["read"]}
    )
    ticket = api.ticket()
    response = mover.call("PUT", f"/tickets/{ticket['id']}", json={"group_id": group["id"]})
    assert invalid(response) == (422, f"Invalid value '{group['id']}' for field 'group_id'!")


def test_owner_is_checked_against_the_new_group(api: Api) -> None:
    """app/models/core_workflow/attributes.rb ``selected``: the saved ticket overwritten by the
    request, so the owner must have full access to the group it moves to."""
    group = api.ok("POST", "/groups", json={"name": "Elsewhere"})
    api.ok("PUT", "/users/3", json={"group_ids": {"1": ["full"], str(group["id"]): ["change"]}})
    ticket = api.ticket()
    response = api.call(
        "PUT", f"/tickets/{ticket['id']}", json={"group_id": group["id"], "owner_id": 4}
    )
    assert invalid(response) == (422, "Invalid value '4' for field 'owner_id'!")


def test_a_refused_value_changes_nothing(api: Api, server: FakeZammad) -> None:
    """app/models/concerns/checks_core_workflow.rb runs before_update: nothing is saved."""
    ticket = api.ticket()
    server.clear_requests()
    api.call("PUT", f"/tickets/{ticket['id']}", json={"title": "Changed", "owner_id": 2})
    assert api.ok("GET", f"/tickets/{ticket['id']}")["title"] == "Ticket"
    assert [request.status for request in server.requests] == [422, 200]
