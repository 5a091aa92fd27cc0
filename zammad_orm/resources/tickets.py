"""Tickets (``/tickets``) and their workflows: articles, tags, links, merges, history, time
bookings and mentions.

Each workflow lives in its own module (``ticket_tags``, ``ticket_links``, ``ticket_merge``,
``ticket_time``, ``mentions``, ``history``); :class:`Ticket` gathers them as methods. Every
helper that writes sends the usual signals and keeps the shared cache and every unit of work
right; see :mod:`zammad_orm.resources.ticket_cache`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from zammad_orm.fields import DateTimeField, Field, Relation, WriteOnlyField
from zammad_orm.json_values import shown
from zammad_orm.manager import SearchableManager
from zammad_orm.resource import Resource
from zammad_orm.resources import mentions as _mentions
from zammad_orm.resources import ticket_links as _links
from zammad_orm.resources import ticket_tags as _tags
from zammad_orm.resources.history import HistoryEntry, history_of
from zammad_orm.resources.ticket_cache import recall, remember
from zammad_orm.resources.ticket_links import LinkType
from zammad_orm.resources.ticket_merge import merge
from zammad_orm.resources.ticket_time import book_time, bookings_of, decimal_text
from zammad_orm.resources.uploads import FileSpec, encode_files
from zammad_orm.tracking import MISSING

if TYPE_CHECKING:
    from zammad_orm.resources.articles import Article
    from zammad_orm.resources.groups import Group
    from zammad_orm.resources.organizations import Organization
    from zammad_orm.resources.ticket_priorities import Priority
    from zammad_orm.resources.ticket_states import State
    from zammad_orm.resources.time_accountings import TimeAccounting
    from zammad_orm.resources.users import User

__all__ = ["LinkType", "Ticket", "Tickets"]


class _ArticleField(WriteOnlyField[dict[str, Any]]):
    """``ticket.article = {...}``: an article to add with the next save. A ``files`` key
    (paths, binary file objects or ``(name, data[, mime])`` tuples) is read and sent as the
    article's ``attachments`` when assigned."""

    def to_json(self, value: dict[str, Any], *, owner: type[Any] | None = None) -> Any:
        """The article as sent, its ``files`` encoded (a bad file raises now)."""
        article = super().to_json(value, owner=owner)
        if "files" not in article:
            return article
        article = dict(article)
        where = f"{owner.__name__}.{self.attribute}" if owner else self.attribute
        attachments = article.get("attachments", [])
        if not isinstance(attachments, list):
            raise TypeError(f"{where}: attachments must be a list, got {shown(attachments)}")
        try:
            encoded = encode_files(article.pop("files"))
        except (TypeError, ValueError, OSError) as error:  # named for the field
            raise type(error)(f"{where}: {error}") from error
        article["attachments"] = [*attachments, *encoded]
        return article


