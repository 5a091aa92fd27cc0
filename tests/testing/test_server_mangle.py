"""``fail_next(mangle=...)``: the request is applied, then its reply is damaged on the way."""

from __future__ import annotations

import pytest
import requests
from raw_api import Api

from zammad_orm.testing import FakeZammad


def test_truncate_applies_the_request_and_cuts_the_reply_in_half(
    zammad_server: FakeZammad,
) -> None:
    api = Api(zammad_server)
    full = api.call("GET", "/tickets/1").content
    zammad_server.fail_next(mangle="truncate", method="PUT")
    reply = api.call("PUT", "/tickets/1", json={"title": "Cut"})
    assert reply.status_code == 200
    assert reply.headers["Content-Type"].startswith("application/json")
    assert 0 < len(reply.content) < len(full)
    assert api.ok("GET", "/tickets/1")["title"] == "Cut"


def test_empty_applies_the_request_and_sends_no_body(zammad_server: FakeZammad) -> None:
    api = Api(zammad_server)
    zammad_server.fail_next(mangle="empty", method="POST")
    reply = api.call("POST", "/organizations", json={"name": "Emptied"})
    assert (reply.status_code, reply.content) == (201, b"")
    names = [org["name"] for org in api.ok("GET", "/organizations")]
    assert "Emptied" in names


def test_garbage_sends_bytes_that_are_not_json(zammad_server: FakeZammad) -> None:
    zammad_server.fail_next(mangle="garbage")
    reply = Api(zammad_server).call("GET", "/tickets/1")
    with pytest.raises(requests.JSONDecodeError):
        reply.json()


def test_drop_applies_the_request_and_closes_the_connection_unanswered(
    zammad_server: FakeZammad,
) -> None:
    api = Api(zammad_server)
    zammad_server.fail_next(mangle="drop", method="PUT")
    with pytest.raises(requests.ConnectionError):
        api.call("PUT", "/tickets/1", json={"title": "Applied, unanswered"})
    assert zammad_server.requests[-1].status == 0
    assert api.ok("GET", "/tickets/1")["title"] == "Applied, unanswered"


def test_an_unknown_mangle_is_refused(zammad_server: FakeZammad) -> None:
    with pytest.raises(ValueError, match="mangle must be one of"):
        zammad_server.fail_next(mangle="shred")
