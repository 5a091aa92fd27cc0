"""``/links``, ``/links/add`` and ``/links/remove``: links between tickets.

As Zammad's ``LinksController`` and ``Link`` model do it (tickets are the only objects here):

* A link is stored as ``(type, source, target)``. Listing a ticket shows the links where it is
  the source first, with ``parent`` and ``child`` swapped, then those where it is the target,
  with the stored type; links to tickets the actor cannot read are left out. The reply is
  ``{links: [{link_type, link_object, link_object_value}], assets}``.
* ``POST /links/add`` names the source by ticket **number** and the target by **id**, and
  answers 201 with the stored row. Adding a link that exists stores nothing and answers 201
  with the unsaved row (``id``, ``created_at`` and ``updated_at`` null), as Zammad renders a
  record its uniqueness validation refused.
* ``DELETE /links/remove`` names both ends by id. It deletes the link as named, then the same
  link seen from the other end (reversed type), and answers 201 with the rows that second
  step deleted (usually ``[]``; the row itself when the request named the ends the other way
  round, as in the sample).
* Adding and removing need ``ticket.agent`` (403 ``Not authorized (user)!``), change access to
  the target and, to add, read access to the source (403 ``Not authorized``); an unknown ticket
  is Rails' ``find_by!`` 404. Both ends are touched.
* Link types other than ``normal``, ``parent`` and ``child`` are refused with a 422 (Zammad
  would create the type on the fly).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zammad_orm.testing.endpoints.common import require_permission
from zammad_orm.testing.http import ApiError, json_reply, unprocessable
from zammad_orm.testing.render import assets_of
from zammad_orm.testing.router import Call, route
from zammad_orm.testing.store import Link

__all__ = ["add_link", "link_row", "requested_links"]

#: Zammad's ``Link::Type`` ids (``normal`` is seeded, the others are made on first use)
LINK_TYPE_IDS = {"normal": 1, "parent": 2, "child": 3}
#: the type a link has when seen from its other end
REVERSED = {"normal": "normal", "parent": "child", "child": "parent"}
#: Zammad's ``Link::Object`` id of tickets
_TICKET_OBJECT_ID = 1


def link_row(link: Link, *, saved: bool = True) -> dict[str, Any]:
    """A link as Zammad renders its ``links`` row."""
    return {
        "id": link.id if saved else None,
        "link_type_id": LINK_TYPE_IDS[link.link_type],
        "link_object_source_id": _TICKET_OBJECT_ID,
        "link_object_source_value": link.source_id,
        "link_object_target_id": _TICKET_OBJECT_ID,
        "link_object_target_value": link.target_id,
        "created_at": link.created_at if saved else None,
        "updated_at": link.updated_at if saved else None,
    }


def _touch(call: Call, *ticket_ids: int) -> None:
    for ticket_id in ticket_ids:
        ticket = call.store.tables["tickets"].get(ticket_id)
        if ticket is not None:
            call.store.touch("tickets", ticket, call.actor["id"])


def _link_type(call: Call) -> str:
    link_type = str(call.param("link_type") or "")
    if link_type not in LINK_TYPE_IDS:
        raise unprocessable(f"Invalid value for param 'link_type': {link_type}")
    return link_type


def _ticket_by(call: Call, column: str, value: Any, *, change: bool) -> dict[str, Any]:
    """A ticket as the links policy finds it (``find_by!``), with the access it needs."""
    store = call.store
    objects = (call.param("link_object_source"), call.param("link_object_target"))
    if any(name not in (None, "Ticket") for name in objects):
        raise unprocessable("Only tickets can be linked in the fake server.")
    wanted = str(value) if value is not None else ""
    ticket = next((t for t in store.tables["tickets"].values() if str(t[column]) == wanted), None)
    if ticket is None:
        raise ApiError(404, f'Couldn\'t find Ticket with [WHERE "tickets"."{column}" = $1]')
    allowed = (
        store.can_change_ticket(call.actor, ticket)
        if change
        else store.can_read_ticket(call.actor, ticket)
    )
    if not allowed:
        raise ApiError(403, "Not authorized")
    return ticket


def add_link(call: Call, link_type: str, source_id: int, target_id: int) -> tuple[Link, bool]:
    """Store the link ``(link_type, source, target)`` unless it exists (either way round);
    return it and whether it is new. Both tickets are touched."""
    store = call.store
    for link in store.links:
        if (link.link_type, link.source_id, link.target_id) in (
            (link_type, source_id, target_id),
            (REVERSED[link_type], target_id, source_id),
        ):
            return Link(0, link_type, source_id, target_id, "", ""), False
    now = store.now()
    link = Link(store.next_id("links"), link_type, source_id, target_id, now, now)
    store.links.append(link)
    _touch(call, source_id, target_id)
    return link, True


def requested_links(raw: Any) -> list[tuple[str, int]]:
    """The ``links`` of a ticket create, ``{"Ticket": {"parent": [ids], ...}}``, as
    ``(link type, ticket id)`` pairs with the new ticket as source (``TicketsController#create``);
    Zammad's 422s for a malformed structure."""
    if raw is None or raw == {} or raw == "":
        return []
    if not isinstance(raw, Mapping):
        raise unprocessable("Invalid link structure")
    pairs: list[tuple[str, int]] = []
    for target_object, by_type in raw.items():
        if not isinstance(by_type, Mapping):
            raise unprocessable("Invalid link structure (Object)")
        if target_object != "Ticket":
            raise unprocessable("Only tickets can be linked in the fake server.")
        for link_type, ids in by_type.items():
            if not isinstance(ids, list):
                raise unprocessable("Invalid link structure (Object → LinkType)")
            if link_type not in LINK_TYPE_IDS:
                raise unprocessable(f"Invalid value for param 'link_type': {link_type}")
            for ident in ids:
                if isinstance(ident, bool) or not str(ident).isdigit():
                    raise unprocessable(f"Invalid value for param 'links': {ident!r}")
                pairs.append((link_type, int(ident)))
    return pairs


@route("GET", "/links")
def list_links(call: Call) -> Any:
    """The links of one ticket, seen from it, with the linked tickets as assets."""
    store = call.store
    value = str(call.param("link_object_value") or "")
    if call.param("link_object") != "Ticket" or not value.isdigit():
        return {"links": [], "assets": {}}
    ticket_id = int(value)
    links = store.links
    seen = [(REVERSED[ln.link_type], ln.target_id) for ln in links if ln.source_id == ticket_id]
    seen += [(ln.link_type, ln.source_id) for ln in links if ln.target_id == ticket_id]
    visible = [
        (link_type, store.tables["tickets"][other])
        for link_type, other in seen
        if other in store.tables["tickets"]
        and store.can_read_ticket(call.actor, store.tables["tickets"][other])
    ]
    return {
        "links": [
            {"link_type": link_type, "link_object": "Ticket", "link_object_value": ticket["id"]}
            for link_type, ticket in visible
        ],
        "assets": assets_of(store, (("tickets", ticket) for _type, ticket in visible)),
    }


@route("POST", "/links/add")
def add(call: Call) -> Any:
    """Link the ticket with number ``link_object_source_number`` to the ticket with id
    ``link_object_target_value``."""
    require_permission(call, "ticket.agent")
    link_type = _link_type(call)
    target = _ticket_by(call, "id", call.param("link_object_target_value"), change=True)
    source = _ticket_by(call, "number", call.param("link_object_source_number"), change=False)
    link, saved = add_link(call, link_type, source["id"], target["id"])
    return json_reply(201, link_row(link, saved=saved))


@route("DELETE", "/links/remove")
def remove(call: Call) -> Any:
    """Remove a link named by the ids of its ends, whichever way round it was stored."""
    store = call.store
    require_permission(call, "ticket.agent")
    link_type = _link_type(call)
    target = _ticket_by(call, "id", call.param("link_object_target_value"), change=True)
    source_value = str(call.param("link_object_source_value") or "")
    source_id = int(source_value) if source_value.isdigit() else -1
    removed: list[Link] = []
    named = (link_type, source_id, target["id"])
    for wanted in (named, (REVERSED[link_type], target["id"], source_id)):
        removed = [ln for ln in store.links if (ln.link_type, ln.source_id, ln.target_id) == wanted]
        store.links = [link for link in store.links if link not in removed]
        for link in removed:
            _touch(call, link.source_id, link.target_id)
    return json_reply(201, [link_row(link) for link in removed])
