"""What a merge leaves behind: attachments, articles and mentions of the merged ticket, and
the order of the merge's checks (Zammad 6.2)."""

from __future__ import annotations

import base64
from typing import Any

from raw_api import Api

from zammad_orm.testing import FakeZammad

FILE = {
    "filename": "log.txt",
    "data": base64.b64encode(b"trace").decode(),
    "mime-type": "text/plain",
}


def _with_attachment(api: Api) -> tuple[dict[str, Any], dict[str, Any]]:
    """A ticket whose first article carries one attachment, and that article."""
    ticket = api.ticket(article={"body": "see log", "attachments": [FILE]})
    article = api.ok("GET", f"/ticket_articles/by_ticket/{ticket['id']}")[0]
    return ticket, article


def _merge(api: Api, source: dict[str, Any], target: dict[str, Any]) -> Any:
    return api.ok("PUT", f"/ticket_merge/{source['id']}/{target['number']}")


def test_a_merged_tickets_attachment_is_served_by_its_old_path(api: Api) -> None:
    """app/controllers/ticket_articles_controller.rb#attachment: when the article is no longer
    the ticket's, ``check if requested ticket got merged`` and follow the article."""
    source, article = _with_attachment(api)
    _merge(api, source, api.ticket())
    file_id = article["attachments"][0]["id"]
    reply = api.call("GET", f"/ticket_attachment/{source['id']}/{article['id']}/{file_id}")
    assert (reply.status_code, reply.content) == (200, b"trace")


def test_a_merged_tickets_attachment_is_served_by_the_target(api: Api) -> None:
    """ticket_articles_controller.rb#attachment with the new owner of the article (Ticket#
    merge_to moves the articles with ``update_all(ticket_id: target)``)."""
    source, article = _with_attachment(api)
    target = api.ticket()
    _merge(api, source, target)
    file_id = article["attachments"][0]["id"]
    reply = api.call("GET", f"/ticket_attachment/{target['id']}/{article['id']}/{file_id}")
    assert reply.content == b"trace"


def test_an_article_of_another_ticket_is_refused_when_not_merged(api: Api) -> None:
    """ticket_articles_controller.rb#attachment: ``The article does not belong to the
    specified ticket.`` (403) unless the requested ticket is merged."""
    _, article = _with_attachment(api)
    other = api.ticket()
    file_id = article["attachments"][0]["id"]
    path = f"/ticket_attachment/{other['id']}/{article['id']}/{file_id}"
    assert api.error("GET", path) == (403, "The article does not belong to the specified ticket.")


def test_the_old_path_needs_access_to_the_target(api: Api, server: FakeZammad) -> None:
    """ticket_articles_controller.rb#attachment: after following the article,
    ``authorize!(article.ticket, :show?)`` (403 ``Not authorized``)."""
    api.ok("POST", "/groups", json={"name": "Secret", "user_ids": [3]})
    source, article = _with_attachment(api)
    source_path = f"/ticket_attachment/{source['id']}/{article['id']}"
    _merge(api, source, api.ticket(group="Secret"))
    agent = Api(server, ("agent@example.com", server.admin_password))
    file_id = article["attachments"][0]["id"]
    assert agent.error("GET", f"{source_path}/{file_id}") == (403, "Not authorized")


def test_the_merged_ticket_keeps_only_its_merge_note(api: Api) -> None:
    """app/models/ticket.rb#merge_to: the articles move, then a note ``merged`` (sender
    Agent, not internal) is created on the source."""
    source, article = _with_attachment(api)
    target = api.ticket()
    _merge(api, source, target)
    left = api.ok("GET", f"/ticket_articles/by_ticket/{source['id']}")
    assert [(a["body"], a["sender"], a["internal"]) for a in left] == [("merged", "Agent", False)]
    moved = api.ok("GET", f"/ticket_articles/by_ticket/{target['id']}")
    assert article["id"] in [a["id"] for a in moved]
    assert api.ok("GET", f"/ticket_articles/{article['id']}")["ticket_id"] == target["id"]


def test_mentions_move_to_the_target(api: Api) -> None:
    """app/models/ticket.rb#merge_to: ``Mention.where(mentionable: self).update_all(
    mentionable_id: target)``."""
    source, target = api.ticket(mentions=[4]), api.ticket()
    _merge(api, source, target)
    mentions = api.ok("GET", "/mentions", params={"user_id": 4})["mentions"]
    assert [m["mentionable_id"] for m in mentions] == [target["id"]]


def test_a_user_mentioned_on_both_keeps_one_mention(api: Api) -> None:
    """app/models/ticket.rb#merge_to: ``Mention.duplicates(self, target_ticket).destroy_all``
    before moving."""
    source, target = api.ticket(mentions=[4]), api.ticket(mentions=[4])
    _merge(api, source, target)
    mentions = api.ok("GET", "/mentions", params={"user_id": 4})["mentions"]
    assert [m["mentionable_id"] for m in mentions] == [target["id"]]


def test_a_missing_source_is_reported_before_access_to_the_target(
    api: Api, server: FakeZammad
) -> None:
    """app/controllers/tickets_controller.rb#ticket_merge (6.2): both tickets are looked up
    first, access is checked in ``Service::Ticket::Merge`` afterwards."""
    api.ok("POST", "/groups", json={"name": "Secret", "user_ids": [3]})
    hidden = api.ticket(group="Secret")
    agent = Api(server, ("agent@example.com", server.admin_password))
    reply = agent.call("PUT", f"/ticket_merge/99999/{hidden['number']}")
    assert (reply.status_code, reply.json()) == (
        200,
        {"result": "failed", "message": "The source ticket could not be found."},
    )


def test_a_merge_into_a_merged_ticket_is_refused(api: Api) -> None:
    """app/models/ticket.rb#merge_to: 422 ``It is not possible to merge into an already
    merged ticket.``, before the self-merge check."""
    gone = api.ticket()
    _merge(api, gone, api.ticket())
    merged = api.ok("GET", f"/tickets/{gone['id']}")
    assert api.error("PUT", f"/ticket_merge/{gone['id']}/{merged['number']}") == (
        422,
        "It is not possible to merge into an already merged ticket.",
    )
