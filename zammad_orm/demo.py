"""The tour behind ``python -m zammad_orm demo``: the library against the fake server.

Each step prints what it does and the requests it cost on the wire, so the lazy loading,
the shared record cache, the minimal saves and units of work can be seen rather than believed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, Any

from zammad_orm import signals
from zammad_orm.client import Client
from zammad_orm.errors import ResourceLookupError
from zammad_orm.resources.tickets import Ticket
from zammad_orm.testing import FakeZammad

__all__ = ["run_demo"]


def _name(obj: Any) -> str:
    return "-" if obj is None else str(obj.name)


class _Tour:
    def __init__(self, server: FakeZammad, out: IO[str]) -> None:
        self.server = server
        self.out = out
        self.seen = 0
        self.number = 0

    def say(self, text: str = "") -> None:
        print(text, file=self.out, flush=True)

    def step(self, title: str, action: Callable[[], None]) -> None:
        self.number += 1
        self.say(f"\n{self.number}. {title}")
        action()
        fresh = self.server.requests[self.seen :]
        self.seen = len(self.server.requests)
        if not fresh:
            self.say("   (no request)")
        for request in fresh:
            query = "&".join(f"{key}={value}" for key, value in sorted(request.query.items()))
            body = f" {request.json}" if request.json is not None else ""
            shown = f"{request.endpoint}?{query}" if query else request.endpoint
            self.say(f"   -> {request.method} {shown}{body}  [{request.status}]")


def run_demo(out: IO[str] | None = None) -> int:
    """Start a fake Zammad server, tour the library against it, print every step."""
    import sys

    stream = out if out is not None else sys.stdout
    with FakeZammad() as server:
        tour = _Tour(server, stream)
        tour.say(f"Fake Zammad API at {server.url}")
        client = Client(server.url, http_token=server.token)
        state: dict[str, Any] = {}

        def connect() -> None:
            tour.say(f"   connected to Zammad {client.server_version}")

        def lazy_handle() -> None:
            state["ticket"] = client.tickets(1)
            tour.say(f"   client.tickets(1) -> {state['ticket']!r}, nothing loaded yet")

        def first_read() -> None:
            ticket: Ticket = state["ticket"]
            tour.say(f"   title: {ticket.title!r} (one GET for every field)")
            tour.say(f"   number: {ticket.number}, created {ticket.created_at:%Y-%m-%d %H:%M} UTC")

        def relations() -> None:
            ticket: Ticket = state["ticket"]
            customer = ticket.customer
            tour.say(f"   state: {_name(ticket.state)!r} (states load once, as a lookup table)")
            if customer is not None:
                tour.say(f"   customer: {customer.fullname} <{customer.email}>")

        def change_and_save() -> None:
            ticket: Ticket = state["ticket"]
            ticket.state = "closed"
            ticket.priority = "3 high"
            tour.say(f"   pending changes: {ticket.changes}")
            ticket.save()
            tour.say("   saved: the PUT holds the changed fields only")

        def clean_save() -> None:
            state["ticket"].save()
            tour.say("   nothing changed, so save() sends nothing")

        def unknown_name() -> None:
            ticket: Ticket = state["ticket"]
            try:
                ticket.state = "finished"
            except ResourceLookupError as error:
                tour.say(f"   refused, nothing sent: {error}")
                tour.say("   (the one GET re-reads the states, in case the name was added since)")

        def listen_and_create() -> None:
            def announce(sender: type, instance: Any, **extra: Any) -> None:
                tour.say(f"   signal created: {sender.__name__} {instance.id} {instance.title!r}")

            signals.created.connect(announce, sender=Ticket, weak=False)
            try:
                state["new"] = client.tickets.create(
                    title="Printer on fire",
                    group="Users",
                    customer="nicole.braun@zammad.org",
                    article={"body": "Smoke is coming out of the printer.", "type": "note"},
                )
            finally:
                signals.created.disconnect(announce, sender=Ticket)

        def iterate() -> None:
            for ticket in client.tickets.iter(per_page=50):
                customer = ticket.customer.login if ticket.customer else "-"
                tour.say(
                    f"   #{ticket.number} {ticket.title!r:24} group={_name(ticket.group)} "
                    f"state={_name(ticket.state)} customer={customer}"
                )

        def search() -> None:
            found = list(client.tickets.search("printer"))
            tour.say(f"   search 'printer' found {[ticket.title for ticket in found]}")

        def impersonate() -> None:
            with client.impersonation_of("nicole.braun@zammad.org"):
                me = client.users.me()
                visible = [ticket.id for ticket in client.tickets]
            tour.say(f"   acting as {me.login}: sees tickets {visible}")

        def unit_of_work() -> None:
            with client.unit_of_work() as work:  # what a web request or a notebook cell gets
                for ticket in client.tickets.search("printer"):
                    ticket.note = "seen by the night shift"
                report = work.commit(workers=4)
                tour.say(f"   committed: {[(w.action, w.obj.id) for w in report.writes]}")
                client.tickets(1).title = "a half-typed draft"  # never committed
            tour.say(
                "   leaving the block discarded the draft (the warning above names it): "
                "it was never sent"
            )

        tour.step("Connect", connect)
        tour.step("A lazy handle costs nothing", lazy_handle)
        tour.step("The first read loads the ticket", first_read)
        tour.step("Related objects resolve through the shared record cache", relations)
        tour.step("Change two fields and save", change_and_save)
        tour.step("Saving a clean object", clean_save)
        tour.step("A name that does not exist", unknown_name)
        tour.step("Create a ticket, with a signal receiver listening", listen_and_create)
        tour.step("Iterate all tickets, reading their relations", iterate)
        tour.step("Search", search)
        tour.step("Impersonate a customer", impersonate)
        tour.step("A unit of work: changes kept apart, then one commit", unit_of_work)
        tour.say(f"\nDone: {len(server.requests)} requests in all.")
        client.session.close()
    return 0
