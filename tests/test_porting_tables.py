"""The porting tables in docs/porting/ name tests that exist: every row stays proven."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TABLES = sorted((ROOT / "docs" / "porting").glob("*.md"))
_REFERENCE = re.compile(r"`(?:(test_\w+\.py))?::(test_\w+)`")


def _referenced(table: Path) -> list[tuple[str, str]]:
    """``(test file, test name)`` pairs a table cites; ``::name`` continues the last file."""
    found: list[tuple[str, str]] = []
    for line in table.read_text().splitlines():
        current = None
        for match in _REFERENCE.finditer(line):
            current = match.group(1) or current
            assert current is not None, f"{table.name}: {match.group(0)} names no file"
            found.append((current, match.group(2)))
    return found


def _tests_in(name: str) -> set[str]:
    tree = ast.parse((ROOT / "tests" / name).read_text())
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}


@pytest.mark.parametrize("table", TABLES, ids=lambda path: path.name)
def test_every_cited_test_exists(table: Path) -> None:
    cited = _referenced(table)
    assert cited
    missing = [f"{file}::{test}" for file, test in cited if test not in _tests_in(file)]
    assert missing == []
