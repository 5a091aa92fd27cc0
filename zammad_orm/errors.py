"""Exceptions raised by zammad_orm.

Every failure a caller can meet is a :class:`ZammadError`. The ones that come from a request
say what happened and, where known, carry the ``method``, the ``url`` (never with credentials),
the ``status_code`` and the ``attempts`` made (one :class:`Attempt` each, with why it failed
and how long the client waited before the next). The :mod:`requests` exception behind a
transport failure is kept as ``__cause__``::

    ZammadError                       base of everything zammad_orm raises on purpose
    ├── RequestFailed                 no usable answer at all (also a requests.RequestException)
    │   ├── ConnectionFailed          refused, reset, dropped mid-reply, TLS failure
    │   │                             (also a requests.ConnectionError)
    │   └── Timeout                   the connect or read timeout passed (also a requests.Timeout)
    ├── HTTPError                     a failed status (400 and above) whose body is not Zammad's
    │   │                             error body: a proxy's HTML page, say; ``body_start`` holds
    │   │                             its first characters (also a requests.HTTPError)
    │   └── APIException              the server answered with Zammad's error body
    │       ├── BadRequest            400
    │       ├── Unauthorized          401  bad or expired credentials
    │       ├── Forbidden             403  no permission (also: no credentials at all)
    │       ├── NotFound              404  no such record or route (also a LookupError)
    │       ├── UnprocessableEntity   422  validation failed, unknown name, references left
    │       ├── RateLimited           429  ``retry_after`` holds the server's hint in seconds
    │       │                              (raised for any 429, Zammad's body or not)
    │       └── ServerError           5xx
    ├── UnexpectedResponse            a 2xx that is not the JSON the API answers: an HTML page
    │                                 (a wrong URL), truncated or invalid JSON, an empty body
    ├── ConflictError                 ``save(if_unmodified=True)`` found a field changed here
    │                                 and on the server; nothing sent; ``fields`` names them
    ├── AmbiguousWriteError           a save with a write-once field (an article) may or may not
    │                                 have been applied; the field was taken out of the pending
    │                                 changes so that it is never sent twice; ``unsent`` holds it
    ├── ResourceLookupError           a name given for a relation matches nothing
    │                                 (raised before any request; also a LookupError)
    └── UnsavedResourceError          the operation needs a resource that exists on the server

Exceptions pickle without the :class:`requests.Response` and request they hold, so the
``Authorization`` header of the request never travels with them.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import requests

from zammad_orm.retry import NOT_PROCESSED_STATUSES

__all__ = [
    "APIException",
    "AmbiguousWriteError",
    "Attempt",
    "BadRequest",
    "ConflictError",
    "ConnectionFailed",
    "Forbidden",
    "HTTPError",
    "NotFound",
    "RateLimited",
    "RequestFailed",
    "ResourceLookupError",
    "ServerError",
    "Timeout",
    "Unauthorized",
    "UnexpectedResponse",
    "UnprocessableEntity",
    "UnsavedResourceError",
    "ZammadError",
    "body_start",
    "exception_for_response",
    "parse_retry_after",
    "redact_url",
]

#: how many characters of an unexpected body an error message quotes
BODY_START_LENGTH = 200


@dataclass(frozen=True)
class Attempt:
    """One try of a request: what came of it and how long the client waited afterwards."""

    #: 1 for the first try
    number: int
    #: what happened, e.g. ``"503 Service Unavailable"``, ``"read timeout"``,
    #: ``"connection dropped"``
    outcome: str
    #: seconds slept before the next try; ``None`` when there was no next try
    waited: float | None = None

    def __str__(self) -> str:
        if self.waited is None:
            return f"#{self.number} {self.outcome}"
        return f"#{self.number} {self.outcome} (retried after {self.waited:.2f} s)"


def attempts_note(attempts: Sequence[Attempt]) -> str:
    """`` after N attempts: #1 ...; #2 ...`` for more than one attempt, else nothing."""
    if len(attempts) < 2:
        return ""
    return f" after {len(attempts)} attempts: " + "; ".join(str(a) for a in attempts)


