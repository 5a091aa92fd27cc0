"""The Flask integration, through the example portal and Flask's test client."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask, g
from flask.testing import FlaskClient
from integration_support import SECRET, hook_ticket_updates
from portal_flask import create_app, zammad

from zammad_orm import Client, signals
from zammad_orm.contrib.flask import Zammad
from zammad_orm.resources.tickets import Ticket
from zammad_orm.testing import FakeZammad
from zammad_orm.webhooks import sign


@pytest.fixture
def app(zammad_server: FakeZammad) -> Flask:
    return create_app({"ZAMMAD_URL": zammad_server.url, "ZAMMAD_HTTP_TOKEN": zammad_server.token})


@pytest.fixture
def browser(app: Flask) -> FlaskClient:
    return app.test_client()


def puts(server: FakeZammad) -> list[tuple[str, Any]]:
    return [(r.endpoint, r.json) for r in server.requests if r.method == "PUT"]


def test_the_client_lives_on_app_extensions(app: Flask, zammad_server: FakeZammad) -> None:
    client = app.extensions["zammad"]
    assert isinstance(client, Client)
    assert client.url == zammad_server.url


def test_missing_settings_are_named() -> None:
    app = Flask("unconfigured")
    app.config["ZAMMAD_HTTP_TOKEN"] = "x"
    with pytest.raises(RuntimeError, match="ZAMMAD_URL must be the Zammad API URL"):
        Zammad(app)


def test_two_credentials_are_refused() -> None:
    app = Flask("ambiguous")
    app.config.update(ZAMMAD_URL="http://x/api/v1", ZAMMAD_HTTP_TOKEN="a", ZAMMAD_OAUTH2_TOKEN="b")
    with pytest.raises(RuntimeError, match="set exactly one of ZAMMAD_HTTP_TOKEN"):
        Zammad(app)


def test_a_request_commits_its_unit_of_work(
    browser: FlaskClient, zammad_server: FakeZammad, app: Flask
) -> None:
    zammad_server.clear_requests()
    reply = browser.post("/tickets/1/close")
    assert reply.json == {"id": 1, "state": "closed"}
    assert puts(zammad_server) == [("/tickets/1", {"state_id": 4})]
    assert app.extensions["portal_events"] == [("closed", 1)]


def test_each_request_has_its_own_unit_opened_lazily(app: Flask) -> None:
    seen: list[Any] = []

    @app.get("/units")
    def units() -> str:
        opened_before = hasattr(g, "_zammad_orm_request")
        seen.append(zammad.work)
        assert zammad.client.current_unit_of_work() is zammad.work
        return str(opened_before)

    browser = app.test_client()
    assert [browser.get("/units").text, browser.get("/units").text] == ["False", "False"]
    assert seen[0] is not seen[1]
    assert all(unit.is_closed for unit in seen)


def test_a_raising_request_discards_its_changes_and_sends_nothing(
    app: Flask, zammad_server: FakeZammad
) -> None:
    @app.post("/rename-then-fail")
    def rename_then_fail() -> str:
        zammad.client.tickets.get(1).title = "half done"
        raise RuntimeError("boom")

    zammad_server.clear_requests()
    assert app.test_client().post("/rename-then-fail").status_code == 500
    assert puts(zammad_server) == []
    assert app.extensions["zammad"].tickets.get(1).title == "Welcome to Zammad!"


def test_unsaved_changes_are_discarded_with_a_warning(
    app: Flask, zammad_server: FakeZammad, caplog: pytest.LogCaptureFixture
) -> None:
    @app.post("/forget")
    def forget() -> str:
        zammad.client.tickets.get(1).title = "forgotten"
        return "ok"

    with caplog.at_level(logging.WARNING, logger="zammad_orm"):
        app.test_client().post("/forget")
    assert puts(zammad_server) == []
    assert "closed with unsaved changes" in caplog.text


def test_commit_on_success_sends_what_a_view_left_pending(
    zammad_server: FakeZammad,
) -> None:
    app = create_app(
        {
            "ZAMMAD_URL": zammad_server.url,
            "ZAMMAD_HTTP_TOKEN": zammad_server.token,
            "ZAMMAD_COMMIT_ON_SUCCESS": True,
        }
    )

    @app.post("/rename")
    def rename() -> str:
        zammad.client.tickets.get(1).title = "Renamed"
        return "ok"

    zammad_server.clear_requests()
    app.test_client().post("/rename")
    assert puts(zammad_server) == [("/tickets/1", {"title": "Renamed"})]


def test_a_logged_in_user_is_impersonated(browser: FlaskClient, zammad_server: FakeZammad) -> None:
    browser.post("/login", data={"login": "nicole.braun@zammad.org"})
    zammad_server.clear_requests()
    tickets = browser.get("/tickets").json
    assert [ticket["id"] for ticket in tickets] == [1]
    assert {r.headers.get("x-on-behalf-of") for r in zammad_server.requests} == {
        "nicole.braun@zammad.org"
    }


def test_without_a_login_the_token_user_acts(
    browser: FlaskClient, zammad_server: FakeZammad
) -> None:
    zammad_server.clear_requests()
    browser.get("/tickets")
    assert {r.headers.get("x-on-behalf-of") for r in zammad_server.requests} == {None}


def webhook_body(ticket_id: int) -> bytes:
    return json.dumps({"ticket": {"id": ticket_id, "title": "x"}, "article": {}}).encode()


def test_a_signed_webhook_evicts_the_ticket_and_signals(
    app: Flask, browser: FlaskClient, zammad_server: FakeZammad
) -> None:
    client: Client = app.extensions["zammad"]
    client.tickets.get(1)  # cached
    body = webhook_body(1)
    reply = browser.post(
        "/zammad/webhook", data=body, headers={"X-Hub-Signature": sign(body, SECRET)}
    )
    assert (reply.status_code, reply.json) == (200, {"changed": ["Ticket:1"]})
    assert app.extensions["portal_events"] == [("remote", 1)]
    zammad_server.clear_requests()
    client.tickets.get(1)
    assert [r.endpoint for r in zammad_server.requests] == ["/tickets/1"]


@pytest.mark.parametrize("signature", [None, "sha1=0000", "md5=abc", sign(b"other body", SECRET)])
def test_a_badly_signed_webhook_is_refused_and_changes_nothing(
    app: Flask, browser: FlaskClient, zammad_server: FakeZammad, signature: str | None
) -> None:
    client: Client = app.extensions["zammad"]
    client.tickets.get(1)
    headers = {} if signature is None else {"X-Hub-Signature": signature}
    reply = browser.post("/zammad/webhook", data=webhook_body(1), headers=headers)
    assert reply.status_code == 401
    assert app.extensions["portal_events"] == []
    zammad_server.clear_requests()
    client.tickets.get(1)
    assert zammad_server.requests == []  # still cached


def test_a_change_made_in_zammad_reaches_the_app_through_the_fake_servers_webhook(
    app: Flask, zammad_server: FakeZammad, serve_wsgi: Callable[[Any], str]
) -> None:
    client: Client = app.extensions["zammad"]
    assert client.tickets.get(1).title == "Welcome to Zammad!"  # cached in the app
    hook_ticket_updates(client, serve_wsgi(app) + "/zammad/webhook")
    received: list[int] = []

    def remember(sender: type, instance: Ticket, **extra: Any) -> None:
        received.append(instance.id)

    signals.remote_changed.connect(remember, sender=Ticket)
    try:
        agent = Client(
            zammad_server.url, http_auth=("agent@example.com", zammad_server.admin_password)
        )
        agent.put("tickets", 1, json={"title": "Changed by a human"})
        (delivery,) = zammad_server.wait_for_deliveries(1, timeout=10)
    finally:
        signals.remote_changed.disconnect(remember, sender=Ticket)
    assert delivery.status == 200
    assert received == [1]
    assert client.tickets.get(1).title == "Changed by a human"
