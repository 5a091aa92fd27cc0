"""Fuzzing the object layer with replies that are valid JSON of the wrong shape: a scalar or a
list where a record is due, a record without an id (or with a string id, or another record's),
a page without a page's keys, assets that are not mappings, ids that are strings. Loads,
pages, searches, saves (PUT and POST replies) and lookup lists either work, when the reply has
the shape the endpoint answers, or raise UnexpectedResponse naming the request; never a
TypeError, AttributeError or KeyError from inside the library.

The replies are canned (see ``fuzzing.py``); ``ZAMMAD_ORM_FUZZ_CASES`` sets the case count.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fuzzing import FUZZ, CannedAdapter, fuzz_client, json_values
from hypothesis import event, given
from hypothesis import strategies as st

from zammad_orm import Client, UnexpectedResponse, ZammadError

pytestmark = pytest.mark.fuzz

JSON = {"Content-Type": "application/json; charset=utf-8"}

# -- what a reply of the right shape is: an oracle written apart from the library ------------


def is_int_id(value: Any) -> bool:
    return type(value) is int


def is_record(value: Any, ident: int | None = None) -> bool:
    return (
        isinstance(value, dict)
        and is_int_id(value.get("id"))
        and (ident is None or value["id"] == ident)
    )


def is_record_list(value: Any) -> bool:
    return isinstance(value, list) and all(is_record(item) for item in value)


def is_assets(value: Any, own: str) -> bool:
    return isinstance(value, dict) and all(
        isinstance(records, dict)
        and all(
            isinstance(record, dict) and (key != own or is_int_id(record.get("id")))
            for record in records.values()
        )
        for key, records in value.items()
    )


def is_page(value: Any, endpoint: str, own: str) -> bool:
    if isinstance(value, list):
        return is_record_list(value)
    if not isinstance(value, dict):
        return False
    if "records" in value:
        return is_record_list(value["records"])
    for key in ("record_ids", endpoint, f"{endpoint[:-1]}_ids"):
        if key in value:
            ids = value[key]
            return (
                isinstance(ids, list)
                and all(is_int_id(i) for i in ids)
                and is_assets(value.get("assets", {}), own)
            )
    return False


# -- replies near the right shape --------------------------------------------------------------

ids = st.integers(1, 50) | st.sampled_from(["7", "x", True, None, 1.5, -3, 0])
fields = st.dictionaries(
    st.sampled_from(["title", "name", "login", "note"]), json_values, max_size=2
)


@st.composite
def records(draw: st.DrawFn) -> Any:
    record = draw(fields)
    if draw(st.integers(0, 5)):
        record["id"] = draw(ids | st.just(7))
    if draw(st.booleans()):
        record["name"] = draw(st.sampled_from(["open", "closed"]) | json_values)
    return record


def assets(endpoint_key: str) -> st.SearchStrategy[Any]:
    group = st.dictionaries(
        st.text(max_size=3) | st.sampled_from(["7", "8"]), records(), max_size=3
    )
    keys = st.sampled_from([endpoint_key, "Group", "User", "Unknown"])
    return st.dictionaries(keys, group | json_values, max_size=3) | json_values


def pages(endpoint: str, own: str) -> st.SearchStrategy[Any]:
    id_list = st.lists(ids, max_size=4) | json_values
    return st.one_of(
        st.lists(records(), max_size=4),
        st.fixed_dictionaries({"records": st.lists(records(), max_size=3) | json_values}),
        st.fixed_dictionaries(
            {"record_ids": id_list, "assets": assets(own)},
            optional={"total_count": st.integers(0, 9)},
        ),
        st.fixed_dictionaries({endpoint: id_list, "assets": assets(own)}),
        st.fixed_dictionaries({f"{endpoint[:-1]}_ids": id_list}, optional={"assets": assets(own)}),
        st.dictionaries(st.text(max_size=6), json_values, max_size=3),
    )


def replies_for(shape: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return shape | records() | json_values


# -- the operations, each with the request path it names and the shape it needs -------------


def load(client: Client) -> Any:
    return client.tickets.get(7)


def page(client: Client) -> Any:
    return list(client.tickets.iter(page=1))


def ticket_search(client: Client) -> Any:
    return list(client.tickets.search("title:x"))  # keyset: asks again after the last id


def user_search(client: Client) -> Any:
    return list(client.users.search("x", page=1))


def save(client: Client) -> Any:
    ticket = client.tickets(7, info={"id": 7, "title": "Before"})
    ticket.title = "After"
    return ticket.save()


def create(client: Client) -> Any:
    return client.organizations.create(name="New")


def lookup(client: Client) -> Any:
    return client.ticket_states.id_for("open")


def custom_fields(client: Client) -> Any:
    return client.object_attributes.fields_for(type(client.tickets(7)))


Operation = tuple[Callable[[Client], Any], str, Callable[[Any], bool], st.SearchStrategy[Any]]

OPERATIONS: dict[str, Operation] = {
    "load": (load, "/tickets/7", lambda r: is_record(r, 7), replies_for(records())),
    "page": (
        page,
        "/tickets",
        lambda r: is_page(r, "tickets", "Ticket"),
        replies_for(pages("tickets", "Ticket")),
    ),
    "ticket search": (
        ticket_search,
        "/tickets/search",
        lambda r: is_page(r, "tickets", "Ticket"),
        replies_for(pages("tickets", "Ticket")),
    ),
    "user search": (
        user_search,
        "/users/search",
        lambda r: is_page(r, "users", "User"),
        replies_for(pages("users", "User")),
    ),
    "save": (save, "/tickets/7", lambda r: is_record(r, 7), replies_for(records())),
    "create": (create, "/organizations", is_record, replies_for(records())),
    "lookup": (
        lookup,
        "/ticket_states",
        is_record_list,
        replies_for(st.lists(records(), max_size=4)),
    ),
    "custom fields": (
        custom_fields,
        "/object_manager_attributes",
        is_record_list,
        replies_for(st.lists(records(), max_size=3)),
    ),
}


@st.composite
def cases(draw: st.DrawFn) -> tuple[str, Any]:
    name = draw(st.sampled_from(sorted(OPERATIONS)))
    return name, draw(OPERATIONS[name][3])


@FUZZ
@given(case=cases())
def test_a_reply_of_the_wrong_shape_raises_unexpected_response_naming_the_request(
    case: tuple[str, Any],
) -> None:
    name, reply = case
    operation, path, right_shape, _replies = OPERATIONS[name]
    client = fuzz_client(CannedAdapter([(200, JSON, json.dumps(reply).encode())]))
    try:
        outcome = outcome_of(operation, client)
    finally:
        client.close()
    right = right_shape(reply)
    event(f"{name}: {'right' if right else 'wrong'} shape")
    if isinstance(outcome, LookupError):  # a list of the right shape without "open"
        assert (name, str(outcome)) == ("lookup", outcome_message(outcome))
    elif right:
        assert not isinstance(outcome, ZammadError), f"{name} refused {reply!r}: {outcome}"
    else:
        assert isinstance(outcome, UnexpectedResponse), f"{name} took {reply!r}"
        assert path in str(outcome), f"{outcome} does not name {path}"
        assert outcome.url is not None
        assert path in outcome.url


def outcome_of(operation: Callable[[Client], Any], client: Client) -> Any:
    """What ``operation`` returned, or the UnexpectedResponse or LookupError it raised."""
    try:
        return operation(client)
    except (UnexpectedResponse, LookupError) as error:
        return error


def outcome_message(error: LookupError) -> str:
    choices = getattr(error, "choices", None)
    assert choices is not None, f"not a ResourceLookupError: {error!r}"
    return f"no state is named 'open'; choose one of: {', '.join(map(repr, choices))}"


def test_a_record_without_an_id_names_the_request_and_what_was_expected() -> None:
    client = fuzz_client(CannedAdapter([(200, JSON, b'{"title": "no id"}')]))
    with pytest.raises(UnexpectedResponse) as caught:
        client.tickets.get(7)
    assert str(caught.value) == (
        "GET https://zammad.test/api/v1/tickets/7 answered a record without an integer id "
        "(id: None), where a Ticket record was expected"
    )
    assert caught.value.method == "GET"


def test_another_records_reply_is_not_cached_as_this_one() -> None:
    client = fuzz_client(CannedAdapter([(200, JSON, b'{"id": 8, "title": "not 7"}')]))
    with pytest.raises(UnexpectedResponse, match="the record with id 8 instead of 7"):
        client.tickets.get(7)
    assert client.cache.record(client.tickets._key(7, None)) is None


def test_a_page_with_string_ids_is_refused() -> None:
    reply = {"record_ids": ["7"], "assets": {}}
    client = fuzz_client(CannedAdapter([(200, JSON, json.dumps(reply).encode())]))
    with pytest.raises(UnexpectedResponse, match=r"record_ids\[0\] is the str '7', not an id"):
        list(client.tickets.iter(page=1))


def test_assets_that_are_not_mappings_are_refused() -> None:
    reply = {"record_ids": [7], "assets": {"Ticket": [{"id": 7}]}}
    client = fuzz_client(CannedAdapter([(200, JSON, json.dumps(reply).encode())]))
    with pytest.raises(UnexpectedResponse, match=r"assets\['Ticket'\] is a list"):
        list(client.tickets.search("x", page=1))


def test_a_save_answered_with_the_wrong_shape_keeps_its_changes_and_may_have_landed() -> None:
    client = fuzz_client(CannedAdapter([(200, JSON, b"[]")]))
    ticket = client.tickets(7, info={"id": 7, "title": "Before"})
    ticket.title = "After"
    with pytest.raises(UnexpectedResponse, match=r"PUT .*/tickets/7 answered a list") as caught:
        ticket.save()
    assert caught.value.maybe_applied
    assert ticket.changes["title"][1] == "After"
