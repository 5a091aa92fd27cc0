"""The fake server's clock: timestamps, seeding the past, pending states, reminders and
escalations driven by ``server.advance``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from raw_api import Api

from zammad_orm import Client
from zammad_orm.testing import FakeClock, FakeZammad

MONDAY_8 = dt.datetime(2024, 1, 8, 8, 0, tzinfo=dt.timezone.utc)
ALL_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _hours(start: str, end: str, days: tuple[str, ...]) -> dict[str, Any]:
    return {day: {"active": day in days, "timeframes": [[start, end]]} for day in ALL_DAYS}


def _sla(api: Api, business_hours: dict[str, Any], timezone: str = "UTC", **times: Any) -> Any:
    calendar = api.ok("POST", "/calendars", json={"name": "Hours", "timezone": timezone,
                                                  "business_hours": business_hours})  # fmt: skip
    body = {"name": "Default", "calendar_id": calendar["id"], "condition": {}, **times}
    return api.ok("POST", "/slas", json=body)


def _notifications(api: Api, ticket_id: int, kind: int) -> list[Any]:
    return [
        note
        for note in api.ok("GET", "/online_notifications")
        if note["o_id"] == ticket_id and note["type_lookup_id"] == kind
    ]


@pytest.fixture
def frozen() -> Any:
    """A server whose clock stands at Monday 2024-01-08 08:00 UTC."""
    with FakeZammad(clock=MONDAY_8) as server:
        yield server, Api(server)


def test_records_carry_the_clock_time(frozen: Any) -> None:
    """Zammad stamps ``created_at``/``updated_at`` with ``Time.zone.now``
    (app/models/application_model/can_creates_and_updates.rb); the fake uses its clock."""
    server, api = frozen
    ticket = api.ticket()
    assert ticket["created_at"] == "2024-01-08T08:00:00.000Z"
    server.advance(days=3, hours=2)
    updated = api.ok("PUT", f"/tickets/{ticket['id']}", json={"title": "later"})
    assert updated["updated_at"] == "2024-01-11T10:00:00.000Z"
    assert updated["created_at"] == "2024-01-08T08:00:00.000Z"


def test_at_seeds_records_in_the_past(server: FakeZammad, api: Api) -> None:
    """The fake's own contract: inside ``server.at(moment)`` records are stamped with it."""
    moment = server.now() - dt.timedelta(days=45)
    with server.at(moment):
        ticket = api.ticket()
    assert ticket["created_at"] == moment.strftime("%Y-%m-%dT%H:%M:%S.") + (
        f"{moment.microsecond // 1000:03d}Z"
    )
    assert api.ticket()["created_at"] > ticket["created_at"]


def test_a_clock_refuses_naive_times_and_going_back() -> None:
    """The fake's own contract: an unzoned time or a step back is a clear error."""
    with pytest.raises(ValueError, match="aware datetime"):
        FakeClock(dt.datetime(2024, 1, 1))
    with pytest.raises(ValueError, match="only moves forward"):
        FakeClock().advance(days=-1)


def test_closing_tickets_older_than_30_days_through_the_client(
    zammad_client: Client, server: FakeZammad, api: Api
) -> None:
    """What a user's cleanup job does: search ``created_at:<now-30d`` and close the hits.
    Zammad: app/models/ticket/search.rb (date math in the query counts from the server's now)."""
    with server.at(server.now() - dt.timedelta(days=31)):
        stale = api.ticket(title="stale")
    fresh = api.ticket(title="fresh")
    for ticket in zammad_client.tickets.search("created_at:<now-30d"):
        ticket.state = "closed"
        ticket.save()
    assert api.ok("GET", f"/tickets/{stale['id']}")["state_id"] == 4
    assert api.ok("GET", f"/tickets/{fresh['id']}")["state_id"] == 1
    assert api.ok("GET", "/tickets/1")["state_id"] == 1  # the welcome ticket is new


