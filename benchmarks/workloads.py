"""The four wire workloads: their sizes, the records they need, their request limits and the
check that a client did them right."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from zammad_orm.testing.bulk import add_tickets, add_users

if TYPE_CHECKING:
    from zammad_orm.testing.store import Store

__all__ = ["WORKLOADS", "Sizes", "limit", "seed_workloads", "verify"]

#: the workloads, in the order the tables show them
WORKLOADS = ("triage", "bulk_close", "audit", "cleanup")

#: what each workload does, for the tables' headings
DESCRIPTIONS = {
    "triage": "read title, state, group, owner login, customer email of every ticket",
    "bulk_close": "search the closable tickets, close those not closed",
    "audit": "read every article of the audit tickets",
    "cleanup": "change one preference key on every cleanup user",
}

#: server page caps: the ticket index, and search
TICKET_PAGE, SEARCH_PAGE = 100, 200
#: every tenth closable ticket is closed already
CLOSED_EVERY = 10
#: articles per audit ticket
AUDIT_ARTICLES = 3
#: the closable tickets' search, the cleanup users' search, the preference changed
CLOSABLE_QUERY = "title:closable"
CLEANUP_QUERY = "login:cleanup-*"
PREFERENCE, NEW_VALUE = "locale", "de-de"
#: the ticket states of the seed: open and closed
OPEN, CLOSED = 2, 4


@dataclass(frozen=True)
class Sizes:
    """How big each workload is."""

    #: tickets stored and read by triage (the welcome ticket included)
    tickets: int = 5000
    #: tickets the bulk close finds
    closable: int = 500
    #: tickets whose articles the audit reads
    audit: int = 200
    #: users the cleanup changes
    users: int = 500
    #: customers the tickets belong to
    customers: int = 25

    def to_json(self) -> str:
        """These sizes as JSON."""
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Sizes:
        """Sizes from :meth:`to_json`."""
        return cls(**json.loads(text))

    @property
    def to_close(self) -> int:
        """How many closable tickets are not closed yet."""
        return self.closable - self.closable // CLOSED_EVERY

    def check(self) -> None:
        """ValueError unless the closable and audit tickets fit in :attr:`tickets`."""
        if self.tickets < 1 + self.closable + self.audit:
            raise ValueError(
                f"--tickets {self.tickets} is too small for {self.closable} closable and "
                f"{self.audit} audit tickets besides the welcome ticket"
            )


def limit(workload: str, sizes: Sizes) -> int:
    """The fewest requests that do ``workload``: a walk ends at the first short page (so a
    full last page costs an empty one more), names of states come from one lookup list, and
    a user's ``preferences`` are replaced whole by Zammad, so the cleanup must read them."""
    if workload == "triage":
        return sizes.tickets // TICKET_PAGE + 1 + 1
    if workload == "bulk_close":
        return sizes.to_close // SEARCH_PAGE + 1 + sizes.to_close
    if workload == "audit":
        return sizes.audit
    if workload == "cleanup":
        return sizes.users // SEARCH_PAGE + 1 + sizes.users
    raise ValueError(f"unknown workload {workload!r}")


def seed_workloads(store: Store, sizes: Sizes) -> dict[str, Any]:
    """Add the workloads' records to a freshly seeded store; return what clients need to know
    (the audit tickets' ids)."""
    sizes.check()
    customers = add_users(store, sizes.customers, login="customer-{n}@example.com")
    rest = sizes.tickets - len(store.tables["tickets"]) - sizes.closable - sizes.audit
    add_tickets(store, rest, customer_ids=customers, owner_ids=[3, 4])
    add_tickets(
        store,
        sizes.closable,
        title="Closable {n}",
        customer_ids=customers,
        owner_ids=[3, 4],
        state_ids=[OPEN] * (CLOSED_EVERY - 1) + [CLOSED],
    )
    audit = add_tickets(
        store,
        sizes.audit,
        title="Audit ticket {n}",
        customer_ids=customers,
        owner_ids=[4],
        articles=AUDIT_ARTICLES,
    )
    add_users(
        store,
        sizes.users,
        login="cleanup-{n}@example.com",
        preferences=lambda n: {
            PREFERENCE: "en-us",
            "notification_config": {"matrix": {"create": {"criteria": {"owned_by_me": True}}}},
            "intro": n % 2 == 0,
        },
    )
    return {"audit_ids": audit}


def verify(store: Store, workload: str, sizes: Sizes) -> str | None:
    """What a workload left wrong in the store, or None."""
    if workload == "bulk_close":
        tickets = store.tables["tickets"].values()
        closable = {t["id"] for t in tickets if t["title"].startswith("Closable ")}
        still_open = [t["id"] for t in tickets if t["id"] in closable and t["state_id"] != CLOSED]
        if still_open:
            return f"{len(still_open)} closable tickets not closed, e.g. {still_open[:3]}"
        others = [t["id"] for t in tickets if t["state_id"] == CLOSED and t["id"] not in closable]
        if others:
            return f"{len(others)} other tickets closed, e.g. {others[:3]}"
    if workload == "cleanup":
        users = [u for u in store.tables["users"].values() if u["login"].startswith("cleanup-")]
        wrong = [
            u["id"]
            for u in users
            if u["preferences"].get(PREFERENCE) != NEW_VALUE
            or "notification_config" not in u["preferences"]
            or u["preferences"].get("intro") is not (int(u["lastname"].split()[-1]) % 2 == 0)
        ]
        if len(users) != sizes.users or wrong:
            return f"{len(wrong)} of {len(users)} users wrong, e.g. {wrong[:3]}"
    return None
