"""to_records and to_dataframe: rows of dotted fields, relations resolved in bulk."""

from __future__ import annotations

import datetime as dt

import pandas
import pytest
from support import NewTicket

from zammad_orm import Client, to_dataframe, to_records
from zammad_orm.testing import FakeZammad


def test_rows_hold_the_values_at_dotted_paths(zammad_client: Client) -> None:
    rows = to_records(
        [zammad_client.tickets.get(1)],
        ["id", "title", "state.name", "customer.email", "customer.organization.name"],
    )
    assert rows == [
        {
            "id": 1,
            "title": "Welcome to Zammad!",
            "state.name": "new",
            "customer.email": "nicole.braun@zammad.org",
            "customer.organization.name": "Zammad Foundation",
        }
    ]


def test_a_path_ending_on_a_relation_gives_its_label(zammad_client: Client) -> None:
    rows = to_records([zammad_client.tickets.get(1)], ["state", "customer", "priority"])
    assert rows == [{"state": "new", "customer": "nicole.braun@zammad.org", "priority": "2 normal"}]


def test_timestamps_are_aware_datetimes(zammad_client: Client) -> None:
    (row,) = to_records([zammad_client.tickets.get(1)], ["created_at"])
    assert isinstance(row["created_at"], dt.datetime)
    assert row["created_at"].tzinfo is not None


def test_an_empty_relation_on_the_way_reads_none(zammad_client: Client) -> None:
    user = zammad_client.users.get(3)
    assert to_records([user], ["organization.name"]) == [{"organization.name": None}]


def test_unloaded_handles_load_with_one_search_not_one_request_each(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ids = [1] + [new_ticket(title=f"Ticket {n}") for n in range(5)]
    fresh = Client(zammad_server.url, http_token=zammad_server.token)
    zammad_server.clear_requests()
    rows = to_records([fresh.tickets(ident) for ident in ids], ["title", "state", "customer.email"])
    assert [row["title"] for row in rows] == ["Welcome to Zammad!"] + [
        f"Ticket {n}" for n in range(5)
    ]
    assert [(r.method, r.endpoint) for r in zammad_server.requests] == [
        ("GET", "/tickets/search"),
        ("GET", "/ticket_states"),
    ]
    assert zammad_server.requests[0].query["query"] == "id:(1 OR 2 OR 3 OR 4 OR 5 OR 6)"


def test_records_of_a_search_page_cost_no_request_for_the_records_it_brought(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    tickets = list(zammad_client.tickets.search("welcome"))
    zammad_server.clear_requests()
    to_records(tickets, ["customer.email", "owner.login", "group.name"])
    assert zammad_server.requests == []


def test_a_mistyped_field_is_named_in_the_error(zammad_client: Client) -> None:
    with pytest.raises(ValueError, match="no ticket has the field\\(s\\) 'titel'"):
        to_records([zammad_client.tickets.get(1)], ["title", "titel"])


def test_anything_but_resources_is_refused(zammad_client: Client) -> None:
    with pytest.raises(TypeError, match="to_records takes resources, got 1"):
        to_records([1], ["id"])


def test_fields_given_as_one_string_are_refused(zammad_client: Client) -> None:
    with pytest.raises(TypeError, match="list of paths"):
        to_records([zammad_client.tickets.get(1)], "title")


def test_without_fields_a_family_gets_its_default_columns(zammad_client: Client) -> None:
    rows = to_records(zammad_client.users.search("nicole"))
    assert rows.fields == (
        "id",
        "login",
        "firstname",
        "lastname",
        "email",
        "organization.name",
        "active",
    )


def test_records_render_as_an_html_table(zammad_client: Client) -> None:
    shown = to_records([zammad_client.tickets.get(1)], ["id", "title"])._repr_html_()
    assert "<thead><tr><th>id</th><th>title</th></tr></thead>" in shown
    assert "<tr><td>1</td><td>Welcome to Zammad!</td></tr>" in shown


def test_a_dataframe_has_one_column_per_field_in_order(zammad_client: Client) -> None:
    frame = to_dataframe(zammad_client.users.search("*"), ["login", "organization.name"])
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame.columns) == ["login", "organization.name"]
    nicole = frame[frame["login"] == "nicole.braun@zammad.org"]
    assert nicole["organization.name"].tolist() == ["Zammad Foundation"]


def test_an_empty_iterable_gives_an_empty_dataframe_with_the_columns(zammad_client: Client) -> None:
    frame = to_dataframe([], ["id", "title"])
    assert list(frame.columns) == ["id", "title"]
    assert len(frame) == 0
