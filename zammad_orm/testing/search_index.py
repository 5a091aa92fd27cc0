"""Search documents kept between searches, and the candidates of a query among them.

Building the search document of every ticket for every search made a search cost O(all
tickets) twice over (building, then matching). A :class:`SearchIndex` keeps one
:class:`~zammad_orm.testing.query.Document` per record of a table and rebuilds only those a
write made stale. It hears of writes through the tables' listeners
(:mod:`zammad_orm.testing.indexes`), so it follows every write, through an endpoint or
straight into the store:

* a change to the record itself, or to one of its *children* (a ticket's articles: adding
  one, changing one, moving one to another ticket by a merge);
* a change to a record it *references* that alters what the document shows of it (the
  customer's email, the organization's name, the state's name: a user's preferences do not
  count);
* a change of its tags (compared at each search: tags are not records);
* any change to the custom field definitions (every document is rebuilt);
* a table that holds a plain dict, whose changes nobody reports, is not trusted: while it
  is stored, every search rebuilds every document, as before this cache.

Documents do not depend on the clock: date math (``now-7d``) is resolved when matching.

:meth:`SearchIndex.term_ids` and :meth:`SearchIndex.range_ids` answer
:meth:`Query.candidates <zammad_orm.testing.query.Query.candidates>` from per-field indexes
(built the first time a query names the field, kept up to date after): the records holding a
value (``state.name:open``), a word (``title:welcome``), or a number or date in a range
(``id:>100``, ``created_at:>now-7d``). :meth:`SearchIndex.free_text_ids` looks for free text
in all documents at once. Those indexes are in :mod:`zammad_orm.testing.search_candidates`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from zammad_orm.testing.custom_fields import search_field_names
from zammad_orm.testing.query_documents import Candidates, Document, Span
from zammad_orm.testing.search_candidates import Corpus, FieldIndex

if TYPE_CHECKING:
    from zammad_orm.testing.store import Store

__all__ = ["DocumentKind", "Reference", "Related", "SearchIndex", "search_index", "to_datetime"]

_ATTRIBUTES = "object_manager_attributes"


def to_datetime(value: Any) -> Any:
    """An ISO timestamp string as an aware datetime (other values unchanged)."""
    if isinstance(value, str) and len(value) >= 20 and value[10] == "T":
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value


@dataclass(frozen=True)
class Reference:
    """A record's ``column`` holds the id of a ``table`` record whose ``columns`` its search
    document shows."""

    column: str
    table: str
    columns: tuple[str, ...]


@dataclass
class Related:
    """What a document shows besides its record: its children by table, and its tag names."""

    children: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DocumentKind:
    """How the search documents of ``table``'s records are made and what they depend on.

    :param build: the document of a record (without custom fields: the index adds them)
    :param references: the records of other tables the document shows
    :param children: ``(table, column)``: records of ``table`` whose ``column`` holds the
        record's id (a ticket's articles), handed to ``build`` in :class:`Related`
    :param tags: the object name whose tags the document shows (``"Ticket"``), if any
    """

    table: str
    build: Callable[[Store, dict[str, Any], Related], dict[str, Any]]
    references: tuple[Reference, ...] = ()
    children: tuple[tuple[str, str], ...] = ()
    tags: str | None = None


def search_index(store: Store, kind: DocumentKind) -> SearchIndex:
    """The store's index of ``kind``, brought up to date (made at the first search)."""
    key = f"search:{kind.table}"
    index = store.derived.get(key)
    if not isinstance(index, SearchIndex) or index.kind is not kind:
        index = store.derived[key] = SearchIndex(store, kind)
    index.refresh()
    return index


