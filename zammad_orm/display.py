"""HTML for Jupyter: a resource as a table of its fields, lists of resources as one table.

Rendering shows only what the objects already hold (their record data, pending changes and
related records in the identity cache): it never makes a request, so displaying an unloaded
handle stays free. Every value is HTML-escaped.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Iterable, Sequence
from typing import Any

from zammad_orm.paths import ABSENT, cached_label, read_path, split_path
from zammad_orm.resource import Resource

__all__ = ["DEFAULT_FIELDS", "ResourceList", "default_fields", "resource_html", "table_html"]

#: values longer than this many characters are cut, with an ellipsis
MAX_CELL = 200

#: the columns a table of a family shows when no ``fields`` are given
DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    "tickets": (
        "id",
        "number",
        "title",
        "state.name",
        "priority.name",
        "group.name",
        "customer.login",
        "owner.login",
        "updated_at",
    ),
    "users": ("id", "login", "firstname", "lastname", "email", "organization.name", "active"),
    "organizations": ("id", "name", "domain", "active"),
}


def default_fields(resource_class: type[Resource]) -> tuple[str, ...]:
    """The columns shown for ``resource_class`` when no fields are asked for: its entry in
    :data:`DEFAULT_FIELDS`, else its id and label."""
    manager_name = getattr(resource_class, "manager_name", "")
    return DEFAULT_FIELDS.get(manager_name, ("id", resource_class.label_field))


def _text(value: Any) -> str:
    if value is None or value is ABSENT:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, str):
        text = value
    elif isinstance(value, bool | int | float):
        text = json.dumps(value)
    else:
        try:
            text = json.dumps(value, ensure_ascii=False, default=str)
        except (TypeError, ValueError):
            text = repr(value)
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def _cell(value: Any, tag: str = "td") -> str:
    return f"<{tag}>{html.escape(_text(value))}</{tag}>"


def table_html(
    fields: Sequence[str], rows: Iterable[Sequence[Any]], *, caption: str | None = None
) -> str:
    """An HTML table with a header row of ``fields`` and one row per item of ``rows``."""
    head = "".join(_cell(name, "th") for name in fields)
    body = "".join("<tr>" + "".join(_cell(value) for value in row) + "</tr>" for row in rows)
    title = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (
        f'<table class="zammad-orm">{title}<thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def _related_label(obj: Resource, key: str, value: Any) -> Any:
    """``3`` as ``3 (admin@example.com)`` for a relation id whose record the cache holds."""
    shown = cached_label(obj, key, value)
    return value if shown is ABSENT else f"{value} ({shown})"


def resource_html(obj: Resource) -> str:
    """``obj`` as a two-column table (field, value) of what it holds; pending changes are
    marked, an unloaded handle says so. Makes no request."""
    state = []
    if obj.is_new:
        state.append("new")
    elif not obj.is_loaded:
        state.append("not loaded")
    pending = set(obj._pending)
    if pending:
        state.append("changed: " + ", ".join(sorted(pending)))
    ident = obj._data.get("id")
    caption = type(obj).__name__ + ("" if ident is None else f" {ident}")
    if state:
        caption += f" ({'; '.join(state)})"
    held = {**obj._data, **obj._pending}
    rows = [
        [f"{key} *" if key in pending else key, _related_label(obj, key, value)]
        for key, value in held.items()
    ]
    return table_html(("field", "value"), rows, caption=caption)


class ResourceList(list[Resource]):
    """A list of resources that renders as one HTML table in Jupyter: one row per resource,
    the columns of :func:`default_fields` (or ``fields``), filled from what
    the objects hold, without a request. Use :func:`zammad_orm.to_records` to load what is
    missing first.

    :param objects: the resources
    :param fields: dotted field paths for the columns
    """

    def __init__(self, objects: Iterable[Resource] = (), fields: Sequence[str] | None = None):
        super().__init__(objects)
        #: the columns to show; None for the family's defaults
        self.fields: tuple[str, ...] | None = None if fields is None else tuple(fields)

    def _columns(self) -> tuple[str, ...]:
        if self.fields is not None:
            return self.fields
        return default_fields(type(self[0])) if self else ("id",)

    def _repr_html_(self) -> str:
        columns = self._columns()
        paths = [split_path(name) for name in columns]
        rows = [[read_path(obj, steps) for steps in paths] for obj in self]
        return table_html(columns, rows, caption=f"{len(self)} resources")
