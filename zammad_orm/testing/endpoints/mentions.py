"""``/mentions``: agents subscribing to tickets (``MentionsController``, ``Mention``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from zammad_orm.testing.endpoints.common import require_permission
from zammad_orm.testing.http import ApiError, json_reply
from zammad_orm.testing.render import assets_of, render
from zammad_orm.testing.router import Call, route

__all__ = ["add_mentions"]

_TABLE = "mentions"


def _mentionable(store: Any, user: dict[str, Any], ticket: dict[str, Any]) -> bool:
    """``Mention.mentionable?``: the user is an agent who may read the ticket."""
    return bool(store.is_agent(user) and store.can_read_ticket(user, ticket))


def _ticket(call: Call) -> dict[str, Any]:
    """The mentioned ticket; the actor needs agent read access to it."""
    if call.param("mentionable_type") != "Ticket":
        raise RuntimeError("The parameter 'mentionable_type' is invalid.")
    ticket = call.store.get("tickets", call.param("mentionable_id"))
    if not _mentionable(call.store, call.actor, ticket):
        raise ApiError(403, "Not authorized")
    return ticket


def _mention(call: Call, ticket: dict[str, Any], user_id: int) -> dict[str, Any]:
    mention = call.store.insert(
        _TABLE,
        {"mentionable_type": "Ticket", "mentionable_id": ticket["id"], "user_id": user_id},
        call.actor["id"],
    )
    call.store.add_history(
        mention["id"], "Mention", "created", call.actor["id"], value_to=user_id,
        related=("Ticket", ticket["id"]),
    )  # fmt: skip
    call.store.touch("tickets", ticket, call.actor["id"])
    return mention


def _existing(call: Call, ticket_id: int, user_id: int) -> dict[str, Any] | None:
    return call.store.find(_TABLE, mentionable_id=ticket_id, user_id=user_id)


def add_mentions(call: Call, ticket: dict[str, Any], user_ids: Any) -> None:
    """``mentions`` given on ticket create: Zammad's ``first_or_create`` per user id, which
    skips users who may not be mentioned (not agents of the ticket's group, unknown ids)."""
    if user_ids in (None, "", []):
        return
    if not call.store.is_agent(call.actor):
        raise ApiError(403, "Not authorized")
    for raw in user_ids if isinstance(user_ids, list) else [user_ids]:
        user = None
        if isinstance(raw, int) or (isinstance(raw, str) and raw.isdigit()):
            user = call.store.tables["users"].get(int(raw))
        if user is None or not _mentionable(call.store, user, ticket):
            continue
        if _existing(call, ticket["id"], user["id"]) is None:
            _mention(call, ticket, user["id"])


def _condition(call: Call) -> Iterable[dict[str, Any]]:
    found = list(call.store.tables[_TABLE].values())
    ident = call.param("id")
    if ident not in (None, ""):
        found = [mention for mention in found if str(mention["id"]) == str(ident)]
    user_id = call.param("user_id")
    if user_id not in (None, ""):
        user = call.store.get("users", user_id)
        found = [mention for mention in found if mention["user_id"] == user["id"]]
    if call.param("mentionable_type") not in (None, ""):
        ticket = _ticket(call)
        found = [mention for mention in found if mention["mentionable_id"] == ticket["id"]]
    return found


@route("GET", "/mentions")
def list_mentions(call: Call) -> Any:
    """Mentions newest first, filtered by ``id``, ``user_id`` and ``mentionable_type`` +
    ``mentionable_id``: ``{"mentions": [...]}``, or record ids and assets with ``full``."""
    require_permission(call, "ticket.agent")
    found = sorted(_condition(call), key=lambda m: (m["created_at"], m["id"]), reverse=True)
    if call.flag("full"):
        return {
            "record_ids": [mention["id"] for mention in found],
            "assets": assets_of(call.store, ((_TABLE, mention) for mention in found)),
        }
    return {"mentions": [render(call.store, _TABLE, mention, "plain") for mention in found]}


@route("POST", "/mentions")
def create_mention(call: Call) -> Any:
    """Mention the acting agent on a ticket (201); a second mention of the same user is
    refused by the database's unique index (422)."""
    require_permission(call, "ticket.agent")
    ticket = _ticket(call)
    if _existing(call, ticket["id"], call.actor["id"]) is not None:
        raise ApiError(
            422,
            "PG::UniqueViolation: ERROR:  duplicate key value violates unique constraint "
            '"index_mentions_on_mentionable_id_and_mentionable_type_and_user_id"',
        )
    mention = _mention(call, ticket, call.actor["id"])
    return json_reply(201, render(call.store, _TABLE, mention, "plain"))


@route("DELETE", "/mentions/{id}")
def delete_mention(call: Call) -> Any:
    """Remove one of the actor's own mentions; answers the removed mention. Another user's
    mention (or a missing one) is Zammad's ``nil.destroy``, a 500."""
    require_permission(call, "ticket.agent")
    mention = call.store.tables[_TABLE].get(call.int_param("id"))
    if mention is None or mention["user_id"] != call.actor["id"]:
        raise RuntimeError("undefined method `destroy' for nil:NilClass")
    del call.store.tables[_TABLE][mention["id"]]
    call.store.add_history(
        mention["id"], "Mention", "removed", call.actor["id"], value_to=mention["user_id"],
        related=("Ticket", mention["mentionable_id"]),
    )  # fmt: skip
    ticket = call.store.tables["tickets"].get(mention["mentionable_id"])
    if ticket is not None:
        call.store.touch("tickets", ticket, call.actor["id"])
    return render(call.store, _TABLE, mention, "plain")
