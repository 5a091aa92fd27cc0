"""What Zammad's generic controllers do, for any table: index, show, create, update, destroy,
name-to-id conversion of associations and the clean-up of incoming parameters."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from zammad_orm.testing.casting import cast_columns
from zammad_orm.testing.custom_fields import checked_values
from zammad_orm.testing.history import log_changes
from zammad_orm.testing.http import ApiError, Reply, json_reply, unprocessable
from zammad_orm.testing.models import TABLES
from zammad_orm.testing.render import assets_of, paginate, render, render_many, sort_records
from zammad_orm.testing.router import Call
from zammad_orm.testing.seed import ARTICLE_SENDERS, ARTICLE_TYPES, STATE_TYPES

__all__ = [
    "READ_ONLY",
    "check_name",
    "clean_params",
    "convert_names",
    "destroy",
    "index",
    "member_ids",
    "require_permission",
    "show",
    "update_record",
]

#: columns no request may set (Zammad strips them unless in import mode)
READ_ONLY = frozenset(
    {"id", "created_at", "updated_at", "created_by_id", "updated_by_id", "created_by", "updated_by"}
)

#: per table: name key -> (id column, table or fixed name map); users are found by login/email
ASSOCIATIONS: dict[str, dict[str, tuple[str, str | dict[int, str]]]] = {
    "tickets": {
        "group": ("group_id", "groups"),
        "state": ("state_id", "ticket_states"),
        "priority": ("priority_id", "ticket_priorities"),
        "organization": ("organization_id", "organizations"),
        "owner": ("owner_id", "users"),
        "customer": ("customer_id", "users"),
    },
    "ticket_articles": {
        "type": ("type_id", ARTICLE_TYPES),
        "sender": ("sender_id", ARTICLE_SENDERS),
        "origin_by": ("origin_by_id", "users"),
    },
    "users": {
        "organization": ("organization_id", "organizations"),
        "out_of_office_replacement": ("out_of_office_replacement_id", "users"),
    },
    "time_accountings": {"type": ("type_id", "time_accounting_types")},
    "ticket_states": {
        "state_type": ("state_type_id", STATE_TYPES),
        "next_state": ("next_state_id", "ticket_states"),
    },
    "groups": {"parent": ("parent_id", "groups")},
}

#: id columns whose target must exist (Zammad validates those with a class_name)
VALIDATED = {
    "tickets": {
        "state_id": "ticket_states",
        "priority_id": "ticket_priorities",
        "owner_id": "users",
        "customer_id": "users",
        "group_id": "groups",
        "organization_id": "organizations",
    },
    "users": {"organization_id": "organizations", "out_of_office_replacement_id": "users"},
    "ticket_states": {"next_state_id": "ticket_states"},
}

#: per table: list key -> (ids column, table), e.g. ``roles: ["Agent"]`` for ``role_ids``
LIST_ASSOCIATIONS: dict[str, dict[str, tuple[str, str]]] = {
    "users": {
        "roles": ("role_ids", "roles"),
        "organizations": ("organization_ids", "organizations"),
    },
}


def require_permission(call: Call, *permissions: str) -> None:
    """403 ``Not authorized (user)!`` unless the actor has one of ``permissions``."""
    if not any(call.store.has_permission(call.actor, wanted) for wanted in permissions):
        raise ApiError(403, "Not authorized (user)!")


def _lookup(call: Call, target: str | dict[int, str], key: str, value: Any) -> int:
    if isinstance(target, dict):
        for ident, name in target.items():
            if name == value:
                return ident
        raise unprocessable(f"No lookup value found for '{key}': \"{value}\"")
    if target == "users":
        if not isinstance(value, str):
            raise unprocessable(f"String is needed as ref value {value} for '{key}'")
        user = call.store.find_user(value)
        if user is None:
            raise unprocessable(f"No lookup value found for '{key}': \"{value}\"")
        return int(user["id"])
    record = call.store.find(target, name=value)
    if record is None:
        raise unprocessable(f"No lookup value found for '{key}': \"{value}\"")
    return int(record["id"])


def convert_names(call: Call, table: str, params: dict[str, Any]) -> dict[str, Any]:
    """Zammad's ``association_name_to_id_convert``: ``group: "Users"`` becomes
    ``group_id: 1``; when both are given the id wins."""
    converted = dict(params)
    for key, (column, target) in ASSOCIATIONS.get(table, {}).items():
        if key not in converted:
            continue
        value = converted.pop(key)
        if converted.get(column) is not None:
            continue
        if value is None:  # a null name clears the association, as a null id does
            converted.setdefault(column, None)
            continue
        if isinstance(value, Mapping):
            continue  # a hash (e.g. a new customer) is the endpoint's business
        converted[column] = _lookup(call, target, key, value)
    for key, (column, target) in LIST_ASSOCIATIONS.get(table, {}).items():
        if key not in converted:
            continue
        values = converted.pop(key)
        if column in converted:
            continue
        if not isinstance(values, list):
            raise unprocessable(f"Invalid value for param '{key}': {values!r}")
        converted[column] = [
            value if isinstance(value, int) else _lookup(call, target, key, value)
            for value in values
        ]
    if table in ("users", "roles") and isinstance(converted.get("groups"), Mapping):
        groups = converted.pop("groups")
        converted.setdefault(
            "group_ids",
            {
                str(_lookup(call, "groups", "groups", name)): access
                for name, access in groups.items()
            },
        )
    return converted


def clean_params(call: Call, table: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """Keep the columns of ``table`` (minus the read-only ones), converted from names, with
    their referenced records checked."""
    converted = convert_names(call, table, dict(params))
    columns = TABLES[table].columns
    cleaned = cast_columns(
        columns,
        {key: value for key, value in converted.items() if key in columns and key not in READ_ONLY},
    )
    cleaned.update(checked_values(call, table, converted))
    for column, target in VALIDATED.get(table, {}).items():
        value = cleaned.get(column)
        if value is None or value == "":
            continue
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or value not in call.store.tables[target]
        ):
            raise unprocessable(f"Invalid value for param '{column}': {value}")
    for column, (_key_table) in LIST_ASSOCIATIONS.get(table, {}).values():
        for ident in cleaned.get(column, []) or []:
            if ident not in call.store.tables[_key_table]:
                raise unprocessable(f"No value found for '{column[:-4]}s' with id {ident}")
    return cleaned


def member_ids(call: Call, key: str, target: str) -> list[int] | None:
    """The ids a ``<key>_ids`` (or ``<key>s`` by name) parameter lists, checked as Zammad's
    ``associations_from_param`` does; None when the request does not name them."""
    body = call.body()
    if f"{key}_ids" in body:
        values, names = body[f"{key}_ids"], False
    elif f"{key}s" in body:
        values, names = body[f"{key}s"], True
    else:
        return None
    if not isinstance(values, list):
        raise unprocessable(f"Invalid value for param '{key}_ids': {values!r}")
    ids = []
    for value in values:
        ident = _lookup(call, target, f"{key}s", value) if names else value
        if isinstance(ident, bool) or not isinstance(ident, int):
            raise unprocessable(f"Invalid value for param '{key}_ids': {value!r}")
        if ident not in call.store.tables[target]:
            raise unprocessable(f"No value found for '{key}s' with id {ident}")
        ids.append(ident)
    return ids


def check_name(call: Call, table: str, params: Mapping[str, Any], ident: int | None) -> None:
    """422 for a blank name on create, or a name another record of ``table`` has."""
    name = params.get("name")
    if ident is None and (not isinstance(name, str) or not name.strip()):
        raise unprocessable("Name can't be blank")
    clash = call.store.find(table, name=name) if name is not None else None
    if clash is not None and clash["id"] != ident:
        raise unprocessable("Name has already been taken")


def index(
    call: Call,
    table: str,
    records: Iterable[dict[str, Any]],
    *,
    default: int = 500,
    maximum: int = 1000,
    total_count: bool = True,
    plain: bool = False,
) -> Any:
    """Zammad's ``model_index_render``: a page of records, ``expand``ed or ``full``
    (``plain`` renders bare columns, as the ticket index does)."""
    ordered = sort_records(
        list(records),
        call.param("sort_by"),
        call.param("order_by"),
        default=("id", "asc"),
        columns=TABLES[table].columns,
    )
    page = paginate(call, ordered, default=default, maximum=maximum)
    if call.flag("full"):
        body: dict[str, Any] = {
            "record_ids": [record["id"] for record in page],
            "assets": assets_of(call.store, ((table, record) for record in page)),
        }
        if total_count:
            body["total_count"] = len(ordered)
        return body
    if call.flag("expand"):
        return render_many(call.store, table, page, "expand")
    return render_many(call.store, table, page, "plain" if plain else "ids")


def show(call: Call, table: str, record: dict[str, Any], *, plain: bool = False) -> Any:
    """Zammad's ``model_show_render``: one record, ``expand``ed or ``full``."""
    if call.flag("full"):
        return {"id": record["id"], "assets": assets_of(call.store, [(table, record)])}
    if call.flag("expand"):
        return render(call.store, table, record, "expand")
    return render(call.store, table, record, "plain" if plain else "ids")


def created(call: Call, table: str, record: dict[str, Any]) -> Reply:
    """201 with the new record, in the shape the request asked for."""
    return json_reply(201, show(call, table, record))


def update_record(
    call: Call, table: str, record: dict[str, Any], changes: Mapping[str, Any]
) -> dict[str, Any]:
    """Apply cleaned ``changes`` as a partial update (Zammad's ``model_update_render``): only
    what differs is written, and only then are the timestamps bumped."""
    differing = {key: value for key, value in changes.items() if record.get(key) != value}
    if differing:
        log_changes(call.store, table, record, differing, call.actor["id"])
        record.update(differing)
        call.store.touch(table, record, call.actor["id"])
    return record


def destroy(
    call: Call,
    table: str,
    record: dict[str, Any],
    *,
    references: Callable[[dict[str, Any]], bool] | None = None,
) -> Any:
    """Zammad's ``model_destroy_render``: 422 while referenced, else delete and answer ``{}``."""
    if references is not None and references(record):
        raise unprocessable("Can't delete, object has references.")
    del call.store.tables[table][record["id"]]
    return {}
