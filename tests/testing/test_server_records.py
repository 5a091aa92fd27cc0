"""Users, organizations, groups, roles, states, priorities, notifications, history and the
version on the fake server: Zammad's generic controller semantics, parameters and permissions."""

from __future__ import annotations

import pytest
import requests
from raw_api import Api

from zammad_orm.testing import FakeZammad

# -- users ---------------------------------------------------------------------------------------


def test_me_is_the_authenticated_user(agent: Api) -> None:
    me = agent.ok("GET", "/users/me")
    assert (me["id"], me["login"], me["role_ids"]) == (4, "agent@example.com", [2])


def test_seeded_users_are_a_new_install(api: Api) -> None:
    users = {user["id"]: user for user in api.ok("GET", "/users", params={"expand": "true"})}
    assert (users[1]["login"], users[1]["active"]) == ("-", False)
    assert (users[2]["email"], users[2]["organization"]) == (
        "nicole.braun@zammad.org",
        "Zammad Foundation",
    )
    assert users[3]["roles"] == ["Admin", "Agent"]
    assert users[3]["groups"] == {"Users": ["full"]}
    assert users[4]["roles"] == ["Agent"]


def test_users_index_pages_100_by_default_and_at_most_1000(api: Api) -> None:
    for number in range(997):
        api.ok("POST", "/users", json={"login": f"bulk{number}"})
    assert len(api.ok("GET", "/users")) == 100
    assert len(api.ok("GET", "/users", params={"per_page": 5000})) == 1000
    second_page = api.ok("GET", "/users", params={"per_page": 1000, "page": 2})
    assert [user["id"] for user in second_page] == [1001]


def test_users_full_index_has_record_ids_and_assets_without_a_total(api: Api) -> None:
    reply = api.ok("GET", "/users", params={"full": "1"})
    assert reply["record_ids"] == [1, 2, 3, 4]
    assert set(reply) == {"record_ids", "assets"}
    assert set(reply["assets"]["User"]) == {"1", "2", "3", "4"}


def test_full_show_brings_the_records_a_user_refers_to(api: Api) -> None:
    reply = api.ok("GET", "/users/4", params={"full": "true"})
    assert reply["id"] == 4
    # the agent, its creator (the admin) and the admin's creator (the system user), by id
    assert list(reply["assets"]["User"]) == ["1", "3", "4"]
    assert list(reply["assets"]["Role"]) == ["1", "2", "3"]  # the roles of those users


def test_an_agent_creates_customers_whatever_roles_it_asks_for(agent: Api) -> None:
    user = agent.ok("POST", "/users", json={"email": "new@example.org", "roles": ["Admin"]})
    assert user["role_ids"] == [3]
    assert user["login"] == "new@example.org"


def test_an_admin_sets_roles_by_name_and_the_password(api: Api, server: FakeZammad) -> None:
    created = api.ok(
        "POST",
        "/users",
        json={"login": "boss", "roles": ["Admin", "Agent"], "password": "s3cret"},
    )
    assert created["role_ids"] == [1, 2]
    me = requests.get(f"{server.url}/users/me", auth=("boss", "s3cret"), timeout=5)
    assert me.json()["id"] == created["id"]


def test_an_agent_cannot_set_a_password(agent: Api, server: FakeZammad) -> None:
    created = agent.ok("POST", "/users", json={"login": "someone", "password": "s3cret"})
    response = requests.get(f"{server.url}/users/me", auth=("someone", "s3cret"), timeout=5)
    assert response.status_code == 401
    assert created["login"] == "someone"


def test_a_taken_email_is_422(api: Api) -> None:
    assert api.error("POST", "/users", json={"email": "NICOLE.BRAUN@zammad.org"}) == (
        422,
        # app/models/user.rb#ensure_uniq_email names the address downcased
        "Email address 'nicole.braun@zammad.org' is already used for other user.",
    )


def test_user_update_is_partial(api: Api) -> None:
    updated = api.ok("PUT", "/users/2", json={"phone": "+49 1"})
    assert (updated["phone"], updated["firstname"]) == ("+49 1", "Nicole")
    assert updated["updated_by_id"] == 3


def test_a_user_with_tickets_cannot_be_deleted(api: Api) -> None:
    assert api.error("DELETE", "/users/2") == (422, "Can't delete, object has references.")


