"""What users change about themselves: ``PUT /users/preferences``, ``PUT /users/out_of_office``
and ``POST /users/password_change`` (``UsersController``, ``User#validate_ooo``,
``User#validate_preferences``, ``PasswordPolicy``)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from zammad_orm.testing.custom_fields import cast_value
from zammad_orm.testing.http import json_reply, unprocessable
from zammad_orm.testing.router import Call, route

#: Zammad's default password policy: (failing check, notice) in the order Zammad checks
_MIN_SIZE = 10
_MAX_SIZE = 1000
_POLICY: tuple[tuple[Callable[[str], bool], list[Any]], ...] = (
    (lambda text: len(text) < _MIN_SIZE,
     ["Invalid password, it must be at least %s characters long!", _MIN_SIZE]),
    (lambda text: len(re.findall(r"[a-z]", text)) < 2 or len(re.findall(r"[A-Z]", text)) < 2,
     ["Invalid password, it must contain at least 2 lowercase and 2 uppercase characters!"]),
    (lambda text: re.search(r"\d", text) is None,
     ["Invalid password, it must contain at least 1 digit!"]),
    (lambda text: len(text) > _MAX_SIZE,
     ["Invalid password, it must be shorter than %s characters!", _MAX_SIZE]),
)  # fmt: skip


def _failed(notice: list[Any]) -> Any:
    return json_reply(422, {"message": "failed", "notice": notice})


@route("PUT", "/users/preferences")
def preferences(call: Call) -> Any:
    """Set the given keys in the actor's ``preferences`` (each key's value is replaced);
    ``notification_sound.enabled`` must be a boolean (``"true"``/``"false"`` are cast)."""
    body = call.body()
    if not body:
        return {"message": "ok"}
    merged = {**call.actor["preferences"], **body}
    sound = merged.get("notification_sound")
    if isinstance(sound, dict) and "enabled" in sound:
        enabled = {"true": True, "false": False}.get(sound["enabled"], sound["enabled"])
        if not isinstance(enabled, bool):
            kind = {str: "String", int: "Integer", float: "Float", list: "Array",
                    dict: "Hash", type(None): "NilClass"}.get(type(enabled), "Object")  # fmt: skip
            raise unprocessable(
                "preferences.notification_sound.enabled needs to be an boolean, but it was a "
                + kind
            )
        merged["notification_sound"] = {**sound, "enabled": enabled}
    call.actor["preferences"] = merged
    call.store.touch("users", call.actor, call.actor["id"])
    return {"message": "ok"}


def _date(value: Any) -> str | None:
    cast = cast_value({"data_type": "date"}, value)
    return cast if isinstance(cast, str) else None


@route("PUT", "/users/out_of_office")
def out_of_office(call: Call) -> Any:
    """Switch the actor's out-of-office on or off (``Service::User::OutOfOffice``): all five
    values are set from the request (missing ones become null); when on, start, end and an
    existing replacement are required."""
    user = call.actor
    enabled = cast_value({"data_type": "boolean"}, call.param("out_of_office"))
    start = _date(call.param("out_of_office_start_at"))
    end = _date(call.param("out_of_office_end_at"))
    raw = call.param("out_of_office_replacement_id")
    replacement = None
    if isinstance(raw, int) or (isinstance(raw, str) and raw.isdigit()):
        replacement = call.store.tables["users"].get(int(raw))
    if enabled is True:
        if start is None:
            raise unprocessable("out of office start is required")
        if end is None:
            raise unprocessable("out of office end is required")
        if dt.date.fromisoformat(start) > dt.date.fromisoformat(end):
            raise unprocessable("out of office end is before start")
        if replacement is None:
            raise unprocessable("out of office replacement user is required")
    changes = {
        "out_of_office": enabled,
        "out_of_office_start_at": start,
        "out_of_office_end_at": end,
        "out_of_office_replacement_id": replacement["id"] if replacement else None,
        "preferences": {
            **user["preferences"],
            "out_of_office_text": call.param("out_of_office_text"),
        },
    }
    if any(user.get(key) != value for key, value in changes.items()):
        user.update(changes)
        call.store.touch("users", user, user["id"])
    return {"message": "ok"}


@route("POST", "/users/password_change")
def password_change(call: Call) -> Any:
    """Change the actor's password: the current one must match, the new one must pass the
    default password policy; failures are 422 ``{"message": "failed", "notice": [...]}``."""
    old, new = call.param("password_old"), call.param("password_new")
    if not old or len(str(old)) > _MAX_SIZE:
        return _failed(["Please provide your current password."])
    if not new:
        return _failed(["Please provide your new password."])
    if call.store.passwords.get(call.actor["id"]) != str(old):
        return _failed(["The current password you provided is incorrect."])
    for fails, notice in _POLICY:
        if fails(str(new)):
            return _failed(list(notice))
    call.store.passwords[call.actor["id"]] = str(new)
    call.store.touch("users", call.actor, call.actor["id"])
    return {"message": "ok", "user_login": call.actor["login"]}
