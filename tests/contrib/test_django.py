"""The Django integration, through the example portal, Django's test client and
pytest-django, against the fake server."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User as DjangoUser
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import CommandError, call_command
from django.test import Client as BrowserClient
from integration_support import SECRET, hook_ticket_updates
from portal.audit import TRAIL

from zammad_orm import Client
from zammad_orm.contrib.django import get_client, signals
from zammad_orm.resources.tickets import Ticket
from zammad_orm.testing import FakeZammad
from zammad_orm.webhooks import sign

pytestmark = pytest.mark.urls("django_test_urls")

#: pytest-django's ``settings`` fixture (its class moved between releases)
SettingsWrapper = Any


@pytest.fixture(autouse=True)
def zammad_settings(settings: SettingsWrapper, zammad_server: FakeZammad) -> Iterator[None]:
    """Point the portal at the fake server (the shared client is rebuilt on the change)."""
    settings.ZAMMAD = {
        **settings.ZAMMAD,
        "URL": zammad_server.url,
        "HTTP_TOKEN": zammad_server.token,
        "WEBHOOK_SECRET": SECRET,
    }
    TRAIL.clear()
    yield
    TRAIL.clear()


def login(browser: BrowserClient, email: str) -> None:
    user = DjangoUser.objects.create_user(username=email.split("@")[0], email=email)
    browser.force_login(user)


def puts(server: FakeZammad) -> list[tuple[str, Any]]:
    return [(r.endpoint, r.json) for r in server.requests if r.method == "PUT"]


def test_one_client_per_process_rebuilt_when_the_settings_change(
    settings: SettingsWrapper, zammad_server: FakeZammad
) -> None:
    first = get_client()
    assert get_client() is first
    assert first.url == zammad_server.url
    settings.ZAMMAD = {**settings.ZAMMAD, "CACHE_TTL": 5}
    assert get_client() is not first
    assert get_client().cache.ttl == 5


def test_bad_settings_stop_startup_naming_the_problem(settings: SettingsWrapper) -> None:
    settings.ZAMMAD = {"HTTP_TOKEN": "x", "HTTP_AUTH": ("a", "b"), "TIMEOUTS": 3}
    with pytest.raises(ImproperlyConfigured) as raised:
        apps.get_app_config("zammad_orm").ready()
    message = str(raised.value)
    assert "unknown setting(s) settings.ZAMMAD['TIMEOUTS']" in message
    assert "settings.ZAMMAD['URL'] must be the Zammad API URL" in message
    assert "set exactly one of settings.ZAMMAD['HTTP_TOKEN']" in message


def test_missing_settings_are_improperly_configured(settings: SettingsWrapper) -> None:
    del settings.ZAMMAD
    with pytest.raises(ImproperlyConfigured, match=r"settings\.ZAMMAD must be a dict"):
        get_client()


def test_the_system_check_passes_a_good_setup() -> None:
    assert list(checks.run_checks(tags=["zammad_orm"])) == []


def test_the_system_check_reports_bad_settings_and_a_missing_middleware(
    settings: SettingsWrapper,
) -> None:
    settings.ZAMMAD = {"URL": "helpdesk", "HTTP_TOKEN": "x", "IMPERSONATE": 3}
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "Zammad" not in m]
    found = {(m.id, m.msg.split(" must")[0]) for m in checks.run_checks(tags=["zammad_orm"])}
    assert found == {
        ("zammad_orm.E001", "settings.ZAMMAD['URL']"),
        ("zammad_orm.E001", "settings.ZAMMAD['IMPERSONATE']"),
        (
            "zammad_orm.W001",
            "ZammadMiddleware is not installed: requests get no unit of work of their own",
        ),
    }


def test_the_management_command_reports_version_and_user(zammad_server: FakeZammad) -> None:
    out = io.StringIO()
    call_command("zammad_check", stdout=out)
    reply = out.getvalue().strip()
    assert reply.startswith("Connected to Zammad 6.2")
    assert reply.endswith(f" at {zammad_server.url} as admin@example.com")


def test_the_management_command_fails_on_a_refused_token(settings: SettingsWrapper) -> None:
    settings.ZAMMAD = {**settings.ZAMMAD, "HTTP_TOKEN": "wrong"}
    with pytest.raises(CommandError, match="refused: 401"):
        call_command("zammad_check", stdout=io.StringIO())


@pytest.mark.django_db
def test_a_view_commits_the_requests_unit_acting_as_the_user(
    client: BrowserClient, zammad_server: FakeZammad
) -> None:
    login(client, "admin@example.com")
    zammad_server.clear_requests()
    reply = client.post("/tickets/1/close")
    assert reply.json() == {"id": 1, "state": "closed"}
    assert puts(zammad_server) == [("/tickets/1", {"state_id": 4})]
    assert {r.headers.get("x-on-behalf-of") for r in zammad_server.requests} == {
        "admin@example.com"
    }
    assert TRAIL == [("updated", 1, ["state_id"])]


@pytest.mark.django_db
def test_each_user_sees_what_zammad_lets_them_see(client: BrowserClient) -> None:
    login(client, "nicole.braun@zammad.org")
    assert client.get("/tickets").json() == {
        "tickets": [{"id": 1, "title": "Welcome to Zammad!", "state.name": "new"}]
    }


@pytest.mark.django_db
def test_manager_calls_use_the_requests_unit_of_work(client: BrowserClient) -> None:
    assert [client.get("/test/unit").text, client.get("/test/unit").text] == ["True", "True"]


@pytest.mark.django_db
def test_a_raising_view_sends_nothing(client: BrowserClient, zammad_server: FakeZammad) -> None:
    client.raise_request_exception = False
    zammad_server.clear_requests()
    assert client.get("/test/rename-then-fail").status_code == 500
    assert puts(zammad_server) == []
    assert get_client().tickets.get(1).title == "Welcome to Zammad!"


@pytest.mark.django_db
def test_unsaved_changes_are_discarded_with_a_warning(
    client: BrowserClient, zammad_server: FakeZammad, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="zammad_orm"):
        client.get("/test/rename")
    assert puts(zammad_server) == []
    assert "closed with unsaved changes" in caplog.text


@pytest.mark.django_db
def test_commit_on_success_sends_what_a_view_left_pending(
    client: BrowserClient, zammad_server: FakeZammad, settings: SettingsWrapper
) -> None:
    settings.ZAMMAD = {**settings.ZAMMAD, "COMMIT_ON_SUCCESS": True}
    zammad_server.clear_requests()
    client.get("/test/rename")
    assert puts(zammad_server) == [("/tickets/1", {"title": "Renamed"})]


def test_blinker_signals_arrive_as_django_signals(zammad_client: Client) -> None:
    got: list[tuple[type, int, dict[str, Any]]] = []

    def on_update(sender: type, instance: Ticket, changes: dict[str, Any], **kwargs: Any) -> None:
        got.append((sender, instance.id, changes))

    signals.updated.connect(on_update, sender=Ticket)
    try:
        zammad_client.tickets.get(1).update(title="Via Django")
    finally:
        signals.updated.disconnect(on_update, sender=Ticket)
    assert got == [(Ticket, 1, {"title": ("Welcome to Zammad!", "Via Django")})]


def test_a_django_receiver_can_veto_a_write(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    def veto(sender: type, **kwargs: Any) -> None:
        raise PermissionError("read-only today")

    signals.updating.connect(veto, sender=Ticket)
    zammad_server.clear_requests()
    try:
        with pytest.raises(PermissionError):
            zammad_client.tickets.update(1, title="Nope")
    finally:
        signals.updating.disconnect(veto, sender=Ticket)
    assert puts(zammad_server) == []


def signed_post(browser: BrowserClient, body: bytes, signature: str | None) -> Any:
    headers = {} if signature is None else {"HTTP_X_HUB_SIGNATURE": signature}
    return browser.post("/zammad/webhook", data=body, content_type="application/json", **headers)


def test_a_signed_webhook_evicts_the_ticket_and_signals(
    client: BrowserClient, zammad_server: FakeZammad
) -> None:
    get_client().tickets.get(1)
    body = json.dumps({"ticket": {"id": 1, "title": "Changed"}, "article": {}}).encode()
    reply = signed_post(client, body, sign(body, SECRET))
    assert (reply.status_code, reply.json()) == (200, {"changed": ["Ticket:1"]})
    assert TRAIL == [("remote", 1, "Changed")]
    zammad_server.clear_requests()
    get_client().tickets.get(1)
    assert [r.endpoint for r in zammad_server.requests] == ["/tickets/1"]


@pytest.mark.parametrize("signature", [None, "sha1=0000", sign(b"another body", SECRET)])
def test_a_badly_signed_webhook_gets_401_and_changes_nothing(
    client: BrowserClient, zammad_server: FakeZammad, signature: str | None
) -> None:
    get_client().tickets.get(1)
    body = json.dumps({"ticket": {"id": 1}}).encode()
    assert signed_post(client, body, signature).status_code == 401
    assert TRAIL == []
    zammad_server.clear_requests()
    get_client().tickets.get(1)
    assert zammad_server.requests == []


def test_a_webhook_body_that_is_not_json_gets_400(client: BrowserClient) -> None:
    assert signed_post(client, b"nope", sign(b"nope", SECRET)).status_code == 400


def test_a_change_made_in_zammad_reaches_the_app_through_the_fake_servers_webhook(
    zammad_server: FakeZammad, serve_wsgi: Callable[[Any], str]
) -> None:
    client = get_client()
    assert client.tickets.get(1).title == "Welcome to Zammad!"
    hook_ticket_updates(client, serve_wsgi(WSGIHandler()) + "/zammad/webhook")
    agent = Client(zammad_server.url, http_auth=("agent@example.com", zammad_server.admin_password))
    agent.put("tickets", 1, json={"title": "Changed by a human"})
    (delivery,) = zammad_server.wait_for_deliveries(1, timeout=10)
    assert delivery.status == 200
    assert TRAIL == [("remote", 1, "Changed by a human")]
    assert client.tickets.get(1).title == "Changed by a human"
