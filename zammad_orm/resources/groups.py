"""Groups (``/groups``): the queues tickets belong to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zammad_orm.fields import Field, Relation, RelationList
from zammad_orm.lookup import LookupManager
from zammad_orm.resource import Resource

if TYPE_CHECKING:
    from collections.abc import Iterator

    from zammad_orm.resources.tickets import Ticket
    from zammad_orm.resources.users import User

__all__ = ["Group", "Groups"]


class Group(Resource):
    """A ticket group. Sub-groups use ``::`` in :attr:`name` (``Sales::Europe``)."""

    __slots__ = ()
    manager_name = "groups"
    asset_key = "Group"

    name = Field[str](doc="The group's full name.")
    name_last = Field[str](read_only=True, doc="The last part of a sub-group's name.")
    parent: Relation[Group] = Relation("groups", doc="The parent group of a sub-group.")
    active = Field[bool](doc="Whether tickets can be assigned to it.")
    note = Field[str | None](doc="A note for agents.")
    assignment_timeout = Field[int | None](doc="Minutes before an unanswered ticket is freed.")
    follow_up_possible = Field[str](
        doc="'yes', 'new_ticket', ...: what a reply to a closed ticket does."
    )
    follow_up_assignment = Field[bool](doc="Whether a follow-up goes back to the last owner.")
    email_address_id = Field[int | None](doc="The sender address of the group's emails.")
    signature_id = Field[int | None](doc="The signature of the group's emails.")
    shared_drafts = Field[bool](doc="Whether agents share drafts.")
    reopen_time_in_days = Field[int | None](doc="Days a closed ticket may be reopened.")
    users: RelationList[User] = RelationList("users", ids_field="user_ids", doc="Its agents.")

    @property
    def parent_group(self) -> Group | None:
        """:attr:`parent` (zammadoo's name for it)."""
        return self.parent

    @property
    def tickets(self) -> Iterator[Ticket]:
        """The tickets in this group: a lazy search (see :meth:`Tickets.in_group()
        <zammad_orm.resources.tickets.Tickets.in_group>`)."""
        with self._acting():
            return self.client.tickets.in_group(self)


class Groups(LookupManager[Group]):
    """Manages the ``/groups`` endpoint; names resolve from one cached list."""

    resource_class = Group
    endpoint = "groups"
