"""Managers: one per resource family, hanging off the client (``client.tickets``).

:class:`Manager` gives every family lazy handles, ``get``, paginated iteration, ``new``,
``create``, ``update`` and ``delete``; :class:`SearchableManager` adds ``search``;
:class:`LookupManager` adds name resolution from one cached list request, for the small
tables tickets point to by name (states, priorities, groups, roles).

Every record that arrives in a reply (a page, a search result and its ``assets``, the reply to
a save) goes through :meth:`Manager._absorb`, so the identity cache holds one object per record
and relations resolve without requests of their own.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, cast

from zammad_orm.cache import CacheKey
from zammad_orm.errors import ResourceLookupError, UnsavedResourceError
from zammad_orm.progress import TotalSink, total_of, with_progress
from zammad_orm.resource import Resource

if TYPE_CHECKING:
    from zammad_orm.client import Client

__all__ = ["LookupManager", "Manager", "SearchableManager"]

R = TypeVar("R", bound=Resource)

#: Zammad's page size caps (``per_page`` beyond them is silently clamped by the server)
INDEX_PAGE_CAP = 1000
SEARCH_PAGE_CAP = 200


class Manager(Generic[R]):
    """The manager of one resource family.

    :param client: the client it belongs to
    """

    #: the resource class this manager builds
    resource_class: ClassVar[type[Resource]]
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

    def __init__(self, client: Client) -> None:
        self.client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.client.url_for(self.endpoint)!r}>"

    # -- handles and the identity cache ------------------------------------------------------

    def _build(self, ident: int | None, **kwargs: Any) -> R:
        return cast(R, self.resource_class(self.client, ident, **kwargs))

    def _key(self, ident: Any, acting_as: str | None) -> CacheKey:
        return CacheKey(acting_as, self.endpoint, ident)

    def _handle(self, ident: int, *, acting_as: str | None = None) -> R:
        """The cached object for ``ident``, or a new unloaded handle (no request)."""
        if isinstance(ident, bool) or not isinstance(ident, int):
            raise TypeError(f"{self.resource_class.__name__} ids are ints, got {ident!r}")
        key = self._key(ident, acting_as)
        return self.client.cache.get_or_put(key, lambda: self._build(ident, acting_as=acting_as))

    def __call__(self, id: int, info: Mapping[str, Any] | None = None) -> R:
        """A lazy handle on record ``id``: no request until a field it lacks is read.

        :param info: record data you already have; it is merged into the cached object
        """
        handle = self._handle(id, acting_as=self.client.acting_as)
        if info:
            handle._merge(info)
        return handle

    def _absorb(self, record: Mapping[str, Any], *, acting_as: str | None = None) -> R:
        """The cached object for a whole record from a reply, updated with it."""
        ident = record.get("id")
        if isinstance(ident, bool) or not isinstance(ident, int):
            raise ValueError(f"a {self.resource_class.__name__} record without an id: {record!r}")
        key = self._key(ident, acting_as)
        fresh: list[bool] = []

        def build() -> R:
            fresh.append(True)
            return self._build(ident, info=record, loaded=True, acting_as=acting_as)

        obj = self.client.cache.get_or_put(key, build)
        if not fresh:
            obj._merge(record, complete=True)
        return obj

    def _adopt(self, obj: R) -> None:
        """Make a just-created object the cached one for its id."""
        self.client.cache.put(self._key(obj._data["id"], obj._acting_as), obj)

    def _share(self, obj: R) -> None:
        """After a write through ``obj``: every holder of the same id sees the new data."""
        key = self._key(obj._data["id"], obj._acting_as)
        cached = self.client.cache.get_or_put(key, lambda: obj)
        if cached is not obj:
            cached._merge(obj._data)

    def _fetch(self, obj: R) -> None:
        """Load ``obj`` from the server (one ``GET``)."""
        obj._merge(self.client.get(*obj._path()), complete=True)

    def _evict(self, ident: Any, *, acting_as: str | None) -> None:
        self.client.cache.evict(self._key(ident, acting_as))

    def invalidate(self, id: int | None = None) -> int:
        """Drop this family's cached objects (or one record's) in every user's view; the next
        read loads them again. Returns how many entries were dropped."""
        return self.client.cache.invalidate(self.endpoint, id)

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
        expanded = self.client.pagination.expand if expand is None else expand
        params: dict[str, Any] = {"per_page": size}
        if expanded:
            params["expand"] = True
        elif self.pages_with_assets:
            params["full"] = True
        return size, params

    def _records_of(self, reply: Any, acting_as: str | None) -> list[R]:
        """The objects of one list or search reply, in the server's order, whatever its shape:
        an array of records; ``{record_ids, assets}``; ``{tickets, tickets_count, assets}``
        (Zammad up to 6.4); ``{records, total_count}`` (7.0)."""
        if isinstance(reply, list):
            return [self._absorb(record, acting_as=acting_as) for record in reply]
        if not isinstance(reply, Mapping):
            raise TypeError(f"unexpected reply from {self.endpoint}: {reply!r}")
        if "records" in reply:
            return [self._absorb(record, acting_as=acting_as) for record in reply["records"]]
        assets = reply.get("assets") or {}
        self.client._absorb_assets(assets, acting_as=acting_as)
        ids = reply.get("record_ids")
        if ids is None:
            ids = reply.get(self.endpoint, [])
        own = assets.get(self.resource_class.asset_key, {})
        objects: list[R] = []
        for ident in ids:
            record = own.get(str(ident))
            if record is not None:
                objects.append(self._absorb(record, acting_as=acting_as))
            else:
                objects.append(self._handle(ident, acting_as=acting_as))
        return objects

    def _pages(
        self,
        path: tuple[object, ...],
        params: dict[str, Any],
        size: int,
        page: int | None,
        progress: bool = False,
    ) -> Iterator[R]:
        # Read now, not on the first next(): the pages belong to the user acting at the call.
        acting_as = self.client.acting_as
        if progress:
            label = self.resource_class.__name__.lower() + "s"
            return with_progress(
                lambda sink: self._walk(path, params, size, page, acting_as, sink), label
            )
        return self._walk(path, params, size, page, acting_as)

    def _walk(
        self,
        path: tuple[object, ...],
        params: dict[str, Any],
        size: int,
        page: int | None,
        acting_as: str | None,
        on_total: TotalSink | None = None,
    ) -> Iterator[R]:
        number = 1 if page is None else page
        previous: list[int] = []
        while True:
            with self.client._acting(acting_as):
                reply = self.client.get(*path, params={**params, "page": number})
            objects = self._records_of(reply, acting_as)
            if on_total is not None and not previous:
                on_total(len(objects) if size == 0 else total_of(reply))
            ids = [obj._data["id"] for obj in objects]
            if ids and ids == previous:
                return  # the server ignored ``page``: this is the page we already gave
            yield from objects
            if page is not None or len(objects) != size:
                return  # a short page is the last; a longer one means no pagination at all
            previous = ids
            number += 1

    def iter(
        self,
        *,
        page: int | None = None,
        per_page: int | None = None,
        expand: bool | None = None,
        progress: bool = False,
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
        :param params: further query parameters, e.g. ``sort_by="created_at"``
        """
        size, base = self._page_params(per_page, expand, self.page_cap)
        if not self.paginated:
            base.pop("per_page")
            return self._pages((self.endpoint,), {**params, **base}, 0, 1, progress)
        return self._pages((self.endpoint,), {**params, **base}, size, page, progress)

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
            raise TypeError(f"Zammad offers no {what} for /{self.endpoint}")

    def new(self, **fields: Any) -> R:
        """An unsaved object with ``fields`` assigned (names resolve as on assignment);
        :meth:`~zammad_orm.resource.Resource.save` creates it on the server."""
        self._check(self.can_create, "create")
        obj = self._build(None, acting_as=self.client.acting_as)
        for name, value in fields.items():
            setattr(obj, name, value)
        return obj

    def create(self, **fields: Any) -> R:
        """Create a record on the server from ``fields`` and return it (one ``POST``)."""
        return self.new(**fields).save()

    def update(self, id: int, **fields: Any) -> R:
        """Change record ``id`` at once (one ``PUT`` of ``fields``, no ``GET``)."""
        return self(id).update(**fields)

    def delete(self, id: int) -> None:
        """Delete record ``id`` on the server (one ``DELETE``)."""
        self._check(self.can_delete, "delete")
        self(id).delete()

    # -- references --------------------------------------------------------------------------

    def reference(self, value: object, *, field: str) -> int | str | None:
        """What to send for ``value`` assigned to a relation ``field``: an id, or a name for
        the server to resolve (``None`` clears the relation).

        Accepts an object of this family, an id, or a name. The base class passes names
        through; :class:`LookupManager` resolves them locally.
        """
        if value is None:
            return None
        if isinstance(value, str):
            if not value.strip():
                raise ValueError(f"{field} needs a non-empty name, got {value!r}")
            return value
        return self.reference_id(value, field=field)

    def reference_id(self, value: object, *, field: str) -> int:
        """The id of ``value`` (an object of this family, an id or a resolvable name)."""
        if isinstance(value, self.resource_class):
            ident = value._data.get("id")
            if ident is None:
                raise UnsavedResourceError(f"save {value!r} before assigning it to {field}")
            return int(ident)
        if isinstance(value, Resource):
            raise TypeError(
                f"{field} takes a {self.resource_class.__name__}, got a {type(value).__name__}"
            )
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise TypeError(
            f"{field} takes a {self.resource_class.__name__}, its id or its name, got {value!r}"
        )

    def by_reference(self, name: str, *, acting_as: str | None = None) -> R:
        """The object a name assigned to a relation refers to (may cost a request)."""
        raise TypeError(f"{self.resource_class.__name__} cannot be looked up by name {name!r}")


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
        progress: bool = False,
        **params: Any,
    ) -> Iterator[R]:
        """The records matching ``query``, one page request at a time.

        :param query: Zammad's search syntax, e.g. ``state.name:open AND title:printer``
        :param sort_by: field(s) to sort by, e.g. ``"created_at"``
        :param order_by: ``"asc"`` or ``"desc"``
        :param page: only this page (1-based)
        :param per_page: page size (default ``client.pagination.per_page``), clamped to 200
        :param expand: related objects' names beside their ids
        :param progress: show a ``tqdm`` progress bar (``pip install zammad_orm[progress]``),
            with the match count as its total when the server tells it
        """
        if not isinstance(query, str):
            raise TypeError(f"query must be a str, got {query!r}")
        size, base = self._page_params(per_page, expand, self.search_page_cap)
        if not base.get("expand"):
            base["full"] = True  # results arrive with the records they refer to
        search = {"query": query, "sort_by": sort_by, "order_by": order_by, **params, **base}
        return self._pages((self.endpoint, "search"), search, size, page, progress)

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


