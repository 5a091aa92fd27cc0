"""Server CPU per request of the fake Zammad with many tickets stored, and memory per ticket.

Calls the app directly (no socket, no client), so the figures are the fake server's own work:
routing, authentication, the handler and JSON encoding. Run::

    python -m benchmarks.server_cpu --tickets 50000

Each request is repeated ``--repeat`` times; the table shows the median milliseconds of CPU.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from zammad_orm.testing import FakeZammad
from zammad_orm.testing.bulk import add_tickets, add_users

TOKEN = "bench-token"
HEADERS = {"authorization": f"Token token={TOKEN}"}


@dataclass(frozen=True)
class Probe:
    """One request to time."""

    name: str
    method: str
    path: str
    query: dict[str, str]
    body: Any = None
    #: a request made first, in the same timing (a write the search must then follow)
    before: Probe | None = None


def probes(tickets: int) -> list[Probe]:
    """The requests the table shows, for a store holding about ``tickets`` tickets."""
    middle = max(2, tickets // 2)
    last_page = str(max(1, tickets // 100))
    return [
        Probe("list page 1 (plain)", "GET", "/tickets", {"page": "1", "per_page": "100"}),
        Probe("list last page", "GET", "/tickets", {"page": last_page, "per_page": "100"}),
        Probe("list page full=true", "GET", "/tickets", {"per_page": "100", "full": "true"}),
        Probe("list page expand=true", "GET", "/tickets", {"per_page": "100", "expand": "true"}),
        Probe("show one ticket", "GET", f"/tickets/{middle}", {}),
        Probe("articles of a ticket", "GET", f"/ticket_articles/by_ticket/{middle}", {}),
        Probe(
            "search, one match",
            "GET",
            "/tickets/search",
            {"query": f'title:"Bulk ticket {middle - 1}"', "per_page": "50"},
        ),
        Probe(
            "search, 1 in 10 match",
            "GET",
            "/tickets/search",
            {"query": "state.name:closed", "per_page": "200"},
        ),
        Probe(
            "search free text",
            "GET",
            "/tickets/search",
            {"query": f"Bulk ticket {middle - 1}", "per_page": "50"},
        ),
        Probe(
            "search 1 in 10 full=true",
            "GET",
            "/tickets/search",
            {"query": "state.name:closed", "per_page": "200", "full": "true"},
        ),
        Probe(
            "search keyset id:>N",
            "GET",
            "/tickets/search",
            {
                "query": f"(state.name:closed) AND id:>{middle}",
                "per_page": "200",
                "sort_by": "id",
                "order_by": "asc",
            },
        ),
        Probe(
            "search 9 in 10 match",
            "GET",
            "/tickets/search",
            {"query": "state.name:open", "per_page": "50"},
        ),
        Probe(
            "PUT, then search",
            "GET",
            "/tickets/search",
            {"query": "state.name:closed", "per_page": "200"},
            before=Probe("", "PUT", f"/tickets/{middle + 2}", {}, {"title": "Renamed"}),
        ),
        Probe("PUT title", "PUT", f"/tickets/{middle}", {}, {"title": "Renamed"}),
        Probe("PUT state closed", "PUT", f"/tickets/{middle + 1}", {}, {"state": "closed"}),
        Probe(
            "POST article",
            "POST",
            "/ticket_articles",
            {},
            {"ticket_id": middle, "body": "More", "type": "note", "internal": True},
        ),
    ]


def measure(call: Callable[[], Any], repeat: int) -> float:
    """The median CPU milliseconds of ``call``."""
    samples = []
    for _ in range(repeat):
        started = time.process_time()
        call()
        samples.append((time.process_time() - started) * 1000)
    return statistics.median(samples)


def seed(server: FakeZammad, tickets: int) -> None:
    """``tickets`` tickets (one article each, every tenth closed) for 20 customers."""
    store = server.app.store
    customers = add_users(store, 20)
    add_tickets(
        store,
        tickets - len(store.tables["tickets"]),
        customer_ids=customers,
        owner_ids=[3, 4],
        state_ids=[2, 2, 2, 2, 2, 2, 2, 2, 2, 4],
    )


def bytes_per_ticket(count: int) -> tuple[float, float, float]:
    """Traced bytes per stored ticket, without and with one article each, and what the
    search index adds (documents, the free-text corpus and a field index, after searches)."""
    stored = []
    searched = 0.0
    for articles in (0, 1):
        server = FakeZammad(token=TOKEN)
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        add_tickets(server.app.store, count, articles=articles)
        after = tracemalloc.get_traced_memory()[0]
        stored.append((after - before) / count)
        if articles:
            for query in ("state.name:closed", "Bulk ticket 7"):
                server.app.handle("GET", "/api/v1/tickets/search", {"query": query}, None, HEADERS)
            searched = (tracemalloc.get_traced_memory()[0] - after) / count
        tracemalloc.stop()
    return stored[0], stored[1], searched


def main(argv: list[str] | None = None) -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=50_000, help="tickets stored")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each request")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    options = parser.parse_args(argv)

    server = FakeZammad(token=TOKEN)
    seed(server, options.tickets)
    app = server.app
    rows = []
    for probe in probes(options.tickets):

        def call(probe: Probe = probe) -> Any:
            if probe.before is not None:
                call(probe.before)
            reply = app.handle(
                probe.method, "/api/v1" + probe.path, probe.query, probe.body, HEADERS
            )
            if reply.status >= 400:
                raise RuntimeError(f"{probe.name}: {reply.status} {reply.body[:200]!r}")
            return reply

        size = len(call().body)
        rows.append({"request": probe.name, "ms": measure(call, options.repeat), "bytes": size})
    plain, with_article, searched = bytes_per_ticket(min(options.tickets, 20_000))
    if options.json:
        print(
            json.dumps(
                {
                    "tickets": options.tickets,
                    "rows": rows,
                    "bytes_per_ticket": plain,
                    "bytes_per_ticket_with_article": with_article,
                    "search_index_bytes_per_ticket": searched,
                }
            )
        )
        return
    print(
        f"fake server CPU per request, {options.tickets:,} tickets stored "
        f"(median of {options.repeat})"
    )
    print(f"{'request':<26}{'CPU ms':>10}{'reply bytes':>14}")
    for row in rows:
        print(f"{row['request']:<26}{row['ms']:>10.2f}{row['bytes']:>14,}")
    print(f"memory per stored ticket: {plain:,.0f} B ({with_article:,.0f} B with one article)")
    print(f"the search index after two searches: {searched:,.0f} B more per ticket")


if __name__ == "__main__":
    main()
