"""Tracking a record's changes: server data, pending assignments, in-place edits.

:class:`TrackedRecord` is the state behind every :class:`~zammad_orm.resource.Resource`:

* ``_data``, the record as the server last sent it. It is the very mapping the client's
  shared record cache holds, so it is never changed in place: fresh data replaces it;
* ``_pending``, the top-level fields assigned since, in their JSON form;
* ``_live``, the containers (dicts, lists) handed out to the caller, each with the server
  value it was last in step with. Comparing the two finds in-place edits such as
  ``user.preferences["x"] = 1`` without proxy objects, and the caller's container stays the
  one the object tracks across saves and reloads.

This module knows how changes are recorded, reported, merged with fresh server data, turned
into a payload and settled by the server's reply; :mod:`zammad_orm.resource` builds the public
record API and the requests on top of it.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from zammad_orm.cache import order_by_update
from zammad_orm.changes import (
    CONTAINERS,
    copy_value,
    disagree,
    rebase,
    same,
    sync_in_place,
    tracked_copy,
)
from zammad_orm.errors import UnsavedResourceError
from zammad_orm.json_values import check_json

if TYPE_CHECKING:
    from zammad_orm.client import Client
    from zammad_orm.manager import Manager
    from zammad_orm.unit_of_work import UnitOfWork

__all__ = ["MISSING", "NOTHING", "TrackedRecord", "persisted", "state_lock"]

#: the value of a field the object never held
MISSING: Any = object()

#: the pending changes and handed-out containers of an object that has none (shared; an
#: object gets dicts of its own on its first change)
NOTHING: Any = MappingProxyType({})

#: the locks guarding objects' state, shared by stripes: an object's lock is held only
#: briefly and never while another object's is taken, so sharing costs no deadlock and saves
#: a lock per object
_LOCKS = tuple(threading.RLock() for _ in range(64))


def state_lock(obj: object) -> threading.RLock:
    """The lock that guards ``obj``'s state."""
    return _LOCKS[(id(obj) >> 4) % len(_LOCKS)]


#: what :meth:`TrackedRecord._capture` returns: pending changes and live containers' contents
_State = tuple[dict[str, Any], dict[str, tuple[Any, Any, Any]]]


