"""Condition searches: ``POST /tickets/search`` with a ``condition`` selector."""

from __future__ import annotations

import datetime as dt
from typing import Any

from raw_api import Api

from zammad_orm.testing import FakeZammad


def _found(api: Api, condition: dict[str, Any], **extra: Any) -> list[int]:
    reply = api.ok("POST", "/tickets/search", json={"condition": condition, **extra})
    return sorted(reply["tickets"])


def test_a_condition_narrows_the_search_to_matching_tickets(api: Api) -> None:
    """Zammad: app/models/ticket/search.rb (the condition joins the query as a selector)."""
    opened = api.ticket(title="Printer broken", state="open")
    api.ticket(title="Mouse broken")
    assert _found(api, {"ticket.state_id": {"operator": "is", "value": ["2"]}}) == [opened["id"]]


def test_is_not_and_a_list_of_values(api: Api) -> None:
    """Zammad: lib/selector/sql.rb ('is' is ``IN (?)``, 'is not' keeps NULLs)."""
    opened = api.ticket(state="open")
    closed = api.ticket(state="closed")
    assert _found(api, {"ticket.state_id": {"operator": "is", "value": [2, 4]}}) == [
        opened["id"],
        closed["id"],
    ]
    assert _found(api, {"ticket.state_id": {"operator": "is not", "value": ["1", "2"]}}) == [
        closed["id"]
    ]


def test_contains_is_case_insensitive_and_contains_not_is_its_complement(api: Api) -> None:
    """Zammad: lib/selector/sql.rb ('contains' is ``ILIKE %v%``, 'contains not' adds NULLs)."""
    printer = api.ticket(title="The PRINTER is on fire")
    other = api.ticket(title="Coffee")
    assert _found(api, {"ticket.title": {"operator": "contains", "value": "printer"}}) == [
        printer["id"]
    ]
    assert _found(api, {"ticket.title": {"operator": "contains not", "value": "printer"}}) == [
        1,
        other["id"],
    ]


def test_customer_and_organization_attributes(api: Api) -> None:
    """Zammad: lib/selector/sql.rb (``customer.*`` joins users, ``organization.*`` left joins
    organizations)."""
    api.ok("PUT", "/users/2", json={"vip": True})
    vip = api.ticket(title="From Nicole")
    assert vip["id"] in _found(api, {"customer.vip": {"operator": "is", "value": True}})
    by_org = {"organization.name": {"operator": "is", "value": "Zammad Foundation"}}
    assert _found(api, by_org) == [1, vip["id"]]
    assert _found(api, {"customer.email": {"operator": "contains", "value": "nobody"}}) == []


def test_current_user_pre_condition_means_the_searching_agent(api: Api, agent: Api) -> None:
    """Zammad: lib/selector/sql.rb (``pre_condition: current_user.id``)."""
    mine = api.ticket(owner="agent@example.com")
    api.ticket(owner="admin@example.com")
    condition = {"ticket.owner_id": {"operator": "is", "pre_condition": "current_user.id"}}
    assert _found(agent, condition) == [mine["id"]]


def test_not_set_owner_counts_the_system_user_as_unset(api: Api) -> None:
    """Zammad: lib/selector/sql.rb (``not_set`` on ``owner_id`` is ``NULL OR IN (1)``)."""
    owned = api.ticket(owner="agent@example.com")
    condition = {"ticket.owner_id": {"operator": "is", "pre_condition": "not_set"}}
    assert _found(api, condition) == [1]
    condition["ticket.owner_id"]["operator"] = "is not"
    assert _found(api, condition) == [owned["id"]]


def test_tags_contains_all_and_contains_one_not(api: Api) -> None:
    """Zammad: lib/selector/sql.rb (tag values split on commas; all / one / not)."""
    both = api.ticket(tags="urgent, vip")
    one = api.ticket(tags="urgent")
    contains_all = {"ticket.tags": {"operator": "contains all", "value": "urgent, vip"}}
    assert _found(api, contains_all) == [both["id"]]
    contains_one = {"ticket.tags": {"operator": "contains one", "value": "vip, urgent"}}
    assert _found(api, contains_one) == [both["id"], one["id"]]
    none_of = {"ticket.tags": {"operator": "contains one not", "value": "vip"}}
    assert _found(api, none_of) == [1, one["id"]]


def test_article_conditions_need_one_article_matching_them_all(api: Api) -> None:
    """Zammad: lib/selector/sql.rb (``article.*`` is an INNER JOIN on ticket_articles)."""
    api.ticket(article={"body": "disk full", "subject": "server"})
    match = api.ticket(article={"body": "disk full", "subject": "laptop"})
    api.ok("POST", "/ticket_articles", json={"ticket_id": match["id"], "body": "other"})
    condition = {
        "article.body": {"operator": "contains", "value": "disk"},
        "article.subject": {"operator": "is", "value": "laptop"},
    }
    assert _found(api, condition) == [match["id"]]


def test_expert_mode_blocks_with_or_and_not(api: Api) -> None:
    """Zammad: lib/selector/sql.rb (``run_block``: AND, OR and NOT blocks)."""
    opened = api.ticket(state="open", title="alpha")
    closed = api.ticket(state="closed", title="beta")
    either = {
        "operator": "OR",
        "conditions": [
            {"name": "ticket.title", "operator": "is", "value": "alpha"},
            {"name": "ticket.title", "operator": "is", "value": "beta"},
        ],
    }
    assert _found(api, either) == [opened["id"], closed["id"]]
    negated = {"operator": "NOT", "conditions": [either]}
    assert _found(api, negated) == [1]


def test_absolute_and_relative_times_follow_the_server_clock(api: Api, server: FakeZammad) -> None:
    """Zammad: lib/selector/sql.rb (before/after absolute, within last / before relative)."""
    with server.at(server.now() - dt.timedelta(days=40)):
        old = api.ticket(title="old")
    new = api.ticket(title="new")
    older = {"ticket.created_at": {"operator": "before (relative)", "value": 30, "range": "day"}}
    assert _found(api, older) == [old["id"]]
    recent = {"ticket.created_at": {"operator": "within last (relative)", "value": "1",
                                    "range": "week"}}  # fmt: skip
    assert new["id"] in _found(api, recent)
    cutoff = (server.now() - dt.timedelta(days=1)).isoformat()
    after = {"ticket.created_at": {"operator": "after (absolute)", "value": cutoff}}
    assert old["id"] not in _found(api, after)


def test_a_condition_without_a_value_finds_nothing(api: Api) -> None:
    """Zammad: lib/selector/sql.rb (``validate_pre_condition_blank!``: the selector is invalid
    and ``Ticket.selectors`` finds nothing)."""
    assert _found(api, {"ticket.title": {"operator": "contains"}}) == []


def test_an_unknown_operator_is_a_server_error(api: Api) -> None:
    """Zammad: lib/selector/sql.rb (``validate_operator!`` raises: a 500)."""
    status, error = api.error(
        "POST", "/tickets/search",
        json={"condition": {"ticket.title": {"operator": "resembles", "value": "x"}}},
    )  # fmt: skip
    assert (status, error) == (500, "Invalid condition, operator 'resembles' is invalid")


def test_query_and_condition_both_apply(api: Api) -> None:
    """Zammad: app/models/ticket/search.rb (query and condition are ANDed)."""
    api.ticket(title="printer one", state="open")
    wanted = api.ticket(title="printer two", state="closed")
    condition = {"ticket.state_id": {"operator": "is", "value": [4]}}
    assert _found(api, condition, query="printer") == [wanted["id"]]
