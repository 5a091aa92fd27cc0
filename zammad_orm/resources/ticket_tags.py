"""A ticket's tags (``/tags``, ``/tags/add``, ``/tags/remove``).

Zammad's ``TagsController`` takes one ``item`` per request, so adding or removing *n* tags is
*n* requests. The ticket remembers its tags (see :mod:`zammad_orm.resources.ticket_cache`):
reading them again, or adding one, costs no extra ``GET`` while the ticket is unchanged.

A tag change is an update of the ticket: ``updating`` is sent before the first request (a
receiver may veto it), ``updated`` after, with ``changes={"tags": (old, new)}``. Every name is
checked before anything is sent. Zammad has no batch request: if the server refuses the
third of five names, the first two stay, and ``updated`` reports exactly those.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zammad_orm.resources.ticket_cache import after_side_write, announce, recall, remember
from zammad_orm.tracking import MISSING

if TYPE_CHECKING:
    from zammad_orm.resources.tickets import Ticket

__all__ = ["change_tags", "tag_names", "tags_of"]


def tag_names(names: tuple[object, ...], *, verb: str) -> list[str]:
    """The distinct tag names of ``names``, stripped, in order.

    :raises TypeError: a name is not a str
    :raises ValueError: a name is blank, or there are none
    """
    if not names:
        raise ValueError(f"{verb} needs at least one tag name")
    cleaned: list[str] = []
    for name in names:
        if not isinstance(name, str):
            raise TypeError(f"{verb}: tag names are str, got {name!r}")
        stripped = name.strip()
        if not stripped:
            raise ValueError(f"{verb}: a tag name cannot be blank, got {name!r}")
        if stripped not in cleaned:
            cleaned.append(stripped)
    return cleaned


def tags_of(ticket: Ticket) -> list[str]:
    """The ticket's tags, in the order they were added (one request, unless remembered)."""
    known = recall(ticket, "tags")
    if known is not MISSING:
        return list(known)
    ident = ticket._path()[1]
    with ticket._acting():
        reply = ticket.client.get("tags", params={"object": "Ticket", "o_id": ident})
    tags = [str(name) for name in (reply or {}).get("tags", [])]
    remember(ticket, "tags", tuple(tags))
    return tags


def change_tags(ticket: Ticket, names: tuple[object, ...], *, add: bool) -> list[str]:
    """Add (or remove) ``names`` on ``ticket``, one request each; returns the new tags."""
    wanted = tag_names(names, verb="add_tags" if add else "remove_tags")
    with ticket._writing():
        ident = ticket._path()[1]
        old = tags_of(ticket)
        new = _applied(old, wanted, add=add)
        if new != old:
            announce(ticket, {"tags": (old, new)})
        done = list(old)
        try:
            for name in wanted:
                body = {"object": "Ticket", "o_id": ident, "item": name}
                with ticket._acting():
                    if add:
                        ticket.client.post("tags/add", json=body)
                    else:
                        ticket.client.delete("tags/remove", json=body)
                done = _applied(done, [name], add=add)
        finally:
            if done != old:
                after_side_write(ticket, {"tags": (old, done)}, {"tags": tuple(done)})
        return done


def _applied(tags: list[str], names: list[str], *, add: bool) -> list[str]:
    if add:
        return tags + [name for name in names if name not in tags]
    return [tag for tag in tags if tag not in names]
