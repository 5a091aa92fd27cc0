"""Fuzzing the request path: whatever the server (or the network) does, a caller meets the
decoded JSON or a ZammadError, never an AttributeError, TypeError or bare JSONDecodeError.

Replies come from a requests transport adapter instead of a socket (see ``fuzzing.py``), so
ten thousand cases take seconds. The case count per test is ``ZAMMAD_ORM_FUZZ_CASES`` (150 by
default)::

    ZAMMAD_ORM_FUZZ_CASES=10000 python -m pytest -m fuzz
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest
import requests
from fuzzing import FUZZ, TOKEN, CannedAdapter, fuzz_client, json_values
from hypothesis import given
from hypothesis import strategies as st
from requests.structures import CaseInsensitiveDict

from zammad_orm import Retry, UnexpectedResponse, ZammadError
from zammad_orm.errors import HTTPError, exception_for_response

pytestmark = pytest.mark.fuzz

TRANSPORT_ERRORS: list[type[requests.RequestException]] = [
    requests.ConnectionError,
    requests.ConnectTimeout,
    requests.ReadTimeout,
    requests.exceptions.SSLError,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
    requests.TooManyRedirects,
    requests.exceptions.InvalidHeader,
]


@st.composite
def bodies(draw: st.DrawFn) -> bytes:
    """JSON, JSON cut short, HTML, arbitrary bytes, nothing, deep nesting."""
    kind = draw(st.sampled_from(["json", "truncated", "html", "bytes", "empty", "deep"]))
    if kind == "json":
        return json.dumps(draw(json_values)).encode()
    if kind == "truncated":
        whole = json.dumps(draw(json_values)).encode()
        return whole[: draw(st.integers(0, max(0, len(whole) - 1)))]
    if kind == "html":
        return f"<html><body>{draw(st.text(max_size=40))}</body></html>".encode()
    if kind == "deep":
        depth = draw(st.integers(500, 3_000))
        return b"[" * depth + b"]" * draw(st.integers(0, depth))
    if kind == "empty":
        return b""
    return draw(st.binary(max_size=200))


content_types = st.sampled_from(
    [
        "application/json; charset=utf-8",
        "application/json",
        "text/html",
        "text/plain",
        "",
        "application/octet-stream",
        "APPLICATION/JSON",
    ]
)
retry_afters = st.none() | st.sampled_from(
    ["0", "3", "-5", "1e9", "nan", "inf", "soon", "Wed, 21 Oct 2015 07:28:00 GMT", "Fri, 99"]
)
statuses = st.sampled_from([200, 201, 204, 301, 400, 401, 403, 404, 422, 429, 500, 502, 503, 504])


@st.composite
def replies(draw: st.DrawFn) -> tuple[int, dict[str, str], bytes] | type[Exception]:
    if draw(st.integers(0, 5)) == 0:
        return draw(st.sampled_from(TRANSPORT_ERRORS))
    status = draw(st.integers(100, 599) | statuses)
    headers = {"Content-Type": draw(content_types)}
    retry_after = draw(retry_afters)
    if retry_after is not None:
        headers["Retry-After"] = retry_after
    return status, headers, draw(bodies())


def check_success(result: Any, body: bytes, headers: Mapping[str, str]) -> None:
    """What a successful reply must decode to: JSON parsed; a download (neither JSON nor HTML,
    with a content type) as str for text/* and bytes otherwise."""
    mime = headers["Content-Type"].split(";", 1)[0].strip().lower()
    if "json" in mime:
        assert result == json.loads(body)
    else:
        assert mime, "an untyped body must raise"
        assert "html" not in mime, "an HTML page must raise"
        if mime.startswith("text/"):
            assert isinstance(result, str)
        else:
            assert result == body


@FUZZ
@given(
    script=st.lists(replies(), min_size=1, max_size=5),
    method=st.sampled_from(["GET", "HEAD", "PUT", "DELETE", "POST"]),
    article=st.booleans(),
)
def test_a_request_returns_json_or_raises_a_zammad_error(
    script: list[Any], method: str, article: bool
) -> None:
    adapter = CannedAdapter(script)
    client = fuzz_client(adapter)
    body = {"article": {"body": "x"}} if article else {"title": "x"}
    failure: ZammadError | None = None
    try:
        result = client.request(method, "tickets", 1, json=body)
    except ZammadError as error:
        failure = error
    if failure is not None:
        assert TOKEN not in f"{failure} {failure!r}"
        assert failure.url is None or failure.url.startswith("https://zammad.test/api/v1")
        assert len(failure.attempts) in (0, adapter.sent)
    else:
        status, headers, raw = script[min(adapter.sent, len(script)) - 1]
        assert 200 <= status < 300
        if raw and method != "HEAD" and status != 204:
            check_success(result, raw, headers)
    assert adapter.sent <= Retry().attempts
    if method == "POST":
        assert adapter.sent == 1


def canned(status: int, headers: dict[str, str], body: bytes, method: str) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response.headers = CaseInsensitiveDict(headers)
    response._content = body
    response.url = "https://zammad.test/api/v1/tickets/1"
    response.request = requests.Request(method, response.url).prepare()
    return response


@FUZZ
@given(
    status=st.integers(400, 599),
    content_type=content_types,
    retry_after=retry_afters,
    body=bodies(),
)
def test_every_failed_status_becomes_an_http_error_with_a_readable_message(
    status: int, content_type: str, retry_after: str | None, body: bytes
) -> None:
    headers = {"Content-Type": content_type}
    if retry_after is not None:
        headers["Retry-After"] = retry_after
    error = exception_for_response(canned(status, headers, body, "GET"))
    assert isinstance(error, HTTPError)
    assert error.status_code == status
    assert str(error).startswith(str(status))


def test_the_fuzzer_meets_a_truncated_reply_as_unexpected_response() -> None:
    adapter = CannedAdapter([(200, {"Content-Type": "application/json"}, b'{"id": 1, "ti')])
    with pytest.raises(UnexpectedResponse, match="invalid or truncated JSON"):
        fuzz_client(adapter).get("tickets", 1)
