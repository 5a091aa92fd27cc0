"""One module per client library, each doing the four wire workloads the way its docs show.

Every module has ``triage``, ``bulk_close``, ``audit`` and ``cleanup``, each taking the API
URL, the token and the facts of the seeded server, and returning :func:`summary` of what it
read, so that the harness can tell that all clients read the same.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

#: the modules, by the name the tables show
CLIENTS = {
    "zammad_orm": "benchmarks.clients.orm",
    "zammadoo": "benchmarks.clients.with_zammadoo",
    "zammad_py": "benchmarks.clients.with_zammad_py",
    "raw requests": "benchmarks.clients.raw",
}


def summary(rows: Iterable[tuple[Any, ...]]) -> dict[str, Any]:
    """How many rows were read and a digest of them, in any order."""
    lines = sorted(repr(row) for row in rows)
    return {"rows": len(lines), "digest": hashlib.sha1("\n".join(lines).encode()).hexdigest()[:12]}


def triage_rows(tickets: Iterable[Any]) -> dict[str, Any]:
    """:func:`summary` of the triage fields of ticket objects (zammad_orm's and zammadoo's
    read alike)."""
    return summary(
        (t.id, t.title, t.state.name, t.group.name, t.owner.login, t.customer.email)
        for t in tickets
    )
