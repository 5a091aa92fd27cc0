"""What a ticket object remembers beside its record (its articles, tags, mentions), and how a
write the server answers without the ticket keeps every view of it right.

A remembered value is kept on the object until the ticket changes: it is stamped with the
record the object held when it was remembered, and stays valid while the object holds that
very record, or a record with the same ``updated_at``, within the cache's time to live. Any
newer data (a save's reply, another unit's write, a reload showing a change) makes the next
read ask the server again.

Tag, link, mention and merge requests change a ticket on the server (Zammad touches it) but do
not answer with it. :func:`after_side_write` then drops the ticket from the shared cache and
every unit of work (objects load again on their next read; pending changes stay), remembers
what the write made known, and sends ``updated``.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from zammad_orm import signals
from zammad_orm.tracking import MISSING

if TYPE_CHECKING:
    from zammad_orm.resource import Resource

__all__ = ["after_side_write", "announce", "recall", "remember"]


class _Remembered(NamedTuple):
    value: Any
    record: Mapping[str, Any]
    updated_at: Any
    stored_at: float


def _extras(obj: Resource) -> dict[str, _Remembered]:
    extras: dict[str, _Remembered] | None = getattr(obj, "_extras", None)
    return extras if extras is not None else {}


def recall(obj: Resource, name: str) -> Any:
    """The value remembered as ``name`` while the ticket is unchanged, else ``MISSING``."""
    entry = _extras(obj).get(name)
    if entry is None:
        return MISSING
    cache = obj.client.cache
    if cache.timer() - entry.stored_at > cache.ttl:
        return MISSING
    record = obj._data
    if record is entry.record:
        return entry.value
    held = record.get("updated_at")
    if held is not None and held == entry.updated_at:
        return entry.value
    return MISSING


def remember(obj: Resource, name: str, value: Any) -> None:
    """Remember ``value`` as ``name`` for the record the object holds now."""
    with obj._lock:
        record = obj._data
        entry = _Remembered(value, record, record.get("updated_at"), obj.client.cache.timer())
        object.__setattr__(obj, "_extras", {**_extras(obj), name: entry})


def announce(obj: Resource, changes: dict[str, tuple[Any, Any]]) -> None:
    """Send ``updating`` before a write (a receiver may veto it by raising)."""
    signals.updating.send(
        type(obj), instance=obj, client=obj.client, changes=copy.deepcopy(changes)
    )


def after_side_write(
    obj: Resource,
    changes: dict[str, tuple[Any, Any]],
    known: Mapping[str, Any] | None = None,
) -> None:
    """The server changed the ticket ``obj`` without sending it back: every view of it loads
    again, ``obj`` remembers ``known`` (e.g. its new tags), and ``updated`` is sent."""
    obj.manager.invalidate(obj._data["id"])
    for name, value in (known or {}).items():
        remember(obj, name, value)
    signals.send_after_write(signals.updated, type(obj), obj, changes=changes)
