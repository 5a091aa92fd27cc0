"""Fault injection over real HTTP: retries, the final error, and nothing lost or applied twice.

Every test injects faults through ``fail_next`` and checks that each was met (no fault is
left pending), so a test cannot pass by never reaching its fault.
"""

from __future__ import annotations

import email.utils
import socket
import time
from collections.abc import Iterator

import pytest
from support import NewTicket, wire

from zammad_orm import (
    AmbiguousWriteError,
    Client,
    ConnectionFailed,
    HTTPError,
    RateLimited,
    Retry,
    ServerError,
    Timeout,
    UnexpectedResponse,
)
from zammad_orm.retry import DEFAULT_METHODS
from zammad_orm.testing import FakeZammad


@pytest.fixture
def sleeps() -> list[float]:
    """The waits the client asked for (nothing really sleeps)."""
    return []


@pytest.fixture
def client(zammad_server: FakeZammad, sleeps: list[float]) -> Iterator[Client]:
    """A client that records its waits, draws the middle of each jitter range and gives up
    on a reply after 0.3 s."""
    client = Client(
        zammad_server.url,
        http_token=zammad_server.token,
        timeout=(2.0, 0.3),
        retry=Retry(retry_after_max=10.0),
        sleep=sleeps.append,
        jitter=lambda: 0.5,
    )
    yield client
    client.session.close()
    assert zammad_server.faults_pending == 0, "a fault was injected but never met"


def gets(server: FakeZammad, endpoint: str) -> int:
    return wire(server).count(("GET", endpoint))


# -- plain requests ---------------------------------------------------------------------------


def test_503_with_retry_after_seconds_waits_that_long(
    zammad_server: FakeZammad, client: Client, sleeps: list[float]
) -> None:
    zammad_server.fail_next(status=503, headers={"Retry-After": "4"})
    assert client.get("tickets", 1)["id"] == 1
    assert sleeps == [4.0]
    assert gets(zammad_server, "/tickets/1") == 2


def test_429_with_retry_after_as_an_http_date_waits_until_then(
    zammad_server: FakeZammad, client: Client, sleeps: list[float]
) -> None:
    when = email.utils.formatdate(time.time() + 6, usegmt=True)
    zammad_server.fail_next(status=429, body="html", headers={"Retry-After": when})
    assert client.get("tickets", 1)["id"] == 1
    assert len(sleeps) == 1
    assert 4.0 < sleeps[0] <= 6.0


def test_a_retry_after_beyond_the_cap_waits_the_cap(
    zammad_server: FakeZammad, client: Client, sleeps: list[float]
) -> None:
    zammad_server.fail_next(status=503, headers={"Retry-After": "3600"})
    client.get("tickets", 1)
    assert sleeps == [10.0]


@pytest.mark.parametrize(("status", "body"), [(429, "zammad"), (502, "html"), (504, "html")])
def test_retryable_status_without_retry_after_backs_off_with_jitter(
    zammad_server: FakeZammad, client: Client, sleeps: list[float], status: int, body: str
) -> None:
    zammad_server.fail_next(2, status=status, body=body)
    assert client.get("tickets", 1)["id"] == 1
    assert sleeps == [0.25, 0.5]  # half of 0.5 * 2 ** 0 and of 0.5 * 2 ** 1


def test_500_is_final(zammad_server: FakeZammad, client: Client, sleeps: list[float]) -> None:
    zammad_server.fail_next(status=500)
    with pytest.raises(ServerError) as caught:
        client.get("tickets", 1)
    assert len(caught.value.attempts) == 1
    assert sleeps == []


def test_a_dropped_connection_on_a_get_is_retried(
    zammad_server: FakeZammad, client: Client, sleeps: list[float]
) -> None:
    zammad_server.fail_next(drop=True)
    assert client.get("tickets", 1)["id"] == 1
    assert len(sleeps) == 1


def test_a_get_that_hangs_past_the_read_timeout_is_retried(
    zammad_server: FakeZammad, client: Client
) -> None:
    zammad_server.fail_next(status=0, delay=1.0)
    assert client.get("tickets", 1)["id"] == 1


