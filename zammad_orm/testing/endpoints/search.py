"""What every ``.../search`` endpoint shares: the query, sorting, paging and reply shapes."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import Any

from zammad_orm.testing.http import unprocessable
from zammad_orm.testing.models import TABLES
from zammad_orm.testing.query import parse
from zammad_orm.testing.query_parser import QuerySyntaxError
from zammad_orm.testing.render import assets_of, paginate, render_many, sort_records
from zammad_orm.testing.router import Call
from zammad_orm.testing.search_index import DocumentKind, search_index

__all__ = ["CandidateRecords", "matching", "search_reply"]

#: the records a search looks at, given the ids that may match (``None``: any may), in the
#: order the search finds them
CandidateRecords = Callable[[Collection[int] | None], Iterable[dict[str, Any]]]


def matching(call: Call, kind: DocumentKind, records: CandidateRecords) -> list[dict[str, Any]]:
    """The ``records`` whose search documents match the request's ``query`` (or ``term``).

    Documents are kept between searches (:mod:`zammad_orm.testing.search_index`), and the
    query's candidates (``state.name:open``, ``id:>100``) narrow which records are looked at.
    """
    text = call.param("query")
    if text is None:
        text = call.param("term")
    if not str(text or "").strip() and call.param("condition") is None:
        return []  # SearchIndexBackend.search_by_index: a blank query finds nothing
    try:
        query = parse(str(text or ""))
    except QuerySyntaxError as error:
        raise unprocessable(str(error)) from None
    now = call.store.current_time()
    index = search_index(call.store, kind)
    candidates = query.candidates(index, now=now)
    ids = None if candidates is None else candidates.ids
    exact = candidates is not None and candidates.exact
    matches = query.matcher(now=now)

    def kept(record: dict[str, Any]) -> bool:
        if not index.holds(record):  # a record not stored: its document is made now
            return matches(index.document(record))
        if ids is not None and record["id"] not in ids:
            return False
        return exact or matches(index.documents[record["id"]])

    return [record for record in records(ids) if kept(record)]


def search_reply(
    call: Call,
    kind: DocumentKind,
    records: Iterable[dict[str, Any]],
    *,
    labels: Callable[[Call, dict[str, Any]], dict[str, Any]] | None = None,
) -> Any:
    """Zammad's ``model_search_render`` (6.5 and later): ``only_total_count``, ``full``,
    ``expand`` or the records with their association ids; newest first unless ``sort_by``
    says otherwise. Before 6.5 users and organizations (those passing ``labels``) had their own
    ``search`` actions: 100 a page (at most 500), ``label`` (and ``term``) rows, and ``full`` as
    ``{assets, <table singular>_ids}``."""
    table = kind.table
    own_action = labels is not None and call.version < (6, 5)
    found = sort_records(
        matching(call, kind, lambda _candidates: records),
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
