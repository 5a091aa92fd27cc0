"""The fake server's state: tables of records in memory, behind one lock.

Besides the tables, the store knows what Zammad keeps beside them and what every endpoint
needs: passwords and API tokens, tags, links, uploaded files, and the side effects of a
change (``updated_at``, ``updated_by_id``, history entries, online notifications). Permissions
and group access are checked by the methods the store has from
:class:`~zammad_orm.testing.store_access.Access`.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from zammad_orm.testing import admin_tables  # noqa: F401  (registers the admin tables)
from zammad_orm.testing.clock import FakeClock
from zammad_orm.testing.http import not_found, unprocessable
from zammad_orm.testing.indexes import Record, Table
from zammad_orm.testing.models import TABLES, new_record
from zammad_orm.testing.outbox import Outbox
from zammad_orm.testing.store_access import Access

__all__ = ["Store", "StoredFile", "TagItem", "decimal_string", "format_time"]

#: the columns indexed per table (see :mod:`zammad_orm.testing.indexes`)
INDEXED: dict[str, tuple[str, ...]] = {
    "ticket_articles": ("ticket_id",),
    "time_accountings": ("ticket_id", "ticket_article_id"),
}

#: the object kinds of online notifications and history entries
OBJECT_LOOKUP = {"Ticket": 1, "Ticket::Article": 2, "User": 3}
#: the kinds of online notifications
NOTIFICATION_TYPES = {"create": 2, "update": 3, "escalation": 4, "reminder_reached": 5}


def decimal_string(value: Any) -> str:
    """A ``time_unit`` as Zammad's decimal(10,2) column renders it (``"1.23"``, ``"15.0"``);
    422 when it is missing or not a number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise unprocessable("Time unit can't be blank")
    try:
        amount = Decimal(str(value).strip()).quantize(Decimal("0.01"), ROUND_HALF_UP)
    except InvalidOperation:
        raise unprocessable(f"Invalid value for param 'time_unit': {value}") from None
    if not amount.is_finite() or isinstance(value, bool):
        raise unprocessable(f"Invalid value for param 'time_unit': {value}")
    text = f"{amount.normalize():f}"
    return text if "." in text else f"{text}.0"


