"""``/users/history/:id`` and ``/organizations/history/:id`` on the fake server."""

from __future__ import annotations

from raw_api import Api


def test_a_user_history_lists_creation_and_changes(api: Api) -> None:
    """``HasHistory#history_get(true)`` (app/models/concerns/has_history.rb): ``created``, then
    one ``updated`` entry per attribute with names for ids."""
    user = api.ok("POST", "/users", json={"login": "lisa", "firstname": "Lisa"})
    api.ok("PUT", f"/users/{user['id']}", json={"firstname": "Liz", "organization_id": 1})
    reply = api.ok("GET", f"/users/history/{user['id']}")
    entries = [
        (e["type"], e.get("attribute"), e.get("value_from"), e.get("value_to"))
        for e in reply["history"]
    ]
    assert entries[0] == ("created", None, None, None)
    assert sorted(entries[1:]) == [
        ("updated", "firstname", "Lisa", "Liz"),
        ("updated", "organization", "", "Zammad Foundation"),
    ]
    organization_entry = next(e for e in reply["history"] if e.get("attribute") == "organization")
    assert (
        organization_entry.get("id_from"),
        organization_entry["id_to"],
    ) == (None, 1)
    assert str(user["id"]) in reply["assets"]["User"]


def test_an_organization_history_lists_its_changes(api: Api) -> None:
    """``HasHistory`` on Organization (app/models/concerns/has_history.rb)."""
    organization = api.ok("POST", "/organizations", json={"name": "ACME"})
    api.ok("PUT", f"/organizations/{organization['id']}", json={"note": "big"})
    reply = api.ok("GET", f"/organizations/history/{organization['id']}")
    assert [(e["type"], e.get("attribute")) for e in reply["history"]] == [
        ("created", None),
        ("updated", "note"),
    ]
    assert list(reply["assets"]["Organization"]) == [str(organization["id"])]


def test_history_needs_an_agent_or_admin(nicole: Api) -> None:
    """app/policies/controllers/users_controller_policy.rb: ``history`` needs ``ticket.agent``
    or ``admin.user``."""
    assert nicole.error("GET", "/users/history/2") == (403, "Not authorized (user)!")
    assert nicole.error("GET", "/organizations/history/1") == (403, "Not authorized (user)!")


def test_history_of_a_missing_user_is_404(api: Api) -> None:
    """``User.find`` (app/controllers/users_controller.rb)."""
    assert api.error("GET", "/users/history/99") == (404, "Couldn't find User with 'id'=99")
