"""``/users/history/:id`` and ``/organizations/history/:id``: ``HasHistory#history_get(true)``
of a user or an organization, shaped like the ticket history."""

from __future__ import annotations

from typing import Any

from zammad_orm.testing.endpoints.common import require_permission
from zammad_orm.testing.models import TABLES
from zammad_orm.testing.render import assets_of
from zammad_orm.testing.router import Call, route


def _history(call: Call, table: str) -> Any:
    record = call.store.get(table, call.int_param("id"))
    model = TABLES[table].model
    entries = sorted(
        (
            entry
            for entry in call.store.history
            if (entry["object"] == model and entry["o_id"] == record["id"])
            or (entry.get("related_object") == model and entry.get("related_o_id") == record["id"])
        ),
        key=lambda entry: (entry["created_at"], entry["id"]),
    )
    return {"history": entries, "assets": assets_of(call.store, [(table, record)])}


@route("GET", "/users/history/{id}")
def user_history(call: Call) -> Any:
    """A user's history (agents and user admins)."""
    require_permission(call, "ticket.agent", "admin.user")
    return _history(call, "users")


@route("GET", "/organizations/history/{id}")
def organization_history(call: Call) -> Any:
    """An organization's history (agents and organization admins)."""
    require_permission(call, "ticket.agent", "admin.organization")
    return _history(call, "organizations")
