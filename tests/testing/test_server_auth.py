"""The fake server authenticates and impersonates as Zammad does."""

from __future__ import annotations

import pytest
import requests

from zammad_orm.testing import FakeZammad


def get(server: FakeZammad, path: str, **headers: str) -> requests.Response:
    return requests.get(f"{server.url}{path}", headers=headers, timeout=5)


def token(server: FakeZammad) -> str:
    return f"Token token={server.token}"


def test_no_credentials_is_403_authentication_required(server: FakeZammad) -> None:
    response = get(server, "/users/me")
    assert response.status_code == 403
    assert response.json() == {
        "error": "Authentication required",
        "error_human": "Authentication required",
    }
    assert response.headers["X-Failure"] == "Authentication required"


@pytest.mark.parametrize(
    "authorization",
    ["Token token=test-token", "Token test-token", 'Token token="test-token"', "Bearer test-token"],
)
def test_every_token_form_is_accepted(server: FakeZammad, authorization: str) -> None:
    assert get(server, "/users/me", Authorization=authorization).json()["id"] == 3


def test_unknown_token_is_401(server: FakeZammad) -> None:
    response = get(server, "/users/me", Authorization="Token token=nope")
    assert response.status_code == 401
    assert response.json()["error"] == "Can't find User for Token"


def test_unknown_bearer_token_is_401_invalid(server: FakeZammad) -> None:
    response = get(server, "/users/me", Authorization="Bearer nope")
    assert response.status_code == 401
    assert response.json()["error"] == "The provided token is invalid."


@pytest.mark.parametrize("login", ["admin@example.com", "ADMIN@example.com"])
def test_basic_auth_with_login_or_email(server: FakeZammad, login: str) -> None:
    response = requests.get(
        f"{server.url}/users/me", auth=(login, server.admin_password), timeout=5
    )
    assert response.json()["id"] == 3


def test_basic_auth_with_a_wrong_password_is_401(server: FakeZammad) -> None:
    response = requests.get(f"{server.url}/users/me", auth=(server.admin_login, "x"), timeout=5)
    assert response.status_code == 401
    assert response.json()["error_human"] == "Invalid BasicAuth credentials"


def test_unknown_route_is_zammads_routing_error(server: FakeZammad) -> None:
    response = get(server, "/nothing/here", Authorization=token(server))
    assert response.status_code == 404
    assert response.json()["error"] == "No route matches [GET] /api/v1/nothing/here"


def test_patch_is_not_routed(server: FakeZammad) -> None:
    response = requests.patch(
        f"{server.url}/tickets/1", json={}, headers={"Authorization": token(server)}, timeout=5
    )
    assert response.status_code == 404


def test_roles_have_no_delete_route(server: FakeZammad) -> None:
    response = requests.delete(
        f"{server.url}/roles/3", headers={"Authorization": token(server)}, timeout=5
    )
    assert response.status_code == 404


def test_every_reply_says_no_store(server: FakeZammad) -> None:
    assert get(server, "/users/me", Authorization=token(server)).headers["Cache-Control"] == (
        "no-store"
    )


@pytest.mark.parametrize("who", ["2", "nicole.braun@zammad.org", "NICOLE.BRAUN@zammad.org"])
def test_x_on_behalf_of_by_id_login_or_email(server: FakeZammad, who: str) -> None:
    me = get(server, "/users/me", Authorization=token(server), **{"X-On-Behalf-Of": who})
    assert me.json()["id"] == 2


def test_impersonating_an_unknown_user_is_403(server: FakeZammad) -> None:
    response = get(server, "/users/me", Authorization=token(server), **{"X-On-Behalf-Of": "ghost"})
    assert response.status_code == 403
    assert response.json()["error"] == "No such user 'ghost'"


def test_impersonation_needs_admin_user_permission(server: FakeZammad) -> None:
    response = requests.get(
        f"{server.url}/users/me",
        auth=("agent@example.com", server.admin_password),
        headers={"X-On-Behalf-Of": "2"},
        timeout=5,
    )
    assert response.status_code == 403
    # 6.2 names only the header it knows (app/controllers/application_controller/has_user.rb)
    assert response.json()["error"] == "Current user has no permission to use 'X-On-Behalf-Of'!"


def test_from_header_is_ignored_by_6_2(server: FakeZammad) -> None:
    me = get(server, "/users/me", Authorization=token(server), From="2")
    assert me.json()["id"] == 3


def test_from_header_wins_from_6_3_on() -> None:
    with FakeZammad(version="6.5") as newer:
        me = requests.get(
            f"{newer.url}/users/me",
            headers={"Authorization": token(newer), "From": "2", "X-On-Behalf-Of": "4"},
            timeout=5,
        )
        assert me.json()["id"] == 2


def test_writes_under_impersonation_are_by_the_impersonated_user(server: FakeZammad) -> None:
    created = requests.post(
        f"{server.url}/tickets",
        json={"title": "By Nicole", "group": "Users"},
        headers={"Authorization": token(server), "X-On-Behalf-Of": "2"},
        timeout=5,
    ).json()
    assert created["created_by_id"] == 2
    assert created["customer_id"] == 2


def test_customers_see_only_their_own_tickets(server: FakeZammad) -> None:
    other = requests.post(
        f"{server.url}/tickets",
        json={"title": "Someone else's", "group": "Users", "customer_id": "guess:x@y.test"},
        headers={"Authorization": token(server)},
        timeout=5,
    ).json()
    as_nicole = {"Authorization": token(server), "X-On-Behalf-Of": "2"}
    listed = requests.get(f"{server.url}/tickets", headers=as_nicole, timeout=5).json()
    assert [ticket["id"] for ticket in listed] == [1]
    forbidden = requests.get(f"{server.url}/tickets/{other['id']}", headers=as_nicole, timeout=5)
    assert forbidden.status_code == 403
    assert forbidden.json()["error"] == "Not authorized"


def test_agents_cannot_delete_tickets(server: FakeZammad) -> None:
    response = requests.delete(
        f"{server.url}/tickets/1", auth=("agent@example.com", server.admin_password), timeout=5
    )
    assert response.status_code == 403
    assert response.json()["error"] == "Not authorized (admin permission required)!"


def test_agents_cannot_read_the_version(server: FakeZammad) -> None:
    response = requests.get(
        f"{server.url}/version", auth=("agent@example.com", server.admin_password), timeout=5
    )
    assert response.status_code == 403
