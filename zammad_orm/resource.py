"""The :class:`Resource` base: one Zammad record as a Python object.

A resource keeps three things apart:

* ``_data``, the record as the server last sent it (merged from every reply that held it);
* ``_pending``, the top-level fields assigned since, in their JSON form;
* ``_snapshots``, deep copies of the container values (dicts, lists) handed out to the
  caller, taken before the caller could touch them. Comparing a container with its snapshot
  finds in-place edits such as ``user.preferences["x"] = 1`` without proxy objects.

Reading a field the object does not hold loads the record once (one ``GET``); a handle that
was never loaded can still be changed and saved (one ``PUT``). ``save()`` sends only what
changed, and nothing at all when nothing did; a failed save keeps every change.
"""

from __future__ import annotations

import contextlib
import copy
import threading
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from zammad_orm import signals
from zammad_orm.errors import NotFound, UnsavedResourceError
from zammad_orm.fields import DateTimeField, Field, Relation, RelationList

if TYPE_CHECKING:
    from zammad_orm.client import Client
    from zammad_orm.manager import Manager

__all__ = ["Resource"]

Self = TypeVar("Self", bound="Resource")

_MISSING: Any = object()


def _same(left: Any, right: Any) -> bool:
    """Equal in value and in JSON type (so ``True`` differs from ``1``)."""
    if type(left) is not type(right) and (isinstance(left, bool) or isinstance(right, bool)):
        return False
    return bool(left == right)


