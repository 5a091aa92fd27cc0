"""Lost-update protection: ``save(if_unmodified=True)``.

Zammad has no conditional ``PUT`` (no ``If-Match``, no ``If-Unmodified-Since``), so the check
is made by the client: just before the ``PUT`` it fetches the record and compares it, field by
field, with the record the object loaded (``updated_at`` alone would do, but Zammad stores it
to the millisecond and two writes can share one). The fields changed on the server are
compared with the ones about to be sent; a field changed on both sides raises
:class:`~zammad_orm.errors.ConflictError` and nothing is sent. Changes to *different* fields
go through: the ``PUT`` carries only the changed fields, so both writers' changes survive.

The race window: a write that lands on the server between this ``GET`` and the ``PUT`` (a few
milliseconds on a LAN) is not seen and may be overwritten. The check narrows lost updates to
that window; it cannot close it without help from the server.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from zammad_orm.changes import same
from zammad_orm.errors import ConflictError

if TYPE_CHECKING:
    from zammad_orm.resource import Resource

__all__ = ["check_unmodified"]

#: fields the server changes on its own with every write; never a conflict by themselves
_BOOKKEEPING = frozenset(
    {"updated_at", "updated_by_id", "updated_by", "article_count", "last_contact_at"}
)


def _changed_on_server(held: Mapping[str, Any], fresh: Mapping[str, Any]) -> set[str]:
    return {
        name
        for name, value in fresh.items()
        if name in held and name not in _BOOKKEEPING and not same(held[name], value)
    }


def check_unmodified(obj: Resource, payload: Mapping[str, Any]) -> None:
    """Raise :class:`ConflictError` if a field in ``payload`` was changed on the server since
    ``obj`` loaded its record (see the module docs). Costs one ``GET``."""
    held = obj._data
    path = obj._path()
    fresh = obj.manager._expect_record(obj._client.get(*path), path, held.get("id"))
    theirs = _changed_on_server(held, fresh)
    both = sorted(
        name
        for name in payload
        if name in theirs or (name in obj._name_keys and obj._name_keys[name][0] in theirs)
    )
    if not both:
        return
    raise ConflictError(
        f"{obj!r} was changed on the server since it was loaded "
        f"({held.get('updated_at')} -> {fresh.get('updated_at')}); "
        f"changed on both sides: {', '.join(both)}",
        fields=tuple(both),
        ours={name: payload[name] for name in both},
        theirs={name: fresh.get(obj._name_keys.get(name, (name,))[0]) for name in both},
    )
