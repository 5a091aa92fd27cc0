"""Ticket articles (``/ticket_articles``): the messages and notes of a ticket."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zammad_orm.fields import Field, Relation
from zammad_orm.manager import Manager
from zammad_orm.resource import Resource

if TYPE_CHECKING:
    from zammad_orm.resources.tickets import Ticket
    from zammad_orm.resources.users import User
    from zammad_orm.unit_of_work import UnitOfWork

__all__ = ["Article", "Articles"]


class Article(Resource):
    """One article of a ticket. Zammad lets only :attr:`internal` (and
    ``preferences["highlight"]``) change after creation."""

    manager_name = "ticket_articles"
    merged_containers = frozenset({"preferences"})
    asset_key = "TicketArticle"
    label_field = "subject"

    ticket: Relation[Ticket] = Relation("tickets", doc="The ticket it belongs to.")
    type = Field[str](doc="``note``, ``email``, ``phone``, ... (a name).")
    sender = Field[str](doc="``Agent``, ``Customer`` or ``System`` (a name).")
    from_ = Field[str | None](key="from", doc="The sender line.")
    to = Field[str | None](doc="Recipients.")
    cc = Field[str | None](doc="Copy recipients.")
    subject = Field[str | None](doc="The subject.")
    reply_to = Field[str | None](doc="The reply-to address.")
    body = Field[str](doc="The text or HTML body.")
    content_type = Field[str](doc="``text/plain`` or ``text/html``.")
    internal = Field[bool](doc="Whether customers cannot see it.")
    preferences = Field[dict[str, Any]](doc="Settings such as ``highlight``.")
    attachments = Field[list[dict[str, Any]]](read_only=True, doc="Its attached files.")
    message_id = Field[str | None](read_only=True, doc="The email Message-ID.")
    in_reply_to = Field[str | None](read_only=True, doc="The email In-Reply-To.")
    time_unit = Field[str | None](read_only=True, doc="Time accounted with it.")
    origin_by: Relation[User] = Relation("users", doc="Who it was written for, if not the author.")


class Articles(Manager[Article]):
    """Manages the ``/ticket_articles`` endpoint."""

    resource_class = Article
    endpoint = "ticket_articles"

    def by_ticket(self, ticket: Ticket | int, *, unit: UnitOfWork | None = None) -> list[Article]:
        """All articles of ``ticket``, oldest first (one request)."""
        ident = self.client.tickets.reference_id(ticket, field="ticket")
        acting_as = self.client.acting_as
        records = self.client.get(self.endpoint, "by_ticket", ident)
        return [self._absorb(record, acting_as=acting_as, unit=unit) for record in records]
