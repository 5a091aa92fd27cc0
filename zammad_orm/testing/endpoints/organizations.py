"""``/organizations``: index, show, search, create, update, destroy."""

from __future__ import annotations

import re
from typing import Any

from zammad_orm.testing.endpoints.common import (
    check_name,
    clean_params,
    created,
    destroy,
    index,
    member_ids,
    require_permission,
    show,
    update_record,
)
from zammad_orm.testing.endpoints.search import search_reply
from zammad_orm.testing.http import ApiError
from zammad_orm.testing.router import Call, route
from zammad_orm.testing.search_index import DocumentKind, Related
from zammad_orm.testing.store import Store

_AGENT_OR_ADMIN = ("ticket.agent", "admin.organization")


def _visible(call: Call) -> list[dict[str, Any]]:
    organizations = call.store.tables["organizations"]
    if any(call.store.has_permission(call.actor, wanted) for wanted in _AGENT_OR_ADMIN):
        return list(organizations.values())
    own = {call.actor["organization_id"], *call.actor["organization_ids"]}
    return [record for ident, record in organizations.items() if ident in own]


def organization_document(
    _store: Store, record: dict[str, Any], _related: Related
) -> dict[str, Any]:
    """The search document of an organization."""
    doc: dict[str, Any] = {key: record[key] for key in ("id", "active", "shared", "vip", *_TEXT)}
    doc["created_at"], doc["updated_at"] = record["created_at"], record["updated_at"]
    doc["_fulltext"] = _TEXT
    return doc


_TEXT = ("name", "domain", "note")


#: how organization documents are made and kept
ORGANIZATION_DOCUMENTS = DocumentKind("organizations", organization_document)


@route("GET", "/organizations/search")
@route("POST", "/organizations/search")
def search(call: Call) -> Any:
    """Organizations matching ``query``."""
    require_permission(call, *_AGENT_OR_ADMIN)
    return search_reply(
        call,
        ORGANIZATION_DOCUMENTS,
        _visible(call),
        labels=lambda _call, record: {"id": record["id"], "label": record["name"],
                                      "value": record["name"]},
    )  # fmt: skip


@route("GET", "/organizations")
def list_organizations(call: Call) -> Any:
    """A page of the organizations the actor may see."""
    return index(call, "organizations", _visible(call))


@route("GET", "/organizations/{id}")
def show_organization(call: Call) -> Any:
    """One organization."""
    record = call.store.get("organizations", call.int_param("id"))
    if record not in _visible(call):
        if call.actor["organization_id"] is None:
            return {}  # OrganizationsController#show: users without one get an empty answer
        raise ApiError(403, "Not authorized")
    return show(call, "organizations", record)


def _params(call: Call) -> dict[str, Any]:
    """The cleaned parameters, the domain as ``Organization#domain_cleanup`` leaves it: no
    ``@``, no whitespace, lower case."""
    params = clean_params(call, "organizations", call.body())
    if isinstance(params.get("domain"), str):
        params["domain"] = re.sub(r"\s", "", params["domain"].replace("@", "")).lower()
    return params


def _assign_members(call: Call, record: dict[str, Any], members: list[int] | None) -> None:
    """``member_ids`` replace the users whose primary organization this is (Rails' has_many
    ids writer: added users point here, dropped ones lose their organization)."""
    if members is None:
        return
    for user in call.store.tables["users"].values():
        belongs = user["organization_id"] == record["id"]
        if (user["id"] in members) != belongs:
            user["organization_id"] = record["id"] if user["id"] in members else None
            call.store.touch("users", user, call.actor["id"])


@route("POST", "/organizations")
def create_organization(call: Call) -> Any:
    """A new organization."""
    require_permission(call, *_AGENT_OR_ADMIN)
    params = _params(call)
    check_name(call, "organizations", params, None)
    members = member_ids(call, "member", "users")
    record = call.store.insert("organizations", params, call.actor["id"])
    _assign_members(call, record, members)
    return created(call, "organizations", record)


@route("PUT", "/organizations/{id}")
def update_organization(call: Call) -> Any:
    """A partial update of an organization."""
    require_permission(call, *_AGENT_OR_ADMIN)
    record = call.store.get("organizations", call.int_param("id"))
    params = _params(call)
    check_name(call, "organizations", params, record["id"])
    members = member_ids(call, "member", "users")
    update_record(call, "organizations", record, params)
    _assign_members(call, record, members)
    return show(call, "organizations", record)


def _referenced(call: Call, record: dict[str, Any]) -> bool:
    ident = record["id"]
    return any(
        user["organization_id"] == ident or ident in user["organization_ids"]
        for user in call.store.tables["users"].values()
    ) or any(ticket["organization_id"] == ident for ticket in call.store.tables["tickets"].values())


@route("DELETE", "/organizations/{id}")
def delete_organization(call: Call) -> Any:
    """Delete an organization nobody refers to (admins only)."""
    require_permission(call, "admin.organization")
    record = call.store.get("organizations", call.int_param("id"))
    return destroy(call, "organizations", record, references=lambda r: _referenced(call, r))
