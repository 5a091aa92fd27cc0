"""Reading a list or a search page by page: the raw replies, in order.

Three ways to walk the pages: by page number one request at a time
(:func:`numbered_replies`), by page number with several requests in flight
(:func:`replies_ahead`), and by id for searches (:func:`keyset_replies`: each page asks for the
matches after the last id seen, so records leaving the results while the caller works do not
shift the next page). :func:`one_page_ahead` overlaps the next request with the caller's work.
The managers turn the replies into objects with :func:`objects_of`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

from zammad_orm.reply_shapes import expect_page, page_keys

if TYPE_CHECKING:
    from zammad_orm.manager import Manager
    from zammad_orm.resource import Resource
    from zammad_orm.unit_of_work import UnitOfWork

R = TypeVar("R", bound="Resource")

__all__ = [
    "ids_of",
    "keyset_replies",
    "numbered_replies",
    "objects_of",
    "one_page_ahead",
    "pages_ahead",
    "replies_ahead",
]


def numbered_replies(
    manager: Manager[Any],
    path: tuple[object, ...],
    params: dict[str, Any],
    size: int,
    page: int | None,
    acting_as: str | None,
) -> Iterator[Any]:
    """The raw replies, one page request at a time, until a short (or repeated) page."""
    number = 1 if page is None else page
    previous: list[Any] = []
    while True:
        with manager.client._acting(acting_as):
            reply = manager.client.get(*path, params={**params, "page": number})
        manager._expect_page(reply, path)
        ids = ids_of(reply, manager.endpoint)
        if ids and ids == previous:
            return  # the server ignored ``page``: this is the page we already gave
        yield reply
        if page is not None or len(ids) != size:
            return  # a short page is the last; a longer one means no pagination at all
        previous = ids
        number += 1


def replies_ahead(
    manager: Manager[Any],
    path: tuple[object, ...],
    params: dict[str, Any],
    size: int,
    acting_as: str | None,
    ahead: int,
) -> Iterator[Any]:
    """The raw replies by page number, with up to ``ahead`` pages asked for at once. The
    end is a short page, so up to ``ahead - 1`` requests past it are wasted."""

    def fetch(number: int) -> Any:
        with manager.client._acting(acting_as):
            reply = manager.client.get(*path, params={**params, "page": number})
        manager._expect_page(reply, path)
        return reply

    with ThreadPoolExecutor(ahead, thread_name_prefix="zammad_orm-pages") as pool:
        waiting = deque(pool.submit(fetch, number) for number in range(1, ahead + 1))
        following = ahead + 1
        previous: list[Any] = []
        while waiting:
            reply = waiting.popleft().result()
            ids = ids_of(reply, manager.endpoint)
            if ids and ids == previous:
                break  # the server ignores ``page``
            yield reply
            if len(ids) != size:
                break  # a short page is the last
            previous = ids
            waiting.append(pool.submit(fetch, following))
            following += 1
        for future in waiting:
            future.cancel()


def keyset_replies(
    manager: Manager[Any],
    path: tuple[object, ...],
    params: dict[str, Any],
    size: int,
    acting_as: str | None,
) -> Iterator[Any]:
    """Search pages by id: each asks for the matches after the last id seen, so records
    that leave the results while the iteration runs (tickets closed by the loop over a
    search for open ones) do not shift the next page and nothing is skipped."""
    query = params["query"]
    last: Any = None
    while True:
        keyset = query if last is None else f"({query}) AND id:>{last}"
        page = {**params, "query": keyset, "sort_by": "id", "order_by": "asc", "page": 1}
        with manager.client._acting(acting_as):
            reply = manager.client.get(*path, params=page)
        manager._expect_page(reply, path)
        ids = ids_of(reply, manager.endpoint)
        yield reply
        if not ids or len(ids) < size or (last is not None and max(ids) <= last):
            return
        last = max(ids)


#: what ``next`` gives past the last reply
END_OF_PAGES: Any = object()


def pages_ahead(prefetch: bool | int) -> int:
    """How many pages to have in flight: 0 (no prefetch), 1 (one ahead) or more."""
    if isinstance(prefetch, bool):
        return int(prefetch)
    if not isinstance(prefetch, int) or prefetch < 0:
        raise ValueError(f"prefetch takes True, False or a number of pages, got {prefetch!r}")
    return prefetch


def one_page_ahead(replies: Iterator[Any]) -> Iterator[Any]:
    """``replies``, with the next one asked for (in a thread of its own) while the caller
    works on the current one."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="zammad_orm-prefetch") as pool:
        upcoming = pool.submit(next, replies, END_OF_PAGES)
        while True:
            reply = upcoming.result()
            if reply is END_OF_PAGES:
                return
            upcoming = pool.submit(next, replies, END_OF_PAGES)
            yield reply


def ids_of(reply: Any, endpoint: str) -> list[int]:
    """The record ids of one list or search reply of a shape
    :func:`~zammad_orm.reply_shapes.expect_page` accepted."""
    if isinstance(reply, list):
        return [record["id"] for record in reply]
    if "records" in reply:
        return [record["id"] for record in reply["records"]]
    return list(reply[next(key for key in page_keys(endpoint) if key in reply)])


def objects_of(manager: Manager[R], reply: Any, acting_as: str | None, unit: UnitOfWork) -> list[R]:
    """The objects of one list or search reply, in the server's order, whatever its shape:
    an array of records; ``{record_ids, assets}``; ``{tickets, tickets_count, assets}`` and
    ``{user_ids, assets}`` (Zammad up to 6.4); ``{records, total_count}`` (7.0)."""
    own_key = manager.resource_class.asset_key
    endpoint = manager.endpoint
    expect_page(reply, method=None, url=f"/{endpoint}", endpoint=endpoint, own_key=own_key)
    if isinstance(reply, list):
        return manager._absorb_all(reply, acting_as=acting_as, unit=unit)
    if "records" in reply:
        return manager._absorb_all(reply["records"], acting_as=acting_as, unit=unit)
    assets = reply.get("assets") or {}
    manager.client._absorb_assets(
        {key: value for key, value in assets.items() if key != own_key}, acting_as=acting_as
    )
    # up to 6.4: tickets search {tickets}, users search {user_ids}, ...
    ids = reply[next(key for key in page_keys(endpoint) if key in reply)]
    own = assets.get(own_key, {})
    records = [own.get(str(ident)) for ident in ids]
    absorbed = iter(
        manager._absorb_all(
            [record for record in records if record is not None], acting_as=acting_as, unit=unit
        )
    )
    return [
        next(absorbed)
        if record is not None
        else manager._handle(ident, acting_as=acting_as, unit=unit)
        for ident, record in zip(ids, records, strict=True)
    ]