class Ticket(Resource):
    """A ticket.

    Relations accept objects, ids or names: ``ticket.state = "closed"``,
    ``ticket.group = "Users"`` and ``ticket.priority = "3 high"`` resolve locally (an unknown
    name raises :class:`~zammad_orm.errors.ResourceLookupError` before anything is sent);
    ``ticket.owner = "agent@example.com"`` and ``ticket.customer = "..."`` are sent by login
    or email for the server to resolve.
    """

    __slots__ = ()

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
    create_article_type = Field[str | None](
        read_only=True, doc="The name of :attr:`create_article_type_id` (expanded replies)."
    )
    create_article_sender_id = Field[int | None](read_only=True, doc="Who opened it.")
    create_article_sender = Field[str | None](
        read_only=True, doc="The name of :attr:`create_article_sender_id` (expanded replies)."
    )
    first_response_at = DateTimeField(read_only=True, doc="When an agent first answered.")
    first_response_escalation_at = DateTimeField(read_only=True, doc="First-answer deadline.")
    first_response_in_min = Field[int | None](read_only=True, doc="Minutes to first answer.")
    first_response_diff_in_min = Field[int | None](
        read_only=True, doc="Minutes the first answer was early (negative: late)."
    )
    close_at = DateTimeField(read_only=True, doc="When it was first closed.")
    close_escalation_at = DateTimeField(read_only=True, doc="Solution deadline.")
    close_in_min = Field[int | None](read_only=True, doc="Minutes to the solution.")
    close_diff_in_min = Field[int | None](
        read_only=True, doc="Minutes the solution was early (negative: late)."
    )
    last_close_at = DateTimeField(read_only=True, doc="When it was last closed.")
    update_escalation_at = DateTimeField(read_only=True, doc="Update deadline.")
    update_in_min = Field[int | None](read_only=True, doc="Minutes to the last update.")
    update_diff_in_min = Field[int | None](
        read_only=True, doc="Minutes the update was early (negative: late)."
    )
    escalation_at = DateTimeField(read_only=True, doc="The earliest deadline.")
    last_contact_at = DateTimeField(read_only=True, doc="The last contact.")
    last_contact_agent_at = DateTimeField(read_only=True, doc="An agent's last contact.")
    last_contact_customer_at = DateTimeField(read_only=True, doc="The customer's last contact.")
    last_owner_update_at = DateTimeField(read_only=True, doc="The owner's last update.")
    ticket_time_accounting_ids = Field[list[int] | None](
        read_only=True, doc="Ids of its time bookings (expanded replies; see time_accountings())."
    )
    ticket_time_accounting = Field[list[Any] | None](
        read_only=True, doc="Zammad's expanded view of the bookings (expanded replies only)."
    )
    article = _ArticleField(
        doc='An article to add with the next save: ``{"body": ..., "type": "note", "files": '
        "[...]}``."
    )
    mentions = _mentions.MentionsField(
        doc="The mentioned users (read: one request, then remembered); on a new ticket, "
        "users or ids to mention on create."
    )

    # -- articles ----------------------------------------------------------------------------

    @property
    def articles(self) -> list[Article]:
        """The ticket's articles, oldest first: one request, remembered until the ticket
        changes (an article added through the library joins without a request). Customers
        do not see internal articles."""
        known = recall(self, "articles")
        if known is not MISSING:
            return list(known)
        with self._acting():
            found = self.client.ticket_articles.by_ticket(self, unit=self._unit)
        remember(self, "articles", tuple(found))
        return found

    @property
    def article_ids(self) -> list[int]:
        """The ids of :attr:`articles`, oldest first (no request when they are known)."""
        return [article.id for article in self.articles]

    def create_article(
        self,
        body: str,
        *,
        type: str = "note",
        internal: bool = False,
        files: Iterable[FileSpec] | FileSpec = (),
        time_unit: float | str | None = None,
        **fields: Any,
    ) -> Article:
        """Add an article to the ticket and return it (one request).

        Defaults are Zammad's own for an article created without them: type ``note`` and
        **not internal** (customers see it; pass ``internal=True`` for an agents-only note).
        The sender is ``Agent`` for agents, ``Customer`` otherwise.

        :param files: paths, binary file objects or ``(name, data[, mime_type])`` tuples
        :param time_unit: time to book with the article (Zammad creates the booking)
        :param fields: further article fields: ``subject``, ``to``, ``cc``, ``content_type``
            (``"text/html"``), ``sender``, ``origin_by``, ``preferences``, ...
        """
        if not isinstance(body, str):
            raise TypeError(f"body must be a str, got {body!r}")
        self._path()
        values: dict[str, Any] = {
            "ticket": self,
            "body": body,
            "type": type,
            "internal": internal,
            **fields,
        }
        if files:
            values["files"] = files
        if time_unit is not None:
            values["time_unit"] = decimal_text(time_unit)
        with self._acting():
            return self.client.ticket_articles.create(**values)

    # -- tags, links, merge ------------------------------------------------------------------

    def tags(self) -> list[str]:
        """The ticket's tags in the order they were added (one request, remembered until
        the ticket changes)."""
        return _tags.tags_of(self)

    def add_tags(self, *names: str) -> list[str]:
        """Add tags (one request per name, as Zammad takes one at a time); returns the
        ticket's tags. See :mod:`zammad_orm.resources.ticket_tags`."""
        return _tags.change_tags(self, names, add=True)

    def remove_tags(self, *names: str) -> list[str]:
        """Remove tags (one request per name); returns the ticket's tags."""
        return _tags.change_tags(self, names, add=False)

    def links(self) -> dict[str, list[Ticket]]:
        """Linked tickets by link type: ``{"parent": [...], "child": [...], "normal": [...]}``
        (one request; the linked tickets' records come with it)."""
        return _links.links_of(self)

    def link_with(self, other: Ticket | int, link_type: LinkType = "normal") -> bool:
        """Link ``other`` to this ticket (``"child"``: ``other`` becomes its child). Returns
        False when the link existed. See :mod:`zammad_orm.resources.ticket_links`."""
        return _links.link(self, other, link_type)

    def unlink_from(self, other: Ticket | int, link_type: LinkType | None = None) -> list[str]:
        """Remove the links with ``other`` (of ``link_type``, or all); returns the types
        removed."""
        return _links.unlink(self, other, link_type)

    def merge_into(self, target: Ticket | int | str) -> Ticket:
        """Merge this ticket into ``target`` (a Ticket, its id, or its number as a str) and
        return the target. See :mod:`zammad_orm.resources.ticket_merge`."""
        return merge(self, target)

    # -- history, time, mentions -------------------------------------------------------------

    def history(self) -> list[HistoryEntry]:
        """The history of the ticket and its articles, oldest first (one request)."""
        return history_of(self, "ticket_history", self._path()[1])

    def time_accountings(self) -> list[TimeAccounting]:
        """The time booked on the ticket (one request)."""
        return bookings_of(self)

    def create_time_accounting(
        self, time_unit: float | str, *, type: object = None, article: Article | int | None = None
    ) -> TimeAccounting:
        """Book time on the ticket (one request), optionally of an activity ``type`` (a
        type object, its id or its name) and for one of its ``article`` s."""
        return book_time(self, time_unit, type=type, article=article)

    def mention(self, user: User | int | str | None = None) -> int:
        """Mention ``user`` (default: yourself) on the ticket; returns their id. Mentioning
        someone else acts on their behalf (needs ``admin.user``). See
        :mod:`zammad_orm.resources.mentions`."""
        return _mentions.mention(self, user)

    def unmention(self, user: User | int | str | None = None) -> bool:
        """Remove the mention of ``user`` (default: yourself); False if there was none."""
        return _mentions.unmention(self, user)

    @property
    def weburl(self) -> str:
        """The ticket's page in Zammad's web interface."""
        return f"{self.client.weburl}/#ticket/zoom/{self._path()[1]}"

    def _after_write(self, action: str) -> None:
        """A deleted ticket takes its articles with it: they leave every unit and the cache."""
        if action != "delete":
            return
        articles = self.client.ticket_articles
        ident = self._data.get("id")
        doomed = {
            obj._data.get("id")
            for unit in self.client._live_units()
            for obj in unit.objects
            if obj.manager_name == articles.resource_class.manager_name
            and obj._data.get("ticket_id") == ident
        }
        for article_id in doomed:
            self.client._forget_record(articles, article_id, source=self)
        self.client.cache.invalidate(articles.endpoint)


