"""``/tags``, ``/tags/add``, ``/tags/remove``, ``/tag_search`` and the admin ``/tag_list``.

As Zammad's ``TagsController`` and ``Tag``/``Tag::Item`` models do it:

* ``GET /tags?object=Ticket&o_id=`` lists the names in the order they were put on the object;
  anyone signed in may ask (an unknown ticket has no tags).
* ``POST /tags/add`` (201 ``true``) and ``DELETE /tags/remove`` (200 ``true``) strip the item,
  are idempotent, touch the ticket and write ``added``/``removed`` history entries. They need
  an agent's change access to the ticket (404 for an unknown one, 403 otherwise). Removing a
  tag nobody has still creates its name in the tag list, as Zammad's lookup-or-create does.
* ``GET /tag_search?term=&limit=10``: names containing ``term`` (case-insensitive) by name; a
  blank term gives the most used names first.
* ``/tag_list`` (``admin.tag``): ``GET`` ``[{id, name, count}]`` by name (byte order, as the
  samples show ``"Test"`` before ``"__pytest__"`` before ``"accounting"``), ``POST {name}``
  (one name or a list) ``{}``, ``PUT /:id {name}`` renames (merging into an existing name)
  ``{}``, ``DELETE /:id`` removes the name from every object ``{}``.
"""

from __future__ import annotations

from typing import Any

from zammad_orm.testing.endpoints.common import require_permission
from zammad_orm.testing.http import ApiError, json_reply, not_found, unprocessable
from zammad_orm.testing.router import Call, route
from zammad_orm.testing.store import TagItem

_SEARCH_LIMIT = 10
_LIST_LIMIT = 5000


def _names_on(call: Call, object_name: str, o_id: int) -> list[str]:
    store = call.store
    return [
        store.tags[item.tag_id]
        for item in store.tag_items
        if item.object == object_name and item.o_id == o_id
    ]


def _item(value: Any) -> str:
    """The tag name of a request, stripped; 422 when blank (Zammad's validation)."""
    name = str(value if value is not None else "").strip()
    if not name:
        raise unprocessable("Name can't be blank")
    return name


def _touch_ticket(call: Call, object_name: str, o_id: int) -> None:
    ticket = call.store.tables["tickets"].get(o_id) if object_name == "Ticket" else None
    if ticket is not None:
        call.store.touch("tickets", ticket, call.actor["id"])


def _editable_ticket(call: Call) -> tuple[str, int]:
    """The object a tag change names, checked as Zammad's tags policy does: the ticket must
    exist (404) and the actor needs an agent's change access to it (403)."""
    store = call.store
    object_name = str(call.param("object") or "Ticket")
    if object_name != "Ticket":
        raise unprocessable(f"Tags of {object_name} objects are not supported by the fake server.")
    ticket = store.get("tickets", call.param("o_id"))
    if not (store.is_agent(call.actor) and store.can_change_ticket(call.actor, ticket)):
        raise ApiError(403, "Not authorized")
    return object_name, int(ticket["id"])


@route("GET", "/tags")
def list_tags(call: Call) -> Any:
    """The tags on one object, in the order they were added."""
    o_id = str(call.param("o_id") or "")
    if not o_id.isdigit():
        return {"tags": []}
    return {"tags": _names_on(call, str(call.param("object") or "Ticket"), int(o_id))}


@route("POST", "/tags/add")
def add_tag(call: Call) -> Any:
    """Put a tag on a ticket (201 ``true``, also when it is there already)."""
    object_name, o_id = _editable_ticket(call)
    name = _item(call.param("item"))
    before = _names_on(call, object_name, o_id)
    call.store.tag(o_id, name, object_name)
    if _names_on(call, object_name, o_id) != before:
        _touch_ticket(call, object_name, o_id)
        call.store.add_history(
            o_id, object_name, "added", call.actor["id"], attribute="tag", value_to=name
        )
    return json_reply(201, True)


