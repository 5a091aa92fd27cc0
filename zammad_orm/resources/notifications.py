"""Online notifications (``/online_notifications``): the bell in Zammad's web interface.

Each notification tells the current user about a change to a record (usually a ticket):
:attr:`Notification.object` is that record as an object of the unit of work,
:attr:`Notification.type` the kind of change by name. Notifications are read with
``expand=true`` (lists and single loads), the only way Zammad names the object and the kind.
``notification.seen = True`` and ``save()`` mark one read;
:meth:`Notifications.mark_all_as_read` marks them all.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from zammad_orm import signals
from zammad_orm.fields import Field, Relation
from zammad_orm.manager import Manager
from zammad_orm.resource import Resource

if TYPE_CHECKING:
    from zammad_orm.resources.users import User

__all__ = ["Notification", "Notifications"]


class Notification(Resource):
    """A notification for the current user about a change to a record."""

    __slots__ = ()
    manager_name = "notifications"
    asset_key = "OnlineNotification"
    label_field = "o_id"

    o_id = Field[int](read_only=True, doc="The id of the record it is about.")
    object_lookup_id = Field[int](read_only=True, doc="The kind of record it is about (an id).")
    type_lookup_id = Field[int](read_only=True, doc="The kind of change (an id).")
    type = Field[str](
        read_only=True, doc="The kind of change: ``create``, ``update``, ``escalation``, ..."
    )
    user: Relation[User] = Relation("users", read_only=True, doc="Whom it is for.")
    seen = Field[bool](doc="Whether it was read; assign and save to change it.")

    @property
    def object_type(self) -> str:
        """The kind of record it is about, by Zammad's name: ``Ticket``, ``User``, ..."""
        return str(self["object"])

    @property
    def object(self) -> Resource:
        """The record it is about, as an object of this unit of work (no request until one
        of its fields is read).

        :raises LookupError: a kind of record the library has no class for
        """
        kind = self.object_type
        manager = self.client._managers_by_asset_key.get(kind.replace("::", ""))
        if manager is None:
            raise LookupError(f"zammad_orm has no resource class for {kind!r} records")
        found: Resource = manager._handle(self.o_id, acting_as=self._acting_as, unit=self._unit)
        return found


class Notifications(Manager[Notification]):
    """Manages the ``/online_notifications`` endpoint: the current user's notifications,
    newest first, at most 200 (Zammad pages nothing here)."""

    resource_class = Notification
    endpoint = "online_notifications"
    paginated = False
    can_create = False
    load_params: ClassVar[Mapping[str, Any] | None] = {"expand": True}
    default_expand = True

    def mark_all_as_read(self) -> None:
        """Mark every notification of the current user as seen (one request). Objects this
        user holds show ``seen`` at once (their other pending changes stay), each unseen one
        with the ``updating``/``updated`` signals of ``{"seen": (False, True)}``; cached records
        are read again when next needed."""
        acting_as = self.client.acting_as
        held = [
            obj
            for unit in self.client._live_units()
            for obj in unit.objects
            if isinstance(obj, Notification)
            and obj._client is self.client
            and obj._acting_as == acting_as
            and not obj.is_new
        ]
        unseen = [obj for obj in held if obj._data.get("seen") is False]
        change = {"seen": (False, True)}
        for obj in unseen:
            signals.updating.send(Notification, instance=obj, client=self.client, changes=change)
        self.client.post(self.endpoint, "mark_all_as_read")
        self.client.cache.invalidate(self.endpoint)
        for obj in held:
            obj._merge({"seen": True})
        for obj in unseen:
            signals.send_after_write(signals.updated, type(obj), obj, changes=change)
