"""``/ticket_articles`` and ``/ticket_attachment``: a ticket's messages and their files."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Mapping
from typing import Any

from zammad_orm.testing.automation import end_of_transaction
from zammad_orm.testing.callbacks import after_article_created, update_last_owner_time
from zammad_orm.testing.endpoints.common import clean_params, index, require_permission
from zammad_orm.testing.escalation import recompute_escalation
from zammad_orm.testing.http import ApiError, Reply, json_reply, unprocessable
from zammad_orm.testing.render import assets_of, render
from zammad_orm.testing.router import Call, route
from zammad_orm.testing.store import StoredFile

__all__ = ["create_article", "validate_article"]

_CUSTOMER_TYPES = {10, 11}  # note, web
_NOTE_TYPE = 10


def _decode_attachments(raw: Any) -> list[tuple[str, str, bytes]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise unprocessable("Invalid attachments: a list is needed.")
    decoded = []
    for position, attachment in enumerate(raw):
        if not isinstance(attachment, Mapping):
            raise unprocessable(
                f"Attachment needs 'filename' param for attachment with index '{position}'"
            )
        for key in ("filename", "data", "mime-type"):
            if not attachment.get(key):
                raise unprocessable(
                    f"Attachment needs '{key}' param for attachment with index '{position}'"
                )
        try:
            data = base64.b64decode("".join(str(attachment["data"]).split()), validate=True)
        except (binascii.Error, ValueError):
            raise unprocessable(f"Invalid base64 for attachment with index '{position}'") from None
        decoded.append((str(attachment["filename"]), str(attachment["mime-type"]), data))
    return decoded


def validate_article(params: Mapping[str, Any]) -> list[tuple[str, str, bytes]]:
    """Check an article payload before anything is written; returns its decoded files."""
    if "body" not in params or params["body"] is None:
        raise unprocessable("Need at least an 'article body' field.")
    return _decode_attachments(params.get("attachments"))


def create_article(call: Call, ticket: dict[str, Any], params: Mapping[str, Any]) -> dict[str, Any]:
    """Add an article to ``ticket`` as the actor, with Zammad's defaults and side effects."""
    store, actor = call.store, call.actor
    files = validate_article(params)
    values = clean_params(call, "ticket_articles", params)
    values["ticket_id"] = ticket["id"]
    is_agent = store.is_agent(actor)
    values.setdefault("type_id", 10)
    values.setdefault("sender_id", 1 if is_agent else 2)
    values.setdefault("content_type", "text/plain")
    if not is_agent:
        values["sender_id"] = 2
        if values["type_id"] not in _CUSTOMER_TYPES:
            values["type_id"] = 10
        values["internal"] = False
        values.pop("origin_by_id", None)
    values["from"] = f"{actor['firstname']} {actor['lastname']}".strip() or actor["login"]
    article = store.insert("ticket_articles", values, actor["id"])
    for filename, mime_type, data in files:
        ident = store.next_id("files")
        store.files[ident] = StoredFile(ident, article["id"], filename, mime_type, data)
    ticket["article_count"] = int(ticket.get("article_count") or 0) + 1
    before = dict(ticket)
    after_article_created(ticket, article)
    update_last_owner_time(store, ticket, before, article["created_at"])
    if ticket.get("create_article_type_id") is None:
        ticket["create_article_type_id"] = article["type_id"]
        ticket["create_article_sender_id"] = article["sender_id"]
    store.touch("tickets", ticket, actor["id"])
    store.add_history(
        article["id"], "Ticket::Article", "created", actor["id"], related=("Ticket", ticket["id"])
    )
    time_unit = params.get("time_unit")
    if time_unit not in (None, ""):
        store.book_time(
            ticket, article["id"], time_unit, _accounted_type(call, params), actor["id"]
        )
    return article


def _accounted_type(call: Call, params: Mapping[str, Any]) -> int | None:
    """The booking's type: ``accounted_time_type_id``, or ``accounted_time_type`` by name
    (``CreatesTicketArticles``); 422 for a name no type has."""
    ident = params.get("accounted_time_type_id")
    name = params.get("accounted_time_type")
    if ident is None and name not in (None, ""):
        found = call.store.find("time_accounting_types", name=name)
        if found is None:
            raise unprocessable(f"No lookup value found for 'accounted_time_type': \"{name}\"")
        ident = found["id"]
    return ident if isinstance(ident, int) else None


def _article(call: Call) -> dict[str, Any]:
    article = call.store.get("ticket_articles", call.int_param("id"))
    call.store.get_ticket(article["ticket_id"], call.actor)  # read access to its ticket
    if article["internal"] and not call.store.is_agent(call.actor):
        raise ApiError(403, "Not authorized")
    return article


