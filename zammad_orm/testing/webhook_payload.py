"""The body of Zammad's default webhook request: ``{"ticket": {...}, "article": {...}}``.

``TriggerWebhookJob::RecordPayload``: each record as ``attributes_with_association_names``
with its keys sorted, the ticket's ``owner``, ``customer``, ``created_by``, ``updated_by``,
``organization``, ``priority`` and ``group`` (the article's ``created_by`` and ``updated_by``)
replaced by the whole associated record (users without their login data, preferences and
groups), the article's ``accounted_time`` and a ``url`` on each attachment. No article gives
``{}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from zammad_orm.testing.render import render

if TYPE_CHECKING:
    from zammad_orm.testing.store import Store

__all__ = ["ATTACHMENT_ROOT", "webhook_payload"]

#: ``http_type://fqdn/api/v1``: the settings of a new install
ATTACHMENT_ROOT = "http://zammad.example.com/api/v1"

_USER_BLACKLIST = frozenset(
    {"last_login", "login_failed", "password", "preferences", "group_ids", "groups",
     "authorization_ids", "authorizations"}
)  # fmt: skip
_TICKET_ASSOCIATIONS = {
    "owner": "users",
    "customer": "users",
    "created_by": "users",
    "updated_by": "users",
    "organization": "organizations",
    "priority": "ticket_priorities",
    "group": "groups",
}
_ARTICLE_ASSOCIATIONS = {"created_by": "users", "updated_by": "users"}


def _associated(store: Store, table: str, ident: Any) -> dict[str, Any]:
    record = store.tables[table].get(ident) if isinstance(ident, int) else None
    if record is None:
        return {}
    attributes = dict(sorted(render(store, table, record, "expand").items()))
    if table == "users":
        attributes = {k: v for k, v in attributes.items() if k not in _USER_BLACKLIST}
    return attributes


def _record(
    store: Store, table: str, record: Mapping[str, Any], associations: Mapping[str, str]
) -> dict[str, Any]:
    attributes = render(store, table, dict(record), "expand")
    for name, target in associations.items():
        attributes[name] = _associated(store, target, record.get(f"{name}_id"))
    return dict(sorted(attributes.items()))


def webhook_payload(
    store: Store, ticket: Mapping[str, Any], article: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The default payload for ``ticket`` and the article of the change (or None)."""
    article_payload: dict[str, Any] = {}
    if article is not None:
        article_payload = _record(store, "ticket_articles", article, _ARTICLE_ASSOCIATIONS)
        for attachment in article_payload.get("attachments") or []:
            attachment["url"] = (
                f"{ATTACHMENT_ROOT}/ticket_attachment/{article['ticket_id']}/"
                f"{article['id']}/{attachment['id']}"
            )
        booked = [
            entry["time_unit"]
            for entry in store.tables["time_accountings"].values()
            if entry["ticket_article_id"] == article["id"]
        ]
        article_payload["accounted_time"] = int(float(booked[0])) if booked else 0
    return {
        "ticket": _record(store, "tickets", ticket, _TICKET_ASSOCIATIONS),
        "article": article_payload,
    }
