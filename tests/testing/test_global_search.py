"""``/search`` and ``/search/:objects`` on the fake server."""

from __future__ import annotations

from raw_api import Api


def test_search_answers_assets_and_typed_results_tickets_first(api: Api) -> None:
    """``search_generic`` renders ``{assets, result: [{type, id}]}`` ordered by the objects'
    search priority (app/controllers/search_controller.rb)."""
    api.ok("PUT", "/users/2", json={"note": "zebra"})
    api.ok("PUT", "/organizations/1", json={"note": "zebra"})
    ticket = api.ticket(title="zebra crossing")
    reply = api.ok("GET", "/search", params={"query": "zebra"})
    assert reply["result"] == [
        {"type": "Ticket", "id": ticket["id"]},
        {"type": "User", "id": 2},
        {"type": "Organization", "id": 1},
    ]
    assert set(reply["assets"]) >= {"Ticket", "User", "Organization"}


def test_objects_in_the_path_narrow_the_search(api: Api) -> None:
    """``params[:objects].split('-')`` (app/controllers/search_controller.rb)."""
    api.ticket(title="Nicole's printer")
    reply = api.ok("POST", "/search/user-organization", json={"query": "nicole"})
    assert reply["result"] == [{"type": "User", "id": 2}]


def test_limit_applies_to_each_object(api: Api) -> None:
    """``limit`` (default 10) is passed to each object's search
    (app/controllers/search_controller.rb)."""
    for number in range(3):
        api.ticket(title=f"printer {number}")
    reply = api.ok("GET", "/search/ticket", params={"query": "printer", "limit": 2})
    assert len(reply["result"]) == 2


def test_customers_find_only_their_tickets(api: Api, nicole: Api) -> None:
    """``search_preferences`` leave users and organizations out for customers, and ticket
    search only finds readable tickets (app/models/user/search.rb, app/models/ticket/search.rb)."""
    api.ticket(title="welcome elsewhere", customer_id=3)
    reply = nicole.ok("GET", "/search", params={"query": "welcome"})
    assert reply["result"] == [{"type": "Ticket", "id": 1}]
