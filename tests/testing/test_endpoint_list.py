"""docs/testing.md lists exactly the endpoints the fake server routes."""

from __future__ import annotations

import re
from pathlib import Path

from zammad_orm.testing import endpoints
from zammad_orm.testing.router import ROUTES

DOC = Path(__file__).resolve().parents[2] / "docs" / "testing.md"
SECTION = "## Endpoints the fake serves"
#: one bullet per path: ``- `GET, POST /tickets` ``
BULLET = re.compile(r"^- `(?P<methods>[A-Z]+(?:, [A-Z]+)*) (?P<path>/\S*)`$")


def documented_endpoints() -> list[tuple[str, str]]:
    """(method, path) of every bullet in the doc's endpoint section, in order."""
    text = DOC.read_text(encoding="utf-8")
    start = text.index(SECTION) + len(SECTION)
    end = text.find("\n## ", start)
    section = text[start : end if end != -1 else len(text)]
    found = []
    for line in section.splitlines():
        match = BULLET.match(line)
        if match:
            found += [(method, match["path"]) for method in match["methods"].split(", ")]
    return found


def routed_endpoints() -> list[tuple[str, str]]:
    """(method, template) of every route the fake server registers."""
    endpoints.load()
    return [(route.method, route.template) for route in ROUTES]


def test_every_routed_endpoint_is_documented() -> None:
    missing = sorted(set(routed_endpoints()) - set(documented_endpoints()))
    assert missing == [], f"add these to {SECTION!r} in docs/testing.md"


def test_every_documented_endpoint_is_routed() -> None:
    unknown = sorted(set(documented_endpoints()) - set(routed_endpoints()))
    assert unknown == [], "docs/testing.md lists endpoints the fake does not serve"


def test_no_endpoint_is_documented_twice() -> None:
    documented = documented_endpoints()
    assert len(documented) == len(set(documented))
