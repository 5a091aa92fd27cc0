"""Triggers and webhooks: admin CRUD with Zammad's validations, and what a matching trigger
does after a ticket is created or updated."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterator
from typing import Any

import pytest
from raw_api import Api
from webhook_receiver import Receiver

from zammad_orm.testing import FakeZammad


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A loopback endpoint for webhooks."""
    endpoint = Receiver()
    yield endpoint
    endpoint.close()


def _webhook(api: Api, url: str, **fields: Any) -> dict[str, Any]:
    body = {"name": "Chat", "endpoint": url, "signature_token": "s3cret", **fields}
    return dict(api.ok("POST", "/webhooks", json=body))


def _trigger(api: Api, condition: dict[str, Any], perform: dict[str, Any], **fields: Any) -> Any:
    body = {"name": "On create", "condition": condition, "perform": perform, **fields}
    return api.ok("POST", "/triggers", json=body)


ON_CREATE = {"ticket.action": {"operator": "is", "value": "create"}}


def _current(api: Api, ticket: dict[str, Any]) -> dict[str, Any]:
    """The ticket as a later read shows it (after the triggers of the last change)."""
    return dict(api.ok("GET", f"/tickets/{ticket['id']}"))


def test_a_trigger_sets_ticket_attributes_after_the_reply(api: Api) -> None:
    """Zammad: app/models/ticket.rb (``perform_triggers``), app/models/ticket/perform_changes.rb
    (attribute updates) and app/controllers/application_controller/handles_transitions.rb (the
    transaction, and with it the triggers, is committed after the action rendered its reply)."""
    _trigger(api, ON_CREATE, {"ticket.priority_id": {"value": "3"}})
    ticket = api.ticket(title="Hello")
    assert ticket["priority_id"] == 2
    assert _current(api, ticket)["priority_id"] == 3


def test_an_update_trigger_fires_only_when_a_condition_attribute_changed(api: Api) -> None:
    """Zammad: lib/selector/base.rb (``changes_required`` for a selective trigger: an update
    counts only when an attribute of its condition changed)."""
    condition = {
        "ticket.action": {"operator": "is", "value": "update"},
        "ticket.state_id": {"operator": "is", "value": ["2"]},
    }
    _trigger(api, condition, {"ticket.priority_id": {"value": "1"}}, name="Opened")
    ticket = api.ticket(state="open")
    api.ok("PUT", f"/tickets/{ticket['id']}", json={"title": "x"})
    assert _current(api, ticket)["priority_id"] == 2
    api.ok("PUT", f"/tickets/{ticket['id']}", json={"state": "closed"})
    api.ok("PUT", f"/tickets/{ticket['id']}", json={"state": "open"})
    assert _current(api, ticket)["priority_id"] == 1


def test_an_always_trigger_fires_on_any_update(api: Api) -> None:
    """Zammad: app/models/trigger.rb (``execution_condition_mode: always``)."""
    condition = {"ticket.state_id": {"operator": "is", "value": ["2"]}}
    _trigger(api, condition, {"ticket.priority_id": {"value": "1"}},
             execution_condition_mode="always")  # fmt: skip
    ticket = api.ticket(state="open", priority="2 normal")
    api.ok("PUT", f"/tickets/{ticket['id']}", json={"priority": "3 high"})
    api.ok("PUT", f"/tickets/{ticket['id']}", json={"title": "y"})
    assert _current(api, ticket)["priority_id"] == 1


def test_trigger_changes_do_not_fire_other_triggers(api: Api) -> None:
    """Zammad: app/models/ticket.rb (``ticket_trigger_recursive`` is off by default)."""
    _trigger(api, ON_CREATE, {"ticket.state_id": {"value": "2"}}, name="A")
    opened = {"ticket.state_id": {"operator": "is", "value": ["2"]},
              "ticket.action": {"operator": "is", "value": "update"}}  # fmt: skip
    _trigger(api, opened, {"ticket.priority_id": {"value": "3"}}, name="B")
    current = _current(api, api.ticket())
    assert (current["state_id"], current["priority_id"]) == (2, 2)


