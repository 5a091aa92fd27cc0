"""Workloads 5 and 6: the object layer's CPU and memory, against the same work on plain dicts.

The ticket pages come from the fake server once and are replayed from memory (ids shifted
page by page) through a ``requests`` adapter, so the figures are the client's own work; any
other request (the ticket states) goes to a real fake server.

    python -m benchmarks.hotloop [--quick] [--markdown]
    python -m benchmarks.hotloop --profile 20000   # where building 20,000 tickets spends
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import itertools
import json
import pstats
import time
import tracemalloc
import urllib.parse
from collections.abc import Callable, Sequence
from typing import Any

import requests
import zammadoo
from requests.adapters import BaseAdapter, HTTPAdapter
from requests.structures import CaseInsensitiveDict

from benchmarks.run import table
from zammad_orm import Client
from zammad_orm.testing import FakeZammad
from zammad_orm.testing.bulk import add_tickets, add_users

PAGE = 100


class Pages:
    """Ticket pages (plain and ``full=true``) of ``count`` tickets, made from one real page."""

    def __init__(self, server: FakeZammad, count: int) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Token token={server.token}"
        params = {"per_page": PAGE, "page": 1}
        plain = session.get(f"{server.url}/tickets", params=params).json()
        full = session.get(f"{server.url}/tickets", params={**params, "full": "true"}).json()
        self.plain: list[bytes] = []
        self.full: list[bytes] = []
        for number in range(count // PAGE):
            shift = number * PAGE
            records = [{**record, "id": record["id"] + shift} for record in plain]
            self.plain.append(json.dumps(records).encode())
            tickets = {str(r["id"]): r for r in records}
            assets = {**full["assets"], "Ticket": tickets}
            self.full.append(
                json.dumps({"record_ids": [r["id"] for r in records], "assets": assets}).encode()
            )
        self.plain.append(b"[]")
        self.full.append(json.dumps({"record_ids": [], "assets": {}}).encode())


class Replay(BaseAdapter):
    """Answers ``GET .../tickets?page=N`` from :class:`Pages`, everything else for real."""

    def __init__(self, pages: Pages) -> None:
        super().__init__()
        self.pages = pages
        self.real = HTTPAdapter()

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        """The replayed page, or the real answer."""
        parts = urllib.parse.urlsplit(request.url or "")
        query = dict(urllib.parse.parse_qsl(parts.query))
        if not parts.path.endswith("/tickets") or "page" not in query:
            return self.real.send(request, **kwargs)
        pages = self.pages.full if query.get("full") == "true" else self.pages.plain
        response = requests.Response()
        response.status_code = 200
        response._content = pages[min(int(query["page"]), len(pages)) - 1]
        response.headers = CaseInsensitiveDict({"Content-Type": "application/json"})
        response.encoding = "utf-8"
        response.url = request.url or ""
        response.request = request
        return response

    def close(self) -> None:
        """Close the real adapter."""
        self.real.close()


def orm_client(server: FakeZammad, pages: Pages, **options: Any) -> Client:
    """A zammad_orm client whose ticket pages are replayed."""
    client = Client(server.url, http_token=server.token, **options)
    client.session.mount("http://", Replay(pages))
    return client


def zammadoo_client(server: FakeZammad, pages: Pages) -> zammadoo.Client:
    """A zammadoo client whose ticket pages are replayed."""
    client = zammadoo.Client(server.url, http_token=server.token)
    client.session.mount("http://", Replay(pages))
    return client


def cpu(work: Callable[[], object]) -> float:
    """CPU seconds of ``work``."""
    gc.collect()
    started = time.process_time()
    work()
    return time.process_time() - started


def per_read(objects: Sequence[Any], read: Callable[[Any], object], reads: int) -> float:
    """Nanoseconds per ``read(obj)``, over ``reads`` reads cycling through ``objects``."""
    rounds = max(1, reads // len(objects))

    def work() -> None:
        for _ in range(rounds):
            for obj in objects:
                read(obj)

    empty = cpu(lambda: [None for _ in range(rounds) for _obj in objects])
    return max(0.0, cpu(work) - empty) / (rounds * len(objects)) * 1e9


def traced(work: Callable[[], object]) -> tuple[int, int, object]:
    """Bytes still allocated after ``work`` (its result kept), the peak, and the result."""
    gc.collect()
    tracemalloc.start()
    result = work()
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return current, peak, result


def hot_loop(server: FakeZammad, pages: Pages, reads: int, objects: int) -> list[list[str]]:
    """Workload 5's rows."""
    dicts = json.loads(pages.full[0])["assets"]["Ticket"]
    ticket_dicts = list(dicts.values())
    states = {
        s["id"]: s
        for s in requests.get(
            f"{server.url}/ticket_states", headers={"Authorization": f"Token token={server.token}"}
        ).json()
    }
    orm_reader, doo_reader = orm_client(server, pages), zammadoo_client(server, pages)
    orm = list(orm_reader.tickets.iter(per_page=PAGE, page=1))
    doo = list(itertools.islice(doo_reader.tickets.iter(per_page=PAGE), PAGE))
    for ticket in [*orm, *doo]:
        _ = ticket.state.name  # the states' lookup request, outside the timing

    def reading(
        name: str,
        on_dict: Callable[[Any], object],
        on_object: Callable[[Any], object],
        doo_read: Callable[[Any], object],
    ) -> list[str]:
        base = per_read(ticket_dicts, on_dict, reads)
        ours, theirs = per_read(orm, on_object, reads), per_read(doo, doo_read, reads)
        return [
            name,
            f"{base:.0f} ns",
            f"{ours:.0f} ns",
            f"{ours / base:.1f}",
            f"{theirs:.0f} ns",
            f"{theirs / base:.1f}",
        ]

    rows = [
        reading("t.title", lambda d: d["title"], lambda t: t.title, lambda t: t.title),
        reading(
            "t.state.name",
            lambda d: states[d["state_id"]]["name"],
            lambda t: t.state.name,
            lambda t: t.state.name,
        ),
        reading(
            "t.created_at",
            lambda d: d["created_at"],
            lambda t: t.created_at,
            lambda t: t.created_at,
        ),
    ]
    count = objects // PAGE
    full_loads = cpu(lambda: [json.loads(page) for page in pages.full[:count]])
    plain_loads = cpu(lambda: [json.loads(page) for page in pages.plain[:count]])
    client = orm_client(server, pages, cache_maxsize=objects + 1000)
    ours = cpu(lambda: sum(1 for _ in client.tickets.iter(per_page=PAGE)))
    other = zammadoo_client(server, pages)
    theirs = cpu(lambda: sum(1 for _ in other.tickets.iter(per_page=PAGE)))
    rows.append(
        [
            f"build {objects:,} tickets (s)",
            f"{full_loads:.2f} / {plain_loads:.2f}",
            f"{ours:.2f}",
            f"{ours / full_loads:.1f}",
            f"{theirs:.2f}",
            f"{theirs / plain_loads:.1f}",
        ]
    )
    return rows


