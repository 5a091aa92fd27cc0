"""Online notifications (``/online_notifications``): the bell in Zammad's web interface."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zammad_orm.fields import Field, Relation
from zammad_orm.manager import Manager
from zammad_orm.resource import Resource

if TYPE_CHECKING:
    from zammad_orm.resources.users import User

__all__ = ["Notification", "Notifications"]


class Notification(Resource):
    """A notification for the current user about a change to an object (usually a ticket)."""

    manager_name = "notifications"
    asset_key = "OnlineNotification"
    label_field = "o_id"

    o_id = Field[int](read_only=True, doc="The id of the object it is about.")
    object_lookup_id = Field[int](read_only=True, doc="The kind of object it is about.")
    type_lookup_id = Field[int](read_only=True, doc="The kind of change.")
    user: Relation[User] = Relation("users", read_only=True, doc="Whom it is for.")
    seen = Field[bool](doc="Whether it was read.")


class Notifications(Manager[Notification]):
    """Manages the ``/online_notifications`` endpoint (the current user's, newest first, at
    most 200; Zammad does not page them)."""

    resource_class = Notification
    endpoint = "online_notifications"
    paginated = False
    can_create = False

    def mark_all_as_read(self) -> None:
        """Mark every notification of the current user as seen (one request)."""
        self.client.post(self.endpoint, "mark_all_as_read")
        self.invalidate()
