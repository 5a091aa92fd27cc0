"""``/online_notifications``: the acting user's notifications."""

from __future__ import annotations

from typing import Any

from zammad_orm.testing.endpoints.common import show
from zammad_orm.testing.http import ApiError
from zammad_orm.testing.render import assets_of, render_many
from zammad_orm.testing.router import Call, route

_LIMIT = 200


def _own(call: Call) -> dict[str, Any]:
    record = call.store.get("online_notifications", call.int_param("id"))
    if record["user_id"] != call.actor["id"]:
        raise ApiError(403, "Not authorized")
    return record


@route("POST", "/online_notifications/mark_all_as_read")
def mark_all_as_read(call: Call) -> Any:
    """Mark every unseen notification of the actor as seen."""
    for record in call.store.tables["online_notifications"].values():
        if record["user_id"] == call.actor["id"] and not record["seen"]:
            record["seen"] = True
            call.store.touch("online_notifications", record, call.actor["id"])
    return {}


@route("GET", "/online_notifications")
def list_notifications(call: Call) -> Any:
    """The actor's notifications, newest first, at most 200 (no pagination)."""
    mine = sorted(
        (
            r
            for r in call.store.tables["online_notifications"].values()
            if r["user_id"] == call.actor["id"]
        ),
        key=lambda record: (record["created_at"], record["id"]),
        reverse=True,
    )[:_LIMIT]
    if call.flag("full"):
        return {
            "record_ids": [record["id"] for record in mine],
            "assets": assets_of(call.store, (("online_notifications", r) for r in mine)),
        }
    return render_many(
        call.store, "online_notifications", mine, "expand" if call.flag("expand") else "ids"
    )


@route("GET", "/online_notifications/{id}")
def show_notification(call: Call) -> Any:
    """One of the actor's notifications."""
    return show(call, "online_notifications", _own(call))


@route("PUT", "/online_notifications/{id}")
def update_notification(call: Call) -> Any:
    """Mark a notification seen (or unseen)."""
    record = _own(call)
    body = call.body()
    if "seen" in body and record["seen"] != bool(body["seen"]):
        record["seen"] = bool(body["seen"])
        call.store.touch("online_notifications", record, call.actor["id"])
    return show(call, "online_notifications", record)


@route("DELETE", "/online_notifications/{id}")
def delete_notification(call: Call) -> Any:
    """Delete one of the actor's notifications."""
    del call.store.tables["online_notifications"][_own(call)["id"]]
    return {}
