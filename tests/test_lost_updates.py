"""Lost-update protection: ``save(if_unmodified=True)`` refuses to overwrite a field someone
else changed since the object was loaded, and lets changes to different fields both land."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from support import NewTicket, wire

from zammad_orm import Client, ConflictError
from zammad_orm.resources import Ticket
from zammad_orm.testing import FakeZammad
from zammad_orm.unit_of_work import CommitError


@pytest.fixture
def other(zammad_server: FakeZammad) -> Iterator[Client]:
    """A second writer: another client, as another process would be."""
    client = Client(zammad_server.url, http_token=zammad_server.token)
    yield client
    client.session.close()


@pytest.fixture
def both(zammad_client: Client, other: Client, new_ticket: NewTicket) -> tuple[Ticket, Ticket]:
    """One new ticket "Shared" as loaded by each writer: (mine, theirs)."""
    ident = new_ticket(title="Shared")
    return zammad_client.tickets.get(ident), other.tickets.get(ident)


def test_two_writers_changing_different_fields_both_survive(
    zammad_client: Client, other: Client, new_ticket: NewTicket
) -> None:
    ident = new_ticket(title="Shared")
    mine, theirs = zammad_client.tickets.get(ident), other.tickets.get(ident)
    theirs.title = "Their title"
    theirs.save(if_unmodified=True)
    mine.priority = "3 high"
    mine.save(if_unmodified=True)
    record = zammad_client.get("tickets", ident, params={"expand": True})
    assert (record["title"], record["priority"]) == ("Their title", "3 high")


def test_a_field_changed_on_both_sides_raises_conflict_and_sends_nothing(
    zammad_server: FakeZammad, zammad_client: Client, other: Client, new_ticket: NewTicket
) -> None:
    ident = new_ticket(title="Shared")
    mine, theirs = zammad_client.tickets.get(ident), other.tickets.get(ident)
    theirs.update(title="Theirs")
    mine.title = "Mine"
    mine.note = "kept pending"
    zammad_server.clear_requests()
    with pytest.raises(ConflictError, match="changed on both sides: title") as caught:
        mine.save(if_unmodified=True)
    assert caught.value.fields == ("title",)
    assert (caught.value.ours, caught.value.theirs) == ({"title": "Mine"}, {"title": "Theirs"})
    assert wire(zammad_server) == [("GET", f"/tickets/{ident}")]
    assert mine.changes["title"] == ("Shared", "Mine")
    assert zammad_client.get("tickets", ident)["title"] == "Theirs"


def test_a_relation_changed_on_both_sides_is_a_conflict_on_its_id_field(
    both: tuple[Ticket, Ticket],
) -> None:
    mine, theirs = both
    theirs.update(state="closed")
    mine.state = "open"
    with pytest.raises(ConflictError) as caught:
        mine.save(if_unmodified=True)
    assert caught.value.fields == ("state_id",)
    assert caught.value.theirs == {"state_id": 4}  # closed


def test_an_unchanged_record_costs_one_get_before_the_put(
    zammad_server: FakeZammad, zammad_client: Client, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets.get(new_ticket())
    ticket.title = "Checked"
    zammad_server.clear_requests()
    ticket.save(if_unmodified=True)
    assert wire(zammad_server) == [
        ("GET", f"/tickets/{ticket.id}"),
        ("PUT", f"/tickets/{ticket.id}"),
    ]


def test_without_the_check_the_last_writer_wins(
    zammad_client: Client, both: tuple[Ticket, Ticket]
) -> None:
    mine, theirs = both
    theirs.update(title="Theirs")
    mine.update(title="Mine")
    assert zammad_client.get("tickets", mine.id)["title"] == "Mine"


def test_the_client_default_applies_to_unit_of_work_commits(
    zammad_server: FakeZammad, other: Client, new_ticket: NewTicket
) -> None:
    careful = Client(zammad_server.url, http_token=zammad_server.token, if_unmodified=True)
    ident = new_ticket()
    with careful.unit_of_work() as work:
        mine = careful.tickets.get(ident)
        other.tickets.get(ident).update(title="Theirs")
        mine.title = "Mine"
        with pytest.raises(CommitError) as caught:
            work.commit()
        work.rollback()
    assert [type(f.error) for f in caught.value.report.failures] == [ConflictError]
    assert careful.get("tickets", ident)["title"] == "Theirs"


def test_a_unit_of_work_checking_lets_two_writers_of_different_fields_both_survive(
    zammad_server: FakeZammad, zammad_client: Client, other: Client, new_ticket: NewTicket
) -> None:
    ident = new_ticket(title="Shared")
    with zammad_client.unit_of_work(if_unmodified=True) as mine:
        my_ticket = zammad_client.tickets.get(ident)
        with other.unit_of_work(if_unmodified=True) as theirs:
            their_ticket = other.tickets.get(ident)
            their_ticket.title = "Their title"
            assert theirs.commit().ok
        my_ticket.priority = "3 high"
        zammad_server.clear_requests()
        assert mine.commit().ok
    assert wire(zammad_server) == [("GET", f"/tickets/{ident}"), ("PUT", f"/tickets/{ident}")]
    record = zammad_client.get("tickets", ident, params={"expand": True})
    assert (record["title"], record["priority"]) == ("Their title", "3 high")


def test_a_unit_of_work_checking_reports_a_field_changed_on_both_sides_in_its_commit(
    zammad_client: Client, other: Client, new_ticket: NewTicket
) -> None:
    ident, untouched = new_ticket(title="Shared"), new_ticket(title="Alone")
    with zammad_client.unit_of_work(if_unmodified=True) as work:
        mine = zammad_client.tickets.get(ident)
        other.tickets.update(ident, title="Theirs")
        mine.title = "Mine"
        zammad_client.tickets.get(untouched).title = "Mine alone"
        with pytest.raises(CommitError) as caught:
            work.commit()
        report = caught.value.report
        assert [(f.obj, type(f.error)) for f in report.failures] == [(mine, ConflictError)]
        assert report.failures[0].error.fields == ("title",)
        assert [w.payload for w in report.writes] == [{"title": "Mine alone"}]
        assert mine.changes["title"] == ("Shared", "Mine")  # kept, to merge and commit again
        work.rollback()
    assert zammad_client.get("tickets", ident)["title"] == "Theirs"


def test_a_save_may_turn_the_units_check_off_and_a_unit_the_clients(
    zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    careful = Client(zammad_server.url, http_token=zammad_server.token, if_unmodified=True)
    ident = new_ticket()
    with careful.unit_of_work(if_unmodified=False) as work:
        careful.tickets.get(ident).title = "Unchecked"
        zammad_server.clear_requests()
        work.commit()
        assert wire(zammad_server) == [("PUT", f"/tickets/{ident}")]
    with careful.unit_of_work() as work:
        ticket = careful.tickets.get(ident)
        ticket.title = "Unchecked again"
        zammad_server.clear_requests()
        ticket.save(if_unmodified=False)
        assert wire(zammad_server) == [("PUT", f"/tickets/{ident}")]
    careful.close()
