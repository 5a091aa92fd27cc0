"""Units of work: who owns the objects and their pending changes.

The :class:`~zammad_orm.Client` keeps what is safe to share between threads, requests and
notebook cells: the HTTP session, the credentials, and a cache of *server records*. A
:class:`UnitOfWork` owns *objects*: its identity map (one object per record and acting user
within the unit) and every pending change. Modelled on SQLAlchemy's ``Session`` over a shared
``Engine``::

    with client.unit_of_work() as work:      # a web request, a worker task, a notebook cell
        ticket = client.tickets(42)           # every manager call in the block uses `work`
        ticket.state = "closed"
        work.commit()                          # sends every change of the unit

Outside any block each thread and each asyncio task has a default unit of its own, so a
script's ``client.tickets(42)`` / ``ticket.save()`` work without one. Two units never see
each other's pending changes; they do share the records the server sent (no second ``GET``
for a record another unit loaded while it is fresh), and a write through one unit is seen by
the others' next reads.

A dirty object is held by its unit until it is saved or its changes are discarded: neither
the cache's time to live nor its size drops it. Leaving a ``with`` block with unsaved changes
discards them and logs a warning naming the objects; nothing is sent silently.
"""

from __future__ import annotations

import logging
import sys
import threading
import weakref
from collections.abc import Callable, Iterator
from contextvars import ContextVar, Token
from types import MappingProxyType, TracebackType
from typing import TYPE_CHECKING, Any, cast

from zammad_orm.changes import same
from zammad_orm.commits import (
    CommitError,
    CommitReport,
    Failure,
    Write,
    send_writes,
)
from zammad_orm.errors import UnsavedResourceError

if TYPE_CHECKING:
    from collections.abc import Mapping

    from zammad_orm.cache import CachedRecord, CacheKey
    from zammad_orm.client import Client
    from zammad_orm.resource import Resource
    from zammad_orm.tracking import TrackedRecord

__all__ = ["CommitError", "CommitReport", "Failure", "UnitOfWork", "Write", "send_writes"]

logger = logging.getLogger("zammad_orm")

#: The unit each client uses inside ``with client.unit_of_work()`` blocks, by ``id(client)``.
active_units: ContextVar[Mapping[int, UnitOfWork]] = ContextVar(
    "zammad_orm_active_units", default=MappingProxyType({})
)

#: how many watched objects a unit keeps before it looks for ones to let go
_PRUNE_FLOOR = 256


def _holds_live_edits(obj: Resource) -> bool:
    """Whether ``obj`` has a handed-out container that is edited, or held by somebody else
    (who may still edit it)."""
    for container, base in list(obj._live.values()):
        # Three references when nobody else holds it: the entry, this loop, the call's own.
        if sys.getrefcount(container) > 3 or not same(container, base):
            return True
    return bool(obj._newer)


