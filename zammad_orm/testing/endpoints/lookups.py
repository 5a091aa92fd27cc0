"""The small tables: ``/groups``, ``/roles``, ``/ticket_states``, ``/ticket_priorities``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zammad_orm.testing.endpoints.common import (
    check_name,
    clean_params,
    created,
    destroy,
    index,
    member_ids,
    require_permission,
    show,
    update_record,
)
from zammad_orm.testing.router import Call, route

#: who may read and who may write each table
_READERS = {
    "groups": ("ticket.agent", "admin.group", "ticket.customer"),
    "roles": ("admin.role",),
    "ticket_states": ("ticket.agent", "admin.object", "ticket.customer"),
    "ticket_priorities": ("ticket.agent", "admin.object", "ticket.customer"),
}
_WRITERS = {
    "groups": ("admin.group",),
    "roles": ("admin.role",),
    "ticket_states": ("admin.object",),
    "ticket_priorities": ("admin.object",),
}


def _referenced(column: str) -> Callable[[Call, dict[str, Any]], bool]:
    def check(call: Call, record: dict[str, Any]) -> bool:
        return any(
            ticket[column] == record["id"] for ticket in call.store.tables["tickets"].values()
        )

    return check


def _group_referenced(call: Call, record: dict[str, Any]) -> bool:
    return _referenced("group_id")(call, record) or any(
        str(record["id"]) in user["group_ids"] for user in call.store.tables["users"].values()
    )


_REFERENCES: dict[str, Callable[[Call, dict[str, Any]], bool]] = {
    "groups": _group_referenced,
    "ticket_states": _referenced("state_id"),
    "ticket_priorities": _referenced("priority_id"),
}


def _named(call: Call, table: str, params: dict[str, Any], ident: int | None) -> None:
    check_name(call, table, params, ident)
    if table == "groups" and params.get("name") is not None:
        params["name_last"] = str(params["name"]).split("::")[-1]


def _group_users(call: Call, table: str) -> list[int] | None:
    return member_ids(call, "user", "users") if table == "groups" else None


def _assign_group_users(call: Call, record: dict[str, Any], users: list[int] | None) -> None:
    """A group's ``user_ids`` replace the users with direct access to it; new ones get
    ``full`` (the default access of Zammad's ``groups_users`` rows)."""
    if users is None:
        return
    key = str(record["id"])
    for user in call.store.tables["users"].values():
        if (user["id"] in users) == (key in user["group_ids"]):
            continue
        access = dict(user["group_ids"])
        if user["id"] in users:
            access[key] = ["full"]
        else:
            del access[key]
        user["group_ids"] = access
        call.store.touch("users", user, call.actor["id"])


def _register(table: str, *, deletable: bool = True) -> None:
    def list_records(call: Call) -> Any:
        require_permission(call, *_READERS[table])
        return index(call, table, call.store.tables[table].values())

    def show_record(call: Call) -> Any:
        require_permission(call, *_READERS[table])
        return show(call, table, call.store.get(table, call.int_param("id")))

    def create_record(call: Call) -> Any:
        require_permission(call, *_WRITERS[table])
        params = clean_params(call, table, call.body())
        _named(call, table, params, None)
        users = _group_users(call, table)
        record = call.store.insert(table, params, call.actor["id"])
        _assign_group_users(call, record, users)
        return created(call, table, record)

    def update(call: Call) -> Any:
        require_permission(call, *_WRITERS[table])
        record = call.store.get(table, call.int_param("id"))
        params = clean_params(call, table, call.body())
        _named(call, table, params, record["id"])
        users = _group_users(call, table)
        update_record(call, table, record, params)
        _assign_group_users(call, record, users)
        return show(call, table, record)

    def delete_record(call: Call) -> Any:
        require_permission(call, *_WRITERS[table])
        record = call.store.get(table, call.int_param("id"))
        check = _REFERENCES.get(table)
        return destroy(
            call, table, record, references=(lambda r: check(call, r)) if check else None
        )

    route("GET", f"/{table}")(list_records)
    route("GET", f"/{table}/{{id}}")(show_record)
    route("POST", f"/{table}")(create_record)
    route("PUT", f"/{table}/{{id}}")(update)
    if deletable:
        route("DELETE", f"/{table}/{{id}}")(delete_record)


_register("groups")
_register("roles", deletable=False)
_register("ticket_states")
_register("ticket_priorities")
