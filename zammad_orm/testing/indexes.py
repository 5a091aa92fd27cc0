"""Indexes of the fake server's tables, kept right on every write without the endpoints'
help.

Rendering a ticket needs its articles and time bookings; scanning every article for that made
each page and each write cost O(all records). A :class:`ColumnIndex` maps a column's values to
the ids of the records holding them (``ticket_id`` -> article ids), so the lookup costs
O(matches).

Endpoints write records as plain dicts (``record[column] = value``, ``record.update(...)``,
``del table[ident]``), so the index follows the data structures rather than the endpoints:

* a table is a :class:`Table`, a dict that tells its indexes when a record is added or removed;
* a record of an indexed table is a :class:`Record`, a dict that tells its table's indexes when
  an indexed column changes (a merge moving articles to another ticket, say).

Reads go at dict speed; only writes pay. A table that is handed a plain dict (a record made
outside :meth:`~zammad_orm.testing.store.Store.insert`) stops trusting its indexes, which then
answer by scanning, so they are never wrong. With :attr:`ColumnIndex.verify` set (the test
suite sets it), every lookup is checked against a scan.

The same reports feed :attr:`Table.listeners`: whatever keeps data derived from a table (the
search documents of :mod:`zammad_orm.testing.search_index`) hears of every record added,
removed or changed, and rebuilds only what depends on it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any, ClassVar, SupportsIndex

__all__ = ["ColumnIndex", "Listener", "Record", "Table"]

#: told ``(ident, record, column, old value)`` after a stored record's column changed, and
#: ``(ident, record, None, None)`` after a record was added or removed
Listener = Callable[[int, Mapping[str, Any], "str | None", Any], None]


class ColumnIndex:
    """The ids of ``table``'s records by the value of ``column``."""

    #: check every lookup against a full scan and raise on a difference (for tests)
    verify: ClassVar[bool] = False

    def __init__(self, table: Table, column: str) -> None:
        self.table = table
        self.column = column
        self._ids: dict[Hashable, dict[int, None]] = {}
        for ident, record in table.items():
            self.add(ident, record)

    def add(self, ident: int, record: Mapping[str, Any]) -> None:
        """Index ``record`` (stored under ``ident``)."""
        value = record.get(self.column)
        if isinstance(value, Hashable):
            self._ids.setdefault(value, {})[ident] = None

    def discard(self, ident: int, value: Any) -> None:
        """Forget that ``ident`` held ``value``."""
        if isinstance(value, Hashable):
            bucket = self._ids.get(value)
            if bucket is not None:
                bucket.pop(ident, None)
                if not bucket:
                    del self._ids[value]

    def ids(self, value: Any) -> list[int]:
        """The ids of the records whose column equals ``value``, ascending."""
        if not self.table.trusted:
            found = self._scan(value)
        else:
            found = sorted(self._ids.get(value, ())) if isinstance(value, Hashable) else []
            if self.verify and found != self._scan(value):
                raise AssertionError(
                    f"index {self.column} of {self.table.name} is stale for {value!r}: "
                    f"{found} != {self._scan(value)}"
                )
        return found

    def records(self, value: Any) -> list[dict[str, Any]]:
        """The records whose column equals ``value``, by id."""
        return [self.table[ident] for ident in self.ids(value)]

    def _scan(self, value: Any) -> list[int]:
        return sorted(i for i, r in self.table.items() if r.get(self.column) == value)


