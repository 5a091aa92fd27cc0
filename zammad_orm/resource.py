"""The :class:`Resource` base: one Zammad record as a Python object in a unit of work.

A resource keeps apart:

* ``_data``, the record as the server last sent it. It is the very mapping the client's
  shared record cache holds, so it is never changed in place: fresh data replaces it;
* ``_pending``, the top-level fields assigned since, in their JSON form;
* ``_live``, the containers (dicts, lists) handed out to the caller, each with the server
  value it was last in step with. Comparing the two finds in-place edits such as
  ``user.preferences["x"] = 1`` without proxy objects, and the caller's container stays the
  one the object tracks across saves and reloads.

Every object belongs to one unit of work (:mod:`zammad_orm.unit_of_work`), which owns its
pending changes. Reading a field the object does not hold loads the record once (one
``GET``, shared with any other thread asking for it at that moment). ``save()`` sends only
what changed, and nothing at all when nothing did; a failed save keeps every change, and a
failed ``update(**fields)`` leaves the object exactly as it was before the call.
"""

from __future__ import annotations

import contextlib
import difflib
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from zammad_orm.changes import (
    CONTAINERS,
    copy_value,
    same,
    tracked_copy,
)
from zammad_orm.errors import NotFound, UnsavedResourceError
from zammad_orm.fields import DateTimeField, Field, Relation, RelationList, WriteOnlyField
from zammad_orm.json_values import check_id, check_ids, shown
from zammad_orm.object_protocols import ObjectProtocols
from zammad_orm.tracking import MISSING, NOTHING, TrackedRecord
from zammad_orm.writes import Writes

# The slots' own setters: Resource.__setattr__ routes assignments, so builders bypass it.
_set_client, _set_unit, _set_data, _set_pending, _set_loaded, _set_stamp = (
    vars(TrackedRecord)[name].__set__
    for name in ("_client", "_unit", "_data", "_pending", "_loaded", "_stamp")
)

if TYPE_CHECKING:
    from zammad_orm.client import Client
    from zammad_orm.manager import Manager
    from zammad_orm.unit_of_work import UnitOfWork

__all__ = ["Resource"]

Self = TypeVar("Self", bound="Resource")


