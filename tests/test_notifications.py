"""Online notifications: the notified record as an object, ``seen`` saved, all marked read."""

from __future__ import annotations

from typing import Any

import pytest
from support import last, wire

from zammad_orm import Client, signals
from zammad_orm.resources import Notification, Ticket
from zammad_orm.testing import FakeZammad


@pytest.fixture
def notified(zammad_client: Client, zammad_server: FakeZammad) -> int:
    """A ticket the agent created in Users, which notifies the admin (the client's user)."""
    with zammad_client.impersonation_of("agent@example.com"):
        ident = int(
            zammad_client.post("tickets", json={"title": "Hi", "group": "Users", "customer_id": 2})[
                "id"
            ]
        )
    zammad_server.clear_requests()
    return ident


def test_notifications_are_read_with_their_names_in_one_request(
    zammad_client: Client, notified: int, zammad_server: FakeZammad
) -> None:
    notification = next(iter(zammad_client.notifications))
    assert (notification.object_type, notification.type) == ("Ticket", "create")
    assert last(zammad_server).query == {"expand": "true", "page": "1"}
    assert len(zammad_server.requests) == 1


def test_the_notified_record_is_an_object(zammad_client: Client, notified: int) -> None:
    notification = next(iter(zammad_client.notifications))
    assert isinstance(notification.object, Ticket)
    assert notification.object is zammad_client.tickets(notified)


def test_a_notification_loaded_alone_is_expanded(
    zammad_client: Client, notified: int, zammad_server: FakeZammad
) -> None:
    ident = next(iter(zammad_client.notifications)).id
    zammad_client.notifications.invalidate()
    zammad_server.clear_requests()
    with zammad_client.unit_of_work():
        assert zammad_client.notifications(ident).type == "create"
    assert last(zammad_server).query == {"expand": "true"}


def test_seen_is_assigned_and_saved(
    zammad_client: Client, notified: int, zammad_server: FakeZammad
) -> None:
    notification = next(iter(zammad_client.notifications))
    notification.seen = True
    notification.save()
    assert last(zammad_server).json == {"seen": True}
    assert zammad_client.notifications(notification.id).reload().seen is True


def test_mark_all_as_read_updates_the_objects_held(
    zammad_client: Client, notified: int, zammad_server: FakeZammad
) -> None:
    held = list(zammad_client.notifications)
    assert held
    zammad_server.clear_requests()
    zammad_client.notifications.mark_all_as_read()
    assert [notification.seen for notification in held] == [True] * len(held)
    assert wire(zammad_server) == [("POST", "/online_notifications/mark_all_as_read")]
    assert all(n.seen for n in zammad_client.notifications)


def test_the_misspelt_alias_works(zammad_client: Client, notified: int) -> None:
    assert isinstance(next(iter(zammad_client.notificatons)), Notification)


def test_notifications_cannot_be_created(zammad_client: Client) -> None:
    with pytest.raises(TypeError, match="no create for /online_notifications"):
        zammad_client.notifications.create(seen=False)


def test_mark_all_as_read_signals_each_held_unseen_notification(
    zammad_client: Client, notified: int
) -> None:
    held = list(zammad_client.notifications)
    assert held
    received: list[tuple[object, dict[str, Any]]] = []

    def receiver(sender: object, **kwargs: Any) -> None:
        received.append((kwargs["instance"], kwargs["changes"]))

    signals.updated.connect(receiver, sender=Notification)
    zammad_client.notifications.mark_all_as_read()
    assert received == [(notification, {"seen": (False, True)}) for notification in held]