def test_a_user_nothing_refers_to_is_deleted(api: Api) -> None:
    user = api.ok("POST", "/users", json={"login": "temp"})
    assert api.ok("DELETE", f"/users/{user['id']}") == {}
    assert api.call("GET", f"/users/{user['id']}").status_code == 404


def test_customers_see_only_themselves(nicole: Api) -> None:
    assert [user["id"] for user in nicole.ok("GET", "/users")] == [2]
    assert nicole.error("GET", "/users/3") == (403, "Not authorized")


def test_customers_may_not_search_users(nicole: Api) -> None:
    assert nicole.error("GET", "/users/search", params={"query": "x"}) == (
        403,
        "Not authorized (user)!",
    )


def test_users_search_matches_fields_and_expands(api: Api) -> None:
    found = api.ok(
        "GET", "/users/search", params={"query": "email:agent@example.com", "expand": "true"}
    )
    assert [(user["id"], user["roles"]) for user in found] == [(4, ["Agent"])]


def test_search_pages_50_by_default_and_at_most_200_from_6_5() -> None:
    # model_search_render; 6.2's own users search pages differently (test_search_shapes.py)
    with FakeZammad(version="6.5") as server:
        api = Api(server)
        for number in range(200):
            api.ok("POST", "/users", json={"login": f"searchable{number}"})
        assert len(api.ok("GET", "/users/search", params={"query": "searchable"})) == 50
        assert len(api.ok("GET", "/users/search", params={"query": "*", "per_page": 999})) == 200


def test_search_sorts_newest_first_unless_told(api: Api) -> None:
    for login in ("first", "second"):
        api.ok("POST", "/users", json={"login": f"sorted.{login}"})
    newest_first = api.ok("GET", "/users/search", params={"query": "sorted"})
    by_login = api.ok(
        "GET", "/users/search", params={"query": "sorted", "sort_by": "login", "order_by": "asc"}
    )
    assert [u["login"] for u in newest_first] == ["sorted.second", "sorted.first"]
    assert [u["login"] for u in by_login] == ["sorted.first", "sorted.second"]


def test_search_full_has_a_total_count_from_6_5() -> None:
    with FakeZammad(version="6.5") as server:
        reply = Api(server).ok(
            "GET", "/users/search", params={"query": "*", "full": "true", "limit": 1}
        )
        assert (len(reply["record_ids"]), reply["total_count"]) == (1, 4)


# -- organizations -------------------------------------------------------------------------------


def test_organizations_list_their_members(api: Api) -> None:
    organization = api.ok("GET", "/organizations/1", params={"expand": "true"})
    assert organization["member_ids"] == [2]
    assert organization["members"] == ["nicole.braun@zammad.org"]


def test_an_organization_needs_a_unique_name(api: Api) -> None:
    assert api.error("POST", "/organizations", json={}) == (422, "Name can't be blank")
    assert api.error("POST", "/organizations", json={"name": "Zammad Foundation"}) == (
        422,
        "Name has already been taken",
    )


def test_an_organization_with_members_cannot_be_deleted(api: Api) -> None:
    assert api.error("DELETE", "/organizations/1") == (
        422,
        "Can't delete, object has references.",
    )


def test_an_empty_organization_is_deleted(api: Api) -> None:
    created = api.ok("POST", "/organizations", json={"name": "Short-lived", "vip": True})
    assert (created["vip"], created["member_ids"]) == (True, [])
    assert api.ok("DELETE", f"/organizations/{created['id']}") == {}


def test_organizations_search(api: Api) -> None:
    api.ok("POST", "/organizations", json={"name": "Acme Corp"})
    found = api.ok("GET", "/organizations/search", params={"query": "acme"})
    assert [organization["name"] for organization in found] == ["Acme Corp"]


def test_customers_see_only_their_organization(nicole: Api, api: Api) -> None:
    api.ok("POST", "/organizations", json={"name": "Other"})
    assert [o["id"] for o in nicole.ok("GET", "/organizations")] == [1]


# -- groups, roles, states, priorities -----------------------------------------------------------


def test_a_new_group_has_no_users(api: Api) -> None:
    group = api.ok("POST", "/groups", json={"name": "Sales::EMEA"})
    assert (group["user_ids"], group["name_last"], group["follow_up_possible"]) == (
        [],
        "EMEA",
        "yes",
    )


