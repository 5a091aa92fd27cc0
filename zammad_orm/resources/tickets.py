"""Tickets (``/tickets``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zammad_orm.fields import DateTimeField, Field, Relation, WriteOnlyField
from zammad_orm.manager import SearchableManager
from zammad_orm.resource import Resource

if TYPE_CHECKING:
    from zammad_orm.resources.articles import Article
    from zammad_orm.resources.groups import Group
    from zammad_orm.resources.organizations import Organization
    from zammad_orm.resources.ticket_priorities import Priority
    from zammad_orm.resources.ticket_states import State
    from zammad_orm.resources.users import User

__all__ = ["Ticket", "Tickets"]


class Ticket(Resource):
    """A ticket.

    Relations accept objects, ids or names: ``ticket.state = "closed"``,
    ``ticket.group = "Users"`` and ``ticket.priority = "3 high"`` resolve locally (an unknown
    name raises :class:`~zammad_orm.errors.ResourceLookupError` before anything is sent);
    ``ticket.owner = "agent@example.com"`` and ``ticket.customer = "..."`` are sent by login
    or email for the server to resolve.
    """

    manager_name = "tickets"
    merged_containers = frozenset({"preferences"})
    asset_key = "Ticket"
    label_field = "title"

    number = Field[str](read_only=True, doc="The ticket number people quote.")
    title = Field[str](doc="The subject line.")
    group: Relation[Group] = Relation("groups", doc="The group it is in.")
    state: Relation[State] = Relation("ticket_states", doc="Its state.")
    priority: Relation[Priority] = Relation("ticket_priorities", doc="Its priority.")
    owner: Relation[User] = Relation("users", doc="The agent it is assigned to.")
    customer: Relation[User] = Relation("users", doc="Who it is for.")
    organization: Relation[Organization] = Relation("organizations", doc="The customer's company.")
    note = Field[str | None](doc="An internal note.")
    pending_time = DateTimeField(doc="When a pending state runs out.")
    preferences = Field[dict[str, Any]](doc="Free-form settings (merged on update).")
    article_count = Field[int | None](read_only=True, doc="How many articles it has.")
    time_unit = Field[str | None](read_only=True, doc="Accounted time, a decimal string.")
    type = Field[str | None](doc="The ticket type, when used.")
    create_article_type_id = Field[int | None](read_only=True, doc="How it came in.")
    create_article_sender_id = Field[int | None](read_only=True, doc="Who opened it.")
    first_response_at = DateTimeField(read_only=True, doc="When an agent first answered.")
    first_response_escalation_at = DateTimeField(read_only=True, doc="First-answer deadline.")
    close_at = DateTimeField(read_only=True, doc="When it was first closed.")
    close_escalation_at = DateTimeField(read_only=True, doc="Solution deadline.")
    last_close_at = DateTimeField(read_only=True, doc="When it was last closed.")
    update_escalation_at = DateTimeField(read_only=True, doc="Update deadline.")
    escalation_at = DateTimeField(read_only=True, doc="The earliest deadline.")
    last_contact_at = DateTimeField(read_only=True, doc="The last contact.")
    last_contact_agent_at = DateTimeField(read_only=True, doc="An agent's last contact.")
    last_contact_customer_at = DateTimeField(read_only=True, doc="The customer's last contact.")
    last_owner_update_at = DateTimeField(read_only=True, doc="The owner's last update.")
    article = WriteOnlyField[dict[str, Any]](
        doc='An article to add with the next save: ``{"body": ..., "type": "note", ...}``.'
    )
    tags = WriteOnlyField[str | list[str]](doc="Tags to give a new ticket (create only).")
    links = WriteOnlyField[list[dict[str, Any]]](doc="Links to make when creating the ticket.")
    mentions = WriteOnlyField[list[int]](doc="Users to mention when creating the ticket.")

    @property
    def articles(self) -> list[Article]:
        """The ticket's articles, oldest first (one request; internal ones hidden from
        customers)."""
        with self._acting():
            return self.client.ticket_articles.by_ticket(self, unit=self._unit)

    @property
    def weburl(self) -> str:
        """The ticket's page in Zammad's web interface."""
        return f"{self.client.weburl}/#ticket/zoom/{self._path()[1]}"


class Tickets(SearchableManager[Ticket]):
    """Manages the ``/tickets`` endpoint.

    Iteration asks each page with ``full=true``, so the users, groups and organizations the
    tickets refer to arrive with the page and reading them costs no further request.
    """

    resource_class = Ticket
    endpoint = "tickets"
    page_cap = 100
    pages_with_assets = True