def test_the_final_error_counts_the_attempts_and_says_why_each_failed(
    zammad_server: FakeZammad, client: Client, sleeps: list[float]
) -> None:
    zammad_server.fail_next(drop=True)
    zammad_server.fail_next(status=503, headers={"Retry-After": "1"})
    zammad_server.fail_next(status=429, body="html")
    zammad_server.fail_next(status=502, body="html")
    with pytest.raises(HTTPError) as caught:
        client.get("tickets", 1)
    error = caught.value
    assert (error.status_code, error.method, error.url) == (502, "GET", f"{client.url}/tickets/1")
    assert [attempt.number for attempt in error.attempts] == [1, 2, 3, 4]
    assert "after 4 attempts" in str(error)
    assert "#1 connection dropped (Remote end closed connection without response)" in str(error)
    assert "#2 503 Service Unavailable (retried after 1.00 s)" in str(error)
    assert "#3 429 Too Many Requests" in str(error)
    assert "#4 502 Bad Gateway" in str(error)
    assert sleeps == [0.25, 1.0, 1.0]


def test_a_rate_limit_that_outlasts_the_retries_raises_rate_limited(
    zammad_server: FakeZammad, client: Client
) -> None:
    zammad_server.fail_next(4, status=429, headers={"Retry-After": "2"})
    with pytest.raises(RateLimited) as caught:
        client.get("tickets", 1)
    assert caught.value.retry_after == 2.0
    assert len(caught.value.attempts) == 4


def test_a_timeout_after_every_attempt_raises_timeout_with_its_cause(
    zammad_server: FakeZammad, sleeps: list[float]
) -> None:
    client = Client(
        zammad_server.url,
        http_token=zammad_server.token,
        timeout=0.2,
        retry=Retry(total=1),
        sleep=sleeps.append,
    )
    zammad_server.fail_next(2, status=0, delay=0.6)
    with pytest.raises(Timeout) as caught:
        client.get("tickets", 1)
    assert "read timeout after 0.2 s" in str(caught.value)
    assert len(caught.value.attempts) == 2
    assert caught.value.__cause__ is not None


def test_the_retry_policy_can_be_set_per_call(
    zammad_server: FakeZammad, client: Client, sleeps: list[float]
) -> None:
    zammad_server.fail_next(status=503)
    with pytest.raises(ServerError):
        client.get("tickets", 1, retry=Retry.never())
    assert sleeps == []


def test_the_timeout_can_be_set_per_call(zammad_server: FakeZammad, client: Client) -> None:
    zammad_server.fail_next(status=0, delay=0.5)
    assert client.get("tickets", 1, timeout=3.0)["id"] == 1
    assert gets(zammad_server, "/tickets/1") == 1


def test_a_refused_connection_is_retried_then_raises_connection_failed(
    sleeps: list[float],
) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = Client(f"http://127.0.0.1:{port}/api/v1", http_token="t", sleep=sleeps.append)
    with pytest.raises(ConnectionFailed, match=r"could not connect .*after 4 attempts") as caught:
        client.get("tickets", 1)
    assert caught.value.url == f"http://127.0.0.1:{port}/api/v1/tickets/1"
    assert len(sleeps) == 3


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        ("truncate", "invalid or truncated JSON"),
        ("garbage", "invalid or truncated JSON"),
        ("empty", "empty body where JSON was expected"),
    ],
)
def test_a_damaged_reply_raises_unexpected_response(
    zammad_server: FakeZammad, client: Client, mangle: str, message: str
) -> None:
    zammad_server.fail_next(mangle=mangle)
    with pytest.raises(UnexpectedResponse, match=message) as caught:
        client.get("tickets", 1)
    assert caught.value.status_code == 200
    assert caught.value.url == f"{client.url}/tickets/1"


# -- iterations -------------------------------------------------------------------------------


def seed_tickets(client: Client, count: int) -> None:
    for number in range(count):
        client.post("tickets", json={"title": f"T{number}", "group": "Users", "customer_id": 2})


def test_an_iteration_survives_faults_between_pages(
    zammad_server: FakeZammad, client: Client
) -> None:
    seed_tickets(client, 7)
    expected = sorted(t["id"] for t in client.get("tickets", params={"per_page": 100}))
    zammad_server.fail_next(status=503, path=r"^/tickets$")
    zammad_server.fail_next(drop=True, path=r"^/tickets$")
    zammad_server.fail_next(status=0, delay=1.0, path=r"^/tickets$")
    seen = [ticket.id for ticket in client.tickets.iter(per_page=3)]
    assert sorted(seen) == expected
    assert len(seen) == len(set(seen))


def test_a_damaged_page_stops_the_iteration_with_unexpected_response(
    zammad_server: FakeZammad, client: Client
) -> None:
    seed_tickets(client, 4)
    zammad_server.fail_next(status=200, body="html", path=r"^/tickets$")
    with pytest.raises(UnexpectedResponse, match="text/html instead of JSON"):
        list(client.tickets.iter(per_page=3))


