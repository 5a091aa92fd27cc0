"""The overviews a new Zammad install has (``db/seeds/overviews.rb``).

State ids follow the seeded states (:mod:`zammad_orm.testing.seed`) grouped as
``Ticket::State.by_category`` does: ``open`` (new, open, pending reminder, pending close),
``work_on_all`` (new, open, pending reminder), ``pending_reminder`` and ``viewable`` (open plus
closed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zammad_orm.testing.store import Store

__all__ = ["seed_overviews"]

_OPEN = [1, 2, 3, 6]
_WORK_ON_ALL = [1, 2, 3]
_PENDING_REMINDER = [3]
_VIEWABLE = [1, 2, 3, 4, 6]
_AGENT, _CUSTOMER = 2, 3
_PENDING_REACHED = {"operator": "before (relative)", "value": 0, "range": "minute"}


def _view(*columns: str, first: str = "title") -> dict[str, Any]:
    listed = [first, *columns]
    return {
        "d": listed,
        "s": listed,
        "m": ["number", *listed] if first == "title" else listed,
        "view_mode_default": "s",
    }


def _state(ids: list[int]) -> dict[str, Any]:
    return {"operator": "is", "value": list(ids)}


def _me(column: str = "current_user.id") -> dict[str, Any]:
    return {"operator": "is", "pre_condition": column}


_AGENT_VIEW = _view("customer", "group", "created_at")

_OVERVIEWS: list[tuple[str, str, int, int, dict[str, Any], str, str, dict[str, Any]]] = [
    ("My assigned Tickets", "my_assigned", 1000, _AGENT,
     {"ticket.state_id": _state(_OPEN), "ticket.owner_id": _me()},
     "created_at", "ASC", _AGENT_VIEW),
    ("Unassigned & Open", "all_unassigned", 1010, _AGENT,
     {"ticket.state_id": _state(_WORK_ON_ALL),
      "ticket.owner_id": {"operator": "is", "pre_condition": "not_set"}},
     "created_at", "ASC", _AGENT_VIEW),
    ("My pending reached Tickets", "my_pending_reached", 1020, _AGENT,
     {"ticket.state_id": _state(_PENDING_REMINDER), "ticket.owner_id": _me(),
      "ticket.pending_time": dict(_PENDING_REACHED)},
     "created_at", "ASC", _AGENT_VIEW),
    ("My mentioned Tickets", "my_mentioned_tickets", 1025, _AGENT,
     {"ticket.mention_user_ids": {"operator": "is", "pre_condition": "current_user.id",
                                  "value": "", "value_completion": ""}},
     "created_at", "ASC", _AGENT_VIEW),
    ("Open", "all_open", 1030, _AGENT, {"ticket.state_id": _state(_WORK_ON_ALL)},
     "created_at", "ASC", _view("customer", "group", "state", "owner", "created_at")),
    ("Pending reached", "all_pending_reached", 1040, _AGENT,
     {"ticket.state_id": _state(_PENDING_REMINDER),
      "ticket.pending_time": dict(_PENDING_REACHED)},
     "created_at", "ASC", _view("customer", "group", "owner", "created_at")),
    ("Escalated", "all_escalated", 1050, _AGENT,
     {"ticket.escalation_at": {"operator": "before (relative)", "value": "10",
                               "range": "minute"}},
     "escalation_at", "ASC", _view("customer", "group", "owner", "escalation_at")),
    ("My replacement Tickets", "my_replacement_tickets", 1080, _AGENT,
     {"ticket.state_id": _state(_OPEN), "ticket.out_of_office_replacement_id": _me()},
     "created_at", "DESC", _view("customer", "group", "owner", "escalation_at")),
    ("My Tickets", "my_tickets", 1100, _CUSTOMER,
     {"ticket.state_id": _state(_VIEWABLE), "ticket.customer_id": _me()},
     "created_at", "DESC",
     {"d": ["title", "customer", "state", "created_at"],
      "s": ["number", "title", "state", "created_at"],
      "m": ["number", "title", "state", "created_at"], "view_mode_default": "s"}),
    ("My Organization Tickets", "my_organization_tickets", 1200, _CUSTOMER,
     {"ticket.state_id": _state(_VIEWABLE),
      "ticket.organization_id": _me("current_user.organization_id")},
     "created_at", "DESC",
     {"d": ["title", "customer", "state", "created_at"],
      "s": ["number", "title", "customer", "state", "created_at"],
      "m": ["number", "title", "customer", "state", "created_at"],
      "view_mode_default": "s"}),
]  # fmt: skip


def seed_overviews(store: Store) -> None:
    """Add Zammad's default overviews to ``store``."""
    for name, link, prio, role_id, condition, by, direction, view in _OVERVIEWS:
        store.insert(
            "overviews",
            {
                "name": name,
                "link": link,
                "prio": prio,
                "role_ids": [role_id],
                "condition": condition,
                "order": {"by": by, "direction": direction},
                "view": view,
                "out_of_office": link == "my_replacement_tickets",
                "organization_shared": link == "my_organization_tickets",
            },
            1,
        )
