"""``zammad-orm users search``."""

from __future__ import annotations

from typing import Any

from zammad_orm.cli.context import Invocation, add_connection_options, positive
from zammad_orm.cli.output import parse_fields, print_rows
from zammad_orm.resources.users import User

__all__ = ["add_parsers"]


def _search(invocation: Invocation) -> int:
    args = invocation.args
    fields = parse_fields(args.fields, User)
    found = list(invocation.client.users.search(args.query, per_page=args.limit, page=1))
    print_rows(invocation, found, fields)
    return 0


def add_parsers(commands: Any) -> None:
    """Add ``users`` and its sub-commands to the top-level sub-parsers."""
    users = commands.add_parser("users", help="search users", description="Work with users.")
    actions = users.add_subparsers(dest="action", metavar="ACTION", required=True)
    search = actions.add_parser(
        "search",
        help="users matching a query",
        description="Users matching QUERY (a name, an email, or e.g. organization.name:Acme).",
    )
    search.add_argument("query", metavar="QUERY")
    search.add_argument("--limit", type=positive, default=50, help="at most this many (50)")
    search.add_argument("--fields", help="comma-separated columns, e.g. login,email")
    add_connection_options(search)
    search.set_defaults(handler=_search)
