"""What the ticket zoom asks for besides the ticket: ``/recent_view``, ``/ticket_recent``,
``/ticket_related/:ticket_id``, ``/ticket_split`` and ``/ticket_article_plain/:id``
(``TicketsController``, ``RecentViewController``, ``TicketArticlesController#article_plain``)."""

from __future__ import annotations

import datetime as dt
import email.utils
from typing import Any

from zammad_orm.testing.custom_fields import OBJECT_LOOKUP_IDS
from zammad_orm.testing.endpoints.tickets import visible_tickets
from zammad_orm.testing.http import ApiError, Reply, unprocessable
from zammad_orm.testing.render import assets_of, render
from zammad_orm.testing.router import Call, route

_VIEWS = "recent_views"
#: the objects a recent view may name, and their tables
_VIEWABLE = {"Ticket": "tickets", "User": "users", "Organization": "organizations"}
#: state types of Zammad's ``open`` category: new, open, pending reminder, pending action
_OPEN_TYPES = frozenset({1, 2, 3, 4})
_EMAIL_TYPE = 1


def _may_view(call: Call, table: str, record: dict[str, Any]) -> bool:
    if table == "tickets":
        return call.store.can_read_ticket(call.actor, record)
    return call.store.is_agent(call.actor) or record is call.actor


def _recent(call: Call, obj: str, limit: int) -> list[dict[str, Any]]:
    """``RecentView.list``: the actor's viewed records of ``obj``, latest first, each once,
    still readable."""
    table = _VIEWABLE[obj]
    seen: list[dict[str, Any]] = []
    views = sorted(call.store.tables[_VIEWS].values(), key=lambda view: view["id"], reverse=True)
    for view in views:
        if view["created_by_id"] != call.actor["id"]:
            continue
        if view["recent_view_object_id"] != OBJECT_LOOKUP_IDS[obj]:
            continue
        record = call.store.tables[table].get(view["o_id"])
        if record is None or record in seen or not _may_view(call, table, record):
            continue
        seen.append(record)
        if len(seen) == limit:
            break
    return seen


@route("POST", "/recent_view")
def log_view(call: Call) -> Any:
    """Note that the actor viewed ``object`` ``o_id`` (records it may not read are ignored)."""
    obj = call.param("object")
    if obj not in _VIEWABLE:
        raise RuntimeError(f"uninitialized constant {obj}")
    table = _VIEWABLE[obj]
    record = call.store.get(table, call.param("o_id"))
    if _may_view(call, table, record):
        call.store.insert(
            _VIEWS,
            {"recent_view_object_id": OBJECT_LOOKUP_IDS[obj], "o_id": record["id"]},
            call.actor["id"],
        )
    return {"message": "ok"}


@route("GET", "/recent_view")
def list_views(call: Call) -> Any:
    """The actor's latest ten recent views."""
    views = sorted(call.store.tables[_VIEWS].values(), key=lambda view: view["id"], reverse=True)
    own = [view for view in views if view["created_by_id"] == call.actor["id"]][:10]
    return [render(call.store, _VIEWS, view, "ids") for view in own]


@route("GET", "/ticket_recent")
def ticket_recent(call: Call) -> Any:
    """The ten tickets the actor viewed last, with their assets."""
    tickets = _recent(call, "Ticket", 10)
    return {
        "assets": assets_of(call.store, (("tickets", ticket) for ticket in tickets)),
        "ticket_ids_recent_viewed": [ticket["id"] for ticket in tickets],
    }


@route("GET", "/ticket_related/{ticket_id}")
def ticket_related(call: Call) -> Any:
    """Up to six other open tickets of the same customer the actor may read (newest first)
    and up to eight other tickets it viewed lately. Zammad 6.2 falls back to closed tickets
    only in name: its fallback never runs, so closed ones never show."""
    ticket = call.store.get("tickets", call.int_param("ticket_id"))
    states = call.store.tables["ticket_states"]
    by_customer = [
        other
        for other in visible_tickets(call)
        if other["customer_id"] == ticket["customer_id"]
        and other["id"] != ticket["id"]
        and states[other["state_id"]]["state_type_id"] in _OPEN_TYPES
    ]
    by_customer.sort(key=lambda other: (other["created_at"], other["id"]), reverse=True)
    by_customer = by_customer[:6]
    viewed = [other for other in _recent(call, "Ticket", 8) if other["id"] != ticket["id"]]
    related = [ticket, *by_customer, *viewed]
    return {
        "assets": assets_of(call.store, (("tickets", record) for record in related)),
        "ticket_ids_by_customer": [other["id"] for other in by_customer],
        "ticket_ids_recent_viewed": [other["id"] for other in viewed],
    }


@route("GET", "/ticket_split")
def ticket_split(call: Call) -> Any:
    """What splitting an article into a new ticket starts from: the ticket's and article's
    assets and the article's attachments copied to the form ``form_id``."""
    store = call.store
    ticket = store.get_ticket(call.param("ticket_id"), call.actor)
    article = store.get("ticket_articles", call.param("article_id"))
    store.get_ticket(article["ticket_id"], call.actor)
    if not call.param("form_id"):
        raise unprocessable("Need 'form_id' to add attachments to new form.")
    copies = [
        {
            "id": ident,
            "store_file_id": ident,
            "filename": stored.filename,
            "size": str(len(stored.data)),
            "preferences": {"Mime-Type": stored.mime_type},
        }
        for stored in list(store.files.values())
        if stored.article_id == article["id"]
        for ident in [store.next_id("files")]
    ]
    assets = assets_of(store, [("tickets", ticket), ("ticket_articles", article)])
    return {"assets": assets, "attachments": copies}


def _raw_mail(ticket: dict[str, Any], article: dict[str, Any]) -> bytes:
    """The message as Zammad stores it after sending an email article."""
    headers = {
        "From": article["from"],
        "To": article["to"],
        "Cc": article["cc"],
        "Subject": article["subject"] or ticket["title"],
        "Message-ID": article["message_id"] or f"<{ticket['number']}.{article['id']}@zammad>",
        "In-Reply-To": article["in_reply_to"],
        "Date": email.utils.format_datetime(
            dt.datetime.fromisoformat(article["created_at"].replace("Z", "+00:00")), usegmt=True
        ),
        "MIME-Version": "1.0",
        "Content-Type": f"{article['content_type']}; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    lines = [f"{name}: {value}" for name, value in headers.items() if value]
    return ("\r\n".join(lines) + "\r\n\r\n" + str(article["body"])).encode("utf-8")


@route("GET", "/ticket_article_plain/{id}")
def article_plain(call: Call) -> Reply:
    """The raw message of an email article as ``message/rfc822``; other articles have none
    (204, as Zammad's action renders nothing)."""
    store = call.store
    article = store.get("ticket_articles", call.int_param("id"))
    ticket = store.get_ticket(article["ticket_id"], call.actor)
    if article["internal"] and not store.is_agent(call.actor):
        raise ApiError(403, "Not authorized")
    if article["type_id"] != _EMAIL_TYPE:
        return Reply(204, b"", "text/plain")
    reply = Reply(200, _raw_mail(ticket, article), "message/rfc822")
    filename = f"ticket-{ticket['number']}-{article['id']}.eml"
    reply.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return reply
