"""Signals around every write: order, arguments, vetoes, sender filtering."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from support import NewTicket

from zammad_orm import Client, ServerError, signals
from zammad_orm.resources import Organization, Ticket
from zammad_orm.testing import FakeZammad

Event = tuple[str, type, dict[str, Any]]


@pytest.fixture
def events() -> Iterator[list[Event]]:
    seen: list[Event] = []
    receivers = []
    for name in ("creating", "created", "updating", "updated", "deleting", "deleted"):

        def receiver(sender: type, _name: str = name, **kwargs: Any) -> None:
            seen.append((_name, sender, kwargs))

        getattr(signals, name).connect(receiver, weak=False)
        receivers.append((name, receiver))
    yield seen
    for name, receiver in receivers:
        getattr(signals, name).disconnect(receiver)


def names(events: list[Event]) -> list[str]:
    return [name for name, _sender, _kwargs in events]


def test_create_sends_creating_then_created(zammad_client: Client, events: list[Event]) -> None:
    ticket = zammad_client.tickets.create(title="Signal", group="Users", customer_id=2)
    assert names(events) == ["creating", "created"]
    for _name, sender, kwargs in events:
        assert sender is Ticket
        assert kwargs == {"instance": ticket, "client": zammad_client}


def test_save_sends_updating_then_updated_with_changes(
    zammad_client: Client, new_ticket: NewTicket, events: list[Event]
) -> None:
    ticket = zammad_client.tickets.get(new_ticket(title="Before"))
    ticket.title = "After"
    ticket.save()
    assert names(events) == ["updating", "updated"]
    for _name, _sender, kwargs in events:
        assert kwargs["changes"] == {"title": ("Before", "After")}
        assert kwargs["instance"] is ticket


def test_clean_save_sends_no_signal(
    zammad_client: Client, new_ticket: NewTicket, events: list[Event]
) -> None:
    zammad_client.tickets.get(new_ticket()).save()
    assert events == []


def test_update_and_manager_update_send_update_signals(
    zammad_client: Client, new_ticket: NewTicket, events: list[Event]
) -> None:
    ticket_id = new_ticket()
    zammad_client.tickets.update(ticket_id, note="one")
    zammad_client.tickets(ticket_id).update(note="two")
    assert names(events) == ["updating", "updated", "updating", "updated"]


def test_delete_sends_deleting_then_deleted(
    zammad_client: Client, new_ticket: NewTicket, events: list[Event]
) -> None:
    ticket = zammad_client.tickets(new_ticket())
    ticket.delete()
    assert names(events) == ["deleting", "deleted"]
    assert events[1][2] == {"instance": ticket, "client": zammad_client}


def test_a_raising_receiver_vetoes_the_write(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets(new_ticket())

    def veto(sender: type, **kwargs: Any) -> None:
        raise PermissionError("frozen ticket")

    signals.updating.connect(veto, weak=False)
    try:
        ticket.title = "Vetoed"
        with pytest.raises(PermissionError, match="frozen"):
            ticket.save()
    finally:
        signals.updating.disconnect(veto)
    assert zammad_server.requests == []
    assert ticket.changes == {"title": (None, "Vetoed")}


def test_failed_write_sends_no_ed_signal(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket, events: list[Event]
) -> None:
    ticket = zammad_client.tickets(new_ticket())
    ticket.title = "Fails"
    zammad_server.fail_next(status=500, method="PUT")
    with pytest.raises(ServerError):
        ticket.save()
    assert names(events) == ["updating"]


def test_receivers_can_filter_by_sender(zammad_client: Client) -> None:
    seen: list[Any] = []

    def on_organization(sender: type, instance: Any, **kwargs: Any) -> None:
        seen.append(instance)

    signals.created.connect(on_organization, sender=Organization, weak=False)
    try:
        zammad_client.tickets.create(title="Not me", group="Users", customer_id=2)
        organization = zammad_client.organizations.create(name="Me")
    finally:
        signals.created.disconnect(on_organization, sender=Organization)
    assert seen == [organization]


def test_signals_live_in_a_private_namespace() -> None:
    import blinker

    assert signals.created is not blinker.signal("created")
