"""``/macros``, ``/slas`` and ``/calendars``: admin CRUD with Zammad's validations."""

from __future__ import annotations

from typing import Any

from raw_api import Api

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


def office_hours(start: str = "09:00", end: str = "17:00") -> dict[str, Any]:
    """Business hours on weekdays."""
    return {day: {"active": day in WEEKDAYS, "timeframes": [[start, end]]}
            for day in (*WEEKDAYS, "sat", "sun")}  # fmt: skip


def test_macros_crud(api: Api, agent: Api) -> None:
    """Zammad: app/models/macro.rb and app/policies/controllers/macros_controller_policy.rb
    (agents read, ``admin.macro`` writes)."""
    body = {"name": "Close", "perform": {"ticket.state_id": {"value": "4"}}}
    macro = api.ok("POST", "/macros", json=body)
    assert (macro["ux_flow_next_up"], macro["active"], macro["group_ids"]) == ("none", True, [])
    assert [m["name"] for m in agent.ok("GET", "/macros")] == ["Close"]
    assert agent.error("POST", "/macros", json={"name": "x"}) == (403, "Not authorized (user)!")
    updated = api.ok("PUT", f"/macros/{macro['id']}", json={"ux_flow_next_up": "next_task"})
    assert updated["ux_flow_next_up"] == "next_task"
    assert api.ok("DELETE", f"/macros/{macro['id']}") == {}
    assert api.ok("GET", "/macros") == []


def test_macro_validation(api: Api) -> None:
    """Zammad: app/models/macro.rb (unique name, ``ux_flow_next_up`` values, perform rules)."""
    api.ok("POST", "/macros", json={"name": "Close", "perform": {}})
    assert api.error("POST", "/macros", json={"name": "close", "perform": {}}) == (
        422, "Name has already been taken",
    )  # fmt: skip
    bad_flow = {"name": "x", "perform": {}, "ux_flow_next_up": "later"}
    assert api.error("POST", "/macros", json=bad_flow) == (
        422, "Ux flow next up is not included in the list",
    )  # fmt: skip
    bad_owner = {"name": "y", "perform": {"ticket.owner_id": {"pre_condition": "specific"}}}
    assert api.error("POST", "/macros", json=bad_owner) == (
        422, "The required 'perform' value for ticket.owner_id, value is missing!",
    )  # fmt: skip


def test_calendars_need_business_hours(api: Api) -> None:
    """Zammad: app/models/calendar.rb (``validate_hours``)."""
    assert api.error("POST", "/calendars", json={"name": "Empty", "business_hours": {}}) == (
        422, "No configured business hours found!",
    )  # fmt: skip


def test_one_calendar_is_the_default(api: Api) -> None:
    """Zammad: app/models/calendar.rb (``sync_default``, ``min_one_check``)."""
    first = api.ok("POST", "/calendars", json={"name": "A", "business_hours": office_hours()})
    assert first["default"] is True  # the only one becomes the default
    body = {"name": "B", "business_hours": office_hours(), "default": True}
    second = api.ok("POST", "/calendars", json=body)
    assert second["default"] is True
    assert api.ok("GET", f"/calendars/{first['id']}")["default"] is False


def test_sla_crud_and_validation(api: Api, agent: Api) -> None:
    """Zammad: app/models/sla.rb (name required, condition checked) and
    app/policies/controllers/slas_controller_policy.rb (``admin.sla``)."""
    calendar = api.ok("POST", "/calendars", json={"name": "A", "business_hours": office_hours()})
    sla = api.ok("POST", "/slas", json={"name": "Gold", "calendar_id": calendar["id"],
                                        "first_response_time": 60, "condition": {}})  # fmt: skip
    assert (sla["first_response_time"], sla["update_time"], sla["solution_time"]) == (
        60,
        None,
        None,
    )
    assert api.error("POST", "/slas", json={"calendar_id": calendar["id"]}) == (
        422, "Name can't be blank",
    )  # fmt: skip
    bad = {"name": "x", "condition": {"ticket.state_id": {"operator": "is", "value": []}}}
    assert api.error("POST", "/slas", json=bad) == (422, "Invalid ticket selector conditions")
    assert agent.error("GET", "/slas") == (403, "Not authorized (user)!")


def test_a_missing_rule_is_a_404(api: Api) -> None:
    """Zammad: app/controllers/application_controller/renders_models.rb (RecordNotFound)."""
    assert api.error("GET", "/triggers/99") == (404, "Couldn't find Trigger with 'id'=99")
    assert api.error("DELETE", "/calendars/99") == (404, "Couldn't find Calendar with 'id'=99")
