"""Edges of units of work an adversarial review found (issue 7): each test names the behaviour
the library has, and failed before it did.

Every test talks to the fake server over HTTP and, where it proves something, counts what went
over the wire.
"""

from __future__ import annotations

import asyncio
import contextvars
import datetime as dt
import gc
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests
from support import NewTicket, in_thread, last, wire

from zammad_orm import Client, UnprocessableEntity, signals
from zammad_orm.resource import Resource
from zammad_orm.resources.tickets import Ticket
from zammad_orm.testing import FakeZammad


def start_in_this_unit(work: Callable[[], Any]) -> threading.Thread:
    """Start ``work()`` in a thread that shares the caller's ``with`` unit (as
    ``asyncio.to_thread`` would)."""
    context = contextvars.copy_context()
    thread = threading.Thread(target=context.run, args=(work,))
    thread.start()
    return thread


class _SignalledAdapter(requests.adapters.HTTPAdapter):
    """Sets ``sent`` as a ``PUT`` leaves, so a test can act while it is in flight."""

    def __init__(self) -> None:
        super().__init__()
        self.sent = threading.Event()

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        if request.method == "PUT":
            self.sent.set()
        return super().send(request, **kwargs)


class _HeldReplyAdapter(requests.adapters.HTTPAdapter):
    """Holds back the reply to the ``PUT`` of the thread named ``holder`` (the server has
    already applied it) until ``release`` is set."""

    def __init__(self, holder: str) -> None:
        super().__init__()
        self.holder = holder
        self.applied = threading.Event()
        self.release = threading.Event()

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        response = super().send(request, **kwargs)
        if request.method == "PUT" and threading.current_thread().name == self.holder:
            self.applied.set()
            self.release.wait(5)
        return response


# -- lost writes and stale reads -----------------------------------------------------------------


