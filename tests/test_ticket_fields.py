"""Ticket and Article declare a typed attribute for every field Zammad 6.2 returns for them
(compared with the recorded replies in tests/data/zammad-6.2-samples)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from support import NewTicket

from zammad_orm import Client
from zammad_orm.resource import Resource
from zammad_orm.resources.articles import Article
from zammad_orm.resources.attachments import Attachment
from zammad_orm.resources.tickets import Ticket

SAMPLES = Path(__file__).parent / "data" / "zammad-6.2-samples"


def _reply(name: str) -> Any:
    return json.loads((SAMPLES / name).read_text())["response"]["json"]


def _covered(cls: type[Resource]) -> set[str]:
    """The JSON keys a class gives typed access to: declared fields and relation ids, the
    expanded names of its relations, and properties of the same name."""
    properties = {name for name in dir(cls) if isinstance(getattr(cls, name, None), property)}
    return set(cls._declared_keys) | set(cls._name_keys) | properties


@pytest.mark.parametrize(
    "sample", ["get_tickets_id_200.json", "get_tickets_id_expand_200.json", "post_tickets_201.json"]
)
def test_ticket_declares_every_field_zammad_returns(sample: str) -> None:
    assert set(_reply(sample)) - _covered(Ticket) == set()


@pytest.mark.parametrize(
    "sample", ["get_ticket_articles_id_200.json", "post_ticket_articles_201.json"]
)
def test_article_declares_every_field_zammad_returns(sample: str) -> None:
    assert set(_reply(sample)) - _covered(Article) == set()


def test_ticket_fields_read_as_their_python_types(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets.get(new_ticket(article={"body": "hi"}))
    assert isinstance(ticket.number, str)
    assert isinstance(ticket.article_count, int)
    assert isinstance(ticket.created_at, dt.datetime)
    assert ticket.created_at.tzinfo is dt.timezone.utc
    assert ticket.create_article_type_id == 10


def test_article_fields_read_as_their_python_types(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    (article,) = zammad_client.tickets(new_ticket(article={"body": "hi"})).articles
    assert (article.type_id, article.sender_id) == (10, 1)
    assert article.internal is False
    assert article.attachments == []
    assert isinstance(article.updated_at, dt.datetime)


def test_attachments_of_the_sample_are_typed() -> None:
    record = _reply("get_ticket_articles_by_ticket_id_200.json")[-1]
    client = Client("https://zammad.test/api/v1", http_token="t")
    article = client.ticket_articles(record["id"], info=record)
    attachments = article.attachments
    assert all(isinstance(a, Attachment) for a in attachments)
    assert [(a.filename, a.size, a.content_type) for a in attachments] == [
        ("attachment.txt", 38, "text/plain"),
        ("attachment.bin", 256, "application/octet-stream"),
    ]
    assert attachments[0].url == "https://zammad.test/api/v1/ticket_attachment/375/601/174"


def test_every_ticket_timestamp_reads_as_an_aware_datetime() -> None:
    record = {
        **_reply("get_tickets_id_200.json"),
        "pending_time": "2024-03-18T22:43:07.089Z",
    }
    client = Client("https://zammad.test/api/v1", http_token="t")
    ticket = client.tickets(record["id"], info=record)
    moments = (ticket.pending_time, ticket.last_close_at, ticket.close_at, ticket.updated_at)
    assert all(isinstance(m, dt.datetime) and m.tzinfo is dt.timezone.utc for m in moments)
    assert ticket.pending_time == dt.datetime(2024, 3, 18, 22, 43, 7, 89000, tzinfo=dt.timezone.utc)


def test_weburl_is_the_tickets_page_in_the_web_interface() -> None:
    client = Client("https://zammad.test/api/v1", http_token="t")
    assert client.tickets(42).weburl == "https://zammad.test/#ticket/zoom/42"
