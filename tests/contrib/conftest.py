"""Fixtures of the framework integration tests: the example apps' folders on the path and
Django's settings module, a WSGI app served on loopback (for the fake server's webhooks)."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import django
import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
sys.path[:0] = [str(EXAMPLES / "flask"), str(EXAMPLES / "django")]
# Django runs the example project's settings; set up now, since the test modules import
# models (pytest-django finds it configured and only prepares its test environment). The
# variable is not left set: subprocesses (other tests run pytest) must not inherit it.
_previous = os.environ.get("DJANGO_SETTINGS_MODULE")
os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
django.setup()
if _previous is None:
    del os.environ["DJANGO_SETTINGS_MODULE"]
else:
    os.environ["DJANGO_SETTINGS_MODULE"] = _previous


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
