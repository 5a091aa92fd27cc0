"""Roles (``/roles``): sets of permissions given to users."""

from __future__ import annotations

from typing import Any

from zammad_orm.fields import Field
from zammad_orm.lookup import LookupManager
from zammad_orm.resource import Resource

__all__ = ["Role", "Roles"]


class Role(Resource):
    """A role such as ``Admin``, ``Agent`` or ``Customer``."""

    manager_name = "roles"
    asset_key = "Role"

    name = Field[str](doc="The role's name.")
    active = Field[bool](doc="Whether users with it get its permissions.")
    note = Field[str | None](doc="A note for admins.")
    default_at_signup = Field[bool](doc="Whether new sign-ups get it.")
    preferences = Field[dict[str, Any]](doc="Free-form settings.")
    permission_ids = Field[list[int]](doc="The permissions it grants.")
    group_ids = Field[dict[str, list[str]]](doc="Group access: ``{group_id: [access, ...]}``.")


class Roles(LookupManager[Role]):
    """Manages the ``/roles`` endpoint (Zammad has no DELETE for roles)."""

    resource_class = Role
    endpoint = "roles"
    can_delete = False
