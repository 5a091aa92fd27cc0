"""Managers: one per resource family, hanging off the client (``client.tickets``).

:class:`Manager` gives every family lazy handles, ``get``, paginated iteration, ``new``,
``create``, ``update`` and ``delete``; :class:`SearchableManager` adds ``search``;
:class:`LookupManager` adds name resolution from one cached list request, for the small
tables tickets point to by name (states, priorities, groups, roles).

Every record that arrives in a reply (a page, a search result and its ``assets``, the reply to
a save) goes through :mod:`zammad_orm.handles`: the shared cache holds the record, the unit of
work one object for it, and relations resolve without requests of their own.
:class:`LookupManager` lives in :mod:`zammad_orm.lookup`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from zammad_orm.handles import Handles
from zammad_orm.paging import (
    ids_of,
    keyset_replies,
    numbered_replies,
    objects_of,
    one_page_ahead,
    pages_ahead,
    replies_ahead,
)
from zammad_orm.progress import report_first, total_of, with_progress
from zammad_orm.resource import Resource
from zammad_orm.unit_of_work import CommitError, CommitReport, send_writes

if TYPE_CHECKING:
    from zammad_orm.client import Client

__all__ = ["Manager", "SearchableManager"]

R = TypeVar("R", bound=Resource)

#: Zammad's page size caps (``per_page`` beyond them is silently clamped by the server)
INDEX_PAGE_CAP = 1000
SEARCH_PAGE_CAP = 200


class Manager(Handles[R]):
    """The manager of one resource family.

    :param client: the client it belongs to
    """

    #: the resource class this manager builds (a client's ``resource_classes`` option may
    #: replace it with a subclass, see :meth:`~zammad_orm.Client.manager_for`)
    resource_class: type[Resource]
    #: the endpoint below the API URL, e.g. ``"tickets"``
    endpoint: ClassVar[str]
    #: the server's ``per_page`` cap on the index
    page_cap: ClassVar[int] = INDEX_PAGE_CAP
    #: ask index pages with ``full=true`` (records plus related ``assets``) unless expanding
    pages_with_assets: ClassVar[bool] = False
    #: False for endpoints that answer everything at once and ignore ``page``
    paginated: ClassVar[bool] = True
    #: whether Zammad offers ``POST`` and ``DELETE`` on this endpoint
    can_create: ClassVar[bool] = True
    can_delete: ClassVar[bool] = True
    #: why Zammad refuses what it refuses here, appended to the refusal
    refusal_hint: ClassVar[str] = ""
    #: ``expand`` when a listing does not say (None: ``client.pagination.expand``); True for
    #: families whose names come only that way (a state's ``state_type``, a notification's
    #: ``object`` and ``type``)
    default_expand: ClassVar[bool | None] = None

    def __init__(self, client: Client) -> None:
        self.client = client
        custom = client._resource_classes.get(self.resource_class.manager_name)
        if custom is not None:
            self.resource_class = custom

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.client.url_for(self.endpoint)!r}>"

    # -- handles (the rest is in zammad_orm.handles) -----------------------------------------

    def __call__(self, id: int, info: Mapping[str, Any] | None = None) -> R:
        """A lazy handle on record ``id``: no request until a field it lacks is read.

        :param info: record data you already have; a copy is merged into the object
        """
        handle = self._handle(id, acting_as=self.client.acting_as)
        if info:
            handle._merge(copy.deepcopy(dict(info)))
        return handle

    def _after_write(self) -> None:
        """Called after any write to this family (lookup tables refresh their names)."""

    def invalidate(self, id: int | None = None) -> int:
        """Drop this family's cached records (or one record's) in every user's view; objects
        holding them load again on their next read (pending changes stay). Returns how many
        cache entries were dropped."""
        dropped = self.client.cache.invalidate(self.endpoint, id)
        self.client._expire_everywhere(self.endpoint, id)
        return dropped

    # -- reading -----------------------------------------------------------------------------

    def get(self, id: int) -> R:
        """Record ``id``, loaded now (or already loaded within the cache's time to live).

        :raises NotFound: if there is no such record
        """
        handle = self(id)
        if not handle.is_loaded:
            handle._load()
        return handle

    def _page_params(
        self, per_page: int | None, expand: bool | None, cap: int
    ) -> tuple[int, dict[str, Any]]:
        size = self.client.pagination.per_page if per_page is None else per_page
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise ValueError(f"per_page must be a positive int, got {size!r}")
        size = min(size, cap)
        if expand is None:
            expand = self.default_expand
        expanded = self.client.pagination.expand if expand is None else expand
        params: dict[str, Any] = {"per_page": size}
        if expanded:
            params["expand"] = True
        elif self.pages_with_assets:
            params["full"] = True
        return size, params

    def _pages(
        self,
        path: tuple[object, ...],
        params: dict[str, Any],
        size: int,
        page: int | None,
        *,
        keyset: bool = False,
        progress: bool = False,
        prefetch: bool | int = False,
    ) -> Iterator[R]:
        # Read now, not on the first next(): the pages belong to the user acting at the call,
        # and their objects to the unit of work current at the call.
        acting_as = self.client.acting_as
        unit = self.client._current_unit()
        ahead = pages_ahead(prefetch)
        if keyset and page is None and "query" in params and params.get("sort_by") is None:
            replies = keyset_replies(self, path, params, size, acting_as)
            if ahead:
                replies = one_page_ahead(replies)  # each page's query needs the one before
        elif ahead > 1 and page is None and size > 0:
            replies = replies_ahead(self, path, params, size, acting_as, ahead)
        else:
            replies = numbered_replies(self, path, params, size, page, acting_as)
            if ahead:
                replies = one_page_ahead(replies)
        if not progress:
            return (obj for reply in replies for obj in objects_of(self, reply, acting_as, unit))

        def total(reply: Any) -> int | None:
            return len(ids_of(reply, self.endpoint)) if size == 0 else total_of(reply)

        def start(sink: Callable[[int | None], None]) -> Iterator[R]:
            reported = report_first(replies, sink, total)
            return (obj for reply in reported for obj in objects_of(self, reply, acting_as, unit))

        return with_progress(start, self.resource_class.__name__.lower() + "s")

    def iter(
        self,
        *,
        page: int | None = None,
        per_page: int | None = None,
        expand: bool | None = None,
        progress: bool = False,
        prefetch: bool | int = False,
        **params: Any,
    ) -> Iterator[R]:
        """Every record, one page request at a time as the iteration goes on.

        :param page: only this page (1-based) instead of all of them
        :param per_page: page size for this call (default ``client.pagination.per_page``),
            clamped to the server's cap for this endpoint
        :param expand: ask for related objects' names beside their ids (default
            ``client.pagination.expand``)
        :param progress: show a ``tqdm`` progress bar (``pip install zammad_orm[progress]``),
            with a total when the server tells one
        :param prefetch: ask for the next page while the caller works on this one (its wait
            overlaps the caller's work); a number ``n`` keeps ``n`` page requests in flight at
            once, which costs up to ``n - 1`` requests past the last page
        :param params: further query parameters, e.g. ``sort_by="created_at"``
        """
        size, base = self._page_params(per_page, expand, self.page_cap)
        if not self.paginated:
            base.pop("per_page")
            return self._pages(
                (self.endpoint,), {**params, **base}, 0, 1, progress=progress, prefetch=prefetch
            )
        return self._pages(
            (self.endpoint,), {**params, **base}, size, page, progress=progress, prefetch=prefetch
        )

    def __iter__(self) -> Iterator[R]:
        return self.iter()

    def count(self) -> int | None:
        """How many records the index holds, when the server says (one request asking for a
        single record); ``None`` when it does not (Zammad leaves the count out of the ticket and
        user indexes: search them with ``search("*")`` and :meth:`SearchableManager.count`)."""
        if not self.paginated:
            return len(list(self.iter()))
        reply = self.client.get(self.endpoint, params={"full": True, "per_page": 1, "page": 1})
        return total_of(reply)

    # -- writing -----------------------------------------------------------------------------

    def _check(self, allowed: bool, what: str) -> None:
        if not allowed:
            hint = f" ({self.refusal_hint})" if self.refusal_hint else ""
            raise TypeError(f"Zammad offers no {what} for /{self.endpoint}{hint}")

    def new(self, **fields: Any) -> R:
        """An unsaved object with ``fields`` assigned (names resolve as on assignment), held
        by the current unit of work; :meth:`~zammad_orm.resource.Resource.save` (or the
        unit's ``commit()``) creates it on the server.

        All or nothing: if any field is refused (an unknown field, a wrong type, an unknown
        name), nothing is added to the unit.
        """
        self._check(self.can_create, "create")
        unit = self.client._current_unit()
        obj = self._build(None, acting_as=self.client.acting_as, unit=unit)
        try:
            for name, value in fields.items():
                setattr(obj, name, value)
        except BaseException:
            unit._held.pop(id(obj), None)
            raise
        unit._track(obj)
        return obj

    def create(self, **fields: Any) -> R:
        """Create a record on the server from ``fields`` and return it (one ``POST``).

        All or nothing: if a field is refused or the server refuses the record, the unit of
        work keeps nothing of the call.
        """
        obj = self.new(**fields)
        try:
            return obj.save()
        except BaseException:
            obj._unit._held.pop(id(obj), None)
            raise

    def update(self, id: int, **fields: Any) -> R:
        """Change record ``id`` at once: one ``PUT`` of exactly ``fields``, no ``GET``.

        Pending changes the unit of work holds for the record are neither sent nor lost. All
        or nothing: if a field is refused or the server refuses the write, the object is as
        it was before the call.
        """
        obj = self(id)
        obj._send_only(fields)
        return obj

    def save_all(
        self, objects: Iterable[R], *, workers: int = 1, progress: bool = False
    ) -> CommitReport:
        """Save ``objects`` (any with changes; the others cost nothing): new ones first, in
        order, then the changes, up to ``workers`` requests at a time over the keep-alive
        pool. Signals and retries apply per object, as for ``save()``.

        :returns: what was sent
        :raises CommitError: naming each failed save; the objects not saved keep their changes
        """
        chosen = list(objects)
        for obj in chosen:
            if not isinstance(obj, self.resource_class):
                raise TypeError(
                    f"save_all of {type(self).__name__} takes {self.resource_class.__name__} "
                    f"objects, got {obj!r}"
                )
        creates = [obj for obj in chosen if obj.is_new]
        updates: list[tuple[Resource, Any]] = [
            (obj, "update") for obj in chosen if not obj.is_new and obj.is_dirty
        ]
        report = send_writes(list(creates), updates, workers=workers, progress=progress)
        if report.failures:
            raise CommitError(report)
        return report

    def delete(self, id: int) -> None:
        """Delete record ``id`` on the server (one ``DELETE``)."""
        self._check(self.can_delete, "delete")
        self(id).delete()


class SearchableManager(Manager[R]):
    """A manager whose endpoint has ``/search``."""

    #: the server's ``per_page`` cap on ``/search``
    search_page_cap: ClassVar[int] = SEARCH_PAGE_CAP

    def search(
        self,
        query: str,
        sort_by: str | None = None,
        order_by: str | None = None,
        *,
        page: int | None = None,
        per_page: int | None = None,
        expand: bool | None = None,
        keyset: bool = True,
        progress: bool = False,
        prefetch: bool | int = False,
        **params: Any,
    ) -> Iterator[R]:
        """The records matching ``query``, one page request at a time.

        Without ``sort_by`` and ``page`` the pages are read by id (keyset pagination: each
        asks for ``(query) AND id:>last``, sorted by id), so the iteration yields every record
        that matched when it began once, even when the loop changes them so they no longer
        match. That needs Zammad's search to understand ``id:>N`` (Elasticsearch, as every
        production Zammad has). With ``sort_by`` or ``page`` the pages are read by offset and
        records leaving the results while iterating shift later pages.

        :param query: Zammad's search syntax, e.g. ``state.name:open AND title:printer``
        :param sort_by: field(s) to sort by, e.g. ``"created_at"``
        :param order_by: ``"asc"`` or ``"desc"``
        :param page: only this page (1-based)
        :param per_page: page size (default ``client.pagination.per_page``), clamped to 200
        :param expand: related objects' names beside their ids
        :param keyset: read the pages by id (the default, see above); ``False`` reads them by
            offset, for a Zammad searching without Elasticsearch
        :param progress: show a ``tqdm`` progress bar (``pip install zammad_orm[progress]``),
            with the match count as its total when the server tells it
        :param prefetch: ask for the next page while the caller works on this one
        """
        if not isinstance(query, str):
            raise TypeError(f"query must be a str, got {query!r}")
        size, base = self._page_params(per_page, expand, self.search_page_cap)
        if not base.get("expand"):
            base["full"] = True  # results arrive with the records they refer to
        search = {"query": query, "sort_by": sort_by, "order_by": order_by, **params, **base}
        return self._pages(
            (self.endpoint, "search"),
            search,
            size,
            page,
            keyset=keyset,
            progress=progress,
            prefetch=prefetch,
        )

    def count(self, query: str | None = None) -> int | None:
        """How many records match ``query`` (without one: the index's count, see
        :meth:`Manager.count`), when the server says: one search request for a single record.
        ``None`` when the reply carries no total (Zammad up to 6.4 counts only the page of a
        ticket search)."""
        if query is None:
            return super().count()
        if not isinstance(query, str):
            raise TypeError(f"query must be a str, got {query!r}")
        params = {"query": query, "full": True, "per_page": 1, "page": 1}
        return total_of(self.client.get(self.endpoint, "search", params=params))
