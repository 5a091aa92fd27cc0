"""Replies and errors of the fake server, shaped as Zammad's."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "API_PREFIX",
    "ApiError",
    "Reply",
    "error_reply",
    "html_reply",
    "json_reply",
    "not_found",
    "unexplained",
    "unprocessable",
]

#: where Zammad serves its REST API
API_PREFIX = "/api/v1"

JSON_TYPE = "application/json; charset=utf-8"


@dataclass
class Reply:
    """An HTTP reply: status, body bytes, content type and extra headers."""

    status: int
    body: bytes
    content_type: str = JSON_TYPE
    headers: dict[str, str] = field(default_factory=dict)


def json_reply(status: int, payload: Any) -> Reply:
    """A JSON reply, encoded as Rails does (UTF-8, no ASCII escaping)."""
    return Reply(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"))


def html_reply(status: int, page: str) -> Reply:
    """An HTML reply (what a proxy in front of Zammad answers, or Rails' ``head :ok``)."""
    return Reply(status, page.encode("utf-8"), "text/html")


def error_reply(status: int, message: str, *, human: bool = True) -> Reply:
    """Zammad's error body ``{"error": m, "error_human": m}``; ``human=False`` leaves out
    ``error_human``, as the endpoints that render their own error do."""
    body: dict[str, str] = {"error": message}
    if human:
        body["error_human"] = message
    reply = json_reply(status, body)
    if status in (401, 403):
        reply.headers["X-Failure"] = message
    return reply


class ApiError(Exception):
    """Raised by endpoint code to answer with Zammad's error body."""

    def __init__(self, status: int, message: str, *, human: bool = True) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.human = human

    def reply(self) -> Reply:
        """The error as a reply."""
        return error_reply(self.status, self.message, human=self.human)


def not_found(model: str, ident: object) -> ApiError:
    """Rails' RecordNotFound: ``Couldn't find Ticket with 'id'=7``."""
    return ApiError(404, f"Couldn't find {model} with 'id'={ident}")


def unprocessable(message: str) -> ApiError:
    """A 422 with ``message``."""
    return ApiError(422, message)


def unexplained(status: int, message: str, *, admin: bool) -> ApiError:
    """An error Zammad has no human text for (a 500, a database error): admins read the raw
    ``message``, everyone else ``Error ID <id>: Please contact your administrator.``; never
    an ``error_human`` (``ApplicationController::HandlesErrors#humanize_error``)."""
    if not admin:
        message = f"Error ID {secrets.token_urlsafe(6)}: Please contact your administrator."
    return ApiError(status, message, human=False)