class Table(dict[int, dict[str, Any]]):
    """A table of records by id that keeps its :class:`ColumnIndex` es up to date."""

    def __init__(self, name: str, indexed: Iterable[str] = ()) -> None:
        super().__init__()
        self.name = name
        #: False once a record that cannot report its changes was stored
        self.trusted = True
        #: whether iterating the table goes by ascending id (ids were added in that order)
        self.ascending = True
        self._highest: int | None = None
        self.indexes: dict[str, ColumnIndex] = {
            column: ColumnIndex(self, column) for column in indexed
        }
        #: told of every change (see :data:`Listener`)
        self.listeners: list[Listener] = []

    def index(self, column: str) -> ColumnIndex:
        """The index of ``column``."""
        return self.indexes[column]

    def __setitem__(self, ident: int, record: dict[str, Any]) -> None:
        self._unindex(ident)
        if ident not in self:
            if self._highest is not None and not ident > self._highest:
                self.ascending = False
            self._highest = ident if self._highest is None else max(self._highest, ident)
        super().__setitem__(ident, record)
        if isinstance(record, Record):
            record.attach(self, ident)
        else:
            self.trusted = False
        for index in self.indexes.values():
            index.add(ident, record)
        for listener in self.listeners:
            listener(ident, record, None, None)

    def __delitem__(self, ident: int) -> None:
        self._unindex(ident)
        super().__delitem__(ident)

    def pop(self, ident: int, *default: Any) -> Any:
        """Remove and return the record ``ident`` (or ``default``)."""
        self._unindex(ident)
        return super().pop(ident, *default)

    def popitem(self) -> tuple[int, dict[str, Any]]:
        """Remove and return the last record."""
        ident, record = super().popitem()
        self._forget(ident, record)
        return ident, record

    def clear(self) -> None:
        """Remove every record."""
        for ident in list(self):
            self._unindex(ident)
        super().clear()

    def setdefault(self, ident: int, default: dict[str, Any] | None = None) -> dict[str, Any]:
        """The record ``ident``, stored first when missing."""
        if ident not in self:
            self[ident] = default if default is not None else {}
        return self[ident]

    def update(self, *args: Any, **kwargs: Any) -> None:
        """Store many records."""
        for ident, record in dict(*args, **kwargs).items():
            self[ident] = record

    def _unindex(self, ident: int) -> None:
        record = self.get(ident)
        if record is not None:
            self._forget(ident, record)

    def _forget(self, ident: int, record: dict[str, Any]) -> None:
        for index in self.indexes.values():
            index.discard(ident, record.get(index.column))
        if isinstance(record, Record):
            record.detach(self)
        for listener in self.listeners:
            listener(ident, record, None, None)

    def column_changed(self, ident: int, column: str, old: Any, new: Any) -> None:
        """A stored record's ``column`` went from ``old`` to ``new``."""
        record = self.get(ident)
        if record is None:
            return
        index = self.indexes.get(column)
        if index is not None:
            index.discard(ident, old)
            if isinstance(new, Hashable):
                index._ids.setdefault(new, {})[ident] = None
        for listener in self.listeners:
            listener(ident, record, column, old)


class Record(dict[str, Any]):
    """A record that tells the table it is stored in when one of its columns changes.
    Otherwise a plain dict (copies of it are plain dicts unless made with ``copy``)."""

    __slots__ = ("_ident", "_table")

    def attach(self, table: Table, ident: int) -> None:
        """Report changes to ``table``, where it is stored under ``ident``."""
        self._table: Table | None = table
        self._ident = ident

    def detach(self, table: Table) -> None:
        """Stop reporting to ``table``."""
        if getattr(self, "_table", None) is table:
            self._table = None

    def _watched(self) -> Table | None:
        table = getattr(self, "_table", None)
        return table if table is not None and table.get(self._ident) is self else None

    def __setitem__(self, key: str, value: Any) -> None:
        table = self._watched()
        if table is not None:
            old = self.get(key)
            super().__setitem__(key, value)
            table.column_changed(self._ident, key, old, value)
        else:
            super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        self._set_many({key: None}, lambda: super(Record, self).__delitem__(key))

    def update(self, *args: Any, **kwargs: Any) -> None:
        """Set many keys."""
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def __ior__(self, other: Any) -> Record:  # type: ignore[misc,override]
        self.update(other)
        return self

    def pop(self, key: str, *default: Any) -> Any:
        """Remove ``key`` and return its value (or ``default``)."""
        result: list[Any] = []
        self._set_many({key: None}, lambda: result.append(super(Record, self).pop(key, *default)))
        return result[0]

    def popitem(self) -> tuple[str, Any]:
        """Remove and return the last key."""
        key = next(reversed(self))
        return key, self.pop(key)

    def setdefault(self, key: str, default: Any = None) -> Any:
        """The value of ``key``, set to ``default`` first when missing."""
        if key not in self:
            self[key] = default
        return self[key]

    def clear(self) -> None:
        """Remove every key."""
        self._set_many(dict.fromkeys(self), lambda: super(Record, self).clear())

    def _set_many(self, touched: Mapping[str, Any], change: Any) -> None:
        table = self._watched()
        olds = {key: self.get(key) for key in touched if table is not None}
        change()
        if table is not None:
            for key, old in olds.items():
                table.column_changed(self._ident, key, old, self.get(key))

    def __reduce_ex__(self, protocol: SupportsIndex) -> Any:
        return (dict, (dict(self),))
