"""The HTTP core under :class:`~zammad_orm.Client`: one request with its timeouts and retries,
and the reading of its reply.

:func:`send` makes the attempts a :class:`~zammad_orm.retry.Retry` policy allows and turns
:mod:`requests` failures into :class:`~zammad_orm.errors.RequestFailed` subclasses;
:func:`decode_reply` turns a successful reply into JSON or raises
:class:`~zammad_orm.errors.UnexpectedResponse`. Nothing here knows about resources.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import requests
import urllib3.exceptions

from zammad_orm.errors import (
    Attempt,
    ConnectionFailed,
    RequestFailed,
    Timeout,
    UnexpectedResponse,
    body_start,
    parse_retry_after,
    redact_url,
)
from zammad_orm.retry import NOT_PROCESSED_STATUSES, FailureKind, Retry

__all__ = [
    "DEFAULT_TIMEOUT",
    "Exchange",
    "TimeoutSetting",
    "check_timeout",
    "decode_reply",
    "encode_params",
    "send",
]

#: seconds, a float for both phases or ``(connect, read)``; ``None`` waits forever
TimeoutSetting: TypeAlias = float | tuple[float | None, float | None] | None

#: connect within 10 s, and answer within 30 s
DEFAULT_TIMEOUT: tuple[float, float] = (10.0, 30.0)

logger = logging.getLogger("zammad_orm")

_DETAIL_LENGTH = 160


def check_timeout(value: Any) -> TimeoutSetting:
    """``value`` if it is a valid timeout setting; a clear :class:`ValueError` otherwise."""
    parts = value if isinstance(value, tuple) else (value,)
    if isinstance(value, tuple) and len(value) != 2:
        raise ValueError(f"timeout must be seconds or a (connect, read) pair, got {value!r}")
    for part in parts:
        if part is None and (isinstance(value, tuple) or value is None):
            continue
        if isinstance(part, bool) or not isinstance(part, int | float):
            raise ValueError(f"timeout must be seconds or a (connect, read) pair, got {value!r}")
        if not math.isfinite(part) or part <= 0:
            raise ValueError(f"timeout seconds must be positive and finite, got {value!r}")
    return value  # type: ignore[no-any-return]


def encode_params(params: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Query parameters as Zammad expects them: booleans lowercase, ``None`` left out."""
    if params is None:
        return None
    encoded: dict[str, Any] = {}
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, bool):
            encoded[key] = "true" if value else "false"
        elif isinstance(value, list | tuple):
            encoded[key] = ",".join(str(item) for item in value)
        else:
            encoded[key] = value
    return encoded


@dataclass(frozen=True)
class Exchange:
    """The reply a request finally got, and every attempt made for it."""

    response: requests.Response
    attempts: tuple[Attempt, ...]
    #: an earlier attempt may have been carried out by the server (see
    #: :attr:`~zammad_orm.errors.ZammadError.maybe_applied`)
    maybe_applied: bool = False


def _innermost(error: BaseException) -> BaseException:
    """The deepest cause of ``error``, through urllib3's ``reason`` and wrapped arguments."""
    seen: set[int] = set()
    current = error
    while id(current) not in seen:
        seen.add(id(current))
        wrapped = [getattr(current, "reason", None), *current.args, current.__cause__]
        deeper = next((item for item in wrapped if isinstance(item, BaseException)), None)
        if deeper is None:
            break
        current = deeper
    return current


def _classify(error: requests.RequestException) -> tuple[FailureKind | None, str, type[Any]]:
    """How far the failed attempt got (``None``: never retry), what to call it, and the
    exception class it becomes."""
    if isinstance(error, requests.ConnectTimeout):
        return FailureKind.NOT_SENT, "connect timeout", Timeout
    if isinstance(error, requests.Timeout):
        return FailureKind.MAYBE_APPLIED, "read timeout", Timeout
    if isinstance(error, requests.exceptions.SSLError):
        return None, "TLS failure", ConnectionFailed
    if isinstance(error, requests.ConnectionError):
        if isinstance(_innermost(error), ConnectionRefusedError) or _never_connected(error):
            return FailureKind.NOT_SENT, "could not connect", ConnectionFailed
        return FailureKind.MAYBE_APPLIED, "connection dropped", ConnectionFailed
    if isinstance(
        error, requests.exceptions.ChunkedEncodingError | requests.exceptions.ContentDecodingError
    ):
        return FailureKind.MAYBE_APPLIED, "reply cut off", ConnectionFailed
    return None, type(error).__name__, RequestFailed


def _never_connected(error: requests.ConnectionError) -> bool:
    reason = error.args[0] if error.args else None
    return isinstance(getattr(reason, "reason", None), urllib3.exceptions.NewConnectionError)


def _describe(label: str, error: BaseException, timeout: TimeoutSetting) -> str:
    """``label`` with the innermost cause, or with the seconds that passed for a timeout."""
    if isinstance(error, requests.Timeout):
        connect, read = timeout if isinstance(timeout, tuple) else (timeout, timeout)
        seconds = connect if isinstance(error, requests.ConnectTimeout) else read
        return f"{label} after {seconds} s"
    return f"{label} ({_short(_innermost(error))})"