def test_group_users_follow_group_access(api: Api) -> None:
    assert api.ok("GET", "/groups/1")["user_ids"] == [3, 4]


def test_agents_cannot_create_groups(agent: Api) -> None:
    assert agent.error("POST", "/groups", json={"name": "Mine"}) == (
        403,
        "Not authorized (user)!",
    )


def test_a_group_in_use_cannot_be_deleted(api: Api) -> None:
    assert api.error("DELETE", "/groups/1") == (422, "Can't delete, object has references.")


def test_an_unused_group_is_deleted(api: Api) -> None:
    group = api.ok("POST", "/groups", json={"name": "Temporary"})
    assert api.ok("DELETE", f"/groups/{group['id']}") == {}


def test_roles_expand_to_permission_names(api: Api) -> None:
    role = api.ok("GET", "/roles/1", params={"expand": "true"})
    assert role["permissions"] == ["admin", "user_preferences", "report", "knowledge_base.editor"]
    assert (role["groups"], role["created_by"]) == ({}, "-")


def test_roles_need_admin(agent: Api) -> None:
    assert agent.error("GET", "/roles") == (403, "Not authorized (user)!")


def test_role_update_is_partial(api: Api) -> None:
    updated = api.ok("PUT", "/roles/3", json={"active": False})
    assert (updated["active"], updated["name"], updated["default_at_signup"]) == (
        False,
        "Customer",
        True,
    )


def test_seeded_states_and_priorities(api: Api) -> None:
    states = api.ok("GET", "/ticket_states", params={"expand": "true"})
    assert [(s["id"], s["name"], s["state_type"]) for s in states] == [
        (1, "new", "new"),
        (2, "open", "open"),
        (3, "pending reminder", "pending reminder"),
        (4, "closed", "closed"),
        (5, "merged", "merged"),
        (6, "pending close", "pending action"),
    ]
    assert states[5]["next_state"] == "closed"
    priorities = api.ok("GET", "/ticket_priorities")
    assert [(p["name"], p["default_create"]) for p in priorities] == [
        ("1 low", False),
        ("2 normal", True),
        ("3 high", False),
    ]


def test_a_state_in_use_cannot_be_deleted(api: Api) -> None:
    assert api.error("DELETE", "/ticket_states/1") == (
        422,
        "Can't delete, object has references.",
    )


def test_a_new_state_takes_its_type_by_name(api: Api) -> None:
    state = api.ok("POST", "/ticket_states", json={"name": "waiting", "state_type": "open"})
    assert state["state_type_id"] == 2
    assert api.ok("DELETE", f"/ticket_states/{state['id']}") == {}


def test_an_unknown_state_type_is_422(api: Api) -> None:
    assert api.error("POST", "/ticket_states", json={"name": "x", "state_type": "nope"}) == (
        422,
        "No lookup value found for 'state_type': \"nope\"",
    )


def test_priorities_are_renamed_and_deleted(api: Api) -> None:
    priority = api.ok("POST", "/ticket_priorities", json={"name": "4 urgent"})
    renamed = api.ok("PUT", f"/ticket_priorities/{priority['id']}", json={"name": "4 critical"})
    assert renamed["name"] == "4 critical"
    assert renamed["updated_at"] >= priority["updated_at"]
    assert api.ok("DELETE", f"/ticket_priorities/{priority['id']}") == {}


def test_generic_index_full_counts_every_record(api: Api) -> None:
    reply = api.ok("GET", "/ticket_priorities", params={"full": "true", "per_page": 1})
    assert (reply["record_ids"], reply["total_count"]) == ([1], 3)
    assert set(reply["assets"]["TicketPriority"]) == {"1"}


def test_generic_index_pages(api: Api) -> None:
    assert [
        s["id"] for s in api.ok("GET", "/ticket_states", params={"per_page": 4, "page": 2})
    ] == [
        5,
        6,
    ]
    assert api.ok("GET", "/ticket_states", params={"per_page": 4, "page": 3}) == []


@pytest.mark.parametrize(("flag", "expanded"), [("true", True), ("yes", True), ("1", True),
                                                ("false", False), ("0", False), ("off", False),
                                                ("f", False), ("", False)])  # fmt: skip
def test_boolean_flags_parse_as_rails_does(api: Api, flag: str, expanded: bool) -> None:
    group = api.ok("GET", "/groups/1", params={"expand": flag})
    assert ("users" in group) is expanded


