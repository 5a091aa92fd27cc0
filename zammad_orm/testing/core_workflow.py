"""Zammad's core-workflow value restrictions on ticket writes, as the REST API enforces them.

Zammad runs its core workflows on every ticket saved through the API (screen ``create_middle``
on create, ``edit`` on update; ``app/models/concerns/checks_core_workflow.rb``) and refuses a
*changed*, non-blank attribute whose value is not among the allowed ones with 422
``Invalid value '<value>' for field '<name>'!``. The allowed values come from
``app/models/core_workflow/attributes/*.rb`` (custom workflows are not modelled):

* ``state_id``: states of type open, closed, pending action or pending reminder; ``new`` only
  on create; never ``merged``;
* ``priority_id``: active priorities;
* ``group_id``: for agents the active groups they have ``create`` access to (on update also
  ``change``); for customers every active group;
* ``owner_id``: the system user 1 and the active agents with ``full`` access to the ticket's
  (new) group, directly or through an agent role.

The ticket's saved value stays allowed for every attribute.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from zammad_orm.testing.http import unprocessable

if TYPE_CHECKING:
    from zammad_orm.testing.store import Store

__all__ = ["check_restricted_values"]

#: state types a ticket may be set to (``new`` only while it is created)
_SETTABLE_STATE_TYPES = frozenset({2, 3, 4, 5})
_NEW_STATE_TYPE = 1


def _state_ids(store: Store, creating: bool) -> set[int]:
    types = _SETTABLE_STATE_TYPES | ({_NEW_STATE_TYPE} if creating else set())
    return {
        ident
        for ident, state in store.tables["ticket_states"].items()
        if state["state_type_id"] in types
    }


def _priority_ids(store: Store) -> set[int]:
    return {
        ident for ident, priority in store.tables["ticket_priorities"].items() if priority["active"]
    }


def _group_ids(store: Store, actor: dict[str, Any], creating: bool) -> set[int]:
    groups = [ident for ident, group in store.tables["groups"].items() if group["active"]]
    if not store.is_agent(actor):
        return set(groups)
    wanted = {"create"} if creating else {"create", "change"}
    return {ident for ident in groups if wanted & store.group_access(actor, ident)}


def _owner_ids(store: Store, group_id: Any) -> set[int]:
    """User 1 and the active agents with ``full`` access to the group (``group_owner_ids``)."""
    if group_id is None:
        return set()
    key = str(group_id)
    full_roles = {
        ident
        for ident, role in store.tables["roles"].items()
        if "full" in role["group_ids"].get(key, [])
    }
    owners = {1}
    for user in store.tables["users"].values():
        if not user["active"] or not store.is_agent(user):
            continue
        if "full" in user["group_ids"].get(key, []) or full_roles & set(user["role_ids"]):
            owners.add(user["id"])
    return owners


def check_restricted_values(
    store: Store,
    actor: dict[str, Any],
    saved: Mapping[str, Any],
    changes: Mapping[str, Any],
) -> None:
    """422 for a changed value core workflow does not allow; ``saved`` is the ticket before the
    change (``{}`` on create), ``changes`` the columns that change."""
    creating = not saved
    selected = {**saved, **changes}
    allowed: dict[str, Callable[[], set[int]]] = {
        "state_id": lambda: _state_ids(store, creating),
        "priority_id": lambda: _priority_ids(store),
        "group_id": lambda: _group_ids(store, actor, creating),
        "owner_id": lambda: _owner_ids(store, selected.get("group_id")),
    }
    for column, values in allowed.items():
        value = changes.get(column)
        if value is None or value == "" or value == saved.get(column):
            continue
        if value not in values():
            raise unprocessable(f"Invalid value '{value}' for field '{column}'!")
