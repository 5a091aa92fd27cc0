"""Field descriptors: how a resource class declares its attributes and relations.

A resource keeps the JSON it got from the server; descriptors translate on the way in and out:

* :class:`Field` hands out the JSON value as it is, and checks assignments against its
  declared type (``Field[str]`` refuses ``42``);
* :class:`DateTimeField` turns Zammad's ISO-8601 timestamps into aware datetimes and back;
* :class:`DateField` does the same for date-only columns (``2024-01-12``) with
  :class:`datetime.date`;
* :class:`WriteOnlyField` is a key the server accepts but never sends back (a ticket's
  ``article``, a user's ``password``);
* :class:`Relation` turns ``<name>_id`` into the related object (from the object's unit of
  work) and accepts an object, an id or a name on assignment;
* :class:`RelationList` does the same for ``<singular>_ids`` lists, read as an immutable
  :class:`RelatedObjects` sequence.

Assigning through a descriptor records a change on the resource; see
:class:`~zammad_orm.resource.Resource` for how changes are tracked and saved.
"""

from __future__ import annotations

import datetime as dt
import functools
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from zammad_orm.json_values import shown
from zammad_orm.tracking import NOTHING, TrackedRecord

if TYPE_CHECKING:
    from zammad_orm.manager import Manager
    from zammad_orm.resource import Resource

__all__ = [
    "DateField",
    "DateTimeField",
    "Field",
    "RelatedObjects",
    "Relation",
    "RelationList",
    "WriteOnlyField",
    "accepts",
    "format_datetime",
    "parse_date",
    "parse_datetime",
]

T = TypeVar("T")
R = TypeVar("R", bound="Resource")

_ABSENT: Any = object()


@functools.lru_cache(maxsize=65536)
def parse_datetime(value: str | None) -> dt.datetime | None:
    """Zammad's timestamp (``2024-03-18T23:01:21.260Z``) as an aware datetime in UTC.

    Parsed values are remembered (datetimes are immutable), so reading ``t.created_at`` again
    costs a lookup, not a parse.
    """
    if value is None or value == "":
        return None
    text = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


