"""Group access levels on tickets: what read, change and full grant, and the owner's access."""

from __future__ import annotations

from raw_api import Api

from zammad_orm.testing import FakeZammad


def restricted_agent(api: Api, server: FakeZammad, access: list[str]) -> Api:
    """A new agent with ``access`` to the group Users only."""
    login = f"{'-'.join(access)}@example.com"
    api.ok(
        "POST",
        "/users",
        json={
            "login": login,
            "firstname": "Limited",
            "lastname": "Agent",
            "roles": ["Agent"],
            "group_ids": {"1": access},
            "password": server.admin_password,
        },
    )
    return Api(server, (login, server.admin_password))


def test_change_alone_does_not_grant_read(api: Api, server: FakeZammad) -> None:
    """app/models/concerns/has_groups.rb#group_access?: the access asked for or ``full``;
    app/policies/ticket_policy.rb#show? asks for ``read``."""
    changer = restricted_agent(api, server, ["change"])
    ticket = api.ticket()
    assert changer.call("GET", f"/tickets/{ticket['id']}").status_code == 403
    assert changer.ok("GET", "/tickets") == []


def test_change_grants_updates(api: Api, server: FakeZammad) -> None:
    """app/policies/ticket_policy.rb#update?: ``change`` access."""
    changer = restricted_agent(api, server, ["change"])
    ticket = api.ticket()
    updated = changer.ok("PUT", f"/tickets/{ticket['id']}", json={"title": "Changed"})
    assert updated["title"] == "Changed"


def test_read_does_not_grant_updates(api: Api, server: FakeZammad) -> None:
    """app/policies/ticket_policy.rb#update?: ``read`` is not ``change``."""
    reader = restricted_agent(api, server, ["read"])
    ticket = api.ticket()
    assert reader.ok("GET", f"/tickets/{ticket['id']}")["id"] == ticket["id"]
    assert reader.call("PUT", f"/tickets/{ticket['id']}", json={"title": "x"}).status_code == 403


def test_an_inactive_group_grants_nothing(api: Api) -> None:
    """app/models/concerns/has_groups.rb#group_access?: ``groups: { active: true }``."""
    ticket = api.ticket()
    api.ok("PUT", "/groups/1", json={"active": False})
    assert api.call("GET", f"/tickets/{ticket['id']}").status_code == 403


def test_the_owner_keeps_access_without_group_access_before_6_5(
    api: Api, server: FakeZammad
) -> None:
    """app/policies/ticket_policy.rb (Zammad 6.2) ``agent_access?``: ``return true if
    owner?``; the ticket list (``TicketPolicy::ReadScope``) still goes by group."""
    ticket = api.ticket(owner_id=4)
    api.ok("PUT", "/users/4", json={"group_ids": {}})
    agnes = Api(server, ("agent@example.com", server.admin_password))
    assert agnes.ok("GET", f"/tickets/{ticket['id']}")["id"] == ticket["id"]
    assert agnes.ok("PUT", f"/tickets/{ticket['id']}", json={"title": "Mine"})["title"] == "Mine"
    assert agnes.ok("GET", "/tickets") == []


def test_the_owner_loses_access_with_the_group_from_6_5() -> None:
    """app/policies/ticket_policy.rb (6.5 and later): group access only (zammad#5494)."""
    with FakeZammad(version="6.5") as server:
        api = Api(server)
        ticket = api.ticket(owner_id=4)
        api.ok("PUT", "/users/4", json={"group_ids": {}})
        agnes = Api(server, ("agent@example.com", server.admin_password))
        assert agnes.call("GET", f"/tickets/{ticket['id']}").status_code == 403
