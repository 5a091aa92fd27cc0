"""Regressions found in review: impersonation of lazy results, payload exclusivity, eviction
on 404 writes, stale lookup reloads, handed-out containers across merges, raw id keys."""

from __future__ import annotations

import threading
import time

import pytest
from support import NewTicket, last, wire

from zammad_orm import Client, NotFound
from zammad_orm.testing import FakeZammad


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_pages_belong_to_the_user_acting_when_iter_was_called(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    with zammad_client.impersonation_of("nicole.braun@zammad.org"):
        pages = zammad_client.users.iter()
    assert [user.id for user in pages] == [2]
    assert zammad_server.requests[-1].headers["x-on-behalf-of"] == "nicole.braun@zammad.org"


def test_ticket_articles_are_read_as_the_tickets_user(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket(article={"body": "public"})
    zammad_client.put("tickets", ticket_id, json={"article": {"body": "secret", "internal": True}})
    with zammad_client.impersonation_of(2):
        theirs = zammad_client.tickets(ticket_id)
    assert [article.body for article in theirs.articles] == ["public"]


def test_assigning_a_raw_id_drops_a_pending_name(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets(new_ticket())
    ticket.owner = "agent@example.com"
    ticket["owner_id"] = 3
    ticket.save()
    assert last(zammad_server).json == {"owner_id": 3}


def test_assigning_a_raw_id_key_needs_no_get(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket()
    zammad_client.tickets.update(ticket_id, state_id=4)
    assert wire(zammad_server) == [("PUT", f"/tickets/{ticket_id}")]


def test_a_404_on_save_evicts_the_record(zammad_client: Client, new_ticket: NewTicket) -> None:
    ticket = zammad_client.tickets.get(new_ticket())
    zammad_client.delete("tickets", ticket.id)
    ticket.title = "Too late"
    with pytest.raises(NotFound):
        ticket.save()
    with pytest.raises(NotFound):
        zammad_client.tickets.get(ticket.id)


def test_delete_evicts_the_record_in_every_users_view(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket()
    with zammad_client.impersonation_of(2):
        theirs = zammad_client.tickets.get(ticket_id)
    zammad_client.tickets(ticket_id).delete()
    with zammad_client.impersonation_of(2):
        assert zammad_client.tickets(ticket_id) is not theirs


def test_reload_of_a_lookup_record_takes_the_servers_new_values(
    zammad_server: FakeZammad,
) -> None:
    clock = FakeClock()
    client = Client(zammad_server.url, http_token=zammad_server.token, cache_ttl=10, timer=clock)
    group = client.groups.get(1)
    client.put("groups", 1, json={"note": "changed"})
    clock.now += 11
    assert group.reload().note == "changed"


def test_reload_of_a_deleted_lookup_record_raises_not_found(zammad_client: Client) -> None:
    group = zammad_client.groups.create(name="Short-lived")
    zammad_client.delete("groups", group.id)
    with pytest.raises(NotFound):
        group.reload()


def test_a_container_held_across_fresh_data_stays_tracked(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets.get(new_ticket(preferences={"k": 1}))
    preferences = ticket.preferences
    list(zammad_client.tickets.search("*", per_page=200))
    preferences["channel"] = "phone"
    assert ticket.preferences["channel"] == "phone"
    assert "preferences" in ticket.changes


def test_threads_reading_one_handle_share_one_get(zammad_server: FakeZammad) -> None:
    client = Client(zammad_server.url, http_token=zammad_server.token)
    handle = client.tickets(1)
    zammad_server.latency = 0.2
    threads = [threading.Thread(target=lambda: handle.title) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wire(zammad_server) == [("GET", "/tickets/1")]


def test_an_edit_made_while_a_save_is_in_flight_stays_a_change(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets.get(new_ticket())
    ticket.preferences["a"] = 1
    zammad_server.fail_next(status=0, delay=0.5, method="PUT")
    saving = threading.Thread(target=ticket.save)
    saving.start()
    time.sleep(0.2)
    ticket.preferences["b"] = 2
    saving.join()
    assert last(zammad_server).json == {"preferences": {"a": 1}}
    assert ticket.changes["preferences"] == ({"a": 1}, {"a": 1, "b": 2})
    ticket.save()
    assert zammad_client.get("tickets", ticket.id)["preferences"] == {"a": 1, "b": 2}
