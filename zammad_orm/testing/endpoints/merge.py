"""``PUT /ticket_merge/:source_ticket_id/:target_ticket_number``: merge one ticket into another.

As Zammad's ``TicketsController#ticket_merge`` and ``Ticket#merge_to`` do it:

* Needs ``ticket.agent`` (403 ``Not authorized (user)!``). The target is found by **number**,
  the source by **id**; either missing answers **200** ``{"result": "failed", "message": ...}``.
  The actor needs change access to both (403 ``Not authorized``).
* 422 ``It is not possible to merge into an already merged ticket.`` when the target is in a
  state of type ``merged``; 422 ``A ticket cannot be merged into itself.``.
* Effects: the source's articles move to the target; the source gets a ``merged`` note; its
  mentions move to the target (a user mentioned on both keeps one); links
  of the source are re-pointed to the target (doubles dropped) and the target becomes the
  parent of the source (a ``parent`` link from target to source); the histories get
  ``merged_into`` (source) and ``received_merge`` (target) entries; the source goes to the
  ``merged`` state with owner 1. Article counts are recounted.
* Success answers ``{"result": "success", "target_ticket": {...}, "source_ticket": {...}}`` with
  the tickets' columns.
"""

from __future__ import annotations

from typing import Any

from zammad_orm.testing.endpoints.articles import create_article
from zammad_orm.testing.endpoints.common import require_permission
from zammad_orm.testing.endpoints.links import REVERSED, add_link
from zammad_orm.testing.http import ApiError, unprocessable
from zammad_orm.testing.render import render
from zammad_orm.testing.router import Call, route
from zammad_orm.testing.seed import STATE_TYPES
from zammad_orm.testing.store import Link

_MERGED_TYPE = next(ident for ident, name in STATE_TYPES.items() if name == "merged")


def _failed(message: str) -> dict[str, str]:
    return {"result": "failed", "message": message}


def _changeable(call: Call, ticket: dict[str, Any]) -> None:
    if not call.store.can_change_ticket(call.actor, ticket):
        raise ApiError(403, "Not authorized")


def _merged_state(call: Call) -> dict[str, Any]:
    return next(
        state
        for state in call.store.tables["ticket_states"].values()
        if state["state_type_id"] == _MERGED_TYPE
    )


def _move_articles(call: Call, source: dict[str, Any], target: dict[str, Any]) -> None:
    articles = call.store.tables["ticket_articles"].values()
    for article in articles:
        if article["ticket_id"] == source["id"]:
            article["ticket_id"] = target["id"]
            call.store.touch("ticket_articles", article, call.actor["id"])
    for ticket in (source, target):
        ticket["article_count"] = sum(1 for a in articles if a["ticket_id"] == ticket["id"])


def _move_mentions(call: Call, source_id: int, target_id: int) -> None:
    """Mentions of the source move to the target; a user mentioned on both keeps the
    target's (``Mention.duplicates(...).destroy_all``, then ``update_all``)."""
    mentions = call.store.tables["mentions"]
    on_target = {m["user_id"] for m in mentions.values() if m["mentionable_id"] == target_id}
    for ident, mention in list(mentions.items()):
        if mention["mentionable_id"] != source_id:
            continue
        if mention["user_id"] in on_target:
            del mentions[ident]
        else:
            mention["mentionable_id"] = target_id


def _repoint_links(call: Call, source_id: int, target_id: int) -> None:
    """Links of the source become links of the target; doubles and self-links are dropped."""
    kept: list[Link] = []
    seen: set[tuple[str, int, int]] = set()
    for link in call.store.links:
        ends = [target_id if end == source_id else end for end in (link.source_id, link.target_id)]
        if ends[0] == ends[1]:
            continue
        key = (link.link_type, ends[0], ends[1])
        if key in seen or (REVERSED[link.link_type], ends[1], ends[0]) in seen:
            continue
        link.source_id, link.target_id = ends
        seen.add(key)
        kept.append(link)
    call.store.links = kept


def _set_merged(call: Call, source: dict[str, Any]) -> None:
    """State ``merged`` and owner 1, with the history entries a ticket update writes."""
    store, actor_id = call.store, call.actor["id"]
    tables = store.tables
    changes = (
        ("state", "state_id", _merged_state(call)["id"], "ticket_states", "name"),
        ("owner", "owner_id", 1, "users", "login"),
    )
    for attribute, column, value, table, label in changes:
        if source[column] == value:
            continue
        store.add_history(
            source["id"],
            "Ticket",
            "updated",
            actor_id,
            attribute=attribute,
            value_from=tables[table][source[column]][label],
            value_to=tables[table][value][label],
            id_from=source[column],
            id_to=value,
        )
        source[column] = value
    store.touch("tickets", source, actor_id)


@route("PUT", "/ticket_merge/{source_id}/{target_number}")
def merge(call: Call) -> Any:
    """Merge the ticket ``source_id`` into the ticket numbered ``target_number``."""
    store = call.store
    require_permission(call, "ticket.agent")
    target = store.ticket_by_number(call.params["target_number"])
    if target is None:
        return _failed("The target ticket number could not be found.")
    _changeable(call, target)
    source = store.tables["tickets"].get(call.int_param("source_id"))
    if source is None:
        return _failed("The source ticket could not be found.")
    _changeable(call, source)
    target_state = store.tables["ticket_states"].get(target["state_id"])
    if target_state is not None and target_state["state_type_id"] == _MERGED_TYPE:
        raise unprocessable("It is not possible to merge into an already merged ticket.")
    if source["id"] == target["id"]:
        raise unprocessable("A ticket cannot be merged into itself.")

    actor_id = call.actor["id"]
    _move_articles(call, source, target)
    ids = {"id_from": source["id"], "id_to": target["id"]}
    store.add_history(target["id"], "Ticket", "received_merge", actor_id, **ids)
    store.add_history(source["id"], "Ticket", "merged_into", actor_id, **ids)
    create_article(
        call, source, {"body": "merged", "type_id": 10, "sender_id": 1, "internal": False}
    )
    _move_mentions(call, source["id"], target["id"])
    _repoint_links(call, source["id"], target["id"])
    add_link(call, "parent", target["id"], source["id"])
    _set_merged(call, source)
    store.touch("tickets", target, actor_id)
    return {
        "result": "success",
        "target_ticket": render(store, "tickets", target, "plain"),
        "source_ticket": render(store, "tickets", source, "plain"),
    }