def redact_url(url: str) -> str:
    """``url`` without any user information (``user:password@``), for messages and logs."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urllib.parse.urlunsplit(parts._replace(netloc=host))


def body_start(response: requests.Response, limit: int = BODY_START_LENGTH) -> str:
    """The first ``limit`` characters of ``response``'s body, whitespace collapsed."""
    text = response.content[: limit * 4].decode("utf-8", errors="replace")
    collapsed = " ".join(text.split())
    return collapsed[:limit] + ("..." if len(collapsed) > limit else "")


def _rebuild(cls: type[ZammadError], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class ZammadError(Exception):
    """Base class of every exception zammad_orm raises on purpose.

    :ivar method: the HTTP method of the request that failed (``None`` when none was sent)
    :ivar url: its URL, without credentials
    :ivar status_code: the status of the last reply (``None`` when there was none)
    :ivar attempts: every :class:`Attempt` made, oldest first
    """

    method: str | None = None
    url: str | None = None
    status_code: int | None = None
    attempts: tuple[Attempt, ...] = ()
    #: whether the server may have carried the request out although it failed: a read
    #: timeout or a connection lost after sending, a gateway's 502 or 504, a success whose
    #: reply could not be read. Repeating such a write may apply it twice.
    maybe_applied: bool = False

    def __reduce__(self) -> tuple[Any, ...]:
        # The response and request hold the Authorization header: they never leave the process.
        state = {k: v for k, v in self.__dict__.items() if k not in ("response", "request")}
        if "response" in self.__dict__ or "request" in self.__dict__:
            state.update(response=None, request=None)
        return (_rebuild, (type(self), self.args, state))


class RequestFailed(ZammadError, requests.RequestException):
    """A request got no usable answer (it may or may not have reached the server).

    Raised as is for failures that are neither a connection problem nor a timeout (too many
    redirects, an invalid URL); its ``__cause__`` is the :mod:`requests` exception.
    """

    def __init__(
        self,
        message: str,
        *,
        method: str,
        url: str,
        attempts: Sequence[Attempt] = (),
        request: requests.PreparedRequest | None = None,
    ) -> None:
        super().__init__(message + attempts_note(attempts), request=request)
        self.method = method
        self.url = redact_url(url)
        self.attempts = tuple(attempts)


class ConnectionFailed(RequestFailed, requests.ConnectionError):
    """The connection was refused, reset or dropped before a full reply, or TLS failed."""


class Timeout(RequestFailed, requests.Timeout):
    """The server did not accept the connection or answer within the timeout."""


def _where(response: requests.Response) -> tuple[str, str]:
    request = response.request
    method = (request.method or "") if request is not None else ""
    return method, redact_url(response.url or "")


class HTTPError(ZammadError, requests.HTTPError):
    """A failed status (400 and above) without Zammad's error body: a proxy's error page, say.

    It is also a :class:`requests.HTTPError`, so one ``except requests.HTTPError`` catches
    every failed status.

    :ivar body_start: the first characters of the body, whitespace collapsed
    :ivar response: the :class:`requests.Response`, for headers and the raw body
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        response: requests.Response | None = None,
        attempts: Sequence[Attempt] = (),
    ) -> None:
        super().__init__(message + attempts_note(attempts), response=response)
        self.status_code = status_code
        self.response = response
        self.attempts = tuple(attempts)
        self.body_start = body_start(response) if response is not None else ""
        if response is not None:
            self.method, self.url = _where(response)


class APIException(HTTPError):
    """Raised when the API server indicates an error with Zammad's error body.

    :ivar error: Zammad's ``error`` text
    :ivar error_human: Zammad's ``error_human`` text (``None`` when the server sent none)
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        error: str,
        error_human: str | None = None,
        response: requests.Response | None = None,
        attempts: Sequence[Attempt] = (),
    ) -> None:
        super().__init__(message, status_code=status_code, response=response, attempts=attempts)
        self.error = error
        self.error_human = error_human


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


class UnexpectedResponse(ZammadError):
    """A successful status whose body is not the JSON the API answers.

    An HTML page (the URL points at the web interface or a proxy, not at ``/api/v1``), JSON
    cut off or garbled on the way, an empty body where JSON was expected, or JSON of the wrong
    shape (a list where a record is due, a record without an id; ``response`` is then
    ``None``). The server carried the request out: ``maybe_applied`` is true.

    :ivar body_start: the first characters of the body, whitespace collapsed
    :ivar response: the :class:`requests.Response`
    """

    def __init__(
        self,
        message: str,
        *,
        response: requests.Response | None = None,
        attempts: Sequence[Attempt] = (),
        method: str | None = None,
        url: str | None = None,
    ) -> None:
        super().__init__(message + attempts_note(attempts))
        self.response = response
        self.attempts = tuple(attempts)
        if response is not None:
            self.status_code = response.status_code
            self.body_start = body_start(response)
            self.method, self.url = _where(response)
        else:  # JSON of the wrong shape, found after decoding (see zammad_orm.reply_shapes)
            self.body_start = ""
            self.method, self.url = method, None if url is None else redact_url(url)
        # A success status means the server carried the request out.
        self.maybe_applied = self.status_code is None or 200 <= self.status_code < 300


