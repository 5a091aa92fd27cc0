"""``/recent_view``, ``/ticket_recent``, ``/ticket_related``, ``/ticket_split`` and
``/ticket_article_plain`` on the fake server."""

from __future__ import annotations

import base64

from raw_api import Api


def _view(api: Api, ticket_id: int) -> None:
    assert api.ok("POST", "/recent_view", json={"object": "Ticket", "o_id": ticket_id}) == {
        "message": "ok"
    }


def test_ticket_recent_lists_the_last_viewed_tickets_once_each(api: Api) -> None:
    """``RecentView.list`` behind ``TicketsController#ticket_recent``
    (app/controllers/tickets_controller.rb, app/models/recent_view.rb)."""
    second = api.ticket()
    _view(api, 1)
    _view(api, second["id"])
    _view(api, 1)
    reply = api.ok("GET", "/ticket_recent")
    assert reply["ticket_ids_recent_viewed"] == [1, second["id"]]
    assert set(reply["assets"]["Ticket"]) == {"1", str(second["id"])}


def test_recent_views_are_per_user(api: Api, agent: Api) -> None:
    """``RecentView.list(current_user, ...)`` (app/controllers/recent_view_controller.rb)."""
    _view(api, 1)
    assert agent.ok("GET", "/ticket_recent")["ticket_ids_recent_viewed"] == []
    assert [view["o_id"] for view in api.ok("GET", "/recent_view")] == [1]


def test_ticket_related_lists_open_tickets_of_the_customer(api: Api) -> None:
    """``ticket_related``: other open tickets of the customer, newest first, and recently
    viewed ones (app/controllers/tickets_controller.rb)."""
    older = api.ticket()
    newer = api.ticket()
    api.ticket(state="closed")
    api.ticket(customer_id=3)
    _view(api, older["id"])
    reply = api.ok("GET", "/ticket_related/1")
    assert reply["ticket_ids_by_customer"] == [newer["id"], older["id"]]
    assert reply["ticket_ids_recent_viewed"] == [older["id"]]
    assert "1" in reply["assets"]["Ticket"]


def test_ticket_split_copies_the_article_attachments(api: Api) -> None:
    """``ticket_split`` with ``article_attachments_clone`` (app/controllers/tickets_controller.rb,
    app/controllers/concerns/clones_ticket_article_attachments.rb)."""
    data = base64.b64encode(b"hello").decode()
    attachment = {"filename": "a.txt", "data": data, "mime-type": "text/plain"}
    ticket = api.ticket(article={"body": "x", "attachments": [attachment]})
    article_id = ticket["article_ids"][0]
    reply = api.ok(
        "GET",
        "/ticket_split",
        params={"ticket_id": ticket["id"], "article_id": article_id, "form_id": "f1"},
    )
    assert [(a["filename"], a["size"]) for a in reply["attachments"]] == [("a.txt", "5")]
    assert str(article_id) in reply["assets"]["TicketArticle"]


def test_ticket_split_needs_a_form_id(api: Api) -> None:
    """``article_attachments_clone``
    (app/controllers/concerns/clones_ticket_article_attachments.rb)."""
    status, message = api.error("GET", "/ticket_split", params={"ticket_id": 1, "article_id": 1})
    assert (status, message) == (422, "Need 'form_id' to add attachments to new form.")


def test_article_plain_serves_an_email_as_rfc822(api: Api) -> None:
    """``article_plain`` sends the raw mail inline as ``message/rfc822``
    (app/controllers/ticket_articles_controller.rb)."""
    article = {
        "body": "Hi there",
        "type": "email",
        "to": "nicole.braun@zammad.org",
        "subject": "Hello",
    }
    ticket = api.ticket(article=article)
    article_id = ticket["article_ids"][0]
    response = api.call("GET", f"/ticket_article_plain/{article_id}")
    assert response.headers["Content-Type"] == "message/rfc822"
    assert (
        response.headers["Content-Disposition"]
        == f'inline; filename="ticket-{ticket["number"]}-{article_id}.eml"'
    )
    assert "Subject: Hello" in response.text
    assert response.text.endswith("Hi there")


def test_article_plain_of_an_article_without_raw_mail_is_empty(api: Api) -> None:
    """``return if !file`` renders nothing (app/controllers/ticket_articles_controller.rb)."""
    response = api.call("GET", "/ticket_article_plain/1")
    assert (response.status_code, response.content) == (204, b"")


def test_article_plain_needs_read_access(api: Api, nicole: Api) -> None:
    """``authorize!(article, :show?)`` (app/controllers/ticket_articles_controller.rb)."""
    ticket = api.ticket(customer_id=3, article={"body": "x", "type": "email"})
    assert nicole.error("GET", f"/ticket_article_plain/{ticket['article_ids'][0]}") == (
        403,
        "Not authorized",
    )
