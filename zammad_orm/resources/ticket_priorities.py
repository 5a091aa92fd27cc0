"""Ticket priorities (``/ticket_priorities``): 1 low, 2 normal, 3 high, ..."""

from __future__ import annotations

from zammad_orm.fields import Field
from zammad_orm.lookup import LookupManager
from zammad_orm.resource import Resource

__all__ = ["Priorities", "Priority"]


class Priority(Resource):
    """A ticket priority."""

    __slots__ = ()
    manager_name = "ticket_priorities"
    asset_key = "TicketPriority"

    name = Field[str](doc="The priority's name, e.g. ``2 normal``.")
    default_create = Field[bool](doc="Whether new tickets get it.")
    ui_icon = Field[str | None](doc="The icon the web UI shows.")
    ui_color = Field[str | None](doc="The color the web UI shows.")
    note = Field[str | None](doc="A note for admins.")
    active = Field[bool](doc="Whether it can be chosen.")


class Priorities(LookupManager[Priority]):
    """Manages the ``/ticket_priorities`` endpoint; names resolve from one cached list."""

    resource_class = Priority
    endpoint = "ticket_priorities"