def test_a_webhook_trigger_posts_zammads_payload_with_signature(
    api: Api, server: FakeZammad, receiver: Receiver
) -> None:
    """Zammad: app/jobs/trigger_webhook_job.rb (headers, HMAC signature) and
    app/jobs/trigger_webhook_job/record_payload/*.rb (the ticket and article payload)."""
    hook = _webhook(api, receiver.url)
    _trigger(api, ON_CREATE, {"notification.webhook": {"webhook_id": hook["id"]}},
             name="Notify chat")  # fmt: skip
    ticket = api.ticket(title="Server down", article={"body": "help", "subject": "down"})
    delivery = server.wait_for_deliveries(1, timeout=5)[0]
    assert delivery.status == 200
    (received,) = receiver.received
    assert received.headers["x-zammad-trigger"] == "Notify chat"
    assert received.headers["x-zammad-delivery"] == delivery.delivery_id
    expected = hmac.new(b"s3cret", received.body, hashlib.sha1).hexdigest()
    assert received.headers["x-hub-signature"] == f"sha1={expected}"
    payload = json.loads(received.body)
    assert payload["ticket"]["id"] == ticket["id"]
    assert payload["ticket"]["title"] == "Server down"
    assert payload["ticket"]["owner"]["login"] == "-"
    assert payload["ticket"]["customer"]["email"] == "nicole.braun@zammad.org"
    assert "preferences" not in payload["ticket"]["customer"]
    assert payload["ticket"]["group"]["name"] == "Users"
    assert payload["ticket"]["state"] == "new"
    assert payload["article"]["body"] == "help"
    assert payload["article"]["accounted_time"] == 0
    assert list(payload["ticket"]) == sorted(payload["ticket"])


def test_a_ticket_without_article_sends_an_empty_article(
    api: Api, server: FakeZammad, receiver: Receiver
) -> None:
    """Zammad: app/jobs/trigger_webhook_job/record_payload.rb (no record gives ``{}``)."""
    hook = _webhook(api, receiver.url, signature_token="")
    _trigger(api, ON_CREATE, {"notification.webhook": {"webhook_id": hook["id"]}})
    api.ticket()
    server.wait_for_deliveries(1)
    (received,) = receiver.received
    assert json.loads(received.body)["article"] == {}
    assert "x-hub-signature" not in received.headers


def test_webhook_delivery_does_not_block_the_request(api: Api, server: FakeZammad) -> None:
    """Zammad: app/jobs/trigger_webhook_job.rb (a background job): a refused connection is
    recorded on the delivery, the ticket is created all the same."""
    hook = _webhook(api, "http://127.0.0.1:9/unreachable")
    _trigger(api, ON_CREATE, {"notification.webhook": {"webhook_id": hook["id"]}})
    api.ticket()
    (delivery,) = server.wait_for_deliveries(1)
    assert delivery.status == 0
    assert delivery.error


def test_an_inactive_webhook_sends_nothing(
    api: Api, server: FakeZammad, receiver: Receiver
) -> None:
    """Zammad: app/jobs/trigger_webhook_job.rb (``Webhook.find_by(id:, active: true)``)."""
    hook = _webhook(api, receiver.url, active=False)
    _trigger(api, ON_CREATE, {"notification.webhook": {"webhook_id": hook["id"]}})
    api.ticket()
    assert server.deliveries == []


def test_a_trigger_adds_tags_and_an_internal_note(api: Api) -> None:
    """Zammad: app/models/ticket/perform_changes/action/article_note.rb and the tag action."""
    perform = {
        "ticket.tags": {"operator": "add", "value": "auto, new"},
        "article.note": {"subject": "Triage", "body": "Checked", "internal": "true"},
    }
    _trigger(api, ON_CREATE, perform)
    ticket = api.ticket()
    assert api.ok("GET", "/tags", params={"object": "Ticket", "o_id": ticket["id"]}) == {
        "tags": ["auto", "new"]
    }
    (note,) = api.ok("GET", f"/ticket_articles/by_ticket/{ticket['id']}")
    assert (note["subject"], note["internal"], note["sender"]) == ("Triage", True, "System")


def test_trigger_validation_errors(api: Api) -> None:
    """Zammad: app/models/trigger.rb (name presence and uniqueness, activator, mode) and
    app/models/validations/verify_perform_rules_validator.rb."""
    assert api.error("POST", "/triggers", json={"condition": {}, "perform": {}}) == (
        422, "Name can't be blank",
    )  # fmt: skip
    _trigger(api, {}, {}, name="Taken")
    assert api.error("POST", "/triggers", json={"name": "TAKEN", "condition": {},
                                                "perform": {}}) == (
        422, "Name has already been taken",
    )  # fmt: skip
    bad_perform = {"name": "x", "condition": {}, "perform": {"notification.webhook": {}}}
    assert api.error("POST", "/triggers", json=bad_perform) == (
        422, "The required 'perform' value for notification.webhook, webhook_id is missing!",
    )  # fmt: skip
    bad_mode = {"name": "y", "condition": {}, "perform": {}, "activator": "sometimes"}
    assert api.error("POST", "/triggers", json=bad_mode) == (
        422, "Activator is not included in the list",
    )  # fmt: skip


