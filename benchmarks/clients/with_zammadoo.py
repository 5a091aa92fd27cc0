"""The workloads with zammadoo, as its docs show them (``client.pagination`` for page sizes,
``update()`` to write)."""

from __future__ import annotations

from typing import Any

import zammadoo

from benchmarks.clients import summary, triage_rows
from benchmarks.workloads import CLEANUP_QUERY, CLOSABLE_QUERY, NEW_VALUE, PREFERENCE


def _client(url: str, token: str) -> zammadoo.Client:
    return zammadoo.Client(url, http_token=token)


def triage(url: str, token: str, facts: dict[str, Any]) -> dict[str, Any]:
    """Every ticket's title, state, group, owner login and customer email."""
    client = _client(url, token)  # zammadoo's managers hold their client weakly
    return triage_rows(client.tickets.iter(per_page=100))


def bulk_close(url: str, token: str, facts: dict[str, Any]) -> dict[str, Any]:
    """Close the closable tickets that are not closed."""
    client = _client(url, token)
    found = list(client.tickets.search(CLOSABLE_QUERY, per_page=200))
    for ticket in found:
        if ticket.state.name != "closed":
            ticket.update(state="closed")
    return summary((t.id,) for t in found)


def audit(url: str, token: str, facts: dict[str, Any]) -> dict[str, Any]:
    """Every article of the audit tickets."""
    client = _client(url, token)
    return summary(
        (a.id, a.ticket_id, a["from"], a.subject, a.body)
        for ident in facts["audit_ids"]
        for a in client.tickets(ident).articles
    )


def cleanup(url: str, token: str, facts: dict[str, Any]) -> dict[str, Any]:
    """Set one preference of every cleanup user."""
    client = _client(url, token)
    found = list(client.users.search(CLEANUP_QUERY, per_page=200))
    for user in found:
        user.update(preferences={**user.preferences, PREFERENCE: NEW_VALUE})
    return summary((u.id,) for u in found)
