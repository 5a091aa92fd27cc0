"""Details of Zammad's answers a client notices: articles' update and delete rules,
organizations, authentication errors, status codes, paging and search edge cases, the wire
format of 404s, and fault injection by path."""

from __future__ import annotations

import socket

import pytest
import requests
from raw_api import Api

from zammad_orm.testing import FakeZammad

# -- articles (app/policies/ticket/article_policy.rb) ------------------------------------------


def note_by(author: Api, ticket_id: int, **fields: object) -> dict[str, object]:
    body = {"ticket_id": ticket_id, "body": "A note", **fields}
    return dict(author.ok("POST", "/ticket_articles", json=body))


def test_an_agent_deletes_their_own_recent_note(api: Api, server: FakeZammad) -> None:
    """app/policies/ticket/article_policy.rb#destroy?: own note within the time frame."""
    ticket = api.ticket()
    note = note_by(api, ticket["id"])
    assert api.ok("DELETE", f"/ticket_articles/{note['id']}") == {}


def test_an_admin_cannot_delete_someone_elses_note(
    api: Api, agent: Api, server: FakeZammad
) -> None:
    """app/policies/ticket/article_policy.rb#destroy?: admins are not exempt."""
    ticket = api.ticket()
    note = note_by(agent, ticket["id"])
    assert api.error("DELETE", f"/ticket_articles/{note['id']}") == (
        403,
        "Not authorized (you can only delete your own notes)!",
    )


def test_a_public_communication_article_cannot_be_deleted(api: Api) -> None:
    """app/policies/ticket/article_policy.rb#destroy?: communication articles stay unless
    internal."""
    ticket = api.ticket()
    email = note_by(api, ticket["id"], type="email", to="x@example.com")
    assert api.error("DELETE", f"/ticket_articles/{email['id']}") == (
        403,
        "Not authorized (communication articles cannot be deleted)!",
    )
    internal = note_by(api, ticket["id"], type="phone", internal=True)
    assert api.ok("DELETE", f"/ticket_articles/{internal['id']}") == {}


def test_an_old_note_cannot_be_deleted(api: Api, server: FakeZammad) -> None:
    """app/policies/ticket/article_policy.rb#destroy?: ``note is too old to be deleted`` past
    ``ui_ticket_zoom_article_delete_timeframe`` (600 s)."""
    ticket = api.ticket()
    note = note_by(api, ticket["id"])
    with server.app.store.lock:
        server.app.store.tables["ticket_articles"][int(str(note["id"]))]["created_at"] = (
            "2020-01-01T00:00:00.000Z"
        )
    assert api.error("DELETE", f"/ticket_articles/{note['id']}") == (
        403,
        "Not authorized (note is too old to be deleted)!",
    )


def test_a_customer_cannot_update_an_article(api: Api, nicole: Api) -> None:
    """app/policies/ticket/article_policy.rb#update?: agents with change access only."""
    ticket = api.ticket()
    note = note_by(api, ticket["id"])
    response = nicole.call(
        "PUT", f"/ticket_articles/{note['id']}", json={"preferences": {"highlight": "x"}}
    )
    assert response.status_code == 403


def test_an_article_without_ticket_id_is_404(api: Api) -> None:
    """app/controllers/ticket_articles_controller.rb#create: ``Ticket.find(nil)``."""
    assert api.error("POST", "/ticket_articles", json={"body": "x"}) == (
        404,
        "Couldn't find Ticket without an ID",
    )


def test_by_ticket_full_answers_ids_and_assets(api: Api) -> None:
    """app/controllers/ticket_articles_controller.rb#index_by_ticket with ``full``."""
    ticket = api.ticket(article={"body": "first"})
    full = api.ok("GET", f"/ticket_articles/by_ticket/{ticket['id']}", params={"full": "true"})
    assert full["record_ids"] == ticket["article_ids"]
    assert set(full["assets"]["TicketArticle"]) == {str(ticket["article_ids"][0])}


# -- tickets, users, organizations --------------------------------------------------------------


def test_deleting_a_missing_ticket_is_404_for_anyone(agent: Api) -> None:
    """app/controllers/tickets_controller.rb#destroy: ``Ticket.find`` before ``authorize!``."""
    assert agent.error("DELETE", "/tickets/999")[0] == 404


def test_users_me_full_answers_its_assets(api: Api) -> None:
    """app/controllers/users_controller.rb#me with ``full``: ``User.full``."""
    full = api.ok("GET", "/users/me", params={"full": "true"})
    assert full["id"] == 3
    assert full["assets"]["User"]["3"]["login"] == "admin@example.com"


