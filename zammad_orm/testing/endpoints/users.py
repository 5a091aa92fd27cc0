"""``/users``: index, show, ``me``, search, create, update, destroy."""

from __future__ import annotations

from typing import Any

from zammad_orm.testing.endpoints.common import (
    clean_params,
    created,
    destroy,
    index,
    require_permission,
    show,
    update_record,
)
from zammad_orm.testing.endpoints.search import search_reply
from zammad_orm.testing.http import ApiError
from zammad_orm.testing.render import assets_of, render
from zammad_orm.testing.router import Call, route
from zammad_orm.testing.search_index import DocumentKind, Reference, Related
from zammad_orm.testing.store import Store
from zammad_orm.testing.user_rules import normalise_user

_AGENT_OR_ADMIN = ("ticket.agent", "admin.user")
_PRIVILEGED = ("role_ids", "group_ids", "organization_ids")


def _visible(call: Call) -> list[dict[str, Any]]:
    users = call.store.tables["users"]
    if call.store.has_permission(call.actor, "ticket.agent") or call.store.has_permission(
        call.actor, "admin.user"
    ):
        return list(users.values())
    return [call.actor]


def user_document(store: Store, user: dict[str, Any], _related: Related) -> dict[str, Any]:
    """The search document of ``user`` (see :mod:`zammad_orm.testing.query`)."""
    organization = store.tables["organizations"].get(user["organization_id"])
    doc: dict[str, Any] = {key: user[key] for key in ("id", "active", *_USER_TEXT)}
    doc["organization.name"] = organization["name"] if organization else None
    doc["created_at"], doc["updated_at"] = user["created_at"], user["updated_at"]
    doc["_fulltext"] = (*_USER_TEXT, "organization.name")
    return doc


_USER_TEXT = ("login", "firstname", "lastname", "email", "note", "phone", "mobile")


#: how user documents are made and kept
USER_DOCUMENTS = DocumentKind(
    "users", user_document, (Reference("organization_id", "organizations", ("name",)),)
)


@route("GET", "/users/me")
def me(call: Call) -> Any:
    """The acting user, password-less (``full``: its assets, as ``User.full``)."""
    if call.flag("full"):
        return {"id": call.actor["id"], "assets": assets_of(call.store, [("users", call.actor)])}
    return render(
        call.store, "users", call.actor, "expand" if call.flag("expand") else "ids", me=True
    )


@route("GET", "/users/search")
@route("POST", "/users/search")
def search(call: Call) -> Any:
    """Users matching ``query`` (agents and user admins only)."""
    require_permission(call, *_AGENT_OR_ADMIN)
    return search_reply(call, USER_DOCUMENTS, _visible(call), labels=_label_row)


def _label_row(call: Call, user: dict[str, Any]) -> dict[str, Any]:
    """A row of the ``label``/``term`` search before 6.5: "First Last <email>" as label;
    ``term`` rows give the email as value and say whether the user is inactive."""
    name = f"{user['firstname'] or ''} {user['lastname'] or ''}".strip() or user["email"] or ""
    if user["email"] and name != user["email"]:
        name = f"{name} <{user['email']}>"
    if call.param("term") is not None:
        return {
            "id": user["id"],
            "label": name,
            "value": user["email"],
            "inactive": not user["active"],
        }
    return {"id": user["id"], "label": name, "value": name}


@route("GET", "/users")
def list_users(call: Call) -> Any:
    """A page of users (customers see themselves only)."""
    return index(call, "users", _visible(call), default=100, maximum=1000, total_count=False)


@route("GET", "/users/{id}")
def show_user(call: Call) -> Any:
    """One user."""
    user = call.store.get("users", call.int_param("id"))
    if user not in _visible(call):
        raise ApiError(403, "Not authorized")
    return show(call, "users", user)


def _guard_privileged(call: Call, params: dict[str, Any]) -> None:
    if not call.store.has_permission(call.actor, "admin.user"):
        for key in _PRIVILEGED:
            params.pop(key, None)


def _set_password(call: Call, user: dict[str, Any], password: Any) -> None:
    """Store a password given by a user admin (agents' passwords are ignored, as Zammad's
    privileged-attribute check drops them)."""
    if (
        isinstance(password, str)
        and password
        and call.store.has_permission(call.actor, "admin.user")
    ):
        call.store.passwords[user["id"]] = password


@route("POST", "/users")
def create_user(call: Call) -> Any:
    """A new user; agents may not set roles or groups (new users get the sign-up roles)."""
    require_permission(call, *_AGENT_OR_ADMIN)
    body = call.body()
    password = body.get("password")
    params = clean_params(call, "users", body)
    _guard_privileged(call, params)
    params = normalise_user(call.store, {}, params)
    if not params.get("role_ids"):
        params["role_ids"] = [
            role["id"] for role in call.store.tables["roles"].values() if role["default_at_signup"]
        ]
    user = call.store.insert("users", params, call.actor["id"])
    _set_password(call, user, password)
    return created(call, "users", user)


@route("PUT", "/users/{id}")
def update_user(call: Call) -> Any:
    """A partial update of a user."""
    user = call.store.get("users", call.int_param("id"))
    if user["id"] != call.actor["id"]:
        require_permission(call, *_AGENT_OR_ADMIN)
    body = call.body()
    params = clean_params(call, "users", body)
    _guard_privileged(call, params)
    params = normalise_user(call.store, user, params)
    _set_password(call, user, body.get("password"))
    return show(call, "users", update_record(call, "users", user, params))


#: columns that refer to a user and keep it from being deleted (notifications go with it)
_USER_REFERENCES = ("owner_id", "customer_id", "created_by_id", "updated_by_id", "origin_by_id",
                    "out_of_office_replacement_id")  # fmt: skip


def _user_referenced(call: Call, user: dict[str, Any]) -> bool:
    """Whether any record but the user's own and its notifications names the user."""
    return any(
        record is not user and record.get(column) == user["id"]
        for name, table in call.store.tables.items()
        if name != "online_notifications"
        for record in table.values()
        for column in _USER_REFERENCES
    )


@route("DELETE", "/users/{id}")
def delete_user(call: Call) -> Any:
    """Delete a user nobody's tickets refer to (admins only)."""
    require_permission(call, "admin.user")
    user = call.store.get("users", call.int_param("id"))
    result = destroy(call, "users", user, references=lambda record: _user_referenced(call, record))
    store = call.store
    store.passwords.pop(user["id"], None)
    for token in [token for token, owner in store.tokens.items() if owner == user["id"]]:
        del store.tokens[token]
    notifications = store.tables["online_notifications"]
    for ident in [i for i, n in notifications.items() if n["user_id"] == user["id"]]:
        del notifications[ident]
    return result
