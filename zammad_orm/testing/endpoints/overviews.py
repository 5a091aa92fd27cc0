"""``/overviews`` (admin CRUD, ``app/models/overview.rb``) and ``/ticket_overviews`` (each
overview's ticket count for the current user, or one overview's tickets with ``view=<link>``:
``app/controllers/ticket_overviews_controller.rb`` and ``app/models/ticket/overviews.rb``)."""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Mapping
from typing import Any

from zammad_orm.testing.endpoints.admin_crud import (
    AdminTable,
    check_condition,
    check_presence,
    register,
)
from zammad_orm.testing.http import unprocessable
from zammad_orm.testing.render import assets_of
from zammad_orm.testing.router import Call, route
from zammad_orm.testing.selector import SelectorContext, matches, out_of_office_agents
from zammad_orm.testing.selector_conditions import InvalidCondition, SelectorError

__all__ = ["link_name", "user_overviews"]

#: what one overview lists at most (``Ticket::Overviews.index``)
_LIMIT = 2000


def link_name(call: Call, name: str, ident: int | None) -> str:
    """``Overview#link_name``: the name parameterized with ``_``, made unique with a
    counter."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    link = re.sub(r"[^a-z0-9\-_]+", "_", ascii_name.lower())
    link = re.sub(r"_+", "_", link).strip("_")
    if not link:
        link = str(ident) if ident is not None else str(uuid.uuid4())
    candidate, count = link, 0
    while True:
        count += 1
        clash = call.store.find("overviews", link=candidate)
        if clash is None or clash["id"] == ident:
            return candidate
        candidate = f"{link}_{count}"


def _prepare(call: Call, body: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    """Role names to ids, then the link and prio Zammad fills in before saving."""
    roles = body.get("roles")
    if isinstance(roles, list) and "role_ids" not in body:
        role_ids = []
        for name in roles:
            role = call.store.find("roles", name=name)
            if role is None:
                raise unprocessable(f"No lookup value found for 'roles': \"{name}\"")
            role_ids.append(role["id"])
        params["role_ids"] = role_ids
    ident = call.int_param("id") if "id" in call.params else None
    existing = call.store.tables["overviews"].get(ident) if ident is not None else None
    if existing is None:
        source = params.get("link") or params.get("name") or ""
        params["link"] = link_name(call, str(source), None)
    elif any(key in params and params[key] != existing[key] for key in ("name", "link")):
        source = params.get("link", existing["link"]) or params.get("name", existing["name"])
        params["link"] = link_name(call, str(source), ident)
    if existing is None and params.get("prio") in (None, ""):
        params["prio"] = len(call.store.tables["overviews"]) + 1
    return params


register(
    AdminTable(
        "overviews",
        readers=("admin.overview",),
        writers=("admin.overview",),
        validators=(
            check_presence("name", "Name"),
            check_presence("role_ids", "Roles"),
            check_condition,
        ),
        prepare=_prepare,
    )
)


# -- /ticket_overviews -------------------------------------------------------------------------


def user_overviews(call: Call) -> list[dict[str, Any]]:
    """``Ticket::Overviews.all``: the active overviews of the actor's roles (and of the actor,
    when an overview names users), by prio and name."""
    store, actor = call.store, call.actor
    if not (
        store.has_permission(actor, "ticket.agent")
        or store.has_permission(actor, "ticket.customer")
    ):
        return []
    role_ids = {
        ident
        for ident in actor["role_ids"]
        if (store.tables["roles"].get(ident) or {}).get("active")
    }
    organization = store.tables["organizations"].get(actor["organization_id"])
    shared = bool(organization and organization["shared"])
    replacement = bool(out_of_office_agents(store, [actor["id"]]))
    found = [
        overview
        for overview in store.tables["overviews"].values()
        if overview["active"]
        and role_ids.intersection(overview["role_ids"])
        and (not overview["user_ids"] or actor["id"] in overview["user_ids"])
        and (shared or not overview["organization_shared"])
        and (replacement or not overview["out_of_office"])
    ]
    return sorted(found, key=lambda overview: (overview["prio"] or 0, overview["name"]))


def _accessible(call: Call, ticket: Mapping[str, Any], access: str) -> bool:
    """``Ticket.access_condition(user, access)``."""
    store, actor = call.store, call.actor
    if store.is_agent(actor) and access in store.group_access(actor, ticket["group_id"]):
        return True
    return store.has_permission(actor, "ticket.customer") and store.customer_may_see(
        actor, dict(ticket)
    )


def _order_column(by: Any, columns: Mapping[str, Any]) -> str:
    name = str(by or "created_at")
    if name in columns:
        return name
    return f"{name}_id" if f"{name}_id" in columns else "created_at"


def _sorted(tickets: list[dict[str, Any]], overview: Mapping[str, Any]) -> list[dict[str, Any]]:
    order = overview["order"] if isinstance(overview["order"], Mapping) else {}
    direction = str(order.get("direction") or "ASC")
    if direction.upper() not in ("ASC", "DESC"):
        raise RuntimeError(f"Invalid order direction '{direction}'")
    descending = direction.upper() == "DESC"
    columns = tickets[0] if tickets else {}
    keys = [_order_column(order.get("by"), columns)]
    if overview.get("group_by"):
        group = str(overview["group_by"])
        if group in columns or f"{group}_id" in columns:
            keys.insert(0, group if group in columns else f"{group}_id")

    def key(ticket: Mapping[str, Any]) -> tuple[Any, ...]:
        # PostgreSQL puts NULL last going up and first going down
        return tuple((ticket[name] is None, str(ticket[name])) for name in keys)

    return sorted(tickets, key=key, reverse=descending)


def _overview_tickets(call: Call, overview: Mapping[str, Any]) -> list[dict[str, Any]]:
    condition = overview["condition"] or {}
    access = "read" if "ticket.mention_user_ids" in condition else "overview"
    context = SelectorContext(call.store, current_user=call.actor)
    found = []
    try:
        for ticket in call.store.tables["tickets"].values():
            if _accessible(call, ticket, access) and matches(condition, ticket, context):
                found.append(ticket)
    except InvalidCondition:
        return []
    except SelectorError:
        raise
    return _sorted(found, overview)


@route("GET", "/ticket_overviews")
def ticket_overviews(call: Call) -> Any:
    """Without ``view``: ``[{name, prio, link, count}]`` of the actor's overviews; with
    ``view=<link>``: that overview's tickets (ids and ``updated_at``, at most 2000), count and
    assets."""
    overviews = user_overviews(call)
    view = call.param("view")
    if not view:
        return [
            {
                "name": overview["name"],
                "prio": overview["prio"],
                "link": overview["link"],
                "count": len(_overview_tickets(call, overview)),
            }
            for overview in overviews
        ]
    for overview in overviews:
        if overview["link"] != view:
            continue
        tickets = _overview_tickets(call, overview)
        shown = tickets[:_LIMIT]
        assets = assets_of(call.store, [("overviews", overview), *(("tickets", t) for t in shown)])
        index = {
            "overview": {
                "name": overview["name"],
                "id": overview["id"],
                "view": overview["link"],
                "updated_at": overview["updated_at"],
            },
            "tickets": [{"id": t["id"], "updated_at": t["updated_at"]} for t in shown],
            "count": len(tickets),
        }
        return {"assets": assets, "index": index}
    return {"assets": {}, "index": {}}
