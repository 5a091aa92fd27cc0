"""The fake server's column indexes follow every write (the whole suite also checks each
lookup against a scan: see ``tests/conftest.py``)."""

from __future__ import annotations

import copy

import pytest
from raw_api import Api

from zammad_orm.testing import FakeZammad
from zammad_orm.testing.indexes import ColumnIndex, Record, Table


def _articles_of(table: Table, ticket_id: int) -> list[int]:
    return table.index("ticket_id").ids(ticket_id)


@pytest.fixture
def table() -> Table:
    """An articles table with two records on ticket 1 and one on ticket 2."""
    articles = Table("ticket_articles", ["ticket_id"])
    for ident, ticket_id in ((1, 1), (2, 1), (3, 2)):
        articles[ident] = Record(id=ident, ticket_id=ticket_id)
    return articles


def test_a_lookup_finds_the_records_holding_the_value_by_id(table: Table) -> None:
    assert _articles_of(table, 1) == [1, 2]
    assert table.index("ticket_id").records(2) == [{"id": 3, "ticket_id": 2}]
    assert _articles_of(table, 9) == []


def test_a_record_moved_by_assignment_or_update_is_found_under_its_new_value(
    table: Table,
) -> None:
    table[1]["ticket_id"] = 2
    table[2].update(ticket_id=3)
    assert (_articles_of(table, 1), _articles_of(table, 2), _articles_of(table, 3)) == (
        [], [1, 3], [2]
    )  # fmt: skip


def test_removing_the_column_or_the_record_drops_it_from_the_index(table: Table) -> None:
    table[1].pop("ticket_id")
    del table[3]
    table.pop(2)
    assert (_articles_of(table, 1), _articles_of(table, 2)) == ([], [])


def test_a_replaced_record_is_indexed_by_its_new_value(table: Table) -> None:
    old = table[1]
    table[1] = Record(id=1, ticket_id=5)
    old["ticket_id"] = 7  # no longer stored: its changes do not count
    assert (_articles_of(table, 1), _articles_of(table, 5), _articles_of(table, 7)) == (
        [2], [1], []
    )  # fmt: skip


def test_copies_of_a_record_are_plain_dicts(table: Table) -> None:
    duplicate = copy.deepcopy(table[1])
    assert type(duplicate) is dict
    assert duplicate == table[1]
    duplicate["ticket_id"] = 2
    assert _articles_of(table, 2) == [3]


def test_a_plain_dict_makes_the_table_answer_by_scanning(table: Table) -> None:
    plain = {"id": 4, "ticket_id": 1}
    table[4] = plain
    plain["ticket_id"] = 2  # unreported, yet found
    assert not table.trusted
    assert (_articles_of(table, 1), _articles_of(table, 2)) == ([1, 2], [3, 4])


def test_verification_catches_a_stale_index(table: Table) -> None:
    dict.__setitem__(table[1], "ticket_id", 2)  # behind the index's back
    assert ColumnIndex.verify
    with pytest.raises(AssertionError, match="stale"):
        _articles_of(table, 1)


def test_a_table_knows_whether_it_iterates_by_ascending_id() -> None:
    tickets = Table("tickets")
    tickets[1], tickets[3] = {"id": 1}, {"id": 3}
    assert tickets.ascending
    tickets[2] = {"id": 2}
    assert not tickets.ascending


def test_a_ticket_lists_the_articles_a_merge_moved_to_it(server: FakeZammad, api: Api) -> None:
    source, target = api.ticket(title="Source"), api.ticket(title="Target")
    api.ok("POST", "/ticket_articles", json={"ticket_id": source["id"], "body": "Moved"})
    api.ok("PUT", f"/ticket_merge/{source['id']}/{target['number']}")
    moved = api.ok("GET", f"/ticket_articles/by_ticket/{target['id']}")
    assert [a["body"] for a in moved] == ["Moved"]
    assert api.ok("GET", f"/tickets/{target['id']}", params={"expand": "true"})["article_ids"] == [
        a["id"] for a in moved
    ]


def test_a_deleted_ticket_takes_its_articles_and_bookings_out_of_the_indexes(
    server: FakeZammad, api: Api
) -> None:
    ticket = api.ticket(article={"body": "Hello"}, time_unit=2)
    api.ok("DELETE", f"/tickets/{ticket['id']}")
    store = server.app.store
    assert store.tables["ticket_articles"].index("ticket_id").ids(ticket["id"]) == []
    assert store.tables["time_accountings"].index("ticket_id").ids(ticket["id"]) == []
