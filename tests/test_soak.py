"""Soak: threads with units of work run a mixed workload while random faults are injected;
afterwards every touched record on the server matches a model of what should have happened,
and nothing was lost or applied twice.

The size is ``ZAMMAD_ORM_SOAK_OPS`` operations in total (80 by default, the CI size)::

    ZAMMAD_ORM_SOAK_OPS=5000 python -m pytest -m soak -s
"""

from __future__ import annotations

import os
import random
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest

from zammad_orm import Client, Retry, ZammadError
from zammad_orm.testing import FakeZammad

pytestmark = pytest.mark.soak

OPERATIONS = int(os.environ.get("ZAMMAD_ORM_SOAK_OPS", "80"))
THREADS = 4
BATCH = 5

#: the faults drawn before each operation (None: no fault), aimed at that operation's request
FAULTS: list[dict[str, Any] | None] = [
    None,
    None,
    None,
    {"status": 503, "headers": {"Retry-After": "0"}},
    {"status": 502, "body": "html"},
    {"status": 429},
    {"status": 500},
    {"drop": True},
    {"mangle": "drop"},
    {"mangle": "truncate"},
    {"mangle": "garbage"},
    {"mangle": "empty"},
]


@dataclass
class Model:
    """What one worker believes the server holds for its records."""

    titles: dict[int, str] = field(default_factory=dict)
    articles: dict[int, Counter[str]] = field(default_factory=dict)
    organizations: Counter[str] = field(default_factory=Counter)
    operations: int = 0
    faults: int = 0
    failures: int = 0
    recommits: int = 0


def article_bodies(client: Client, ticket: int) -> Counter[str]:
    return Counter(a["body"] for a in client.get("ticket_articles", "by_ticket", ticket))


def organization_names(client: Client) -> Counter[str]:
    names: Counter[str] = Counter()
    page = 1
    while records := client.get("organizations", params={"page": page, "per_page": 100}):
        names.update(record["name"] for record in records)
        page += 1
    return names


class Worker:
    """One thread: its own tickets, its own units of work, its own model."""

    def __init__(self, number: int, server: FakeZammad, client: Client, tickets: list[int]):
        self.number = number
        self.server = server
        self.client = client
        self.tickets = tickets
        self.random = random.Random(number)
        self.model = Model(
            titles={t: str(client.get("tickets", t)["title"]) for t in tickets},
            articles={t: Counter() for t in tickets},
        )

    def inject(self, path: str, method: str) -> None:
        fault = self.random.choice(FAULTS)
        if fault is not None:
            self.server.fail_next(path=path, method=method, **fault)
            self.model.faults += 1

    def run(self, operations: int) -> None:
        done = 0
        while done < operations:
            with self.client.unit_of_work() as work:
                for _ in range(min(BATCH, operations - done)):
                    self.step(work, f"w{self.number}-op{done}")
                    done += 1

    def step(self, work: Any, label: str) -> None:
        kind = self.random.choice(["title", "article", "create"])
        ticket_id = self.random.choice(self.tickets)
        commit = self.random.random() < 0.5
        self.model.operations += 1
        try:
            if kind == "create":
                self.inject(r"^/organizations$", "POST")
                organization = self.client.organizations.new(name=label)
                work.commit() if commit else organization.save()
            else:
                self.inject(rf"^/tickets/{ticket_id}$", "PUT")
                ticket = self.client.tickets(ticket_id)
                if kind == "title":
                    ticket.title = label
                else:
                    ticket["article"] = {"body": label, "type": "note", "internal": True}
                work.commit() if commit else ticket.save()
        except ZammadError:
            self.model.failures += 1
            if kind != "create" and self.random.random() < 0.5:
                self.commit_again(work)
            work.rollback()
            self.resolve(kind, ticket_id, label)
            return
        self.record(kind, ticket_id, label)

    def commit_again(self, work: Any) -> None:
        """Send what the failed write left pending once more, as a script retrying its commit
        would: an article that may have landed is no longer pending, so it is never sent
        twice (a create is left out: a lost reply to a POST leaves no id to recognise it by)."""
        self.model.recommits += 1
        try:
            work.commit()
        except ZammadError:
            self.model.failures += 1

    def record(self, kind: str, ticket_id: int, label: str) -> None:
        if kind == "title":
            self.model.titles[ticket_id] = label
        elif kind == "article":
            self.model.articles[ticket_id][label] += 1
        else:
            self.model.organizations[label] += 1

    def resolve(self, kind: str, ticket_id: int, label: str) -> None:
        """After a failure, learn from the server whether the write was applied: at most once,
        and a title either the old one or the new one."""
        if kind == "title":
            title = str(self.client.get("tickets", ticket_id)["title"])
            assert title in (self.model.titles[ticket_id], label)
            self.model.titles[ticket_id] = title
        elif kind == "article":
            count = article_bodies(self.client, ticket_id)[label]
            assert count in (0, 1), f"article {label} applied {count} times"
            self.model.articles[ticket_id][label] += count
        else:
            count = organization_names(self.client)[label]
            assert count in (0, 1), f"organization {label} created {count} times"
            self.model.organizations[label] += count


def test_mixed_workload_with_random_faults_loses_and_duplicates_nothing(
    zammad_server: FakeZammad,
) -> None:
    client = Client(
        zammad_server.url,
        http_token=zammad_server.token,
        timeout=(2.0, 5.0),
        retry=Retry(),
        sleep=lambda _: None,
    )
    workers = []
    for number in range(THREADS):
        tickets = [
            client.post(
                "tickets", json={"title": f"w{number}", "group": "Users", "customer_id": 2}
            )["id"]
            for _ in range(2)
        ]
        workers.append(Worker(number, zammad_server, client, tickets))
    crashes: list[BaseException] = []

    def run(worker: Worker) -> None:
        try:
            worker.run(OPERATIONS // THREADS)
        except BaseException as error:  # reported below, with the thread's traceback lost
            crashes.append(error)

    threads = [threading.Thread(target=run, args=(worker,)) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert crashes == []
    assert zammad_server.faults_pending == 0

    organizations = organization_names(client)
    for worker in workers:
        model = worker.model
        for ticket_id in worker.tickets:
            assert client.get("tickets", ticket_id)["title"] == model.titles[ticket_id]
            mine = +article_bodies(client, ticket_id)
            assert mine == +model.articles[ticket_id]
            assert all(count == 1 for count in mine.values())
        created = {name: organizations[name] for name in model.organizations}
        assert created == dict(model.organizations)
    operations = sum(w.model.operations for w in workers)
    faults = sum(w.model.faults for w in workers)
    failures = sum(w.model.failures for w in workers)
    recommits = sum(w.model.recommits for w in workers)
    assert operations == OPERATIONS // THREADS * THREADS
    print(
        f"\nsoak: {operations} operations, {faults} faults injected, {failures} surfaced, "
        f"{recommits} commits sent again after a failure; nothing lost or duplicated"
    )
