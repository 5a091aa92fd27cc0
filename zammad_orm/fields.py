"""Field descriptors: how a resource class declares its attributes and relations.

A resource keeps the JSON it got from the server; descriptors translate on the way in and out:

* :class:`Field` hands out the JSON value as it is;
* :class:`DateTimeField` turns Zammad's ISO-8601 strings into timezone-aware datetimes and back;
* :class:`Relation` turns ``<name>_id`` into the related object (through the identity cache)
  and accepts an object, an id or a name on assignment;
* :class:`RelationList` does the same for ``<singular>_ids`` lists.

Assigning through a descriptor records a change on the resource; see
:class:`~zammad_orm.resource.Resource` for how changes are tracked and saved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

if TYPE_CHECKING:
    from zammad_orm.manager import Manager
    from zammad_orm.resource import Resource

__all__ = [
    "DateTimeField",
    "Field",
    "Relation",
    "RelationList",
    "format_datetime",
    "parse_datetime",
]

T = TypeVar("T")
R = TypeVar("R", bound="Resource")


def parse_datetime(value: str | None) -> dt.datetime | None:
    """Zammad's timestamp (``2024-03-18T23:01:21.260Z``) as an aware datetime in UTC."""
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


class Field(Generic[T]):
    """A JSON field of a resource, read and written as it is.

    :param read_only: assignment raises :class:`AttributeError` (e.g. ``id``, ``created_at``)
    :param key: the JSON key when it differs from the attribute name (``from_`` for ``from``)
    :param doc: what the field holds, for the docs
    """

    name: str

    def __init__(
        self, *, read_only: bool = False, key: str | None = None, doc: str | None = None
    ) -> None:
        self.read_only = read_only
        self._key = key
        self.__doc__ = doc

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self.name = self._key or name

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> Field[T]: ...

    @overload
    def __get__(self, instance: Resource, owner: type[Any]) -> T: ...

    def __get__(self, instance: Resource | None, owner: type[Any]) -> Field[T] | T:
        if instance is None:
            return self
        return self.to_python(instance._read_field(self.name))

    def __set__(self, instance: Resource, value: T) -> None:
        if self.read_only:
            raise AttributeError(f"{type(instance).__name__}.{self.name} is read-only")
        instance._write_field(self.name, self.to_json(value))

    def to_python(self, raw: Any) -> T:
        """The Python value of the JSON value ``raw``."""
        return raw  # type: ignore[no-any-return]

    def to_json(self, value: T) -> Any:
        """The JSON value to send for the Python value ``value``."""
        return value


class DateTimeField(Field[dt.datetime | None]):
    """A timestamp: an aware :class:`datetime.datetime` in Python, ISO-8601 on the wire."""

    def to_python(self, raw: Any) -> dt.datetime | None:
        """Parse Zammad's timestamp."""
        return parse_datetime(raw)

    def to_json(self, value: dt.datetime | None) -> Any:
        """Format as Zammad does; a naive datetime raises :class:`ValueError`."""
        if value is not None and not isinstance(value, dt.datetime):
            raise TypeError(f"{self.name} takes a datetime or None, got {value!r}")
        return format_datetime(value)


class Relation(Generic[R]):
    """A ``belongs_to`` relation: ``ticket.group`` for ``group_id``.

    Reading gives the related object from the identity cache (no request until one of its
    fields is read), or ``None``. Assigning accepts an object, an id, a name (or, for users,
    a login or email) or ``None``; see :meth:`~zammad_orm.manager.Manager.reference`.

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
        self.read_only = read_only
        self.__doc__ = doc

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self.name = name
        if self._id_field is None:
            self._id_field = f"{name}_id"

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
        manager: Manager[R] = instance._manager_for(self.manager_name)
        pending_name = instance._pending.get(self.name)
        if isinstance(pending_name, str):
            return manager.by_reference(pending_name, acting_as=instance._acting_as)
        related_id = instance._read_field(self.id_field)
        if related_id is None:
            return None
        return manager._handle(related_id, acting_as=instance._acting_as)

    def __set__(self, instance: Resource, value: R | int | str | None) -> None:
        if self.read_only:
            raise AttributeError(f"{type(instance).__name__}.{self.name} is read-only")
        manager: Manager[R] = instance._manager_for(self.manager_name)
        reference = manager.reference(value, field=self.name)
        if isinstance(reference, str):
            instance._write_field(self.name, reference, replaces=self.id_field)
        else:
            instance._write_field(self.id_field, reference, replaces=self.name)


class RelationList(Generic[R]):
    """A ``has_many`` relation held as a list of ids: ``user.roles`` for ``role_ids``.

    Reading gives a list of related objects (one cached handle each); assigning takes objects,
    ids or, for lookup tables such as roles, names.

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

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> RelationList[R]: ...

    @overload
    def __get__(self, instance: Resource, owner: type[Any]) -> list[R]: ...

    def __get__(self, instance: Resource | None, owner: type[Any]) -> RelationList[R] | list[R]:
        if instance is None:
            return self
        manager: Manager[R] = instance._manager_for(self.manager_name)
        ids = instance._read_field(self.ids_field) or []
        return [manager._handle(related, acting_as=instance._acting_as) for related in ids]

    def __set__(self, instance: Resource, values: Iterable[R | int | str]) -> None:
        if self.read_only:
            raise AttributeError(f"{type(instance).__name__}.{self.name} is read-only")
        if isinstance(values, str | bytes) or not isinstance(values, Iterable):
            raise TypeError(f"{self.name} takes a list of objects or ids, got {values!r}")
        manager: Manager[R] = instance._manager_for(self.manager_name)
        ids = [manager.reference_id(value, field=self.name) for value in values]
        instance._write_field(self.ids_field, ids)
