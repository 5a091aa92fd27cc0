"""History entries (``/ticket_history/:id``, ``/users/history/:id``,
``/organizations/history/:id``): who changed what and when.

Zammad answers ``{"history": [...], "assets": {...}}``; every record the entries name (the
ticket, its articles, the acting users, ...) arrives in the assets, which go to the shared
cache, so reading :attr:`HistoryEntry.created_by` or :attr:`HistoryEntry.subject` costs no
request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from zammad_orm.fields import parse_datetime

if TYPE_CHECKING:
    from zammad_orm.resource import Resource
    from zammad_orm.resources.users import User

__all__ = ["HistoryEntry", "history_of"]

#: Zammad's history object names -> the client's manager
_FAMILIES = {
    "Ticket": "tickets",
    "Ticket::Article": "ticket_articles",
    "User": "users",
    "Organization": "organizations",
    "Group": "groups",
}


@dataclass(frozen=True, eq=False)
class HistoryEntry:
    """One history entry.

    :ivar id: the entry's id
    :ivar type: what happened: ``created``, ``updated``, ``added``/``removed`` (tags),
        ``merged_into``/``received_merge``, ``email``, ``notification``, ...
    :ivar object: the kind of record it is about: ``Ticket``, ``Ticket::Article``, ``Mention``,
        ``User``, ...
    :ivar o_id: that record's id
    :ivar attribute: the changed field (``state``, ``owner``, ``tag``, ...) or None
    :ivar value_from: the old value as Zammad wrote it (a name, not an id), or None
    :ivar value_to: the new value, or None
    :ivar id_from: the old id of a changed relation, or None
    :ivar id_to: the new id of a changed relation (or the other ticket of a merge), or None
    :ivar related_object: the record the entry hangs on (``Ticket`` for an article), or None
    :ivar related_o_id: that record's id, or None
    :ivar created_at: when (an aware datetime in UTC)
    :ivar created_by: who did it, as a :class:`~zammad_orm.resources.users.User`
    :ivar raw: the entry as Zammad sent it
    """

    id: int
    type: str
    object: str
    o_id: int
    attribute: str | None
    value_from: str | None
    value_to: str | None
    id_from: int | None
    id_to: int | None
    related_object: str | None
    related_o_id: int | None
    created_at: dt.datetime
    created_by: User | None = field(repr=False)
    raw: Mapping[str, Any] = field(repr=False)
    _origin: Resource = field(repr=False)

    @property
    def subject(self) -> Resource | None:
        """The record the entry is about (a Ticket, an Article, a User, ...) when the library
        models its kind, else None; no request."""
        manager_name = _FAMILIES.get(self.object)
        if manager_name is None:
            return None
        origin = self._origin
        manager = origin._manager_for(manager_name)
        subject: Resource = manager._handle(
            self.o_id, acting_as=origin._acting_as, unit=origin._unit
        )
        return subject


def _entry(origin: Resource, raw: Mapping[str, Any]) -> HistoryEntry:
    users = origin.client.users
    author = raw.get("created_by_id")
    created_at = parse_datetime(raw.get("created_at"))
    if created_at is None:
        raise ValueError(f"a history entry without created_at: {raw!r}")

    def optional_int(key: str) -> int | None:
        value = raw.get(key)
        return int(value) if isinstance(value, int) and not isinstance(value, bool) else None

    def optional_str(key: str) -> str | None:
        value = raw.get(key)
        return None if value is None else str(value)

    return HistoryEntry(
        id=int(raw["id"]),
        type=str(raw.get("type") or ""),
        object=str(raw.get("object") or ""),
        o_id=int(raw["o_id"]),
        attribute=optional_str("attribute"),
        value_from=optional_str("value_from"),
        value_to=optional_str("value_to"),
        id_from=optional_int("id_from"),
        id_to=optional_int("id_to"),
        related_object=optional_str("related_object"),
        related_o_id=optional_int("related_o_id"),
        created_at=created_at,
        created_by=(
            users._handle(author, acting_as=origin._acting_as, unit=origin._unit)
            if isinstance(author, int)
            else None
        ),
        raw=dict(raw),
        _origin=origin,
    )


def history_of(origin: Resource, *path: object) -> list[HistoryEntry]:
    """The history at ``path`` (e.g. ``"ticket_history", 42``) as entries, oldest first; the
    reply's assets go to the shared cache. One request."""
    client = origin.client
    with origin._acting():
        reply = client.get(*path)
    if not isinstance(reply, Mapping):
        raise TypeError(f"unexpected history reply: {reply!r}")
    client._absorb_assets(reply.get("assets") or {}, acting_as=origin._acting_as)
    return [_entry(origin, raw) for raw in reply.get("history", [])]
