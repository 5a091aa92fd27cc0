"""An audit trail fed by zammad_orm's signals, received as Django signals."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from zammad_orm.contrib.django import signals
from zammad_orm.resources.tickets import Ticket

#: (event, ticket id, detail), newest last; a real app would write a model
TRAIL: list[tuple[str, int, Any]] = []


@receiver(signals.updated, sender=Ticket)
def ticket_updated(sender: type, instance: Ticket, changes: dict[str, Any], **kwargs: Any) -> None:
    """Our own writes."""
    TRAIL.append(("updated", instance.id, sorted(changes)))


@receiver(signals.remote_changed, sender=Ticket)
def ticket_changed_in_zammad(sender: type, instance: Ticket, **kwargs: Any) -> None:
    """Changes people made in Zammad, reported by its webhook."""
    TRAIL.append(("remote", instance.id, kwargs["payload"]["ticket"].get("title")))
