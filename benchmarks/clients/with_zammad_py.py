"""The workloads with zammad_py, as its README shows them (``all()``/``search()`` pages with
``next_page()``, plain dicts with names from ``expand``); users it needs are kept in a dict."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from zammad_py import ZammadAPI

from benchmarks.clients import summary
from benchmarks.workloads import CLEANUP_QUERY, CLOSABLE_QUERY, NEW_VALUE, PREFERENCE


def _client(url: str, token: str) -> ZammadAPI:
    return ZammadAPI(url=url + "/", http_token=token)


def _every(page: Any) -> Iterator[dict[str, Any]]:
    while True:
        yield from page
        if page.is_last_page():
            return
        page = page.next_page()


def triage(url: str, token: str, facts: dict[str, Any]) -> dict[str, Any]:
    """Every ticket's title, state, group, owner login and customer email."""
    client = _client(url, token)
    emails: dict[int, str] = {}

    def email(user_id: int) -> str:
        if user_id not in emails:
            emails[user_id] = client.user.find(user_id)["email"]
        return emails[user_id]

    return summary(
        (t["id"], t["title"], t["state"], t["group"], t["owner"], email(t["customer_id"]))
        for t in _every(client.ticket.all(filters={"per_page": 100}))
    )


def bulk_close(url: str, token: str, facts: dict[str, Any]) -> dict[str, Any]:
    """Close the closable tickets that are not closed."""
    client = _client(url, token)
    found = list(_every(client.ticket.search(CLOSABLE_QUERY, filters={"per_page": 200})))
    for ticket in found:
        if ticket["state"] != "closed":
            client.ticket.update(ticket["id"], {"state": "closed"})
    return summary((t["id"],) for t in found)


def audit(url: str, token: str, facts: dict[str, Any]) -> dict[str, Any]:
    """Every article of the audit tickets."""
    client = _client(url, token)
    return summary(
        (a["id"], a["ticket_id"], a["from"], a["subject"], a["body"])
        for ident in facts["audit_ids"]
        for a in client.ticket.articles(ident)
    )


def cleanup(url: str, token: str, facts: dict[str, Any]) -> dict[str, Any]:
    """Set one preference of every cleanup user."""
    client = _client(url, token)
    found = list(_every(client.user.search(CLEANUP_QUERY, filters={"per_page": 200})))
    for user in found:
        preferences = {**user["preferences"], PREFERENCE: NEW_VALUE}
        client.user.update(user["id"], {"preferences": preferences})
    return summary((u["id"],) for u in found)
