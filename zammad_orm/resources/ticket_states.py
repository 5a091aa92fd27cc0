"""Ticket states (``/ticket_states``): new, open, pending reminder, closed, ..."""

from __future__ import annotations

from zammad_orm.fields import Field, Relation
from zammad_orm.lookup import LookupManager
from zammad_orm.resource import Resource

__all__ = ["State", "States"]


class State(Resource):
    """A ticket state; its :attr:`state_type_id` says what the state means to Zammad."""

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


class States(LookupManager[State]):
    """Manages the ``/ticket_states`` endpoint; names resolve from one cached list."""

    resource_class = State
    endpoint = "ticket_states"