def send(
    session: requests.Session,
    method: str,
    url: str,
    *,
    retry: Retry,
    sleep: Callable[[float], None],
    jitter: Callable[[], float],
    json: Any = None,
    **kwargs: Any,
) -> Exchange:
    """Send a request, again while ``retry`` allows, and return the last reply whatever its
    status.

    :raises Timeout: the last attempt timed out
    :raises ConnectionFailed: the last attempt could not connect or lost the connection
    :raises RequestFailed: requests refused the request (an invalid URL, too many redirects)
    """
    method = method.upper()
    shown = redact_url(url)
    attempts: list[Attempt] = []
    number = 0
    uncertain = False  # whether a failed attempt may have been carried out
    while True:
        number += 1
        started = time.perf_counter()
        try:
            response = session.request(method, url, json=json, **kwargs)
        except requests.RequestException as error:
            kind, label, error_class = _classify(error)
            outcome = _describe(label, error, kwargs.get("timeout"))
            uncertain = uncertain or kind is FailureKind.MAYBE_APPLIED
            if kind is not None and retry.allows(method, json, kind, None, number):
                attempts.append(_wait(retry, number, None, outcome, method, shown, sleep, jitter))
                continue
            attempts.append(Attempt(number, outcome))
            failure = error_class(
                f"{method} {shown} failed: {outcome}",
                method=method,
                url=url,
                attempts=attempts,
                request=error.request,
            )
            failure.maybe_applied = uncertain
            raise failure from error
        status = response.status_code
        outcome = f"{status} {response.reason or ''}".strip()
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s %s -> %s in %.1f ms%s",
                method,
                redact_url(response.url or url),
                status,
                (time.perf_counter() - started) * 1000,
                _acting_note(kwargs.get("headers")),
            )
        if retry.allows(method, json, FailureKind.STATUS, status, number):
            uncertain = uncertain or status not in NOT_PROCESSED_STATUSES
            hint = parse_retry_after(response.headers.get("Retry-After"))
            response.close()
            attempts.append(_wait(retry, number, hint, outcome, method, shown, sleep, jitter))
            continue
        attempts.append(Attempt(number, outcome))
        return Exchange(response, tuple(attempts), uncertain)


def _acting_note(headers: Mapping[str, str] | None) -> str:
    acting = (headers or {}).get("X-On-Behalf-Of")
    return f" (on behalf of {acting})" if acting is not None else ""


def _wait(
    retry: Retry,
    number: int,
    retry_after: float | None,
    outcome: str,
    method: str,
    shown: str,
    sleep: Callable[[float], None],
    jitter: Callable[[], float],
) -> Attempt:
    """Log the failed attempt, sleep the policy's wait and return the attempt's record."""
    seconds = retry.wait(number, retry_after, jitter)
    logger.warning(
        "%s %s: %s (attempt %d of %d); retrying in %.2f s",
        method,
        shown,
        outcome,
        number,
        retry.attempts,
        seconds,
    )
    sleep(seconds)
    return Attempt(number, outcome, seconds)


def decode_reply(response: requests.Response, attempts: Sequence[Attempt] = ()) -> Any:
    """The decoded JSON of a successful ``response``; ``None`` for an empty reply to a
    ``DELETE`` or ``HEAD`` (or a 204); for a download (an attachment, a raw email: neither JSON
    nor HTML) ``bytes``, or ``str`` for ``text/*``.

    :raises UnexpectedResponse: the body is empty where JSON was expected, an HTML page (from a
        URL that is not the API) or untyped, or invalid or cut-off JSON
    """
    request = response.request
    method = (request.method or "") if request is not None else ""
    where = f"{response.status_code} {response.reason or ''}".strip()
    where += f" for {method} {redact_url(response.url or '')}"
    if not 200 <= response.status_code < 300:
        raise UnexpectedResponse(
            f"{where} is neither a success nor an error (a redirect without a Location?)",
            response=response,
            attempts=attempts,
        )
    if method == "HEAD" or response.status_code == 204:
        return None
    if not response.content:
        if method == "DELETE":
            return None
        raise UnexpectedResponse(
            f"{where} has an empty body where JSON was expected",
            response=response,
            attempts=attempts,
        )
    content_type = response.headers.get("Content-Type") or "no content type"
    mime = content_type.split(";", 1)[0].strip().lower()
    if "json" not in mime and "html" not in mime and mime != "no content type":
        # A download: an attachment, a raw email, an avatar. Text as str, the rest as bytes.
        return response.text if mime.startswith("text/") else response.content
    if "json" not in mime:
        hint = (
            " (is the client's url the API URL, e.g. https://host/api/v1?)"
            if "html" in mime
            else ""
        )
        raise UnexpectedResponse(
            f"{where} answered {content_type} instead of JSON{hint}: {body_start(response)!r}",
            response=response,
            attempts=attempts,
        )
    try:
        body = json.loads(response.content)
    except (ValueError, RecursionError) as error:
        raise UnexpectedResponse(
            f"{where} has invalid or truncated JSON ({_short(error)}): {body_start(response)!r}",
            response=response,
            attempts=attempts,
        ) from error
    return body


def _short(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return text if len(text) <= _DETAIL_LENGTH else text[:_DETAIL_LENGTH] + "..."
