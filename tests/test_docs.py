"""Every ```python block of the docs runs against the fake server.

The blocks of one page run in order in one namespace, which starts with ``server`` (the fake
Zammad server, reset) and ``client`` (a Client bound to it), so a page can build on its
earlier blocks. A block that shows how to reach a real Zammad is preceded by the marker
``<!-- docs-test: skip (needs a real Zammad server) -->`` and is only checked to compile; the
reason in parentheses is required. After each block a ``client`` bound to anything but a
server on loopback is bound to the fake server again, so a block that shows
``client = Client("https://helpdesk.example.com/...")`` cannot make later blocks talk to a
real host.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from zammad_orm import Client
from zammad_orm.testing import FakeZammad

DOCS = Path(__file__).resolve().parents[1] / "docs"
MARKER = re.compile(r"<!--\s*docs-test:\s*skip\s*\((?P<reason>[^)]+)\)\s*-->")
LOOPBACK = "http://127.0.0.1:"
FENCE = re.compile(r"^(?P<indent> *)```python\s*$")


@dataclass(frozen=True)
class Block:
    """One ```python block of a page."""

    page: Path
    line: int
    code: str
    skip_reason: str | None


def blocks_of(page: Path) -> list[Block]:
    """The ```python blocks of ``page``, with the skip marker on the line above, if any."""
    lines = page.read_text(encoding="utf-8").splitlines()
    found: list[Block] = []
    index = 0
    while index < len(lines):
        fence = FENCE.match(lines[index])
        if fence is None:
            index += 1
            continue
        indent = len(fence["indent"])
        start = index
        body: list[str] = []
        index += 1
        while lines[index].strip() != "```":
            body.append(lines[index][indent:])
            index += 1
        previous = lines[start - 1] if start else ""
        marker = MARKER.search(previous)
        found.append(
            Block(page, start + 1, "\n".join(body) + "\n", marker["reason"] if marker else None)
        )
        index += 1
    return found


def pages() -> list[Path]:
    return sorted(
        path for path in DOCS.rglob("*.md") if "_build" not in path.relative_to(DOCS).parts
    )


@pytest.mark.parametrize("page", pages(), ids=lambda page: str(page.relative_to(DOCS)))
def test_the_code_blocks_of_the_page_run(
    page: Path, zammad_server: FakeZammad, zammad_client: Client
) -> None:
    namespace: dict[str, object] = {
        "__name__": f"docs.{page.stem}",
        "server": zammad_server,
        "client": zammad_client,
    }
    started: list[FakeZammad] = []
    try:
        for block in blocks_of(page):
            code = compile(block.code, f"{page}:{block.line}", "exec")
            if block.skip_reason is not None:
                continue
            exec(code, namespace)
            started += [v for v in namespace.values() if isinstance(v, FakeZammad)]
            client = namespace.get("client")
            if not isinstance(client, Client) or not client.url.startswith(LOOPBACK):
                namespace["client"] = zammad_client
    finally:
        for server in started:
            if server is not zammad_server:
                server.stop()


def test_the_marker_needs_a_reason_and_the_pages_have_code() -> None:
    bare = [
        f"{page.name}:{number}"
        for page in pages()
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1)
        if "docs-test:" in line and not MARKER.search(line)
    ]
    assert bare == []
    assert sum(len(blocks_of(page)) for page in pages()) > 20
