"""Merging a ticket into another (``PUT /ticket_merge/:source_id/:target_number``).

Zammad's merge (``Ticket#merge_to``) moves the source's articles, mentions and links to the
target, adds a ``merged`` note to the source, makes the target the source's parent, and sets
the source's state to ``merged`` (owner: nobody). The reply holds the source as it is after
the merge, and the target as the controller read it *before* (a stale record), so:

* the source's objects take the reply's record (state ``merged``);
* the target is dropped from the cache and every unit, to load again on its next read;
* article records are dropped too: the moved ones now belong to the target;
* both tickets forget their remembered articles, tags and mentions (their records changed).

``updating`` is sent for the source before the request (a receiver may veto it) with
``changes={"merged_into": (None, target)}`` (the target's id, or the number it was given by);
``updated`` for both after: the source with the fields of its record the merge changed plus
``merged_into`` (the target's id), the target with ``merged_from`` (the source's id).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zammad_orm import signals
from zammad_orm.errors import NotFound
from zammad_orm.resources.ticket_cache import announce

if TYPE_CHECKING:
    from zammad_orm.resources.tickets import Ticket

__all__ = ["merge"]

#: fields every write changes; a merge's changes are reported without them
_BOOKKEEPING = frozenset({"updated_at", "updated_by_id"})


def _target_number(source: Ticket, target: object) -> tuple[str, int | None]:
    """The target's number (what the endpoint takes) and its id when known."""
    tickets = source.client.tickets
    if isinstance(target, str):
        number = target.strip()
        if not number.isdigit():
            raise ValueError(f"a ticket number is a string of digits, got {target!r}")
        return number, None
    ident = tickets.reference_id(target, field="target", acting_as=source._acting_as)
    if ident == source._path()[1]:
        raise ValueError(f"{source!r} cannot be merged into itself")
    if isinstance(target, tickets.resource_class) and target._unit is source._unit:
        handle = target
    else:
        handle = tickets._handle(ident, acting_as=source._acting_as, unit=source._unit)
    return str(handle["number"]), int(ident)


def merge(source: Ticket, target: object) -> Ticket:
    """Merge ``source`` into ``target`` (a Ticket, its id, or its number as a str); returns
    the target. One request, plus one to read the target's number when it is given by
    object or id and not loaded.

    :raises ValueError: merging a ticket into itself (checked before sending when the target
        is given by object or id; by number, Zammad refuses it with a 422)
    :raises NotFound: Zammad found no such target number or source ticket
    """
    tickets = source.client.tickets
    with source._writing():
        source_id = source._path()[1]
        number, known_id = _target_number(source, target)
        before = dict(source._data)
        announce(source, {"merged_into": (None, number if known_id is None else known_id)})
        with source._acting():
            reply = source.client.put("ticket_merge", source_id, number)
        if not isinstance(reply, dict) or reply.get("result") != "success":
            message = (reply or {}).get("message") if isinstance(reply, dict) else None
            text = str(message or f"Zammad did not merge: {reply!r}")
            raise NotFound(f"merge failed: {text}", status_code=200, error=text, error_human=text)
        after: dict[str, Any] = reply["source_ticket"]
        target_id = int(reply["target_ticket"]["id"])
        tickets._absorb(after, acting_as=source._acting_as, unit=source._unit)
        source.client._record_written(source)
        tickets.invalidate(target_id)
        source.client.ticket_articles.invalidate()
        merged = tickets._handle(target_id, acting_as=source._acting_as, unit=source._unit)
    changes = {
        name: (before.get(name), value)
        for name, value in after.items()
        if name not in _BOOKKEEPING and before.get(name, value) != value
    }
    changes["merged_into"] = (None, target_id)
    signals.send_after_write(signals.updated, type(source), source, changes=changes)
    signals.send_after_write(
        signals.updated, type(merged), merged, changes={"merged_from": (None, source_id)}
    )
    return merged