class LookupManager(Manager[R]):
    """A manager of a small table that tickets refer to by name (states, groups, ...).

    Names resolve from one cached list request (kept as long as the identity cache keeps
    entries); an unknown name raises :class:`~zammad_orm.errors.ResourceLookupError` naming
    the valid choices, before anything is sent.
    """

    def _index(self, acting_as: str | None, *, refresh: bool = False) -> dict[str, int]:
        key = self._key("__index_by_name__", acting_as)
        index: dict[str, int] | None = None if refresh else self.client.cache.get(key)
        if index is None:
            with self.client._acting(acting_as):
                records = list(self.iter(per_page=self.page_cap, expand=False))
            label = self.resource_class.label_field
            index = {obj._data[label]: obj._data["id"] for obj in records if label in obj._data}
            self.client.cache.put(key, index)
        return index

    def _fetch(self, obj: R) -> None:
        """Load the whole (small) table in one request rather than ``obj`` alone: the next
        record of it that is read then costs nothing."""
        listed = self._index(obj._acting_as, refresh=True).values()
        ident = obj._data.get("id")
        fresh = self.client.cache.get(self._key(ident, obj._acting_as)) if ident in listed else None
        if fresh is obj:
            return  # the list request merged the record into obj itself
        if fresh is not None:
            obj._merge(fresh._data, complete=True)
            return
        super()._fetch(obj)  # not in the list: ask for it alone (404 when it is gone)

    def id_for(self, name: str) -> int:
        """The id of the record called ``name``.

        :raises ResourceLookupError: no record has that name (lists the names there are)
        """
        acting_as = self.client.acting_as
        index = self._index(acting_as)
        if name not in index:
            index = self._index(acting_as, refresh=True)
        if name not in index:
            kind = self.resource_class.__name__.lower()
            choices = sorted(index)
            raise ResourceLookupError(
                f"no {kind} is named {name!r}; choose one of: {', '.join(map(repr, choices))}",
                field=kind,
                value=name,
                choices=choices,
            )
        return index[name]

    def by_name(self, name: str) -> R:
        """The record called ``name`` (see :meth:`id_for`)."""
        return self._handle(self.id_for(name), acting_as=self.client.acting_as)

    def by_reference(self, name: str, *, acting_as: str | None = None) -> R:
        """The record called ``name``."""
        with self.client._acting(acting_as):
            return self.by_name(name)

    def reference(self, value: object, *, field: str) -> int | str | None:
        """Resolve names locally: the id of ``value`` (or ``None``)."""
        if value is None:
            return None
        return self.reference_id(value, field=field)

    def reference_id(self, value: object, *, field: str) -> int:
        """The id of an object, id or name of this table."""
        if isinstance(value, str):
            try:
                return self.id_for(value)
            except ResourceLookupError as error:
                raise ResourceLookupError(
                    f"{field}: {error}", field=field, value=value, choices=error.choices
                ) from None
        return super().reference_id(value, field=field)
