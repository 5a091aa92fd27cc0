"""Ticket articles (``/ticket_articles``): the messages and notes of a ticket.

A new article is created with ``ticket.create_article(...)``,
``client.ticket_articles.create(ticket=..., body=..., files=[...])`` or a unit of work's
commit; whichever way, its ticket's objects load again on their next read (Zammad changed its
``article_count``, ``updated_at``, ...) and a ticket that remembered its articles gets the new
one without a request. Deleting an article does the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, overload

from zammad_orm.fields import Field, Relation
from zammad_orm.manager import Manager
from zammad_orm.resource import Resource
from zammad_orm.resources.attachments import Attachment
from zammad_orm.resources.ticket_cache import recall, remember
from zammad_orm.resources.ticket_time import book_article_time
from zammad_orm.resources.uploads import FileSpec, encode_files
from zammad_orm.tracking import MISSING

if TYPE_CHECKING:
    from zammad_orm.resources.tickets import Ticket
    from zammad_orm.resources.time_accountings import TimeAccounting
    from zammad_orm.resources.users import User
    from zammad_orm.unit_of_work import UnitOfWork

__all__ = ["Article", "Articles"]


class _Attachments(Field[list[Attachment]]):
    """``article.attachments``: the article's files as :class:`Attachment` objects."""

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> _Attachments: ...

    @overload
    def __get__(self, instance: Resource, owner: type[Any]) -> list[Attachment]: ...

    def __get__(
        self, instance: Resource | None, owner: type[Any]
    ) -> _Attachments | list[Attachment]:
        if instance is None:
            return self
        assert isinstance(instance, Article)
        records = instance._read_field(self.name) or []
        return [Attachment.from_record(instance, record) for record in records]


class _Files(Field[Any]):
    """``files=...`` on a new article: paths, binary file objects or ``(name, data[, mime])``
    tuples, sent as the article's ``attachments`` (see :mod:`zammad_orm.resources.uploads`)."""

    def __get__(self, instance: Resource | None, owner: type[Any]) -> Any:
        if instance is None:
            return self
        raise AttributeError(
            f"{type(instance).__name__}.files is write-only; read .attachments instead"
        )

    def assign(self, instance: Resource, value: Iterable[FileSpec] | FileSpec) -> None:
        if not instance.is_new:
            raise AttributeError(
                "Zammad adds files to new articles only; create another article to send more"
            )
        instance._write_field("attachments", encode_files(value))


class Article(Resource):
    """One article of a ticket. Zammad lets only :attr:`internal` (and
    ``preferences["highlight"]``) change after creation."""

    __slots__ = ()

    manager_name = "ticket_articles"
    merged_containers = frozenset({"preferences"})
    asset_key = "TicketArticle"
    label_field = "subject"

    ticket: Relation[Ticket] = Relation("tickets", doc="The ticket it belongs to.")
    type = Field[str](doc="``note``, ``email``, ``phone``, ... (a name; default ``note``).")
    type_id = Field[int](read_only=True, doc="The id of :attr:`type`.")
    sender = Field[str](doc="``Agent``, ``Customer`` or ``System`` (a name).")
    sender_id = Field[int](read_only=True, doc="The id of :attr:`sender`.")
    from_ = Field[str | None](key="from", doc="The sender line.")
    to = Field[str | None](doc="Recipients.")
    cc = Field[str | None](doc="Copy recipients.")
    subject = Field[str | None](doc="The subject.")
    reply_to = Field[str | None](doc="The reply-to address.")
    body = Field[str](doc="The text or HTML body.")
    content_type = Field[str](doc="``text/plain`` or ``text/html``.")
    internal = Field[bool](doc="Whether customers cannot see it (Zammad's default: False).")
    preferences = Field[dict[str, Any]](doc="Settings such as ``highlight``.")
    attachments = _Attachments(read_only=True, doc="Its files (:class:`Attachment` objects).")
    files = _Files(doc="Files to attach to a new article (write-only).")
    message_id = Field[str | None](read_only=True, doc="The email Message-ID.")
    message_id_md5 = Field[str | None](read_only=True, doc="The MD5 of the Message-ID.")
    in_reply_to = Field[str | None](read_only=True, doc="The email In-Reply-To.")
    references = Field[str | None](read_only=True, doc="The email References header.")
    time_unit = Field[str | None](doc="Time to account with it (a decimal string).")
    origin_by: Relation[User] = Relation("users", doc="Who it was written for, if not the author.")

    def raw_email(self) -> bytes | None:
        """The raw message (RFC 822 bytes) of an email article, as Zammad stored it; None for
        articles that are no emails (one request, ``/ticket_article_plain/:id``).

        Parse it with ``email.message_from_bytes(data, policy=email.policy.default)``.
        """
        with self._acting(), self._evicting_when_gone():
            data = self.client.get("ticket_article_plain", self._path()[1])
        if data is None:
            return None
        return data if isinstance(data, bytes) else str(data).encode("utf-8")

    def book_time(self, time_unit: float | str, *, type: object = None) -> TimeAccounting:
        """Book time for this article: a new booking, or a change of the one it has (see
        :func:`~zammad_orm.resources.ticket_time.book_article_time`)."""
        return book_article_time(self, time_unit, type=type)

    def _after_write(self, action: str) -> None:
        """A new or deleted article changes its ticket: its objects load again, and a ticket
        object that remembered its articles takes the change without a request."""
        ticket_id = self._data.get("ticket_id")
        if not isinstance(ticket_id, int) or action == "update":
            return
        tickets = self.client.tickets
        key = tickets._key(ticket_id, self._acting_as)
        holder = self._unit._get(key)
        known = recall(holder, "articles") if holder is not None else MISSING
        tickets.invalidate(ticket_id)
        if holder is None or known is MISSING:
            return
        if action == "create":
            remember(holder, "articles", (*known, self))
        else:
            remember(holder, "articles", tuple(a for a in known if a is not self))


class Articles(Manager[Article]):
    """Manages the ``/ticket_articles`` endpoint."""

    resource_class = Article
    endpoint = "ticket_articles"

    def by_ticket(self, ticket: Ticket | int, *, unit: UnitOfWork | None = None) -> list[Article]:
        """All articles of ``ticket``, oldest first (one request; customers do not see
        internal ones)."""
        ident = self.client.tickets.reference_id(ticket, field="ticket")
        acting_as = self.client.acting_as
        records = self.client.get(self.endpoint, "by_ticket", ident)
        return [self._absorb(record, acting_as=acting_as, unit=unit) for record in records]

    def by_tickets(
        self, tickets: Iterable[Ticket | int], *, workers: int = 8
    ) -> dict[int, list[Article]]:
        """The articles of each of ``tickets`` (``{ticket_id: [article, ...]}``, in the order
        given): one request per ticket, up to ``workers`` at a time, as the user acting now
        and into the current unit of work."""
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
            raise ValueError(f"workers must be a positive int, got {workers!r}")
        ids = [self.client.tickets.reference_id(ticket, field="ticket") for ticket in tickets]
        acting_as = self.client.acting_as
        unit = self.client._current_unit()

        def fetch(ident: int) -> list[Any]:
            with self.client._acting(acting_as):
                records: list[Any] = self.client.get(self.endpoint, "by_ticket", ident)
                return records

        with ThreadPoolExecutor(max_workers=workers) as pool:
            replies = list(pool.map(fetch, ids))
        return {
            ident: [self._absorb(record, acting_as=acting_as, unit=unit) for record in records]
            for ident, records in zip(ids, replies, strict=True)
        }
