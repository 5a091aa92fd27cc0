"""``zammad-orm tickets search|show|update``."""

from __future__ import annotations

import json
from typing import Any

from zammad_orm.cli.context import (
    Invocation,
    UsageError,
    add_connection_options,
    add_search_arguments,
    positive,
)
from zammad_orm.cli.output import cell_text, print_json, print_pairs, print_search
from zammad_orm.paths import ABSENT, cached_label
from zammad_orm.records import to_records
from zammad_orm.resources.tickets import Ticket

__all__ = ["add_parsers", "parse_assignment"]

#: what ``tickets show`` prints for people
SHOWN_FIELDS = (
    "id",
    "number",
    "title",
    "state",
    "priority",
    "group",
    "owner",
    "customer",
    "organization",
    "article_count",
    "created_at",
    "updated_at",
)


def parse_assignment(text: str) -> tuple[str, Any]:
    """``field=value`` (a string) or ``field:=json`` (a number, true, null, a list ...)."""
    name, equals, value = text.partition("=")
    if not equals or not name.strip(":").strip():
        raise UsageError(f"expected field=value or field:=json, got {text!r}")
    if name.endswith(":"):
        try:
            return name[:-1].strip(), json.loads(value)
        except json.JSONDecodeError as error:
            raise UsageError(f"{text!r}: the value after := is not JSON ({error.msg})") from None
    return name.strip(), value


def _search(invocation: Invocation) -> int:
    return print_search(invocation, invocation.client.tickets)


def _show(invocation: Invocation) -> int:
    ticket = invocation.client.tickets.get(invocation.args.id)
    if invocation.json:
        print_json(ticket.view(), invocation.out)
        return 0
    (record,) = to_records([ticket], SHOWN_FIELDS)
    print_pairs(list(record.items()), invocation.out)
    return 0


def _shown(ticket: Ticket, key: str, value: Any) -> str:
    label = cached_label(ticket, key, value)
    text = cell_text(value) if value is not None else "(none)"
    return text if label is ABSENT else f"{text} ({cell_text(label)})"


def _update(invocation: Invocation) -> int:
    args = invocation.args
    assignments = [parse_assignment(text) for text in args.assignments]
    ticket = invocation.client.tickets.get(args.id)
    for name, value in assignments:
        try:
            setattr(ticket, name, value)
        except AttributeError as error:
            known = name in Ticket._declared  # declared but read-only: say so
            message = str(error) if known else f"ticket {args.id} has no field {name!r}"
            raise UsageError(message) from None
        except (TypeError, ValueError) as error:
            raise UsageError(f"{name}: {error}") from None
    changes = ticket.changes
    if not args.dry_run and changes:
        ticket.save()
    if invocation.json:
        diff = {key: {"old": old, "new": new} for key, (old, new) in changes.items()}
        print_json({"id": args.id, "sent": not args.dry_run, "changes": diff}, invocation.out)
        return 0
    if not changes:
        invocation.out.write(f"ticket {args.id}: nothing to change\n")
        return 0
    verb = "would send" if args.dry_run else "sent"
    invocation.out.write(f"ticket {args.id}: {verb} PUT with {len(changes)} field(s)\n")
    pairs = [
        (key, f"{_shown(ticket, key, old)} -> {_shown(ticket, key, new)}")
        for key, (old, new) in changes.items()
    ]
    print_pairs(pairs, invocation.out)
    return 0


def add_parsers(commands: Any) -> None:
    """Add ``tickets`` and its sub-commands to the top-level sub-parsers."""
    tickets = commands.add_parser(
        "tickets", help="search, show and update tickets", description="Work with tickets."
    )
    actions = tickets.add_subparsers(dest="action", metavar="ACTION", required=True)

    search = actions.add_parser(
        "search",
        help="tickets matching a query",
        description="Tickets matching QUERY (Zammad's search syntax), newest change first.",
        epilog="example: zammad-orm tickets search 'state.name:open AND title:printer'",
    )
    add_search_arguments(search, "id,title,customer.email")
    search.set_defaults(handler=_search)

    show = actions.add_parser(
        "show", help="one ticket's fields", description="Show ticket ID (--json: the record)."
    )
    show.add_argument("id", type=positive, metavar="ID", help="the ticket id")
    add_connection_options(show)
    show.set_defaults(handler=_show)

    update = actions.add_parser(
        "update",
        help="change fields of a ticket",
        description="Change ticket ID with one PUT holding only the fields that change, and "
        "print what was sent. Relations take names: state=closed, priority='3 high', "
        "group=Users, owner=agent@example.com.",
        epilog="values are strings; write field:=JSON for numbers, booleans, null or lists "
        "(e.g. owner_id:=4)",
    )
    update.add_argument("id", type=positive, metavar="ID", help="the ticket id")
    update.add_argument(
        "assignments", nargs="+", metavar="FIELD=VALUE", help="e.g. state=closed title='New'"
    )
    update.add_argument("--dry-run", action="store_true", help="show the change without sending it")
    add_connection_options(update)
    update.set_defaults(handler=_update)
