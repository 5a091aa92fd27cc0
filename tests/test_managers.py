"""Managers: iteration over all pages, search in every server shape, request counts."""

from __future__ import annotations

import itertools
import time

import pytest
from support import NewTicket, wire

from zammad_orm import Client, Pagination
from zammad_orm.testing import FakeZammad


@pytest.fixture
def twelve_tickets(new_ticket: NewTicket) -> list[int]:
    return [new_ticket(title=f"Bulk {number}") for number in range(12)]


def page_requests(server: FakeZammad, endpoint: str) -> list[dict[str, str]]:
    return [request.query for request in server.requests if request.endpoint == endpoint]


def test_iteration_walks_every_page(
    zammad_client: Client, zammad_server: FakeZammad, twelve_tickets: list[int]
) -> None:
    ids = [ticket.id for ticket in zammad_client.tickets.iter(per_page=5)]
    assert set(twelve_tickets) <= set(ids)
    assert ids == sorted(ids)
    pages = page_requests(zammad_server, "/tickets")
    assert [query["page"] for query in pages] == ["1", "2", "3"]


def test_iteration_is_lazy(
    zammad_client: Client, zammad_server: FakeZammad, twelve_tickets: list[int]
) -> None:
    first_five = list(itertools.islice(zammad_client.tickets.iter(per_page=5), 5))
    assert len(first_five) == 5
    assert len(page_requests(zammad_server, "/tickets")) == 1


def test_iterating_the_manager_uses_the_client_pagination(
    zammad_client: Client, zammad_server: FakeZammad, twelve_tickets: list[int]
) -> None:
    zammad_client.pagination = Pagination(per_page=7)
    list(zammad_client.tickets)
    assert page_requests(zammad_server, "/tickets")[0]["per_page"] == "7"


