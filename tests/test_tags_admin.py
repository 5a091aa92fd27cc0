"""``client.tags`` as the admin list of tags: a cached mapping of names, written by name or id."""

from __future__ import annotations

import pytest
from support import NewTicket, last, wire

from zammad_orm import Client
from zammad_orm.testing import FakeZammad


@pytest.fixture
def tagged(zammad_client: Client, new_ticket: NewTicket, zammad_server: FakeZammad) -> int:
    """A ticket tagged ``urgent`` and ``billing`` (raw requests, cleared)."""
    ident = new_ticket(tags="urgent,billing")
    zammad_server.clear_requests()
    return ident


def test_iterating_gives_id_name_and_count_by_name(zammad_client: Client, tagged: int) -> None:
    listed = list(zammad_client.tags)
    assert [(tag["name"], tag["count"]) for tag in listed] == [("billing", 1), ("urgent", 1)]
    assert all(isinstance(tag["id"], int) for tag in listed)


def test_the_list_is_read_once_for_many_lookups(
    zammad_client: Client, tagged: int, zammad_server: FakeZammad
) -> None:
    assert "urgent" in zammad_client.tags
    assert zammad_client.tags["billing"]["count"] == 1
    assert len(zammad_client.tags) == 2
    assert wire(zammad_server) == [("GET", "/tag_list")]


def test_a_tag_handed_out_is_a_copy(zammad_client: Client, tagged: int) -> None:
    zammad_client.tags["urgent"]["count"] = 99
    assert zammad_client.tags["urgent"]["count"] == 1


def test_an_unknown_name_raises_key_error_with_close_names(
    zammad_client: Client, tagged: int
) -> None:
    with pytest.raises(KeyError, match="no tag is named 'urgnet'; did you mean 'urgent'"):
        zammad_client.tags["urgnet"]


def test_renaming_by_name_sends_the_id_and_refreshes_the_list(
    zammad_client: Client, tagged: int, zammad_server: FakeZammad
) -> None:
    ident = zammad_client.tags["urgent"]["id"]
    zammad_client.tags.rename("urgent", "critical")
    assert (last(zammad_server).method, last(zammad_server).endpoint) == (
        "PUT",
        f"/tag_list/{ident}",
    )
    assert last(zammad_server).json == {"name": "critical"}
    assert "critical" in zammad_client.tags
    assert "urgent" not in zammad_client.tags
    assert zammad_client.tags.of(tagged) == ["critical", "billing"]


def test_renaming_onto_an_existing_name_merges_the_two(zammad_client: Client, tagged: int) -> None:
    zammad_client.tags.rename("urgent", "billing")
    assert [tag["name"] for tag in zammad_client.tags] == ["billing"]
    assert zammad_client.tags.of(tagged) == ["billing"]


def test_deleting_by_id_takes_the_tag_off_every_ticket(zammad_client: Client, tagged: int) -> None:
    zammad_client.tags.delete(zammad_client.tags["urgent"]["id"])
    assert zammad_client.tags.of(tagged) == ["billing"]
    assert "urgent" not in zammad_client.tags


def test_writes_naming_an_unknown_tag_send_nothing(
    zammad_client: Client, tagged: int, zammad_server: FakeZammad
) -> None:
    with pytest.raises(KeyError, match="no tag is named 'nope'"):
        zammad_client.tags.delete("nope")
    with pytest.raises(KeyError, match="no tag is numbered 9999"):
        zammad_client.tags.rename(9999, "x")
    assert {method for method, _ in wire(zammad_server)} == {"GET"}


def test_a_tag_created_by_another_client_is_found_after_one_more_read(
    zammad_client: Client, tagged: int, zammad_server: FakeZammad
) -> None:
    assert "fresh" not in zammad_client.tags
    zammad_client.post("tag_list", json={"name": "fresh"})  # behind the library's back
    zammad_client.tags.delete("fresh")
    assert "fresh" not in zammad_client.tags


def test_create_adds_a_name_nothing_carries_yet(zammad_client: Client) -> None:
    zammad_client.tags.create("  spare ")
    assert zammad_client.tags["spare"]["count"] == 0


def test_a_blank_name_is_refused_before_sending(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    with pytest.raises(ValueError, match="cannot be blank"):
        zammad_client.tags.create(" ")
    assert zammad_server.requests == []


def test_search_takes_a_limit(
    zammad_client: Client, tagged: int, zammad_server: FakeZammad
) -> None:
    assert zammad_client.tags.search("", limit=1) == ["billing"]
    assert last(zammad_server).query == {"term": "", "limit": "1"}
