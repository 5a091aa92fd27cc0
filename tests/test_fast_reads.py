"""Edges of the fast field reads (non-data descriptors, remembered relations) that an
adversarial review found: each test states a behaviour a user relies on, and failed before the
library had it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from tests.support import NewTicket
from zammad_orm.client import Client
from zammad_orm.fields import Field
from zammad_orm.resources import Ticket
from zammad_orm.testing import FakeZammad


class NotedTicket(Ticket):
    """A user's subclass keeping a value of its own next to the ticket's fields."""

    note: str | None = None


def test_a_subclass_attribute_survives_a_change_of_a_field(
    zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    client = Client(
        zammad_server.url, http_token=zammad_server.token, resource_classes=[NotedTicket]
    )
    ticket = client.tickets(new_ticket())
    assert ticket.title == "Test ticket"
    assert ticket.title == "Test ticket"  # the second read keeps it in the object's __dict__
    ticket.note = "call back on Monday"
    ticket.title = "Renamed"
    assert ticket.note == "call back on Monday"


def test_a_private_attribute_set_on_an_object_survives_a_reload(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets(new_ticket())
    assert ticket.title == "Test ticket"
    assert ticket.title == "Test ticket"
    ticket._seen_by_my_app = True
    ticket.reload()
    assert getattr(ticket, "_seen_by_my_app", False) is True


def test_a_relation_read_again_after_the_time_to_live_shows_the_renamed_record(
    zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    now = [1000.0]
    client = Client(
        zammad_server.url, http_token=zammad_server.token, timer=lambda: now[0], cache_ttl=60
    )
    ticket = client.tickets(new_ticket())
    assert ticket.state is not None
    assert ticket.state.name == "new"  # the state was an unloaded handle when first given
    client.put("ticket_states", ticket.state_id, json={"name": "fresh"})
    now[0] += 120
    assert ticket.state.name == "fresh"


_during_conversion: list[Callable[[], Any]] = []


class _HookedTitle(Field[str]):
    """A user field whose conversion runs a hook (standing in for a thread switch)."""

    def to_python(self, raw: Any) -> str:
        while _during_conversion:
            _during_conversion.pop()()
        return str(raw)


class HookedTicket(Ticket):
    title = _HookedTitle()


def test_a_field_read_racing_another_units_write_does_not_keep_the_old_value(
    zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    client = Client(
        zammad_server.url, http_token=zammad_server.token, resource_classes=[HookedTicket]
    )
    ident = new_ticket()
    ticket = client.tickets(ident)
    assert ticket.title == "Test ticket"  # loaded

    def another_unit_writes() -> None:
        other = client.tickets(ident)
        other.title = "Written elsewhere"
        other.save()

    def switch_threads() -> None:
        worker = threading.Thread(target=another_unit_writes)
        worker.start()
        worker.join()

    _during_conversion.append(switch_threads)
    # the other unit's write lands between reading _data and keeping the value
    assert ticket.title == "Test ticket"
    assert ticket["title"] == "Written elsewhere"
    assert ticket.title == "Written elsewhere"


class CountedTicket(Ticket):
    """A user's subclass counting its instances in ``__new__``."""

    made: list[int] = []  # noqa: RUF012 - the test's own counter

    def __new__(cls, *args: Any, **kwargs: Any) -> CountedTicket:
        cls.made.append(1)
        return super().__new__(cls)


class InitialisedTicket(Ticket):
    """A user's subclass that sets something of its own in ``__init__``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._seen_at_build = self._data.get("title")


def test_a_page_builds_objects_through_a_subclasss_own_new_and_init(
    zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    for _ in range(3):
        new_ticket()
    client = Client(
        zammad_server.url,
        http_token=zammad_server.token,
        resource_classes=[CountedTicket],
    )
    page = list(client.tickets.iter(per_page=10))
    assert len(CountedTicket.made) == len(page) >= 3
    other = Client(
        zammad_server.url, http_token=zammad_server.token, resource_classes=[InitialisedTicket]
    )
    built = list(other.tickets.iter(per_page=10))
    assert [ticket._seen_at_build for ticket in built] == [ticket.title for ticket in built]