class ConflictError(ZammadError):
    """A save with ``if_unmodified`` found fields changed both here and on the server since
    the object was loaded; nothing was sent.

    :ivar fields: the fields changed on both sides
    :ivar ours: their values about to be sent
    :ivar theirs: their values on the server now
    """

    def __init__(
        self,
        message: str,
        *,
        fields: tuple[str, ...],
        ours: dict[str, Any],
        theirs: dict[str, Any],
    ) -> None:
        super().__init__(message)
        self.fields = fields
        self.ours = ours
        self.theirs = theirs


class AmbiguousWriteError(ZammadError):
    """A save carrying a write-once field (a ticket's ``article``) failed in a way that leaves
    open whether the server applied it: the reply was lost (a read timeout, a dropped
    connection), a gateway answered 502 or 504, or the success reply could not be read.

    Sending it again could add the article twice, so the write-once fields were taken out of
    the object's pending changes (its other changes stay pending: sending them again is
    harmless) and the record is read again on next use. Check whether it was applied (for an
    article: ``ticket.articles``) and assign it again from :attr:`unsent` if it was not. The
    original error is the ``__cause__``.

    :ivar unsent: the write-once fields taken out, with the values that were sent
    """

    maybe_applied = True

    def __init__(self, message: str, *, unsent: dict[str, Any], cause: ZammadError) -> None:
        super().__init__(message)
        self.unsent = unsent
        self.method, self.url = cause.method, cause.url
        self.status_code, self.attempts = cause.status_code, cause.attempts


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


#: statuses a gateway answers when the server behind it may have carried the request out
GATEWAY_STATUSES = frozenset({502, 504})

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
        seconds = float(value)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if seconds == seconds else None  # NaN says nothing
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment.tzinfo is None:  # "-0000": a UTC time from an unknown zone
        moment = moment.replace(tzinfo=dt.timezone.utc)
    current = time.time() if now is None else now
    return max(0.0, moment.timestamp() - current)


def _error_body(response: requests.Response) -> dict[str, Any] | None:
    """Zammad's error body of ``response``, or ``None`` when the body is something else."""
    if "json" not in response.headers.get("Content-Type", ""):
        return None
    try:
        body = json.loads(response.content)
    except (ValueError, RecursionError):
        return None
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        return body
    return None


def exception_for_response(
    response: requests.Response, attempts: Sequence[Attempt] = ()
) -> HTTPError:
    """The exception that describes the failed ``response`` (status 400 and above).

    An :class:`APIException` subclass when the body is Zammad's error body (or the status is
    429), otherwise an :class:`HTTPError` quoting the start of the body.
    """
    method, url = _where(response)
    where = f"{method} {url}" if method else url
    body = _error_body(response)
    status = response.status_code
    if body is None and status == 429:
        body = {"error": response.text.strip() or "Too Many Requests"}
    if body is None:
        reason = response.reason or "error"
        kind = response.headers.get("Content-Type") or "no content type"
        failure = HTTPError(
            f"{status} {reason} for {where}, not Zammad's error body ({kind}): "
            f"{body_start(response)!r}",
            status_code=status,
            response=response,
            attempts=attempts,
        )
        # A gateway's error page: Zammad may have carried the request out behind it.
        failure.maybe_applied = status >= 500 and status not in NOT_PROCESSED_STATUSES
        return failure
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
        "attempts": attempts,
    }
    if cls is RateLimited:
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        return RateLimited(message, retry_after=retry_after, **kwargs)
    failure = cls(message, **kwargs)
    # Zammad answering an error rolled its transaction back; a 502 or 504 comes from a gateway
    # that may have passed the request on.
    failure.maybe_applied = status in GATEWAY_STATUSES
    return failure
