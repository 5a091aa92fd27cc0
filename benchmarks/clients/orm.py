"""The workloads with zammad_orm, as its docs (docs/resources.md) show them."""

from __future__ import annotations

from typing import Any

from benchmarks.clients import summary, triage_rows
from benchmarks.workloads import CLEANUP_QUERY, CLOSABLE_QUERY, NEW_VALUE, PREFERENCE
from zammad_orm import Client


def _client(url: str, token: str) -> Client:
    return Client(url, http_token=token)


def triage(url: str, token: str, facts: dict[str, Any]) -> dict[str, Any]:
    """Every ticket's title, state, group, owner login and customer email."""
    client = _client(url, token)
    return triage_rows(client.tickets.iter(per_page=100, prefetch=3))


def bulk_close(url: str, token: str, facts: dict[str, Any]) -> dict[str, Any]:
    """Close the closable tickets that are not closed."""
    client = _client(url, token)
    with client.unit_of_work() as work:
        found = list(client.tickets.search(CLOSABLE_QUERY, per_page=200))
        for ticket in found:
            if ticket.state.name != "closed":
                ticket.state = "closed"
        work.commit(workers=16)
    return summary((t.id,) for t in found)


def audit(url: str, token: str, facts: dict[str, Any]) -> dict[str, Any]:
    """Every article of the audit tickets."""
    client = _client(url, token)
    found = client.ticket_articles.by_tickets(facts["audit_ids"], workers=16)
    return summary(
        (a.id, a.ticket_id, a.from_, a.subject, a.body)
        for ident in facts["audit_ids"]
        for a in found[ident]
    )


def cleanup(url: str, token: str, facts: dict[str, Any]) -> dict[str, Any]:
    """Set one preference of every cleanup user."""
    client = _client(url, token)
    with client.unit_of_work() as work:
        found = list(client.users.search(CLEANUP_QUERY, per_page=200))
        for user in found:
            user.preferences[PREFERENCE] = NEW_VALUE
        work.commit(workers=16)
    return summary((u.id,) for u in found)
