"""The Client's reference interface, against the fake Zammad server over real HTTP."""

from __future__ import annotations

import asyncio
import logging
import threading

import pytest
import requests

import zammad_orm
from zammad_orm import (
    APIException,
    Client,
    HTTPError,
    InsecureTLSWarning,
    NotFound,
    Pagination,
    Retry,
    Timeout,
    UnexpectedResponse,
    UnprocessableEntity,
)
from zammad_orm.resources import (
    Articles,
    Groups,
    Notifications,
    Organizations,
    Priorities,
    Roles,
    States,
    Tags,
    Tickets,
    TimeAccountings,
    Users,
)
from zammad_orm.testing import FakeZammad

# -- construction ----------------------------------------------------------------------------


def test_client_without_credentials_raises_value_error() -> None:
    with pytest.raises(ValueError, match=r"http_auth=.*http_token=.*oauth2_token="):
        Client("https://zammad.test/api/v1")


def test_client_with_two_credentials_raises_value_error() -> None:
    with pytest.raises(ValueError, match="http_auth and http_token"):
        Client("https://zammad.test/api/v1", http_auth=("a", "b"), http_token="t")


@pytest.mark.parametrize("url", ["", "zammad.test/api/v1", "ftp://zammad.test/api/v1"])
def test_client_rejects_urls_that_are_not_http(url: str) -> None:
    with pytest.raises(ValueError, match="url must be"):
        Client(url, http_token="t")


def test_url_is_normalised_without_trailing_slash() -> None:
    assert Client("https://zammad.test/api/v1/", http_token="t").url == (
        "https://zammad.test/api/v1"
    )


def test_weburl_is_the_web_root_of_the_api_url() -> None:
    assert Client("https://zammad.test/api/v1/", http_token="t").weburl == "https://zammad.test"


def test_weburl_of_a_url_without_api_suffix_is_its_origin() -> None:
    assert Client("https://zammad.test/custom", http_token="t").weburl == "https://zammad.test"


def test_session_is_a_requests_session_with_tls_verification_on() -> None:
    client = Client("https://zammad.test/api/v1", http_token="t")
    assert isinstance(client.session, requests.Session)
    assert client.session.verify is True


def test_tls_verification_can_be_turned_off_with_a_loud_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with pytest.warns(InsecureTLSWarning, match="TLS certificate verification is off"):
        client = Client("https://zammad.test/api/v1", http_token="t", verify=False)
    assert client.session.verify is False
    assert any("verification is off" in r.getMessage() for r in caplog.records)


def test_pagination_defaults_as_in_the_reference() -> None:
    pagination = Client("https://zammad.test/api/v1", http_token="t").pagination
    assert pagination == Pagination(per_page=10, expand=False)


@pytest.mark.parametrize("per_page", [0, -1])
def test_pagination_rejects_page_sizes_below_one(per_page: int) -> None:
    with pytest.raises(ValueError, match="per_page"):
        Pagination(per_page=per_page)


def test_every_manager_of_the_reference_exists_with_its_type() -> None:
    client = Client("https://zammad.test/api/v1", http_token="t")
    expected = {
        "groups": Groups,
        "notifications": Notifications,
        "organizations": Organizations,
        "roles": Roles,
        "tags": Tags,
        "ticket_articles": Articles,
        "ticket_priorities": Priorities,
        "ticket_states": States,
        "tickets": Tickets,
        "time_accountings": TimeAccountings,
        "users": Users,
    }
    for name, cls in expected.items():
        assert isinstance(getattr(client, name), cls), name


def test_misspelt_notificatons_is_the_notifications_manager() -> None:
    client = Client("https://zammad.test/api/v1", http_token="t")
    assert client.notificatons is client.notifications


def test_package_exports_are_sorted_and_importable() -> None:
    assert zammad_orm.__all__ == sorted(zammad_orm.__all__)
    for name in zammad_orm.__all__:
        assert hasattr(zammad_orm, name), name


# -- authentication on the wire --------------------------------------------------------------


def test_token_auth_reaches_the_server(zammad_server: FakeZammad) -> None:
    client = Client(zammad_server.url, http_token=zammad_server.token)
    assert client.users.me().id == 3
    assert zammad_server.requests[-1].headers["authorization"] == (
        f"Token token={zammad_server.token}"
    )


def test_basic_auth_reaches_the_server(zammad_server: FakeZammad) -> None:
    client = Client(
        zammad_server.url, http_auth=(zammad_server.admin_login, zammad_server.admin_password)
    )
    assert client.users.me().login == zammad_server.admin_login


