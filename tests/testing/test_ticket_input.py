"""How the fake server takes a ticket's input: links given on create, datetimes, JSON types,
a missing group, and the timestamps Zammad derives."""

from __future__ import annotations

import pytest
from raw_api import Api

from zammad_orm.testing import FakeZammad

# -- links on create (app/controllers/tickets_controller.rb#create) ----------------------------


def test_links_given_on_create_are_created(api: Api) -> None:
    """app/controllers/tickets_controller.rb#create: ``links`` = {object: {type: [ids]}}, the
    new ticket being the source of each link."""
    original = api.ticket(title="Original")
    split = api.ticket(title="Split off", links={"Ticket": {"child": [original["id"]]}})
    seen_from_original = api.ok(
        "GET", "/links", params={"link_object": "Ticket", "link_object_value": original["id"]}
    )
    assert seen_from_original["links"] == [
        {"link_type": "child", "link_object": "Ticket", "link_object_value": split["id"]}
    ]


@pytest.mark.parametrize(
    ("links", "message"),
    [
        (["1"], "Invalid link structure"),
        ({"Ticket": [1]}, "Invalid link structure (Object)"),
        ({"Ticket": {"normal": 1}}, "Invalid link structure (Object → LinkType)"),
    ],
)
def test_a_malformed_link_structure_is_refused_and_nothing_is_created(
    api: Api, links: object, message: str
) -> None:
    """app/controllers/tickets_controller.rb#create: the three ``Invalid link structure``
    errors, inside the create's transaction."""
    before = len(api.ok("GET", "/tickets"))
    response = api.try_ticket(links=links)
    assert (response.status_code, response.json()["error"]) == (422, message)
    assert len(api.ok("GET", "/tickets")) == before


# -- datetimes and JSON types (ActiveModel types, as Zammad's models receive them) -------------


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("2030-05-01T12:00:00+02:00", "2030-05-01T10:00:00.000Z"),
        ("2030-05-01T10:00:00Z", "2030-05-01T10:00:00.000Z"),
        ("2030-05-01 10:00", "2030-05-01T10:00:00.000Z"),
        ("2030-05-01", "2030-05-01T00:00:00.000Z"),
    ],
)
def test_pending_time_is_stored_in_utc_with_milliseconds(api: Api, given: str, stored: str) -> None:
    """app/models/ticket.rb ``pending_time`` is a datetime column: Rails parses the text and
    Zammad renders it in UTC with milliseconds."""
    ticket = api.ticket(state="pending reminder", pending_time=given)
    assert ticket["pending_time"] == stored


@pytest.mark.parametrize("garbage", ["garbage", 1700000000, True])
def test_an_unparseable_pending_time_counts_as_missing(api: Api, garbage: object) -> None:
    """app/models/concerns/checks_core_workflow.rb: Rails casts unparseable input to nil, so a
    pending state then misses its required ``pending_time``."""
    response = api.try_ticket(state="pending reminder", pending_time=garbage)
    assert (response.status_code, response.json()["error"]) == (
        422,
        "Missing required value for field 'pending_time'!",
    )


def test_a_number_as_title_is_stored_as_text(api: Api) -> None:
    """app/models/ticket.rb ``title`` is a string column: ActiveModel casts 42 to "42"."""
    assert api.ticket(title=42)["title"] == "42"


@pytest.mark.parametrize(("given", "stored"), [("yes", True), ("false", False), ("0", False)])
def test_a_boolean_column_casts_text(api: Api, given: str, stored: bool) -> None:
    """app/models/organization.rb ``shared`` is a boolean column: ActiveModel::Type::Boolean
    takes Rails' false words as false and any other text as true."""
    organization = api.ok("POST", "/organizations", json={"name": "Casts", "shared": given})
    assert organization["shared"] is stored


def test_an_object_for_a_text_column_is_refused(api: Api) -> None:
    """app/models/ticket.rb ``title`` is a string column; an object is no title."""
    response = api.try_ticket(title={"a": 1})
    assert response.status_code == 422
    assert "title" in response.json()["error"]


@pytest.mark.parametrize("body", [{"group": None}, {"group_id": None}])
def test_a_ticket_cannot_lose_its_group(api: Api, body: dict[str, None]) -> None:
    """app/models/concerns/checks_core_workflow.rb#check_mandatory: ``group_id`` is required on
    the edit screen."""
    ticket = api.ticket()
    response = api.call("PUT", f"/tickets/{ticket['id']}", json=body)
    assert (response.status_code, response.json()["error"]) == (
        422,
        "Missing required value for field 'group_id'!",
    )
    assert api.ok("GET", f"/tickets/{ticket['id']}")["group_id"] == 1


# -- last_owner_update_at (app/models/ticket/sets_last_owner_update_time.rb) -------------------


def timed_group(api: Api) -> int:
    group = api.ok("POST", "/groups", json={"name": "Timed", "assignment_timeout": 60})
    api.ok("PUT", "/users/4", json={"group_ids": {"1": ["full"], str(group["id"]): ["full"]}})
    api.ok("PUT", "/users/3", json={"group_ids": {"1": ["full"], str(group["id"]): ["full"]}})
    return int(group["id"])


def test_an_owned_ticket_in_a_group_with_assignment_timeout_starts_the_clock(api: Api) -> None:
    """app/models/ticket/sets_last_owner_update_time.rb: set when owner, state and group change
    together on create, the group has a timeout and the state is new."""
    ticket = api.ticket(group_id=timed_group(api), owner_id=4)
    assert ticket["last_owner_update_at"] == ticket["updated_at"]


def test_a_group_without_assignment_timeout_keeps_the_clock_null(api: Api) -> None:
    """app/models/ticket/sets_last_owner_update_time.rb: a group without
    ``assignment_timeout`` nils it."""
    assert api.ticket(owner_id=4)["last_owner_update_at"] is None


def test_closing_stops_the_clock_and_reopening_restarts_it(api: Api) -> None:
    """app/models/ticket/sets_last_owner_update_time.rb: a state outside new/open nils it, a
    change back to open sets it."""
    ticket = api.ticket(group_id=timed_group(api), owner_id=4)
    closed = api.ok("PUT", f"/tickets/{ticket['id']}", json={"state": "closed"})
    assert closed["last_owner_update_at"] is None
    reopened = api.ok("PUT", f"/tickets/{ticket['id']}", json={"state": "open"})
    assert reopened["last_owner_update_at"] == reopened["updated_at"]


def test_unassigning_stops_the_clock(api: Api) -> None:
    """app/models/ticket/sets_last_owner_update_time.rb: owner 1 nils it."""
    ticket = api.ticket(group_id=timed_group(api), owner_id=4)
    assert (
        api.ok("PUT", f"/tickets/{ticket['id']}", json={"owner_id": 1})["last_owner_update_at"]
        is None
    )


def test_an_agent_reply_restarts_the_clock(api: Api, server: FakeZammad) -> None:
    """app/models/ticket/sets_last_owner_update_time.rb: a new ``last_contact_agent_at``
    counts as an owner update."""
    ticket = api.ticket(group_id=timed_group(api), owner_id=4, state="open")
    closed = api.ok("PUT", f"/tickets/{ticket['id']}", json={"state": "closed"})
    assert closed["last_owner_update_at"] is None
    api.ok(
        "POST",
        "/ticket_articles",
        json={"ticket_id": ticket["id"], "body": "Reply", "type": "email", "to": "x@example.com"},
    )
    after = api.ok("GET", f"/tickets/{ticket['id']}")
    assert after["last_owner_update_at"] == after["last_contact_agent_at"]
