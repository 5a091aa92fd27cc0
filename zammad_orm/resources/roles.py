"""Roles (``/roles``): sets of permissions given to users."""

from __future__ import annotations

from typing import Any

from zammad_orm.fields import Field
from zammad_orm.lookup import LookupManager
from zammad_orm.resources.group_access import GroupAccess

__all__ = ["Role", "Roles"]


class Role(GroupAccess):
    """A role such as ``Admin``, ``Agent`` or ``Customer``. Zammad never deletes roles:
    deactivate one with ``role.active = False``."""

    __slots__ = ()
    manager_name = "roles"
    asset_key = "Role"

    name = Field[str](doc="The role's name.")
    active = Field[bool](doc="Whether users with it get its permissions.")
    note = Field[str | None](doc="A note for admins.")
    default_at_signup = Field[bool](doc="Whether new sign-ups get it.")
    preferences = Field[dict[str, Any]](doc="Free-form settings.")
    permission_ids = Field[list[int]](doc="The permissions it grants.")
    knowledge_base_permission_ids = Field[list[int]](
        read_only=True, doc="Its knowledge base permissions."
    )

    @property
    def permissions(self) -> list[str]:
        """The names of the permissions it grants (``["admin", "ticket.agent", ...]``) as the
        server last sent them. The roles table is read with its names, so reading this for
        every role costs one request at most, not one per role."""
        roles: Roles = self._client.roles
        return list(roles._expanded_name(self, "permissions") or [])

    @property
    def knowledge_base_permissions(self) -> list[str]:
        """The names of its knowledge base permissions (read like :attr:`permissions`)."""
        roles: Roles = self._client.roles
        return list(roles._expanded_name(self, "knowledge_base_permissions") or [])


class Roles(LookupManager[Role]):
    """Manages the ``/roles`` endpoint (Zammad has no DELETE for roles)."""

    resource_class = Role
    endpoint = "roles"
    can_delete = False
    refusal_hint = "Zammad never deletes roles; deactivate one with role.active = False"
    default_expand = True
