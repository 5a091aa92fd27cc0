"""Webhook requests the fake server sends, in background threads, and their log.

Zammad's ``TriggerWebhookJob`` POSTs a JSON payload with the headers ``X-Zammad-Trigger``
(the trigger's name), ``X-Zammad-Delivery`` (the job id) and, when the webhook has a
``signature_token``, ``X-Hub-Signature: sha1=<HMAC-SHA1 of the body>``. The fake does the
same, without blocking the request that fired the trigger, and only towards loopback
addresses: a test must never make the fake talk to the outside world.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Delivery", "Outbox", "signature"]

#: what the POST waits for an answer, as Zammad's ``read_timeout`` (shortened for tests)
_TIMEOUT = 5.0


def signature(token: str, body: bytes) -> str:
    """The ``X-Hub-Signature`` value: ``sha1=`` and the hex HMAC-SHA1 of ``body``."""
    return "sha1=" + hmac.new(token.encode(), body, hashlib.sha1).hexdigest()


def _is_loopback(url: str) -> bool:
    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class Delivery:
    """One webhook request: what was sent and how the receiver answered."""

    #: the webhook's endpoint
    url: str
    #: the request headers sent
    headers: dict[str, str]
    #: the JSON body as sent
    body: bytes
    #: the name of the trigger that fired
    trigger: str
    #: the receiver's status; 0 while in flight or when nothing answered
    status: int = 0
    #: why the request failed (a refused connection, a non-loopback URL), or None
    error: str | None = None
    #: set once the request finished (answered or failed)
    done: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def payload(self) -> Any:
        """The decoded JSON body."""
        return json.loads(self.body)

    @property
    def delivery_id(self) -> str:
        """The ``X-Zammad-Delivery`` header."""
        return self.headers["X-Zammad-Delivery"]


class Outbox:
    """The webhook requests of one fake server."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._deliveries: list[Delivery] = []
        self._changed = threading.Condition(self._lock)

    def send(
        self, url: str, payload: Any, *, trigger: str, signature_token: str | None
    ) -> Delivery:
        """Queue a POST of ``payload`` to ``url``, sent by a background thread."""
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Zammad User Agent",
            "X-Zammad-Trigger": trigger,
            "X-Zammad-Delivery": str(uuid.uuid4()),
        }
        if signature_token:
            headers["X-Hub-Signature"] = signature(signature_token, body)
        delivery = Delivery(url, headers, body, trigger)
        with self._lock:
            self._deliveries.append(delivery)
        threading.Thread(target=self._post, args=(delivery,), daemon=True).start()
        return delivery

    def _post(self, delivery: Delivery) -> None:
        try:
            if not _is_loopback(delivery.url):
                delivery.error = "not sent: the fake server only posts to loopback addresses"
                return
            request = urllib.request.Request(
                delivery.url, data=delivery.body, headers=delivery.headers, method="POST"
            )
            try:
                with urllib.request.urlopen(request, timeout=_TIMEOUT) as response:
                    delivery.status = response.status
            except urllib.error.HTTPError as error:
                delivery.status = error.code
                delivery.error = f"HTTP {error.code}"
            except (OSError, ValueError) as error:
                delivery.error = str(error)
        finally:
            with self._changed:
                delivery.done.set()
                self._changed.notify_all()

    @property
    def deliveries(self) -> list[Delivery]:
        """Every webhook request queued so far, oldest first (a copy)."""
        with self._lock:
            return list(self._deliveries)

    def wait(self, count: int | None = None, timeout: float = 5.0) -> list[Delivery]:
        """Wait until ``count`` requests (all queued ones when None) have finished; return the
        finished ones. Raises :class:`TimeoutError` when they do not finish in time."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                finished = [d for d in self._deliveries if d.done.is_set()]
                wanted = len(self._deliveries) if count is None else count
                if len(finished) >= wanted:
                    return finished
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(
                        f"{len(finished)} of {wanted} webhook deliveries finished "
                        f"within {timeout} s"
                    )
                self._changed.wait(remaining)

    def clear(self) -> None:
        """Forget the requests sent so far (ones still in flight finish unlogged)."""
        with self._lock:
            self._deliveries.clear()
