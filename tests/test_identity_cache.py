"""The identity cache as the client uses it: one object per record, per user, per TTL."""

from __future__ import annotations

from support import NewTicket, wire

from zammad_orm import Client
from zammad_orm.testing import FakeZammad


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_same_id_is_the_same_object_within_the_ttl(zammad_client: Client) -> None:
    assert zammad_client.groups(1) is zammad_client.groups(1)
    assert zammad_client.tickets.get(1) is zammad_client.tickets(1)


def test_after_the_ttl_the_same_object_loads_again_once(zammad_server: FakeZammad) -> None:
    clock = FakeClock()
    client = Client(zammad_server.url, http_token=zammad_server.token, cache_ttl=60, timer=clock)
    first = client.groups.get(1)
    clock.now += 61
    zammad_server.clear_requests()
    second = client.groups(1)
    assert second is first  # one object per record within a unit of work
    assert second.name == "Users"
    assert second.note is not None
    assert wire(zammad_server) == [("GET", "/groups")]  # the whole small table at once


def test_within_the_ttl_nothing_is_fetched_again(zammad_server: FakeZammad) -> None:
    clock = FakeClock()
    client = Client(zammad_server.url, http_token=zammad_server.token, cache_ttl=60, timer=clock)
    client.groups.get(1)
    clock.now += 59
    zammad_server.clear_requests()
    assert client.groups(1).name == "Users"
    assert zammad_server.requests == []


def test_fresh_data_updates_the_cached_object_in_place(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket(title="Old")
    held = zammad_client.tickets.get(ticket_id)
    zammad_client.put("tickets", ticket_id, json={"title": "New"})
    list(zammad_client.tickets.iter(per_page=100))
    assert held.title == "New"


def test_fresh_data_never_overwrites_unsaved_changes(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket(title="Old")
    held = zammad_client.tickets.get(ticket_id)
    held.title = "Mine"
    held.preferences["mine"] = True
    zammad_client.put("tickets", ticket_id, json={"title": "Theirs", "note": "theirs"})
    list(zammad_client.tickets.iter(per_page=100))
    assert held.title == "Mine"
    assert held.preferences["mine"] is True
    assert held.note == "theirs"


def test_writes_through_one_object_are_seen_by_every_holder(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket(title="Shared")
    here = zammad_client.tickets(ticket_id)
    there = zammad_client.tickets.get(ticket_id)
    here.title = "Seen everywhere"
    here.save()
    assert there.title == "Seen everywhere"


def test_cache_clear_forgets_every_shared_record(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    zammad_client.groups.get(1)
    zammad_client.cache.clear()
    zammad_server.clear_requests()
    with zammad_client.unit_of_work():
        assert zammad_client.groups(1).name == "Users"
    assert wire(zammad_server) == [("GET", "/groups")]


def test_manager_invalidate_forgets_one_family(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    group = zammad_client.groups.get(1)
    state = zammad_client.ticket_states.get(1)
    zammad_client.groups.invalidate()
    zammad_server.clear_requests()
    assert state.name == "new"
    assert wire(zammad_server) == []
    assert group.name == "Users"
    assert wire(zammad_server) == [("GET", "/groups")]


def test_manager_invalidate_forgets_one_record(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    first = zammad_client.tickets.get(1)
    zammad_client.tickets.invalidate(1)
    zammad_server.clear_requests()
    assert zammad_client.tickets(1) is first
    assert first.title
    assert wire(zammad_server) == [("GET", "/tickets/1")]


def test_impersonated_users_get_their_own_objects(zammad_client: Client) -> None:
    mine = zammad_client.tickets(1)
    with zammad_client.impersonation_of(2):
        theirs = zammad_client.tickets(1)
        assert zammad_client.tickets(1) is theirs
    assert theirs is not mine


def test_objects_load_as_the_user_they_were_obtained_for(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    with zammad_client.impersonation_of(2):
        theirs = zammad_client.tickets(1)
    _ = theirs.title
    assert zammad_server.requests[-1].headers["x-on-behalf-of"] == "2"


def test_caches_do_not_leak_between_clients(zammad_server: FakeZammad) -> None:
    first = Client(zammad_server.url, http_token=zammad_server.token)
    second = Client(zammad_server.url, http_token=zammad_server.token)
    assert first.groups(1) is not second.groups(1)


def test_cache_maxsize_bounds_memory(zammad_server: FakeZammad) -> None:
    client = Client(zammad_server.url, http_token=zammad_server.token, cache_maxsize=5)
    for _user in client.users.iter(per_page=1):
        pass
    assert len(client.cache) <= 5


def test_objects_nobody_holds_leave_the_identity_map(zammad_client: Client) -> None:
    with zammad_client.unit_of_work() as work:
        for ident in range(1, 2001):
            zammad_client.tickets(ident)  # a handle, dropped at once
        kept = zammad_client.tickets(1)
        entries = sum(len(family) for family in work._objects.values())
        assert entries < 600  # swept each time the map doubles, not 2,000 dead entries
        assert zammad_client.tickets(1) is kept


def test_a_users_object_outlives_another_users_collected_object_for_the_record(
    zammad_client: Client,
) -> None:
    zammad_client.tickets(1)  # the admin's handle, dropped at once
    with zammad_client.impersonation_of("nicole"):
        theirs = zammad_client.tickets(1)
    mine = zammad_client.tickets(1)
    assert mine is not theirs
    assert mine._acting_as is None
    with zammad_client.impersonation_of("nicole"):
        assert zammad_client.tickets(1) is theirs
    assert zammad_client.tickets(1) is mine


def test_a_loaded_ticket_stays_cached_when_a_page_brings_its_assets_copy(
    zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ident = new_ticket()
    client = Client(zammad_server.url, http_token=zammad_server.token)
    with client.unit_of_work():
        client.tickets.get(ident)  # GET /tickets/:id
    with client.unit_of_work():
        list(client.tickets.iter())  # full=true pages: the same ticket, with article_ids
    zammad_server.clear_requests()
    with client.unit_of_work():
        assert client.tickets(ident).title == "Test ticket"
    assert wire(zammad_server) == []


def test_another_units_copy_of_the_same_moment_adds_the_fields_it_carries(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets.get(new_ticket())
    copy = {**ticket._data, "article_ids": [99]}
    ticket._take_newer(copy, complete=True)
    assert ticket.is_loaded
    assert ticket._data["article_ids"] == [99]
    ticket._take_newer({**copy, "title": "another write"}, complete=True)
    assert not ticket.is_loaded  # two copies of one moment disagree: ask the server
