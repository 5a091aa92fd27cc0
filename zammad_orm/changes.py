"""Comparing and copying JSON values for change tracking.

Zammad's JSON distinguishes ``true`` from ``1``; Python's ``==`` does not (``True == 1``, also
inside dicts and lists). :func:`same` compares the way the server would see the difference.
The other helpers keep a container the caller holds *the same object* while its contents
follow the server (:func:`sync_in_place`) or while the caller's edits are laid over a newer
server value (:func:`rebase`).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

__all__ = [
    "CONTAINERS",
    "TrackedDict",
    "TrackedList",
    "copy_value",
    "disagree",
    "rebase",
    "same",
    "sync_in_place",
    "tracked_copy",
]

#: the JSON types a caller can change in place
CONTAINERS = (dict, list)


def same(left: Any, right: Any) -> bool:
    """Equal as JSON: ``True`` differs from ``1`` at any depth; ``1`` equals ``1.0``."""
    if left is right:
        return True
    if isinstance(left, dict):
        if not isinstance(right, dict) or len(left) != len(right):
            return False
        return all(key in right and same(value, right[key]) for key, value in left.items())
    if isinstance(left, list | tuple):
        if not isinstance(right, list | tuple) or len(left) != len(right):
            return False
        return all(same(a, b) for a, b in zip(left, right, strict=True))
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if isinstance(right, dict | list | tuple):
        return False
    return bool(left == right)


def disagree(first: Mapping[str, Any], second: Mapping[str, Any]) -> bool:
    """Whether two copies of one record hold different values (see :func:`same`) for a field
    both have. Copies from different replies of one moment differ in which fields they carry
    (a ticket's ``assets`` copy adds ``article_ids``), not in the values they share."""
    return any(name in first and not same(first[name], value) for name, value in second.items())


def copy_value(value: Any) -> Any:
    """A copy safe to hand out: containers deep-copied, resources (unsaved objects waiting
    in a relation) passed as themselves."""
    if isinstance(value, CONTAINERS):
        return copy.deepcopy(value)
    return value


class TrackedDict(dict):  # type: ignore[type-arg]
    """A dict handed out by a resource (``ticket.preferences``). It is a plain dict to its
    holder, and keeps its resource alive while held, so an edit made after the last
    reference to the resource went away is still found and saved. Copies and pickles are
    plain dicts."""

    __slots__ = ("_owner",)

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[Any, Any]:
        return copy.deepcopy(dict(self), memo)

    def __copy__(self) -> dict[Any, Any]:
        return dict(self)

    def __reduce__(self) -> Any:
        return (dict, (dict(self),))


class TrackedList(list):  # type: ignore[type-arg]
    """A list handed out by a resource (``user.role_ids``); see :class:`TrackedDict`."""

    __slots__ = ("_owner",)

    def __deepcopy__(self, memo: dict[int, Any]) -> list[Any]:
        return copy.deepcopy(list(self), memo)

    def __copy__(self) -> list[Any]:
        return list(self)

    def __reduce__(self) -> Any:
        return (list, (list(self),))


def tracked_copy(value: Any, owner: object) -> Any:
    """A copy of the container ``value`` to hand out for ``owner`` (other values as they are)."""
    if isinstance(value, dict):
        result: Any = TrackedDict(copy.deepcopy(value))
    elif isinstance(value, list):
        result = TrackedList(copy.deepcopy(value))
    else:
        return value
    result._owner = owner
    return result


def sync_in_place(container: Any, value: Any) -> bool:
    """Make ``container`` hold a copy of ``value`` without replacing the object.

    Returns False (and changes nothing) when ``value`` is not of the container's type.
    """
    if isinstance(container, dict) and isinstance(value, dict):
        fresh = copy.deepcopy(value)
        container.clear()
        container.update(fresh)
        return True
    if isinstance(container, list) and isinstance(value, list):
        container[:] = copy.deepcopy(value)
        return True
    return False


def rebase(container: Any, base: Any, newer: Any) -> None:
    """Lay the caller's edits (``container`` against ``base``) over the server's ``newer``.

    For dicts, the keys the caller added, changed or removed since ``base`` are applied to a
    copy of ``newer``; keys only another writer changed keep that writer's values. A list, or
    a type change, keeps the caller's value as it is.
    """
    if not (isinstance(container, dict) and isinstance(base, dict) and isinstance(newer, dict)):
        return
    merged = copy.deepcopy(newer)
    for key in set(base) | set(container):
        if key not in container:
            merged.pop(key, None)
        elif key not in base or not same(container[key], base[key]):
            merged[key] = container[key]
    container.clear()
    container.update(merged)
