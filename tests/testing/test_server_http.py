"""The fake server speaks HTTP as Zammad's Rails stack does: methods, headers, 500 bodies."""

from __future__ import annotations

import requests

from zammad_orm.testing import FakeZammad


def admin(server: FakeZammad) -> dict[str, str]:
    return {"Authorization": f"Token token={server.token}"}


def as_agent(server: FakeZammad) -> tuple[str, str]:
    return ("agent@example.com", server.admin_password)


def test_json_replies_are_utf8_json(server: FakeZammad) -> None:
    response = requests.get(f"{server.url}/tickets/1", headers=admin(server), timeout=5)
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"


def test_authenticated_replies_carry_cors_headers(server: FakeZammad) -> None:
    response = requests.get(f"{server.url}/tickets/1", headers=admin(server), timeout=5)
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_options_is_an_empty_200_preflight_answer(server: FakeZammad) -> None:
    response = requests.options(f"{server.url}/tickets/1", timeout=5)
    assert (response.status_code, response.content) == (200, b"")
    assert "PUT" in response.headers["Access-Control-Allow-Methods"]


def test_head_is_routed_as_get_without_a_body(server: FakeZammad) -> None:
    response = requests.head(f"{server.url}/tickets/1", headers=admin(server), timeout=5)
    assert response.status_code == 200
    assert response.content == b""
    assert int(response.headers["Content-Length"]) > 0


def test_a_500_shows_admins_the_message_without_error_human(server: FakeZammad) -> None:
    response = requests.get(
        f"{server.url}/ticket_states", params={"sort_by": "nope"}, headers=admin(server), timeout=5
    )
    assert response.status_code == 500
    assert response.json() == {"error": "Found invalid column 'nope' for sorting."}


def test_a_500_hides_the_message_from_everyone_else(server: FakeZammad) -> None:
    response = requests.get(
        f"{server.url}/tickets/search",
        params={"query": "*", "order_by": "sideways"},
        auth=as_agent(server),
        timeout=5,
    )
    assert response.status_code == 500
    (error,) = response.json().values()
    assert error.startswith("Error ID ")
    assert error.endswith(": Please contact your administrator.")


def test_a_body_that_is_not_json_is_400(server: FakeZammad) -> None:
    response = requests.post(
        f"{server.url}/tickets",
        data=b"{not json",
        headers={**admin(server), "Content-Type": "application/json"},
        timeout=5,
    )
    assert response.status_code == 400


def test_record_not_found_names_zammads_model_class(server: FakeZammad) -> None:
    for path, model in [
        ("tickets/99", "Ticket"),
        ("users/99", "User"),
        ("organizations/99", "Organization"),
        ("groups/99", "Group"),
        ("roles/99", "Role"),
        ("ticket_states/99", "Ticket::State"),
        ("ticket_priorities/99", "Ticket::Priority"),
        ("ticket_articles/99", "Ticket::Article"),
        ("online_notifications/99", "OnlineNotification"),
    ]:
        response = requests.get(f"{server.url}/{path}", headers=admin(server), timeout=5)
        message = f"Couldn't find {model} with 'id'=99"
        assert (response.status_code, response.json()) == (
            404,
            {"error": message, "error_human": message},
        ), path