def memory(server: FakeZammad, pages: Pages, cached: int, streamed: int) -> list[list[str]]:
    """Workload 6's rows."""
    count = cached // PAGE

    def dicts() -> list[Any]:
        return [
            t for page in pages.full[:count] for t in json.loads(page)["assets"]["Ticket"].values()
        ]

    def orm_objects() -> list[Any]:
        client = orm_client(server, pages, cache_maxsize=cached + 1000)
        return list(client.tickets.iter(per_page=PAGE))

    def doo_objects() -> list[Any]:
        client = zammadoo_client(server, pages)
        return [client, *client.tickets.iter(per_page=PAGE)]

    base = traced(dicts)[0] / cached
    ours = traced(orm_objects)[0] / cached
    theirs = traced(doo_objects)[0] / cached
    rows = [
        [
            f"bytes per cached ticket ({cached:,})",
            f"{base:,.0f} B",
            f"{ours:,.0f} B",
            f"{ours / base:.2f}",
            f"{theirs:,.0f} B",
            f"{theirs / base:.2f}",
        ]
    ]

    def stream(make: Callable[[], Any]) -> Callable[[], object]:
        def walk() -> None:
            client = make()
            for number, ticket in enumerate(client.tickets.iter(per_page=PAGE), start=1):
                _ = ticket.title
                if number == streamed:
                    return

        return walk

    orm_peak = traced(stream(lambda: orm_client(server, pages)))[1]
    doo_peak = traced(stream(lambda: zammadoo_client(server, pages)))[1]
    rows.append(
        [
            f"peak streaming {streamed:,} (default cache)",
            "",
            f"{orm_peak / 1e6:.1f} MB",
            "",
            f"{doo_peak / 1e6:.1f} MB",
            "",
        ]
    )
    return rows


def profile_build(server: FakeZammad, pages: Pages, objects: int) -> None:
    """Print building ``objects`` tickets from pages against ``json.loads`` of them, then a
    profile of the building (cumulative time, the 30 heaviest)."""
    count = objects // PAGE
    loads = cpu(lambda: [json.loads(page) for page in pages.full[:count]])
    client = orm_client(server, pages, cache_maxsize=objects + 1000)
    built = cpu(lambda: sum(1 for _ in client.tickets.iter(per_page=PAGE)))
    print(
        f"building {objects:,} tickets: {built:.3f} s, json.loads {loads:.3f} s, "
        f"{built / loads:.2f} x\n"
    )
    client = orm_client(server, pages, cache_maxsize=objects + 1000)
    profiler = cProfile.Profile()
    profiler.runcall(lambda: sum(1 for _ in client.tickets.iter(per_page=PAGE)))
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


def main(argv: Sequence[str] | None = None) -> None:
    """Print workloads 5 and 6."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a fiftieth of the sizes")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    parser.add_argument(
        "--profile", type=int, metavar="N", help="profile building N tickets, nothing else"
    )
    options = parser.parse_args(argv)
    scale = 50 if options.quick else 1
    reads, objects = 1_000_000 // scale, 100_000 // scale
    cached, streamed = 100_000 // scale, 50_000 // scale
    with FakeZammad() as server:
        store = server.app.store
        add_tickets(store, PAGE, customer_ids=add_users(store, 25), owner_ids=[3, 4])
        if options.profile:
            profile_build(server, Pages(server, options.profile), options.profile)
            return
        pages = Pages(server, max(objects, cached, streamed))
        header = ["", "dict", "zammad_orm", "x dict", "zammadoo", "x dict"]
        print(
            f"\n5. hot loop: {reads:,} reads of each attribute, per read; building "
            "(dict: json.loads of the full / plain pages)\n"
        )
        print(table([header, *hot_loop(server, pages, reads, objects)], options.markdown))
        print("\n6. memory (tracemalloc)\n")
        print(table([header, *memory(server, pages, cached, streamed)], options.markdown))


if __name__ == "__main__":
    main()
