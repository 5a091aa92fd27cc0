"""Dotted field paths (``"title"``, ``"state.name"``, ``"customer.email"``) read from what
objects already hold: the record data, pending changes and the shared record cache. Reading a path
never makes a request; :mod:`zammad_orm.records` loads what is missing first, in bulk.

A path's steps are attribute names of the resource classes (``customer``, not
``customer_id``); a step through a relation continues on the related object, and a path ending
on a relation gives the related object's label (a state's name, a user's login).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from zammad_orm.fields import Field, Relation, RelationList
from zammad_orm.resource import Resource

__all__ = [
    "ABSENT",
    "cached_label",
    "held_step",
    "label_of",
    "read_path",
    "related_handles",
    "split_path",
]


class _Absent:
    """The marker for "the object does not hold this (yet)"."""

    def __repr__(self) -> str:
        return "ABSENT"


#: returned when an object does not hold the value a step needs
ABSENT: Any = _Absent()


def split_path(path: str) -> tuple[str, ...]:
    """``"customer.email"`` as ``("customer", "email")``.

    :raises ValueError: for an empty path or an empty step (``"state..name"``)
    """
    if not isinstance(path, str):
        raise TypeError(f"a field path is a str such as 'state.name', got {path!r}")
    steps = tuple(path.split("."))
    if not path or any(not step.strip() for step in steps):
        raise ValueError(f"a field path names attributes joined by dots, got {path!r}")
    return steps


def _held_raw(obj: Resource, key: str) -> Any:
    if key in obj._pending:
        return obj._pending[key]
    return obj._data.get(key, ABSENT)


def _cached(obj: Resource, manager_name: str, ident: Any) -> Resource | None:
    """The object of ``obj``'s unit of work for a related record, when the unit or the shared
    cache holds that record (no request); else None."""
    manager = obj._manager_for(manager_name)
    key = manager._key(ident, obj._acting_as)
    found = obj._unit._get(key)
    if found is not None:
        return found
    if obj.client.cache.record(key) is None:
        return None
    related: Resource = manager._handle(ident, acting_as=obj._acting_as, unit=obj._unit)
    return related


def held_step(obj: Resource, step: str) -> Any:
    """The value of attribute ``step`` as far as ``obj`` holds it, without a request.

    A relation gives the cached related object, or :data:`ABSENT` when the cache lacks it; a
    relation list gives the cached objects it can find.
    """
    descriptor = getattr(type(obj), step, None)
    if isinstance(descriptor, Field):
        raw = _held_raw(obj, descriptor.name)
        return raw if raw is ABSENT or raw is None else descriptor.to_python(raw)
    if isinstance(descriptor, Relation):
        pending_name = obj._pending.get(descriptor.name)
        if isinstance(pending_name, str):
            return pending_name  # assigned by name; the server resolves it on save
        ident = _held_raw(obj, descriptor.id_field)
        if ident is ABSENT or ident is None:
            return ident
        related = _cached(obj, descriptor.manager_name, ident)
        return ABSENT if related is None else related
    if isinstance(descriptor, RelationList):
        ids = _held_raw(obj, descriptor.ids_field)
        if ids is ABSENT or ids is None:
            return ids
        return [_cached(obj, descriptor.manager_name, ident) or ident for ident in ids]
    if descriptor is not None:
        return ABSENT  # a property or method: computing it could make requests
    return _held_raw(obj, step)


def related_handles(obj: Resource, step: str) -> list[Resource]:
    """The objects relation ``step`` of ``obj`` points to, as cached handles (built when
    missing, never loaded); empty for a step that is no relation or holds no id."""
    descriptor = getattr(type(obj), step, None)
    if isinstance(descriptor, Relation):
        ident = _held_raw(obj, descriptor.id_field)
        ids = [] if ident is ABSENT or ident is None else [ident]
    elif isinstance(descriptor, RelationList):
        held = _held_raw(obj, descriptor.ids_field)
        ids = [] if held is ABSENT or held is None else list(held)
    else:
        return []
    manager = obj._manager_for(descriptor.manager_name)
    return [manager._handle(ident, acting_as=obj._acting_as, unit=obj._unit) for ident in ids]


def label_of(obj: Resource) -> Any:
    """What names ``obj`` in a table: its label field (a name, a login, a title) when held,
    else its id."""
    label = obj._data.get(type(obj).label_field, ABSENT)
    return obj._data.get("id") if label is ABSENT or label is None else label


def cached_label(obj: Resource, key: str, ident: Any) -> Any:
    """The label of the record that id ``ident`` in ``obj``'s relation key ``key`` (e.g.
    ``state_id``) points to, when the unit or the shared cache holds it; else :data:`ABSENT`."""
    name = obj._counterparts.get(key)
    descriptor = getattr(type(obj), name, None) if name is not None else None
    if not isinstance(descriptor, Relation) or descriptor.id_field != key or ident is None:
        return ABSENT
    related = _cached(obj, descriptor.manager_name, ident)
    if related is None or type(related).label_field not in related._data:
        return ABSENT
    return label_of(related)


def _plain(value: Any) -> Any:
    if isinstance(value, Resource):
        return label_of(value)
    if isinstance(value, list):
        return [label_of(item) if isinstance(item, Resource) else item for item in value]
    return value


def read_path(obj: Resource, steps: Sequence[str]) -> Any:
    """The value at ``steps`` from what ``obj`` and the cache hold: a plain value, ``None``
    when a relation on the way is empty, :data:`ABSENT` when something on the way is not held.
    """
    value: Any = obj
    for step in steps:
        if value is None:
            return None  # an empty relation on the way
        if not isinstance(value, Resource):
            return ABSENT  # a plain value (or a name not resolved yet) has no attributes
        value = held_step(value, step)
        if value is ABSENT:
            return ABSENT
    return _plain(value)
