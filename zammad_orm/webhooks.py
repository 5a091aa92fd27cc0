"""Zammad webhooks: verify them, drop the records they report from the cache, tell the app.

A Zammad trigger can call a webhook when someone changes a ticket in Zammad. The request is a
``POST`` whose JSON body holds the ``ticket`` (and the ``article`` that came with the change),
signed with the webhook's secret: ``X-Hub-Signature: sha1=<hex HMAC-SHA1 of the body>``.

:func:`receive` checks the signature in constant time (nothing else happens when it does not
match), evicts the ticket and article from the client's shared record cache (so the next read,
in any unit of work, asks the server) and sends
:data:`zammad_orm.signals.remote_changed` once per record, with the resource class as sender
and ``instance=`` (a lazy handle), ``client=`` and ``payload=`` (each receiver gets its own
copy of the decoded body); a receiver that raises is logged and the others still run.
The Django and Flask integrations wrap it in a view; any other framework can call it::

    from zammad_orm.webhooks import InvalidSignature, receive

    try:
        receive(client, request_body, request_headers.get("X-Hub-Signature"), secret)
    except InvalidSignature:
        return 401
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from zammad_orm import signals
from zammad_orm.errors import ZammadError

if TYPE_CHECKING:
    from zammad_orm.client import Client
    from zammad_orm.resource import Resource

__all__ = [
    "SIGNATURE_HEADER",
    "InvalidPayload",
    "InvalidSignature",
    "WebhookError",
    "receive",
    "sign",
    "signature_matches",
]

#: the request header that carries the signature
SIGNATURE_HEADER = "X-Hub-Signature"


class WebhookError(ZammadError):
    """A webhook request was refused; nothing was processed."""


class InvalidSignature(WebhookError):
    """The ``X-Hub-Signature`` header is missing or does not match the body (answer 401)."""


class InvalidPayload(WebhookError):
    """The body is not a JSON object (answer 400)."""


def sign(body: bytes, secret: str) -> str:
    """The ``X-Hub-Signature`` value Zammad sends for ``body``: ``sha1=<hex HMAC-SHA1>``."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha1).hexdigest()
    return f"sha1={digest}"


def signature_matches(body: bytes, header: str | None, secret: str) -> bool:
    """Whether ``header`` is the signature of ``body`` with ``secret`` (constant time)."""
    if not secret:
        raise ValueError("a webhook secret is needed to verify signatures")
    if not header:
        return False
    return hmac.compare_digest(sign(body, secret).encode("ascii"), header.strip().encode())


def _record_id(payload: Mapping[str, Any], key: str) -> int | None:
    record = payload.get(key)
    ident = record.get("id") if isinstance(record, Mapping) else None
    return ident if isinstance(ident, int) and not isinstance(ident, bool) else None


def receive(client: Client, body: bytes, signature: str | None, secret: str) -> list[Resource]:
    """Process one webhook request: verify, evict, signal.

    :param client: the client whose cache holds the records
    :param body: the raw request body, exactly as received
    :param signature: the ``X-Hub-Signature`` header, or None when absent
    :param secret: the webhook's signature token, as configured in Zammad
    :returns: the records reported (lazy handles: the ticket, then the article if any)
    :raises InvalidSignature: the signature is missing or wrong (nothing was processed)
    :raises InvalidPayload: the body is not a JSON object
    """
    if not signature_matches(body, signature, secret):
        raise InvalidSignature(f"the {SIGNATURE_HEADER} header does not match the body")
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidPayload(f"the webhook body is not JSON: {error}") from None
    if not isinstance(payload, Mapping):
        raise InvalidPayload("the webhook body is not a JSON object")
    changed: list[Resource] = []
    for key, manager in (("ticket", client.tickets), ("article", client.ticket_articles)):
        ident = _record_id(payload, key)
        if ident is None:
            continue
        manager.invalidate(ident)
        changed.append(manager(ident))
    for instance in changed:
        # a receiver that raises is logged: the records are evicted whatever it does
        signals.send_after_write(signals.remote_changed, type(instance), instance, payload=payload)
    return changed
