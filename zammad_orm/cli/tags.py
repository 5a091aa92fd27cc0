"""``zammad-orm tags``: every tag, or one ticket's (and adding or removing some)."""

from __future__ import annotations

from typing import Any

from zammad_orm.cli.context import Invocation, UsageError, add_connection_options, positive
from zammad_orm.cli.output import print_json, print_table

__all__ = ["add_parsers"]


def _tags(invocation: Invocation) -> int:
    args = invocation.args
    tags = invocation.client.tags
    if args.ticket is None:
        if args.add or args.remove:
            raise UsageError("--add and --remove need a TICKET id, e.g. tags 42 --add urgent")
        listed = tags.all()
        if invocation.json:
            print_json(listed, invocation.out)
        else:
            print_table(("name", "count"), listed, invocation.out)
        return 0
    for tag in args.add:
        tags.add(args.ticket, tag)
    for tag in args.remove:
        tags.remove(args.ticket, tag)
    names = tags.of(args.ticket)
    if invocation.json:
        print_json(names, invocation.out)
    else:
        invocation.out.write("".join(f"{name}\n" for name in names) or "no tags\n")
    return 0


def add_parsers(commands: Any) -> None:
    """Add ``tags`` to the top-level sub-parsers."""
    tags = commands.add_parser(
        "tags",
        help="list tags, or a ticket's tags",
        description="Without TICKET: every tag with its usage count (admins only). With "
        "TICKET: that ticket's tags, after adding and removing the ones given.",
        epilog="example: zammad-orm tags 42 --add urgent --remove later",
    )
    tags.add_argument("ticket", nargs="?", type=positive, metavar="TICKET", help="a ticket id")
    tags.add_argument("--add", action="append", default=[], metavar="TAG", help="add TAG")
    tags.add_argument("--remove", action="append", default=[], metavar="TAG", help="remove TAG")
    add_connection_options(tags)
    tags.set_defaults(handler=_tags)
