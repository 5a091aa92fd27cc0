"""Links between tickets (``/links``, ``/links/add``, ``/links/remove``).

Seen from a ticket, a link is ``normal``, ``parent`` (the other ticket is its parent) or
``child`` (the other ticket is its child): after ``a.link_with(b, "child")``,
``a.links()["child"] == [b]`` and ``b.links()["parent"] == [a]``.

Zammad names the source of a new link by ticket *number* and its target by *id*, stores the
type as seen from the target, and removes a link named from either end; the helpers here hide
all three. Linking touches both tickets on the server, so both load again on their next read.
Each ticket whose links changed gets ``updated`` with ``changes={"links": (before, after)}``:
the links between the two tickets, seen from the ticket the signal is about, as
``(link type, other ticket id)`` pairs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal, get_args

from zammad_orm.resources.ticket_cache import after_side_write, announce

if TYPE_CHECKING:
    from zammad_orm.resources.tickets import Ticket, Tickets

__all__ = ["LINK_TYPES", "LinkType", "link", "links_of", "links_on_create", "unlink"]

#: how a linked ticket relates to the ticket whose links are read
LinkType = Literal["normal", "parent", "child"]
#: every link type, in the order :func:`links_of` lists them
LINK_TYPES: tuple[LinkType, ...] = get_args(LinkType)

_REVERSED: dict[str, LinkType] = {"normal": "normal", "parent": "child", "child": "parent"}


def _link_type(value: object) -> LinkType:
    if value not in LINK_TYPES:
        raise ValueError(f"link_type must be one of {', '.join(LINK_TYPES)}, got {value!r}")
    return value


def links_of(ticket: Ticket) -> dict[str, list[Ticket]]:
    """``{"parent": [...], "child": [...], "normal": [...]}`` of linked tickets (one request;
    the linked tickets' records arrive with it, so reading them costs nothing). Links to other
    kinds of objects (knowledge base answers) are left out."""
    client, acting_as = ticket.client, ticket._acting_as
    tickets = client.tickets
    with ticket._acting():
        reply = client.get(
            "links", params={"link_object": "Ticket", "link_object_value": ticket._path()[1]}
        )
    assets: dict[str, Any] = dict((reply or {}).get("assets") or {})
    own = assets.pop(tickets.resource_class.asset_key, {})
    client._absorb_assets(assets, acting_as=acting_as)
    found: dict[str, list[Ticket]] = {name: [] for name in LINK_TYPES}
    for entry in (reply or {}).get("links", []):
        if entry.get("link_object") != "Ticket":
            continue
        ident = int(entry["link_object_value"])
        record = own.get(str(ident))
        if record is not None:
            linked = tickets._absorb(record, acting_as=acting_as, unit=ticket._unit)
        else:
            linked = tickets._handle(ident, acting_as=acting_as, unit=ticket._unit)
        found.setdefault(str(entry["link_type"]), []).append(linked)
    return found


def _other(ticket: Ticket, other: object) -> Ticket:
    """The ticket object ``other`` names (an object or an id), in ``ticket``'s unit."""
    tickets = ticket.client.tickets
    ident = tickets.reference_id(other, field="other", acting_as=ticket._acting_as)
    if ident == ticket._path()[1]:
        raise ValueError(f"{ticket!r} cannot be linked with itself")
    if isinstance(other, type(ticket)) and other._unit is ticket._unit:
        return other
    return tickets._handle(ident, acting_as=ticket._acting_as, unit=ticket._unit)


def link(ticket: Ticket, other: object, link_type: object = "normal") -> bool:
    """Link ``other`` to ``ticket`` as ``link_type`` (one request; two when ``ticket``'s
    number is not known yet). Returns False when the link existed (nothing changed)."""
    kind = _link_type(link_type)
    with ticket._writing():
        target = _other(ticket, other)
        mine, theirs = (kind, target.id), (_REVERSED[kind], ticket.id)
        announce(ticket, {"links": ([], [mine])})
        announce(target, {"links": ([], [theirs])})
        body = {
            "link_type": _REVERSED[kind],
            "link_object_source": "Ticket",
            "link_object_source_number": ticket["number"],
            "link_object_target": "Ticket",
            "link_object_target_value": target.id,
        }
        with ticket._acting():
            row = ticket.client.post("links/add", json=body)
        if isinstance(row, dict) and row.get("id") is None:
            return False  # Zammad answers an existing link with the unsaved row
        after_side_write(ticket, {"links": ([], [mine])})
        after_side_write(target, {"links": ([], [theirs])})
        return True


def unlink(ticket: Ticket, other: object, link_type: object = None) -> list[str]:
    """Remove the links of ``link_type`` (every type when None) between ``ticket`` and
    ``other``: one request to read the links, then one per link removed (none when there is
    no such link). Returns the types removed, as seen from ``ticket``."""
    kinds = LINK_TYPES if link_type is None else (_link_type(link_type),)
    with ticket._writing():
        target = _other(ticket, other)
        present = links_of(ticket)
        doomed = [kind for kind in kinds if target in present.get(kind, [])]
        if not doomed:
            return []
        mine = [(kind, target.id) for kind in doomed]
        theirs = [(_REVERSED[kind], ticket.id) for kind in doomed]
        announce(ticket, {"links": (mine, [])})
        announce(target, {"links": (theirs, [])})
        removed: list[LinkType] = []
        try:
            for kind in doomed:
                body = {
                    "link_type": kind,
                    "link_object_source": "Ticket",
                    "link_object_source_value": target.id,
                    "link_object_target": "Ticket",
                    "link_object_target_value": ticket.id,
                }
                with ticket._acting():
                    ticket.client.delete("links/remove", json=body)
                removed.append(kind)
        finally:
            if removed:
                gone = [(kind, target.id) for kind in removed]
                after_side_write(ticket, {"links": (mine, [p for p in mine if p not in gone])})
                gone = [(_REVERSED[kind], ticket.id) for kind in removed]
                after_side_write(target, {"links": (theirs, [p for p in theirs if p not in gone])})
        return list(removed)


def links_on_create(tickets: Tickets, links: object) -> dict[str, dict[str, list[int]]]:
    """Zammad's ``links`` of a ticket create (``{"Ticket": {type: [ids]}}``, types as the
    linked ticket sees the new one) for ``{type: [tickets or ids]}`` as the new ticket will
    see them."""
    if not isinstance(links, Mapping):
        raise TypeError(f"links takes {{link type: [tickets or ids]}}, got {links!r}")
    wire: dict[str, list[int]] = {}
    for kind, others in links.items():
        checked = _link_type(kind)
        if isinstance(others, str | bytes) or not isinstance(others, Iterable):
            raise TypeError(f"links[{kind!r}] takes a list of tickets or ids, got {others!r}")
        wire[_REVERSED[checked]] = [
            int(tickets.reference_id(other, field=f"links[{kind!r}]")) for other in others
        ]
    return {"Ticket": wire}