def test_a_trigger_condition_must_be_a_usable_selector(api: Api) -> None:
    """Zammad: app/models/concerns/checks_condition_validation.rb."""
    body = {"name": "x", "perform": {},
            "condition": {"ticket.title": {"operator": "contains"}}}  # fmt: skip
    assert api.error("POST", "/triggers", json=body) == (
        422, "Invalid ticket selector conditions",
    )  # fmt: skip


def test_webhook_endpoint_validation(api: Api) -> None:
    """Zammad: app/models/webhook.rb (``validate_endpoint``)."""
    assert api.error("POST", "/webhooks", json={"name": "a", "endpoint": "ftp://x"}) == (
        422,
        "Endpoint The provided endpoint is invalid, no http or https protocol was specified.",
    )
    assert api.error("POST", "/webhooks", json={"name": "a", "endpoint": "http://"}) == (
        422, "Endpoint The provided endpoint is invalid, no hostname was specified.",
    )  # fmt: skip


def test_a_webhook_in_use_cannot_be_deleted(api: Api, receiver: Receiver) -> None:
    """Zammad: app/models/webhook/ensure_no_related_objects.rb."""
    hook = _webhook(api, receiver.url)
    trigger = _trigger(api, {}, {"notification.webhook": {"webhook_id": hook["id"]}},
                       name="Uses it")  # fmt: skip
    assert api.error("DELETE", f"/webhooks/{hook['id']}") == (
        422,
        f"Cannot delete! This webhook is referenced by Trigger: Uses it (#{trigger['id']})",
    )
    api.ok("DELETE", f"/triggers/{trigger['id']}")
    assert api.ok("DELETE", f"/webhooks/{hook['id']}") == {}


def test_triggers_and_webhooks_are_for_admins(agent: Api) -> None:
    """Zammad: app/policies/controllers/triggers_controller_policy.rb and
    webhooks_controller_policy.rb (``admin.trigger`` / ``admin.webhook``)."""
    assert agent.error("GET", "/triggers") == (403, "Not authorized (user)!")
    assert agent.error("GET", "/webhooks") == (403, "Not authorized (user)!")


def test_reset_forgets_deliveries(api: Api, server: FakeZammad) -> None:
    """The fake's own contract: ``reset()`` clears the webhook log with the request log."""
    hook = _webhook(api, "http://127.0.0.1:9/x")
    _trigger(api, ON_CREATE, {"notification.webhook": {"webhook_id": hook["id"]}})
    api.ticket()
    server.wait_for_deliveries(1)
    server.reset()
    assert server.deliveries == []


def test_has_changed_and_current_user_in_perform(api: Api, agent: Api) -> None:
    """Zammad: lib/selector/sql.rb (``has changed``) and perform_changes (``pre_condition:
    current_user.id`` is the user who made the change)."""
    condition = {"ticket.priority_id": {"operator": "has changed"}}
    perform = {"ticket.owner_id": {"pre_condition": "current_user.id", "value": ""}}
    _trigger(api, condition, perform, name="Take it")
    ticket = api.ticket()
    assert _current(api, ticket)["owner_id"] == 1  # created: nothing changed
    agent.ok("PUT", f"/tickets/{ticket['id']}", json={"priority": "3 high"})
    assert _current(api, ticket)["owner_id"] == 4


def test_a_relative_pending_time_counts_from_the_clock(api: Api, server: FakeZammad) -> None:
    """Zammad: app/models/ticket/perform_changes.rb (``pending_time`` with ``operator:
    relative``)."""
    perform = {
        "ticket.state_id": {"value": "3"},
        "ticket.pending_time": {"operator": "relative", "value": "2", "range": "day"},
    }
    _trigger(api, ON_CREATE, perform)
    ticket = _current(api, api.ticket())
    expected = server.now().replace(microsecond=0)
    assert ticket["state_id"] == 3
    assert ticket["pending_time"][:10] == (expected + dt.timedelta(days=2)).date().isoformat()


def test_a_non_loopback_endpoint_is_never_contacted(api: Api, server: FakeZammad) -> None:
    """The fake's own safety rule: webhooks only go to loopback addresses."""
    hook = _webhook(api, "http://example.com/hook")
    _trigger(api, ON_CREATE, {"notification.webhook": {"webhook_id": hook["id"]}})
    api.ticket()
    (delivery,) = server.wait_for_deliveries(1)
    assert (delivery.status, delivery.error) == (
        0, "not sent: the fake server only posts to loopback addresses",
    )  # fmt: skip
