"""Credentials stay secret: not in reprs, messages, logs, pickles or signal payloads, and not
sent to another origin on a redirect."""

from __future__ import annotations

import logging
import pickle
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from zammad_orm import Client, ConnectionFailed, NotFound, Retry, ServerError, signals
from zammad_orm.testing import FakeZammad

SECRET = "s3cr3t-t0ken-value"
URL = "https://zammad.test/api/v1"


@pytest.mark.parametrize(
    ("credentials", "scheme"),
    [
        ({"http_token": SECRET}, "token"),
        ({"oauth2_token": SECRET}, "bearer"),
        ({"http_auth": ("agent", SECRET)}, "basic"),
    ],
)
def test_repr_of_a_client_shows_the_url_and_auth_scheme_only(
    credentials: dict[str, Any], scheme: str
) -> None:
    client = Client(URL, **credentials)
    assert repr(client) == f"<Client '{URL}' auth={scheme}>"
    assert SECRET not in repr(client.session.auth)


def test_a_client_refuses_to_be_pickled() -> None:
    with pytest.raises(TypeError, match="hold credentials"):
        pickle.dumps(Client(URL, http_token=SECRET))


def test_its_session_refuses_to_be_pickled_too() -> None:
    with pytest.raises(TypeError, match="holds credentials"):
        pickle.dumps(Client(URL, http_auth=("agent", SECRET)).session)


def test_a_resource_refuses_to_be_pickled_with_its_client(zammad_client: Client) -> None:
    with pytest.raises(TypeError, match="credentials"):
        pickle.dumps(zammad_client.tickets(1))


def test_an_api_exception_pickles_without_the_request_that_carried_the_token(
    zammad_server: FakeZammad, zammad_client: Client
) -> None:
    with pytest.raises(NotFound) as caught:
        zammad_client.get("tickets", 999_999)
    assert caught.value.response is not None
    data = pickle.dumps(caught.value)
    assert zammad_server.token.encode() not in data
    copy = pickle.loads(data)
    assert type(copy) is NotFound
    assert str(copy) == str(caught.value)
    assert (copy.status_code, copy.error, copy.response) == (404, caught.value.error, None)


def test_a_transport_error_pickles_without_its_request(zammad_server: FakeZammad) -> None:
    client = Client(zammad_server.url, http_token=zammad_server.token, retry=Retry.never())
    zammad_server.fail_next(drop=True)
    with pytest.raises(ConnectionFailed) as caught:
        client.get("tickets", 1)
    assert caught.value.request is not None
    data = pickle.dumps(caught.value)
    assert zammad_server.token.encode() not in data
    assert pickle.loads(data).attempts == caught.value.attempts


def test_messages_and_logs_never_hold_credentials(
    zammad_server: FakeZammad, caplog: pytest.LogCaptureFixture
) -> None:
    url = zammad_server.url.replace("http://", f"http://agent:{SECRET}@")
    client = Client(url, http_token=zammad_server.token, sleep=lambda _: None)
    with caplog.at_level(logging.DEBUG):
        zammad_server.fail_next(2, status=502, body="html")
        client.get("tickets", 1)
        zammad_server.fail_next(4, status=503)
        with pytest.raises(ServerError) as caught:
            client.get("tickets", 1)
    texts = [record.getMessage() for record in caplog.records]
    assert any("retrying" in text for text in texts)
    for text in [*texts, str(caught.value), repr(caught.value), repr(client)]:
        assert SECRET not in text
        assert zammad_server.token not in text


def test_signal_payloads_show_no_credentials(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    payloads: list[str] = []

    def record(sender: Any, **kwargs: Any) -> None:
        payloads.append(repr(kwargs))

    signals.updated.connect(record)
    try:
        ticket = zammad_client.tickets(1)
        ticket.title = "Signalled"
        ticket.save()
    finally:
        signals.updated.disconnect(record)
    assert payloads
    assert all(zammad_server.token not in payload for payload in payloads)


# -- redirects --------------------------------------------------------------------------------


class _Origin:
    """A loopback server that records request headers and answers with ``reply``."""

    def __init__(self, reply: tuple[int, dict[str, str], bytes]) -> None:
        self.headers: list[dict[str, str]] = []
        origin = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                origin.headers.append({k.lower(): v for k, v in self.headers.items()})
                status, headers, body = reply
                self.send_response(status)
                for name, value in {**headers, "Content-Length": str(len(body))}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def elsewhere() -> Iterator[_Origin]:
    origin = _Origin((200, {"Content-Type": "application/json"}, b'{"id": 1}'))
    yield origin
    origin.close()


def redirecting_to(target: str) -> _Origin:
    return _Origin((307, {"Location": target}, b""))


def test_a_redirect_to_another_origin_drops_the_authorization_header(
    elsewhere: _Origin,
) -> None:
    start = redirecting_to(f"{elsewhere.url}/api/v1/tickets/1")
    try:
        client = Client(f"{start.url}/api/v1", http_token=SECRET)
        assert client.get("tickets", 1) == {"id": 1}
    finally:
        start.close()
    assert start.headers[0]["authorization"] == f"Token token={SECRET}"
    assert "authorization" not in elsewhere.headers[0]
