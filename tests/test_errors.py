"""The error tree: which exception a failed response becomes."""

from __future__ import annotations

import json

import pytest
import requests

from zammad_orm.errors import (
    APIException,
    Forbidden,
    HTTPError,
    NotFound,
    RateLimited,
    ServerError,
    Unauthorized,
    UnprocessableEntity,
    exception_for_response,
    parse_retry_after,
)


def make_response(
    status: int, body: object = None, *, content_type: str = "application/json", text: str = ""
) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response.url = "http://zammad.test/api/v1/tickets/7"
    response.headers["Content-Type"] = content_type
    response._content = json.dumps(body).encode() if body is not None else text.encode()
    request = requests.Request("GET", response.url).prepare()
    response.request = request
    return response


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (401, Unauthorized),
        (403, Forbidden),
        (404, NotFound),
        (422, UnprocessableEntity),
        (500, ServerError),
        (503, ServerError),
    ],
)
def test_zammad_error_body_maps_status_to_its_class(status: int, cls: type) -> None:
    error = exception_for_response(make_response(status, {"error": "x", "error_human": "x"}))
    assert type(error) is cls


def test_api_exception_carries_status_error_texts_and_response() -> None:
    response = make_response(422, {"error": "raw", "error_human": "No lookup value found"})
    error = exception_for_response(response)
    assert isinstance(error, APIException)
    assert error.status_code == 422
    assert error.error == "raw"
    assert error.error_human == "No lookup value found"
    assert error.response is response


def test_message_names_status_human_text_and_request() -> None:
    error = exception_for_response(make_response(404, {"error": "Couldn't find Ticket"}))
    assert str(error) == "404 Couldn't find Ticket (GET http://zammad.test/api/v1/tickets/7)"


def test_api_exception_is_also_a_requests_http_error() -> None:
    error = exception_for_response(make_response(404, {"error": "gone"}))
    assert isinstance(error, requests.HTTPError)


def test_not_found_is_a_lookup_error() -> None:
    assert issubclass(NotFound, LookupError)


def test_non_zammad_body_gives_http_error_quoting_the_body() -> None:
    error = exception_for_response(
        make_response(502, content_type="text/html", text="<h1>Bad\n  Gateway</h1>")
    )
    assert type(error) is HTTPError
    assert isinstance(error, requests.HTTPError)
    assert str(error) == (
        "502 error for GET http://zammad.test/api/v1/tickets/7, not Zammad's error body "
        "(text/html): '<h1>Bad Gateway</h1>'"
    )


def test_json_without_error_key_gives_http_error() -> None:
    error = exception_for_response(make_response(500, {"message": "boom"}))
    assert type(error) is HTTPError


def test_429_without_zammad_body_is_rate_limited_with_retry_after() -> None:
    response = make_response(429, content_type="text/plain", text="Retry later")
    response.headers["Retry-After"] = "7"
    error = exception_for_response(response)
    assert isinstance(error, RateLimited)
    assert error.error == "Retry later"
    assert error.retry_after == 7.0


def test_retry_after_in_seconds() -> None:
    assert parse_retry_after("12") == 12.0


def test_retry_after_as_http_date_counts_from_now() -> None:
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now=1445412500.0) == 10.0


def test_retry_after_in_the_past_is_zero() -> None:
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412500.0) == 0.0


@pytest.mark.parametrize("value", [None, "", "soon"])
def test_retry_after_unreadable_is_none(value: str | None) -> None:
    assert parse_retry_after(value) is None
