"""``/tickets``, ``/tickets/search`` and ``/ticket_history``."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from functools import partial
from typing import Any

from zammad_orm.testing.automation import end_of_transaction
from zammad_orm.testing.callbacks import (
    PENDING_TYPES,
    after_ticket_saved,
    derived_ticket_values,
)
from zammad_orm.testing.core_workflow import check_restricted_values
from zammad_orm.testing.endpoints.articles import create_article, validate_article
from zammad_orm.testing.endpoints.common import clean_params, index, show
from zammad_orm.testing.endpoints.conditions import matching_condition
from zammad_orm.testing.endpoints.links import add_link, requested_links
from zammad_orm.testing.endpoints.mentions import add_mentions
from zammad_orm.testing.endpoints.search import matching
from zammad_orm.testing.escalation import recompute_escalation
from zammad_orm.testing.http import ApiError, html_reply, json_reply, unprocessable
from zammad_orm.testing.models import TABLES
from zammad_orm.testing.render import assets_of, paginate, render_many, sort_records
from zammad_orm.testing.router import Call, route
from zammad_orm.testing.search_index import DocumentKind, Reference, Related
from zammad_orm.testing.store import Store
from zammad_orm.testing.ticket_text import check_ticket_text
from zammad_orm.testing.user_rules import EMAIL, normalise_user

__all__ = ["TICKET_DOCUMENTS", "ticket_document", "visible_tickets"]

_CUSTOMER_DROPS = ("owner", "owner_id", "customer", "customer_id", "organization",
                   "organization_id", "preferences")  # fmt: skip


def visible_tickets(call: Call, among: Collection[int] | None = None) -> list[dict[str, Any]]:
    """The tickets the actor may read, by id (only those of ``among``, when given)."""
    return call.store.readable_tickets(call.actor, among)


def _user_fields(prefix: str, user: dict[str, Any] | None) -> dict[str, Any]:
    names = _USER_FIELD_NAMES[prefix]  # shared strings: a document holds many keys
    return dict(zip(names, (user[key] for key in _USER_COLUMNS) if user else _NO_USER, strict=True))


def ticket_document(store: Store, ticket: dict[str, Any], related: Related) -> dict[str, Any]:
    """The search document of ``ticket`` (see :mod:`zammad_orm.testing.query`), with its
    articles and tag names from ``related``."""
    tables = store.tables

    def name(table: str, ident: Any) -> Any:
        record = tables[table].get(ident)
        return record["name"] if record else None

    articles = related.children["ticket_articles"]
    doc: dict[str, Any] = {
        key: ticket[key]
        for key in ("id", "number", "title", "note", "created_at", "updated_at", "close_at",
                    "pending_time", "state_id", "priority_id", "group_id", "owner_id",
                    "customer_id", "organization_id", "article_count")
    }  # fmt: skip
    doc["state.name"] = name("ticket_states", ticket["state_id"])
    doc["priority.name"] = name("ticket_priorities", ticket["priority_id"])
    doc["group.name"] = name("groups", ticket["group_id"])
    doc["organization.name"] = name("organizations", ticket["organization_id"])
    doc.update(_user_fields("owner", tables["users"].get(ticket["owner_id"])))
    doc.update(_user_fields("customer", tables["users"].get(ticket["customer_id"])))
    doc["tags"] = tuple(related.tags)
    for key, field in _ARTICLE_FIELDS:
        doc[field] = tuple([article[key] for article in articles if article[key]])
    doc["_fulltext"] = _TICKET_TEXT
    return doc


_ARTICLE_FIELDS = tuple((key, f"article.{key}") for key in ("body", "from", "to", "subject"))
_TICKET_TEXT = ("title", "number", "article.body", "article.from", "article.to", "article.subject")
_USER_COLUMNS = ("login", "email", "firstname", "lastname")
_USER_FIELD_NAMES = {
    prefix: tuple(f"{prefix}.{key}" for key in _USER_COLUMNS) for prefix in ("owner", "customer")
}
_NO_USER = (None,) * len(_USER_COLUMNS)

#: how ticket documents are made and kept
TICKET_DOCUMENTS = DocumentKind(
    "tickets",
    ticket_document,
    references=(
        Reference("state_id", "ticket_states", ("name",)),
        Reference("priority_id", "ticket_priorities", ("name",)),
        Reference("group_id", "groups", ("name",)),
        Reference("organization_id", "organizations", ("name",)),
        Reference("owner_id", "users", _USER_COLUMNS),
        Reference("customer_id", "users", _USER_COLUMNS),
    ),
    children=(("ticket_articles", "ticket_id"),),
    tags="Ticket",
)


# -- reading -----------------------------------------------------------------------------------


@route("GET", "/tickets/search")
@route("POST", "/tickets/search")
def search(call: Call) -> Any:
    """Tickets matching ``query``, in the shape of the release the server answers as."""
    found = sort_records(
        matching_condition(call, matching(call, TICKET_DOCUMENTS, partial(visible_tickets, call))),
        call.param("sort_by"),
        call.param("order_by"),
        default=("updated_at", "desc"),
        columns=TABLES["tickets"].columns,
    )
    if call.version >= (6, 5) and call.flag("only_total_count"):
        return {"total_count": len(found)}
    page = paginate(call, found, default=50, maximum=200)
    store = call.store
    if call.flag("expand"):
        return render_many(store, "tickets", page, "expand")
    assets = assets_of(store, (("tickets", ticket) for ticket in page))
    if call.version < (6, 5):
        return {"tickets": [t["id"] for t in page], "tickets_count": len(page), "assets": assets}
    if call.flag("full"):
        return {"record_ids": [t["id"] for t in page], "assets": assets, "total_count": len(found)}
    records = render_many(store, "tickets", page, "ids")
    if call.version >= (7, 0) and call.flag("with_total_count"):
        return {"records": records, "total_count": len(found)}
    return records


@route("GET", "/tickets")
def list_tickets(call: Call) -> Any:
    """A page of the tickets the actor may read (at most 100 a page)."""
    return index(call, "tickets", visible_tickets(call), default=100, maximum=100,
                 total_count=False, plain=True)  # fmt: skip


@route("GET", "/tickets/{id}")
def show_ticket(call: Call) -> Any:
    """One ticket: its columns, or names beside ids with ``expand``."""
    return show(
        call, "tickets", call.store.get_ticket(call.int_param("id"), call.actor), plain=True
    )


@route("GET", "/ticket_history/{id}")
def history(call: Call) -> Any:
    """The history of a ticket and its articles, oldest first, with the records it names."""
    store = call.store
    ticket = store.get_ticket(call.int_param("id"), call.actor)
    entries = [
        entry
        for entry in store.history
        if (entry["object"] == "Ticket" and entry["o_id"] == ticket["id"])
        or (entry.get("related_object") == "Ticket" and entry.get("related_o_id") == ticket["id"])
    ]
    entries.sort(key=lambda entry: (entry["created_at"], entry["id"]))
    articles = [
        ("ticket_articles", article)
        for article in store.tables["ticket_articles"].values()
        if article["ticket_id"] == ticket["id"]
    ]
    return {"history": entries, "assets": assets_of(store, [("tickets", ticket), *articles])}


# -- writing -----------------------------------------------------------------------------------


def _customer_from_guess(call: Call, value: str) -> int:
    email = value[len("guess:") :].strip()
    if not EMAIL.match(email):
        raise ApiError(422, f"Invalid email '{email}' of customer", human=False)
    user = call.store.find_user(email)
    if user is None:
        user = _new_customer(call, {"email": email, "login": email.lower()})
    return int(user["id"])


def _new_customer(call: Call, values: Mapping[str, Any]) -> dict[str, Any]:
    roles = [r["id"] for r in call.store.tables["roles"].values() if r["default_at_signup"]]
    allowed = {k: v for k, v in values.items() if k in TABLES["users"].columns and k != "id"}
    allowed = normalise_user(call.store, {}, allowed)
    return call.store.insert("users", {**allowed, "role_ids": roles}, call.actor["id"])


def _customer_from_hash(call: Call, values: Mapping[str, Any]) -> int:
    store = call.store
    user = None
    if isinstance(values.get("id"), int):
        user = store.tables["users"].get(values["id"])
    for key in ("email", "login"):
        if user is None and values.get(key):
            user = store.find_user(str(values[key]))
    if user is None:
        user = _new_customer(call, values)
    return int(user["id"])


def _resolve_customer(call: Call, params: dict[str, Any]) -> None:
    value = params.get("customer_id")
    if isinstance(value, str) and value.startswith("guess:"):
        params["customer_id"] = _customer_from_guess(call, value)
    elif isinstance(value, str) and value.isdigit():
        params["customer_id"] = int(value)
    if isinstance(params.get("customer"), Mapping) and params.get("customer_id") is None:
        params["customer_id"] = _customer_from_hash(call, params.pop("customer"))


def _check_pending(call: Call, ticket: Mapping[str, Any]) -> None:
    state = call.store.tables["ticket_states"].get(ticket.get("state_id") or 0)
    if state and state["state_type_id"] in PENDING_TYPES and not ticket.get("pending_time"):
        raise unprocessable("Missing required value for field 'pending_time'!")


def _article_params(raw: Any) -> dict[str, Any] | None:
    if raw is None or raw == {}:
        return None
    if not isinstance(raw, Mapping):
        raise unprocessable("Invalid value for param 'article': an object is needed.")
    return dict(raw)


def _write_reply(call: Call, ticket: dict[str, Any], status: int) -> Any:
    return json_reply(status, show(call, "tickets", ticket))


@route("POST", "/tickets")
def create_ticket(call: Call) -> Any:
    """A new ticket, with names or ids for its relations and an optional first article."""
    store, actor = call.store, call.actor
    params = dict(call.body())
    article = _article_params(params.pop("article", None))
    tags = params.pop("tags", None)
    mentions = params.pop("mentions", None)
    links = requested_links(params.pop("links", None))
    if not store.is_agent(actor):
        for key in _CUSTOMER_DROPS:
            params.pop(key, None)
        params["customer_id"] = actor["id"]
    _resolve_customer(call, params)
    values = clean_params(call, "tickets", params)
    values.pop("number", None)
    if values.get("group_id") is None:
        raise unprocessable("The required value 'group_id' is missing.")
    if store.is_agent(actor) and not store.agent_access(actor, values, "create"):
        raise ApiError(403, "Not authorized")
    check_ticket_text(values, creating=True, admin=store.has_permission(actor, "admin"))
    if values.get("customer_id") is None:
        raise unprocessable("Missing required value for field 'customer_id'!")
    if values.get("state_id") is None:
        values["state_id"] = next(
            s["id"] for s in store.tables["ticket_states"].values() if s["default_create"]
        )
    if values.get("priority_id") is None:
        values["priority_id"] = next(
            p["id"] for p in store.tables["ticket_priorities"].values() if p["default_create"]
        )
    if values.get("owner_id") in (None, ""):
        values["owner_id"] = 1
    values.update(derived_ticket_values(store, {}, values))
    check_restricted_values(store, actor, {}, values)
    _check_pending(call, values)
    if article is not None:
        validate_article(article)
    store.ticket_counter += 1
    values["number"] = f"31{store.ticket_counter:03d}"
    ticket = store.insert("tickets", values, actor["id"])
    after_ticket_saved(store, ticket, {}, ticket["created_at"])
    store.add_history(ticket["id"], "Ticket", "created", actor["id"])
    first_article = create_article(call, ticket, article) if article is not None else None
    if isinstance(tags, str):
        for name in (part.strip() for part in tags.split(",")):
            if name:
                store.tag(ticket["id"], name)
    add_mentions(call, ticket, mentions)
    for link_type, target_id in links:
        add_link(call, link_type, ticket["id"], target_id)
    store.notify_about_ticket(ticket, "create", actor["id"])
    recompute_escalation(store, ticket)
    reply = _write_reply(call, ticket, 201)
    end_of_transaction(store, ticket, "create", article=first_article)
    return reply


def _labelled(call: Call, column: str, value: Any) -> Any:
    targets = {"state_id": "ticket_states", "priority_id": "ticket_priorities",
               "group_id": "groups", "organization_id": "organizations"}  # fmt: skip
    table = targets.get(column)
    if table is None:
        if column in ("owner_id", "customer_id"):
            user = call.store.tables["users"].get(value)
            return user["login"] if user else value
        return value
    record = call.store.tables[table].get(value)
    return record["name"] if record else value


@route("PUT", "/tickets/{id}")
def update_ticket(call: Call) -> Any:
    """A partial update; ``preferences`` merge one level deep, an ``article`` is added."""
    store, actor = call.store, call.actor
    ticket = store.get_ticket(call.int_param("id"), actor, change=True)
    params = dict(call.body())
    article = _article_params(params.pop("article", None))
    for key in ("number", "tags", "mentions", "links"):
        params.pop(key, None)
    if not store.is_agent(actor):
        for key in _CUSTOMER_DROPS:
            params.pop(key, None)
    _resolve_customer(call, params)
    values = clean_params(call, "tickets", params)
    values.pop("number", None)
    if "owner_id" in values and values["owner_id"] in (None, ""):
        values["owner_id"] = 1
    if "group_id" in values and values["group_id"] in (None, ""):
        raise unprocessable("Missing required value for field 'group_id'!")
    check_ticket_text(values, creating=False, admin=store.has_permission(actor, "admin"))
    if isinstance(values.get("preferences"), Mapping):
        values["preferences"] = {**ticket["preferences"], **values["preferences"]}
    changed = derived_ticket_values(store, ticket, values)
    check_restricted_values(store, actor, ticket, changed)
    _check_pending(call, {**ticket, **changed})
    if article is not None:
        validate_article(article)
    before = dict(ticket)
    for column, value in changed.items():
        store.add_history(
            ticket["id"], "Ticket", "updated", actor["id"],
            attribute=column[:-3] if column.endswith("_id") else column,
            value_from=_labelled(call, column, ticket.get(column)),
            value_to=_labelled(call, column, value),
            id_from=ticket.get(column) if column.endswith("_id") else None,
            id_to=value if column.endswith("_id") else None,
        )  # fmt: skip
        ticket[column] = value
    if changed:
        store.touch("tickets", ticket, actor["id"])
        after_ticket_saved(store, ticket, before, ticket["updated_at"])
    new_article = create_article(call, ticket, article) if article is not None else None
    if not (changed or article is not None):
        return _write_reply(call, ticket, 200)
    store.notify_about_ticket(ticket, "update", actor["id"])
    recompute_escalation(store, ticket)
    reply = _write_reply(call, ticket, 200)
    changes = {column: [before.get(column), value] for column, value in changed.items()}
    end_of_transaction(store, ticket, "update", changes=changes, article=new_article)
    return reply


@route("DELETE", "/tickets/{id}")
def delete_ticket(call: Call) -> Any:
    """Delete a ticket with everything hanging on it (admins only); an empty 200."""
    store = call.store
    ticket = store.get("tickets", call.int_param("id"))
    if not store.has_permission(call.actor, "admin"):
        raise ApiError(403, "Not authorized (admin permission required)!")
    store.remove_ticket(ticket["id"])
    return html_reply(200, "")