class TrackedRecord:
    """The change-tracking state of one record (see the module's docs)."""

    __slots__ = (
        "__dict__",
        "__weakref__",
        "_client",
        "_data",
        "_loaded",
        "_pending",
        "_stamp",
        "_unit",
    )

    #: the JSON keys the declarations stand for (``title``, ``from``, ``group_id``, ...)
    _declared_keys: ClassVar[frozenset[str]] = frozenset()
    #: keys the server accepts but never sends back (``article``)
    _write_only: ClassVar[frozenset[str]] = frozenset()
    #: (name key, id key) of each declared relation; ``("roles", "role_ids")`` for lists
    _relation_keys: ClassVar[tuple[tuple[str, str], ...]] = ()
    #: ``owner`` -> ``owner_id`` and back: a payload never holds both
    _counterparts: ClassVar[dict[str, str]] = {}
    #: expanded name key -> (id key, related manager name)
    _name_keys: ClassVar[dict[str, tuple[str, str]]] = {}
    #: the attributes of the fields whose read values may be kept in ``__dict__``
    _kept_attributes: ClassVar[tuple[str, ...]] = ()
    #: containers the server merges one level deep on update (a ticket's ``preferences``):
    #: an in-place edit sends only the keys it changed, so other writers' keys survive
    merged_containers: ClassVar[frozenset[str]] = frozenset()

    # Slots hold what every object sets when it is built. The state most objects never
    # change from its default lives in the class, and in the object's __dict__ once set
    # (read values are kept there anyway): a cached object costs 8 bytes less per such name.
    _client: Client
    _unit: UnitOfWork
    _data: Mapping[str, Any]
    _pending: dict[str, Any]
    _loaded: bool
    _stamp: float | None
    #: containers handed out: name -> [container, the server's value, a copy of it]
    _live: dict[str, list[Any]] = NOTHING
    #: server values other threads left for handed-out containers
    _newer: dict[str, Any] | None = None
    #: the objects relations gave last (name -> object), so reading them again is cheap
    _related: dict[str, Any] | None = None
    #: True while field values read are kept in the object's __dict__ (see Field.__get__)
    _reads: bool = False
    #: True once deleted
    _deleted: bool = False
    #: the user the object was read as (``client.acting_as``), or None
    _acting_as: str | None = None
    #: made on the first save (see Writes._writing)
    _write_lock: threading.RLock | None = None

    @property
    def _lock(self) -> threading.RLock:
        """The lock that guards the object's state: one of a few shared ones (see
        :func:`state_lock`), so an object costs no lock of its own."""
        return state_lock(self)

    @property
    def is_new(self) -> bool:
        """True until the object is saved on the server."""
        return self._data.get("id") is None

    def _forget_reads(self) -> None:
        """Drop the field values kept for fast reads (and nothing else the object's
        ``__dict__`` holds): the object's data or changes moved. Called after the move, so a
        read racing it either sees the new state or has its kept value dropped here."""
        if self._reads:
            object.__setattr__(self, "_reads", False)
            kept = self.__dict__
            for name in self._kept_attributes:
                kept.pop(name, None)

    def _own_pending(self) -> dict[str, Any]:
        """The object's own dict of pending changes (made on the first change)."""
        pending = self._pending
        if pending is NOTHING:
            pending = {}
            object.__setattr__(self, "_pending", pending)
        return pending

    def _own_live(self) -> dict[str, list[Any]]:
        """The object's own dict of handed-out containers (made on the first one)."""
        live = self._live
        if live is NOTHING:
            live = {}
            object.__setattr__(self, "_live", live)
        return live

    def _manager_for(self, name: str) -> Manager[Any]:
        """The client's manager called ``name``; a dotted name reaches a nested manager
        (``"time_accountings.types"``)."""
        manager: Any = self._client
        for part in name.split("."):
            manager = getattr(manager, part)
        return manager  # type: ignore[no-any-return]

    def _original(self, name: str) -> Any:
        entry = self._live.get(name)
        if entry is not None:
            return entry[1]
        return self._data.get(name, MISSING)

    def _write_field(self, name: str, value: Any, *, replaces: str | None = None) -> None:
        """Record ``value`` for ``name``; drop a pending ``replaces`` (``x`` vs ``x_id``).

        :raises TypeError, ValueError: ``value`` cannot be sent as JSON (see
            :mod:`zammad_orm.json_values`); nothing is recorded
        """
        if self._deleted:
            raise UnsavedResourceError(f"{self!r} was deleted")
        if not isinstance(value, TrackedRecord):  # a related object is sent as its id
            check_json(value, where=f"{type(self).__name__}.{name}")
        with self._lock:
            self._settle()
            for other in (replaces, self._counterparts.get(name)):
                if other is not None and other in self._pending:
                    del self._pending[other]
            original = self._original(name)
            if original is not MISSING and not self.is_new and same(original, value):
                if name in self._pending:
                    del self._pending[name]
                entry = self._live.get(name)
                if entry is not None and entry[0] is not value:
                    sync_in_place(entry[0], entry[1])
            else:
                self._own_pending()[name] = value
                if name in self._live:  # the assigned value replaces a handed-out one
                    del self._live[name]
            self._forget_reads()
        self._unit._track(self)

    @property
    def changes(self) -> dict[str, tuple[Any, Any]]:
        """``{field: (old, new)}`` for every field that differs from the loaded record, whether
        assigned or changed in place. ``old`` is ``None`` when the object never held it. The
        values are copies: changing them changes nothing."""
        with self._lock:
            self._settle()
            result: dict[str, tuple[Any, Any]] = {}
            for name, (container, base) in self._live.items():
                if name not in self._pending and not same(container, base):
                    result[name] = (copy_value(base), copy_value(container))
            for name, value in self._pending.items():
                original = self._original(name)
                if original is MISSING and name in self._name_keys:
                    original = self._held_label(name)
                old = None if original is MISSING else copy_value(original)
                result[name] = (old, copy_value(value))
            return result

    def _held_label(self, name_key: str) -> Any:
        """The name of the record a relation points to now, if known without a request."""
        id_key, manager_name = self._name_keys[name_key]
        current = self._data.get(id_key)
        if not isinstance(current, int):
            return MISSING
        manager = self._manager_for(manager_name)
        label = manager._known_label(current, acting_as=self._acting_as, unit=self._unit)
        return current if label is None else label

    @property
    def is_dirty(self) -> bool:
        """True when :meth:`save` has something to send."""
        if self._pending:
            return True
        if self._newer:
            self._settle()
        return any(not same(container, base) for container, base in self._live.values())

    def discard_changes(self) -> None:
        """Forget every pending change, including in-place edits of containers (which go back
        to the server's values and stay tracked)."""
        with self._lock:
            self._settle()
            if self._pending:
                self._pending.clear()
            for container, base in self._live.values():
                sync_in_place(container, base)
            self._forget_reads()
        self._unit._untrack(self)

    def _capture(self) -> _State:
        """The pending changes and live containers' contents, to put back on failure."""
        with self._lock:
            self._settle()
            live = {
                name: (entry[0], copy_value(entry[0]), entry[1])
                for name, entry in self._live.items()
            }
            return dict(self._pending), live

    def _restore(self, state: _State) -> None:
        """Put back what :meth:`_capture` saw: nothing of a failed call stays pending. A
        container's captured edits are laid over the newest server value the object holds,
        so what other writers did meanwhile stays."""
        pending, live = state
        with self._lock:
            self._settle()
            own = self._own_pending()
            own.clear()
            own.update(pending)
            self._forget_reads()
            for name, (container, contents, base) in live.items():
                entry = self._live.get(name)
                current = entry[1] if entry is not None else self._data.get(name, base)
                sync_in_place(container, contents)
                if current is not base:
                    rebase(container, base, current)
                self._own_live()[name] = [container, current]
        self._unit._track(self)

    # -- taking server data ------------------------------------------------------------------

    def _merge(
        self,
        record: Mapping[str, Any],
        *,
        complete: bool = False,
        stamp: float | None = None,
        foreign: bool = False,
    ) -> None:
        """Take fresh server data, never overwriting a field with unsaved changes.

        ``foreign`` data comes from another thread (another unit's write): the containers
        handed out to this object's owner are then not touched now, while the owner may be
        editing them, but brought up to date on the owner's next use of the object.
        """
        with self._lock:
            if not foreign:
                self._settle()
            held = self._data
            data = {**held, **record}
            for name_key, (id_key, _manager) in self._name_keys.items():
                # An expanded name goes stale when its id changes without it.
                if (
                    id_key in record
                    and name_key not in record
                    and not same(record[id_key], held.get(id_key))
                ):
                    data.pop(name_key, None)
            for name in self._live:
                if name in record:
                    if foreign:
                        if self._newer is None:
                            self._newer = {}
                        self._newer[name] = record[name]
                    else:
                        self._catch_up(name, record[name])
            for name in [name for name in self._pending if name in record]:
                if same(self._pending[name], record[name]):
                    del self._pending[name]  # the server now agrees
            self._data = data
            self._forget_reads()
            if complete:
                self._loaded = True
            self._stamp = self._client.cache.timer() if stamp is None else stamp

    def _take_newer(self, record: Mapping[str, Any], *, complete: bool) -> None:
        """Take another thread's copy of the record unless this object holds a newer one (by
        ``updated_at``); copies of the same moment that disagree on a field cannot be
        ordered, so the object then loads again (copies that only carry other fields are
        joined). Compared and merged under one lock."""
        with self._lock:
            order = order_by_update(self._data, record)
            if order == 0:
                if disagree(self._data, record):
                    self._expire()
                elif any(name not in self._data for name in record):
                    self._merge(record, complete=complete, foreign=True)
            elif order is None or order < 0:
                self._merge(record, complete=complete, foreign=True)

    def _catch_up(self, name: str, fresh: Any) -> None:
        """Bring the handed-out container ``name`` to the server's ``fresh`` value, keeping the
        caller's edits (laid over it key by key). Holds ``_lock``."""
        entry = self._live[name]
        container, base = entry
        if same(container, base):
            if not same(container, fresh) and not sync_in_place(container, fresh):
                entry[0] = tracked_copy(fresh, self)  # a type change: a new one
        else:
            rebase(container, base, fresh)  # the caller's edit over the newer value
        entry[1] = fresh

    def _settle(self) -> None:
        """Apply the newer server values other threads left for the handed-out containers."""
        newer = self._newer
        if not newer:
            return
        with self._lock:
            for name, fresh in newer.items():
                if name in self._live:
                    self._catch_up(name, fresh)
            newer.clear()

    def _expire(self) -> None:
        """Forget the server data (pending changes stay): the next read loads again."""
        with self._lock:
            ident = self._data.get("id")
            self._data = {} if ident is None else {"id": ident}
            self._forget_reads()
            self._loaded = False
            self._stamp = None

    def _wire(self, value: Any, name: str) -> Any:
        """The JSON to send for a pending value: copies, unsaved related objects as ids."""
        if isinstance(value, TrackedRecord):
            ident = value._data.get("id")
            if ident is None:
                raise UnsavedResourceError(
                    f"{type(self).__name__}.{name} refers to {value!r}, which is not saved "
                    "yet: save it first, or commit the unit of work (it creates it first)"
                )
            return ident
        return copy_value(value)

    def _outgoing(self) -> _Outgoing:
        """What to send: the payload; the values the server will hold once it is accepted;
        where each value came from; and the changes, for the signals."""
        with self._lock:
            changes = self.changes
            payload: dict[str, Any] = {}
            states: dict[str, Any] = {}
            sources: dict[str, Any] = {}
            for name in changes:
                if name in self._pending:
                    sources[name] = self._pending[name]
                else:
                    sources[name] = self._live[name][0]
                states[name] = payload[name] = self._wire(sources[name], name)
                if name in self.merged_containers and name not in self._pending and not self.is_new:
                    base = self._live[name][1]
                    if isinstance(base, dict) and isinstance(states[name], dict):
                        payload[name] = _changed_keys(base, states[name])
            return _Outgoing(payload, states, sources, changes)

    def _accept_reply(
        self, sent: Mapping[str, Any], sources: Mapping[str, Any], reply: Any
    ) -> None:
        """After a successful write: what was sent is now the server's state.

        A field assigned again (or a container edited again) while the request was in
        flight stays a change. Write-only keys and names sent for the server to resolve are
        dropped; the reply's ids stand for them.
        """
        echoed = reply if isinstance(reply, Mapping) else {}
        with self._lock:
            # Newer values other threads left while the request was in flight are applied by
            # the merge below, after what was sent became the base they are laid over.
            data = dict(self._data)
            for name, value in sent.items():
                source = sources[name]
                entry = self._live.get(name)
                keep = name in data or (
                    name in self._declared_keys and name not in self._write_only
                )
                if name in self._pending and self._pending[name] is source:
                    del self._pending[name]
                    if keep and isinstance(source, CONTAINERS):  # track the caller's container
                        self._own_live()[name] = [source, value]
                elif entry is not None and entry[0] is source:
                    entry[1] = value
                if keep and name not in echoed:
                    data[name] = value
                counterpart = self._counterparts.get(name)
                if name in self._name_keys and counterpart and counterpart not in echoed:
                    data.pop(counterpart, None)  # which id the name meant: ask the server
                    self._loaded = False
            self._data = data
            self._forget_reads()
            if echoed:
                self._merge(echoed, complete=self._loaded or persisted(echoed))
            else:
                self._settle()

    def _reapply(self, state: _State, *, skip: Mapping[str, Any]) -> None:
        """Lay the changes of ``state`` over the object's newer server data again."""
        pending, live = state
        for name, value in pending.items():
            if name not in skip:
                self._write_field(name, value)
        with self._lock:
            for name, (container, contents, base) in live.items():
                entry = self._live.get(name)
                if name in skip or entry is None or entry[0] is not container:
                    continue
                newer = copy_value(entry[1])
                sync_in_place(container, contents)
                rebase(container, base, newer)
        self._unit._track(self)


class _Outgoing(NamedTuple):
    payload: dict[str, Any]
    states: dict[str, Any]
    sources: dict[str, Any]
    changes: dict[str, tuple[Any, Any]]


def _changed_keys(base: Mapping[str, Any], edited: Mapping[str, Any]) -> dict[str, Any]:
    """The keys of ``edited`` that differ from ``base``; a removed key is sent as null (a
    merge cannot remove it)."""
    changed = {
        key: value for key, value in edited.items() if key not in base or not same(value, base[key])
    }
    changed.update({key: None for key in base if key not in edited})
    return changed


def persisted(data: Mapping[str, Any]) -> bool:
    """Whether ``data`` is a saved record (it has an integer id)."""
    ident = data.get("id")
    return isinstance(ident, int) and not isinstance(ident, bool)
