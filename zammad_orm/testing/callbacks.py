"""What Zammad's Ticket and Ticket::Article models do by themselves when saved.

The endpoints decide what a request may change; these functions then add what Zammad's model
callbacks derive from it: the organization that follows the customer, the pending time that
only pending states keep, the close and owner-change timestamps and the last contact times.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zammad_orm.testing.store import Store

__all__ = [
    "CLOSED_TYPES",
    "PENDING_TYPES",
    "after_article_created",
    "after_ticket_saved",
    "derived_ticket_values",
    "update_last_owner_time",
]

#: state types whose tickets need a ``pending_time`` (pending reminder, pending action)
PENDING_TYPES = frozenset({3, 4})
#: state types that close a ticket (closed, merged)
CLOSED_TYPES = frozenset({5, 6})
#: article types that are a communication with the customer (not note)
_COMMUNICATION_TYPES = frozenset(range(1, 15)) - {10}
_AGENT, _CUSTOMER = 1, 2


def _state_type(store: Store, state_id: Any) -> int | None:
    state = store.tables["ticket_states"].get(state_id) if isinstance(state_id, int) else None
    return int(state["state_type_id"]) if state is not None else None


def derived_ticket_values(
    store: Store, before: Mapping[str, Any], changes: Mapping[str, Any]
) -> dict[str, Any]:
    """``changes`` plus what Zammad's ``check_defaults`` and ``reset_pending_time`` derive
    from them, for a ticket that was ``before`` (``{}`` on create)."""
    derived = dict(changes)
    after = {**before, **changes}
    customer_id = after.get("customer_id")
    customer = store.tables["users"].get(customer_id) if isinstance(customer_id, int) else None
    if customer is not None:
        own = {customer["organization_id"], *customer["organization_ids"]} - {None}
        if after.get("organization_id") not in own:
            derived["organization_id"] = customer["organization_id"]
    leaves_pending = (
        before.get("state_id") != after.get("state_id")
        and _state_type(store, after.get("state_id")) not in PENDING_TYPES
    )
    if leaves_pending and after.get("pending_time") is not None:
        derived["pending_time"] = None
    return {
        key: value for key, value in derived.items() if key not in before or before[key] != value
    }


def after_ticket_saved(
    store: Store, ticket: dict[str, Any], before: Mapping[str, Any], now: str
) -> None:
    """Set the timestamps Zammad keeps of a ticket's life: ``close_at`` (first close),
    ``last_close_at`` (latest close) and ``last_owner_update_at``."""
    closes = before.get("state_id") != ticket["state_id"] and (
        _state_type(store, ticket["state_id"]) in CLOSED_TYPES
    )
    if closes:
        ticket["close_at"] = ticket["close_at"] or now
        ticket["last_close_at"] = now
    update_last_owner_time(store, ticket, before, now)


#: state types an owner works on (``Ticket::State.by_category(:work_on)``: new, open)
_WORK_ON_TYPES = frozenset({1, 2})
_OWNER_CLOCK_COLUMNS = ("owner_id", "state_id", "group_id", "last_contact_agent_at")


def update_last_owner_time(
    store: Store, ticket: dict[str, Any], before: Mapping[str, Any], now: str
) -> None:
    """Zammad's ``Ticket::SetsLastOwnerUpdateTime``: when the owner, state, group or the last
    agent contact changes, ``last_owner_update_at`` becomes now, or null when the owner is
    now nobody (1), the new group has no ``assignment_timeout`` or the new state is not one
    an owner works on (new, open). ``before`` is ``{}`` on create, where the owner, state and
    group all count as changed."""
    changed = {
        column
        for column in _OWNER_CLOCK_COLUMNS
        if column in ticket and (not before or before.get(column) != ticket[column])
    }
    if not before:
        changed.discard("last_contact_agent_at")
    if not changed:
        return
    group = store.tables["groups"].get(ticket["group_id"])
    clears = (
        ("owner_id" in changed and ticket["owner_id"] == 1)
        or ("group_id" in changed and group is not None and not group["assignment_timeout"])
        or ("state_id" in changed and _state_type(store, ticket["state_id"]) not in _WORK_ON_TYPES)
    )
    ticket["last_owner_update_at"] = None if clears else now


def after_article_created(ticket: dict[str, Any], article: Mapping[str, Any]) -> None:
    """Zammad's last-contact observer: a public communication (not a note) from the customer
    or an agent sets ``last_contact_at`` and the sender's own contact time."""
    if article["internal"] or article["type_id"] not in _COMMUNICATION_TYPES:
        return
    when = article["created_at"]
    if article["sender_id"] == _CUSTOMER:
        ticket["last_contact_customer_at"] = when
    elif article["sender_id"] == _AGENT:
        ticket["last_contact_agent_at"] = when
        ticket["first_response_at"] = ticket["first_response_at"] or when
    else:
        return
    ticket["last_contact_at"] = when
