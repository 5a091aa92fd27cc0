"""Lookup tables: the small tables tickets refer to by name (states, priorities, groups,
roles).

:class:`LookupManager` resolves names locally from one list request, cached in the client's
shared record cache and shared by every thread (concurrent resolvers send one request). An
unknown name raises :class:`~zammad_orm.errors.ResourceLookupError` naming the valid choices,
before anything is sent. Any write to the table through the library refreshes the names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from zammad_orm.errors import Forbidden, ResourceLookupError
from zammad_orm.manager import Manager
from zammad_orm.paging import numbered_replies
from zammad_orm.reply_shapes import expect_records
from zammad_orm.resource import Resource

if TYPE_CHECKING:
    from zammad_orm.unit_of_work import UnitOfWork

__all__ = ["INDEX_KEY", "LookupManager"]

R = TypeVar("R", bound=Resource)

#: the cache key (beside the record ids) of a table's name index
INDEX_KEY = "__index_by_name__"


class LookupManager(Manager[R]):
    """A manager of a small table that tickets refer to by name (states, groups, ...).

    Names resolve as the user the object acts as (an impersonated user may see other
    records), from one cached list request kept as long as the shared cache keeps records.
    """

    def _index(self, acting_as: str | None, *, refresh: bool = False) -> dict[str, int]:
        """``{name: id}`` of the whole table as ``acting_as`` sees it (one list request at
        most, shared by concurrent callers)."""
        key = self._key(INDEX_KEY, acting_as)
        if not refresh:
            index: dict[str, int] | None = self.client.cache.get(key)
            if index is not None:
                return index

        def fetch() -> dict[str, int]:
            label = self.resource_class.label_field
            fresh: dict[str, int] = {}
            size, params = self._page_params(self.page_cap, None, self.page_cap)
            if not self.paginated:
                params.pop("per_page")
            pages = numbered_replies(
                self, (self.endpoint,), params, size if self.paginated else 0, None, acting_as
            )
            for reply in pages:
                records = expect_records(
                    reply,
                    method="GET",
                    url=self.client.url_for(self.endpoint),
                    what=f"the list of {self.endpoint}",
                )
                self._feed_all(records, acting_as=acting_as)
                for record in records:
                    if isinstance(record.get(label), str):
                        fresh[record[label]] = record["id"]
            self.client.cache.put(key, fresh)
            return fresh

        return self.client.cache.single_flight(("index", key), fetch)

    def _load(self, obj: R, *, force: bool = False) -> None:
        """Load the whole (small) table in one request rather than ``obj`` alone: the next
        record of it that is read then costs nothing."""
        if not force:
            record = self.client.cache.record(self._key(obj._data.get("id"), obj._acting_as))
            if record is not None and record.complete:
                obj._merge(record.data, complete=True, stamp=record.stored_at)
                return
        listed = self._index(obj._acting_as, refresh=True).values()
        ident = obj._data.get("id")
        record = self.client.cache.record(self._key(ident, obj._acting_as))
        if ident in listed and record is not None:
            obj._merge(record.data, complete=True, stamp=record.stored_at)
            return
        super()._load(obj, force=True)  # not in the list: ask for it alone (404 when gone)

    def _expanded_name(self, obj: R, name_key: str) -> Any:
        """The expanded name ``name_key`` of ``obj`` as the server last sent it (a record that
        came without it, e.g. from ``assets``, takes it from the table, one list request for
        every record of it)."""
        if name_key not in obj._data and not obj.is_new:
            record = self.client.cache.record(self._key(obj._data.get("id"), obj._acting_as))
            if record is None or name_key not in record.data:
                self._index(obj._acting_as, refresh=True)
                record = self.client.cache.record(self._key(obj._data.get("id"), obj._acting_as))
            if record is not None and name_key in record.data:
                obj._merge(record.data, complete=record.complete, stamp=record.stored_at)
        return obj._data.get(name_key)

    def _after_write(self) -> None:
        """A record was created, renamed or deleted: every user's names are read again."""
        self.client.cache.invalidate(self.endpoint, INDEX_KEY)

    def id_for(self, name: str, *, acting_as: Any = ...) -> int:
        """The id of the record called ``name``.

        :param acting_as: whose view of the table (default: the user acting now)
        :raises ResourceLookupError: no record has that name (lists the names there are)
        """
        if acting_as is ...:
            acting_as = self.client.acting_as
        index = self._index(acting_as)
        if name not in index:
            index = self._index(acting_as, refresh=True)  # created since the list was read?
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
        acting_as = self.client.acting_as
        return self._handle(self.id_for(name, acting_as=acting_as), acting_as=acting_as)

    def by_reference(
        self, name: str, *, acting_as: str | None = None, unit: UnitOfWork | None = None
    ) -> R:
        """The record called ``name``, as ``acting_as`` sees the table."""
        return self._handle(self.id_for(name, acting_as=acting_as), acting_as=acting_as, unit=unit)

    def _name_reference(self, name: str, *, field: str, acting_as: str | None, current: Any) -> Any:
        """Resolve the name locally to its id. A user who may not list the table (in Zammad
        6.2 only admins list groups and roles) sends the name for the server to resolve, as
        Zammad's ticket updates allow."""
        try:
            return self._id_of_name(name, field=field, acting_as=acting_as)
        except Forbidden:
            return name

    def _id_of_name(self, name: str, *, field: str, acting_as: str | None) -> int:
        """The id of the record of this table called ``name``."""
        try:
            return self.id_for(name, acting_as=acting_as)
        except ResourceLookupError as error:
            raise ResourceLookupError(
                f"{field}: {error}", field=field, value=name, choices=error.choices
            ) from None
