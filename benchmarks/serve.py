"""The benchmark's fake Zammad, in a process of its own so that it never shares the client's
CPU or memory figures.

Started by :mod:`benchmarks.run`; it prints one JSON line with its URL, then answers one
JSON command per line on stdin with one JSON line on stdout:

* ``{"cmd": "reseed"}``: restore the seed and the workloads' records, forget the counters;
* ``{"cmd": "latency", "seconds": 0.03}``: wait that long before answering each request (per
  request, in its own thread: concurrent requests are not serialized by the wait);
* ``{"cmd": "stats"}``: requests, bytes (request and reply bodies) and server CPU seconds since
  the last reseed;
* ``{"cmd": "check", "workload": "bulk_close"}``: whether the workload left the records right;
* ``{"cmd": "quit"}``.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from typing import Any

from benchmarks.workloads import Sizes, seed_workloads, verify
from zammad_orm.testing import FakeZammad
from zammad_orm.testing.http import Reply

TOKEN = "bench-token"


class CountingServer:
    """A :class:`FakeZammad` whose app counts requests, bytes and CPU."""

    def __init__(self, sizes: Sizes) -> None:
        self.sizes = sizes
        self.server = FakeZammad(token=TOKEN)
        self._lock = threading.Lock()
        self.requests = 0
        self.bytes = 0
        self.cpu = 0.0
        handle = self.server.app.handle

        def counting(
            method: str, path: str, query: dict[str, str], body: Any, headers: dict[str, str]
        ) -> Reply:
            started = time.thread_time()
            reply = handle(method, path, query, body, headers)
            spent = time.thread_time() - started
            sent = len(json.dumps(body)) if body is not None else 0
            with self._lock:
                self.requests += 1
                self.bytes += sent + len(reply.body)
                self.cpu += spent
            return reply

        self.server.app.handle = counting  # type: ignore[method-assign]
        self.facts: dict[str, Any] = {}
        self.reseed()

    def reseed(self) -> None:
        """The seed plus the workloads' records; counters at zero."""
        self.server.app.reset()
        self.facts = seed_workloads(self.server.app.store, self.sizes)
        with self._lock:
            self.requests, self.bytes, self.cpu = 0, 0, 0.0

    def answer(self, command: dict[str, Any]) -> dict[str, Any]:
        """The reply to one command."""
        name = command.get("cmd")
        if name == "reseed":
            self.reseed()
            return {"ok": True}
        if name == "latency":
            self.server.latency = float(command["seconds"])
            return {"ok": True}
        if name == "stats":
            with self._lock:
                return {"requests": self.requests, "bytes": self.bytes, "cpu": self.cpu}
        if name == "check":
            with self.server.app.store.lock:
                problem = verify(self.server.app.store, command["workload"], self.sizes)
            return {"ok": problem is None, "problem": problem}
        raise ValueError(f"unknown command {command!r}")


def main() -> None:
    """Serve until ``quit`` or the end of stdin."""
    sizes = Sizes.from_json(sys.argv[1])
    counting = CountingServer(sizes)
    with counting.server as server:
        print(json.dumps({"url": server.url, "token": TOKEN, **counting.facts}), flush=True)
        for line in sys.stdin:
            command = json.loads(line)
            if command.get("cmd") == "quit":
                break
            print(json.dumps(counting.answer(command)), flush=True)


if __name__ == "__main__":
    main()
