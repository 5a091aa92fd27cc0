"""Time accounting: ``/tickets/:ticket_id/time_accountings[/:id]``, ``/time_accountings[/:id]``
and ``/time_accounting/types[/:id]``.

As Zammad's ``TimeAccountingsController``, its policy and ``Ticket::TimeAccounting`` do it:

* Bookings under ``/tickets/:ticket_id/...`` belong to that ticket (the id in the path wins
  over one in the body; a booking of another ticket is not found there). The global
  ``/time_accountings`` takes ``ticket_id`` from the body.
* ``time_unit`` is required (422 ``Time unit can't be blank``) and kept as a decimal string
  with two places at most (``"1.5"``, ``"15.0"``); the ticket's ``time_unit`` is the sum of its
  bookings after every change.
* ``ticket_article_id`` and ``type_id`` must name existing records (422 ``Invalid value for
  param ...``); the article must belong to the ticket (422 ``This article is not part of the
  ticket.``) and carry no other booking (422 ``Ticket article has already been taken``).
* Reading needs ``admin.time_accounting`` or an agent's change access to the ticket (the global
  list: the admin permission); booking needs the same; changing and deleting need
  ``admin.time_accounting``. Updates are partial (``time_unit``, ``type_id``,
  ``ticket_article_id``).
* Types: ``GET`` (admins and agents), ``POST`` (201) and ``PUT /:id`` (``admin.time_accounting``);
  there is no show and no delete route.
"""

from __future__ import annotations

from typing import Any

from zammad_orm.testing.endpoints.common import (
    check_name,
    clean_params,
    created,
    destroy,
    index,
    require_permission,
    show,
    update_record,
)
from zammad_orm.testing.http import ApiError, unprocessable
from zammad_orm.testing.router import Call, route
from zammad_orm.testing.store import decimal_string

_TABLE = "time_accountings"
_TYPES = "time_accounting_types"
_ADMIN = "admin.time_accounting"


def _is_admin(call: Call) -> bool:
    return call.store.has_permission(call.actor, _ADMIN)


def _ticket(call: Call, ident: Any) -> dict[str, Any]:
    """The booking's ticket; the actor needs the admin permission or an agent's change
    access to it."""
    store = call.store
    ticket = store.get("tickets", ident)
    agent_access = store.is_agent(call.actor) and store.can_change_ticket(call.actor, ticket)
    if not (_is_admin(call) or agent_access):
        raise ApiError(403, "Not authorized")
    return ticket


def _path_ticket(call: Call) -> dict[str, Any]:
    return _ticket(call, call.int_param("ticket_id"))


def _booking(call: Call, ticket: dict[str, Any] | None) -> dict[str, Any]:
    """The booking ``id``, within ``ticket`` when the path names one (Rails' scoped 404)."""
    ident = call.int_param("id")
    booking = call.store.tables[_TABLE].get(ident)
    if ticket is not None and (booking is None or booking["ticket_id"] != ticket["id"]):
        raise ApiError(
            404,
            f"Couldn't find Ticket::TimeAccounting with 'id'={ident} "
            '[WHERE "ticket_time_accountings"."ticket_id" = $1]',
        )
    return booking if booking is not None else call.store.get(_TABLE, ident)


def _references(
    call: Call, ticket: dict[str, Any], params: dict[str, Any], booking_id: int | None
) -> tuple[int | None, int | None]:
    """The checked ``ticket_article_id`` and ``type_id`` of ``params``."""
    store = call.store
    article_id, type_id = params.get("ticket_article_id"), params.get("type_id")
    checks = (("ticket_article_id", "ticket_articles", article_id), ("type_id", _TYPES, type_id))
    for column, table, value in checks:
        if value is not None and (not isinstance(value, int) or value not in store.tables[table]):
            raise unprocessable(f"Invalid value for param '{column}': {value}")
    if article_id is not None:
        if store.tables["ticket_articles"][article_id]["ticket_id"] != ticket["id"]:
            raise unprocessable("This article is not part of the ticket.")
        if any(
            entry["ticket_article_id"] == article_id and entry["id"] != booking_id
            for entry in store.tables[_TABLE].values()
        ):
            raise unprocessable("Ticket article has already been taken")
    return article_id, type_id


def _book(call: Call, ticket: dict[str, Any]) -> Any:
    params = clean_params(call, _TABLE, call.body())
    time_unit = decimal_string(params.get("time_unit"))
    article_id, type_id = _references(call, ticket, params, None)
    entry = call.store.book_time(ticket, article_id, time_unit, type_id, call.actor["id"])
    return created(call, _TABLE, entry)


