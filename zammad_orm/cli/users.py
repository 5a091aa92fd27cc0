"""``zammad-orm users search``."""

from __future__ import annotations

from typing import Any

from zammad_orm.cli.context import Invocation, add_search_arguments
from zammad_orm.cli.output import print_search

__all__ = ["add_parsers"]


def _search(invocation: Invocation) -> int:
    return print_search(invocation, invocation.client.users)


def add_parsers(commands: Any) -> None:
    """Add ``users`` and its sub-commands to the top-level sub-parsers."""
    users = commands.add_parser("users", help="search users", description="Work with users.")
    actions = users.add_subparsers(dest="action", metavar="ACTION", required=True)
    search = actions.add_parser(
        "search",
        help="users matching a query",
        description="Users matching QUERY (a name, an email, or e.g. organization.name:Acme).",
    )
    add_search_arguments(search, "login,email")
    search.set_defaults(handler=_search)
