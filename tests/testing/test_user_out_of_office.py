"""Out-of-office rules on every user save (``POST /users``, ``PUT /users/:id``), as
``User#validate_ooo`` in app/models/user.rb runs them ``before_create`` and
``before_update``."""

from __future__ import annotations

from typing import Any

import pytest
from raw_api import Api

OOO: dict[str, Any] = {
    "out_of_office": True,
    "out_of_office_start_at": "2030-01-01",
    "out_of_office_end_at": "2030-01-31",
    "out_of_office_replacement_id": 3,
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"out_of_office_start_at": None}, "out of office start is required"),
        ({"out_of_office_start_at": ""}, "out of office start is required"),
        ({"out_of_office_end_at": None}, "out of office end is required"),
        ({"out_of_office_end_at": "2029-12-31"}, "out of office end is before start"),
        ({"out_of_office_replacement_id": None}, "out of office replacement user is required"),
    ],
)
def test_an_agent_switched_out_of_office_needs_every_piece(
    api: Api, change: dict[str, Any], message: str
) -> None:
    """app/models/user.rb#validate_ooo: the first missing piece is a 422 (Exceptions::
    UnprocessableEntity, so ``error`` and ``error_human`` carry the text)."""
    assert api.error("PUT", "/users/4", json={**OOO, **change}) == (422, message)
    assert api.ok("GET", "/users/4")["out_of_office"] is False


def test_a_complete_out_of_office_is_saved(api: Api) -> None:
    """app/models/user.rb#validate_ooo passes: start, end (same day allowed) and replacement."""
    body = {**OOO, "out_of_office_end_at": "2030-01-01"}
    user = api.ok("PUT", "/users/4", json=body)
    assert (user["out_of_office"], user["out_of_office_replacement_id"]) == (True, 3)


def test_the_rules_apply_when_a_user_is_created(api: Api) -> None:
    """app/models/user.rb: ``before_create ... :validate_ooo``."""
    body = {"login": "away", **OOO, "out_of_office_end_at": None}
    assert api.error("POST", "/users", json=body) == (422, "out of office end is required")
    assert api.ok("GET", "/users/search", params={"query": "away"}) == []


def test_out_of_office_off_needs_nothing(api: Api) -> None:
    """app/models/user.rb#validate_ooo: ``return true if out_of_office != true``; stale
    values may stay."""
    body = {"out_of_office": False, "out_of_office_start_at": "2030-02-01"}
    assert api.ok("PUT", "/users/4", json=body)["out_of_office_start_at"] == "2030-02-01"


def test_any_later_save_of_an_incomplete_user_is_refused(api: Api) -> None:
    """app/models/user.rb: ``before_update ... :validate_ooo`` checks the whole record, so a
    change to another attribute fails while the out-of-office is incomplete."""
    api.ok("PUT", "/users/4", json=OOO)
    api.ok("PUT", "/users/4", json={"out_of_office": False, "out_of_office_replacement_id": None})
    assert api.error("PUT", "/users/4", json={"out_of_office": True}) == (
        422,
        "out of office replacement user is required",
    )


def test_the_replacement_may_be_given_by_login(api: Api) -> None:
    """ApplicationModel::CanAssociations ``association_name_to_id_convert``:
    ``out_of_office_replacement`` by login fills the id before the check."""
    body = {key: value for key, value in OOO.items() if key != "out_of_office_replacement_id"}
    body["out_of_office_replacement"] = "admin@example.com"
    user = api.ok("PUT", "/users/4", json=body)
    assert user["out_of_office_replacement_id"] == 3
