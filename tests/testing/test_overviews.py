"""``/overviews`` (admin CRUD) and ``/ticket_overviews`` (the current user's overview index)."""

from __future__ import annotations

import datetime as dt

from raw_api import Api

from zammad_orm.testing import FakeZammad


def test_a_new_install_has_zammads_default_overviews(api: Api) -> None:
    """Zammad: db/seeds/overviews.rb."""
    links = [overview["link"] for overview in api.ok("GET", "/overviews")]
    assert links == [
        "my_assigned", "all_unassigned", "my_pending_reached", "my_mentioned_tickets",
        "all_open", "all_pending_reached", "all_escalated", "my_replacement_tickets",
        "my_tickets", "my_organization_tickets",
    ]  # fmt: skip


def test_the_index_counts_the_tickets_of_each_agent_overview(api: Api, agent: Api) -> None:
    """Zammad: app/controllers/ticket_overviews_controller.rb (``[{name, prio, link,
    count}]``) and app/models/ticket/overviews.rb (overviews of the user's roles, by prio)."""
    api.ticket(owner="agent@example.com", state="open")
    index = {item["link"]: item for item in agent.ok("GET", "/ticket_overviews")}
    assert list(index) == [
        "my_assigned", "all_unassigned", "my_pending_reached", "my_mentioned_tickets",
        "all_open", "all_pending_reached", "all_escalated",
    ]  # fmt: skip
    assert index["my_assigned"] == {"name": "My assigned Tickets", "prio": 1000,
                                    "link": "my_assigned", "count": 1}  # fmt: skip
    assert index["all_unassigned"]["count"] == 1  # the welcome ticket
    assert index["all_open"]["count"] == 2


def test_a_customer_sees_the_customer_overviews(nicole: Api) -> None:
    """Zammad: db/seeds/overviews.rb (``My Tickets`` for the Customer role; the organization
    overview only for a shared organization)."""
    index = nicole.ok("GET", "/ticket_overviews")
    assert [(item["link"], item["count"]) for item in index] == [
        ("my_tickets", 1),
        ("my_organization_tickets", 1),
    ]


def test_a_view_lists_the_tickets_in_the_overview_order(api: Api, server: FakeZammad) -> None:
    """Zammad: app/controllers/ticket_overviews_controller.rb (``view=``: ``{assets, index:
    {overview, tickets, count}}``) and app/models/ticket/overviews.rb (order by, limit)."""
    with server.at(server.now() - dt.timedelta(days=2)):
        older = api.ticket(state="open")
    newer = api.ticket(state="open")
    reply = api.ok("GET", "/ticket_overviews", params={"view": "all_open"})
    index = reply["index"]
    assert index["overview"]["view"] == "all_open"
    assert [t["id"] for t in index["tickets"]] == [older["id"], 1, newer["id"]]
    assert index["count"] == 3
    assert set(reply["assets"]["Ticket"]) == {"1", str(older["id"]), str(newer["id"])}
    assert str(index["overview"]["id"]) in reply["assets"]["Overview"]


def test_an_unknown_view_gives_an_empty_index(api: Api) -> None:
    """Zammad: app/controllers/ticket_overviews_controller.rb (no overview, empty result)."""
    assert api.ok("GET", "/ticket_overviews", params={"view": "nope"}) == {
        "assets": {},
        "index": {},
    }


def test_creating_an_overview_fills_link_and_prio(api: Api, agent: Api) -> None:
    """Zammad: app/models/overview.rb (``fill_link_on_create``, ``fill_prio``)."""
    created = api.ok(
        "POST", "/overviews",
        json={"name": "High prio!", "roles": ["Agent"],
              "condition": {"ticket.priority_id": {"operator": "is", "value": ["3"]}},
              "order": {"by": "created_at", "direction": "DESC"}, "view": {"s": ["title"]}},
    )  # fmt: skip
    assert created["link"] == "high_prio"
    assert created["prio"] == 11
    assert created["role_ids"] == [2]
    again = api.ok("POST", "/overviews", json={"name": "High prio", "role_ids": [2],
                                               "condition": {}})  # fmt: skip
    assert again["link"] == "high_prio_1"
    api.ticket(priority="3 high")
    counts = {item["link"]: item["count"] for item in agent.ok("GET", "/ticket_overviews")}
    assert counts["high_prio"] == 1


def test_overview_validation(api: Api) -> None:
    """Zammad: app/models/overview.rb (name and roles required) and
    app/models/concerns/checks_condition_validation.rb."""
    assert api.error("POST", "/overviews", json={"role_ids": [2], "condition": {}}) == (
        422, "Name can't be blank",
    )  # fmt: skip
    assert api.error("POST", "/overviews", json={"name": "x", "condition": {}}) == (
        422, "Roles can't be blank",
    )  # fmt: skip
    bad = {"name": "x", "role_ids": [2], "condition": {"ticket.title": {"operator": "is"}}}
    assert api.error("POST", "/overviews", json=bad) == (
        422, "Invalid ticket selector conditions",
    )  # fmt: skip


def test_overviews_admin_needs_admin_overview(agent: Api) -> None:
    """Zammad: app/policies/controllers/overviews_controller_policy.rb."""
    assert agent.error("GET", "/overviews") == (403, "Not authorized (user)!")
    assert agent.ok("GET", "/ticket_overviews")  # the index is for every agent


def test_an_inactive_overview_is_not_listed(api: Api, agent: Api) -> None:
    """Zammad: app/models/ticket/overviews.rb (``overview_filter[:active] = true``)."""
    api.ok("PUT", "/overviews/1", json={"active": False})
    links = [item["link"] for item in agent.ok("GET", "/ticket_overviews")]
    assert "my_assigned" not in links