def test_oauth2_token_is_sent_as_bearer(zammad_server: FakeZammad) -> None:
    client = Client(zammad_server.url, oauth2_token=zammad_server.token)
    client.users.me()
    assert zammad_server.requests[-1].headers["authorization"] == f"Bearer {zammad_server.token}"


def test_wrong_token_raises_unauthorized(zammad_server: FakeZammad) -> None:
    client = Client(zammad_server.url, http_token="wrong")
    with pytest.raises(zammad_orm.Unauthorized) as caught:
        client.get("users", "me")
    assert caught.value.status_code == 401


def test_user_agent_names_zammad_orm_and_its_version(
    zammad_server: FakeZammad, zammad_client: Client
) -> None:
    zammad_client.get("users", "me")
    agent = zammad_server.requests[-1].headers["user-agent"]
    assert agent.startswith(f"zammad_orm/{zammad_orm.__version__} ")


def test_additional_headers_are_appended(zammad_server: FakeZammad) -> None:
    client = Client(
        zammad_server.url,
        http_token=zammad_server.token,
        additional_headers=[("X-Request-Source", "billing-script")],
    )
    client.get("users", "me")
    assert zammad_server.requests[-1].headers["x-request-source"] == "billing-script"


# -- request / response ----------------------------------------------------------------------


def test_request_joins_endpoint_specifiers_and_decodes_json(
    zammad_server: FakeZammad, zammad_client: Client
) -> None:
    ticket = zammad_client.request("GET", "tickets", 1)
    assert ticket["id"] == 1
    assert zammad_server.requests[-1].path == "/api/v1/tickets/1"


def test_request_accepts_a_path_with_slashes(zammad_client: Client) -> None:
    assert zammad_client.request("GET", "/tickets/1/")["id"] == 1


def test_boolean_params_are_sent_lowercase(
    zammad_server: FakeZammad, zammad_client: Client
) -> None:
    zammad_client.get("tickets", 1, params={"expand": True, "full": False})
    assert zammad_server.requests[-1].query == {"expand": "true", "full": "false"}


def test_get_with_expand_returns_names_beside_ids(zammad_client: Client) -> None:
    ticket = zammad_client.get("tickets", 1, params={"expand": True})
    assert ticket["group"] == "Users"


def test_post_put_delete_shortcuts(zammad_server: FakeZammad, zammad_client: Client) -> None:
    created = zammad_client.post("organizations", json={"name": "Shortcut Inc."})
    updated = zammad_client.put("organizations", created["id"], json={"note": "via put"})
    assert updated["note"] == "via put"
    assert zammad_client.delete("organizations", created["id"]) == {}
    methods = [request.method for request in zammad_server.requests[-3:]]
    assert methods == ["POST", "PUT", "DELETE"]


def test_empty_body_decodes_to_none(zammad_client: Client) -> None:
    ticket = zammad_client.post(
        "tickets", json={"title": "to delete", "group": "Users", "customer_id": 2}
    )
    assert zammad_client.delete("tickets", ticket["id"]) is None


def test_html_page_with_200_raises_unexpected_response(
    zammad_server: FakeZammad, zammad_client: Client
) -> None:
    zammad_server.fail_next(status=200, path=r"^/version$", body="html")
    with pytest.raises(UnexpectedResponse, match=r"text/html instead of JSON.*api/v1") as caught:
        zammad_client.get("version")
    assert caught.value.body_start.startswith("<html>")


def test_response_returns_the_raw_response_without_raising(
    zammad_server: FakeZammad, zammad_client: Client
) -> None:
    response = zammad_client.response("GET", f"{zammad_server.url}/tickets/999999")
    assert isinstance(response, requests.Response)
    assert response.status_code == 404


def test_zammad_error_raises_api_exception_with_its_texts(zammad_client: Client) -> None:
    with pytest.raises(NotFound) as caught:
        zammad_client.get("ticket_states", 999)
    error = caught.value
    assert isinstance(error, APIException)
    assert error.status_code == 404
    assert error.error_human == "Couldn't find Ticket::State with 'id'=999"


def test_unknown_name_raises_unprocessable_entity(zammad_client: Client) -> None:
    with pytest.raises(UnprocessableEntity, match="No lookup value found for 'group'"):
        zammad_client.post(
            "tickets", json={"title": "x", "group": "No such group", "customer_id": 2}
        )


def test_proxy_error_page_raises_http_error_quoting_the_page(
    zammad_server: FakeZammad, zammad_client: Client
) -> None:
    zammad_server.fail_next(status=502, body="html")
    with pytest.raises(HTTPError) as caught:
        zammad_client.get("tickets", 1, retry=Retry.never())
    error = caught.value
    assert isinstance(error, requests.HTTPError)
    assert not isinstance(error, APIException)
    assert error.status_code == 502
    assert error.body_start.startswith("<html><head><title>502 Error")
    assert error.response is not None


