"""Helpers of the framework integration tests: webhook setup on the fake server."""

from __future__ import annotations

from zammad_orm import Client

#: the webhook secret the tests configure on both sides
SECRET = "hook-secret"


def hook_ticket_updates(client: Client, url: str) -> None:
    """Make the fake Zammad call ``url`` (signed with :data:`SECRET`) on every ticket update."""
    hook = client.post("webhooks", json={"name": "App", "endpoint": url, "signature_token": SECRET})
    client.post(
        "triggers",
        json={
            "name": "Tell the app",
            "condition": {"ticket.action": {"operator": "is", "value": "update"}},
            "perform": {"notification.webhook": {"webhook_id": hook["id"]}},
            "execution_condition_mode": "always",
        },
    )