def _update(call: Call, booking: dict[str, Any]) -> Any:
    store = call.store
    params = clean_params(call, _TABLE, call.body())
    params.pop("ticket_id", None)
    if "time_unit" in params:
        params["time_unit"] = decimal_string(params["time_unit"])
    ticket = store.get("tickets", booking["ticket_id"])
    merged = {**booking, **params}
    _references(call, ticket, merged, booking["id"])
    update_record(call, _TABLE, booking, params)
    store.recompute_time_unit(ticket)
    return show(call, _TABLE, booking)


def _delete(call: Call, booking: dict[str, Any]) -> Any:
    reply = destroy(call, _TABLE, booking)
    ticket = call.store.tables["tickets"].get(booking["ticket_id"])
    if ticket is not None:
        call.store.recompute_time_unit(ticket)
    return reply


# -- per ticket --------------------------------------------------------------------------------


@route("GET", "/tickets/{ticket_id}/time_accountings")
def ticket_index(call: Call) -> Any:
    """The bookings of one ticket."""
    ticket = _path_ticket(call)
    bookings = [e for e in call.store.tables[_TABLE].values() if e["ticket_id"] == ticket["id"]]
    return index(call, _TABLE, bookings)


@route("GET", "/tickets/{ticket_id}/time_accountings/{id}")
def ticket_show(call: Call) -> Any:
    """One booking of one ticket."""
    return show(call, _TABLE, _booking(call, _path_ticket(call)))


@route("POST", "/tickets/{ticket_id}/time_accountings")
def ticket_create(call: Call) -> Any:
    """Book time on the ticket of the path."""
    return _book(call, _path_ticket(call))


@route("PUT", "/tickets/{ticket_id}/time_accountings/{id}")
def ticket_update(call: Call) -> Any:
    """Change a booking of the ticket (admins)."""
    require_permission(call, _ADMIN)
    return _update(call, _booking(call, _path_ticket(call)))


@route("DELETE", "/tickets/{ticket_id}/time_accountings/{id}")
def ticket_delete(call: Call) -> Any:
    """Delete a booking of the ticket (admins)."""
    require_permission(call, _ADMIN)
    return _delete(call, _booking(call, _path_ticket(call)))


# -- global ------------------------------------------------------------------------------------


@route("GET", "/time_accountings")
def global_index(call: Call) -> Any:
    """Every booking (admins)."""
    require_permission(call, _ADMIN)
    return index(call, _TABLE, call.store.tables[_TABLE].values())


@route("GET", "/time_accountings/{id}")
def global_show(call: Call) -> Any:
    """One booking."""
    booking = _booking(call, None)
    _ticket(call, booking["ticket_id"])
    return show(call, _TABLE, booking)


@route("POST", "/time_accountings")
def global_create(call: Call) -> Any:
    """Book time on the ticket named by ``ticket_id`` in the body."""
    ticket_id = call.body().get("ticket_id")
    if ticket_id is None:
        raise unprocessable("Ticket must exist")
    return _book(call, _ticket(call, ticket_id))


@route("PUT", "/time_accountings/{id}")
def global_update(call: Call) -> Any:
    """Change a booking (admins)."""
    require_permission(call, _ADMIN)
    return _update(call, _booking(call, None))


@route("DELETE", "/time_accountings/{id}")
def global_delete(call: Call) -> Any:
    """Delete a booking (admins)."""
    require_permission(call, _ADMIN)
    return _delete(call, _booking(call, None))


# -- types -------------------------------------------------------------------------------------


@route("GET", "/time_accounting/types")
def list_types(call: Call) -> Any:
    """The activity types bookings can have."""
    require_permission(call, _ADMIN, "ticket.agent")
    return index(call, _TYPES, call.store.tables[_TYPES].values())


@route("POST", "/time_accounting/types")
def create_type(call: Call) -> Any:
    """A new activity type (201)."""
    require_permission(call, _ADMIN)
    params = clean_params(call, _TYPES, call.body())
    check_name(call, _TYPES, params, None)
    return created(call, _TYPES, call.store.insert(_TYPES, params, call.actor["id"]))


@route("PUT", "/time_accounting/types/{id}")
def update_type(call: Call) -> Any:
    """A partial update of an activity type."""
    require_permission(call, _ADMIN)
    record = call.store.get(_TYPES, call.int_param("id"))
    params = clean_params(call, _TYPES, call.body())
    check_name(call, _TYPES, params, record["id"])
    return show(call, _TYPES, update_record(call, _TYPES, record, params))