def test_manager_update_sends_its_fields_even_when_the_cached_record_already_shows_them(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket(title="Original")
    zammad_client.tickets.get(ticket_id)  # any unit reads it: the shared cache holds it
    zammad_client.put("tickets", ticket_id, json={"title": "Changed elsewhere"})  # an agent
    zammad_server.clear_requests()
    in_thread(lambda: zammad_client.tickets.update(ticket_id, title="Original"))
    assert wire(zammad_server) == [("PUT", f"/tickets/{ticket_id}")]
    assert last(zammad_server).json == {"title": "Original"}


def test_a_late_reply_does_not_hide_a_newer_write_made_in_the_same_millisecond(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    # Zammad's updated_at has millisecond resolution: two writes can carry the same one.
    with zammad_server.at(zammad_server.now() + dt.timedelta(hours=1)):
        ticket_id = new_ticket(title="Before")
        adapter = _HeldReplyAdapter(holder="first writer")
        zammad_client.session.mount("http://", adapter)
        first = threading.Thread(
            target=lambda: zammad_client.tickets.update(ticket_id, title="First"),
            name="first writer",
        )
        first.start()
        assert adapter.applied.wait(5)
        in_thread(lambda: zammad_client.tickets.update(ticket_id, title="Second"))
        adapter.release.set()
        first.join()
        assert zammad_client.get("tickets", ticket_id)["title"] == "Second"
        assert in_thread(lambda: zammad_client.tickets(ticket_id).title) == "Second"


def test_a_failed_update_keeps_what_another_unit_wrote_meanwhile(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket()
    ticket = zammad_client.tickets.get(ticket_id)
    assert ticket.preferences == {}
    adapter = _SignalledAdapter()
    zammad_client.session.mount("http://", adapter)
    zammad_server.fail_next(status=422, delay=0.5, path=f"tickets/{ticket_id}$", method="PUT")
    refused: list[BaseException] = []

    def refused_update() -> None:
        try:
            ticket.update(title="Refused")
        except UnprocessableEntity as error:
            refused.append(error)

    updater = threading.Thread(target=refused_update)
    updater.start()
    assert adapter.sent.wait(5)
    time.sleep(0.1)  # the refused PUT has reached the server and waits for its answer
    in_thread(lambda: zammad_client.tickets.update(ticket_id, preferences={"other": 1}))
    updater.join()
    assert refused
    assert ticket.preferences == {"other": 1}


# -- edits made while a one-shot update is in flight ----------------------------------------------


def test_an_assignment_made_while_a_manager_update_is_in_flight_is_kept(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket()
    adapter = _SignalledAdapter()
    zammad_client.session.mount("http://", adapter)
    with zammad_client.unit_of_work() as work:
        ticket = zammad_client.tickets.get(ticket_id)
        ticket.title = "Draft"
        zammad_server.fail_next(status=0, delay=0.3, method="PUT")
        updater = start_in_this_unit(lambda: zammad_client.tickets.update(ticket_id, state="open"))
        assert adapter.sent.wait(5)
        ticket.title = "Newer draft"
        updater.join()
        assert ticket.title == "Newer draft"
        work.rollback()


def test_an_in_place_edit_made_while_a_manager_update_is_in_flight_is_kept(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket()
    adapter = _SignalledAdapter()
    zammad_client.session.mount("http://", adapter)
    with zammad_client.unit_of_work() as work:
        prefs = zammad_client.tickets.get(ticket_id).preferences
        prefs["early"] = 1
        zammad_server.fail_next(status=0, delay=0.3, method="PUT")
        updater = start_in_this_unit(lambda: zammad_client.tickets.update(ticket_id, state="open"))
        assert adapter.sent.wait(5)
        prefs["late"] = 2
        updater.join()
        assert prefs == {"early": 1, "late": 2}
        work.rollback()


# -- containers -----------------------------------------------------------------------------------


def test_a_nested_dict_the_caller_holds_stays_tracked_after_another_units_write(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket(preferences={"nested": {"a": 1}})
    ticket = zammad_client.tickets.get(ticket_id)
    nested = ticket.preferences["nested"]
    in_thread(lambda: zammad_client.tickets.update(ticket_id, preferences={"other": 1}))
    nested["b"] = 2
    zammad_server.clear_requests()
    ticket.save()
    assert wire(zammad_server) == [("PUT", f"/tickets/{ticket_id}")]
    assert last(zammad_server).json == {"preferences": {"nested": {"a": 1, "b": 2}}}


def test_an_in_place_edit_survives_dropping_the_object_a_second_time(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket()
    zammad_client.tickets.get(ticket_id).preferences["first"] = 1
    gc.collect()
    zammad_client.tickets(ticket_id).save()
    zammad_client.tickets(ticket_id).preferences["second"] = 2
    gc.collect()
    zammad_server.clear_requests()
    zammad_client.tickets(ticket_id).save()
    assert wire(zammad_server) == [("PUT", f"/tickets/{ticket_id}")]
    assert last(zammad_server).json == {"preferences": {"second": 2}}


# -- units and requests ---------------------------------------------------------------------------


def test_a_worker_thread_serving_requests_in_units_carries_nothing_between_them(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    # A web server's worker threads serve request after request. Outside a unit, a thread's
    # default unit lives as long as the thread (the script API); a request gets its own unit,
    # as the Flask and Django integrations open one.
    ticket_id = new_ticket()
    workers = ThreadPoolExecutor(max_workers=1)

    def request_a() -> None:
        with zammad_client.unit_of_work():
            zammad_client.tickets(ticket_id).title = "half-typed draft from request A"
            raise RuntimeError("request A fails")

    def request_b() -> None:
        with zammad_client.unit_of_work():
            ticket = zammad_client.tickets(ticket_id)
            ticket.state = "open"
            ticket.save()

    with pytest.raises(RuntimeError):
        workers.submit(request_a).result()
    workers.submit(request_b).result()
    workers.shutdown()
    assert last(zammad_server).json == {"state_id": 2}


def test_the_cost_of_a_write_does_not_grow_with_every_user_ever_impersonated(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    # A web app acting on behalf of each signed-in agent, with a unit per worker thread.
    ticket_id = new_ticket()

    def seconds_per_write() -> float:
        started = time.perf_counter()
        for number in range(10):
            zammad_client.tickets.update(ticket_id, title=f"Write {number}")
        return (time.perf_counter() - started) / 10

    baseline = seconds_per_write()
    for agent in range(5000):
        with zammad_client.impersonation_of(f"agent{agent}@example.com"):
            pass
    units = [zammad_client.unit_of_work() for _ in range(20)]
    assert all(not unit.is_closed for unit in units)
    assert seconds_per_write() < 5 * baseline + 0.02


# -- signals --------------------------------------------------------------------------------------


def test_updated_receivers_get_the_changes_sent_whatever_updating_receivers_did(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets.get(new_ticket(title="Before"))
    seen: list[dict[str, Any]] = []

    def meddle(sender: type[Resource], **kwargs: Any) -> None:
        kwargs["changes"].clear()

    def audit(sender: type[Resource], **kwargs: Any) -> None:
        seen.append(kwargs["changes"])

    signals.updating.connect(meddle, sender=Ticket)
    signals.updated.connect(audit, sender=Ticket)
    try:
        ticket.title = "After"
        ticket.save()
    finally:
        signals.updating.disconnect(meddle, sender=Ticket)
        signals.updated.disconnect(audit, sender=Ticket)
    assert seen == [{"title": ("Before", "After")}]


def test_an_assignment_made_by_a_creating_receiver_is_sent_with_the_create(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    def stamp(sender: type[Resource], **kwargs: Any) -> None:
        kwargs["instance"].note = "stamped by a receiver"

    signals.creating.connect(stamp, sender=Ticket)
    try:
        ticket = zammad_client.tickets.create(title="New", group="Users", customer_id=2)
    finally:
        signals.creating.disconnect(stamp, sender=Ticket)
    assert [method for method, _endpoint in wire(zammad_server)].count("POST") == 1
    assert last(zammad_server).json["note"] == "stamped by a receiver"
    assert not ticket.is_dirty


# -- commit ---------------------------------------------------------------------------------------


def test_an_object_marked_for_deletion_and_then_deleted_leaves_nothing_to_commit(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket()
    with zammad_client.unit_of_work() as work:
        ticket = zammad_client.tickets(ticket_id)
        work.delete(ticket)
        ticket.delete()
        assert work.pending == []
        assert work.commit().ok
    assert wire(zammad_server) == [("DELETE", f"/tickets/{ticket_id}")]


# -- asyncio ---------------------------------------------------------------------------------------


def test_a_task_that_outlives_its_units_block_is_not_handed_the_closed_unit(
    zammad_client: Client,
) -> None:
    async def child() -> str:
        await asyncio.sleep(0.01)
        try:
            unit = zammad_client.current_unit_of_work()
        except RuntimeError:
            return "refused"
        return "closed" if unit.is_closed else "open"

    async def main() -> str:
        with zammad_client.unit_of_work():
            task = asyncio.create_task(child())
        return await task

    assert asyncio.run(main()) in ("refused", "open")
