"""Ticket states (``/ticket_states``): new, open, pending reminder, closed, ..."""

from __future__ import annotations

from typing import Any

from zammad_orm.fields import Field, Relation
from zammad_orm.lookup import LookupManager
from zammad_orm.resource import Resource

__all__ = ["State", "States"]


class State(Resource):
    """A ticket state; its :attr:`state_type_id` says what the state means to Zammad."""

    __slots__ = ()
    manager_name = "ticket_states"
    asset_key = "TicketState"

    name = Field[str](doc="The state's name, e.g. ``closed``.")
    state_type_id = Field[int](
        doc="1 new, 2 open, 3 pending reminder, 4 pending action, 5 closed, 6 merged."
    )
    next_state: Relation[State] = Relation(
        "ticket_states", doc="Where a pending state goes when its time comes."
    )
    ignore_escalation = Field[bool](doc="Whether tickets in it do not escalate.")
    default_create = Field[bool](doc="Whether new tickets get it.")
    default_follow_up = Field[bool](doc="Whether a follow-up reopens into it.")
    note = Field[str | None](doc="A note for admins.")
    active = Field[bool](doc="Whether it can be chosen.")

    @property
    def state_type(self) -> str | None:
        """What the state means to Zammad, by name: ``new``, ``open``, ``pending reminder``,
        ``pending action``, ``closed``, ``merged`` or ``removed``. Reading it for every state
        costs one request at most (the table is read with its names). Assign a name to
        change it (Zammad resolves it)."""
        if "state_type" in self._pending:
            return str(self._pending["state_type"])
        if "state_type_id" in self._pending:
            return None  # the id changed: its name is known after the save
        states: States = self._client.ticket_states
        name: Any = states._expanded_name(self, "state_type")
        return None if name is None else str(name)

    @state_type.setter
    def state_type(self, name: str) -> None:
        if not isinstance(name, str) or not name.strip():
            raise TypeError(f"state_type takes a state type name such as 'closed', got {name!r}")
        self._write_field("state_type", name, replaces="state_type_id")


class States(LookupManager[State]):
    """Manages the ``/ticket_states`` endpoint; names resolve from one cached list."""

    resource_class = State
    endpoint = "ticket_states"
    default_expand = True
