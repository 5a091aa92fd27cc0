"""Time accountings (``/time_accountings``): time booked on tickets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zammad_orm.fields import Field, Relation
from zammad_orm.manager import Manager
from zammad_orm.resource import Resource

if TYPE_CHECKING:
    from zammad_orm.resources.articles import Article
    from zammad_orm.resources.tickets import Ticket

__all__ = ["TimeAccounting", "TimeAccountings"]


class TimeAccounting(Resource):
    """Time booked on a ticket, optionally for one of its articles."""

    manager_name = "time_accountings"
    asset_key = "TicketTimeAccounting"
    label_field = "time_unit"

    ticket: Relation[Ticket] = Relation("tickets", doc="The ticket the time is booked on.")
    ticket_article: Relation[Article] = Relation(
        "ticket_articles", doc="The article the time belongs to, if any."
    )
    time_unit = Field[str](doc='The amount, a decimal string such as ``"1.5"``.')
    type_id = Field[int | None](doc="The activity type.")

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
    """Manages the ``/time_accountings`` endpoint."""

    resource_class = TimeAccounting
    endpoint = "time_accountings"
