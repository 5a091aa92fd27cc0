"""``python -m zammad_orm serve``: the fake Zammad server in the foreground."""

from __future__ import annotations

import argparse
import signal
import threading
from collections.abc import Sequence
from types import FrameType

from zammad_orm.testing.server import FakeZammad

__all__ = ["serve_main"]


def serve_main(argv: Sequence[str] | None = None) -> int:
    """Serve until interrupted; print the API URL and token first."""
    parser = argparse.ArgumentParser(
        prog="zammad-orm serve",
        description="Run the fake Zammad REST API on loopback until interrupted.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8080, help="port (0 picks a free one)")
    parser.add_argument("--token", default="test-token", help="the admin's API token")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="delay before each reply")
    parser.add_argument("--version", default="6.2", help="the Zammad release to answer as")
    options = parser.parse_args(argv)
    stop = threading.Event()

    def interrupt(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    server = FakeZammad(
        token=options.token,
        latency=options.latency_ms / 1000,
        version=options.version,
        host=options.host,
        port=options.port,
    )
    try:
        with server:
            print(f"Fake Zammad API at {server.url} (token: {server.token})", flush=True)
            while not stop.wait(0.2):
                pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0