def test_page_size_is_clamped_to_the_server_cap(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    list(zammad_client.tickets.iter(per_page=5000))
    assert page_requests(zammad_server, "/tickets")[0]["per_page"] == "100"


def test_one_page_only(
    zammad_client: Client, zammad_server: FakeZammad, twelve_tickets: list[int]
) -> None:
    second = list(zammad_client.tickets.iter(page=2, per_page=5))
    assert len(second) == 5
    assert [query["page"] for query in page_requests(zammad_server, "/tickets")] == ["2"]


def test_relations_of_iterated_tickets_cost_o_of_pages(
    zammad_client: Client, zammad_server: FakeZammad, twelve_tickets: list[int]
) -> None:
    for ticket in zammad_client.tickets.iter(per_page=5):
        assert ticket.group is not None
        assert ticket.state is not None
        assert ticket.owner is not None
        assert ticket.customer is not None
        _ = (ticket.group.name, ticket.state.name, ticket.owner.login, ticket.customer.email)
    endpoints = [endpoint for _method, endpoint in wire(zammad_server)]
    assert endpoints.count("/tickets") == 3
    assert endpoints.count("/ticket_states") == 1
    assert len(endpoints) == 4, endpoints


def test_expand_iteration_gives_names(zammad_client: Client, zammad_server: FakeZammad) -> None:
    tickets = list(zammad_client.tickets.iter(expand=True, per_page=100))
    assert tickets[0]["group"] == "Users"
    assert page_requests(zammad_server, "/tickets")[0]["expand"] == "true"


def test_search_finds_by_title(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    wanted = new_ticket(title="Printer on fire")
    new_ticket(title="Coffee machine")
    found = [ticket.id for ticket in zammad_client.tickets.search("title:printer")]
    assert found == [wanted]
    query = page_requests(zammad_server, "/tickets/search")[0]
    assert query["query"] == "title:printer"


def test_search_results_arrive_with_their_relations(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    new_ticket(title="Printer on fire")
    (ticket,) = zammad_client.tickets.search("printer")
    zammad_server.clear_requests()
    assert ticket.title == "Printer on fire"
    assert ticket.customer is not None
    assert ticket.customer.email == "nicole.braun@zammad.org"
    assert ticket.group is not None
    assert ticket.group.name == "Users"
    assert zammad_server.requests == []


def test_search_passes_sorting(
    zammad_client: Client, zammad_server: FakeZammad, twelve_tickets: list[int]
) -> None:
    found = [
        ticket.id
        for ticket in zammad_client.tickets.search(
            "title:Bulk*", sort_by="created_at", order_by="asc", per_page=50
        )
    ]
    assert found == twelve_tickets
    query = page_requests(zammad_server, "/tickets/search")[0]
    assert (query["sort_by"], query["order_by"]) == ("created_at", "asc")


def test_search_walks_pages(
    zammad_client: Client, zammad_server: FakeZammad, twelve_tickets: list[int]
) -> None:
    found = list(zammad_client.tickets.search("title:Bulk*", per_page=5))
    assert len(found) == 12
    assert len(page_requests(zammad_server, "/tickets/search")) == 3


@pytest.mark.parametrize("version", ["6.2", "6.5"])
def test_search_reads_the_shape_of_every_server_version(version: str) -> None:
    with FakeZammad(version=version) as server:
        client = Client(server.url, http_token=server.token)
        client.post("tickets", json={"title": "Version shape", "group": "Users", "customer_id": 2})
        (ticket,) = client.tickets.search("title:version")
        assert ticket.title == "Version shape"


def test_users_search(zammad_client: Client) -> None:
    (nicole,) = zammad_client.users.search("nicole.braun@zammad.org")
    assert nicole.id == 2


def test_organizations_search(zammad_client: Client) -> None:
    names = [org.name for org in zammad_client.organizations.search("Foundation")]
    assert names == ["Zammad Foundation"]


def test_me_is_the_authenticated_user(zammad_client: Client) -> None:
    me = zammad_client.users.me()
    assert me.id == 3
    assert me is zammad_client.users(3)


def test_lookup_managers_find_by_name(zammad_client: Client) -> None:
    assert zammad_client.ticket_states.by_name("closed").id == 4
    assert zammad_client.ticket_priorities.by_name("3 high").id == 3
    assert zammad_client.groups.by_name("Users").id == 1
    assert zammad_client.roles.by_name("Agent").id == 2


def test_online_notifications_are_read_in_one_request(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    list(zammad_client.notifications)
    assert len(page_requests(zammad_server, "/online_notifications")) == 1


def test_prefetch_asks_for_the_next_page_while_the_caller_works(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    for n in range(5):
        zammad_client.post("tickets", json={"title": f"P{n}", "group": "Users", "customer_id": 2})
    zammad_server.clear_requests()
    pages = zammad_client.tickets.iter(per_page=2, prefetch=True)
    first = next(pages)
    deadline = time.monotonic() + 5
    while len(zammad_server.requests) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert [r.query["page"] for r in zammad_server.requests] == ["1", "2"]  # one ahead
    assert [first.id, *(ticket.id for ticket in pages)] == [1, *range(2, 7)]


def test_prefetch_of_several_pages_keeps_them_in_flight_and_stops_at_the_short_one(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    for n in range(5):
        zammad_client.post("tickets", json={"title": f"P{n}", "group": "Users", "customer_id": 2})
    zammad_server.clear_requests()
    zammad_server.latency = 0.1
    started = time.monotonic()
    ids = [ticket.id for ticket in zammad_client.tickets.iter(per_page=2, prefetch=3)]
    elapsed = time.monotonic() - started
    assert ids == list(range(1, 7))
    pages = sorted(int(r.query["page"]) for r in zammad_server.requests)
    assert pages[:4] == [1, 2, 3, 4]  # page 4 is empty: the end
    assert len(pages) <= 4 + 2  # at most ahead - 1 past it
    assert elapsed < 0.1 * 4 * 0.9  # overlapping: one page after the other takes 0.4 s at least


def test_prefetch_refuses_nonsense(zammad_client: Client) -> None:
    with pytest.raises(ValueError, match="prefetch"):
        zammad_client.tickets.iter(prefetch=-1)
