"""Exceptions raised by zammad_orm.

Zammad answers a failed request with a JSON body ``{"error": ..., "error_human": ...}`` and an
HTTP status. :class:`APIException` carries both; its subclasses let callers catch one kind of
failure by status::

    ZammadError                       base of everything zammad_orm raises on purpose
    ├── APIException                  the server answered with Zammad's error body
    │                                 (also a requests.HTTPError)
    │   ├── BadRequest                400
    │   ├── Unauthorized              401  bad or expired credentials
    │   ├── Forbidden                 403  no permission (also: no credentials at all)
    │   ├── NotFound                  404  no such record or route (also a LookupError)
    │   ├── UnprocessableEntity       422  validation failed, unknown name, references left
    │   ├── RateLimited               429  ``retry_after`` holds the server's hint in seconds
    │   │                                  (raised for any 429, Zammad's body or not)
    │   └── ServerError               5xx
    ├── ResourceLookupError           a name given for a relation matches nothing
    │                                 (raised before any request; also a LookupError)
    └── UnsavedResourceError          the operation needs a resource that exists on the server

Any other HTTP failure (a proxy's HTML error page, a 502 without Zammad's body, ...) raises
:class:`requests.HTTPError`, as the reference interface says. Transport failures (timeouts,
refused connections) are the usual :mod:`requests.exceptions`.
"""

from __future__ import annotations

import email.utils
import time
from typing import Any

import requests

__all__ = [
    "APIException",
    "BadRequest",
    "Forbidden",
    "NotFound",
    "RateLimited",
    "ResourceLookupError",
    "ServerError",
    "Unauthorized",
    "UnprocessableEntity",
    "UnsavedResourceError",
    "ZammadError",
    "exception_for_response",
]


class ZammadError(Exception):
    """Base class of every exception zammad_orm raises on purpose."""


class APIException(ZammadError, requests.HTTPError):
    """Raised when the API server indicates an error with Zammad's error body.

    It is also a :class:`requests.HTTPError`, so one ``except requests.HTTPError`` catches
    every failed status.

    :ivar status_code: the HTTP status of the reply
    :ivar error: Zammad's ``error`` text
    :ivar error_human: Zammad's ``error_human`` text (``None`` when the server sent none)
    :ivar response: the :class:`requests.Response`, for headers and the raw body
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        error: str,
        error_human: str | None = None,
        response: requests.Response | None = None,
    ) -> None:
        super().__init__(message, response=response)
        self.status_code = status_code
        self.error = error
        self.error_human = error_human
        self.response = response


class BadRequest(APIException):
    """The server rejected the request as malformed (400)."""


class Unauthorized(APIException):
    """The credentials were wrong, expired or unknown to the server (401)."""


class Forbidden(APIException):
    """The acting user may not do this (403); Zammad also answers 403 without credentials."""


class NotFound(APIException, LookupError):
    """The record or route does not exist (404)."""


class UnprocessableEntity(APIException):
    """The server refused the data (422): a validation error, an unknown name, references."""


class RateLimited(APIException):
    """The server asked to slow down (429).

    :ivar retry_after: seconds to wait, parsed from ``Retry-After`` (``None`` when absent)
    """

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServerError(APIException):
    """The server failed (5xx) and said so in Zammad's error body."""


class ResourceLookupError(ZammadError, LookupError):
    """A name given for a relation (a state, a group, ...) matches no record.

    Raised before anything is sent. :ivar choices: the names that would have been accepted.
    """

    def __init__(self, message: str, *, field: str, value: object, choices: list[str]) -> None:
        super().__init__(message)
        self.field = field
        self.value = value
        self.choices = choices


class UnsavedResourceError(ZammadError):
    """The operation needs a resource that exists on the server, and this one was never saved."""


_STATUS_CLASSES: dict[int, type[APIException]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    422: UnprocessableEntity,
    429: RateLimited,
}


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Turn a ``Retry-After`` header (seconds or an HTTP date) into seconds to wait."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    current = time.time() if now is None else now
    return max(0.0, moment.timestamp() - current)


def _error_body(response: requests.Response) -> dict[str, Any] | None:
    """Zammad's error body of ``response``, or ``None`` when the body is something else."""
    if "json" not in response.headers.get("Content-Type", ""):
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        return body
    return None


def exception_for_response(response: requests.Response) -> APIException | requests.HTTPError:
    """The exception that describes the failed ``response`` (status 400 and above).

    An :class:`APIException` subclass when the body is Zammad's error body, otherwise a
    :class:`requests.HTTPError` with the response attached.
    """
    request = response.request
    where = f"{request.method} {response.url}" if request is not None else response.url
    body = _error_body(response)
    status = response.status_code
    if body is None and status == 429:
        body = {"error": response.text.strip() or "Too Many Requests"}
    if body is None:
        reason = response.reason or "error"
        return requests.HTTPError(f"{response.status_code} {reason} for {where}", response=response)
    error: str = body["error"]
    human = body.get("error_human")
    error_human = human if isinstance(human, str) else None
    text = error_human or error
    message = f"{status} {text} ({where})"
    cls = _STATUS_CLASSES.get(status, ServerError if status >= 500 else APIException)
    kwargs: dict[str, Any] = {
        "status_code": status,
        "error": error,
        "error_human": error_human,
        "response": response,
    }
    if cls is RateLimited:
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        return RateLimited(message, retry_after=retry_after, **kwargs)
    return cls(message, **kwargs)
