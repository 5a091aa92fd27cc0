"""How the fake server renders records: Zammad's three shapes, ``assets`` and pagination.

* ``plain``: the columns (``GET /tickets/1``);
* ``ids``: plus the ids of related lists (``article_ids``, ``member_ids``, ...), what Zammad
  calls ``attributes_with_association_ids`` (create, update and search replies, assets);
* ``expand``: plus the names of related records beside their ids (``?expand=true``).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal

from zammad_orm.testing.models import TABLES
from zammad_orm.testing.seed import ARTICLE_SENDERS, ARTICLE_TYPES, STATE_TYPES
from zammad_orm.testing.store_access import PERMISSIONS

if TYPE_CHECKING:
    from zammad_orm.testing.router import Call
    from zammad_orm.testing.store import Store

__all__ = ["Shape", "assets_of", "clone", "paginate", "render", "render_many", "sort_records"]

Shape = Literal["plain", "ids", "expand"]

#: per table: foreign key column -> (expanded key, table or fixed name map)
_BELONGS_TO: dict[str, dict[str, tuple[str, str | dict[int, str]]]] = {
    "tickets": {
        "group_id": ("group", "groups"),
        "organization_id": ("organization", "organizations"),
        "state_id": ("state", "ticket_states"),
        "priority_id": ("priority", "ticket_priorities"),
        "owner_id": ("owner", "users"),
        "customer_id": ("customer", "users"),
        "create_article_type_id": ("create_article_type", ARTICLE_TYPES),
        "create_article_sender_id": ("create_article_sender", ARTICLE_SENDERS),
    },
    "ticket_articles": {
        "type_id": ("type", ARTICLE_TYPES),
        "sender_id": ("sender", ARTICLE_SENDERS),
        "origin_by_id": ("origin_by", "users"),
    },
    "users": {
        "organization_id": ("organization", "organizations"),
        "out_of_office_replacement_id": ("out_of_office_replacement", "users"),
    },
    "groups": {"parent_id": ("parent", "groups")},
    "ticket_states": {
        "state_type_id": ("state_type", STATE_TYPES),
        "next_state_id": ("next_state", "ticket_states"),
    },
    "online_notifications": {"user_id": ("user", "users")},
}

_USER_CONTACT_KEYS = (
    "address", "city", "country", "department", "fax", "mobile", "note", "phone", "street",
    "web", "zip",
)  # fmt: skip


def _label(store: Store, table: str, ident: Any) -> str | None:
    record = store.tables[table].get(ident) if isinstance(ident, int) else None
    if record is None:
        return None
    return str(record[TABLES[table].label if table == "users" else "name"])


def _derived_ids(store: Store, table: str, record: dict[str, Any]) -> dict[str, Any]:
    """The related id lists Zammad adds to a record of ``table``."""
    ident = record["id"]
    if table == "tickets":
        return {
            "article_ids": store.tables["ticket_articles"].index("ticket_id").ids(ident),
            "ticket_time_accounting_ids": (
                store.tables["time_accountings"].index("ticket_id").ids(ident)
            ),
        }
    if table == "organizations":
        users = store.tables["users"].values()
        return {
            "member_ids": sorted(user["id"] for user in users if user["organization_id"] == ident),
            "secondary_member_ids": sorted(
                user["id"] for user in users if ident in user["organization_ids"]
            ),
        }
    if table == "groups":
        return {
            "user_ids": sorted(
                user["id"]
                for user in store.tables["users"].values()
                if str(ident) in user["group_ids"]
            )
        }
    return {}


def _attachments(store: Store, article_id: int) -> list[dict[str, Any]]:
    return [
        {
            "id": stored.id,
            "store_file_id": stored.id,
            "filename": stored.filename,
            "size": str(len(stored.data)),
            "preferences": {"Mime-Type": stored.mime_type},
        }
        for stored in store.files.values()
        if stored.article_id == article_id
    ]


def _names(store: Store, table: str, record: dict[str, Any]) -> dict[str, Any]:
    """The ``expand`` keys of a record of ``table``."""
    names: dict[str, Any] = {}
    for column, (key, target) in _BELONGS_TO.get(table, {}).items():
        value = record.get(column)
        if value is None:
            continue
        label = target.get(value) if isinstance(target, dict) else _label(store, target, value)
        if label is not None:
            names[key] = label
    for column in ("created_by_id", "updated_by_id"):
        if column in record:
            label = _label(store, "users", record[column])
            if label is not None:
                names[column[:-3]] = label
    if table == "tickets":
        if not record.get("ticket_time_accounting_ids"):
            names["ticket_time_accounting"] = []
        if not record.get("article_ids"):
            names["articles"] = []
    elif table == "users":
        names["roles"] = [_label(store, "roles", ident) for ident in record["role_ids"]]
        names["organizations"] = [
            _label(store, "organizations", ident) for ident in record["organization_ids"]
        ]
        names["groups"] = _group_names(store, record["group_ids"])
        names.update(two_factor_preferences=[], authorizations=[], overview_sortings=[])
    elif table == "roles":
        names["permissions"] = [PERMISSIONS.get(ident, "") for ident in record["permission_ids"]]
        names["groups"] = _group_names(store, record["group_ids"])
        names["knowledge_base_permissions"] = []
    elif table == "organizations":
        names["members"] = [_label(store, "users", ident) for ident in record["member_ids"]]
        names["secondary_members"] = [
            _label(store, "users", ident) for ident in record["secondary_member_ids"]
        ]
    elif table == "groups":
        names["users"] = [_label(store, "users", ident) for ident in record["user_ids"]]
    elif table == "online_notifications":
        names["object"] = "Ticket"
        names["type"] = {2: "create", 3: "update", 4: "escalation", 5: "reminder_reached"}.get(
            record["type_lookup_id"], "update"
        )
    return names


def _group_names(store: Store, group_ids: dict[str, list[str]]) -> dict[str, list[str]]:
    named: dict[str, list[str]] = {}
    for ident, access in group_ids.items():
        label = _label(store, "groups", int(ident))
        if label is not None:
            named[label] = list(access)
    return named


def clone(value: Any) -> Any:
    """A deep copy of JSON-shaped data (dicts, lists, scalars), much faster than
    :func:`copy.deepcopy` on the many small records a list renders."""
    if isinstance(value, dict):
        return {key: clone(item) for key, item in value.items()}
    if isinstance(value, list):
        return [clone(item) for item in value]
    return value


def render(
    store: Store, table: str, record: dict[str, Any], shape: Shape = "ids", *, me: bool = False
) -> dict[str, Any]:
    """``record`` of ``table`` in ``shape``, as a fresh dict safe to send."""
    rendered: dict[str, Any] = clone(record)
    if table == "ticket_articles":
        rendered["attachments"] = _attachments(store, record["id"])
        if shape != "ids":
            rendered["time_unit"] = _article_time_unit(store, record["id"])
            rendered.update(_names(store, table, rendered))
        return rendered
    if shape != "plain" or table in ("organizations", "groups"):
        rendered.update(_derived_ids(store, table, record))
    if table == "users" and me:
        for key in _USER_CONTACT_KEYS:
            rendered.pop(key, None)
    if shape == "expand":
        rendered.update(_names(store, table, rendered))
    return rendered


def _article_time_unit(store: Store, article_id: int) -> str | None:
    for entry in store.tables["time_accountings"].index("ticket_article_id").records(article_id):
        return str(entry["time_unit"])
    return None


def render_many(
    store: Store, table: str, records: Iterable[dict[str, Any]], shape: Shape = "ids"
) -> list[dict[str, Any]]:
    """Each of ``records`` rendered in ``shape``."""
    return [render(store, table, record, shape) for record in records]


# -- assets ------------------------------------------------------------------------------------


def assets_of(store: Store, items: Iterable[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """Zammad's ``assets`` hash for ``(table, record)`` pairs and what they refer to: every
    record brings the users who created and last updated it; a ticket its group, organization,
    owner and customer; a user its roles and organizations; an organization its members.
    Records are keyed by string id, in id order."""
    assets: dict[str, dict[str, Any]] = {}
    pending = list(items)
    while pending:
        table, record = pending.pop()
        bucket = assets.setdefault(TABLES[table].asset_key, {})
        key = str(record["id"])
        if key in bucket:
            continue
        bucket[key] = render(store, table, record, "ids")
        pending.extend(_asset_references(store, table, record))
    return {
        name: dict(sorted(bucket.items(), key=lambda item: int(item[0])))
        for name, bucket in sorted(assets.items())
    }


def _asset_references(
    store: Store, table: str, record: dict[str, Any]
) -> list[tuple[str, dict[str, Any]]]:
    def lookup(target: str, ident: Any) -> list[tuple[str, dict[str, Any]]]:
        found = store.tables[target].get(ident) if isinstance(ident, int) else None
        return [(target, found)] if found is not None else []

    refs: list[tuple[str, dict[str, Any]]] = []
    for column in ("created_by_id", "updated_by_id"):
        refs += lookup("users", record.get(column))
    if table == "tickets":
        for column in ("owner_id", "customer_id"):
            refs += lookup("users", record[column])
        refs += lookup("groups", record["group_id"])
        refs += lookup("organizations", record["organization_id"])
    elif table == "users":
        for role_id in record["role_ids"]:
            refs += lookup("roles", role_id)
        refs += lookup("organizations", record["organization_id"])
        for organization_id in record["organization_ids"]:
            refs += lookup("organizations", organization_id)
    elif table == "organizations":
        for user in store.tables["users"].values():
            if user["organization_id"] == record["id"]:
                refs.append(("users", user))
    elif table == "ticket_articles":
        refs += lookup("tickets", record["ticket_id"])
    return refs


# -- lists -------------------------------------------------------------------------------------


def sort_records(
    records: Sequence[dict[str, Any]],
    sort_by: str | None,
    order_by: str | None,
    *,
    default: tuple[str, str],
    columns: Iterable[str],
) -> list[dict[str, Any]]:
    """``records`` sorted as ``sort_by``/``order_by`` (comma-separated lists) say.

    An unknown column or direction is a plain error in Zammad, hence a 500 here too.
    """
    fields = [part.strip() for part in (sort_by or default[0]).split(",") if part.strip()]
    orders = [part.strip().lower() for part in (order_by or default[1]).split(",") if part.strip()]
    known = set(columns) | {"id", "created_at", "updated_at"}
    result = list(records)
    for index in reversed(range(len(fields))):
        name = fields[index]
        order = orders[index] if index < len(orders) else orders[-1] if orders else "asc"
        if name not in known:
            raise RuntimeError(f"Found invalid column '{name}' for sorting.")
        if order not in ("asc", "desc"):
            raise RuntimeError(f"Found invalid order by value {order}. Please use 'asc' or 'desc'.")
        result.sort(key=_sort_key(name), reverse=order == "desc")
    return result


def _sort_key(name: str) -> Callable[[dict[str, Any]], Any]:
    if name == "id":
        return operator.itemgetter("id")  # never null, never text: the plain value sorts

    def key(record: dict[str, Any]) -> tuple[int, Any]:
        value = record.get(name)
        if value is None:
            return (0, "")
        if isinstance(value, str):
            return (1, value.lower())
        return (1, value)

    return key


def paginate(call: Call, records: Sequence[Any], *, default: int, maximum: int) -> list[Any]:
    """The page of ``records`` that ``page`` and ``per_page`` (or ``limit``) ask for, with
    Zammad's default page size and its silent cap."""
    wanted = call.param("per_page")
    if wanted is None or wanted == "":
        wanted = call.param("limit")
    if str(wanted).strip() == "0":
        return []  # a LIMIT 0 query
    size = min(_positive(wanted, default), maximum)
    page = _positive(call.param("page"), 1)
    start = (page - 1) * size
    return list(records[start : start + size])


def _positive(raw: Any, default: int) -> int:
    """``raw`` as a positive int, else ``default`` (Ruby's lenient ``to_i`` never raises)."""
    try:
        value = int(raw) if raw not in (None, "") else default
    except (TypeError, ValueError):
        return default
    return value if value > 0 else default
