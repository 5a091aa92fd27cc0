"""The example notebook runs under nbclient against the fake server, and renders HTML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

from zammad_orm import Client
from zammad_orm.testing import FakeZammad

NOTEBOOK = Path(__file__).resolve().parents[1] / "docs" / "notebooks" / "tickets.ipynb"


def html_outputs(cell: Any) -> list[str]:
    return [
        output["data"]["text/html"]
        for output in cell.outputs
        if "text/html" in output.get("data", {})
    ]


@pytest.fixture
def executed(
    zammad_server: FakeZammad, zammad_client: Client, monkeypatch: pytest.MonkeyPatch
) -> Any:
    for n in range(3):
        zammad_client.tickets.create(title=f"Printer {n} <jammed>", group="Users", customer_id=2)
    monkeypatch.setenv("ZAMMAD_URL", zammad_server.url)
    monkeypatch.setenv("ZAMMAD_HTTP_TOKEN", zammad_server.token)
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def test_the_notebook_renders_a_ticket_records_and_a_dataframe(executed: Any) -> None:
    connect, ticket, records, frame, progress = executed
    assert connect.outputs[0]["data"]["text/plain"].startswith("'6.2")
    (ticket_html,) = html_outputs(ticket)
    assert "<caption>Ticket 1</caption>" in ticket_html
    assert "<td>title</td><td>Welcome to Zammad!</td>" in ticket_html
    (records_html,) = html_outputs(records)
    assert "<th>customer.email</th>" in records_html
    assert "Printer 2 &lt;jammed&gt;" in records_html
    assert "<jammed>" not in records_html
    (frame_html,) = html_outputs(frame)
    assert "<th>state.name</th>" in frame_html
    assert "users: 4it" in str(progress.outputs)  # Zammad 6.2 reports no search total
    assert progress.outputs[-1]["data"]["text/plain"] == "4"
