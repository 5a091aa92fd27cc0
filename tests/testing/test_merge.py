"""The fake server's ticket merge: ``PUT /ticket_merge/:source_ticket_id/:target_ticket_number``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from zammad_orm import Client, Forbidden, UnprocessableEntity
from zammad_orm.testing import FakeZammad

NewTicket = Callable[..., int]  # the ``new_ticket`` fixture of tests/conftest.py
MERGED_STATE_ID = 5


def ticket(client: Client, ticket_id: int) -> dict[str, Any]:
    record: dict[str, Any] = client.get("tickets", ticket_id)
    return record


def merge_by_number(client: Client, source_id: int, target_number: str) -> Any:
    return client.put("ticket_merge", source_id, target_number)


def merge(client: Client, source_id: int, target_id: int) -> Any:
    return merge_by_number(client, source_id, ticket(client, target_id)["number"])


def article_ids(client: Client, ticket_id: int) -> list[int]:
    return [article["id"] for article in client.get("ticket_articles/by_ticket", ticket_id)]


def links_of(client: Client, ticket_id: int) -> list[tuple[str, int]]:
    reply = client.get("links", params={"link_object": "Ticket", "link_object_value": ticket_id})
    return [(link["link_type"], link["link_object_value"]) for link in reply["links"]]


def with_article(new_ticket: NewTicket) -> int:
    return new_ticket(article={"body": "first words"}, owner_id=3)


def test_a_merge_answers_success_with_both_tickets(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    source, target = with_article(new_ticket), with_article(new_ticket)
    reply = merge(zammad_client, source, target)
    assert zammad_server.requests[-1].status == 200
    assert reply["result"] == "success"
    assert (reply["source_ticket"]["id"], reply["target_ticket"]["id"]) == (source, target)
    assert reply["source_ticket"] == ticket(zammad_client, source)
    assert reply["target_ticket"] == ticket(zammad_client, target)


def test_the_source_becomes_merged_and_unassigned(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    source, target = with_article(new_ticket), with_article(new_ticket)
    merge(zammad_client, source, target)
    merged = ticket(zammad_client, source)
    assert (merged["state_id"], merged["owner_id"]) == (MERGED_STATE_ID, 1)


def test_the_target_keeps_its_state_and_owner(zammad_client: Client, new_ticket: NewTicket) -> None:
    source, target = with_article(new_ticket), with_article(new_ticket)
    before = ticket(zammad_client, target)
    merge(zammad_client, source, target)
    after = ticket(zammad_client, target)
    assert (after["state_id"], after["owner_id"]) == (before["state_id"], before["owner_id"])


def test_the_source_articles_move_to_the_target(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    source, target = with_article(new_ticket), with_article(new_ticket)
    moving, staying = article_ids(zammad_client, source), article_ids(zammad_client, target)
    merge(zammad_client, source, target)
    assert article_ids(zammad_client, target) == sorted(staying + moving)
    assert all(
        zammad_client.get("ticket_articles", article_id)["ticket_id"] == target
        for article_id in moving
    )


def test_the_source_gets_a_merged_note(zammad_client: Client, new_ticket: NewTicket) -> None:
    source, target = with_article(new_ticket), with_article(new_ticket)
    merge(zammad_client, source, target)
    [note] = zammad_client.get("ticket_articles/by_ticket", source)
    assert (note["body"], note["type"], note["sender"], note["internal"]) == (
        "merged",
        "note",
        "Agent",
        False,
    )


def test_the_target_becomes_the_parent_of_the_source(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    source, target = with_article(new_ticket), with_article(new_ticket)
    merge(zammad_client, source, target)
    assert links_of(zammad_client, source) == [("parent", target)]
    assert links_of(zammad_client, target) == [("child", source)]


def test_the_source_links_move_to_the_target(zammad_client: Client, new_ticket: NewTicket) -> None:
    source, target, related = (with_article(new_ticket) for _ in range(3))
    zammad_client.post(
        "links/add",
        json={
            "link_type": "normal",
            "link_object_source": "Ticket",
            "link_object_source_number": ticket(zammad_client, related)["number"],
            "link_object_target": "Ticket",
            "link_object_target_value": source,
        },
    )
    merge(zammad_client, source, target)
    assert links_of(zammad_client, related) == [("normal", target)]


def test_the_merge_is_in_both_histories(zammad_client: Client, new_ticket: NewTicket) -> None:
    source, target = with_article(new_ticket), with_article(new_ticket)
    merge(zammad_client, source, target)

    def merges(ticket_id: int) -> list[tuple[str, int, int]]:
        history = zammad_client.get("ticket_history", ticket_id)["history"]
        return [
            (item["type"], item["id_from"], item["id_to"])
            for item in history
            if item["type"] in ("merged_into", "received_merge")
        ]

    assert merges(source) == [("merged_into", source, target)]
    assert merges(target) == [("received_merge", source, target)]


def test_an_unknown_target_number_fails_with_200(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    reply = merge_by_number(zammad_client, with_article(new_ticket), "99999999")
    assert zammad_server.requests[-1].status == 200
    assert reply == {
        "result": "failed",
        "message": "The target ticket number could not be found.",
    }


def test_an_unknown_source_fails_with_200(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    target_number = ticket(zammad_client, with_article(new_ticket))["number"]
    reply = merge_by_number(zammad_client, 9999, target_number)
    assert zammad_server.requests[-1].status == 200
    assert reply == {"result": "failed", "message": "The source ticket could not be found."}


def test_a_ticket_cannot_be_merged_into_itself(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    source = with_article(new_ticket)
    with pytest.raises(UnprocessableEntity) as raised:
        merge(zammad_client, source, source)
    assert raised.value.error == "A ticket cannot be merged into itself."
    assert ticket(zammad_client, source)["state_id"] != MERGED_STATE_ID


def test_nothing_can_be_merged_into_a_merged_ticket(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    first, second, third = (with_article(new_ticket) for _ in range(3))
    merge(zammad_client, first, second)
    with pytest.raises(UnprocessableEntity) as raised:
        merge(zammad_client, third, first)
    assert raised.value.error == "It is not possible to merge into an already merged ticket."


def test_a_customer_cannot_merge(zammad_client: Client, new_ticket: NewTicket) -> None:
    source, target = with_article(new_ticket), with_article(new_ticket)
    with zammad_client.impersonation_of(2), pytest.raises(Forbidden) as raised:
        merge(zammad_client, source, target)
    assert raised.value.error == "Not authorized (user)!"


def test_an_agent_needs_change_access_to_both_tickets(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    secret = zammad_client.post("groups", json={"name": "Secret"})["id"]
    admin_groups = {"1": ["full"], str(secret): ["full"]}
    zammad_client.put("users", 3, json={"group_ids": admin_groups})
    hidden = new_ticket(group="Secret", article={"body": "hidden"})
    visible_number = ticket(zammad_client, with_article(new_ticket))["number"]
    with zammad_client.impersonation_of("agent@example.com"), pytest.raises(Forbidden) as raised:
        merge_by_number(zammad_client, hidden, visible_number)
    assert raised.value.error == "Not authorized"
    assert ticket(zammad_client, hidden)["state_id"] != MERGED_STATE_ID


def test_the_source_mentions_move_to_the_target(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    """``Ticket#merge_to`` (app/models/ticket.rb): ``Mention.duplicates(self, target).
    destroy_all`` then ``Mention.where(mentionable: self).update_all(mentionable_id: target)``."""
    source, target = new_ticket(mentions=[3, 4]), new_ticket(mentions=[4])
    merge(zammad_client, source, target)

    def mentioned(ticket_id: int) -> list[int]:
        params = {"mentionable_type": "Ticket", "mentionable_id": ticket_id}
        return sorted(
            m["user_id"] for m in zammad_client.get("mentions", params=params)["mentions"]
        )

    assert (mentioned(source), mentioned(target)) == ([], [3, 4])
