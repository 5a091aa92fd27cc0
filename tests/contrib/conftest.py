"""Shared helpers of the framework integration tests: the example apps' folders on the path,
a WSGI app served on loopback (for the fake server's webhooks), webhook setup."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest

from zammad_orm import Client

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
sys.path[:0] = [str(EXAMPLES / "flask"), str(EXAMPLES / "django")]

#: the webhook secret the tests configure on both sides
SECRET = "hook-secret"


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _ThreadedWSGIServer(WSGIServer):
    daemon_threads = True


@pytest.fixture
def serve_wsgi() -> Iterator[Callable[[Any], str]]:
    """Serve a WSGI app on loopback in a thread; returns its base URL."""
    servers: list[WSGIServer] = []

    def serve(app: Any) -> str:
        server = make_server(
            "127.0.0.1", 0, app, server_class=_ThreadedWSGIServer, handler_class=_QuietHandler
        )
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


def hook_ticket_updates(client: Client, url: str) -> None:
    """Make the fake Zammad call ``url`` (signed with :data:`SECRET`) on every ticket update."""
    hook = client.post("webhooks", json={"name": "App", "endpoint": url, "signature_token": SECRET})
    client.post(
        "triggers",
        json={
            "name": "Tell the app",
            "condition": {"ticket.action": {"operator": "is", "value": "update"}},
            "perform": {"notification.webhook": {"webhook_id": hook["id"]}},
            "execution_condition_mode": "always",
        },
    )