@route("GET", "/ticket_articles/by_ticket/{id}")
def by_ticket(call: Call) -> Any:
    """All articles of a ticket, oldest first; customers do not see internal ones."""
    ticket = call.store.get_ticket(call.int_param("id"), call.actor)
    agent = call.store.is_agent(call.actor)
    articles = sorted(
        (
            article
            for article in call.store.tables["ticket_articles"].values()
            if article["ticket_id"] == ticket["id"] and (agent or not article["internal"])
        ),
        key=lambda article: (article["created_at"], article["id"]),
    )
    if call.flag("full"):
        # as TicketArticlesController#index_by_ticket: the assets of the last article only
        assets = assets_of(call.store, [("ticket_articles", articles[-1])]) if articles else {}
        return {"record_ids": [article["id"] for article in articles], "assets": assets}
    return [render(call.store, "ticket_articles", article, "expand") for article in articles]


@route("GET", "/ticket_articles")
def list_articles(call: Call) -> Any:
    """Every article the actor may read (admins)."""
    require_permission(call, "admin")
    return index(call, "ticket_articles", call.store.tables["ticket_articles"].values())


@route("GET", "/ticket_articles/{id}")
def show_article(call: Call) -> Any:
    """One article, always with its type, sender and authors' names."""
    return render(call.store, "ticket_articles", _article(call), "expand")


@route("POST", "/ticket_articles")
def post_article(call: Call) -> Reply:
    """A new article; ``ticket_id`` names its ticket."""
    body = call.body()
    if body.get("ticket_id") is None:  # Rails' Ticket.find(nil)
        raise ApiError(404, "Couldn't find Ticket without an ID")
    ticket = call.store.get_ticket(body["ticket_id"], call.actor, change=True)
    article = create_article(call, ticket, body)
    call.store.notify_about_ticket(ticket, "update", call.actor["id"])
    recompute_escalation(call.store, ticket)
    reply = json_reply(201, render(call.store, "ticket_articles", article, "expand"))
    end_of_transaction(call.store, ticket, "update", article=article)
    return reply


@route("PUT", "/ticket_articles/{id}")
def update_article(call: Call) -> Any:
    """Only ``internal`` and ``preferences.highlight`` change after creation, by agents with
    change access to the ticket (``Ticket::ArticlePolicy#update?``)."""
    article = _article(call)
    ticket = call.store.get("tickets", article["ticket_id"])
    if not call.store.agent_access(call.actor, ticket, "change"):
        raise ApiError(403, "Not authorized")
    body = call.body()
    changed = False
    if "internal" in body and call.store.is_agent(call.actor):
        article["internal"] = bool(body["internal"])
        changed = True
    highlight = (body.get("preferences") or {}).get("highlight")
    if highlight is not None:
        article["preferences"] = {**article["preferences"], "highlight": highlight}
        changed = True
    if changed:
        call.store.touch("ticket_articles", article, call.actor["id"])
    return render(call.store, "ticket_articles", article, "expand")


#: seconds an agent may delete their own note (``ui_ticket_zoom_article_delete_timeframe``)
DELETE_TIMEFRAME = 600


def _check_deletable(call: Call, article: dict[str, Any]) -> None:
    """``Ticket::ArticlePolicy#destroy?``: agents delete their own notes (or internal
    articles) within the time frame; admins are not exempt."""
    if not call.store.is_agent(call.actor):
        reason = "agent permission required"
    elif article["created_by_id"] != call.actor["id"]:
        reason = "you can only delete your own notes"
    elif article["type_id"] != _NOTE_TYPE and not article["internal"]:
        reason = "communication articles cannot be deleted"
    elif _age_in_seconds(article["created_at"]) >= DELETE_TIMEFRAME:
        reason = "note is too old to be deleted"
    else:
        return
    raise ApiError(403, f"Not authorized ({reason})!")


def _age_in_seconds(timestamp: str) -> float:
    created = dt.datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    return (dt.datetime.now(dt.timezone.utc) - created).total_seconds()


@route("DELETE", "/ticket_articles/{id}")
def delete_article(call: Call) -> Any:
    """Delete an article: the author's own note, within the time frame."""
    article = _article(call)
    _check_deletable(call, article)
    ticket = call.store.get("tickets", article["ticket_id"])
    del call.store.tables["ticket_articles"][article["id"]]
    for ident in [
        i for i, stored in call.store.files.items() if stored.article_id == article["id"]
    ]:
        del call.store.files[ident]
    ticket["article_count"] = max(0, int(ticket["article_count"] or 0) - 1)
    return {}


@route("GET", "/ticket_attachment/{ticket_id}/{article_id}/{id}")
def attachment(call: Call) -> Reply:
    """The bytes of an attachment, with its content type."""
    ticket = call.store.get_ticket(call.int_param("ticket_id"), call.actor)
    article = call.store.get("ticket_articles", call.int_param("article_id"))
    if article["ticket_id"] != ticket["id"]:
        raise ApiError(403, "The article does not belong to the specified ticket.")
    stored = call.store.files.get(call.int_param("id"))
    if stored is None or stored.article_id != article["id"]:
        raise ApiError(403, "The file does not belong to the specified article.")
    disposition = call.query.get("disposition", "inline")
    if disposition not in ("inline", "attachment"):
        raise ApiError(
            403,
            f"Invalid disposition {disposition} requested. Only inline and attachment are allowed.",
        )
    reply = Reply(200, stored.data, stored.mime_type)
    reply.headers["Content-Disposition"] = f'{disposition}; filename="{stored.filename}"'
    return reply