def test_pending_close_becomes_closed_when_its_time_passed(frozen: Any) -> None:
    """Zammad: app/models/ticket.rb (``Ticket.process_pending``: pending action states move
    to their ``next_state_id`` as the system user)."""
    server, api = frozen
    ticket = api.ticket(state="pending close", pending_time="2024-01-09T08:00:00Z")
    server.advance(hours=23)
    assert api.ok("GET", f"/tickets/{ticket['id']}")["state_id"] == 6
    server.advance(hours=1)
    closed = api.ok("GET", f"/tickets/{ticket['id']}")
    assert (closed["state_id"], closed["pending_time"]) == (4, None)
    assert (closed["close_at"], closed["updated_by_id"]) == ("2024-01-09T08:00:00.000Z", 1)


def test_a_reached_pending_reminder_notifies_the_owner_once_a_day(frozen: Any) -> None:
    """Zammad: app/models/ticket.rb (``process_pending``: a ``reminder_reached`` transaction)
    and app/models/transaction/notification.rb (once a day)."""
    server, api = frozen
    ticket = api.ticket(state="pending reminder", pending_time="2024-01-08T12:00:00Z",
                        owner="admin@example.com")  # fmt: skip
    server.advance(hours=5)
    assert len(_notifications(api, ticket["id"], 5)) == 1
    server.advance(hours=1)
    assert len(_notifications(api, ticket["id"], 5)) == 1
    server.advance(days=1)
    assert len(_notifications(api, ticket["id"], 5)) == 2


def test_a_time_trigger_fires_when_the_reminder_is_reached(frozen: Any) -> None:
    """Zammad: app/models/trigger.rb (``activator: time``) and lib/selector/sql.rb
    (``has reached`` on ``ticket.pending_time``)."""
    server, api = frozen
    api.ok("POST", "/triggers", json={
        "name": "Reopen", "activator": "time",
        "condition": {"ticket.pending_time": {"operator": "has reached"}},
        "perform": {"ticket.state_id": {"value": "2"}},
    })  # fmt: skip
    ticket = api.ticket(state="pending reminder", pending_time="2024-01-08T09:00:00Z")
    server.advance(hours=2)
    assert api.ok("GET", f"/tickets/{ticket['id']}")["state_id"] == 2


def test_escalation_with_a_24_7_calendar(frozen: Any) -> None:
    """Zammad: lib/escalation.rb (first response and solution deadlines from ``created_at``,
    ``escalation_at`` the earliest running one)."""
    _, api = frozen
    _sla(api, _hours("00:00", "23:59", ALL_DAYS), first_response_time=60, solution_time=480)
    ticket = api.ticket()
    assert ticket["first_response_escalation_at"] == "2024-01-08T09:00:00.000Z"
    assert ticket["close_escalation_at"] == "2024-01-08T16:00:00.000Z"
    assert ticket["escalation_at"] == "2024-01-08T09:00:00.000Z"
    assert ticket["update_escalation_at"] is None


def test_escalation_counts_business_hours_only(frozen: Any) -> None:
    """Zammad: lib/escalation.rb with the calendar's hours (app/models/calendar.rb ``biz``):
    four working hours from Monday 08:00 (before opening at 09:00, Berlin) end at 13:00 Berlin."""
    _, api = frozen
    weekdays = ("mon", "tue", "wed", "thu", "fri")
    _sla(api, _hours("09:00", "17:00", weekdays), "Europe/Berlin", first_response_time=600)
    ticket = api.ticket()
    # Monday 08:00 UTC is 09:00 in Berlin: 8 h on Monday, 2 h on Tuesday
    assert ticket["first_response_escalation_at"] == "2024-01-09T10:00:00.000Z"


def test_answering_stops_the_first_response_clock_and_records_statistics(frozen: Any) -> None:
    """Zammad: lib/escalation.rb (``first_response_at`` set: no deadline, ``*_in_min`` and
    ``*_diff_in_min``)."""
    server, api = frozen
    _sla(api, _hours("00:00", "23:59", ALL_DAYS), first_response_time=60)
    ticket = api.ticket()
    server.advance(minutes=20)
    answered = api.ok("PUT", f"/tickets/{ticket['id']}", json={
        "article": {"body": "on it", "type": "email", "to": "nicole.braun@zammad.org"},
    })  # fmt: skip
    assert answered["first_response_at"] == "2024-01-08T08:20:00.000Z"
    assert answered["first_response_escalation_at"] is None
    assert (answered["first_response_in_min"], answered["first_response_diff_in_min"]) == (20, 40)