@route("DELETE", "/tags/remove")
def remove_tag(call: Call) -> Any:
    """Take a tag off a ticket (200 ``true``, also when it was not there)."""
    store = call.store
    object_name, o_id = _editable_ticket(call)
    name = _item(call.param("item"))
    tag_id = store.tag_id(name)
    kept = [
        item
        for item in store.tag_items
        if not (item.tag_id == tag_id and item.object == object_name and item.o_id == o_id)
    ]
    if len(kept) != len(store.tag_items):
        store.tag_items = kept
        _touch_ticket(call, object_name, o_id)
        store.add_history(
            o_id, object_name, "removed", call.actor["id"], attribute="tag", value_from=name
        )
    return True


def _usage(call: Call, tag_id: int) -> int:
    return sum(1 for item in call.store.tag_items if item.tag_id == tag_id)


def _limit(call: Call, default: int) -> int:
    raw = str(call.param("limit") or "")
    return int(raw) if raw.isdigit() else default


@route("GET", "/tag_search")
def search_tags(call: Call) -> Any:
    """Tag names containing ``term``, or the most used ones for a blank term."""
    term = str(call.param("term") or "").strip().lower()
    tags = call.store.tags
    if term:
        matches = (ident for ident, name in tags.items() if term in name.lower())
        found = sorted(matches, key=lambda ident: tags[ident])
    else:
        found = sorted(tags, key=lambda ident: (-_usage(call, ident), tags[ident]))
    return [{"id": ident, "value": tags[ident]} for ident in found[: _limit(call, _SEARCH_LIMIT)]]


@route("GET", "/tag_list")
def admin_list(call: Call) -> Any:
    """Every tag name with the number of objects carrying it, by name."""
    require_permission(call, "admin.tag")
    tags = call.store.tags
    ordered = sorted(tags, key=lambda ident: tags[ident])[: _limit(call, _LIST_LIMIT)]
    return [{"id": ident, "name": tags[ident], "count": _usage(call, ident)} for ident in ordered]


@route("POST", "/tag_list")
def admin_create(call: Call) -> Any:
    """Create tag names (one, or a list) that nothing carries yet."""
    require_permission(call, "admin.tag")
    raw = call.param("name")
    for value in raw if isinstance(raw, list) else [raw]:
        call.store.tag_id(_item(value))
    return {}


def _listed(call: Call) -> int:
    require_permission(call, "admin.tag")
    ident = call.int_param("id")
    if ident not in call.store.tags:
        raise not_found("Tag::Item", ident)
    return ident


@route("PUT", "/tag_list/{id}")
def admin_rename(call: Call) -> Any:
    """Rename a tag everywhere; onto an existing name, the two become one."""
    store = call.store
    ident = _listed(call)
    name = _item(call.param("name"))
    existing = store.tag_id(name, create=False)
    if existing is None or existing == ident:
        store.tags[ident] = name
        carriers = [(item.object, item.o_id) for item in store.tag_items if item.tag_id == ident]
    else:
        carriers = _merge_tag(call, ident, existing)
    for object_name, o_id in carriers:
        _touch_ticket(call, object_name, o_id)
    return {}


def _merge_tag(call: Call, old: int, new: int) -> list[tuple[str, int]]:
    """Move every use of tag ``old`` to ``new`` (dropping doubles) and delete ``old``; return
    the objects that carried ``old``."""
    store = call.store
    carriers = [(item.object, item.o_id) for item in store.tag_items if item.tag_id == old]
    having_new = {(item.object, item.o_id) for item in store.tag_items if item.tag_id == new}
    merged: list[TagItem] = []
    for item in store.tag_items:
        if item.tag_id == old:
            if (item.object, item.o_id) in having_new:
                continue
            item.tag_id = new
        merged.append(item)
    store.tag_items = merged
    del store.tags[old]
    return carriers


@route("DELETE", "/tag_list/{id}")
def admin_delete(call: Call) -> Any:
    """Delete a tag name and take it off every object."""
    store = call.store
    ident = _listed(call)
    carriers = [(item.object, item.o_id) for item in store.tag_items if item.tag_id == ident]
    store.tag_items = [item for item in store.tag_items if item.tag_id != ident]
    del store.tags[ident]
    for object_name, o_id in carriers:
        _touch_ticket(call, object_name, o_id)
    return {}
