"""``/email_addresses``, ``/signatures``, ``/text_modules`` and ``/templates``: read by agents,
written by the admins of their area (``app/policies/controllers/*_controller_policy.rb``),
with the checks of their models."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from zammad_orm.testing.custom_fields import ValidationFailed
from zammad_orm.testing.endpoints.common import (
    clean_params,
    created,
    destroy,
    index,
    require_permission,
    show,
    update_record,
)
from zammad_orm.testing.http import unprocessable
from zammad_orm.testing.router import Call, route
from zammad_orm.testing.user_rules import EMAIL

#: channels the fake knows: the email channel behind email address 1
_CHANNEL_IDS = frozenset({1})
#: keys of a template's old flat options that belong to the article
_ARTICLE_KEYS = frozenset({"body", "subject", "type", "type_id", "internal", "to", "cc",
                           "from"})  # fmt: skip

Check = Callable[[Call, dict[str, Any], "dict[str, Any] | None"], None]


def _required(*columns: str) -> Check:
    """Rails' ``validates presence``: every blank column is named."""

    def check(call: Call, values: dict[str, Any], record: dict[str, Any] | None) -> None:
        merged = {**(record or {}), **values}
        blank = [c for c in columns if merged.get(c) is None or not str(merged[c]).strip()]
        if blank:
            labels = {"realname": "Realname", "email": "Email", "name": "Name",
                      "content": "Content"}  # fmt: skip
            raise ValidationFailed([f"{labels[column]} can't be blank" for column in blank])

    return check


def _email_address(call: Call, values: dict[str, Any], record: dict[str, Any] | None) -> None:
    """``EmailAddress``: a valid, lower-cased email; inactive without an existing channel."""
    if isinstance(values.get("email"), str) and values["email"].strip():
        values["email"] = values["email"].strip().lower()
        if not EMAIL.match(values["email"]):
            raise unprocessable(f"Invalid email '{values['email']}'")
    _required("realname", "email")(call, values, record)
    channel_id = values.get("channel_id", (record or {}).get("channel_id"))
    values["active"] = channel_id in _CHANNEL_IDS
    if not values["active"]:
        values["channel_id"] = None


def _template(call: Call, values: dict[str, Any], record: dict[str, Any] | None) -> None:
    """``Template``: a name; old flat options (``{"title": "x"}``) are migrated to
    ``{"ticket.title": {"value": "x"}}`` as the controller does."""
    _required("name")(call, values, record)
    options = values.get("options")
    if (
        isinstance(options, Mapping)
        and options
        and not any(str(key).startswith(("ticket.", "article.")) for key in options)
    ):
        values["options"] = {
            f"{'article' if key in _ARTICLE_KEYS else 'ticket'}.{key}": {"value": value}
            for key, value in options.items()
            if key != "form_id"
        }


def _group_refers(column: str) -> Callable[[Call, dict[str, Any]], bool]:
    def check(call: Call, record: dict[str, Any]) -> bool:
        return any(group[column] == record["id"] for group in call.store.tables["groups"].values())

    return check


def _register(
    table: str,
    readers: tuple[str, ...],
    writers: tuple[str, ...],
    check: Check,
    references: Callable[[Call, dict[str, Any]], bool] | None = None,
) -> None:
    def list_records(call: Call) -> Any:
        require_permission(call, *readers)
        return index(call, table, call.store.tables[table].values())

    def show_record(call: Call) -> Any:
        require_permission(call, *readers)
        return show(call, table, call.store.get(table, call.int_param("id")))

    def create_record(call: Call) -> Any:
        require_permission(call, *writers)
        values = clean_params(call, table, call.body())
        check(call, values, None)
        return created(call, table, call.store.insert(table, values, call.actor["id"]))

    def update(call: Call) -> Any:
        require_permission(call, *writers)
        record = call.store.get(table, call.int_param("id"))
        values = clean_params(call, table, call.body())
        check(call, values, record)
        return show(call, table, update_record(call, table, record, values))

    def delete_record(call: Call) -> Any:
        require_permission(call, *writers)
        record = call.store.get(table, call.int_param("id"))
        if table == "email_addresses":  # Zammad clears the groups' reference instead
            for group in call.store.tables["groups"].values():
                if group["email_address_id"] == record["id"]:
                    update_record(call, "groups", group, {"email_address_id": None})
        refers = (lambda r: references(call, r)) if references is not None else None
        return destroy(call, table, record, references=refers)

    route("GET", f"/{table}")(list_records)
    route("GET", f"/{table}/{{id}}")(show_record)
    route("POST", f"/{table}")(create_record)
    route("PUT", f"/{table}/{{id}}")(update)
    route("DELETE", f"/{table}/{{id}}")(delete_record)


_register("email_addresses", ("ticket.agent", "admin.channel_email"), ("admin.channel_email",),
          _email_address)  # fmt: skip
_register("signatures", ("ticket.agent", "admin.channel_email"), ("admin.channel_email",),
          _required("name"), _group_refers("signature_id"))  # fmt: skip
_register("text_modules", ("ticket.agent", "admin.text_module"), ("admin.text_module",),
          _required("name", "content"))  # fmt: skip
_register("templates", ("ticket.agent", "admin.template"), ("admin.template",), _template)
