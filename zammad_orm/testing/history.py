"""History entries of users and organizations, as Zammad's ``HasHistory`` writes them: one
``created`` entry, then one ``updated`` entry per changed attribute (ids named by the related
record's name, or a user's full name)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from zammad_orm.testing.models import TABLES

if TYPE_CHECKING:
    from zammad_orm.testing.store import Store

__all__ = ["HISTORIZED", "log_changes", "log_created"]

#: the tables whose changes this module records (tickets keep their own entries), with the
#: attributes each leaves out (``history_attributes_ignored``)
HISTORIZED: dict[str, frozenset[str]] = {
    "users": frozenset({"password", "last_login", "image", "image_source", "preferences"}),
    "organizations": frozenset(),
}
_RELATED = {"organization_id": "organizations", "out_of_office_replacement_id": "users"}


def log_created(store: Store, table: str, record: Mapping[str, Any], actor_id: int) -> None:
    """The ``created`` entry of a new record of a historized table."""
    if table in HISTORIZED:
        store.add_history(record["id"], TABLES[table].model, "created", actor_id)


def _name(store: Store, column: str, value: Any) -> Any:
    target = _RELATED.get(column)
    related = store.tables[target].get(value) if target and isinstance(value, int) else None
    if related is None:
        return value
    if target == "users":
        return f"{related['firstname']} {related['lastname']}".strip()
    return related["name"]


def log_changes(
    store: Store,
    table: str,
    record: Mapping[str, Any],
    changes: Mapping[str, Any],
    actor_id: int,
) -> None:
    """One ``updated`` entry per attribute of ``changes`` that differs from ``record``."""
    ignored = HISTORIZED.get(table)
    if ignored is None:
        return
    for column, value in changes.items():
        if column in ignored or record.get(column) == value:
            continue
        is_id = column.endswith("_id")
        before = record.get(column)
        store.add_history(
            record["id"], TABLES[table].model, "updated", actor_id,
            attribute=column[:-3] if is_id else column,
            value_from="" if before is None else _name(store, column, before),
            value_to="" if value is None else _name(store, column, value),
            id_from=before if is_id else None,
            id_to=value if is_id else None,
        )  # fmt: skip