class SearchIndex:
    """The search documents of one table's records, kept up to date (see the module
    docstring). Use it under the store's lock."""

    def __init__(self, store: Store, kind: DocumentKind) -> None:
        self.store = store
        self.kind = kind
        self.documents: dict[int, Document] = {}
        self._fields: dict[str, FieldIndex] = {}
        self._everything = True
        self._dirty: set[Any] = set()  # ids (a child may hold None)
        self._volatile: set[int] = set()
        self._referenced: dict[str, set[int]] = defaultdict(set)
        self._snapshots: dict[str, dict[int, tuple[Any, ...]]] = {}
        self._tags: dict[int, list[str]] = {}
        self._corpus: Corpus | None = None
        #: the sets of text fields the documents have (one, unless custom fields differ)
        self._text_fields: set[frozenset[str] | None] = set()
        tables = store.tables
        tables[kind.table].listeners.append(self._record_changed)
        for child, column in kind.children:
            tables[child].listeners.append(self._child_listener(column))
        for table in {reference.table for reference in kind.references}:
            tables[table].listeners.append(self._reference_listener(table))
        tables[_ATTRIBUTES].listeners.append(self._attributes_changed)
        self._watched = [
            tables[name]
            for name in {kind.table, _ATTRIBUTES, *(c for c, _ in kind.children)}
            | {reference.table for reference in kind.references}
        ]

    # -- hearing of writes -------------------------------------------------------------------

    def _record_changed(self, ident: int, record: Mapping[str, Any], column: Any, old: Any) -> None:
        self._dirty.add(ident)

    def _child_listener(self, column: str) -> Callable[[int, Mapping[str, Any], Any, Any], None]:
        def changed(ident: int, record: Mapping[str, Any], changed: Any, old: Any) -> None:
            self._dirty.add(record.get(column))
            if changed == column:
                self._dirty.add(old)

        return changed

    def _reference_listener(self, table: str) -> Callable[[int, Mapping[str, Any], Any, Any], None]:
        def changed(ident: int, record: Mapping[str, Any], column: Any, old: Any) -> None:
            self._referenced[table].add(ident)

        return changed

    def _attributes_changed(
        self, ident: int, record: Mapping[str, Any], column: Any, old: Any
    ) -> None:
        self._everything = True

    # -- bringing the documents up to date ---------------------------------------------------

    def refresh(self) -> None:
        """Rebuild the documents that writes made stale since the last refresh."""
        if self._everything or not all(table.trusted for table in self._watched):
            self._rebuild_all()
            return
        self._find_stale_references()
        if self.kind.tags is not None:
            self._find_retagged()
        stale = self._dirty | self._volatile
        self._dirty = set()
        if stale:
            self._rebuild(stale)

    def _rebuild_all(self) -> None:
        kind = self.kind
        records = self.store.tables[kind.table]
        grouped: dict[str, dict[Any, list[dict[str, Any]]]] = {}
        for child, column in kind.children:
            by_parent: dict[Any, list[dict[str, Any]]] = defaultdict(list)
            for record in self.store.tables[child].values():
                by_parent[record.get(column)].append(record)
            grouped[child] = by_parent
        self._tags = self._grouped_tags()
        self._snapshots = {reference.table: {} for reference in kind.references}
        for table, snapshot in self._snapshots.items():
            columns = self._columns_of(table)
            for ident, record in self.store.tables[table].items():
                snapshot[ident] = tuple(record.get(name) for name in columns)
        self._referenced.clear()
        self._dirty = set()
        self._volatile = set()
        self._fields = {}
        self._corpus = None
        self._text_fields = set()
        self._everything = False
        custom = search_field_names(self.store, kind.table)
        self.documents = {}
        for ident, record in records.items():
            related = Related(
                {child: by_parent.get(ident, []) for child, by_parent in grouped.items()},
                self._tags.get(ident, []),
            )
            self.documents[ident] = self._document(ident, record, related, custom)

    def _rebuild(self, stale: Iterable[Any]) -> None:
        records = self.store.tables[self.kind.table]
        custom = search_field_names(self.store, self.kind.table)
        self._corpus = None
        for ident in stale:
            old = self.documents.pop(ident, None)
            self._volatile.discard(ident)
            record = records.get(ident)
            document = None
            if record is not None:
                related = Related(
                    {
                        child: self.store.tables[child].index(column).records(ident)
                        for child, column in self.kind.children
                    },
                    self._tags.get(ident, []),
                )
                document = self.documents[ident] = self._document(ident, record, related, custom)
            for name, index in self._fields.items():
                if old is not None and document is not None and _same(old, document, name):
                    continue  # most writes leave most indexed fields as they were
                if old is not None:
                    index.remove(ident, old)
                if document is not None:
                    index.add(ident, document)

    def _document(
        self,
        ident: int,
        record: dict[str, Any],
        related: Related,
        custom: tuple[list[str], list[str]],
    ) -> Document:
        fields = self.kind.build(self.store, record, related)
        names, text = custom
        for name in names:
            value = fields[name] = record.get(name)
            if isinstance(value, (list, dict)):
                self._volatile.add(ident)  # edited in place unheard: rebuilt at every search
        listed = fields.get("_fulltext")
        if text and isinstance(listed, (list, tuple)):
            fields["_fulltext"] = _joined(tuple(listed), tuple(text))
        document = Document(_Row(fields))
        self._text_fields.add(document.text_fields)
        return document

    def _columns_of(self, table: str) -> tuple[str, ...]:
        columns: dict[str, None] = {}
        for reference in self.kind.references:
            if reference.table == table:
                columns.update(dict.fromkeys(reference.columns))
        return tuple(columns)

    def _find_stale_references(self) -> None:
        """Mark stale the documents showing a referenced record whose shown columns changed."""
        for table, idents in self._referenced.items():
            snapshot = self._snapshots[table]
            columns = self._columns_of(table)
            records = self.store.tables[table]
            changed = set()
            for ident in idents:
                record = records.get(ident)
                now = None if record is None else tuple(record.get(name) for name in columns)
                if snapshot.get(ident) != now:
                    changed.add(ident)
                    if now is None:
                        snapshot.pop(ident, None)
                    else:
                        snapshot[ident] = now
            if changed:
                pointing = [r.column for r in self.kind.references if r.table == table]
                self._dirty.update(
                    ident
                    for ident, record in self.store.tables[self.kind.table].items()
                    if any(record.get(column) in changed for column in pointing)
                )
        self._referenced.clear()

    def _grouped_tags(self) -> dict[int, list[str]]:
        grouped: dict[int, list[str]] = defaultdict(list)
        names = self.store.tags
        for item in self.store.tag_items:
            if item.object == self.kind.tags:
                grouped[item.o_id].append(names[item.tag_id])
        return dict(grouped)

    def _find_retagged(self) -> None:
        """Tags are a list beside the tables, not records: compare them at each search."""
        if not self.store.tag_items and not self._tags:
            return
        tags = self._grouped_tags()
        if tags != self._tags:
            for ident in tags.keys() | self._tags.keys():
                if tags.get(ident) != self._tags.get(ident):
                    self._dirty.add(ident)
            self._tags = tags

    # -- reading -----------------------------------------------------------------------------

    def holds(self, record: dict[str, Any]) -> bool:
        """Whether ``record`` is stored (so its kept document, and candidates, apply to it)."""
        ident = record.get("id")
        return isinstance(ident, int) and self.store.tables[self.kind.table].get(ident) is record

    def document(self, record: dict[str, Any]) -> Document:
        """The document of the stored ``record`` (of one not stored: made now, without custom
        fields, as they belong to stored records)."""
        if self.holds(record):
            return self.documents[record["id"]]
        return Document(_Row(self.kind.build(self.store, record, self._related(record))))

    def _related(self, record: dict[str, Any]) -> Related:
        ident = record.get("id")
        return Related(
            {
                child: [r for r in self.store.tables[child].values() if r.get(column) == ident]
                for child, column in self.kind.children
            },
            self._tags.get(ident, []) if isinstance(ident, int) else [],
        )

    def term_ids(self, field: str, folded: str, words: tuple[str, ...], span: Span) -> Candidates:
        """See :meth:`CandidateIndex.term_ids <zammad_orm.testing.query.CandidateIndex>`.

        Exact when the field is a keyword field of every document (the whole value counts),
        or a text field of every document and the term has at most one word."""
        index = self._field(field)
        found = set(index.exact.get(folded, ()))
        text = {fields is not None and field in fields for fields in self._text_fields}
        if words and text != {False}:
            holding = [index.words.get(word) for word in words]
            if all(ids is not None for ids in holding):
                found |= set.intersection(*(ids for ids in holding if ids is not None))
        exact = not index.others and (text == {False} or (text == {True} and len(words) <= 1))
        return Candidates(found | index.in_span(span) | index.others, exact)

    def range_ids(self, field: str, span: Span) -> Candidates:
        """See :meth:`CandidateIndex.range_ids <zammad_orm.testing.query.CandidateIndex>`:
        exact unless the field holds strings (compared as dates or as text), booleans or other
        values."""
        index = self._field(field)
        exact = not index.exact and not index.others
        return Candidates(index.in_span(span) | index.unsorted | index.others, exact)

    def free_text_ids(self, folded: str) -> Candidates | None:
        """See :meth:`CandidateIndex.free_text_ids <zammad_orm.testing.query.CandidateIndex>`:
        exact, as the corpus holds what :meth:`Document.free_text` does."""
        if self._corpus is None:
            self._corpus = Corpus(self.documents.items())
        found = self._corpus.holding(folded, limit=max(_FEW, len(self.documents) // 20))
        return None if found is None else Candidates(found, exact=True)

    def _field(self, name: str) -> FieldIndex:
        index = self._fields.get(name)
        if index is None:
            index = self._fields[name] = FieldIndex(name, self.documents)
        return index


@functools.lru_cache(maxsize=64)
def _joined(listed: tuple[str, ...], custom: tuple[str, ...]) -> tuple[str, ...]:
    """The text fields of a document with its custom text fields (one tuple for them all)."""
    return (*listed, *custom)


@functools.lru_cache(maxsize=64)
def _schema(names: tuple[str, ...]) -> dict[str, int]:
    return {name: position for position, name in enumerate(names)}


class _Row(Mapping[str, object]):
    """A search document's fields in little memory: the values in a tuple, the positions of
    the names shared by every document with the same names. Timestamps read as datetimes."""

    __slots__ = ("_positions", "_values")

    def __init__(self, fields: Mapping[str, Any]) -> None:
        self._positions = _schema(tuple(fields))
        self._values = tuple([to_datetime(value) for value in fields.values()])

    def get(self, key: str, default: Any = None) -> Any:
        position = self._positions.get(key)
        return default if position is None else self._values[position]

    def __getitem__(self, key: str) -> object:
        return self._values[self._positions[key]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._positions)

    def __len__(self) -> int:
        return len(self._positions)


#: free text found in more documents than this (or a twentieth of them) lists no candidates
_FEW = 200


def _same(old: Document, new: Document, name: str) -> bool:
    """Whether field ``name`` holds the same values (of the same types: ``True == 1``)."""
    before, after = old.values(name), new.values(name)
    return len(before) == len(after) and all(
        a == b and type(a) is type(b) for a, b in zip(before, after, strict=True)
    )