def parse_timestamp(value: Any) -> dt.datetime | None:
    """ISO text (a timestamp or a date; ``Z`` or an offset, or UTC when it names no zone;
    ``T`` or a space between date and time) as an aware UTC datetime; None when it is not."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace(" ", "T", 1).replace("Z", "+00:00")
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


def format_time(moment: dt.datetime) -> str:
    """Zammad's timestamp: UTC, milliseconds, ``Z``."""
    moment = moment.astimezone(dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


@dataclass
class StoredFile:
    """An uploaded attachment."""

    id: int
    article_id: int
    filename: str
    mime_type: str
    data: bytes


@dataclass
class TagItem:
    """One tag on one object."""

    tag_id: int
    object: str
    o_id: int


@dataclass
class Link:
    """A stored link between two tickets (``parent``, ``child`` or ``normal``)."""

    id: int
    link_type: str
    source_id: int
    target_id: int
    created_at: str
    updated_at: str


@dataclass
class _Counters:
    values: dict[str, int] = field(default_factory=dict)

    def next(self, name: str) -> int:
        self.values[name] = self.values.get(name, 0) + 1
        return self.values[name]


class Store(Access):
    """All records of one fake server. Hold :attr:`lock` while reading or writing.

    :param token: the admin's API token
    :param password: the password of the seeded users who can log in
    :param seed: fill the tables as a new Zammad install has them
    :param clock: the time the store stamps records with (the real time by default)
    """

    def __init__(
        self, *, token: str, password: str, seed: bool = True, clock: FakeClock | None = None
    ) -> None:
        self.lock = threading.RLock()
        #: what the store calls "now"
        self.clock = clock or FakeClock()
        #: the webhook requests triggers made (see :mod:`zammad_orm.testing.outbox`)
        self.outbox = Outbox()
        #: whether an agent owning a ticket may access it whatever its group (Zammad < 6.5)
        self.owners_bypass_groups = True
        self._token = token
        self._password = password
        self._seed = seed
        self.reset()

    def reset(self) -> None:
        """Empty every table and seed again."""
        from zammad_orm.testing.seed import seed_store

        with self.lock:
            self.tables: dict[str, Table] = {
                name: Table(name, INDEXED.get(name, ())) for name in TABLES
            }
            self.history: list[dict[str, Any]] = []
            self.files: dict[int, StoredFile] = {}
            self.tags: dict[int, str] = {}
            self.tag_items: list[TagItem] = []
            self.links: list[Link] = []
            self.passwords: dict[int, str] = {}
            self.tokens: dict[str, int] = {}
            self.counters = _Counters()
            self.ticket_counter = 0
            #: data derived from the tables and kept by their listeners (search documents),
            #: dropped with the tables
            self.derived: dict[str, Any] = {}
            seed_store(self, token=self._token, password=self._password, full=self._seed)

    # -- time and ids ------------------------------------------------------------------------

    def now(self) -> str:
        """The current time as Zammad writes it."""
        return format_time(self.clock.now())

    def current_time(self) -> dt.datetime:
        """The current time of the store's clock (UTC)."""
        return self.clock.now()

    def next_id(self, name: str) -> int:
        """The next id of the sequence ``name`` (a table, or ``files``, ``tags``, ...)."""
        return self.counters.next(name)

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """Run a change as one transaction: when it raises, the records, files, history
        entries, tags and links it added are removed again (ids are not reused, as database
        sequences are not). Changes to records that existed before are not undone, so check
        a request before changing anything."""
        counters = dict(self.counters.values)
        lengths = (len(self.history), len(self.tag_items), len(self.links))
        try:
            yield
        except BaseException:
            for name, table in self.tables.items():
                for ident in [i for i in table if i > counters.get(name, 0)]:
                    del table[ident]
            for ident in [i for i in self.files if i > counters.get("files", 0)]:
                del self.files[ident]
            for ident in [i for i in self.tags if i > counters.get("tags", 0)]:
                del self.tags[ident]
            del self.history[lengths[0] :]
            del self.tag_items[lengths[1] :]
            del self.links[lengths[2] :]
            raise

    # -- records -----------------------------------------------------------------------------

    def insert(self, table: str, values: dict[str, Any], actor_id: int) -> dict[str, Any]:
        """Add a record with Zammad's defaults, a new id and timestamps; return it."""
        from zammad_orm.testing.custom_fields import new_record_defaults
        from zammad_orm.testing.history import log_created

        record = {**new_record_defaults(self, table), **new_record(table, values)}
        record["id"] = values.get("id") or self.next_id(table)
        now = self.now()
        record["created_by_id"] = actor_id
        if TABLES[table].has_updated_by:
            record["updated_by_id"] = actor_id
        record["created_at"] = now
        record["updated_at"] = now
        stored = self.put(table, record)
        log_created(self, table, stored, actor_id)
        return stored

    def put(self, table: str, record: dict[str, Any]) -> dict[str, Any]:
        """Store a complete ``record`` under its id, as the record its table's indexes and
        listeners follow; return the stored record."""
        stored = Record(record)
        self.tables[table][record["id"]] = stored
        return stored

    def touch(self, table: str, record: dict[str, Any], actor_id: int) -> None:
        """Mark ``record`` changed now by ``actor_id``."""
        record["updated_at"] = self.now()
        if TABLES[table].has_updated_by:
            record["updated_by_id"] = actor_id

    def get(self, table: str, ident: Any) -> dict[str, Any]:
        """The record ``ident`` of ``table``; 404 with Rails' message when there is none."""
        record = None
        if isinstance(ident, int) or (isinstance(ident, str) and ident.isdigit()):
            record = self.tables[table].get(int(ident))
        if record is None:
            raise not_found(TABLES[table].model, ident)
        return record

    def find(self, table: str, **values: Any) -> dict[str, Any] | None:
        """The first record of ``table`` whose columns equal ``values``."""
        for record in self.tables[table].values():
            if all(record.get(name) == value for name, value in values.items()):
                return record
        return None

    def find_user(self, reference: str) -> dict[str, Any] | None:
        """A user by login or email (case-insensitive), as Zammad resolves user names."""
        wanted = reference.strip().lower()
        for user in self.tables["users"].values():
            if str(user["login"]).lower() == wanted:
                return user
        for user in self.tables["users"].values():
            if user["email"] and str(user["email"]).lower() == wanted:
                return user
        return None

    # -- side effects of changes -------------------------------------------------------------

    def add_history(
        self,
        o_id: int,
        object_name: str,
        kind: str,
        actor_id: int,
        *,
        attribute: str | None = None,
        value_from: Any = None,
        value_to: Any = None,
        id_from: int | None = None,
        id_to: int | None = None,
        related: tuple[str, int] | None = None,
    ) -> None:
        """Write a history entry, shaped as ``GET /ticket_history`` renders it."""
        entry: dict[str, Any] = {
            "id": self.next_id("history"),
            "o_id": o_id,
            "object": object_name,
            "type": kind,
            "history_attribute_id": None,
            "related_history_object_id": None,
            "sourceable_id": None,
            "sourceable_name": None,
            "sourceable_type": None,
            "created_by_id": actor_id,
            "created_at": self.now(),
        }
        if attribute is not None:
            entry["attribute"] = attribute
        if id_from is not None:
            entry["id_from"] = id_from
        if id_to is not None:
            entry["id_to"] = id_to
        if value_from is not None:
            entry["value_from"] = str(value_from)
        if value_to is not None:
            entry["value_to"] = str(value_to)
        if related is not None:
            entry["related_object"], entry["related_o_id"] = related
        self.history.append(entry)

    def notify_about_ticket(self, ticket: dict[str, Any], kind: str, actor_id: int) -> None:
        """Create online notifications for the agents concerned by a change of ``ticket``: its
        owner, or, while nobody owns it, every agent of its group; never the actor."""
        if ticket["owner_id"] not in (None, 1):
            owner = self.tables["users"].get(ticket["owner_id"])
            recipients = [owner] if owner is not None else []
        else:
            recipients = self.group_agents(ticket["group_id"])
        for user in recipients:
            if user["id"] == actor_id:
                continue
            self.insert(
                "online_notifications",
                {
                    "o_id": ticket["id"],
                    "object_lookup_id": OBJECT_LOOKUP["Ticket"],
                    "type_lookup_id": NOTIFICATION_TYPES[kind],
                    "user_id": user["id"],
                    "seen": False,
                },
                actor_id,
            )

    def get_ticket(
        self, ident: Any, user: dict[str, Any], *, change: bool = False
    ) -> dict[str, Any]:
        """A ticket the acting ``user`` may read (or change); 404 / 403 as Zammad answers."""
        from zammad_orm.testing.http import ApiError

        ticket = self.get("tickets", ident)
        allowed = (
            self.can_change_ticket(user, ticket) if change else self.can_read_ticket(user, ticket)
        )
        if not allowed:
            raise ApiError(403, "Not authorized")
        return ticket

    def book_time(
        self,
        ticket: dict[str, Any],
        article_id: int | None,
        time_unit: Any,
        type_id: int | None,
        actor_id: int,
    ) -> dict[str, Any]:
        """Book ``time_unit`` on ``ticket`` (and an article); keep the ticket's sum right."""
        entry = self.insert(
            "time_accountings",
            {
                "ticket_id": ticket["id"],
                "ticket_article_id": article_id,
                "time_unit": decimal_string(time_unit),
                "type_id": type_id,
            },
            actor_id,
        )
        self.recompute_time_unit(ticket)
        return entry

    def recompute_time_unit(self, ticket: dict[str, Any]) -> None:
        """Set the ticket's ``time_unit`` to the sum of its bookings, after one changed: a
        ticket never booked on keeps null, one whose bookings were all deleted has ``"0.0"``."""
        amounts = [
            Decimal(entry["time_unit"])
            for entry in self.tables["time_accountings"].index("ticket_id").records(ticket["id"])
        ]
        ticket["time_unit"] = decimal_string(sum(amounts, Decimal(0)))

    def tag_id(self, name: str, *, create: bool = True) -> int | None:
        """The id of the tag called exactly ``name`` (Zammad's lookup is case-sensitive);
        created when missing unless ``create`` is False."""
        for ident, existing in self.tags.items():
            if existing == name:
                return ident
        if not create:
            return None
        ident = self.next_id("tags")
        self.tags[ident] = name
        return ident

    def tag(self, o_id: int, name: str, object_name: str = "Ticket") -> None:
        """Put the tag ``name`` on an object (no-op when it is there)."""
        ident = self.tag_id(name.strip())
        assert ident is not None
        if not any(
            item.tag_id == ident and item.object == object_name and item.o_id == o_id
            for item in self.tag_items
        ):
            self.tag_items.append(TagItem(ident, object_name, o_id))

    def remove_ticket(self, ticket_id: int) -> None:
        """Delete a ticket with its articles, files, bookings, tags, links and notifications."""
        self.tables["tickets"].pop(ticket_id, None)
        articles = self.tables["ticket_articles"].index("ticket_id").ids(ticket_id)
        for ident in articles:
            del self.tables["ticket_articles"][ident]
        for ident in [i for i, f in self.files.items() if f.article_id in articles]:
            del self.files[ident]
        for ident in self.tables["time_accountings"].index("ticket_id").ids(ticket_id):
            del self.tables["time_accountings"][ident]
        for table, column in (("online_notifications", "o_id"), ("mentions", "mentionable_id")):
            for ident in [i for i, r in self.tables[table].items() if r[column] == ticket_id]:
                del self.tables[table][ident]
        self.tag_items = [
            item
            for item in self.tag_items
            if not (item.object == "Ticket" and item.o_id == ticket_id)
        ]
        self.links = [
            link for link in self.links if ticket_id not in (link.source_id, link.target_id)
        ]

    def ticket_by_number(self, number: str) -> dict[str, Any] | None:
        """The ticket with ``number``."""
        return self.find("tickets", number=str(number))
