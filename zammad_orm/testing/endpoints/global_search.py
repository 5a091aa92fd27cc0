"""``/search`` and ``/search/:objects``: one query over tickets, users and organizations
(``SearchController#search_generic``)."""

from __future__ import annotations

from functools import partial
from typing import Any

from zammad_orm.testing.endpoints.organizations import ORGANIZATION_DOCUMENTS
from zammad_orm.testing.endpoints.search import CandidateRecords, matching
from zammad_orm.testing.endpoints.tickets import TICKET_DOCUMENTS, visible_tickets
from zammad_orm.testing.endpoints.users import USER_DOCUMENTS
from zammad_orm.testing.render import assets_of
from zammad_orm.testing.router import Call, route
from zammad_orm.testing.search_index import DocumentKind

#: the searchable objects by priority (``search_preferences``: Ticket 3000, User 2000,
#: Organization 1000): their table and the permissions that may search them
_OBJECTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Ticket", "tickets", ("ticket.agent", "ticket.customer")),
    ("User", "users", ("ticket.agent", "admin.user")),
    ("Organization", "organizations", ("ticket.agent", "admin.organization")),
)


def _camelize(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def _candidates(call: Call, table: str) -> tuple[DocumentKind, CandidateRecords]:
    if table == "tickets":
        return TICKET_DOCUMENTS, partial(visible_tickets, call)
    records = list(call.store.tables[table].values())
    return (USER_DOCUMENTS if table == "users" else ORGANIZATION_DOCUMENTS), lambda _ids: records


def _limit(call: Call) -> int:
    raw = call.param("limit")
    try:
        return int(raw) if raw not in (None, "") else 10
    except (TypeError, ValueError):
        return 10


@route("GET", "/search")
@route("POST", "/search")
@route("GET", "/search/{objects}")
@route("POST", "/search/{objects}")
def search(call: Call) -> Any:
    """``{"assets": ..., "result": [{"type": "Ticket", "id": 1}, ...]}``: up to ``limit``
    (10) matches of each object the actor may search, tickets first; ``objects`` narrows the
    objects (``ticket-user``)."""
    wanted = None
    if "objects" in call.params:
        wanted = {_camelize(name) for name in call.params["objects"].split("-")}
    limit = _limit(call)
    result: list[dict[str, Any]] = []
    found: list[tuple[str, dict[str, Any]]] = []
    for name, table, permissions in _OBJECTS:
        if wanted is not None and name not in wanted:
            continue
        if not any(call.store.has_permission(call.actor, p) for p in permissions):
            continue
        kind, records = _candidates(call, table)
        matches = matching(call, kind, records)
        matches.sort(key=lambda record: (record["updated_at"], record["id"]), reverse=True)
        for record in matches[:limit]:
            result.append({"type": name, "id": record["id"]})
            found.append((table, record))
    return {"assets": assets_of(call.store, found), "result": result}