def test_a_pending_state_stops_escalation(frozen: Any) -> None:
    """Zammad: lib/escalation.rb (``ignore_escalation`` states have no deadlines)."""
    _, api = frozen
    _sla(api, _hours("00:00", "23:59", ALL_DAYS), first_response_time=60)
    ticket = api.ticket()
    parked = api.ok(
        "PUT",
        f"/tickets/{ticket['id']}",
        json={"state": "pending reminder", "pending_time": "2024-02-01T00:00:00Z"},
    )
    assert (parked["escalation_at"], parked["first_response_escalation_at"]) == (None, None)


def test_a_passed_escalation_notifies_and_shows_in_the_escalated_overview(frozen: Any) -> None:
    """Zammad: app/models/ticket.rb (``process_escalation``) and db/seeds/overviews.rb
    (``Escalated``: ``escalation_at`` 'before (relative)' 10 minutes, i.e. escalated at least
    10 minutes ago)."""
    server, api = frozen
    _sla(api, _hours("00:00", "23:59", ALL_DAYS), first_response_time=60)
    ticket = api.ticket(owner="admin@example.com")
    escalated = api.ok("GET", "/ticket_overviews", params={"view": "all_escalated"})
    assert escalated["index"]["count"] == 0
    server.advance(minutes=61)
    assert len(_notifications(api, ticket["id"], 4)) == 1
    escalated = api.ok("GET", "/ticket_overviews", params={"view": "all_escalated"})
    assert escalated["index"]["count"] == 0  # escalated one minute ago
    server.advance(minutes=10)
    escalated = api.ok("GET", "/ticket_overviews", params={"view": "all_escalated"})
    assert {t["id"] for t in escalated["index"]["tickets"]} == {1, ticket["id"]}


def test_reset_turns_the_clock_back(server: FakeZammad) -> None:
    """The fake's own contract: ``reset()`` drops the time added by ``advance``."""
    before = server.now()
    server.advance(days=10)
    server.reset()
    assert server.now() - before < dt.timedelta(days=1)


def test_a_callable_clock_drives_the_server() -> None:
    """The fake's own contract: ``FakeZammad(clock=callable)`` asks it for the time."""
    with FakeZammad(clock=lambda: MONDAY_8, seed=False) as server:
        assert server.now() == MONDAY_8
        assert server.advance(hours=1) == MONDAY_8 + dt.timedelta(hours=1)


def test_the_first_matching_sla_by_name_applies(frozen: Any) -> None:
    """Zammad: app/models/sla.rb (``Sla.for_ticket``: by name, a condition-less SLA is the
    fallback)."""
    _, api = frozen
    always = _hours("00:00", "23:59", ALL_DAYS)
    _sla(api, always, first_response_time=600)
    calendar_id = api.ok("GET", "/calendars")[0]["id"]
    api.ok("POST", "/slas", json={
        "name": "A urgent", "calendar_id": calendar_id, "first_response_time": 30,
        "condition": {"ticket.priority_id": {"operator": "is", "value": ["3"]}},
    })  # fmt: skip
    assert api.ticket(priority="3 high")["first_response_escalation_at"] == (
        "2024-01-08T08:30:00.000Z"
    )
    assert api.ticket()["first_response_escalation_at"] == "2024-01-08T18:00:00.000Z"


def test_a_customer_message_starts_the_update_clock(frozen: Any) -> None:
    """Zammad: lib/escalation.rb (``update_escalation_at`` from the last customer contact,
    until an agent answers)."""
    server, api = frozen
    _sla(api, _hours("00:00", "23:59", ALL_DAYS), update_time=120)
    ticket = api.ticket(article={"body": "help", "type": "email", "sender": "Customer"})
    assert ticket["update_escalation_at"] == "2024-01-08T10:00:00.000Z"
    server.advance(minutes=30)
    answered = api.ok("PUT", f"/tickets/{ticket['id']}", json={
        "article": {"body": "done", "type": "email", "to": "nicole.braun@zammad.org"},
    })  # fmt: skip
    assert answered["update_escalation_at"] is None
    assert (answered["update_in_min"], answered["update_diff_in_min"]) == (30, 90)
