"""Time booked on a ticket (``/tickets/:id/time_accountings``).

``ticket.create_time_accounting(time_unit, type=..., article=...)`` books time through the
documented per-ticket route; the activity type is given by object, id or name (a name is
resolved by Zammad, which refuses an unknown one with a 422 and books nothing). A booking
changes the ticket's ``time_unit``, so the ticket's objects load again on their next read.
"""

from __future__ import annotations

import decimal
from typing import TYPE_CHECKING, Any

from zammad_orm.paging import objects_of
from zammad_orm.resource import Resource

if TYPE_CHECKING:
    from zammad_orm.resources.articles import Article
    from zammad_orm.resources.tickets import Ticket
    from zammad_orm.resources.time_accountings import TimeAccounting

__all__ = ["book_article_time", "book_time", "bookings_of", "decimal_text"]

#: the endpoint of time accounting types, to recognise their objects by family
TYPES_ENDPOINT = "time_accounting/types"


def decimal_text(value: object, *, field: str = "time_unit") -> str:
    """``value`` (an int, float, Decimal or numeric str) as the decimal string Zammad keeps.

    :raises TypeError: not a number
    :raises ValueError: not a finite number
    """
    if isinstance(value, bool) or not isinstance(value, int | float | decimal.Decimal | str):
        raise TypeError(f"{field} takes a number or a numeric str, got {value!r}")
    try:
        number = decimal.Decimal(str(value).strip())
    except decimal.InvalidOperation:
        raise ValueError(f"{field} must be a number, got {value!r}") from None
    if not number.is_finite():
        raise ValueError(f"{field} must be a finite number, got {value!r}")
    return str(value).strip() if isinstance(value, str) else str(number)


def bookings_of(ticket: Ticket) -> list[TimeAccounting]:
    """The ticket's time bookings (one request)."""
    accountings = ticket.client.time_accountings
    with ticket._acting():
        reply = ticket.client.get(*ticket._path(), "time_accountings")
    return objects_of(accountings, reply or [], ticket._acting_as, ticket._unit)


def _type_fields(value: object) -> dict[str, Any]:
    """The request fields naming the activity type ``value`` (object, id or name)."""
    if value is None:
        return {}
    if isinstance(value, str):
        if not value.strip():
            raise ValueError("type needs a name, got a blank string")
        return {"type": value.strip()}
    if isinstance(value, int) and not isinstance(value, bool):
        return {"type_id": value}
    if isinstance(value, Resource) and value.manager.endpoint == TYPES_ENDPOINT:
        ident = value._data.get("id")
        if ident is None:
            raise ValueError(f"save {value!r} before booking time with it")
        return {"type_id": ident}
    raise TypeError(f"type takes a time accounting type, its id or its name, got {value!r}")


def book_time(
    ticket: Ticket, time_unit: object, *, type: object = None, article: object = None
) -> TimeAccounting:
    """Book ``time_unit`` on ``ticket`` (one request); see the module docs."""
    from zammad_orm.resources.articles import Article

    ticket._path()  # a saved ticket
    fields: dict[str, Any] = {"ticket": ticket, "time_unit": decimal_text(time_unit)}
    raw = _type_fields(type)
    if article is not None:
        if isinstance(article, Article):
            owner = article._data.get("ticket_id")
            if owner is not None and owner != ticket.id:
                raise ValueError(f"{article!r} belongs to ticket {owner}, not to {ticket.id}")
        fields["ticket_article"] = article
    accountings = ticket.client.time_accountings
    with ticket._acting():
        booking = accountings.new(**fields)
    try:
        for name, value in raw.items():
            booking[name] = value
        return booking.save()
    except BaseException:
        booking._unit._held.pop(id(booking), None)
        raise


def book_article_time(
    article: Article, time_unit: object, *, type: object = None
) -> TimeAccounting:
    """Book ``time_unit`` for ``article``: a new booking, or a change of the one it has (Zammad
    allows one per article; changing one needs ``admin.time_accounting``). ``type=None``
    leaves an existing booking's type as it is. Two requests: the ticket's bookings, then the
    write."""
    ticket = article.ticket
    if ticket is None:
        raise ValueError(f"{article!r} belongs to no ticket")
    text = decimal_text(time_unit)
    fields = _type_fields(type)
    mine = [b for b in bookings_of(ticket) if b._data.get("ticket_article_id") == article.id]
    if not mine:
        return book_time(ticket, text, type=type, article=article)
    booking = mine[0]
    with booking._writing():
        before = booking._capture()
        try:
            for name, value in fields.items():
                booking[name] = value
            return booking.update(time_unit=text)
        except BaseException:
            booking._restore(before)
            raise
