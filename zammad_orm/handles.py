"""How a manager turns ids and replies into the unit's objects.

:class:`Handles` is the part of every manager between the wire and the objects: a lazy handle
for an id (:meth:`Handles._handle`), the records of a reply taken by the shared cache and
matched with the unit's objects (:meth:`Handles._absorb_all` for a page, one arrival and one
unit lock for all its records; :meth:`Handles._feed_all` for a reply's ``assets``), and a
record loaded whole (:meth:`Handles._load`, one flight for concurrent readers). Data walks one
way: reply -> :class:`~zammad_orm.cache.RecordCache` -> object.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from zammad_orm.cache import CachedRecord, CacheKey
from zammad_orm.references import References
from zammad_orm.reply_shapes import expect_page, expect_record
from zammad_orm.resource import Resource

if TYPE_CHECKING:
    from zammad_orm.unit_of_work import UnitOfWork

__all__ = ["Handles"]

R = TypeVar("R", bound=Resource)


class Handles(References[R]):
    """Objects for ids and for the records of replies (mixed into the managers)."""

    #: query parameters of a single record's ``GET`` (notifications ask ``expand=true``)
    load_params: ClassVar[Mapping[str, Any] | None] = None

    def _build(
        self,
        ident: int | None,
        *,
        acting_as: str | None,
        unit: UnitOfWork,
        record: CachedRecord | None = None,
    ) -> R:
        """A new object for ``ident``: holding a shared ``record``, or an unloaded handle."""
        if record is None:
            obj = self.resource_class(self.client, ident, acting_as=acting_as, unit=unit)
        else:
            obj = self.resource_class._from_record(
                self.client, unit, record.data, record.complete, record.stored_at, acting_as
            )
        return cast(R, obj)

    def _handle(
        self, ident: int, *, acting_as: str | None = None, unit: UnitOfWork | None = None
    ) -> R:
        """The unit's object for ``ident`` (built from a shared record, or an unloaded
        handle; no request). An object whose data outlived the cache's time to live takes a
        fresher shared record, or loads again on its next read."""
        if ident.__class__ is not int and (isinstance(ident, bool) or not isinstance(ident, int)):
            raise TypeError(f"{self.resource_class.__name__} ids are ints, got {ident!r}")
        if unit is None:
            unit = self.client._current_unit()
        obj = unit._find(self.endpoint, ident, acting_as)
        if obj is None:
            record = self.client.cache.record(self._key(ident, acting_as))
            built = self._build(ident, acting_as=acting_as, unit=unit, record=record)
            return cast(R, unit._register(self.endpoint, ident, built))
        stamp = obj._stamp
        if stamp is not None:
            cache = self.client.cache
            if cache.timer() - stamp > cache.ttl_seconds:
                self._refresh(cast(R, obj), self._key(ident, acting_as))
        return cast(R, obj)

    def _refresh(self, obj: R, key: CacheKey) -> None:
        """``obj`` outlived the time to live: take a fresher shared record, or expire it."""
        stamp = obj._stamp
        cache = self.client.cache
        if stamp is None or cache.timer() - stamp <= cache.ttl_seconds:
            return
        record = cache.record(key)
        if record is not None and record.stored_at > stamp:
            obj._merge(record.data, complete=record.complete, stamp=record.stored_at)
        else:
            obj._expire()

    def _absorb(
        self,
        record: Mapping[str, Any],
        *,
        acting_as: str | None = None,
        complete: bool = True,
        unit: UnitOfWork | None = None,
    ) -> R:
        """The unit's object for a record from a reply, after the shared cache took it."""
        if not complete:
            ident = self._ident_of(record)
            stored = self.client.cache.store(self._key(ident, acting_as), record, complete=False)
            return self._objects_for([stored], acting_as=acting_as, unit=unit)[0]
        return self._absorb_all([record], acting_as=acting_as, unit=unit)[0]

    def _absorb_all(
        self,
        records: Sequence[Mapping[str, Any]],
        *,
        acting_as: str | None = None,
        unit: UnitOfWork | None = None,
    ) -> list[R]:
        """The unit's objects for the complete records of one reply, in order, after the
        shared cache took them (as one arrival: a page costs one cache entry of its own)."""
        for record in records:
            self._ident_of(record)
        stored = self.client.cache.store_records(acting_as, self.endpoint, records)
        return self._objects_for(stored, acting_as=acting_as, unit=unit)

    def _objects_for(
        self, stored: list[CachedRecord], *, acting_as: str | None, unit: UnitOfWork | None
    ) -> list[R]:
        """The unit's objects for records the shared cache just stored, in order: objects the
        unit has take the fresh data, the others are built (under one unit lock)."""
        if unit is None:
            unit = self.client._current_unit()
        client, built = self.client, self.resource_class._from_record

        def build(record: CachedRecord) -> Resource:
            return built(client, unit, record.data, record.complete, record.stored_at, acting_as)

        return cast("list[R]", unit._take(self.endpoint, acting_as, stored, build))

    def _ident_of(self, record: Mapping[str, Any]) -> int:
        """The id of a record from a reply; :class:`UnexpectedResponse` if it has none."""
        mapping = record.__class__ is dict or isinstance(record, Mapping)
        ident = record.get("id") if mapping else None
        if ident.__class__ is not int and (isinstance(ident, bool) or not isinstance(ident, int)):
            self._expect_record(record, (self.endpoint,), None, method=None)  # raises
        return cast(int, ident)

    def _feed_all(self, records: Iterable[Any], *, acting_as: str | None) -> None:
        """Give the shared cache the records of a reply (e.g. one family of its ``assets``;
        anything without an id is skipped); objects the current unit already has for them
        take the fresh data too."""
        usable = [
            record
            for record in records
            if isinstance(record, Mapping) and record.get("id").__class__ is int
        ]
        if not usable:
            return
        stored = self.client.cache.store_records(acting_as, self.endpoint, usable)
        unit = self.client._current_unit()
        for record, held in zip(usable, stored, strict=True):
            obj = unit._find(self.endpoint, record["id"], acting_as)
            if obj is not None:
                obj._merge(held.data, complete=held.complete, stamp=held.stored_at)

    def _load(self, obj: R, *, force: bool = False) -> None:
        """Give ``obj`` its whole record: from the shared cache while it is fresh, else one
        ``GET`` (threads asking at the same moment share it)."""
        key = self._key(obj._data.get("id"), obj._acting_as)
        if not force:
            record = self.client.cache.record(key)
            if record is not None and record.complete:
                obj._merge(record.data, complete=True, stamp=record.stored_at)
                return

        def fetch() -> CachedRecord:
            path = obj._path()
            with self.client._acting(obj._acting_as):
                data = self.client.get(*path, params=self.load_params)
            self._expect_record(data, path, key.key)
            return self.client.cache.store(key, data, complete=True)

        record = self.client.cache.single_flight(("load", key), fetch)
        obj._merge(record.data, complete=True, stamp=record.stored_at)

    def _expect_record(
        self, reply: Any, path: tuple[object, ...], ident: Any, method: str | None = "GET"
    ) -> Mapping[str, Any]:
        """``reply`` to ``method`` ``path`` if it is a record of this family (with id
        ``ident`` unless it is None), else :class:`UnexpectedResponse` naming the request."""
        return expect_record(
            reply,
            method=method,
            url=self.client.url_for(*path),
            what=f"a {self.resource_class.__name__} record",
            ident=ident,
        )

    def _expect_page(self, reply: Any, path: tuple[object, ...]) -> None:
        """Raise :class:`UnexpectedResponse` unless ``reply`` to ``GET path`` is a page."""
        expect_page(
            reply,
            method="GET",
            url=self.client.url_for(*path),
            endpoint=self.endpoint,
            own_key=self.resource_class.asset_key,
        )

    def _known_label(
        self, ident: int, *, acting_as: str | None, unit: UnitOfWork | None = None
    ) -> Any:
        """The label (name, login, ...) of record ``ident`` if known without a request."""
        label = self.resource_class.label_field
        key = self._key(ident, acting_as)
        obj = unit._get(key) if unit is not None else None
        if obj is not None and label in obj._data:
            return obj._data[label]
        record = self.client.cache.record(key)
        return None if record is None else record.data.get(label)