class Resource(ObjectProtocols, Writes):
    """One Zammad record. Subclasses declare their fields and relations with descriptors.

    Objects are built by the managers (``client.tickets(42)``, ``client.tickets.new(...)``),
    not directly. Every resource offers:

    * attribute access to its declared fields (and to any other field the server sent);
    * ``obj["field"]`` for the raw JSON value and ``obj["field"] = value`` to send any field;
    * :attr:`changes`, :attr:`is_dirty`, :meth:`discard_changes`;
    * :meth:`save`, :meth:`update`, :meth:`delete`, :meth:`reload`, :meth:`view`.
    """

    __slots__ = ()

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

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        declared: set[str] = set()
        keys: set[str] = set()
        write_only: set[str] = set()
        relations: list[tuple[str, str]] = []
        names: dict[str, tuple[str, str]] = {}
        for klass in reversed(cls.__mro__):
            for name, value in vars(klass).items():
                if isinstance(value, Field):
                    declared.add(name)
                    keys.add(value.name)
                    if isinstance(value, WriteOnlyField):
                        write_only.add(value.name)
                elif isinstance(value, Relation):
                    declared.add(name)
                    keys.add(value.id_field)
                    relations.append((value.name, value.id_field))
                    names[value.name] = (value.id_field, value.manager_name)
                elif isinstance(value, RelationList):
                    declared.add(name)
                    keys.add(value.ids_field)
                    names[value.name] = (value.ids_field, value.manager_name)
        cls._declared = frozenset(declared)
        attributes = {name for klass in cls.__mro__ for name in vars(klass)}
        cls._kept_attributes = tuple(
            sorted(name for name in attributes if isinstance(getattr(cls, name, None), Field))
        )
        cls._declared_keys = frozenset(keys)
        cls._write_only = frozenset(write_only)
        cls._relation_keys = tuple(dict.fromkeys(relations))
        cls._name_keys = names
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
        unit: UnitOfWork | None = None,
        stamp: float | None = None,
    ) -> None:
        data: Mapping[str, Any] = info if info is not None else {}
        if id is not None and data.get("id") != id:
            data = {**data, "id": id}
        setattr_ = object.__setattr__
        setattr_(self, "_client", client)
        setattr_(self, "_unit", unit if unit is not None else client._current_unit())
        setattr_(self, "_data", data)
        setattr_(self, "_pending", NOTHING)
        setattr_(self, "_loaded", loaded)
        if acting_as is not None:
            setattr_(self, "_acting_as", acting_as)
        setattr_(self, "_stamp", stamp if data else None)

    @classmethod
    def _from_record(
        cls: type[Self],
        client: Client,
        unit: UnitOfWork,
        data: Mapping[str, Any],
        loaded: bool,
        stamp: float,
        acting_as: str | None,
    ) -> Self:
        """What ``cls(client, data["id"], info=data, ...)`` builds, without the keyword
        call: a page builds one per record. A class with an ``__init__`` or a ``__new__``
        of its own is called as usual."""
        if cls.__init__ is not Resource.__init__ or cls.__new__ is not object.__new__:
            return cls(
                client,
                data["id"],
                info=data,
                loaded=loaded,
                acting_as=acting_as,
                unit=unit,
                stamp=stamp,
            )
        obj = object.__new__(cls)
        _set_client(obj, client)
        _set_unit(obj, unit)
        _set_data(obj, data)
        _set_pending(obj, NOTHING)
        _set_loaded(obj, loaded)
        _set_stamp(obj, stamp)
        if acting_as is not None:
            object.__setattr__(obj, "_acting_as", acting_as)
        return obj

    # -- identity ----------------------------------------------------------------------------

    @property
    def client(self) -> Client:
        """The client this object belongs to."""
        return self._client

    @property
    def unit_of_work(self) -> UnitOfWork:
        """The unit of work that owns this object and its pending changes."""
        return self._unit

    @property
    def manager(self) -> Manager[Any]:
        """The manager of this object's family on its client."""
        return self._manager_for(self.manager_name)

    @property
    def is_loaded(self) -> bool:
        """True once the object holds the whole record (no read will cause a request)."""
        return self._loaded

    @property
    def is_deleted(self) -> bool:
        """True once :meth:`delete` succeeded."""
        return self._deleted

    def __repr__(self) -> str:
        ident = self._data.get("id")
        label = self._pending.get(self.label_field, self._data.get(self.label_field, MISSING))
        shown = "new" if ident is None else f"id={ident}"
        if label is not MISSING:
            shown += f" {self.label_field}={label!r}"
        if self._pending:
            shown += " (changed)"
        if self._deleted:
            shown += " (deleted)"
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

    def _acting(self) -> contextlib.AbstractContextManager[None]:
        return self._client._acting(self._acting_as)

    def _read_field(self, name: str) -> Any:
        """The current value of the JSON field ``name``, loading the record once if needed."""
        pending = self._pending
        if name in pending:
            return pending[name]
        if name in self._name_keys and self._name_is_stale(name):
            return self._current_names(name)
        entry = self._live.get(name)
        if entry is not None:
            if self._newer:
                self._settle()
                entry = self._live[name]
            return entry[0]
        data = self._data
        if name in data:
            value = data[name]
            if isinstance(value, CONTAINERS):
                return self._hand_out(name, value)
            return value
        if self._needs_load(name):
            self._load()
            return self._read_field(name)
        if name in self._name_keys and self._name_keys[name][0] in data:
            return self._current_names(name)  # the name of the id the record holds
        if name in self._declared_keys:
            return None  # declared, but this record (or a new object) lacks it
        which = "new" if self.is_new else self._data.get("id")
        raise AttributeError(f"{type(self).__name__} {which} has no field {name!r}")

    def _hand_out(self, name: str, value: Any) -> Any:
        """A private copy of the container ``value``, tracked for in-place edits."""
        with self._lock:
            entry = self._live.get(name)
            if entry is None:
                entry = self._own_live()[name] = [tracked_copy(value, self), value]
                self._unit._watch(self)
            return entry[0]

    def _held_value(self, name: str) -> Any:
        """The value of ``name`` as the object shows it, without loading (None if unknown)."""
        if name in self._pending:
            return self._pending[name]
        return self._data.get(name)

    def _needs_load(self, name: str) -> bool:
        return (
            not self._loaded
            and name not in self._pending
            and name not in self._live
            and name not in self._data
            and self._data.get("id") is not None
        )

    def _name_is_stale(self, name_key: str) -> bool:
        """Whether an expanded name (``ticket["state"]``) no longer matches its id key."""
        id_key, _manager = self._name_keys[name_key]
        if name_key in self._pending:
            return False
        return id_key in self._pending or (id_key in self._live and not same(*self._live[id_key]))

    def _current_names(self, name_key: str) -> Any:
        """The expanded name(s) for the id(s) the object shows now."""
        id_key, manager_name = self._name_keys[name_key]
        manager = self._manager_for(manager_name)
        value = self._read_field(id_key)
        label = manager.resource_class.label_field

        def label_of(ident: Any) -> Any:
            if isinstance(ident, Resource):
                return ident._held_value(label)
            return manager._handle(ident, acting_as=self._acting_as, unit=self._unit)[label]

        if isinstance(value, list):
            return [label_of(ident) for ident in value]
        return None if value is None else label_of(value)

    def __getattr__(self, name: str) -> Any:
        # Only called when normal lookup fails: fields the class does not declare. They are
        # read from what the object holds and never cause a request (``hasattr`` stays free);
        # obj["name"] loads the record to find any server field.
        if name.startswith("_"):
            raise AttributeError(name)
        custom = self._client._custom_fields(type(self)).get(name)
        if custom is not None:  # a custom field (object manager attribute), typed
            try:
                return custom.__get__(self, type(self))
            except AttributeError:
                return None  # the record predates the attribute's migration
        if name in self._pending or name in self._live or name in self._data:
            return self._read_field(name)
        if name in self._declared_keys:
            return self._read_field(name)
        raise AttributeError(self._no_such_field(name, loaded=self._loaded or self.is_new))

    def _no_such_field(self, name: str, *, loaded: bool) -> str:
        custom = self._client._custom_fields(type(self), fetch=False)
        known = sorted(self._declared | set(self._data) | set(self._pending) | set(custom))
        close = difflib.get_close_matches(name, known, n=3)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        raw = (
            ""
            if loaded
            else f" (it is not loaded: obj[{name!r}] loads the record and reads any field)"
        )
        return f"{type(self).__name__} has no field {name!r}{hint}{raw}"

    def __getitem__(self, name: str) -> Any:
        """The raw JSON value of ``name`` (loading the record once if needed)."""
        try:
            return self._read_field(name)
        except AttributeError:
            raise KeyError(name) from None

    def __contains__(self, name: object) -> bool:
        return name in self._pending or name in self._live or name in self._data

    def view(self) -> dict[str, Any]:
        """A plain dict copy of the record as this object shows it (pending changes applied).

        Loads the record first if it was never loaded.
        """
        if not self._loaded and not self.is_new:
            self._load()
        with self._lock:
            self._settle()
            merged = {**self._data, **{name: e[0] for name, e in self._live.items()}}
            merged.update(self._pending)
            return {name: copy_value(value) for name, value in merged.items()}

    # -- writing -----------------------------------------------------------------------------

    def __setattr__(self, name: str, value: Any) -> None:
        declared = getattr(type(self), name, None)
        if isinstance(declared, Field):  # fields are read fast, assigned through here
            setter = getattr(type(declared), "__set__", None)
            if setter is not None:  # a user's Field subclass that defines __set__
                setter(declared, self, value)
            else:
                declared.assign(self, value)
            return
        if name.startswith("_") or name in self._declared or hasattr(type(self), name):
            object.__setattr__(self, name, value)
            return
        if name in self._declared_keys:  # a raw key behind a declaration, e.g. state_id
            self._check_id_key(name, value)
            self._write_field(name, value)
            return
        custom = self._client._custom_fields(type(self)).get(name)
        if custom is not None:  # a custom field: typed and checked like a declared one
            custom.assign(self, value)
            return
        if name not in self._data and name not in self._pending:
            if self._needs_load(name):
                self._load()
            if name not in self._data:
                raise AttributeError(
                    self._no_such_field(name, loaded=True)
                    + f"; to send a field the library does not know, use obj[{name!r}] = value"
                )
        self._write_field(name, value)

    def __setitem__(self, name: str, value: Any) -> None:
        """Set the raw JSON field ``name`` (recorded as a change like any assignment)."""
        if not isinstance(name, str):
            raise TypeError(f"field names are str, got {shown(name)}")
        if name == "id":
            raise KeyError("id is read-only")
        self._check_id_key(name, value)
        self._write_field(name, value)

    def _check_id_key(self, name: str, value: Any) -> None:
        """An id key behind a declared relation (``state_id``, ``role_ids``) takes ids."""
        name_key = self._counterparts.get(name)
        where = f"{type(self).__name__}.{name}"
        if name_key is not None and name_key in self._name_keys:
            if not isinstance(value, TrackedRecord):
                check_id(value, where=where, optional=True)
        elif any(ids_key == name for ids_key, _manager in self._name_keys.values()):
            check_ids(value, where=where)

    def _create_path(self) -> tuple[object, ...]:
        """Where a new object is POSTed (a family may prefer a nested route)."""
        return (self.manager.endpoint,)

    def _after_write(self, action: str) -> None:
        """Called after a successful create, update or delete through this object, before
        the ``-ed`` signal: a family keeps the records its writes change right (a new
        article changes its ticket)."""

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
            self._client._forget_record(self.manager, self._data.get("id"), source=self)
            raise

    def _load(self, *, force: bool = False) -> None:
        """Take the record from the shared cache, or fetch it (one request for all threads)."""
        with self._evicting_when_gone():
            self.manager._load(self, force=force)

    def reload(self: Self, *, discard_changes: bool = False) -> Self:
        """Fetch the record again (always one request). Pending changes survive unless
        ``discard_changes`` is set; a container edited in place keeps the caller's edits laid
        over the server's newer value."""
        self._load(force=True)
        if discard_changes:
            self.discard_changes()
        return self

    def _repr_html_(self) -> str:
        from zammad_orm.display import resource_html

        return resource_html(self)

    def __iter__(self) -> Iterator[str]:
        raise TypeError(f"{type(self).__name__} is not iterable; use .view() for a dict")