def test_a_user_without_organization_gets_an_empty_organization(
    api: Api, server: FakeZammad
) -> None:
    """app/controllers/organizations_controller.rb#show: users without an organization get
    ``{}`` for one they may not see; those with one get a 403."""
    api.ok("POST", "/users", json={"login": "loner", "firstname": "Lone", "password": "pw"})
    loner = Api(server, ("loner", "pw"))
    other = api.ok("POST", "/organizations", json={"name": "Other"})
    assert loner.ok("GET", f"/organizations/{other['id']}") == {}
    nicole = Api(server, ("nicole.braun@zammad.org", server.admin_password))
    assert nicole.call("GET", f"/organizations/{other['id']}").status_code == 403


def test_an_organization_domain_is_cleaned(api: Api) -> None:
    """app/models/organization.rb#domain_cleanup: no ``@``, no whitespace, lower case."""
    organization = api.ok("POST", "/organizations", json={"name": "D", "domain": " @Example .COM"})
    assert organization["domain"] == "example.com"


def test_per_page_zero_answers_an_empty_page(api: Api) -> None:
    """app/controllers/application_controller/can_paginate.rb: the page size goes to LIMIT."""
    assert api.ok("GET", "/tickets", params={"per_page": "0"}) == []


@pytest.mark.parametrize("path", ["/tickets/search", "/users/search", "/organizations/search"])
def test_a_blank_search_finds_nothing(api: Api, path: str) -> None:
    """lib/search_index_backend.rb#search_by_index: ``return [] if query.blank?``."""
    found = api.ok("GET", path, params={"query": " ", "expand": "true"})
    assert found == []


# -- authentication (app/controllers/application_controller/authenticates.rb) -------------------


def test_an_unknown_authorization_scheme_is_no_authentication(server: FakeZammad) -> None:
    """app/controllers/application_controller/authenticates.rb: neither basic nor token auth
    finds credentials, so ``Authentication required`` (403)."""
    response = requests.get(
        f"{server.url}/users/me", headers={"Authorization": "Digest abc"}, timeout=5
    )
    assert (response.status_code, response.json()["error"]) == (403, "Authentication required")


def test_impersonation_without_permission_names_the_6_3_headers() -> None:
    """app/controllers/application_controller/has_user.rb (6.3 and later): ``From`` too."""
    with FakeZammad(version="6.3") as server:
        response = requests.get(
            f"{server.url}/users/me",
            auth=("agent@example.com", server.admin_password),
            headers={"X-On-Behalf-Of": "2"},
            timeout=5,
        )
        assert response.json()["error"] == (
            "Current user has no permission to use 'From'/'X-On-Behalf-Of'!"
        )


# -- the wire ------------------------------------------------------------------------------------


def raw_get(server: FakeZammad, path: str) -> bytes:
    """The raw bytes of a GET, read until the connection closes."""
    host, port = server.weburl.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(
            f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Token token={server.token}\r\n"
            "Connection: close\r\n\r\n".encode()
        )
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize("path", ["/api/v1", "/api/v1/tickets/999"])
def test_404_error_bodies_are_chunked(server: FakeZammad, path: str) -> None:
    """Zammad streams its 404 error bodies without Content-Length (captured traffic of 6.2)."""
    head, _, body = raw_get(server, path).partition(b"\r\n\r\n")
    assert b"Transfer-Encoding: chunked" in head
    assert b"Content-Length" not in head
    assert body.endswith(b"0\r\n\r\n")


def test_other_answers_have_a_content_length(server: FakeZammad) -> None:
    """Zammad's JSON answers carry their length."""
    head, _, _ = raw_get(server, "/api/v1/tickets/1").partition(b"\r\n\r\n")
    assert b"Content-Length" in head


# -- fail_next ------------------------------------------------------------------------------------


@pytest.mark.parametrize("pattern", ["^/tickets/1$", "^/api/v1/tickets/1$"])
def test_fail_next_matches_paths_with_or_without_the_api_root(
    api: Api, server: FakeZammad, pattern: str
) -> None:
    """The request log has ``/api/v1/...``; a pattern copied from it fires."""
    server.fail_next(path=pattern, status=503)
    assert api.call("GET", "/tickets/1").status_code == 503
    assert api.call("GET", "/tickets/1").status_code == 200


@pytest.mark.parametrize("pattern", ["^tickets/1", "/tickets\\?expand=true", "(unclosed"])
def test_fail_next_refuses_a_pattern_that_can_never_match(server: FakeZammad, pattern: str) -> None:
    """Paths start with '/' and have no query: such a fault would never fire."""
    with pytest.raises(ValueError, match="path"):
        server.fail_next(path=pattern)
