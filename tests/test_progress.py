"""Counts where the server gives one, and progress bars with that total."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from zammad_orm import Client
from zammad_orm.testing import FakeZammad


def test_a_count_costs_one_request_for_one_record(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    zammad_server.clear_requests()
    assert zammad_client.organizations.count() == 1
    (request,) = zammad_server.requests
    assert (request.endpoint, request.query["per_page"]) == ("/organizations", "1")


def test_zammad_62_user_search_gives_no_total(zammad_client: Client) -> None:
    assert zammad_client.users.count("*") is None


def test_an_index_with_a_total_is_counted(zammad_client: Client) -> None:
    assert zammad_client.groups.count() == 1


def test_an_index_without_a_total_counts_none(zammad_client: Client) -> None:
    assert zammad_client.users.count() is None


def test_zammad_62_ticket_search_counts_only_its_page_so_it_gives_no_total(
    zammad_client: Client,
) -> None:
    assert zammad_client.tickets.count("*") is None


@pytest.fixture(scope="module")
def zammad_65() -> Iterator[FakeZammad]:
    """A fake Zammad 6.5, whose searches report their totals."""
    with FakeZammad(version="6.5") as server:
        yield server


def test_a_newer_zammad_counts_search_matches(zammad_65: FakeZammad) -> None:
    zammad_65.reset()
    client = Client(zammad_65.url, http_token=zammad_65.token)
    client.tickets.create(title="Second", group="Users", customer_id=2)
    assert (client.tickets.count("*"), client.users.count("*")) == (2, 4)


def test_a_progress_bar_shows_the_search_total_without_an_extra_request(
    zammad_65: FakeZammad, capsys: pytest.CaptureFixture[str]
) -> None:
    zammad_65.reset()
    client = Client(zammad_65.url, http_token=zammad_65.token)
    zammad_65.clear_requests()
    users = list(client.users.search("*", per_page=3, progress=True))
    assert len(users) == 4
    assert [r.endpoint for r in zammad_65.requests] == ["/users/search"] * 2
    last_line = capsys.readouterr().err.replace("\r", "\n").splitlines()[-1]
    assert "users: 100%" in last_line
    assert "4/4" in last_line


def test_a_progress_bar_without_a_total_counts_up(
    zammad_client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    tickets = list(zammad_client.tickets.iter(progress=True))  # the ticket index has no total
    assert [ticket.id for ticket in tickets] == [1]
    assert "tickets: 1it" in capsys.readouterr().err


def test_a_progress_bar_over_nothing_finishes_empty(
    zammad_client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    assert list(zammad_client.users.search("nobody-matches-this", progress=True)) == []
    assert "users: 0it" in capsys.readouterr().err