class Resource:
    """One Zammad record. Subclasses declare their fields and relations with descriptors.

    Objects are built by the managers (``client.tickets(42)``, ``client.tickets.new(...)``),
    not directly. Every resource offers:

    * attribute access to its fields (declared ones, and any other the server sends);
    * ``obj["field"]`` for the raw JSON value and ``obj["field"] = value`` to send any field;
    * :attr:`changes`, :attr:`is_dirty`, :meth:`discard_changes`;
    * :meth:`save`, :meth:`update`, :meth:`delete`, :meth:`reload`, :meth:`view`.
    """

    #: the client attribute of this family's manager, e.g. ``"tickets"``
    manager_name: ClassVar[str]
    #: the key of this family in Zammad's ``assets`` (e.g. ``"Ticket"``)
    asset_key: ClassVar[str] = ""
    #: the attribute that names a record in messages and lookups
    label_field: ClassVar[str] = "name"

    id = Field[int](read_only=True, doc="The record's id; None until it is saved.")
    created_at = DateTimeField(read_only=True, doc="When the record was created.")
    updated_at = DateTimeField(read_only=True, doc="When the record was last changed.")
    created_by: Relation[Any] = Relation("users", read_only=True, doc="Who created it.")
    updated_by: Relation[Any] = Relation("users", read_only=True, doc="Who changed it last.")

    #: names of the declared descriptors, filled per class by __init_subclass__
    _declared: ClassVar[frozenset[str]] = frozenset()
    #: (name key, id key) of each declared belongs_to relation
    _relation_keys: ClassVar[tuple[tuple[str, str], ...]] = ()
    #: the JSON keys the declarations stand for (``title``, ``from``, ``group_id``, ...)
    _declared_keys: ClassVar[frozenset[str]] = frozenset()
    #: ``owner`` -> ``owner_id`` and back: a payload never holds both
    _counterparts: ClassVar[dict[str, str]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        declared: set[str] = set()
        keys: set[str] = set()
        relations: list[tuple[str, str]] = []
        for klass in reversed(cls.__mro__):
            for name, value in vars(klass).items():
                if isinstance(value, Field):
                    declared.add(name)
                    keys.add(value.name)
                elif isinstance(value, Relation):
                    declared.add(name)
                    keys.add(value.id_field)
                    relations.append((value.name, value.id_field))
                elif isinstance(value, RelationList):
                    declared.add(name)
                    keys.add(value.ids_field)
        cls._declared = frozenset(declared)
        cls._declared_keys = frozenset(keys)
        cls._relation_keys = tuple(dict.fromkeys(relations))
        cls._counterparts = {
            **dict(cls._relation_keys),
            **{id_key: name_key for name_key, id_key in cls._relation_keys},
        }

    def __init__(
        self,
        client: Client,
        id: int | None = None,
        *,
        info: Mapping[str, Any] | None = None,
        loaded: bool = False,
        acting_as: str | None = None,
    ) -> None:
        data = dict(info) if info else {}
        if id is None and "id" in data and self._persisted_record(data):
            id = data["id"]
        if id is not None:
            data["id"] = id
        object.__setattr__(self, "_client", client)
        object.__setattr__(self, "_data", data)
        object.__setattr__(self, "_pending", {})
        object.__setattr__(self, "_snapshots", {})
        object.__setattr__(self, "_loaded", loaded)
        object.__setattr__(self, "_deleted", False)
        object.__setattr__(self, "_acting_as", acting_as)
        object.__setattr__(self, "_lock", threading.RLock())
        object.__setattr__(self, "_load_lock", threading.Lock())

    _client: Client
    _data: dict[str, Any]
    _pending: dict[str, Any]
    _snapshots: dict[str, Any]
    _loaded: bool
    _deleted: bool
    _acting_as: str | None
    _lock: threading.RLock
    _load_lock: threading.Lock

    @staticmethod
    def _persisted_record(data: Mapping[str, Any]) -> bool:
        return isinstance(data.get("id"), int) and not isinstance(data.get("id"), bool)

    # -- identity ----------------------------------------------------------------------------

    @property
    def client(self) -> Client:
        """The client this object belongs to."""
        return self._client

    @property
    def manager(self) -> Manager[Any]:
        """The manager of this object's family on its client."""
        return self._manager_for(self.manager_name)

    @property
    def is_new(self) -> bool:
        """True until the object is saved on the server."""
        return self._data.get("id") is None

    @property
    def is_loaded(self) -> bool:
        """True once the object holds the whole record (no read will cause a request)."""
        return self._loaded

    def __repr__(self) -> str:
        ident = self._data.get("id")
        label = self._data.get(self.label_field, _MISSING)
        shown = "new" if ident is None else f"id={ident}"
        if label is not _MISSING:
            shown += f" {self.label_field}={label!r}"
        if self._pending:
            shown += " (changed)"
        return f"<{type(self).__name__} {shown}>"

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Resource)
        mine = self._data.get("id")
        return mine is not None and mine == other._data.get("id") and self._client is other._client

    def __hash__(self) -> int:
        ident = self._data.get("id")
        if ident is None:
            raise TypeError(f"an unsaved {type(self).__name__} is unhashable")
        return hash((type(self), ident))

    # -- reading -----------------------------------------------------------------------------

    def _manager_for(self, name: str) -> Manager[Any]:
        manager: Manager[Any] = getattr(self._client, name)
        return manager

    def _acting(self) -> contextlib.AbstractContextManager[None]:
        return self._client._acting(self._acting_as)

    def _read_field(self, name: str) -> Any:
        """The current value of the JSON field ``name``, loading the record once if needed."""
        if self._needs_load(name):
            with self._load_lock:  # threads reading one handle share one GET
                if self._needs_load(name):
                    self._load()
        with self._lock:
            if name in self._pending:
                return self._pending[name]
            if name not in self._data:
                if name in self._declared_keys:
                    return None  # declared, but this record (or a new object) lacks it
                which = "new" if self.is_new else self._data.get("id")
                raise AttributeError(f"{type(self).__name__} {which} has no field {name!r}")
            value = self._data[name]
            if isinstance(value, dict | list) and name not in self._snapshots:
                self._snapshots[name] = copy.deepcopy(value)
            return value

    def _needs_load(self, name: str) -> bool:
        return (
            name not in self._pending
            and name not in self._data
            and not self._loaded
            and not self.is_new
        )

    def __getattr__(self, name: str) -> Any:
        # Only called when normal lookup fails: undeclared fields the server sends.
        if name.startswith("_"):
            raise AttributeError(name)
        return self._read_field(name)

    def __getitem__(self, name: str) -> Any:
        """The raw JSON value of ``name`` (loading the record once if needed)."""
        try:
            return self._read_field(name)
        except AttributeError:
            raise KeyError(name) from None

    def __contains__(self, name: object) -> bool:
        return name in self._pending or name in self._data

    def view(self) -> dict[str, Any]:
        """A plain dict copy of the record as this object shows it (pending changes applied).

        Loads the record first if it was never loaded.
        """
        if not self._loaded and not self.is_new:
            self._load()
        with self._lock:
            merged = {**self._data, **self._pending}
            return copy.deepcopy(merged)

    # -- writing -----------------------------------------------------------------------------

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_") or name in self._declared or hasattr(type(self), name):
            object.__setattr__(self, name, value)
            return
        if name in self._declared_keys:  # a raw key behind a declaration, e.g. state_id
            self._write_field(name, value)
            return
        if not self.is_new and name not in self._data and name not in self._pending:
            if not self._loaded:
                self._load()
            if name not in self._data:
                raise AttributeError(
                    f"{type(self).__name__} has no field {name!r}; to send a field the server "
                    f"has not shown, use obj[{name!r}] = value"
                )
        self._write_field(name, value)

    def __setitem__(self, name: str, value: Any) -> None:
        """Set the raw JSON field ``name`` (recorded as a change like any assignment)."""
        if name == "id":
            raise KeyError("id is read-only")
        self._write_field(name, value)

    def _original(self, name: str) -> Any:
        if name in self._snapshots:
            return self._snapshots[name]
        return self._data.get(name, _MISSING)

    def _write_field(self, name: str, value: Any, *, replaces: str | None = None) -> None:
        """Record ``value`` for ``name``; drop a pending ``replaces`` (``x`` vs ``x_id``)."""
        if self._deleted:
            raise UnsavedResourceError(f"{self!r} was deleted")
        with self._lock:
            for other in (replaces, self._counterparts.get(name)):
                if other is not None:
                    self._pending.pop(other, None)
            original = self._original(name)
            if original is not _MISSING and _same(original, value):
                self._pending.pop(name, None)
                if name in self._snapshots:
                    self._data[name] = copy.deepcopy(self._snapshots[name])
            else:
                self._pending[name] = value

    @property
    def changes(self) -> dict[str, tuple[Any, Any]]:
        """``{field: (old, new)}`` for every field that differs from the loaded record, whether
        assigned or changed in place. ``old`` is ``None`` when the object never held it."""
        with self._lock:
            result: dict[str, tuple[Any, Any]] = {}
            for name, snapshot in self._snapshots.items():
                if name not in self._pending and not _same(self._data.get(name), snapshot):
                    result[name] = (snapshot, self._data.get(name))
            for name, value in self._pending.items():
                original = self._original(name)
                result[name] = (None if original is _MISSING else original, value)
            return result

    @property
    def is_dirty(self) -> bool:
        """True when :meth:`save` has something to send."""
        return bool(self.changes)

    def discard_changes(self) -> None:
        """Forget every pending change, including in-place edits of containers."""
        with self._lock:
            self._pending.clear()
            for name, snapshot in self._snapshots.items():
                self._data[name] = snapshot
            self._snapshots.clear()

    # -- talking to the server ---------------------------------------------------------------

    def _path(self) -> tuple[object, ...]:
        ident = self._data.get("id")
        if ident is None:
            raise UnsavedResourceError(f"{self!r} is not saved on the server yet")
        return (self.manager.endpoint, ident)

    @contextlib.contextmanager
    def _evicting_when_gone(self) -> Iterator[None]:
        """A 404 means the record is gone: drop it from every user's view of the cache."""
        try:
            yield
        except NotFound:
            self.manager.invalidate(self._data.get("id"))
            raise

    def _load(self) -> None:
        """Fetch the record (one request) and merge it."""
        with self._acting(), self._evicting_when_gone():
            self.manager._fetch(self)

    def reload(self: Self, *, discard_changes: bool = False) -> Self:
        """Fetch the record again. Pending changes survive unless ``discard_changes`` is set;
        fields with pending changes keep them, all others take the server's values."""
        if discard_changes:
            self.discard_changes()
        self._load()
        return self

    def _merge(self, record: Mapping[str, Any], *, complete: bool = False) -> None:
        """Take fresh server data, never overwriting a field with unsaved changes."""
        with self._lock:
            edited_in_place = {
                name
                for name, snapshot in self._snapshots.items()
                if not _same(self._data.get(name), snapshot)
            }
            for name_key, id_key in self._relation_keys:
                # An expanded name goes stale when its id changes without it.
                if (
                    id_key in record
                    and name_key not in record
                    and record[id_key] != self._data.get(id_key)
                ):
                    self._data.pop(name_key, None)
            for name, value in record.items():
                if name in edited_in_place:
                    continue  # the caller's edited container is the pending change
                held = self._data.get(name)
                if name in self._snapshots and type(held) is type(value) is dict:
                    held.clear()  # the caller may hold this dict: keep it the live one
                    held.update(value)
                    self._snapshots[name] = copy.deepcopy(value)
                elif name in self._snapshots and type(held) is type(value) is list:
                    held[:] = value
                    self._snapshots[name] = copy.deepcopy(value)
                else:
                    self._data[name] = value
                    self._snapshots.pop(name, None)
                # An assigned value stays pending (and shown) over the new server value,
                # unless the server now agrees with it.
                if name in self._pending and _same(self._pending[name], value):
                    del self._pending[name]
            if complete:
                self._loaded = True

    def _accept_reply(
        self, sent: Mapping[str, Any], reply: Any, sent_state: Mapping[str, Any] | None = None
    ) -> None:
        """After a successful write: the sent changes are now the server's state.

        A sent value the reply does not echo is kept only for a field the object already
        held; write-only keys (an ``article`` sub-hash, a user name for the server to
        resolve) are dropped, the reply's ids standing for them.
        """
        echoed = reply if isinstance(reply, Mapping) else {}
        with self._lock:
            for name, value in sent.items():
                if name in self._pending and self._pending[name] is value:
                    del self._pending[name]
                    if name not in echoed and name in self._data:
                        self._data[name] = value
                elif (
                    sent_state is not None
                    and name in self._snapshots
                    and not _same(self._data.get(name), sent_state[name])
                ):
                    # Edited in place again while the save was in flight: the server holds
                    # what was sent, the newer edit stays a change.
                    self._snapshots[name] = sent_state[name]
                    continue
                self._snapshots.pop(name, None)
            if echoed:
                self._merge(echoed, complete=self._persisted_record(echoed))

    @staticmethod
    def _payload(changes: Mapping[str, tuple[Any, Any]]) -> dict[str, Any]:
        return {name: new for name, (_old, new) in changes.items()}

    def save(self: Self) -> Self:
        """Send pending changes: a ``POST`` for a new object, a ``PUT`` holding only the
        changed fields otherwise, nothing at all when nothing changed.

        On success the reply is merged into the object (fields the reply lacks are kept) and
        the changes are cleared; on failure the object keeps every pending change.
        """
        if self._deleted:
            raise UnsavedResourceError(f"{self!r} was deleted")
        if self.is_new:
            return self._create()
        changes = self.changes
        if not changes:
            return self
        cls = type(self)
        signals.updating.send(cls, instance=self, client=self._client, changes=changes)
        payload = self._payload(changes)
        sent_state = copy.deepcopy(payload)
        with self._acting(), self._evicting_when_gone():
            reply = self._client.put(*self._path(), json=payload)
        self._accept_reply(payload, reply, sent_state)
        self.manager._share(self)
        signals.updated.send(cls, instance=self, client=self._client, changes=changes)
        return self

    def _create(self: Self) -> Self:
        cls = type(self)
        signals.creating.send(cls, instance=self, client=self._client)
        payload = self._payload(self.changes)
        with self._acting():
            reply = self._client.post(self.manager.endpoint, json=payload)
        self._accept_reply(payload, reply)
        if self.is_new:
            raise UnsavedResourceError(f"the server's reply to creating {self!r} has no id")
        self.manager._adopt(self)
        signals.created.send(cls, instance=self, client=self._client)
        return self

    def update(self: Self, **fields: Any) -> Self:
        """Assign ``fields`` (names resolve as on assignment) and :meth:`save` at once.

        Other pending changes of this object are sent along.
        """
        for name, value in fields.items():
            setattr(self, name, value)
        return self.save()

    def delete(self) -> None:
        """Delete the record on the server and drop it from the identity cache."""
        if self._deleted:
            raise UnsavedResourceError(f"{self!r} was deleted already")
        path = self._path()
        cls = type(self)
        signals.deleting.send(cls, instance=self, client=self._client)
        with self._acting(), self._evicting_when_gone():
            self._client.delete(*path)
        self.manager.invalidate(self._data.get("id"))  # gone for every user's view
        self._deleted = True
        signals.deleted.send(cls, instance=self, client=self._client)

    def _repr_html_(self) -> str:
        from zammad_orm.display import resource_html

        return resource_html(self)

    def __iter__(self) -> Iterator[str]:
        raise TypeError(f"{type(self).__name__} is not iterable; use .view() for a dict")
