"""Escalation times of tickets, from the SLA that matches them and its calendar.

Follows Zammad's ``lib/escalation.rb`` and ``app/models/sla.rb``: the first SLA by name whose
condition matches the ticket applies (one without a condition is the fallback); without an SLA
or a calendar, or in a state that ignores escalation (pending, closed, merged), the
``*_escalation_at`` fields are empty. Otherwise:

* ``first_response_escalation_at``: ``created_at`` plus ``first_response_time`` working minutes,
  until the first response;
* ``update_escalation_at``: the last customer contact plus ``update_time``, unless an agent
  answered after it;
* ``close_escalation_at``: ``created_at`` plus ``solution_time``, until the ticket is closed;
* ``escalation_at``: the earliest of those still running;

and the statistics ``*_in_min`` / ``*_diff_in_min`` once the response, update or close happened.
Working minutes come from the calendar's business hours (:mod:`zammad_orm.testing.schedule`).
Simplification: the time a ticket spent in a pending state is not taken out (Zammad's
``Escalation::TicketBizBreak``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from zammad_orm.testing.schedule import Schedule
from zammad_orm.testing.selector import SelectorContext, matches
from zammad_orm.testing.selector_conditions import InvalidCondition, SelectorError
from zammad_orm.testing.selector_values import parse_time

if TYPE_CHECKING:
    from zammad_orm.testing.store import Store

__all__ = ["rebuild_escalations", "recompute_escalation", "sla_for_ticket"]

_ESCALATION_FIELDS = (
    "escalation_at", "first_response_escalation_at", "update_escalation_at", "close_escalation_at",
)  # fmt: skip


def sla_for_ticket(store: Store, ticket: Mapping[str, Any]) -> dict[str, Any] | None:
    """The SLA that applies to ``ticket`` (``Sla.for_ticket``)."""
    fallback = None
    ordered = sorted(store.tables["slas"].values(), key=lambda s: (s["name"], s["created_at"]))
    for sla in ordered:
        if not sla["condition"]:
            fallback = sla
            continue
        try:
            if matches(sla["condition"], ticket, SelectorContext(store)):
                return sla
        except (InvalidCondition, SelectorError):
            continue
    return fallback


def _minutes(value: Any) -> int | None:
    try:
        minutes = int(value)
    except (TypeError, ValueError):
        return None
    return minutes if minutes > 0 else None


def recompute_escalation(store: Store, ticket: dict[str, Any]) -> None:
    """Set ``ticket``'s escalation times and statistics from its SLA."""
    from zammad_orm.testing.store import format_time

    sla = sla_for_ticket(store, ticket)
    calendar = store.tables["calendars"].get(sla["calendar_id"]) if sla else None
    state = store.tables["ticket_states"].get(ticket["state_id"]) or {}
    for name in _ESCALATION_FIELDS:
        ticket[name] = None
    if sla is None or calendar is None:
        return
    schedule = Schedule.from_calendar(calendar)
    created = parse_time(ticket["created_at"])
    first_response = parse_time(ticket["first_response_at"])
    customer_contact = parse_time(ticket["last_contact_customer_at"])
    agent_contact = parse_time(ticket["last_contact_agent_at"])
    closed = parse_time(ticket["close_at"])
    agent_responded = bool(customer_contact and agent_contact and customer_contact < agent_contact)

    def deadline(start: dt.datetime | None, span: Any) -> str | None:
        minutes = _minutes(span)
        if start is None or minutes is None:
            return None
        moment = schedule.add_minutes(start, minutes)
        return format_time(moment) if moment is not None else None

    if not state.get("ignore_escalation"):
        if first_response is None:
            ticket["first_response_escalation_at"] = deadline(created, sla["first_response_time"])
        if not agent_responded:
            ticket["update_escalation_at"] = deadline(customer_contact, sla["update_time"])
        if closed is None:
            ticket["close_escalation_at"] = deadline(created, sla["solution_time"])
        running = [str(ticket[name]) for name in _ESCALATION_FIELDS[1:] if ticket[name]]
        ticket["escalation_at"] = min(running) if running else None  # same format: sortable

    def statistics(prefix: str, start: dt.datetime | None, end: dt.datetime | None) -> None:
        target = _minutes(sla[f"{prefix}_time" if prefix != "close" else "solution_time"])
        if start is None or end is None or target is None:
            return
        minutes = schedule.working_minutes(start, end)
        if prefix == "update" and (ticket["update_in_min"] or -1) >= minutes:
            return  # Zammad keeps the longest wait for an update
        ticket[f"{prefix}_in_min"] = minutes
        ticket[f"{prefix}_diff_in_min"] = target - minutes

    statistics("first_response", created, first_response)
    statistics("update", customer_contact, agent_contact if agent_responded else None)
    statistics("close", created, closed)


def rebuild_escalations(store: Store) -> None:
    """Recompute every ticket (after an SLA or calendar changed, as
    ``TicketEscalationRebuildJob`` does)."""
    for ticket in store.tables["tickets"].values():
        recompute_escalation(store, ticket)
