"""What every ``.../search`` endpoint shares: the query, sorting, paging and reply shapes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from zammad_orm.testing.custom_fields import search_fields
from zammad_orm.testing.http import unprocessable
from zammad_orm.testing.models import TABLES
from zammad_orm.testing.query import QuerySyntaxError, parse
from zammad_orm.testing.render import assets_of, paginate, render_many, sort_records
from zammad_orm.testing.router import Call

__all__ = ["matching", "search_reply", "to_datetime"]

Document = Callable[[dict[str, Any]], dict[str, Any]]


def to_datetime(value: Any) -> Any:
    """An ISO timestamp string as an aware datetime (other values unchanged)."""
    if isinstance(value, str) and len(value) >= 20 and value[10] == "T":
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value


def matching(
    call: Call, records: Iterable[dict[str, Any]], document: Document
) -> list[dict[str, Any]]:
    """The records whose documents match the request's ``query`` (or ``term``)."""
    text = call.param("query")
    if text is None:
        text = call.param("term")
    if not str(text or "").strip() and call.param("condition") is None:
        return []  # SearchIndexBackend.search_by_index: a blank query finds nothing
    try:
        query = parse(str(text or ""))
    except QuerySyntaxError as error:
        raise unprocessable(str(error)) from None
    found = []
    now = call.store.current_time()
    for record in records:
        doc = {key: to_datetime(value) for key, value in document(record).items()}
        custom, text = search_fields(call.store, record)
        doc.update((key, to_datetime(value)) for key, value in custom.items())
        if text and isinstance(doc.get("_fulltext"), list):
            doc["_fulltext"] = [*doc["_fulltext"], *text]
        if query.matches(doc, now=now):
            found.append(record)
    return found


def search_reply(
    call: Call,
    table: str,
    records: Iterable[dict[str, Any]],
    document: Document,
    *,
    labels: Callable[[Call, dict[str, Any]], dict[str, Any]] | None = None,
) -> Any:
    """Zammad's ``model_search_render`` (6.5 and later): ``only_total_count``, ``full``,
    ``expand`` or the records with their association ids; newest first unless ``sort_by``
    says otherwise. Before 6.5 users and organizations (those passing ``labels``) had their own
    ``search`` actions: 100 a page (at most 500), ``label`` (and ``term``) rows, and ``full`` as
    ``{assets, <table singular>_ids}``."""
    own_action = labels is not None and call.version < (6, 5)
    found = sort_records(
        matching(call, records, document),
        call.param("sort_by"),
        call.param("order_by"),
        default=("updated_at", "desc"),
        columns=TABLES[table].columns,
    )
    if call.flag("only_total_count") and not own_action:
        return {"total_count": len(found)}
    page = paginate(
        call, found, default=100 if own_action else 50, maximum=500 if own_action else 200
    )
    if own_action and labels is not None and not call.flag("expand"):
        if call.flag("label") or (table == "users" and call.param("term") is not None):
            return [labels(call, record) for record in page]
        if call.flag("full"):
            return {
                "assets": assets_of(call.store, ((table, record) for record in page)),
                f"{table[:-1]}_ids": [record["id"] for record in page],
            }
    if call.flag("full"):
        return {
            "record_ids": [record["id"] for record in page],
            "assets": assets_of(call.store, ((table, record) for record in page)),
            "total_count": len(found),
        }
    records_out = render_many(call.store, table, page, "expand" if call.flag("expand") else "ids")
    if call.version >= (7, 0) and call.flag("with_total_count"):
        return {"records": records_out, "total_count": len(found)}
    return records_out
