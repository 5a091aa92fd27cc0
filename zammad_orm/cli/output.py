"""What the command line prints: aligned tables for people, JSON for pipes."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any

from zammad_orm.cli.context import UsageError
from zammad_orm.display import default_fields
from zammad_orm.manager import SearchableManager
from zammad_orm.records import to_records
from zammad_orm.resource import Resource

if TYPE_CHECKING:
    from zammad_orm.cli.context import Invocation

__all__ = [
    "cell_text",
    "parse_fields",
    "print_json",
    "print_pairs",
    "print_rows",
    "print_search",
    "print_table",
]


def cell_text(value: Any) -> str:
    """A value as one table cell: empty for None, minutes for timestamps, JSON for
    containers."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value).replace("\n", " ")


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return str(value)


def print_json(data: Any, out: IO[str]) -> None:
    """``data`` as indented JSON (timestamps in ISO 8601)."""
    json.dump(data, out, indent=2, ensure_ascii=False, default=_json_default)
    out.write("\n")


def print_table(columns: Sequence[str], rows: Sequence[Mapping[str, Any]], out: IO[str]) -> None:
    """Rows under a header, each column as wide as its widest cell."""
    cells = [[cell_text(row.get(name)) for name in columns] for row in rows]
    widths = [
        max([len(name), *(len(line[index]) for line in cells)])
        for index, name in enumerate(columns)
    ]
    for line in [list(columns), *cells]:
        padded = "  ".join(text.ljust(width) for text, width in zip(line, widths, strict=True))
        out.write(padded.rstrip() + "\n")


def print_pairs(pairs: Sequence[tuple[str, Any]], out: IO[str]) -> None:
    """``name  value`` lines, the names padded to one width."""
    width = max((len(name) for name, _value in pairs), default=0)
    for name, value in pairs:
        out.write(f"{name.ljust(width)}  {cell_text(value)}\n")


def parse_fields(text: str | None, resource_class: type[Resource]) -> tuple[str, ...]:
    """``--fields id,title,state.name`` as a tuple; the family's defaults without it."""
    if text is None:
        return default_fields(resource_class)
    fields = tuple(part.strip() for part in text.split(",") if part.strip())
    if not fields:
        raise UsageError("--fields needs comma-separated field names, e.g. id,title,state.name")
    return fields


def print_rows(
    invocation: Invocation, objects: Sequence[Resource], fields: tuple[str, ...]
) -> None:
    """Records of ``objects`` as a table, or as JSON with ``--json``."""
    try:
        records = to_records(objects, fields)
    except ValueError as error:
        raise UsageError(str(error)) from None
    if invocation.json:
        print_json(list(records), invocation.out)
    elif records:
        print_table(records.fields, records, invocation.out)
    else:
        invocation.out.write("no matches\n")


def print_search(invocation: Invocation, manager: SearchableManager[Any]) -> int:
    """``<family> search QUERY [--limit N] [--fields ...]``: the matches as rows."""
    args = invocation.args
    fields = parse_fields(args.fields, manager.resource_class)
    found = list(manager.search(args.query, per_page=args.limit, page=1))
    print_rows(invocation, found, fields)
    return 0