class Tickets(SearchableManager[Ticket]):
    """Manages the ``/tickets`` endpoint.

    Iteration asks each page with ``full=true``, so the users, groups and organizations the
    tickets refer to arrive with the page and reading them costs no further request. The
    reverse relations (:meth:`of_customer`, :meth:`owned_by`, :meth:`of_organization`,
    :meth:`in_group`; ``user.tickets``, ``organization.tickets``, ``group.tickets``) are lazy
    searches: no request until iterated, then one per page.
    """

    resource_class = Ticket
    endpoint = "tickets"
    page_cap = 100
    pages_with_assets = True

    def new(self, **fields: Any) -> Ticket:
        """An unsaved ticket (see :meth:`Manager.new`). Besides its fields, a new ticket takes
        what Zammad sets up on create only: ``tags`` (names), ``links`` (``{"parent":
        [tickets or ids], ...}``, types as seen from the new ticket, as :meth:`Ticket.links`
        shows them) and ``mentions`` (users or ids)."""
        tags = fields.pop("tags", None)
        links = fields.pop("links", None)
        extra: dict[str, Any] = {}
        if tags is not None:
            names = [tags] if isinstance(tags, str) else list(tags)
            extra["tags"] = ",".join(_tags.tag_names(tuple(names), verb="tags"))
        if links is not None:
            extra["links"] = _links.links_on_create(self, links)
        ticket = super().new(**fields)
        for key, value in extra.items():
            ticket[key] = value
        return ticket

    def _related(self, manager_name: str, value: object, field: str, **search: Any) -> Any:
        manager = getattr(self.client, manager_name)
        ident = manager.reference_id(value, field=field, acting_as=self.client.acting_as)
        return self.search(f"{field}_id:{ident}", **search)

    def of_customer(self, user: User | int, **search: Any) -> Iterator[Ticket]:
        """The tickets of the customer ``user`` (a lazy search; ``search`` takes the
        arguments of :meth:`search`, e.g. ``sort_by``)."""
        found: Iterator[Ticket] = self._related("users", user, "customer", **search)
        return found

    def owned_by(self, user: User | int, **search: Any) -> Iterator[Ticket]:
        """The tickets assigned to the agent ``user`` (a lazy search)."""
        found: Iterator[Ticket] = self._related("users", user, "owner", **search)
        return found

    def of_organization(self, organization: Organization | int, **search: Any) -> Iterator[Ticket]:
        """The tickets of ``organization`` (a lazy search)."""
        found: Iterator[Ticket] = self._related(
            "organizations", organization, "organization", **search
        )
        return found

    def in_group(self, group: Group | int | str, **search: Any) -> Iterator[Ticket]:
        """The tickets in ``group`` (an object, id or name; a lazy search)."""
        found: Iterator[Ticket] = self._related("groups", group, "group", **search)
        return found
