"""Faults inside unit-of-work commits: what the server applied and what the objects hold agree,
and a commit tried again sends only what is still unsent."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from support import NewTicket

from zammad_orm import (
    AmbiguousWriteError,
    Client,
    ConnectionFailed,
    Retry,
    ServerError,
    UnsavedResourceError,
)
from zammad_orm.testing import FakeZammad
from zammad_orm.unit_of_work import CommitError


@pytest.fixture
def client(zammad_server: FakeZammad) -> Iterator[Client]:
    """A client that retries without waiting."""
    client = Client(
        zammad_server.url, http_token=zammad_server.token, retry=Retry(), sleep=lambda _: None
    )
    yield client
    client.session.close()
    assert zammad_server.faults_pending == 0, "a fault was injected but never met"


def server_title(client: Client, ident: int) -> str:
    return str(client.get("tickets", ident)["title"])


def test_a_commit_rides_out_retryable_faults_on_each_write(
    zammad_server: FakeZammad, client: Client, new_ticket: NewTicket
) -> None:
    first, second = new_ticket(), new_ticket()
    zammad_server.fail_next(status=503, path=rf"^/tickets/{first}$", method="PUT")
    zammad_server.fail_next(mangle="drop", path=rf"^/tickets/{second}$", method="PUT")
    with client.unit_of_work() as work:
        client.tickets(first).title = "First"
        client.tickets(second).title = "Second"
        report = work.commit()
    assert report.ok
    assert [server_title(client, first), server_title(client, second)] == ["First", "Second"]


def test_a_failed_write_keeps_its_changes_and_the_retried_commit_sends_only_it(
    zammad_server: FakeZammad, client: Client, new_ticket: NewTicket
) -> None:
    good, bad = new_ticket(title="Good before"), new_ticket(title="Bad before")
    zammad_server.fail_next(status=500, path=rf"^/tickets/{bad}$", method="PUT")
    with client.unit_of_work() as work:
        client.tickets(good).title = "Good after"
        failing = client.tickets(bad)
        failing.title = "Bad after"
        with pytest.raises(CommitError) as caught:
            work.commit()
        assert [type(f.error) for f in caught.value.report.failures] == [ServerError]
        assert failing.changes["title"][1] == "Bad after"
        assert server_title(client, bad) == "Bad before"
        zammad_server.clear_requests()
        work.commit()
    puts = [r.endpoint for r in zammad_server.requests if r.method == "PUT"]
    assert puts == [f"/tickets/{bad}"]
    assert [server_title(client, good), server_title(client, bad)] == ["Good after", "Bad after"]


def test_an_article_whose_reply_was_lost_is_taken_out_and_a_second_commit_never_resends_it(
    zammad_server: FakeZammad, client: Client, new_ticket: NewTicket
) -> None:
    ident = new_ticket()
    article = {"body": "Lost reply", "type": "note", "internal": True}
    zammad_server.fail_next(mangle="drop", path=rf"^/tickets/{ident}$", method="PUT")
    with client.unit_of_work() as work:
        ticket = client.tickets(ident)
        ticket.title = "Sent with the article"
        ticket["article"] = article
        with pytest.raises(CommitError) as caught:
            work.commit()
        error = caught.value.report.failures[0].error
        assert isinstance(error, AmbiguousWriteError)
        assert isinstance(error.__cause__, ConnectionFailed)
        assert "ticket.articles" in str(error)
        assert error.unsent == {"article": article}
        assert "article" not in ticket.changes
        assert ticket.changes["title"][1] == "Sent with the article"
        zammad_server.clear_requests()
        second = work.commit()
        assert [body for body in (r.json for r in zammad_server.requests) if body] == [
            {"title": "Sent with the article"}
        ]
        assert [a.body for a in ticket.articles].count("Lost reply") == 1
    assert [write.payload for write in second.writes] == [{"title": "Sent with the article"}]
    bodies = [a["body"] for a in client.get("ticket_articles", "by_ticket", ident)]
    assert bodies.count("Lost reply") == 1


def test_an_article_the_server_never_received_stays_pending_and_is_sent_once(
    zammad_server: FakeZammad, client: Client, new_ticket: NewTicket
) -> None:
    ident = new_ticket()
    zammad_server.fail_next(status=500, path=rf"^/tickets/{ident}$", method="PUT")
    with client.unit_of_work() as work:
        ticket = client.tickets(ident)
        ticket["article"] = {"body": "Refused first", "type": "note", "internal": True}
        with pytest.raises(CommitError) as caught:
            work.commit()
        assert [type(f.error) for f in caught.value.report.failures] == [ServerError]
        assert "article" in ticket.changes  # Zammad's 500 rolled the write back
        work.commit()
    bodies = [a["body"] for a in client.get("ticket_articles", "by_ticket", ident)]
    assert bodies.count("Refused first") == 1


def test_a_create_whose_reply_was_lost_in_a_commit_exists_once_and_its_dependents_wait(
    zammad_server: FakeZammad, client: Client
) -> None:
    zammad_server.fail_next(mangle="drop", path=r"^/organizations$", method="POST")
    with client.unit_of_work() as work:
        organization = client.organizations.new(name="Lost in commit")
        user = client.users.new(login="dependent", email="dep@example.com")
        user.organization = organization
        with pytest.raises(CommitError) as caught:
            work.commit()
        work.rollback()
    failures = [(f.obj, type(f.error)) for f in caught.value.report.failures]
    assert failures == [(organization, ConnectionFailed), (user, UnsavedResourceError)]
    names = [org["name"] for org in client.get("organizations")]
    assert names.count("Lost in commit") == 1
    assert "dependent" not in [u["login"] for u in client.get("users")]
