"""Time accountings (``/time_accountings``) and their activity types
(``/time_accounting/types``): time booked on tickets."""

from __future__ import annotations

from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING

from zammad_orm.fields import Field, Relation
from zammad_orm.lookup import LookupManager
from zammad_orm.manager import Manager
from zammad_orm.resource import Resource

if TYPE_CHECKING:
    from zammad_orm.resources.articles import Article
    from zammad_orm.resources.tickets import Ticket

__all__ = ["TimeAccounting", "TimeAccountingType", "TimeAccountingTypes", "TimeAccountings"]


class TimeAccountingType(Resource):
    """An activity type of bookings (``Billable``, ``Research``, ...)."""

    __slots__ = ()
    manager_name = "time_accountings.types"
    asset_key = "TicketTimeAccountingType"

    name = Field[str](doc="The type's name.")
    note = Field[str | None](doc="A note for admins.")
    active = Field[bool](doc="Whether bookings can take it.")


class TimeAccountingTypes(LookupManager[TimeAccountingType]):
    """Manages ``/time_accounting/types``: names resolve from one cached list (Zammad has no
    request for a single type, so reading one reads the list)."""

    resource_class = TimeAccountingType
    endpoint = "time_accounting/types"
    can_delete = False
    refusal_hint = "Zammad never deletes time accounting types; set active = False instead"


class TimeUnitField(Field[str]):
    """A booked amount: a decimal string on the wire (``"1.5"``); numbers are taken too."""

    def assign(self, instance: Resource, value: str | int | float | Decimal) -> None:
        if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
            raise TypeError(
                f"{type(instance).__name__}.{self.attribute} takes a number or a decimal "
                f"string such as '1.5', got {value!r}"
            )
        super().assign(instance, str(value))


class TimeAccounting(Resource):
    """Time booked on a ticket, optionally for one of its articles. Assign :attr:`type` by
    object, id or name (names resolve locally from the types' list)."""

    __slots__ = ()
    manager_name = "time_accountings"
    asset_key = "TicketTimeAccounting"
    label_field = "time_unit"

    ticket: Relation[Ticket] = Relation("tickets", doc="The ticket the time is booked on.")
    ticket_article: Relation[Article] = Relation(
        "ticket_articles", doc="The article the time belongs to, if any."
    )
    time_unit = TimeUnitField(doc='The amount, a decimal string such as ``"1.5"``.')
    type: Relation[TimeAccountingType] = Relation(
        "time_accountings.types", id_field="type_id", doc="The activity type, if any."
    )

    def _create_path(self) -> tuple[object, ...]:
        """A booking of a known ticket goes to Zammad's documented per-ticket route."""
        ticket_id = self._held_value("ticket_id")
        if isinstance(ticket_id, int) and not isinstance(ticket_id, bool):
            return ("tickets", ticket_id, self.manager.endpoint)
        return super()._create_path()

    def _after_write(self, action: str) -> None:
        """A booking changes its ticket's ``time_unit``: the ticket loads again."""
        ticket_id = self._data.get("ticket_id")
        if isinstance(ticket_id, int):
            self.client.tickets.invalidate(ticket_id)


class TimeAccountings(Manager[TimeAccounting]):
    """Manages the ``/time_accountings`` endpoint; :attr:`types` manages the activity
    types."""

    resource_class = TimeAccounting
    endpoint = "time_accountings"

    @cached_property
    def types(self) -> TimeAccountingTypes:
        """Manages the ``/time_accounting/types`` endpoint."""
        return TimeAccountingTypes(self.client)
