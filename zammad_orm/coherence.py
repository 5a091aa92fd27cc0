"""Keeping units of work coherent after writes.

A write through one object changes what every other holder of the record should see. The
writer's view of the shared cache takes the new record; other users' views are dropped (they
may see the record differently, and load it again); every other unit's object for the record
takes the new data, unless it already holds newer data (``updated_at`` decides; a tie between
different data is settled by loading again). Pending changes are never touched.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from zammad_orm.cache import CacheKey, order_by_update
from zammad_orm.changes import same

if TYPE_CHECKING:
    from zammad_orm.client import Client
    from zammad_orm.manager import Manager
    from zammad_orm.resource import Resource

__all__ = ["expire_everywhere", "forget_record", "record_written"]


def record_written(client: Client, obj: Resource) -> None:
    """After a write through ``obj``: the shared cache holds the new record for the
    writer's view, other users' views are dropped (they may see it differently), and
    every other unit's object for the record takes the new data, or loads again."""
    manager = obj.manager
    endpoint, ident = manager.endpoint, obj._data["id"]
    writer = obj._acting_as
    data = obj._data
    key = CacheKey(writer, endpoint, ident)
    stored = client.cache.store(key, data, complete=obj._loaded)
    if stored.data is not data:  # a newer write's reply got there first: show that
        obj._merge(stored.data, complete=stored.complete)
        data = obj._data
    for user in client.cache.views_of(endpoint, ident):
        if user != writer:
            client.cache.evict(CacheKey(user, endpoint, ident))
    for unit in client._live_units():
        for other in unit._objects_for(endpoint, ident):
            if other is obj:
                continue
            order = order_by_update(other._data, data)
            if other._acting_as != writer or (order == 0 and not _agrees(other._data, data)):
                other._expire()  # another view, or a tie we cannot order: ask the server
            elif order is None or order < 0:
                other._merge(data, complete=obj._loaded)
    manager._after_write()


def forget_record(client: Client, manager: Manager[Any], ident: Any, *, source: Resource) -> None:
    """A record was deleted (or found gone): drop it from the cache and every unit."""
    client.cache.invalidate(manager.endpoint, ident)
    for unit in client._live_units():
        for obj in unit._drop(manager.endpoint, ident):
            if obj is not source:
                obj._expire()
    manager._after_write()


def expire_everywhere(client: Client, endpoint: str, ident: Any = None) -> None:
    """Every unit's objects for one record (or one family) load again on their next
    read; their pending changes stay."""
    for unit in client._live_units():
        if ident is None:
            doomed = [obj for obj in unit.objects if obj.manager.endpoint == endpoint]
        else:
            doomed = unit._objects_for(endpoint, ident)
        for obj in doomed:
            if not obj.is_new:
                obj._expire()


def _agrees(held: Mapping[str, Any], fresh: Mapping[str, Any]) -> bool:
    """Whether ``held`` shows every field of ``fresh`` the same way."""
    return all(name in held and same(held[name], value) for name, value in fresh.items())
