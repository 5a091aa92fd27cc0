"""The HTTP side of the fake server: :class:`FakeZammad`, its request log and fault injection.

The Zammad behaviour itself lives in :mod:`zammad_orm.testing.app`; this module only moves
bytes: it reads requests off a real socket on loopback, records them, applies injected faults
and latency, and writes the app's replies back.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
import time
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from zammad_orm.testing.app import ZammadApp
from zammad_orm.testing.clock import FakeClock, TimeSource, as_clock
from zammad_orm.testing.http import API_PREFIX, Reply, error_reply, html_reply
from zammad_orm.testing.outbox import Delivery

__all__ = ["FakeZammad", "RecordedRequest"]


@dataclass(frozen=True)
class RecordedRequest:
    """One request the fake server received."""

    #: the HTTP method, upper case
    method: str
    #: the full path without the query, e.g. ``/api/v1/tickets/42``
    path: str
    #: the query parameters (the last value wins when one repeats)
    query: dict[str, str]
    #: the decoded JSON body, or None
    json: Any
    #: the request headers, with lower-case names
    headers: dict[str, str]
    #: the status answered (0 when the connection was dropped)
    status: int

    @property
    def endpoint(self) -> str:
        """The path below the API root, e.g. ``/tickets/42``."""
        return self.path[len(API_PREFIX) :] if self.path.startswith(API_PREFIX) else self.path


@dataclass
class _Fault:
    count: int
    status: int
    path: re.Pattern[str] | None
    method: str | None
    body: str
    delay: float
    drop: bool
    headers: dict[str, str] = field(default_factory=dict)

    def applies_to(self, method: str, path: str) -> bool:
        """Whether the fault hits ``method path``; the pattern is tried on the full path
        (``/api/v1/tickets/1``, as the request log has it) and on the part below the API root."""
        if self.method is not None and self.method != method:
            return False
        if self.path is None:
            return True
        endpoint = path[len(API_PREFIX) :] if path.startswith(API_PREFIX) else path
        return any(self.path.search(candidate) is not None for candidate in (path, endpoint))


def _path_pattern(path: str) -> re.Pattern[str]:
    """``path`` compiled; ValueError for a bad expression or one anchored where no request path
    can match (paths start with ``/`` and carry no query)."""
    try:
        pattern = re.compile(path)
    except re.error as error:
        raise ValueError(f"path is not a valid regular expression ({error}): {path!r}") from None
    anchored = path[1:] if path.startswith("^") else None
    if anchored is not None and anchored and not anchored.startswith(("/", "(", "[", ".", "\\")):
        raise ValueError(
            f"path {path!r} can never match: request paths start with '/', e.g. '^/tickets'"
        )
    if "\\?" in path:
        raise ValueError(f"path {path!r} can never match: the query is not part of the path")
    return pattern


class FakeZammad:
    """An in-memory Zammad REST API served over real HTTP on loopback.

    Use it as a context manager (or call :meth:`start` and :meth:`stop`)::

        with FakeZammad() as server:
            client = Client(server.url, http_token=server.token)

    :param token: the admin's personal access token
    :param latency: seconds to wait before every reply
    :param seed: start with the records of a new Zammad install (see
        :mod:`zammad_orm.testing.seed`); False starts with the users only
    :param version: the Zammad release to answer as: ``"6.2"`` (the default) or newer, where
        shapes changed (ticket search as an array from 6.5, the ``From`` header from 6.3)
    :param host: the address to listen on (keep it on loopback)
    :param port: the port; 0 picks a free one
    :param clock: what the server calls "now": a :class:`~zammad_orm.testing.clock.FakeClock`,
        a callable returning an aware datetime, or a fixed aware datetime (the clock then
        stands still until :meth:`advance`); the real time by default
    """

    #: the admin agent's login (basic auth takes it or the email, with :attr:`admin_password`)
    admin_login = "admin@example.com"
    #: the password of every seeded user who can log in
    admin_password = "test-password"

    def __init__(
        self,
        *,
        token: str = "test-token",
        latency: float = 0.0,
        seed: bool = True,
        version: str = "6.2",
        host: str = "127.0.0.1",
        port: int = 0,
        clock: FakeClock | TimeSource | dt.datetime | None = None,
    ) -> None:
        self.token = token
        self.latency = latency
        #: the server's clock (see :meth:`advance` and :meth:`at`)
        self.clock = as_clock(clock)
        self.app = ZammadApp(
            token=token,
            seed=seed,
            version=version,
            password=self.admin_password,
            clock=self.clock,
        )
        self._address = (host, port)
        self._log: list[RecordedRequest] = []
        self._faults: list[_Fault] = []
        self._lock = threading.Lock()
        #: bumped by :meth:`reset`; a request that began before a reset is neither applied nor
        #: logged after it (a client that timed out must not leak into the next test)
        self._generation = 0
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def version(self) -> str:
        """The Zammad release this server answers as."""
        return self.app.version

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FakeZammad:
        """Start serving in a background thread; returns self."""
        if self._httpd is not None:
            return self
        handler = type("Handler", (_Handler,), {"fake": self})
        httpd = ThreadingHTTPServer(self._address, handler)
        httpd.daemon_threads = True
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> FakeZammad:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.url if self._httpd is not None else "stopped"
        return f"<FakeZammad {self.version} {where}>"

    @property
    def weburl(self) -> str:
        """``http://127.0.0.1:PORT``, the root of the (absent) web interface."""
        if self._httpd is None:
            raise RuntimeError("the fake Zammad server is not running; call start() first")
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def url(self) -> str:
        """The API URL, ``http://127.0.0.1:PORT/api/v1``."""
        return self.weburl + API_PREFIX

    # -- the request log and faults ----------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, oldest first (a copy)."""
        with self._lock:
            return list(self._log)

    def clear_requests(self) -> None:
        """Forget the requests received so far."""
        with self._lock:
            self._log.clear()

    def reset(self) -> None:
        """Restore the seed data; forget the request log, pending faults, webhook deliveries
        and the time the clock was advanced by."""
        with self.app.store.lock, self._lock:
            self._generation += 1
            self._log.clear()
            self._faults.clear()
            self.clock.reset()
            self.app.store.outbox.clear()
        self.app.reset()

    # -- time and scheduled jobs (see zammad_orm.testing.clock and .automation) ---------------

    def now(self) -> dt.datetime:
        """The server's current time (UTC)."""
        return self.clock.now()

    def advance(self, delta: dt.timedelta | None = None, **units: float) -> dt.datetime:
        """Move the clock forward (``advance(days=3, hours=2)``, units as
        :meth:`FakeClock.advance`), then run Zammad's scheduled jobs once at the new time
        (pending tickets, reminders, escalations); returns the new time."""
        self.clock.advance(delta, **units)
        self.run_scheduled_jobs()
        return self.clock.now()

    def at(self, moment: dt.datetime) -> Any:
        """A context manager: inside it the clock stands at ``moment``, so records made
        there (over HTTP or otherwise) carry that time, e.g. tickets 40 days old."""
        return self.clock.at(moment)

    def run_scheduled_jobs(self) -> None:
        """What Zammad's scheduler does each minute, at the clock's current time."""
        from zammad_orm.testing.automation import run_scheduled_jobs

        with self.app.store.lock:
            run_scheduled_jobs(self.app.store)

    @property
    def deliveries(self) -> list[Delivery]:
        """The webhook requests triggers made so far, oldest first (a copy)."""
        return self.app.store.outbox.deliveries

    def wait_for_deliveries(self, count: int | None = None, timeout: float = 5.0) -> list[Delivery]:
        """Wait until ``count`` webhook requests (all queued ones when None) have finished
        and return the finished ones; :class:`TimeoutError` after ``timeout`` seconds."""
        return self.app.store.outbox.wait(count, timeout)

    def fail_next(
        self,
        count: int = 1,
        *,
        status: int = 500,
        path: str | None = None,
        method: str | None = None,
        body: str = "zammad",
        delay: float = 0.0,
        drop: bool = False,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Make the next ``count`` matching requests fail.

        :param status: the status to answer; 0 answers normally (after ``delay``)
        :param path: a regular expression searched in the request's path, with or without
            the ``/api/v1`` prefix (``"/tickets/1$"`` and ``"^/api/v1/tickets/1$"`` both hit
            ``GET /api/v1/tickets/1``); ValueError for one that can never match
        :param method: only requests with this method
        :param body: ``"zammad"`` for Zammad's error body, ``"html"`` for a proxy's HTML page
        :param delay: seconds to wait before answering (past a client's timeout, say)
        :param drop: close the connection without any answer
        :param headers: extra headers for the answer, e.g. ``{"Retry-After": "2"}``
        """
        if body not in ("zammad", "html"):
            raise ValueError(f"body must be 'zammad' or 'html', got {body!r}")
        fault = _Fault(
            count=count,
            status=status,
            path=_path_pattern(path) if path is not None else None,
            method=method.upper() if method else None,
            body=body,
            delay=delay,
            drop=drop,
            headers=dict(headers or {}),
        )
        with self._lock:
            self._faults.append(fault)

    def _current_generation(self) -> int:
        with self._lock:
            return self._generation

    def _take_fault(self, method: str, path: str) -> _Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.applies_to(method, path):
                    fault.count -= 1
                    if fault.count <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def _record(self, request: RecordedRequest, generation: int) -> bool:
        """Log ``request`` unless the server was reset since it arrived; False if it was."""
        with self._lock:
            if generation != self._generation:
                return False
            self._log.append(request)
            return True


def _fault_reply(fault: _Fault) -> Reply:
    if fault.body == "html":
        page = (
            f"<html><head><title>{fault.status} Error</title></head>"
            f"<body><h1>{fault.status} Error</h1><p>The proxy could not reach Zammad.</p>"
            "</body></html>"
        )
        reply = html_reply(fault.status, page)
    else:
        reply = error_reply(fault.status, "Injected failure.")
    reply.headers.update(fault.headers)
    return reply


def _decode(raw: bytes) -> tuple[Any, bool]:
    """The JSON body (None when empty) and whether it failed to parse."""
    if not raw:
        return None, False
    try:
        return json.loads(raw), False
    except ValueError:
        return None, True


class _Handler(BaseHTTPRequestHandler):
    """Reads one request, asks the app, writes the reply."""

    fake: FakeZammad
    protocol_version = "HTTP/1.1"
    #: TCP_NODELAY: the headers and the body are two writes, and Nagle plus delayed ACKs would
    #: hold the second one back for 40 ms on every keep-alive request
    disable_nagle_algorithm = True
    server_version = "FakeZammad"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: the request log is :attr:`FakeZammad.requests`."""

    def _serve(self) -> None:
        fake = self.fake
        generation = fake._current_generation()
        parts = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        headers = {name.lower(): value for name, value in self.headers.items()}
        method = self.command.upper()
        fault = fake._take_fault(method, parts.path)
        if fake.latency:
            time.sleep(fake.latency)
        body, bad_json = _decode(raw)
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        if fault is not None and fault.drop:
            fake._record(RecordedRequest(method, parts.path, query, body, headers, 0), generation)
            self.close_connection = True
            return
        with fake.app.store.lock:  # a reset cannot slip between this check and the change
            if fake._current_generation() != generation:
                self.close_connection = True  # it arrived before a reset: forget it
                return
            if fault is not None and fault.status:
                reply = _fault_reply(fault)
            elif bad_json:
                reply = error_reply(400, "The request body is not valid JSON.")
            else:
                reply = fake.app.handle(method, parts.path, query, body, headers)
        recorded = RecordedRequest(method, parts.path, query, body, headers, reply.status)
        if fake._record(recorded, generation):
            self._write(reply)
        else:
            self.close_connection = True

    def _write(self, reply: Reply) -> None:
        try:
            # Zammad streams its 404 error bodies (no Content-Length), as captured
            chunked = reply.status == 404 and self.request_version == "HTTP/1.1"
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            if chunked:
                self.send_header("Transfer-Encoding", "chunked")
            else:
                self.send_header("Content-Length", str(len(reply.body)))
            self.send_header("Cache-Control", "no-store")
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            if self.command == "HEAD":
                return
            if chunked:
                chunk = b"%x\r\n%s\r\n" % (len(reply.body), reply.body) if reply.body else b""
                self.wfile.write(chunk + b"0\r\n\r\n")
            else:
                self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (a timeout, usually)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = _serve