class UnitOfWork:
    """The objects of one job (a script, a web request, a task, a notebook cell) and their
    pending changes. Get one from :meth:`Client.unit_of_work`; see the module's docs.

    :param client: the client whose shared records it reads
    :param default: True for a thread's or task's default unit (which is never closed)
    """

    def __init__(
        self, client: Client, *, default: bool = False, if_unmodified: bool | None = None
    ) -> None:
        self.client = client
        #: whether saves of this unit's objects (and so its commits) check for changes made on
        #: the server first; ``None`` uses the client's ``if_unmodified``
        self.if_unmodified = if_unmodified
        self._default = default
        self._lock = threading.RLock()
        #: the identity map: endpoint -> id -> a weak reference to the object, or, when
        #: several acting users have one, {acting user: weak reference}
        self._objects: dict[str, dict[Any, Any]] = {}
        #: how many references the map holds (dead ones included), and when to sweep it
        self._refs = 0
        self._sweep_at = _PRUNE_FLOOR
        #: objects with something to send, held strongly (by id())
        self._held: dict[int, Resource] = {}
        #: objects that handed out a container, held until it is clean and nobody holds it
        self._watched: dict[int, Resource] = {}
        self._prune_at = _PRUNE_FLOOR
        self._doomed: dict[int, Resource] = {}
        self._closed = False
        self._tokens: list[Token[Mapping[int, UnitOfWork]]] = []
        client._register_unit(self)

    def __repr__(self) -> str:
        kind = "default " if self._default else ""
        state = " closed" if self._closed else f" {len(self.pending)} pending"
        return f"<{kind}UnitOfWork of {self.client!r}{state}>"

    @property
    def is_default(self) -> bool:
        """True for the default unit of a thread or task."""
        return self._default

    @property
    def is_closed(self) -> bool:
        """True once the unit was closed (its ``with`` block ended)."""
        return self._closed

    # -- the identity map (used by managers and resources) -----------------------------------

    def _get(self, key: CacheKey) -> Resource | None:
        return self._find(key.endpoint, key.key, key.acting_as)

    def _find(self, endpoint: str, ident: Any, acting_as: str | None) -> Resource | None:
        """The unit's object for a record in one user's view, or None (the hot path)."""
        family = self._objects.get(endpoint)
        if family is None:
            return None
        held = family.get(ident)
        if held is None:
            return None
        if held.__class__ is dict:
            held = held.get(acting_as)
            return None if held is None else held()
        obj = held()
        return obj if obj is not None and obj._acting_as == acting_as else None

    def _refs_of(self, endpoint: str, ident: Any) -> list[weakref.ref[Resource]]:
        held = self._objects.get(endpoint, {}).get(ident)
        if held is None:
            return []
        return list(held.values()) if held.__class__ is dict else [held]

    def _put_ref(self, endpoint: str, ident: Any, obj: Resource) -> None:
        """Make ``obj`` the object for its record and user (holds ``_lock``)."""
        family = self._objects.get(endpoint)
        if family is None:
            family = self._objects[endpoint] = {}
        ref = weakref.ref(obj)
        held = family.get(ident)
        if held is None:
            family[ident] = ref
            self._refs += 1
            if self._refs >= self._sweep_at:
                self._sweep()
            return
        if held.__class__ is dict:
            self._refs += obj._acting_as not in held
            held[obj._acting_as] = ref
            return
        other = held()
        if other is None or other._acting_as == obj._acting_as:
            family[ident] = ref
        else:
            family[ident] = {other._acting_as: held, obj._acting_as: ref}
            self._refs += 1

    def _sweep(self) -> None:
        """Drop the entries of collected objects: entries are not removed when their object
        goes (that would cost a callback object per entry), so the map is swept each time it
        doubles (holds ``_lock``)."""
        live = 0
        for family in self._objects.values():
            for ident, held in list(family.items()):
                if held.__class__ is dict:
                    for user, ref in list(held.items()):
                        if ref() is None:
                            del held[user]
                    if not held:
                        del family[ident]
                    live += len(held)
                elif held() is None:
                    del family[ident]
                else:
                    live += 1
        self._refs = live
        self._sweep_at = max(_PRUNE_FLOOR, 2 * live)

    def _register(self, endpoint: str, ident: Any, obj: Resource) -> Resource:
        """Make ``obj`` the unit's object for its record and user, unless another one got
        there first (that one is returned)."""
        with self._lock:
            held = self._find(endpoint, ident, obj._acting_as)
            if held is not None:
                return held
            self._put_ref(endpoint, ident, obj)
            return obj

    def _take(
        self,
        endpoint: str,
        acting_as: str | None,
        records: list[CachedRecord],
        build: Callable[[CachedRecord], Resource],
    ) -> list[Resource]:
        """The unit's objects for records the shared cache just stored, in order: objects
        the unit has take the fresh data, the others are made by ``build``."""
        objects: list[Resource] = []
        known: list[tuple[Resource, CachedRecord]] = []
        with self._lock:
            family = self._objects.get(endpoint)
            if family is None:
                family = self._objects[endpoint] = {}
            for record in records:
                ident = record.data["id"]
                held = family.get(ident)
                if held is None:  # the common case: a record the unit has not seen
                    obj = build(record)
                    family[ident] = weakref.ref(obj)
                    self._refs += 1
                else:
                    found = self._find(endpoint, ident, acting_as)
                    if found is not None:
                        known.append((found, record))
                        objects.append(found)
                        continue
                    obj = build(record)
                    self._put_ref(endpoint, ident, obj)
                objects.append(obj)
            if self._refs >= self._sweep_at:
                self._sweep()
        for found, record in known:
            found._merge(record.data, complete=record.complete, stamp=record.stored_at)
        return objects

    def _adopt(self, obj: Resource) -> None:
        """A just-created object becomes the unit's object for its id."""
        with self._lock:
            self._put_ref(obj.manager.endpoint, obj._data["id"], obj)

    def _objects_for(self, endpoint: str, ident: Any) -> list[Resource]:
        """The unit's objects for one record, in every acting user's view: O(its views)."""
        with self._lock:
            found = [ref() for ref in self._refs_of(endpoint, ident)]
        return [obj for obj in found if obj is not None]

    def _drop(self, endpoint: str, ident: Any) -> list[Resource]:
        """Forget the unit's objects for a record that is gone (the next ask builds a new
        handle); returns them."""
        with self._lock:
            refs = self._refs_of(endpoint, ident)
            if refs:
                del self._objects[endpoint][ident]
                self._refs -= len(refs)
        found = [ref() for ref in refs]
        return [obj for obj in found if obj is not None]

    def _track(self, obj: TrackedRecord) -> None:
        """Hold ``obj`` while it has something to send."""
        if obj._pending or obj.is_new:
            self._held[id(obj)] = cast("Resource", obj)

    def _untrack(self, obj: TrackedRecord) -> None:
        """Let ``obj`` go (when nothing refers to it) once it has nothing left to send."""
        if not obj.is_dirty and not obj.is_new and id(obj) not in self._doomed:
            self._held.pop(id(obj), None)

    def _watch(self, obj: TrackedRecord) -> None:
        """``obj`` handed out a container: hold it, so that an edit made through the container
        after the caller let go of the object is still found. Objects whose containers are
        unedited and held by nobody else are let go again, a batch at a time."""
        with self._lock:
            self._watched[id(obj)] = cast("Resource", obj)
            if len(self._watched) >= self._prune_at:
                self._prune_watched()

    def _prune_watched(self) -> None:
        for key, obj in list(self._watched.items()):
            if not _holds_live_edits(obj):
                del self._watched[key]
        self._prune_at = max(_PRUNE_FLOOR, 2 * len(self._watched))

    def _checks_unmodified(self, explicit: bool | None) -> bool:
        """Whether a save checks for changes made on the server first: ``explicit`` (the
        save's own ``if_unmodified``), else the unit's setting, else the client's."""
        if explicit is not None:
            return explicit
        if self.if_unmodified is not None:
            return self.if_unmodified
        return self.client.if_unmodified

    # -- what is pending ---------------------------------------------------------------------

    @property
    def objects(self) -> list[Resource]:
        """Every live object of the unit (held by the unit or by the caller)."""
        with self._lock:
            alive = dict(self._held)  # in the order they got changes
            alive.update(self._doomed)
            alive.update(self._watched)
            for held in [held for family in self._objects.values() for held in family.values()]:
                for ref in list(held.values()) if held.__class__ is dict else [held]:
                    obj = ref()
                    if obj is not None:
                        alive.setdefault(id(obj), obj)
        return list(alive.values())

    @property
    def pending(self) -> list[Resource]:
        """The objects with something to send: new, changed or marked for deletion."""
        return [
            obj
            for obj in self.objects
            if id(obj) in self._doomed or (not obj._deleted and (obj.is_new or obj.is_dirty))
        ]

    def __contains__(self, obj: object) -> bool:
        return getattr(obj, "_unit", None) is self

    def __iter__(self) -> Iterator[Resource]:
        return iter(self.objects)

    def delete(self, obj: Resource) -> None:
        """Mark ``obj`` for deletion at the next :meth:`commit` (``obj.delete()`` deletes now).

        :raises ValueError: if ``obj`` belongs to another unit
        """
        self._check_owned(obj)
        if obj.is_new:
            raise UnsavedResourceError(f"{obj!r} is not saved, so it cannot be deleted")
        self._doomed[id(obj)] = obj

    def _check_owned(self, obj: Resource) -> None:
        if obj._unit is not self:
            raise ValueError(f"{obj!r} belongs to another unit of work")

    # -- commit and rollback -----------------------------------------------------------------

    def commit(self, *, workers: int = 1, progress: bool = False) -> CommitReport:
        """Save every new, changed and deleted object of the unit.

        New objects are created first, each after the new objects its relations refer to;
        then changes are sent, then deletions. A write that fails does not stop the others
        (except writes that need a record whose creation failed); its object keeps its
        changes. Signals are sent once per write, as for :meth:`Resource.save`.

        :param workers: how many writes may be in flight at once. Writes are independent
            (one object per record in a unit, so two writes never touch one record); with
            more than one worker the changes and deletions go out in parallel over the
            client's keep-alive pool, each with its own retries. Creations stay in order.
        :param progress: show a ``tqdm`` progress bar of the writes
        :returns: what was sent, in the order the server accepted it
        :raises CommitError: naming each failed write (its ``report`` lists the rest)
        """
        self._check_open()
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
            raise ValueError(f"workers must be a positive int, got {workers!r}")
        pending = self.pending
        doomed = [obj for obj in pending if id(obj) in self._doomed]
        creates = [obj for obj in pending if obj.is_new]
        updates = [obj for obj in pending if not obj.is_new and id(obj) not in self._doomed]
        report = send_writes(
            creates,
            [*((obj, "update") for obj in updates), *((obj, "delete") for obj in doomed)],
            workers=workers,
            progress=progress,
        )
        for write in report.writes:
            if write.action == "delete":
                self._doomed.pop(id(write.obj), None)
        if report.failures:
            raise CommitError(report)
        return report

    def rollback(self) -> list[Resource]:
        """Discard every pending change of the unit: assignments, in-place edits, new objects
        (they stay unsaved and empty) and deletion marks. Returns the objects that had some."""
        discarded = self.pending
        self._doomed.clear()
        for obj in discarded:
            obj.discard_changes()
            self._held.pop(id(obj), None)
        with self._lock:
            self._prune_watched()
        return discarded

    def close(self) -> None:
        """Discard what is unsaved (logging a warning that names it) and close the unit."""
        if self._default:
            raise TypeError("the default unit of a thread or task is never closed")
        if self._closed:
            return
        unsaved = [f"{obj!r} {sorted(obj.changes)}" for obj in self.pending]
        self.rollback()
        if unsaved:
            logger.warning(
                "a unit of work closed with unsaved changes; discarded: %s", ", ".join(unsaved)
            )
        self._closed = True
        self.client._unregister_unit(self)

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError(f"{self!r} is closed")

    # -- the with block ----------------------------------------------------------------------

    def __enter__(self) -> UnitOfWork:
        self._check_open()
        if self._default:
            raise TypeError("the default unit of a thread or task is always active")
        if self._tokens:
            raise RuntimeError(f"{self!r} is already active in a with block")
        units = {**active_units.get(), id(self.client): self}
        self._tokens.append(active_units.set(units))
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            self.close()
        finally:
            active_units.reset(self._tokens.pop())
