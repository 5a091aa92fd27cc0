"""Fuzzing the attribute API: whatever a caller assigns (to a declared field, a relation, a
relation list, a write-only key, a custom field, a raw key), the object either records a change
whose payload is valid JSON, or raises a clear TypeError, ValueError, AttributeError or
LookupError naming the field and stays exactly as it was.

The objects live on the fake server over real HTTP; the assignments themselves send nothing
(a name given for a lookup table may read its list). The case count per test is
``ZAMMAD_ORM_FUZZ_CASES`` (150 by default)::

    ZAMMAD_ORM_FUZZ_CASES=10000 python -m pytest -m fuzz tests/test_attribute_fuzz.py
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import json
import types
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fuzzing import FUZZ
from hypothesis import given
from hypothesis import strategies as st

from zammad_orm import Client, UnsavedResourceError
from zammad_orm.changes import same
from zammad_orm.fields import Field, Relation, RelationList
from zammad_orm.resource import Resource
from zammad_orm.testing import FakeZammad

pytestmark = pytest.mark.fuzz

#: what a refused assignment may raise (ResourceLookupError and NotFound are LookupErrors;
#: an article's ``files`` naming no file raises FileNotFoundError, as ``open`` would)
REFUSALS = (TypeError, ValueError, AttributeError, LookupError, FileNotFoundError)

CUSTOM_ATTRIBUTES: list[dict[str, Any]] = [
    {"name": "fz_text", "data_type": "input", "data_option": {"type": "text", "maxlength": 50}},
    {"name": "fz_tier", "data_type": "select",
     "data_option": {"options": {"gold": "Gold", "silver": "Silver"}, "default": ""}},
    {"name": "fz_regions", "data_type": "multiselect",
     "data_option": {"options": {"eu": "Europe", "us": "America"}, "default": []}},
    {"name": "fz_seats", "data_type": "integer", "data_option": {"min": 1, "max": 100}},
    {"name": "fz_flag", "data_type": "boolean",
     "data_option": {"options": {"true": "yes", "false": "no"}, "default": False}},
    {"name": "fz_day", "data_type": "date", "data_option": {"diff": 0}},
    {"name": "fz_moment", "data_type": "datetime",
     "data_option": {"diff": 0, "future": True, "past": True}},
]  # fmt: skip


class BrokenRepr:
    """An object whose repr fails: error messages must still come out."""

    def __repr__(self) -> str:
        raise RuntimeError("no repr for you")

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("no comparison either")

    __hash__ = object.__hash__


class Colour(str, enum.Enum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


class Ratio(float):
    pass


def _self_containing() -> list[Any]:
    loop: list[Any] = [1]
    loop.append(loop)
    return loop


def _deep(depth: int) -> Any:
    value: Any = "bottom"
    for _ in range(depth):
        value = [value]
    return value


scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([0, -1, 1, 2, 3, 4, 999_999, 2**63 - 1, 2**63, -(2**70), 10**30])
    | st.floats()
    | st.sampled_from([float("nan"), float("inf"), -float("inf"), -0.0, 1e308])
    | st.text(max_size=20)
    | st.text(st.characters(exclude_categories=()), max_size=12)  # lone surrogates too
    | st.sampled_from(
        ["open", "closed", "2 normal", "Users", "Admin", "Agent", "admin@example.com",
         "Zammad Foundation", "gold", "eu", "", " ", "\x00", "\ud800"]
    )
    | st.integers(100_000, 100_002).map(lambda length: "é" * length)  # huge
)  # fmt: skip

odd_objects = st.sampled_from(
    [
        b"bytes",
        bytearray(b"ba"),
        decimal.Decimal("1.5"),
        decimal.Decimal("NaN"),
        1 + 2j,
        {1, 2},
        frozenset({"a"}),
        object(),
        BrokenRepr(),
        len,
        int,
        Ellipsis,
        NotImplemented,
        Colour.RED,
        Level.HIGH,
        Ratio(float("nan")),
        Ratio(1.5),
        range(3),
        types.MappingProxyType({"a": 1}),
        dt.time(12, 0),
        dt.timedelta(days=1),
        dt.date(2030, 1, 31),
        dt.date.min,
        dt.datetime(2030, 1, 31, 12, 0),  # naive
        dt.datetime(2030, 1, 31, 12, 0, tzinfo=dt.timezone.utc),
        dt.datetime.min.replace(tzinfo=dt.timezone(dt.timedelta(hours=5))),  # overflows in UTC
        dt.datetime.max.replace(tzinfo=dt.timezone(dt.timedelta(hours=-5))),
        _self_containing(),
        _deep(95),
        _deep(40),
        {1: "int key"},
        {None: "null key"},
        {("a",): "tuple key"},
        {"\ud800": "surrogate key"},
        {"ok": {"nested": [1, 2.5, None, True, {"x": float("nan")}]}},
        {"ok": [object()]},
        ("a", "tuple"),
        [1, "two", None, True],
        [1, 2, 3],
        [True, False],
        ["eu", "us"],
        {"body": "An article", "type": "note", "internal": True},
        {"body": "With files", "files": [("a.txt", b"hello")]},
        {"body": "Bad files", "files": 42},
        {"body": "Bad files", "files": [("only a name",)]},
        {"body": "Missing file", "files": ["/no/such/file.txt"]},
        {"body": "Odd attachments", "attachments": 5, "files": []},
    ]
)

json_like = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=5) | st.integers(), inner, max_size=4)
        | st.tuples(inner, inner)
    ),
    max_leaves=10,
)


@dataclass
class World:
    """The objects the fuzzer assigns to, and the related objects it assigns."""

    client: Client
    targets: list[Resource]
    related: list[Any]


@pytest.fixture
def world(zammad_server: FakeZammad, zammad_client: Client) -> Iterator[World]:
    client = zammad_client
    for attribute in CUSTOM_ATTRIBUTES:
        body = {"object": "Ticket", "display": attribute["name"], "active": True, **attribute}
        client.post("object_manager_attributes", json=body)
    client.post("object_manager_attributes_execute_migrations")
    ident = client.post("tickets", json={"title": "Fuzzed", "group": "Users", "customer_id": 2})
    ticket = client.tickets.get(ident["id"])
    targets: list[Resource] = [
        ticket,
        client.users.get(3),
        client.organizations.get(1),
        client.groups.get(1),
        client.roles.get(2),
        client.tickets.new(),
        client.users.new(),
    ]
    for target in targets:
        target.view()  # loaded: no assignment below needs a GET of the record itself
    other = Client(zammad_server.url, http_token=zammad_server.token)
    related = [
        client.groups(1),
        client.users(2),
        client.users(3),
        client.ticket_states(2),
        client.ticket_priorities(2),
        client.organizations(1),
        client.roles(1),
        client.tickets(ticket.id),
        client.groups.new(name="Unsaved"),
        other.groups(1),
        other.users(2),
    ]
    yield World(client, targets, related)
    other.close()


@dataclass(frozen=True)
class Target:
    """Where to assign: an object and how (``attr`` through setattr, ``key`` by item)."""

    index: int
    how: str
    name: str


def names_of(obj: Resource) -> list[tuple[str, str]]:
    """Every way the fuzzer assigns to ``obj``: its declared attributes (read-only ones
    too), custom fields, the raw id keys behind relations, and raw keys."""
    declared = [("attr", name) for name in sorted(type(obj)._declared)]
    custom = [("attr", name) for name in sorted(obj._client._custom_fields(type(obj)))]
    id_keys = [("attr", key) for key in sorted(type(obj)._declared_keys - type(obj)._declared)]
    raw = [("key", key) for key in ("note", "preferences", "custom_raw", "group_id", "role_ids")]
    return declared + custom + id_keys + raw


@st.composite
def assignments(draw: st.DrawFn, world: World) -> tuple[Target, Any]:
    index = draw(st.integers(0, len(world.targets) - 1))
    how, name = draw(st.sampled_from(names_of(world.targets[index])))
    value = draw(json_like | odd_objects | st.sampled_from(world.related) | related_lists(world))
    return Target(index, how, name), value


def related_lists(world: World) -> st.SearchStrategy[Any]:
    items = st.sampled_from(world.related) | scalars
    return st.lists(items, max_size=3) | st.tuples(items) | st.lists(items, max_size=2).map(iter)


def baseline(obj: Resource) -> None:
    """Give ``obj`` pending changes the refused assignment must leave alone."""
    if "note" in type(obj)._declared:
        obj["note"] = "pending before"
    if not obj.is_new and isinstance(obj._data.get("preferences"), dict):
        preferences = obj["preferences"]
        preferences["fuzz_edit"] = 1  # an in-place edit


def mentions_the_field(error: BaseException, obj: Resource, name: str) -> bool:
    text = str(error)
    descriptor = getattr(type(obj), name, None)
    keys = {name}
    if isinstance(descriptor, Field):
        keys.add(descriptor.name)
    if isinstance(descriptor, Relation):
        keys.add(descriptor.id_field)
    if isinstance(descriptor, RelationList):
        keys.add(descriptor.ids_field)
    return any(key in text for key in keys)


def refusal(obj: Resource, target: Target, value: Any) -> BaseException | None:
    """Assign ``value``; the exception if it was refused, else None."""
    try:
        if target.how == "attr":
            setattr(obj, target.name, value)
        else:
            obj[target.name] = value
    except REFUSALS as error:
        return error
    return None


def payload_of(obj: Resource) -> dict[str, Any] | None:
    """What a save would send; None when a relation holds an object not saved yet (the
    commit creates it first, a save raises UnsavedResourceError naming it)."""
    unsaved = [value for value in obj._pending.values() if getattr(value, "is_new", False)]
    if unsaved:
        with pytest.raises(UnsavedResourceError, match="not saved yet"):
            obj._outgoing()
        return None
    return obj._outgoing().payload


@FUZZ
@given(data=st.data())
def test_an_assignment_records_sendable_json_or_raises_naming_the_field(
    world: World, data: st.DataObject
) -> None:
    target, value = data.draw(assignments(world))
    obj = world.targets[target.index]
    obj.discard_changes()
    baseline(obj)
    before = obj.changes
    error = refusal(obj, target, value)
    try:
        if error is not None:
            assert mentions_the_field(error, obj, target.name), f"{error!r} does not name it"
            assert same(obj.changes, before), "a refused assignment changed the object"
        else:
            json.dumps(payload_of(obj), allow_nan=False)
    finally:
        obj.discard_changes()


def test_nan_and_infinity_are_refused_before_the_wire(world: World) -> None:
    ticket = world.targets[0]
    for value in (float("nan"), float("inf"), {"x": [float("-inf")]}):
        with pytest.raises(ValueError, match=r"Ticket\.preferences cannot be sent"):
            ticket.preferences = value if isinstance(value, dict) else {"ratio": value}
        with pytest.raises(ValueError, match=r"Ticket\.custom_raw cannot be sent"):
            ticket["custom_raw"] = value
    assert not ticket.changes


def test_a_refused_value_names_the_field_and_where_inside_it(world: World) -> None:
    ticket = world.targets[0]
    with pytest.raises(TypeError, match=r"Ticket\.preferences .*\['a'\]\[1\] is \{1, 2\}, a set"):
        ticket.preferences = {"a": [0, {1, 2}]}
    with pytest.raises(TypeError, match=r"Ticket\.preferences .*has the key 1: JSON keys are str"):
        ticket.preferences = {1: "x"}
    with pytest.raises(ValueError, match=r"lone surrogate"):
        ticket.title = "bad \ud800 text"


def test_an_id_key_takes_positive_ints_only(world: World) -> None:
    ticket, user = world.targets[0], world.targets[1]
    with pytest.raises(TypeError, match=r"Ticket\.state_id takes an id"):
        ticket.state_id = "closed"
    with pytest.raises(ValueError, match=r"Ticket\.group_id takes a record id from 1"):
        ticket["group_id"] = 0
    with pytest.raises(ValueError, match=r"group takes a record id from 1"):
        ticket.group = -5
    with pytest.raises(TypeError, match=r"User\.role_ids\[1\] takes an id"):
        user.role_ids = [1, "2"]
    ticket.state_id = 4
    assert ticket.changes["state_id"][1] == 4


def test_a_datetime_out_of_range_in_utc_is_a_value_error_naming_the_field(world: World) -> None:
    ticket = world.targets[0]
    early = dt.datetime.min.replace(tzinfo=dt.timezone(dt.timedelta(hours=5)))
    with pytest.raises(ValueError, match="pending_time"):
        ticket.pending_time = early
    with pytest.raises(ValueError, match=r"pending_time.*timezone-aware"):
        ticket.pending_time = dt.datetime(2030, 1, 1)


def test_an_article_with_a_missing_file_names_the_field(world: World) -> None:
    ticket = world.targets[0]
    with pytest.raises(FileNotFoundError, match=r"Ticket\.article: files\[0\]: no such file"):
        ticket.article = {"body": "x", "files": ["/no/such/file.txt"]}
    assert not ticket.changes
