"""Replies of the right shape: a record where a record is due, a page where a page is.

:func:`~zammad_orm.transport.decode_reply` makes sure a reply is JSON. JSON of the wrong shape
(a scalar or a list where a record is expected, a record without an id or with another record's
id, a page without any of the keys Zammad's pages have, ``assets`` that are not mappings, ids
that are strings) is found here, before any of it reaches the shared cache or an object, and
raised as :class:`~zammad_orm.errors.UnexpectedResponse` naming the request (a proxy or a wrong
URL answering some other JSON, or a server that is not Zammad).

Every check returns what is wrong (or ``None``), so callers decide how to name the request.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zammad_orm.errors import UnexpectedResponse
from zammad_orm.json_values import shown

__all__ = [
    "expect_page",
    "expect_record",
    "expect_records",
    "is_id",
    "page_keys",
    "page_problem",
    "record_problem",
    "records_problem",
]


def is_id(value: object) -> bool:
    """Whether ``value`` is a record id as Zammad sends it: an ``int`` (not a ``bool``)."""
    return value.__class__ is int or (isinstance(value, int) and not isinstance(value, bool))


def _is_mapping(value: object) -> bool:
    # JSON objects are dicts: skip the slower abstract check for them.
    return value.__class__ is dict or isinstance(value, Mapping)


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    return f"the {type(value).__name__} {shown(value)}"


def record_problem(reply: Any, *, ident: Any = None) -> str | None:
    """What keeps ``reply`` from being a record (with id ``ident``, when given)."""
    if not _is_mapping(reply):
        return f"{_kind(reply)} instead of a record"
    found = reply.get("id")
    if not is_id(found):
        return f"a record without an integer id (id: {shown(found)})"
    if ident is not None and found != ident:
        return f"the record with id {found} instead of {ident}"
    return None


def records_problem(reply: Any) -> str | None:
    """What keeps ``reply`` from being a list of records."""
    if not isinstance(reply, list):
        return f"{_kind(reply)} instead of a list of records"
    for position, record in enumerate(reply):
        problem = record_problem(record)
        if problem is not None:
            return f"item {position}: {problem}"
    return None


def _ids_problem(ids: Any, key: str) -> str | None:
    if not isinstance(ids, list):
        return f"{key!r} is {_kind(ids)}, not a list of ids"
    if all(ident.__class__ is int for ident in ids):
        return None
    for position, ident in enumerate(ids):
        if not is_id(ident):
            return f"{key}[{position}] is {_kind(ident)}, not an id"
    return None


def _assets_problem(assets: Any, own_key: str) -> str | None:
    if not _is_mapping(assets):
        return f"'assets' is {_kind(assets)}, not a mapping"
    for key, records in assets.items():
        if not _is_mapping(records):
            return f"assets[{key!r}] is {_kind(records)}, not a mapping of records"
        for name, record in records.items():
            if not _is_mapping(record):
                return f"assets[{key!r}][{name!r}] is {_kind(record)}, not a record"
            if key == own_key and not is_id(record.get("id")):
                return f"assets[{key!r}][{name!r}] is a record without an integer id"
    return None


def page_keys(endpoint: str) -> tuple[str, ...]:
    """The keys that hold a page's ids, newest Zammad first: ``record_ids``; ``tickets`` for a
    ticket search and ``<singular>_ids`` for a user or organization search up to 6.4."""
    return ("record_ids", endpoint, f"{endpoint[:-1]}_ids")


def page_problem(reply: Any, *, endpoint: str, own_key: str) -> str | None:
    """What keeps ``reply`` from being one page of a list or search of ``endpoint`` (see
    :meth:`~zammad_orm.manager.Manager._records_of` for the shapes)."""
    if isinstance(reply, list):
        return records_problem(reply)
    if not isinstance(reply, Mapping):
        return f"{_kind(reply)} instead of a page of records"
    if "records" in reply:
        problem = records_problem(reply["records"])
        return None if problem is None else f"'records': {problem}"
    key = next((key for key in page_keys(endpoint) if key in reply), None)
    if key is None:
        shown_keys = ", ".join(map(repr, list(reply)[:8])) or "none"
        return f"an object without the keys of a page (it has {shown_keys})"
    return _ids_problem(reply[key], key) or _assets_problem(reply.get("assets", {}), own_key)


def _raise(problem: str, *, method: str | None, url: str, what: str) -> UnexpectedResponse:
    source = f"{method} {url} answered" if method else f"a reply from {url} is"
    return UnexpectedResponse(
        f"{source} {problem}, where {what} was expected", method=method, url=url
    )


def expect_record(
    reply: Any, *, method: str | None, url: str, what: str, ident: Any = None
) -> Mapping[str, Any]:
    """``reply`` if it is a record (with id ``ident``, when given).

    :param method: the request's method; ``None`` when the reply came some other way
    :param url: the request's URL (or the endpoint, e.g. ``/tickets``)
    :param what: what was expected, for the message (``"a Ticket record"``)
    :raises UnexpectedResponse: naming ``method`` and ``url``
    """
    problem = record_problem(reply, ident=ident)
    if problem is not None:
        raise _raise(problem, method=method, url=url, what=what)
    return reply  # type: ignore[no-any-return]


def expect_records(
    reply: Any, *, method: str | None, url: str, what: str
) -> list[Mapping[str, Any]]:
    """``reply`` if it is a list of records.

    :raises UnexpectedResponse: naming ``method`` and ``url``
    """
    problem = records_problem(reply)
    if problem is not None:
        raise _raise(problem, method=method, url=url, what=what)
    return reply  # type: ignore[no-any-return]


def expect_page(reply: Any, *, method: str | None, url: str, endpoint: str, own_key: str) -> None:
    """Raise unless ``reply`` is a page of ``endpoint`` (see :func:`page_problem`).

    :raises UnexpectedResponse: naming ``method`` and ``url``
    """
    problem = page_problem(reply, endpoint=endpoint, own_key=own_key)
    if problem is not None:
        raise _raise(problem, method=method, url=url, what=f"a page of /{endpoint}")