# -- saves and creates ------------------------------------------------------------------------


def test_a_save_retried_after_its_reply_was_lost_leaves_object_and_server_agreeing(
    zammad_server: FakeZammad, client: Client, new_ticket: NewTicket
) -> None:
    ticket = client.tickets.get(new_ticket(title="Before"))
    ticket.title = "After"
    zammad_server.fail_next(mangle="drop", method="PUT")
    ticket.save()
    assert not ticket.changes
    assert client.get("tickets", ticket.id)["title"] == ticket.title == "After"
    assert [r.status for r in zammad_server.requests if r.method == "PUT"] == [0, 200]


def test_a_save_adding_an_article_is_not_repeated_after_a_lost_reply(
    zammad_server: FakeZammad, client: Client, new_ticket: NewTicket, sleeps: list[float]
) -> None:
    ticket = client.tickets.get(new_ticket())
    ticket["article"] = {"body": "Only once", "type": "note", "internal": True}
    zammad_server.fail_next(mangle="drop", method="PUT")
    with pytest.raises(AmbiguousWriteError, match="connection dropped") as caught:
        ticket.save()
    assert isinstance(caught.value.__cause__, ConnectionFailed)
    assert sleeps == []
    ticket.save()  # the article is no longer pending: nothing is sent
    bodies = [a["body"] for a in client.get("ticket_articles", "by_ticket", ticket.id)]
    assert bodies.count("Only once") == 1


def test_a_save_adding_an_article_is_not_repeated_after_a_timeout(
    zammad_server: FakeZammad, client: Client, new_ticket: NewTicket
) -> None:
    ticket = client.tickets.get(new_ticket())
    ticket["article"] = {"body": "Slow but once", "type": "note", "internal": True}
    zammad_server.fail_next(status=0, delay=0.6, method="PUT")
    with pytest.raises(AmbiguousWriteError, match="read timeout") as caught:
        ticket.save()
    assert isinstance(caught.value.__cause__, Timeout)
    deadline = time.monotonic() + 5
    while [r.method for r in zammad_server.requests].count("PUT") < 1:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    bodies = [a["body"] for a in client.get("ticket_articles", "by_ticket", ticket.id)]
    assert bodies.count("Slow but once") == 1
    assert [r.method for r in zammad_server.requests].count("PUT") == 1


def test_a_save_adding_an_article_is_retried_after_a_503(
    zammad_server: FakeZammad, client: Client, new_ticket: NewTicket
) -> None:
    ticket = client.tickets.get(new_ticket())
    ticket["article"] = {"body": "After a 503", "type": "note", "internal": True}
    zammad_server.fail_next(status=503, method="PUT")
    ticket.save()
    bodies = [a["body"] for a in client.get("ticket_articles", "by_ticket", ticket.id)]
    assert bodies.count("After a 503") == 1


def test_a_create_is_not_retried_after_a_503_and_stays_new(
    zammad_server: FakeZammad, client: Client
) -> None:
    before = len(client.get("organizations"))
    organization = client.organizations.new(name="Not yet")
    zammad_server.fail_next(status=503, method="POST")
    with pytest.raises(ServerError):
        organization.save()
    assert organization.is_new
    assert len(client.get("organizations")) == before
    organization.save()
    names = [org["name"] for org in client.get("organizations")]
    assert names.count("Not yet") == 1


@pytest.mark.parametrize(
    ("mangle", "error"),
    [("drop", ConnectionFailed), ("truncate", UnexpectedResponse), ("empty", UnexpectedResponse)],
)
def test_a_create_whose_reply_was_lost_or_damaged_is_applied_once_and_stays_new(
    zammad_server: FakeZammad, client: Client, mangle: str, error: type[Exception]
) -> None:
    organization = client.organizations.new(name=f"Reply {mangle}")
    zammad_server.fail_next(mangle=mangle, method="POST")
    with pytest.raises(error):
        organization.save()
    assert organization.is_new
    names = [org["name"] for org in client.get("organizations")]
    assert names.count(f"Reply {mangle}") == 1


def test_a_create_opted_into_retries_is_retried_after_a_503(
    zammad_server: FakeZammad, client: Client
) -> None:
    retrying = Retry(methods=DEFAULT_METHODS | {"POST"})
    zammad_server.fail_next(status=503, method="POST")
    created = client.post("organizations", json={"name": "Opted in"}, retry=retrying)
    assert created["name"] == "Opted in"
    assert [org["name"] for org in client.get("organizations")].count("Opted in") == 1