def format_datetime(value: dt.datetime | None) -> str | None:
    """An aware datetime in Zammad's form: UTC, milliseconds, ``Z``.

    :raises ValueError: for a naive datetime, whose moment is unknown
    """
    if value is None:
        return None
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"a timezone-aware datetime is needed, got naive {value.isoformat()}; "
            "use e.g. datetime.now(timezone.utc)"
        )
    moment = value.astimezone(dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_date(value: str | None) -> dt.date | None:
    """A date-only column (``2024-01-12``) as a :class:`datetime.date`.

    Zammad renders date columns as plain dates; a full timestamp is cut to its date part as
    written (no time zone conversion: the column has none).
    """
    if value is None or value == "":
        return None
    return dt.date.fromisoformat(value[:10])


def _type_name(hint: Any) -> str:
    if isinstance(hint, type):
        return hint.__name__
    return str(hint).replace("typing.", "")


def accepts(hint: Any, value: Any) -> bool:
    """Whether ``value`` fits the declared type ``hint`` (JSON types; ``bool`` is not ``int``).

    Unions, ``None``, ``list[X]`` (items checked), ``dict[...]`` and plain classes are
    checked; anything else is accepted.
    """
    if hint is Any:
        return True
    if hint is None or hint is type(None):
        return value is None
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        return any(accepts(arg, value) for arg in typing.get_args(hint))
    if origin is list:
        args = typing.get_args(hint)
        return isinstance(value, list) and (
            not args or all(accepts(args[0], item) for item in value)
        )
    if origin is dict:
        return isinstance(value, dict)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(hint, type):
        return isinstance(value, hint)
    return True


def _parametrised_base(cls: type[Any]) -> Any:
    """The ``Field[X]`` a descriptor class derives from with a concrete ``X``, if any."""
    for klass in cls.__mro__:
        for base in getattr(klass, "__orig_bases__", ()):
            origin = typing.get_origin(base)
            args = typing.get_args(base)
            if (
                isinstance(origin, type)
                and issubclass(origin, Field)
                and args
                and not isinstance(args[0], TypeVar)
            ):
                return base
    return None


class Field(Generic[T]):
    """A JSON field of a resource, read and written as it is.

    Declared as ``Field[str](...)``, an assignment is checked against the type argument
    (``ticket.title = 42`` raises :class:`TypeError` before anything is recorded).

    :param read_only: assignment raises :class:`AttributeError` (e.g. ``id``, ``created_at``)
    :param key: the JSON key when it differs from the attribute name (``from_`` for ``from``)
    :param doc: what the field holds, for the docs
    """

    name: str
    attribute: str
    #: the declared type, taken from ``Field[...]`` (``Any`` when not given)
    hint: Any = Any
    _plain: bool = False
    _kept: bool = False

    def __init__(
        self, *, read_only: bool = False, key: str | None = None, doc: str | None = None
    ) -> None:
        self.read_only = read_only
        self._key = key
        self.__doc__ = doc

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self.attribute = name
        self.name = self._key or name
        #: values are handed out as they are (no conversion on the way out)
        self._plain = type(self).to_python is Field.to_python
        #: whether read values may be kept in the object's __dict__: only for fields its class
        #: declares (a custom field is looked up on the attribute list each time)
        self._kept = isinstance(owner, type) and owner is not object
        #: what turns a JSON value into the Python one on the hot path
        self._convert: Callable[[Any], Any] = self.to_python
        generic = getattr(self, "__orig_class__", None)
        if generic is None and self.hint is Any:  # class _Article(WriteOnlyField[dict]) too
            generic = _parametrised_base(type(self))
        if generic is not None:
            self.hint = typing.get_args(generic)[0]

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> Field[T]: ...

    @overload
    def __get__(self, instance: Resource, owner: type[Any]) -> T: ...

    def __get__(self, instance: Resource | None, owner: type[Any]) -> Field[T] | T:
        if instance is None:
            return self
        name = self.name
        # The hot path: a loaded scalar of an object without changes is a dict read.
        if instance._pending is NOTHING and instance._live is NOTHING:
            data = instance._data
            value = data.get(name, _ABSENT)
            if value is not _ABSENT and value.__class__ is not dict and value.__class__ is not list:
                if not self._plain:
                    value = self._convert(value)
                # Field is a non-data descriptor: the next read finds the value in the
                # object's __dict__ (a plain attribute lookup) until the object changes.
                if self._kept:
                    object.__setattr__(instance, "_reads", True)
                    instance.__dict__[self.attribute] = value
                    if instance._data is not data or instance._pending is not NOTHING:
                        # The object moved while this read ran: keep nothing stale.
                        instance.__dict__.pop(self.attribute, None)
                return value  # type: ignore[no-any-return]
        return self.to_python(instance._read_field(name))

    def assign(self, instance: Resource, value: T) -> None:
        """Record ``value`` as a change of this field of ``instance`` (what
        ``instance.field = value`` does: the resource routes assignments here)."""
        if self.read_only:
            raise AttributeError(f"{type(instance).__name__}.{self.attribute} is read-only")
        instance._write_field(self.name, self.to_json(value, owner=type(instance)))

    def to_python(self, raw: Any) -> T:
        """The Python value of the JSON value ``raw``."""
        return raw  # type: ignore[no-any-return]

    def to_json(self, value: T, *, owner: type[Any] | None = None) -> Any:
        """The JSON value to send for the Python value ``value``.

        :raises TypeError: when ``value`` does not fit the declared type
        """
        if not accepts(self.hint, value):
            where = f"{owner.__name__}.{self.attribute}" if owner else self.attribute
            raise TypeError(f"{where} takes {_type_name(self.hint)}, got {shown(value)}")
        return value


class DateTimeField(Field[dt.datetime | None]):
    """A timestamp: an aware :class:`datetime.datetime` in Python, ISO-8601 on the wire."""

    def __set_name__(self, owner: type[Any], name: str) -> None:
        super().__set_name__(owner, name)
        self._convert = parse_datetime  # remembered parses, without a method call on top

    def to_python(self, raw: Any) -> dt.datetime | None:
        """Parse Zammad's timestamp."""
        return parse_datetime(raw)

    def to_json(self, value: dt.datetime | None, *, owner: type[Any] | None = None) -> Any:
        """Format as Zammad does; a naive datetime raises :class:`ValueError`."""
        if value is not None and not isinstance(value, dt.datetime):
            raise TypeError(f"{self.attribute} takes a datetime or None, got {shown(value)}")
        try:
            return format_datetime(value)
        except (ValueError, OverflowError) as error:  # naive, or out of range in UTC
            raise ValueError(f"{self.attribute}: {error}") from None


class DateField(Field[dt.date | None]):
    """A date-only column: a :class:`datetime.date` in Python, ``YYYY-MM-DD`` on the wire.

    A date has no time zone, so nothing is converted: 12 January stays 12 January.
    """

    def to_python(self, raw: Any) -> dt.date | None:
        """Parse the date."""
        return parse_date(raw)

    def to_json(self, value: dt.date | None, *, owner: type[Any] | None = None) -> Any:
        """Format the date; a datetime is refused (say which day you mean with ``.date()``)."""
        if value is None:
            return None
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise TypeError(
                f"{self.attribute} takes a datetime.date or None, got {shown(value)}"
                + ("; use value.date()" if isinstance(value, dt.datetime) else "")
            )
        return value.isoformat()


class WriteOnlyField(Field[T]):
    """A key the server accepts on writes but never sends back (a ticket's ``article``).

    Assigning records it as a change without loading the record; reading raises
    :class:`AttributeError`. After a successful save the key is dropped.
    """

    def __get__(self, instance: Resource | None, owner: type[Any]) -> Any:
        if instance is None:
            return self
        if self.name in instance._pending:
            return instance._pending[self.name]
        raise AttributeError(
            f"{type(instance).__name__}.{self.attribute} is write-only: the server never "
            "sends it back"
        )


class Relation(Generic[R]):
    """A ``belongs_to`` relation: ``ticket.group`` for ``group_id``.

    Reading gives the related object from the object's unit of work (no request until one of
    its fields is read), or ``None``. Assigning accepts an object of the same client, an id,
    a name (or, for users, a login or email) or ``None``; see
    :meth:`~zammad_orm.manager.Manager.reference`.

    :param manager: the client attribute of the related family, e.g. ``"groups"``
    :param id_field: the JSON field with the id (default: ``<name>_id``)
    :param read_only: assignment raises :class:`AttributeError`
    """

    name: str

    def __init__(
        self,
        manager: str,
        *,
        id_field: str | None = None,
        read_only: bool = False,
        doc: str | None = None,
    ) -> None:
        self.manager_name = manager
        self._id_field = id_field
        #: the id field once known (the hot path reads it without the property's check)
        self._id_key = id_field or ""
        self.read_only = read_only
        self.__doc__ = doc

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self.name = name
        if self._id_field is None:
            self._id_field = f"{name}_id"
        self._id_key = self._id_field

    @property
    def id_field(self) -> str:
        """The JSON field holding the related id."""
        assert self._id_field is not None
        return self._id_field

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> Relation[R]: ...

    @overload
    def __get__(self, instance: Resource, owner: type[Any]) -> R | None: ...

    def __get__(self, instance: Resource | None, owner: type[Any]) -> Relation[R] | R | None:
        if instance is None:
            return self
        remembered = instance._related
        if remembered is not None and instance._pending is NOTHING:
            # The hot path: the object this relation gave last time, for the id the record
            # still holds, while that object's data is younger than the time to live.
            hit = remembered.get(self.name)
            if (
                hit is not None
                and instance._data.get(self._id_key, _ABSENT) == hit[0]
                and hit[2]() <= hit[3]
            ):
                return hit[1]  # type: ignore[no-any-return]
        if instance._pending is NOTHING and instance._data.get(self.id_field, _ABSENT) is None:
            return None
        return self._resolve(instance)

    def _resolve(self, instance: Resource) -> R | None:
        manager: Manager[R] = instance._manager_for(self.manager_name)
        pending_name = instance._pending.get(self.name)
        if isinstance(pending_name, str):
            return manager.by_reference(
                pending_name, acting_as=instance._acting_as, unit=instance._unit
            )
        related = instance._read_field(self.id_field)
        if related is None:
            return None
        if not isinstance(related, int):  # an unsaved object assigned in this unit
            return related  # type: ignore[no-any-return]
        obj = manager._handle(related, acting_as=instance._acting_as, unit=instance._unit)
        if self.id_field not in instance._pending:
            remembered = instance._related
            if remembered is None:
                remembered = {}
                object.__setattr__(instance, "_related", remembered)
            stamp = obj._stamp
            if stamp is not None:  # a handle never loaded is looked up again next time
                cache = instance._client.cache
                remembered[self.name] = (related, obj, cache.timer, stamp + cache.ttl_seconds)
        return obj

    def __set__(self, instance: Resource, value: R | int | str | None) -> None:
        if self.read_only:
            raise AttributeError(f"{type(instance).__name__}.{self.name} is read-only")
        manager: Manager[R] = instance._manager_for(self.manager_name)
        current = None
        if isinstance(value, str) and not instance.is_new:
            current = instance._held_value(self.id_field)
        reference = manager.reference(
            value, field=self.name, acting_as=instance._acting_as, current=current
        )
        if isinstance(reference, str):
            instance._write_field(self.name, reference, replaces=self.id_field)
        else:
            instance._write_field(self.id_field, reference, replaces=self.name)


class RelatedObjects(tuple):  # type: ignore[type-arg]
    """The objects of a ``has_many`` relation: an immutable sequence.

    Editing it in place would change nothing on the server, so the list methods raise with
    the way to do it: assign a new sequence (``user.roles = [*user.roles, role]``).
    """

    __slots__ = ()
    _relation = "the relation"

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        """Refused: the relation's objects are changed by assigning a new list."""
        raise TypeError(
            f"{self._relation} cannot be changed in place; assign a new list instead, e.g. "
            f"obj.{self._relation} = [*obj.{self._relation}, new_item]"
        )

    append = extend = insert = remove = pop = clear = sort = reverse = _refuse
    __setitem__ = __delitem__ = __iadd__ = _refuse


class RelationList(Generic[R]):
    """A ``has_many`` relation held as a list of ids: ``user.roles`` for ``role_ids``.

    Reading gives a :class:`RelatedObjects` tuple of related objects (one handle each from the
    object's unit); assigning takes objects, ids or, for lookup tables such as roles, names.

    :param manager: the client attribute of the related family, e.g. ``"roles"``
    :param ids_field: the JSON field with the ids
    """

    name: str

    def __init__(
        self, manager: str, *, ids_field: str, read_only: bool = False, doc: str | None = None
    ) -> None:
        self.manager_name = manager
        self.ids_field = ids_field
        self.read_only = read_only
        self.__doc__ = doc
        self._kind: type[RelatedObjects] = RelatedObjects

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self.name = name
        self._kind = type(f"RelatedObjects[{name}]", (RelatedObjects,), {"_relation": name})

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> RelationList[R]: ...

    @overload
    def __get__(self, instance: Resource, owner: type[Any]) -> tuple[R, ...]: ...

    def __get__(
        self, instance: Resource | None, owner: type[Any]
    ) -> RelationList[R] | tuple[R, ...]:
        if instance is None:
            return self
        manager: Manager[R] = instance._manager_for(self.manager_name)
        ids = instance._read_field(self.ids_field) or []
        return self._kind(
            manager._handle(related, acting_as=instance._acting_as, unit=instance._unit)
            for related in ids
        )

    def __set__(self, instance: Resource, values: Iterable[R | int | str]) -> None:
        if self.read_only:
            raise AttributeError(f"{type(instance).__name__}.{self.name} is read-only")
        if isinstance(values, str | bytes | Mapping | TrackedRecord) or not isinstance(
            values, Iterable
        ):
            raise TypeError(f"{self.name} takes a list of objects or ids, got {shown(values)}")
        manager: Manager[R] = instance._manager_for(self.manager_name)
        ids = [
            manager.reference_id(value, field=self.name, acting_as=instance._acting_as)
            for value in values
        ]
        instance._write_field(self.ids_field, ids)
