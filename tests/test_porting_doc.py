"""docs/porting.md maps every zammadoo item of this part of the survey to a test that exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).parent.parent
PORTING = ROOT / "docs" / "porting.md"

#: the survey's ids this table covers (tickets and articles have their own table)
IDS = [
    *(f"C{n}" for n in range(1, 16)),
    *(f"M{n}" for n in range(1, 10)),
    *(f"R{n}" for n in range(1, 22)),
    *(f"K{n}" for n in range(1, 8)),
    *(f"T{n}" for n in range(2, 6)),
    *(f"U{n}" for n in range(1, 11)),
    "G1", "G2", "O1", "O2", "RO1", "RO2", "RO3",
    *(f"TG{n}" for n in (*range(1, 9), 10)),
    "N1", "N2", "N3", "TA1", "TA2", "TA3", "TA4",
]  # fmt: skip


def rows() -> dict[str, str]:
    """The table rows by id."""
    found = {}
    for line in PORTING.read_text().splitlines():
        match = re.match(r"\| (\w+) \|", line)
        if match:
            found[match.group(1)] = line
    return found


def test_every_item_has_a_row_citing_a_test() -> None:
    table = rows()
    assert [ident for ident in IDS if "::test_" not in table.get(ident, "")] == []


def test_every_cited_test_exists() -> None:
    cited = re.findall(r"`(tests/[\w/]+\.py)::(test_\w+)`", PORTING.read_text())
    assert cited
    missing = []
    for path, name in cited:
        tree = ast.parse((ROOT / path).read_text())
        defined = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
        if name not in defined:
            missing.append(f"{path}::{name}")
    assert missing == []
