"""The resource managers on the client (``client.tickets``, ``client.users``, ...), and what
is routed to them: the records of a reply's ``assets``, custom resource classes, custom
fields."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar, cast

from zammad_orm.manager import Manager
from zammad_orm.resources.articles import Articles
from zammad_orm.resources.groups import Groups
from zammad_orm.resources.notifications import Notifications
from zammad_orm.resources.object_attributes import ObjectAttributes
from zammad_orm.resources.organizations import Organizations
from zammad_orm.resources.roles import Roles
from zammad_orm.resources.tags import Tags
from zammad_orm.resources.ticket_priorities import Priorities
from zammad_orm.resources.ticket_states import States
from zammad_orm.resources.tickets import Tickets
from zammad_orm.resources.time_accountings import TimeAccountings
from zammad_orm.resources.users import Users

if TYPE_CHECKING:
    from zammad_orm.client import Client
    from zammad_orm.fields import Field
    from zammad_orm.resource import Resource

__all__ = ["Families"]

R = TypeVar("R", bound="Resource")


class Families:
    """The managers of every resource family (mixed into :class:`~zammad_orm.Client`)."""

    _resource_classes: dict[str, type[Resource]]

    @property
    def _as_client(self) -> Client:
        """This object as the :class:`~zammad_orm.Client` it is part of."""
        return cast("Client", self)

    def _absorb_assets(self, assets: Mapping[str, Any], *, acting_as: str | None) -> None:
        """Give the shared cache every record of a reply's ``assets``."""
        managers = self._managers_by_asset_key
        for asset_key, records in assets.items():
            manager = managers.get(asset_key)
            if manager is not None and isinstance(records, Mapping):
                manager._feed_all(records.values(), acting_as=acting_as)

    @cached_property
    def _managers_by_asset_key(self) -> dict[str, Manager[Any]]:
        managers: list[Manager[Any]] = [
            self.groups,
            self.notifications,
            self.organizations,
            self.roles,
            self.ticket_articles,
            self.ticket_priorities,
            self.ticket_states,
            self.tickets,
            self.time_accountings,
            self.users,
        ]
        return {manager.resource_class.asset_key: manager for manager in managers}

    def manager_for(self, cls: type[R]) -> Manager[R]:
        """The manager that builds ``cls``, typed for it: with
        ``Client(..., resource_classes=[MyTicket])``, ``client.manager_for(MyTicket).get(1)``
        is a ``MyTicket`` to mypy and at run time.

        :raises TypeError: ``cls`` is no subclass of its family's class, or the client was
            not given it in ``resource_classes``
        """
        manager: Any = self
        for part in getattr(cls, "manager_name", "").split("."):
            manager = getattr(manager, part, None)
        family_class = type(manager).resource_class if isinstance(manager, Manager) else None
        if family_class is None or not issubclass(cls, family_class):
            family = family_class.__name__ if family_class is not None else None
            raise TypeError(
                f"{cls.__name__} is no subclass of "
                + (family or "a resource class")
                + "; resource_classes takes subclasses such as class MyTicket(Ticket)"
            )
        if manager.resource_class is not cls:
            raise TypeError(
                f"this client builds {manager.resource_class.__name__}, not {cls.__name__}: "
                f"pass Client(..., resource_classes=[{cls.__name__}])"
            )
        typed: Manager[R] = manager
        return typed

    def _custom_fields(
        self, cls: type[Resource], *, fetch: bool = True
    ) -> Mapping[str, Field[Any]]:
        """The custom field descriptors of ``cls`` (see :mod:`zammad_orm.custom_fields`)."""
        return self.object_attributes.fields_for(cls, fetch=fetch)

    @cached_property
    def groups(self) -> Groups:
        """Manages the ``/groups`` endpoint."""
        return Groups(self._as_client)

    @cached_property
    def notifications(self) -> Notifications:
        """Manages the ``/online_notifications`` endpoint."""
        return Notifications(self._as_client)

    @property
    def notificatons(self) -> Notifications:
        """Manages the ``/online_notifications`` endpoint (the reference's spelling)."""
        return self.notifications

    @cached_property
    def object_attributes(self) -> ObjectAttributes:
        """Manages the ``/object_manager_attributes`` endpoint (custom fields)."""
        return ObjectAttributes(self._as_client)

    @cached_property
    def organizations(self) -> Organizations:
        """Manages the ``/organizations`` endpoint."""
        return Organizations(self._as_client)

    @cached_property
    def roles(self) -> Roles:
        """Manages the ``/roles`` endpoint."""
        return Roles(self._as_client)

    @cached_property
    def tags(self) -> Tags:
        """Manages the ``/tags``, ``/tag_list`` and ``/tag_search`` endpoints."""
        return Tags(self._as_client)

    @cached_property
    def ticket_articles(self) -> Articles:
        """Manages the ``/ticket_articles`` endpoint."""
        return Articles(self._as_client)

    @cached_property
    def ticket_priorities(self) -> Priorities:
        """Manages the ``/ticket_priorities`` endpoint."""
        return Priorities(self._as_client)

    @cached_property
    def ticket_states(self) -> States:
        """Manages the ``/ticket_states`` endpoint."""
        return States(self._as_client)

    @cached_property
    def tickets(self) -> Tickets:
        """Manages the ``/tickets`` endpoint."""
        return Tickets(self._as_client)

    @cached_property
    def time_accountings(self) -> TimeAccountings:
        """Manages the ``/time_accountings`` endpoint."""
        return TimeAccountings(self._as_client)

    @cached_property
    def users(self) -> Users:
        """Manages the ``/users`` endpoint."""
        return Users(self._as_client)
