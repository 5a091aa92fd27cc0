"""``/triggers``, ``/webhooks``, ``/macros``, ``/slas`` and ``/calendars``: admin CRUD with the
validations of Zammad's models (``app/models/trigger.rb``, ``webhook.rb``, ``macro.rb``,
``sla.rb``, ``calendar.rb``). What triggers and SLAs then do lives in
:mod:`zammad_orm.testing.automation` and :mod:`zammad_orm.testing.escalation`."""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping
from typing import Any

from zammad_orm.testing.endpoints.admin_crud import (
    AdminTable,
    check_condition,
    check_inclusion,
    check_note,
    check_perform,
    check_presence,
    check_unique_name,
    register,
)
from zammad_orm.testing.escalation import rebuild_escalations
from zammad_orm.testing.http import unprocessable
from zammad_orm.testing.router import Call
from zammad_orm.testing.schedule import business_hours_problem

_NAME = check_presence("name", "Name")


def _check_endpoint(call: Call, record: dict[str, Any], ident: int | None) -> None:
    """``Webhook#validate_endpoint``: an http(s) URL with a host."""
    parts = urllib.parse.urlsplit(str(record.get("endpoint") or ""))
    if parts.scheme not in ("http", "https"):
        raise unprocessable(
            "Endpoint The provided endpoint is invalid, no http or https protocol was specified."
        )
    if not parts.hostname:
        raise unprocessable("Endpoint The provided endpoint is invalid, no hostname was specified.")


def _webhook_users(call: Call, webhook: dict[str, Any]) -> str | None:
    """``Webhook::EnsureNoRelatedObjects``: the rules whose perform calls the webhook."""
    found = []
    for table, model in (("triggers", "Trigger"), ("macros", "Macro")):
        names = []
        for record in call.store.tables[table].values():
            rule = (record.get("perform") or {}).get("notification.webhook")
            if isinstance(rule, Mapping) and str(rule.get("webhook_id")) == str(webhook["id"]):
                names.append(f"{record['name']} (#{record['id']})")
        if names:
            found.append(f"{model}: {', '.join(names)}")
    if not found:
        return None
    return f"Cannot delete! This webhook is referenced by {', '.join(found)}"


def _rebuild(call: Call, record: dict[str, Any]) -> None:
    rebuild_escalations(call.store)


def _check_hours(call: Call, record: dict[str, Any], ident: int | None) -> None:
    problem = business_hours_problem(record.get("business_hours"))
    if problem is not None:
        raise unprocessable(problem)


def _calendar_saved(call: Call, record: dict[str, Any]) -> None:
    """``Calendar#sync_default`` and ``#min_one_check``: one default calendar, and every SLA
    on an existing calendar."""
    calendars = call.store.tables["calendars"]
    if record.get("default") and record["id"] in calendars:
        for other in calendars.values():
            if other["id"] != record["id"] and other["default"]:
                other["default"] = False
                call.store.touch("calendars", other, call.actor["id"])
    if calendars and not any(calendar["default"] for calendar in calendars.values()):
        first = min(calendars.values(), key=lambda c: (c["created_at"], c["id"]))
        first["default"] = True
    default = next((c for c in calendars.values() if c["default"]), None)
    if default is not None:
        for sla in call.store.tables["slas"].values():
            if sla["calendar_id"] not in calendars:
                sla["calendar_id"] = default["id"]
    rebuild_escalations(call.store)


register(
    AdminTable(
        "triggers",
        readers=("admin.trigger",),
        writers=("admin.trigger",),
        validators=(
            _NAME,
            check_unique_name("triggers"),
            check_perform,
            check_inclusion("activator", "Activator", ("action", "time")),
            check_inclusion(
                "execution_condition_mode", "Execution condition mode", ("selective", "always")
            ),
            check_note(250),
            check_condition,
        ),
    )
)
register(
    AdminTable(
        "webhooks",
        readers=("admin.webhook",),
        writers=("admin.webhook",),
        validators=(_NAME, _check_endpoint, check_note(500)),
        delete_blocker=_webhook_users,
    )
)
register(
    AdminTable(
        "macros",
        readers=("ticket.agent", "admin.macro"),
        writers=("admin.macro",),
        validators=(
            check_perform,
            _NAME,
            check_unique_name("macros"),
            check_inclusion(
                "ux_flow_next_up",
                "Ux flow next up",
                ("none", "next_task", "next_task_on_close", "next_from_overview"),
            ),
            check_note(250),
        ),
    )
)
register(
    AdminTable(
        "slas",
        readers=("admin.sla",),
        writers=("admin.sla",),
        validators=(_NAME, check_condition),
        after_save=_rebuild,
        after_delete=_rebuild,
    )
)
register(
    AdminTable(
        "calendars",
        readers=("admin.calendar",),
        writers=("admin.calendar",),
        validators=(_NAME, _check_hours),
        after_save=_calendar_saved,
        after_delete=_calendar_saved,
    )
)
