"""Units of work: pending changes belong to a unit, records are shared, writes are seen."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import pytest
from support import NewTicket, in_thread, last, wire

from zammad_orm import Client, signals
from zammad_orm.errors import UnprocessableEntity
from zammad_orm.resource import Resource
from zammad_orm.resources.tickets import Ticket
from zammad_orm.testing import FakeZammad
from zammad_orm.unit_of_work import CommitError, UnitOfWork


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


# -- isolation ---------------------------------------------------------------------------------


def test_a_failed_request_leaves_nothing_for_the_next_request_on_another_thread(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket()

    def request_a() -> None:
        with zammad_client.unit_of_work():
            zammad_client.tickets(ticket_id).title = "half-typed draft from request A"
            raise RuntimeError("request A fails")

    with pytest.raises(RuntimeError):
        in_thread(request_a)
    seen: list[dict[str, Any]] = []

    def audit(sender: type[Resource], **kwargs: Any) -> None:
        seen.append(kwargs["changes"])

    signals.updated.connect(audit, sender=Ticket)
    try:

        def request_b() -> None:
            with zammad_client.unit_of_work():
                ticket = zammad_client.tickets(ticket_id)
                ticket.state = "open"
                ticket.save()

        in_thread(request_b)
    finally:
        signals.updated.disconnect(audit, sender=Ticket)
    assert last(zammad_server).json == {"state_id": 2}
    assert list(seen[0]) == ["state_id"]


def test_each_thread_has_its_own_default_unit(zammad_client: Client) -> None:
    mine = zammad_client.tickets(1)
    mine.title = "mine"
    theirs = in_thread(lambda: zammad_client.tickets(1))
    assert theirs is not mine
    assert not theirs.is_dirty
    assert in_thread(zammad_client.current_unit_of_work) is not (
        zammad_client.current_unit_of_work()
    )


def test_each_asyncio_task_has_its_own_default_unit(zammad_client: Client) -> None:
    async def edit(title: str) -> Ticket:
        ticket = zammad_client.tickets(1)
        ticket.title = title
        await asyncio.sleep(0)
        return ticket

    async def main() -> list[Ticket]:
        return list(await asyncio.gather(edit("first"), edit("second")))

    first, second = asyncio.run(main())
    assert first is not second
    assert (first.title, second.title) == ("first", "second")


def test_inside_a_block_every_manager_call_uses_its_unit(zammad_client: Client) -> None:
    outside = zammad_client.tickets(1)
    with zammad_client.unit_of_work() as work:
        inside = zammad_client.tickets(1)
        assert zammad_client.current_unit_of_work() is work
        assert inside is not outside
        assert inside.unit_of_work is work
        assert zammad_client.tickets(1) is inside
        assert inside.group is not None
        assert inside.group.unit_of_work is work  # relations stay in the unit
    assert zammad_client.tickets(1) is outside


def test_units_share_records_without_a_second_get(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    zammad_client.tickets.get(1)
    zammad_server.clear_requests()
    title = in_thread(lambda: zammad_client.tickets(1).title)
    assert title
    assert zammad_server.requests == []


def test_a_write_through_one_unit_is_seen_by_the_others_next_read(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket(title="Before")
    held = zammad_client.tickets.get(ticket_id)
    in_thread(lambda: zammad_client.tickets.update(ticket_id, title="After"))
    zammad_server.clear_requests()
    assert held.title == "After"
    assert zammad_server.requests == []


def test_a_write_keeps_the_other_units_pending_changes(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket(title="Before")
    held = zammad_client.tickets.get(ticket_id)
    held.title = "Mine"
    in_thread(lambda: zammad_client.tickets.update(ticket_id, state="open"))
    assert held.title == "Mine"
    assert held.state is not None
    assert held.state.name == "open"
    assert held.changes == {"title": ("Before", "Mine")}


def test_a_save_as_another_user_refreshes_the_admins_view(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket(title="Before")
    admins = zammad_client.tickets.get(ticket_id)
    with zammad_client.impersonation_of("nicole.braun@zammad.org"):
        zammad_client.tickets.update(ticket_id, title="By Nicole")
    zammad_server.clear_requests()
    assert admins.title == "By Nicole"
    assert wire(zammad_server) == [("GET", f"/tickets/{ticket_id}")]  # another view: asked


# -- dirty objects are held ----------------------------------------------------------------------


def test_a_dirty_object_survives_the_cache_size(
    zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    client = Client(zammad_server.url, http_token=zammad_server.token, cache_maxsize=5)
    ticket_id = new_ticket()
    client.tickets(ticket_id).title = "Unsaved"
    for user in range(1, 5):
        client.users.get(user)
    for _ticket in client.tickets.iter(per_page=1):
        pass
    zammad_server.clear_requests()
    client.tickets(ticket_id).save()
    assert last(zammad_server).json == {"title": "Unsaved"}


def test_a_dirty_object_survives_the_time_to_live(
    zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    clock = FakeClock()
    client = Client(zammad_server.url, http_token=zammad_server.token, cache_ttl=60, timer=clock)
    ticket_id = new_ticket()
    client.tickets(ticket_id).title = "Unsaved"
    clock.now += 3600
    zammad_server.clear_requests()
    client.tickets(ticket_id).save()
    assert last(zammad_server).json == {"title": "Unsaved"}


def test_an_in_place_edit_survives_dropping_the_object(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket()
    zammad_client.tickets.get(ticket_id).preferences["kept"] = True
    zammad_server.clear_requests()
    zammad_client.tickets(ticket_id).save()
    assert last(zammad_server).json == {"preferences": {"kept": True}}


def test_clean_objects_are_not_held(zammad_client: Client) -> None:
    work = zammad_client.current_unit_of_work()
    for _ticket in zammad_client.tickets.iter(per_page=5):
        pass
    assert work.pending == []
    assert len(work._held) == 0


# -- commit and rollback ---------------------------------------------------------------------


def test_commit_sends_every_change_of_the_unit(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    first, second = new_ticket(), new_ticket()
    with zammad_client.unit_of_work() as work:
        zammad_client.tickets(first).title = "One"
        zammad_client.tickets(second).state = "open"
        report = work.commit()
    writes = [(r.endpoint, r.json) for r in zammad_server.requests if r.method == "PUT"]
    assert writes == [
        (f"/tickets/{first}", {"title": "One"}),
        (f"/tickets/{second}", {"state_id": 2}),
    ]
    assert [(write.action, write.payload) for write in report.writes] == [
        ("update", {"title": "One"}),
        ("update", {"state_id": 2}),
    ]
    assert report.ok


def test_commit_creates_records_before_the_ones_that_refer_to_them(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    with zammad_client.unit_of_work() as work:
        ticket = zammad_client.tickets.new(title="New", group="Users", customer_id=2)
        organization = zammad_client.organizations.new(name="Made in the same unit")
        ticket.organization = organization
        zammad_server.clear_requests()
        work.commit()
    assert wire(zammad_server) == [("POST", "/organizations"), ("POST", "/tickets")]
    assert zammad_server.requests[1].json["organization_id"] == organization.id


def test_commit_deletes_what_was_marked(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket()
    with zammad_client.unit_of_work() as work:
        ticket = zammad_client.tickets(ticket_id)
        work.delete(ticket)
        assert zammad_server.requests == []
        report = work.commit()
    assert wire(zammad_server) == [("DELETE", f"/tickets/{ticket_id}")]
    assert [write.action for write in report.writes] == ["delete"]
    assert ticket.is_deleted


def test_a_failed_commit_names_each_failure_and_keeps_those_changes(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    good, bad = new_ticket(), new_ticket()
    with zammad_client.unit_of_work() as work:
        zammad_client.tickets(good).title = "Fine"
        zammad_client.tickets(bad).title = "Refused"
        zammad_server.fail_next(status=422, path=f"tickets/{bad}$", method="PUT")
        with pytest.raises(CommitError, match=f"update <Ticket id={bad}") as caught:
            work.commit()
        report = caught.value.report
        assert [write.obj.id for write in report.writes] == [good]
        assert [(f.obj.id, type(f.error)) for f in report.failures] == [(bad, UnprocessableEntity)]
        assert zammad_client.tickets(bad).changes == {"title": (None, "Refused")}
        assert not zammad_client.tickets(good).is_dirty
        zammad_server.clear_requests()
        work.commit()  # try again: only what failed is sent
    assert [(r.endpoint, r.json) for r in zammad_server.requests] == [
        (f"/tickets/{bad}", {"title": "Refused"})
    ]


def test_a_record_whose_creation_failed_holds_back_what_refers_to_it(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    with zammad_client.unit_of_work() as work:
        ticket = zammad_client.tickets.new(title="New", group="Users", customer_id=2)
        ticket.organization = zammad_client.organizations.new(name="Refused")
        zammad_server.clear_requests()
        zammad_server.fail_next(status=422, path="organizations", method="POST")
        with pytest.raises(CommitError) as caught:
            work.commit()
        assert [f.action for f in caught.value.report.failures] == ["create", "create"]
        assert "could not be created" in str(caught.value.report.failures[1].error)
        work.rollback()
    assert wire(zammad_server) == [("POST", "/organizations")]


def test_rollback_discards_every_pending_change(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket()
    with zammad_client.unit_of_work() as work:
        ticket = zammad_client.tickets.get(ticket_id)
        ticket.title = "Discarded"
        ticket.preferences["discarded"] = 1
        work.delete(zammad_client.tickets(1))
        discarded = work.rollback()
        assert ticket in discarded
        assert work.pending == []
        assert ticket.title == "Test ticket"
        assert "discarded" not in ticket.preferences
        work.commit()
    assert [r.method for r in zammad_server.requests] == ["GET"]


def test_leaving_a_block_with_unsaved_changes_discards_them_with_a_warning(
    zammad_client: Client, zammad_server: FakeZammad, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="zammad_orm"), zammad_client.unit_of_work():
        ticket = zammad_client.tickets(1)
        ticket.title = "Never sent"
    assert "unsaved changes" in caplog.text
    assert "<Ticket id=1" in caplog.text
    assert zammad_server.requests == []
    assert not ticket.is_dirty
    assert not zammad_client.tickets(1).is_dirty


def test_leaving_a_block_after_a_commit_is_quiet(
    zammad_client: Client, caplog: pytest.LogCaptureFixture, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket()
    with (
        caplog.at_level(logging.WARNING, logger="zammad_orm"),
        zammad_client.unit_of_work() as work,
    ):
        zammad_client.tickets(ticket_id).title = "Sent"
        work.commit()
    assert caplog.text == ""


def test_a_closed_unit_cannot_be_used_again(zammad_client: Client) -> None:
    with zammad_client.unit_of_work() as work:
        pass
    assert work.is_closed
    with pytest.raises(RuntimeError, match="closed"):
        work.commit()
    with pytest.raises(RuntimeError, match="closed"), work:
        pass


def test_units_nest_and_the_inner_one_wins(zammad_client: Client) -> None:
    with zammad_client.unit_of_work() as outer:
        with zammad_client.unit_of_work() as inner:
            assert zammad_client.current_unit_of_work() is inner
        assert zammad_client.current_unit_of_work() is outer


def test_the_default_unit_is_not_a_block(zammad_client: Client) -> None:
    default = zammad_client.current_unit_of_work()
    assert default.is_default
    with pytest.raises(TypeError, match="always active"), default:
        pass


def test_an_object_of_another_unit_cannot_be_marked_for_deletion(zammad_client: Client) -> None:
    outside = zammad_client.tickets(1)
    with zammad_client.unit_of_work() as work, pytest.raises(ValueError, match="another unit"):
        work.delete(outside)


# -- signals ------------------------------------------------------------------------------------


def test_signals_fire_once_per_write_with_the_unit_at_hand(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    seen: list[tuple[str, UnitOfWork]] = []

    def on_update(sender: type[Resource], **kwargs: Any) -> None:
        seen.append(("updated", kwargs["instance"].unit_of_work))

    def on_create(sender: type[Resource], **kwargs: Any) -> None:
        seen.append(("created", kwargs["instance"].unit_of_work))

    signals.updated.connect(on_update, sender=Ticket)
    signals.created.connect(on_create, sender=Ticket)
    try:
        ticket_id = new_ticket()
        with zammad_client.unit_of_work() as work:
            zammad_client.tickets(ticket_id).title = "Changed"
            zammad_client.tickets.new(title="New", group="Users", customer_id=2)
            work.commit()
            work.commit()  # nothing left: no second signal
    finally:
        signals.updated.disconnect(on_update, sender=Ticket)
        signals.created.disconnect(on_create, sender=Ticket)
    assert sorted(kind for kind, _unit in seen) == ["created", "updated"]
    assert all(unit is work for _kind, unit in seen)


def test_an_object_from_a_closed_unit_can_still_be_read(zammad_client: Client) -> None:
    with zammad_client.unit_of_work():
        ticket = zammad_client.tickets(1)
    assert ticket.title


def test_dirty_objects_of_a_default_unit_are_listed(zammad_client: Client) -> None:
    ticket = zammad_client.tickets(1)
    ticket.title = "x"
    assert zammad_client.current_unit_of_work().pending == [ticket]
    ticket.discard_changes()
    assert zammad_client.current_unit_of_work().pending == []


def test_a_commit_with_workers_sends_the_changes_in_parallel(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    ids = [
        int(zammad_client.post("tickets", json={"title": f"T{n}", "group": "Users",
                                                 "customer_id": 2})["id"])
        for n in range(8)
    ]  # fmt: skip
    zammad_server.clear_requests()
    zammad_server.latency = 0.1
    started = time.monotonic()
    with zammad_client.unit_of_work() as work:
        for ident in ids:
            zammad_client.tickets(ident).title = f"Changed {ident}"
        report = work.commit(workers=8)
    elapsed = time.monotonic() - started
    assert sorted(write.obj.id for write in report.writes) == ids
    assert sorted(r.endpoint for r in zammad_server.requests) == sorted(
        f"/tickets/{i}" for i in ids
    )
    assert elapsed < 0.1 * len(ids) * 0.75  # overlapping: one after the other takes 0.8 s


def test_save_all_creates_first_then_saves_changes_and_reports(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    changed = zammad_client.tickets(new_ticket())
    changed.title = "Changed"
    created = zammad_client.tickets.new(title="New", group="Users", customer_id=2)
    clean = zammad_client.tickets(1)
    zammad_server.clear_requests()
    report = zammad_client.tickets.save_all([changed, created, clean], workers=4)
    assert [(w.action, w.obj) for w in report.writes] == [("create", created), ("update", changed)]
    assert wire(zammad_server) == [("POST", "/tickets"), ("PUT", f"/tickets/{changed.id}")]


def test_commit_workers_must_be_a_positive_int(zammad_client: Client) -> None:
    with zammad_client.unit_of_work() as work, pytest.raises(ValueError, match="workers"):
        work.commit(workers=0)


def test_commit_can_show_progress(
    zammad_client: Client, new_ticket: NewTicket, capsys: pytest.CaptureFixture[str]
) -> None:
    ticket_id = new_ticket()
    with zammad_client.unit_of_work() as work:
        zammad_client.tickets(ticket_id).title = "Shown"
        work.commit(progress=True)
    assert "writes" in capsys.readouterr().err


def test_a_parallel_commit_sends_deletions_after_every_change(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    changed, doomed = new_ticket(), new_ticket()
    zammad_server.fail_next(status=0, delay=0.2, method="PUT")  # a slow change
    with zammad_client.unit_of_work() as work:
        zammad_client.tickets(changed).title = "Changed first"
        work.delete(zammad_client.tickets(doomed))
        report = work.commit(workers=4)
    assert [write.action for write in report.writes] == ["update", "delete"]
    assert [r.method for r in zammad_server.requests] == ["PUT", "DELETE"]
