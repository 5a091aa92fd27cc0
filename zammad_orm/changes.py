"""Comparing and copying JSON values for change tracking.

Zammad's JSON distinguishes ``true`` from ``1``; Python's ``==`` does not (``True == 1``, also
inside dicts and lists). :func:`same` compares the way the server would see the difference.
The other helpers keep a container the caller holds *the same object* while its contents
follow the server (:func:`sync_in_place`) or while the caller's edits are laid over a newer
server value (:func:`rebase`).
"""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["CONTAINERS", "copy_value", "rebase", "same", "sync_in_place"]

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


def copy_value(value: Any) -> Any:
    """A copy safe to hand out: containers deep-copied, resources (unsaved objects waiting
    in a relation) passed as themselves."""
    if isinstance(value, CONTAINERS):
        return copy.deepcopy(value)
    return value


def sync_in_place(container: Any, value: Any) -> bool:
    """Make ``container`` hold a copy of ``value`` without replacing the object.

    Returns False (and changes nothing) when ``value`` is not of the container's type.
    """
    if type(container) is dict and type(value) is dict:
        fresh = copy.deepcopy(value)
        container.clear()
        container.update(fresh)
        return True
    if type(container) is list and type(value) is list:
        container[:] = copy.deepcopy(value)
        return True
    return False


def rebase(container: Any, base: Any, newer: Any) -> None:
    """Lay the caller's edits (``container`` against ``base``) over the server's ``newer``.

    For dicts, the keys the caller added, changed or removed since ``base`` are applied to a
    copy of ``newer``; keys only another writer changed keep that writer's values. A list, or
    a type change, keeps the caller's value as it is.
    """
    if not (type(container) is dict and type(base) is dict and type(newer) is dict):
        return
    merged = copy.deepcopy(newer)
    for key in set(base) | set(container):
        if key not in container:
            merged.pop(key, None)
        elif key not in base or not same(container[key], base[key]):
            merged[key] = container[key]
    container.clear()
    container.update(merged)
