"""The workloads with plain ``requests``, making exactly the fewest requests (see
:func:`benchmarks.workloads.limit`), one after the other."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import requests

from benchmarks.clients import summary
from benchmarks.workloads import (
    CLEANUP_QUERY,
    CLOSABLE_QUERY,
    NEW_VALUE,
    PREFERENCE,
    SEARCH_PAGE,
    TICKET_PAGE,
)


class _Api:
    def __init__(self, url: str, token: str) -> None:
        self.url = url
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Token token={token}"

    def get(self, path: str, **params: Any) -> Any:
        response = self.session.get(f"{self.url}/{path}", params=params)
        response.raise_for_status()
        return response.json()

    def put(self, path: str, body: dict[str, Any]) -> Any:
        response = self.session.put(f"{self.url}/{path}", json=body)
        response.raise_for_status()
        return response.json()

    def pages(self, path: str, size: int, **params: Any) -> Iterator[Any]:
        """Each page's reply, up to the first short one; ``count`` says how long a page is."""
        number = 1
        while True:
            reply = self.get(path, page=number, per_page=size, **params)
            yield reply
            length = len(
                reply["record_ids"]
                if "record_ids" in reply
                else reply["tickets"]
                if isinstance(reply, dict)
                else reply
            )
            if length < size:
                return
            number += 1


def triage(url: str, token: str, facts: dict[str, Any]) -> dict[str, Any]:
    """Every ticket's title, state, group, owner login and customer email."""
    api = _Api(url, token)
    states = {state["id"]: state["name"] for state in api.get("ticket_states")}
    rows = []
    for reply in api.pages("tickets", TICKET_PAGE, full="true"):
        assets = reply["assets"]
        users, groups = assets.get("User", {}), assets.get("Group", {})
        for ident in reply["record_ids"]:
            t = assets["Ticket"][str(ident)]
            rows.append(
                (
                    t["id"],
                    t["title"],
                    states[t["state_id"]],
                    groups[str(t["group_id"])]["name"],
                    users[str(t["owner_id"])]["login"],
                    users[str(t["customer_id"])]["email"],
                )
            )
    return summary(rows)


def bulk_close(url: str, token: str, facts: dict[str, Any]) -> dict[str, Any]:
    """Close the closable tickets that are not closed (the search leaves the closed out)."""
    api = _Api(url, token)
    query = f"{CLOSABLE_QUERY} AND NOT state.name:closed"
    ids = [
        i
        for reply in api.pages("tickets/search", SEARCH_PAGE, query=query)
        for i in reply["tickets"]
    ]
    for ident in ids:
        api.put(f"tickets/{ident}", {"state": "closed"})
    return summary((ident,) for ident in ids)


def audit(url: str, token: str, facts: dict[str, Any]) -> dict[str, Any]:
    """Every article of the audit tickets."""
    api = _Api(url, token)
    return summary(
        (a["id"], a["ticket_id"], a["from"], a["subject"], a["body"])
        for ident in facts["audit_ids"]
        for a in api.get(f"ticket_articles/by_ticket/{ident}")
    )


def cleanup(url: str, token: str, facts: dict[str, Any]) -> dict[str, Any]:
    """Set one preference of every cleanup user (Zammad replaces a user's preferences whole,
    so the search's copy is sent back with the one key changed)."""
    api = _Api(url, token)
    users = [
        u for page in api.pages("users/search", SEARCH_PAGE, query=CLEANUP_QUERY) for u in page
    ]
    for user in users:
        api.put(
            f"users/{user['id']}", {"preferences": {**user["preferences"], PREFERENCE: NEW_VALUE}}
        )
    return summary((u["id"],) for u in users)