def test_every_request_has_a_timeout(zammad_server: FakeZammad) -> None:
    client = Client(
        zammad_server.url, http_token=zammad_server.token, timeout=0.3, retry=Retry.never()
    )
    zammad_server.fail_next(status=0, delay=1.5)
    with pytest.raises(Timeout, match=r"read timeout after 0\.3 s") as caught:
        client.get("tickets", 1)
    assert isinstance(caught.value, requests.Timeout)
    assert isinstance(caught.value.__cause__, requests.ReadTimeout)


def test_default_timeout_is_finite_for_connect_and_read() -> None:
    client = Client("https://zammad.test/api/v1", http_token="t")
    assert client.timeout == Client.DEFAULT_TIMEOUT == (10.0, 30.0)


def test_server_version_asks_once(zammad_server: FakeZammad, zammad_client: Client) -> None:
    assert zammad_client.server_version.startswith("6.2")
    assert zammad_client.server_version.startswith("6.2")
    assert [r.endpoint for r in zammad_server.requests].count("/version") == 1


# -- logging ---------------------------------------------------------------------------------


def test_each_request_logs_one_debug_line_without_credentials(
    zammad_server: FakeZammad, zammad_client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="zammad_orm"):
        zammad_client.get("tickets", 1)
    lines = [record.getMessage() for record in caplog.records if record.name == "zammad_orm"]
    assert len(lines) == 1
    assert lines[0].startswith(f"GET {zammad_server.url}/tickets/1 -> 200 in ")
    assert zammad_server.token not in lines[0]


def test_log_lines_drop_user_info_from_urls(zammad_server: FakeZammad) -> None:
    url = zammad_server.url.replace("http://", "http://someone:pw@")
    client = Client(url, http_token=zammad_server.token)
    assert "pw" not in repr(client)


# -- impersonation ---------------------------------------------------------------------------


def test_impersonation_sends_the_header_inside_the_block_only(
    zammad_server: FakeZammad, zammad_client: Client
) -> None:
    with zammad_client.impersonation_of(2):
        assert zammad_client.users.me().id == 2
        assert zammad_server.requests[-1].headers["x-on-behalf-of"] == "2"
    zammad_client.get("users", "me")
    assert "x-on-behalf-of" not in zammad_server.requests[-1].headers


def test_impersonation_by_login_or_email(zammad_client: Client) -> None:
    with zammad_client.impersonation_of("nicole.braun@zammad.org"):
        assert zammad_client.users.me().id == 2


def test_impersonation_never_touches_the_shared_session_headers(zammad_client: Client) -> None:
    with zammad_client.impersonation_of(2):
        assert "X-On-Behalf-Of" not in zammad_client.session.headers


def test_impersonation_is_kept_per_thread(zammad_server: FakeZammad, zammad_client: Client) -> None:
    inside = threading.Event()
    done = threading.Event()
    seen: dict[str, int] = {}

    def customer_thread() -> None:
        with zammad_client.impersonation_of(2):
            inside.set()
            seen["customer"] = zammad_client.get("users", "me")["id"]
            done.wait(5)

    thread = threading.Thread(target=customer_thread)
    thread.start()
    inside.wait(5)
    seen["admin"] = zammad_client.get("users", "me")["id"]
    done.set()
    thread.join()
    assert seen == {"customer": 2, "admin": 3}


def test_impersonation_is_kept_per_asyncio_task(zammad_client: Client) -> None:
    async def me(user: int | None) -> int:
        if user is None:
            await asyncio.sleep(0.01)
            reply = await asyncio.to_thread(zammad_client.get, "users", "me")
            return int(reply["id"])
        with zammad_client.impersonation_of(user):
            await asyncio.sleep(0.01)
            reply = await asyncio.to_thread(zammad_client.get, "users", "me")
            return int(reply["id"])

    async def both() -> list[int]:
        return list(await asyncio.gather(me(2), me(None)))

    assert asyncio.run(both()) == [2, 3]


def test_impersonation_of_one_client_leaves_another_alone(zammad_server: FakeZammad) -> None:
    first = Client(zammad_server.url, http_token=zammad_server.token)
    second = Client(zammad_server.url, http_token=zammad_server.token)
    with first.impersonation_of(2):
        assert second.get("users", "me")["id"] == 3


@pytest.mark.parametrize("user", ["", "  ", None, True, 1.5])
def test_impersonation_rejects_values_that_name_nobody(zammad_client: Client, user: object) -> None:
    with (
        pytest.raises(ValueError, match="user id, login or email"),
        zammad_client.impersonation_of(user),  # type: ignore[arg-type]
    ):
        pass