# -- online notifications ------------------------------------------------------------------------


def _notify_the_agent(api: Api) -> int:
    """Make the admin change a ticket the agent owns; the agent gets a notification."""
    ticket = api.ok(
        "POST", "/tickets", json={"title": "T", "group": "Users", "customer_id": 2, "owner_id": 4}
    )
    api.ok("PUT", f"/tickets/{ticket['id']}", json={"title": "Changed"})
    return int(ticket["id"])


def test_the_owner_is_notified_of_create_and_update(api: Api, agent: Api) -> None:
    ticket_id = _notify_the_agent(api)
    mine = agent.ok("GET", "/online_notifications", params={"expand": "true"})
    assert [(n["o_id"], n["type"], n["seen"], n["user"]) for n in mine] == [
        (ticket_id, "update", False, "agent@example.com"),
        (ticket_id, "create", False, "agent@example.com"),
    ]
    assert mine[0]["created_by"] == "admin@example.com"


def test_nobody_is_notified_of_their_own_changes(api: Api) -> None:
    _notify_the_agent(api)
    assert api.ok("GET", "/online_notifications") == []


def test_a_notification_is_marked_seen(api: Api, agent: Api) -> None:
    _notify_the_agent(api)
    first = agent.ok("GET", "/online_notifications")[0]
    assert agent.ok("PUT", f"/online_notifications/{first['id']}", json={"seen": True})["seen"]
    assert agent.ok("GET", f"/online_notifications/{first['id']}")["seen"] is True


def test_mark_all_as_read(api: Api, agent: Api) -> None:
    _notify_the_agent(api)
    assert agent.ok("POST", "/online_notifications/mark_all_as_read") == {}
    assert all(n["seen"] for n in agent.ok("GET", "/online_notifications"))


def test_someone_elses_notification_is_403(api: Api, agent: Api) -> None:
    _notify_the_agent(api)
    ident = agent.ok("GET", "/online_notifications")[0]["id"]
    assert api.error("GET", f"/online_notifications/{ident}") == (403, "Not authorized")
    assert api.error("DELETE", f"/online_notifications/{ident}") == (403, "Not authorized")


def test_a_notification_is_deleted(api: Api, agent: Api) -> None:
    _notify_the_agent(api)
    ident = agent.ok("GET", "/online_notifications")[0]["id"]
    assert agent.ok("DELETE", f"/online_notifications/{ident}") == {}
    assert len(agent.ok("GET", "/online_notifications")) == 1


def test_notifications_full_has_record_ids_and_assets(api: Api, agent: Api) -> None:
    _notify_the_agent(api)
    reply = agent.ok("GET", "/online_notifications", params={"full": "true"})
    assert len(reply["record_ids"]) == 2
    assert set(reply["assets"]["OnlineNotification"]) == {str(i) for i in reply["record_ids"]}


# -- history and version -------------------------------------------------------------------------


def test_history_lists_the_ticket_and_its_articles(api: Api) -> None:
    ticket = api.ok(
        "POST",
        "/tickets",
        json={"title": "T", "group": "Users", "customer_id": 2, "article": {"body": "x"}},
    )
    reply = api.ok("GET", f"/ticket_history/{ticket['id']}")
    assert [(h["object"], h["type"]) for h in reply["history"]] == [
        ("Ticket", "created"),
        ("Ticket::Article", "created"),
    ]
    assert reply["history"][1]["related_o_id"] == ticket["id"]
    assert str(ticket["id"]) in reply["assets"]["Ticket"]
    assert str(ticket["article_ids"][0]) in reply["assets"]["TicketArticle"]


def test_history_of_a_foreign_ticket_is_403_for_customers(api: Api, nicole: Api) -> None:
    other = api.ok(
        "POST", "/tickets", json={"title": "T", "group": "Users", "customer_id": "guess:a@b.cd"}
    )
    assert nicole.error("GET", f"/ticket_history/{other['id']}") == (403, "Not authorized")


def test_version_answers_as_the_configured_release(api: Api) -> None:
    assert api.ok("GET", "/version")["version"].startswith("6.2.0-")
    with FakeZammad(version="7.0") as newer:
        assert Api(newer).ok("GET", "/version")["version"].startswith("7.0.0-")
