"""Tables of resources for analysis: :func:`to_records` and :func:`to_dataframe`.

Both take any iterable of resources (a search, a list, a page) and a list of dotted field
paths (``"state.name"``, ``"customer.email"``). Before reading, whatever the rows need and the
objects do not hold is loaded in bulk, never one request per row:

* records of a lookup table (states, priorities, groups, roles) come from its one cached list;
* other searchable families (users, organizations, tickets) from one search per 200 ids
  (``id:(3 OR 7 OR ...)``), which also brings their related records;
* anything still missing (a family without search, a search the acting user may not run)
  loads on its own; a record the user may not see reads as ``None``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from zammad_orm.display import default_fields, table_html
from zammad_orm.errors import Forbidden, NotFound
from zammad_orm.fields import Field, Relation, RelationList
from zammad_orm.lookup import LookupManager
from zammad_orm.manager import Manager, SearchableManager
from zammad_orm.paths import ABSENT, read_path, related_handles, split_path
from zammad_orm.resource import Resource

if TYPE_CHECKING:
    import pandas

__all__ = ["Records", "to_dataframe", "to_records"]

#: a tree of field paths: ``{"customer": {"email": {}}, "title": {}}``
_Tree = dict[str, "_Tree"]


class Records(list[dict[str, Any]]):
    """Rows as dicts (one per resource), in the order given; renders as an HTML table in
    Jupyter.

    :param fields: the column names, in order
    :param rows: the rows
    """

    def __init__(self, fields: Sequence[str], rows: Iterable[dict[str, Any]] = ()) -> None:
        super().__init__(rows)
        #: the column names, in order
        self.fields: tuple[str, ...] = tuple(fields)

    def _repr_html_(self) -> str:
        return table_html(self.fields, [[row.get(name) for name in self.fields] for row in self])


def _raw_key(obj: Resource, step: str) -> str:
    descriptor = getattr(type(obj), step, None)
    if isinstance(descriptor, Field):
        return descriptor.name
    if isinstance(descriptor, Relation):
        return descriptor.id_field
    if isinstance(descriptor, RelationList):
        return descriptor.ids_field
    return step


def _lacks(obj: Resource, tree: _Tree) -> bool:
    if obj.is_loaded or obj.is_new:
        return False
    return any(
        _raw_key(obj, step) not in obj._data and _raw_key(obj, step) not in obj._pending
        for step in tree
    )


def _search_ids(manager: SearchableManager[Any], ids: list[int]) -> None:
    cap = manager.search_page_cap
    for start in range(0, len(ids), cap):
        chunk = ids[start : start + cap]
        query = "id:(" + " OR ".join(str(ident) for ident in chunk) + ")"
        list(
            manager.search(query, per_page=cap, page=1)
        )  # absorbed into the shared cache and the unit


def _from_cache(obj: Resource) -> bool:
    """Load ``obj`` from a complete record in the shared cache (no request); True if done."""
    record = obj.client.cache.record(obj.manager._key(obj._data.get("id"), obj._acting_as))
    if record is None or not record.complete:
        return False
    obj._load()
    return True


def _load_bulk(objects: list[Resource]) -> None:
    """Load every object of ``objects`` with as few requests as their families allow."""
    groups: dict[tuple[int, str | None], list[Resource]] = defaultdict(list)
    managers: dict[int, Manager[Any]] = {}
    for obj in objects:
        if _from_cache(obj):
            continue
        manager = obj.manager
        managers[id(manager)] = manager
        groups[(id(manager), obj._acting_as)].append(obj)
    for (manager_id, acting_as), members in groups.items():
        manager = managers[manager_id]
        try:
            with manager.client._acting(acting_as):
                if isinstance(manager, LookupManager):
                    manager._index(acting_as, refresh=True)
                elif isinstance(manager, SearchableManager):
                    _search_ids(manager, sorted({int(obj._data["id"]) for obj in members}))
        except Forbidden:
            pass  # this user may not search: load one by one below
        for obj in members:
            if not obj.is_loaded:
                try:
                    obj._load()
                except (Forbidden, NotFound):
                    continue  # not visible to this user: its cells read None


def _unique(objects: Iterable[Resource]) -> list[Resource]:
    seen: set[int] = set()
    unique: list[Resource] = []
    for obj in objects:
        if id(obj) not in seen:
            seen.add(id(obj))
            unique.append(obj)
    return unique


def _prefetch(objects: list[Resource], tree: _Tree) -> None:
    """Load what reading the paths of ``tree`` from ``objects`` needs, level by level."""
    missing = [obj for obj in objects if _lacks(obj, tree)]
    if missing:
        _load_bulk(missing)
    for step, subtree in tree.items():
        related = _unique(handle for obj in objects for handle in related_handles(obj, step))
        if not related:
            continue
        # a path ending on a relation shows the related object's label
        wanted = subtree or {type(related[0]).label_field: {}}
        _prefetch(related, wanted)


def _tree_of(paths: Iterable[tuple[str, ...]]) -> _Tree:
    tree: _Tree = {}
    for steps in paths:
        node = tree
        for step in steps:
            node = node.setdefault(step, {})
    return tree


def _declared(obj: Resource, steps: tuple[str, ...]) -> bool:
    """Whether every step of the path is an attribute the resource classes declare."""
    cls: type[Resource] = type(obj)
    for position, step in enumerate(steps):
        descriptor = getattr(cls, step, None)
        last = position == len(steps) - 1
        if isinstance(descriptor, Field):
            return last
        if not isinstance(descriptor, Relation | RelationList):
            return False
        if last:
            return True
        cls = obj._manager_for(descriptor.manager_name).resource_class
    return False


def to_records(objects: Iterable[Resource], fields: Sequence[str] | None = None) -> Records:
    """One dict per resource, with the values at the dotted ``fields``.

    Relations are resolved through the unit of work and the shared cache; what the objects
    lack is loaded in bulk first (see the module's docstring), so a page of tickets with
    ``customer.email`` costs at most one more request, not one per ticket. A path ending on a
    relation gives the related record's label (``"state"`` gives the state's name); an empty
    relation on the way gives ``None``.

    :param objects: resources, e.g. ``client.tickets.search("state.name:open")``
    :param fields: dotted attribute paths; default
        :data:`~zammad_orm.display.DEFAULT_FIELDS` for the family
    :raises ValueError: a path that no object holds and no class declares (a typo)
    :raises TypeError: an item that is not a resource
    """
    items = list(objects)
    for item in items:
        if not isinstance(item, Resource):
            raise TypeError(f"to_records takes resources, got {item!r}")
    if fields is None:
        columns = default_fields(type(items[0])) if items else ("id",)
    elif isinstance(fields, str):
        raise TypeError(f"fields is a list of paths, got the string {fields!r}")
    else:
        columns = tuple(fields)
    paths = [split_path(name) for name in columns]
    _prefetch(_unique(items), _tree_of(paths))
    rows: list[dict[str, Any]] = []
    held: set[str] = set()
    for obj in items:
        row: dict[str, Any] = {}
        for name, steps in zip(columns, paths, strict=True):
            value = read_path(obj, steps)
            if value is not ABSENT:
                held.add(name)
            row[name] = None if value is ABSENT else value
        rows.append(row)
    unknown = [
        name
        for name, steps in zip(columns, paths, strict=True)
        if items and name not in held and not _declared(items[0], steps)
    ]
    if unknown:
        kind = type(items[0]).__name__.lower()
        raise ValueError(f"no {kind} has the field(s) {', '.join(map(repr, unknown))}")
    return Records(columns, rows)


def to_dataframe(
    objects: Iterable[Resource], fields: Sequence[str] | None = None
) -> pandas.DataFrame:
    """:func:`to_records` as a :class:`pandas.DataFrame` (``pip install
    'zammad_orm[pandas]'``), one column per field path, in order."""
    try:
        import pandas
    except ImportError:
        raise ImportError("to_dataframe needs pandas: pip install 'zammad_orm[pandas]'") from None
    records = to_records(objects, fields)
    frame: pandas.DataFrame = pandas.DataFrame.from_records(
        list(records), columns=list(records.fields)
    )
    return frame
