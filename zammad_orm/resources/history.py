"""History entries (``/ticket_history/:id``, ``/users/history/:id``,
``/organizations/history/:id``): what changed on a record, when and by whom.

Zammad answers ``{"history": [...], "assets": {...}}``; :func:`history_of` gives the shared
cache the assets (the users who acted arrive with the reply, so reading
``entry.created_by.login`` costs no request) and turns each entry into a typed
:class:`HistoryEntry`, oldest first.
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


@dataclass(frozen=True)
class HistoryEntry:
    """One change of a record (or of a record related to it, e.g. an article of a ticket)."""

    #: the entry's id
    id: int
    #: what happened: ``created``, ``updated``, ``added``, ``removed``, ``merged_into``, ...
    type: str
    #: the kind of record it is about: ``Ticket``, ``Ticket::Article``, ``User``, ...
    object: str
    #: the id of that record
    o_id: int
    #: the changed attribute (``state``, ``tag``, ...), if any
    attribute: str | None
    #: the value before and after, as Zammad wrote them (strings)
    value_from: str | None
    value_to: str | None
    #: the ids before and after, for relations
    id_from: int | None
    id_to: int | None
    #: the record the entry's record belongs to (an article's ticket), if any
    related_object: str | None
    related_o_id: int | None
    #: when it happened (aware, UTC)
    created_at: dt.datetime | None
    #: who did it
    created_by: User | None
    #: the entry as the server sent it
    raw: Mapping[str, Any] = field(repr=False, compare=False)


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def history_of(obj: Resource, *path: object) -> list[HistoryEntry]:
    """The history ``GET path`` answers for ``obj`` (one request), as typed entries, oldest
    first. The acting users are objects of ``obj``'s unit of work, filled from the reply's
    assets."""
    client = obj.client
    with obj._acting():
        reply = client.get(*path)
    reply = reply if isinstance(reply, Mapping) else {}
    assets = reply.get("assets")
    if isinstance(assets, Mapping):
        client._absorb_assets(assets, acting_as=obj._acting_as)
    users = client.users
    entries = []
    for raw in reply.get("history") or []:
        author = _int(raw.get("created_by_id"))
        entries.append(
            HistoryEntry(
                id=int(raw["id"]),
                type=str(raw.get("type")),
                object=str(raw.get("object")),
                o_id=int(raw["o_id"]),
                attribute=_text(raw.get("attribute")),
                value_from=_text(raw.get("value_from")),
                value_to=_text(raw.get("value_to")),
                id_from=_int(raw.get("id_from")),
                id_to=_int(raw.get("id_to")),
                related_object=_text(raw.get("related_object")),
                related_o_id=_int(raw.get("related_o_id")),
                created_at=parse_datetime(raw.get("created_at")),
                created_by=None
                if author is None
                else users._handle(author, acting_as=obj._acting_as, unit=obj._unit),
                raw=raw,
            )
        )
    return entries
