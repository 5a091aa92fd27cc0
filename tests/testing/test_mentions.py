"""``/mentions`` and ``mentions`` on ticket create on the fake server."""

from __future__ import annotations

from raw_api import Api


def test_an_agent_mentions_itself_on_a_ticket(agent: Api) -> None:
    """``MentionsController#create`` mentions the current user, 201 with the record
    (app/controllers/mentions_controller.rb)."""
    response = agent.call(
        "POST", "/mentions", json={"mentionable_type": "Ticket", "mentionable_id": 1}
    )
    mention = response.json()
    assert response.status_code == 201
    assert (mention["mentionable_type"], mention["mentionable_id"], mention["user_id"]) == (
        "Ticket",
        1,
        4,
    )


def test_mentions_are_listed_newest_first_under_mentions(api: Api, agent: Api) -> None:
    """``list`` renders ``{mentions: [...]}`` ordered by ``created_at desc``
    (app/controllers/mentions_controller.rb)."""
    first = agent.ok("POST", "/mentions", json={"mentionable_type": "Ticket", "mentionable_id": 1})
    second = api.ok("POST", "/mentions", json={"mentionable_type": "Ticket", "mentionable_id": 1})
    listed = api.ok("GET", "/mentions", params={"mentionable_type": "Ticket", "mentionable_id": 1})
    assert [mention["id"] for mention in listed["mentions"]] == [second["id"], first["id"]]
    by_user = api.ok("GET", "/mentions", params={"user_id": 4})
    assert [mention["id"] for mention in by_user["mentions"]] == [first["id"]]


def test_full_lists_record_ids_and_assets(agent: Api) -> None:
    """``response_full?`` gives ``record_ids`` and ``assets``
    (app/controllers/mentions_controller.rb)."""
    mention = agent.ok(
        "POST", "/mentions", json={"mentionable_type": "Ticket", "mentionable_id": 1}
    )
    listed = agent.ok("GET", "/mentions", params={"full": "true"})
    assert listed["record_ids"] == [mention["id"]]
    assert str(mention["id"]) in listed["assets"]["Mention"]


def test_mentioning_twice_is_refused(agent: Api) -> None:
    """The unique index on mentionable and user refuses a second mention
    (db/migrate: index_mentions_on_mentionable_id_and_mentionable_type_and_user_id)."""
    body = {"mentionable_type": "Ticket", "mentionable_id": 1}
    agent.ok("POST", "/mentions", json=body)
    assert agent.call("POST", "/mentions", json=body).status_code == 422


def test_only_tickets_are_mentionable(api: Api) -> None:
    """``mentionable_type!`` raises for anything but Ticket, a 500 whose text admins see
    (app/controllers/mentions_controller.rb)."""
    status, message = api.error(
        "POST", "/mentions", json={"mentionable_type": "User", "mentionable_id": 1}
    )
    assert (status, message) == (500, "The parameter 'mentionable_type' is invalid.")


def test_customers_may_not_mention(nicole: Api) -> None:
    """app/policies/controllers/mentions_controller_policy.rb: agents only."""
    body = {"mentionable_type": "Ticket", "mentionable_id": 1}
    assert nicole.error("POST", "/mentions", json=body) == (403, "Not authorized (user)!")


def test_an_agent_without_access_to_the_group_may_not_mention(api: Api, agent: Api) -> None:
    """``mentionable!`` authorizes ``agent_read_access?``
    (app/controllers/mentions_controller.rb)."""
    group = api.ok("POST", "/groups", json={"name": "Secret"})
    api.ok("PUT", "/users/3", json={"group_ids": {"1": ["full"], str(group["id"]): ["full"]}})
    ticket = api.ticket(group_id=group["id"])
    body = {"mentionable_type": "Ticket", "mentionable_id": ticket["id"]}
    assert agent.error("POST", "/mentions", json=body) == (403, "Not authorized")


def test_an_agent_removes_its_own_mention(agent: Api) -> None:
    """``destroy`` answers the removed mention (app/controllers/mentions_controller.rb)."""
    mention = agent.ok(
        "POST", "/mentions", json={"mentionable_type": "Ticket", "mentionable_id": 1}
    )
    assert agent.ok("DELETE", f"/mentions/{mention['id']}")["id"] == mention["id"]
    assert agent.ok("GET", "/mentions")["mentions"] == []


def test_another_users_mention_cannot_be_removed(api: Api, agent: Api) -> None:
    """``Mention.find_by(user: current_user, id:)`` is nil for another user's mention, and
    ``nil.destroy`` is a 500 (app/controllers/mentions_controller.rb)."""
    mention = agent.ok(
        "POST", "/mentions", json={"mentionable_type": "Ticket", "mentionable_id": 1}
    )
    assert api.call("DELETE", f"/mentions/{mention['id']}").status_code == 500


def test_a_mention_touches_the_ticket(agent: Api) -> None:
    """``Mention#update_mentionable`` (app/models/mention.rb)."""
    before = agent.ok("GET", "/tickets/1")["updated_at"]
    agent.ok("POST", "/mentions", json={"mentionable_type": "Ticket", "mentionable_id": 1})
    assert agent.ok("GET", "/tickets/1")["updated_at"] > before


def test_mentions_given_on_ticket_create_are_created(api: Api) -> None:
    """``TicketsController#create``: ``first_or_create`` per user id; users who may not be
    mentioned (customers) are skipped (app/controllers/tickets_controller.rb,
    app/models/mention.rb)."""
    ticket = api.ticket(mentions=[3, 4, 2])
    listed = api.ok(
        "GET", "/mentions", params={"mentionable_type": "Ticket", "mentionable_id": ticket["id"]}
    )
    assert sorted(mention["user_id"] for mention in listed["mentions"]) == [3, 4]


def test_customers_may_not_give_mentions_on_create(nicole: Api) -> None:
    """``authorize!(ticket, :create_mentions?)`` (app/controllers/tickets_controller.rb)."""
    body = {"title": "T", "group": "Users", "mentions": [3]}
    assert nicole.error("POST", "/tickets", json=body) == (403, "Not authorized")
