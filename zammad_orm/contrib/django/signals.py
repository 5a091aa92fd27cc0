"""zammad_orm's signals as Django signals, sent with the same arguments: ``sender`` (the
resource class), ``instance``, ``client`` and, for updates, ``changes``; ``remote_changed``
also has ``payload``. Connect as usual::

    from django.dispatch import receiver
    from zammad_orm.contrib.django import signals
    from zammad_orm.resources.tickets import Ticket

    @receiver(signals.updated, sender=Ticket)
    def audit(sender, instance, changes, **kwargs): ...

A receiver of an ``-ing`` signal may veto the write by raising, as with blinker.
"""

from __future__ import annotations

from typing import Any

from blinker import NamedSignal
from django.dispatch import Signal

from zammad_orm import signals as core

__all__ = [
    "connect_core_signals",
    "created",
    "creating",
    "deleted",
    "deleting",
    "remote_changed",
    "updated",
    "updating",
]

#: before a new resource is created
creating = Signal()
#: after the server created a resource
created = Signal()
#: before a resource's changes are sent
updating = Signal()
#: after the server accepted a resource's changes
updated = Signal()
#: before a resource is deleted
deleting = Signal()
#: after the server deleted a resource
deleted = Signal()
#: after a verified webhook reported a record changed in Zammad
remote_changed = Signal()

_PAIRS: tuple[tuple[NamedSignal, Signal], ...] = (
    (core.creating, creating),
    (core.created, created),
    (core.updating, updating),
    (core.updated, updated),
    (core.deleting, deleting),
    (core.deleted, deleted),
    (core.remote_changed, remote_changed),
)


def _forwarder(signal: Signal) -> Any:
    def forward(sender: Any, **kwargs: Any) -> None:
        signal.send(sender=sender, **kwargs)

    return forward


_FORWARDERS = [(source, _forwarder(target)) for source, target in _PAIRS]


def connect_core_signals() -> None:
    """Re-send every zammad_orm signal as its Django twin (idempotent)."""
    for source, forward in _FORWARDERS:
        source.connect(forward, weak=False)
