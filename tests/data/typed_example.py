"""A user script written against zammad_orm's types, checked with ``mypy --strict`` by
tests/test_typed_fields.py (and run there against the fake server).

It declares the install's custom fields on a subclass, as the docs describe, and reads and
assigns fields of every resource family with their declared types."""

from __future__ import annotations

import datetime as dt

from zammad_orm import Client
from zammad_orm.fields import DateField, Field
from zammad_orm.manager import Manager
from zammad_orm.resources import Group, Organization, Role, State, Ticket, User
from zammad_orm.resources.history import HistoryEntry
from zammad_orm.resources.tags import TypedTag
from zammad_orm.resources.time_accountings import TimeAccountingType


class MyTicket(Ticket):
    """Tickets of this install: two custom fields."""

    customer_no = Field[str | None](doc="The customer's number in the ERP.")
    renewal = DateField(doc="When the contract renews.")


def run(client: Client) -> dict[str, object]:
    """Read and change a little of everything; returns what it saw."""
    tickets: Manager[MyTicket] = client.manager_for(MyTicket)
    ticket = tickets.get(1)
    ticket.customer_no = "C-1042"
    ticket.renewal = dt.date(2030, 1, 31)
    refused = False
    try:
        ticket.customer_no = 42  # type: ignore[assignment]  # mypy must refuse this line
    except TypeError:
        refused = True  # and so does the library, at run time
    ticket.discard_changes()
    number: str | None = ticket.customer_no
    group: Group | None = ticket.group
    me: User = client.users.me()
    fullname: str = me.fullname
    access: list[str] = me.group_access("Users")
    organization: Organization | None = client.users.get(2).organization
    members: tuple[User, ...] = organization.members if organization else ()
    role: Role = client.roles.by_name("Agent")
    permissions: list[str] = role.permissions
    state: State = client.ticket_states.by_name("closed")
    state_type: str | None = state.state_type
    history: list[HistoryEntry] = me.history()
    when: dt.datetime | None = history[0].created_at if history else None
    tags: list[TypedTag] = list(client.tags)
    kinds: list[TimeAccountingType] = list(client.time_accountings.types)
    age: float | None = ticket.age
    return {
        "number": number, "group": group, "fullname": fullname, "access": access,
        "members": members, "permissions": permissions, "state_type": state_type,
        "when": when, "tags": tags, "kinds": kinds, "age": age, "refused": refused,
    }  # fmt: skip
