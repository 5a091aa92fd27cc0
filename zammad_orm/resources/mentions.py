"""Mentions: agents subscribed to a ticket (``/mentions``).

Zammad's ``MentionsController`` mentions (and unmentions) the *acting* user only. To mention
someone else, the library acts on their behalf (``X-On-Behalf-Of``), which needs a token with
the ``admin.user`` permission; mentioning yourself needs none. A new ticket takes
``mentions=[users]`` (``TicketsController#create``), which skips users who may not be
mentioned (not agents of the ticket's group).

The ticket remembers its mentions while it is unchanged (see
:mod:`zammad_orm.resources.ticket_cache`); a mention is an update of the ticket, with
``changes={"mentions": (old user ids, new user ids)}``. In ``updating`` a new user given by
login or email appears as given, and ``None`` stands for the acting user; in ``updated`` every
user is an id.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, overload

from zammad_orm.fields import WriteOnlyField
from zammad_orm.json_values import shown
from zammad_orm.resources.ticket_cache import after_side_write, announce, recall, remember
from zammad_orm.tracking import MISSING, TrackedRecord

if TYPE_CHECKING:
    from zammad_orm.resource import Resource
    from zammad_orm.resources.tickets import Ticket
    from zammad_orm.resources.users import User

__all__ = ["MentionsField", "mention", "mentioned", "unmention"]

#: (mention id, user id) rows, oldest first
_Rows = tuple[tuple[int, int], ...]


def _rows(ticket: Ticket) -> _Rows:
    """The ticket's mentions (one request, unless remembered)."""
    known = recall(ticket, "mentions")
    if known is not MISSING:
        return tuple(known)
    params = {"mentionable_type": "Ticket", "mentionable_id": ticket._path()[1]}
    with ticket._acting():
        reply = ticket.client.get("mentions", params=params)
    found = sorted(
        (entry for entry in (reply or {}).get("mentions", [])),
        key=lambda entry: (str(entry.get("created_at")), int(entry["id"])),
    )
    rows = tuple((int(entry["id"]), int(entry["user_id"])) for entry in found)
    remember(ticket, "mentions", rows)
    return rows


def mentioned(ticket: Ticket) -> list[User]:
    """The users mentioned on ``ticket``, oldest mention first."""
    users = ticket.client.users
    return [
        users._handle(user_id, acting_as=ticket._acting_as, unit=ticket._unit)
        for _mention_id, user_id in _rows(ticket)
    ]


def _on_behalf_of(ticket: Ticket, user: object) -> contextlib.AbstractContextManager[None]:
    """Act as ``user`` (None: as the ticket's user) for the request."""
    if user is None:
        return ticket._acting()
    if isinstance(user, str):
        return ticket.client._acting(user.strip())
    ident = ticket.client.users.reference_id(user, field="user", acting_as=ticket._acting_as)
    return ticket.client._acting(str(ident))


def _check_user(user: object) -> None:
    if isinstance(user, str) and not user.strip():
        raise ValueError("user needs an id, login or email, got a blank string")
    if user is not None and not isinstance(user, str):
        from zammad_orm.resources.users import User

        if isinstance(user, bool) or not isinstance(user, int | User):
            raise TypeError(f"user takes a User, its id, login or email, got {user!r}")


def mention(ticket: Ticket, user: object = None) -> int:
    """Mention ``user`` (default: the acting user) on ``ticket``; returns their user id.
    One request, plus one to read the mentions when the ticket does not remember them.

    :raises UnprocessableEntity: the user is mentioned already (Zammad's unique index)
    """
    _check_user(user)
    with ticket._writing():
        rows = _rows(ticket)
        old = [user_id for _mention_id, user_id in rows]
        given = user
        if user is not None and not isinstance(user, str):
            given = ticket.client.users.reference_id(user, field="user")
        announce(ticket, {"mentions": (old, [*old, given])})
        body = {"mentionable_type": "Ticket", "mentionable_id": ticket._path()[1]}
        with _on_behalf_of(ticket, user):
            reply = ticket.client.post("mentions", json=body)
        added = (int(reply["id"]), int(reply["user_id"]))
        new_rows = (*rows, added)
        after_side_write(ticket, {"mentions": (old, [*old, added[1]])}, {"mentions": new_rows})
        return added[1]


def unmention(ticket: Ticket, user: object = None) -> bool:
    """Remove the mention of ``user`` (default: the acting user) from ``ticket``. Returns
    False when they were not mentioned (nothing sent). One request to remove it, plus one to
    read the mentions when not remembered and, without ``user``, one to learn who you are."""
    _check_user(user)
    users = ticket.client.users
    with ticket._writing():
        rows = _rows(ticket)
        if user is None:
            with ticket._acting():
                user_id = int(users.me().id)
        elif isinstance(user, str):
            user_id = int(users.by_reference(user, acting_as=ticket._acting_as).id)
        else:
            user_id = int(users.reference_id(user, field="user", acting_as=ticket._acting_as))
        doomed = [row for row in rows if row[1] == user_id]
        if not doomed:
            return False
        old = [row[1] for row in rows]
        new = [row[1] for row in rows if row[1] != user_id]
        announce(ticket, {"mentions": (old, new)})
        with _on_behalf_of(ticket, user):
            ticket.client.delete("mentions", doomed[0][0])
        kept = tuple(row for row in rows if row[1] != user_id)
        after_side_write(ticket, {"mentions": (old, new)}, {"mentions": kept})
        return True


class MentionsField(WriteOnlyField[list[int]]):
    """``ticket.mentions``: the mentioned users when read (one request, then remembered);
    assignable on a new ticket only (users or ids), which Zammad mentions on create."""

    @overload  # type: ignore[override]
    def __get__(self, instance: None, owner: type[Any]) -> MentionsField: ...

    @overload
    def __get__(self, instance: Resource, owner: type[Any]) -> list[User]: ...

    def __get__(self, instance: Resource | None, owner: type[Any]) -> MentionsField | list[User]:
        if instance is None:
            return self
        users = instance.client.users
        if self.name in instance._pending:
            return [
                users._handle(ident, acting_as=instance._acting_as, unit=instance._unit)
                for ident in instance._pending[self.name]
            ]
        if instance.is_new:
            return []
        return mentioned(instance)  # type: ignore[arg-type]

    def assign(self, instance: Resource, value: Iterable[User | int]) -> None:
        if not instance.is_new:
            raise AttributeError(
                f"{type(instance).__name__}.mentions is set on create only; use "
                "ticket.mention(user) and ticket.unmention(user) on a saved ticket"
            )
        if isinstance(value, str | bytes | Mapping | TrackedRecord) or not isinstance(
            value, Iterable
        ):
            raise TypeError(f"mentions takes a list of users or ids, got {shown(value)}")
        users = instance.client.users
        ids = [
            users.reference_id(user, field="mentions", acting_as=instance._acting_as)
            for user in value
        ]
        instance._write_field(self.name, ids)
