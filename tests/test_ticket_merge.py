"""Merging tickets: by object, id or number, with both tickets' cached state right afterwards
(zammadoo T17)."""

from __future__ import annotations

from typing import Any

import pytest
from support import NewTicket, wire

from zammad_orm import Client, NotFound, signals
from zammad_orm.resources.tickets import Ticket
from zammad_orm.testing import FakeZammad


@pytest.fixture
def pair(zammad_client: Client, new_ticket: NewTicket) -> tuple[Ticket, Ticket]:
    source = new_ticket(title="Source", article={"body": "from the source"})
    target = new_ticket(title="Target", article={"body": "from the target"})
    return zammad_client.tickets.get(source), zammad_client.tickets.get(target)


def test_merge_into_a_loaded_ticket_sends_one_request(
    pair: tuple[Ticket, Ticket], zammad_server: FakeZammad
) -> None:
    source, target = pair
    zammad_server.clear_requests()
    assert source.merge_into(target) == target
    assert wire(zammad_server) == [("PUT", f"/ticket_merge/{source.id}/{target.number}")]


def test_merge_into_an_id_reads_the_target_number_once(
    pair: tuple[Ticket, Ticket], zammad_client: Client, zammad_server: FakeZammad
) -> None:
    source, target = pair
    zammad_client.cache.clear()
    with zammad_client.unit_of_work():
        fresh = zammad_client.tickets(source.id)
        zammad_server.clear_requests()
        fresh.merge_into(target.id)
    assert wire(zammad_server) == [
        ("GET", f"/tickets/{target.id}"),
        ("PUT", f"/ticket_merge/{source.id}/{target.number}"),
    ]


def test_merge_into_a_number_needs_no_lookup(
    pair: tuple[Ticket, Ticket], zammad_server: FakeZammad
) -> None:
    source, target = pair
    zammad_server.clear_requests()
    assert source.merge_into(target.number).id == target.id
    assert len(zammad_server.requests) == 1


def test_the_source_shows_the_merged_state_without_a_request(
    pair: tuple[Ticket, Ticket], zammad_server: FakeZammad
) -> None:
    source, target = pair
    source.merge_into(target)
    zammad_server.clear_requests()
    assert source.state is not None
    assert source.state.name == "merged"
    assert source.article_count == 1
    assert [r for r in wire(zammad_server) if r[1].startswith("/tickets")] == []


def test_the_target_shows_the_moved_articles(pair: tuple[Ticket, Ticket]) -> None:
    source, target = pair
    assert len(target.articles) == 1
    source.merge_into(target)
    assert [a.body for a in target.articles] == ["from the source", "from the target"]
    assert target.article_count == 2


def test_moved_articles_belong_to_the_target(pair: tuple[Ticket, Ticket]) -> None:
    source, target = pair
    (moved,) = source.articles
    source.merge_into(target)
    assert moved.ticket == target


def test_the_target_shows_the_source_as_its_child(pair: tuple[Ticket, Ticket]) -> None:
    source, target = pair
    source.merge_into(target)
    assert target.links()["child"] == [source]
    assert source.links()["parent"] == [target]


def test_a_merge_is_an_update_of_both_tickets(pair: tuple[Ticket, Ticket]) -> None:
    source, target = pair
    seen: list[tuple[Any, dict[str, Any]]] = []

    def receiver(sender: type[Ticket], **kwargs: Any) -> None:
        seen.append((kwargs["instance"], kwargs["changes"]))

    signals.updated.connect(receiver, sender=Ticket)
    try:
        source.merge_into(target)
    finally:
        signals.updated.disconnect(receiver, sender=Ticket)
    (first, source_changes), (second, target_changes) = seen
    assert (first, second) == (source, target)
    assert source_changes["state_id"] == (1, 5)
    assert source_changes["merged_into"] == (None, target.id)
    assert target_changes == {"merged_from": (None, source.id)}


def test_merging_into_itself_is_refused_before_sending(
    pair: tuple[Ticket, Ticket], zammad_server: FakeZammad
) -> None:
    source, _target = pair
    zammad_server.clear_requests()
    with pytest.raises(ValueError, match="itself"):
        source.merge_into(source)
    assert zammad_server.requests == []


def test_an_unknown_number_raises_not_found(pair: tuple[Ticket, Ticket]) -> None:
    source, _target = pair
    with pytest.raises(NotFound, match="target ticket number could not be found"):
        source.merge_into("99999")
    assert source.state is not None
    assert source.state.name != "merged"


def test_a_number_must_be_digits(pair: tuple[Ticket, Ticket], zammad_server: FakeZammad) -> None:
    source, _target = pair
    zammad_server.clear_requests()
    with pytest.raises(ValueError, match="string of digits"):
        source.merge_into("#31002")
    assert zammad_server.requests == []
