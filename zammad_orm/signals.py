"""Signals sent around every write, via :mod:`blinker`.

The sender is the resource class, so ``created.connect(receiver, sender=Ticket)`` listens to
tickets only. Receivers are called with the sender and these keyword arguments:

``instance``
    the resource object being written;
``client``
    the :class:`~zammad_orm.Client` doing the write;
``changes``
    for :data:`updating` and :data:`updated` only: ``{field: (old, new)}`` as sent (a copy:
    changing it changes neither the object nor what other receivers get).

The unit of work the write belongs to is ``instance.unit_of_work``.

The ``-ing`` signals are sent before the request; a receiver may veto the write by raising,
and the exception reaches the caller with nothing sent. The ``-ed`` signals are sent once,
only after the server confirmed the write, when the object already shows it. A receiver of an
``-ed`` signal that raises cannot undo the write, so its exception does not reach the caller
(who would otherwise believe the write failed and, say, create the ticket again): it is
logged with its traceback on the ``zammad_orm`` logger, and the remaining receivers still run.

Example::

    from zammad_orm import signals
    from zammad_orm.resources.tickets import Ticket

    @signals.updated.connect_via(Ticket)
    def log_update(sender, instance, client, changes):
        print(f"ticket {instance.id} changed: {changes}")

blinker keeps weak references to receivers: a receiver defined inside a function disappears
with it unless connected with ``weak=False``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from blinker import NamedSignal, Namespace

from zammad_orm.object_protocols import deepcopy_sharing_objects

if TYPE_CHECKING:
    from zammad_orm.resource import Resource

__all__ = [
    "created",
    "creating",
    "deleted",
    "deleting",
    "remote_changed",
    "send_after_write",
    "send_before_write",
    "updated",
    "updating",
]

logger = logging.getLogger("zammad_orm")

_signals = Namespace()

#: sent before a new resource is POSTed; raise to veto
creating = _signals.signal("creating", doc="Sent before a new resource is created; raise to veto.")
#: sent after the server created a resource
created = _signals.signal("created", doc="Sent after the server created a resource.")
#: sent before changes are PUT; raise to veto
updating = _signals.signal(
    "updating", doc="Sent before a resource's changes are sent; raise to veto."
)
#: sent after the server accepted changes
updated = _signals.signal("updated", doc="Sent after the server accepted a resource's changes.")
#: sent before a DELETE; raise to veto
deleting = _signals.signal("deleting", doc="Sent before a resource is deleted; raise to veto.")
#: sent after the server deleted a resource
deleted = _signals.signal("deleted", doc="Sent after the server deleted a resource.")
#: sent when a verified Zammad webhook says a record changed outside this program
#: (``instance=``, ``client=``, ``payload=``; see :mod:`zammad_orm.webhooks`)
remote_changed = _signals.signal(
    "remote_changed", doc="Sent when a verified webhook reports a record changed elsewhere."
)


def send_before_write(
    signal: NamedSignal, sender: type[Resource], instance: Resource, **kwargs: Any
) -> None:
    """Send an ``-ing`` signal: each receiver gets its own copy of ``kwargs``; a receiver that
    raises vetoes the write (the exception reaches the caller, nothing is sent)."""
    for receiver in list(signal.receivers_for(sender)):
        receiver(
            sender, instance=instance, client=instance.client, **deepcopy_sharing_objects(kwargs)
        )


def send_after_write(
    signal: NamedSignal, sender: type[Resource], instance: Resource, **kwargs: Any
) -> None:
    """Send an ``-ed`` signal: each receiver gets its own copy of ``kwargs``, and a receiver
    that raises is logged, not propagated (the write has happened and stays)."""
    for receiver in list(signal.receivers_for(sender)):
        try:
            receiver(
                sender,
                instance=instance,
                client=instance.client,
                **deepcopy_sharing_objects(kwargs),
            )
        except Exception:
            logger.exception(
                "a receiver of %r raised after the server accepted the write of %r; "
                "the write stands",
                signal.name,
                instance,
            )
