"""Saves that must not be repeated blindly: a write-once field whose write may have landed.

A ticket ``PUT`` carrying an ``article`` adds the article each time it is applied. When such a
request fails in a way that leaves open whether the server applied it (see
:attr:`~zammad_orm.errors.ZammadError.maybe_applied`), the retry policy already refuses to send
it again; :func:`guarding_write_once` makes sure a *later* save or unit-of-work commit does
not either. The write-once fields (the retry policy's ``write_once_keys``) are taken out of the
object's pending changes, the record is read again on next use, and
:class:`~zammad_orm.errors.AmbiguousWriteError` says what was taken out and how to check.

Checking on the server instead (reading the ticket's articles before sending again) was
rejected: nothing tells a lost article from an identical one added on purpose, and a check
made after the failure cannot see a request the server is still working on.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from zammad_orm.errors import AmbiguousWriteError, ZammadError

if TYPE_CHECKING:
    from zammad_orm.resource import Resource

__all__ = ["guarding_write_once", "withdraw"]


def withdraw(
    obj: Resource, names: Iterable[str], sources: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Take ``names`` out of ``obj``'s pending changes (with ``sources``: only those still
    holding the value that was sent) and return them."""
    taken: dict[str, Any] = {}
    with obj._lock:
        for name in names:
            if name in obj._pending and (sources is None or obj._pending[name] is sources[name]):
                taken[name] = obj._pending.pop(name)
    obj._unit._untrack(obj)
    return taken


@contextlib.contextmanager
def guarding_write_once(
    obj: Resource, payload: Mapping[str, Any], sources: Mapping[str, Any]
) -> Iterator[None]:
    """Around the ``PUT`` of a save of ``payload``: a failure that may have been applied
    withdraws the write-once fields it carried and raises
    :class:`~zammad_orm.errors.AmbiguousWriteError` instead (other failures pass as they
    are)."""
    try:
        yield
    except ZammadError as error:
        keys = [name for name in payload if name in obj._client.retry.write_once_keys]
        if not keys or not error.maybe_applied:
            raise
        unsent = withdraw(obj, keys, sources)
        obj.manager.invalidate(obj._data["id"])  # what the server holds now is unknown
        fields = ", ".join(sorted(keys))
        hint = " (for an article: read ticket.articles)" if "article" in keys else ""
        raise AmbiguousWriteError(
            f"{obj!r}: {error}. The server may have applied this write, so {fields} was "
            f"taken out of the pending changes and will not be sent again: check whether it "
            f"was applied{hint} and assign it again from error.unsent if it was not",
            unsent=unsent,
            cause=error,
        ) from error
