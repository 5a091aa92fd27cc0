"""Group access of users and roles: ``group_ids`` as ``{"<group id>": [access, ...]}``.

Zammad grants per group ``full`` or any of ``read``, ``create``, ``change`` and ``overview``
(``has_groups.rb``). :class:`GroupAccess` reads and changes that mapping by group object, id
or name; a change is an ordinary tracked change of ``group_ids``, sent on the next save.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from zammad_orm.fields import Field
from zammad_orm.resource import Resource

if TYPE_CHECKING:
    from zammad_orm.resources.groups import Group

__all__ = ["ACCESS_LEVELS", "GroupAccess"]

#: the access levels Zammad knows
ACCESS_LEVELS = ("full", "read", "create", "change", "overview")


class GroupAccess(Resource):
    """The base of resources with group access: :class:`~zammad_orm.resources.users.User` and
    :class:`~zammad_orm.resources.roles.Role`."""

    __slots__ = ()

    group_ids = Field[dict[str, list[str]]](
        doc='Group access: ``{"<group id>": ["read", "change", ...]}``; see '
        ":meth:`group_access` and :meth:`set_group_access`."
    )

    def _group_id(self, group: Group | int | str) -> int:
        groups = self._manager_for("groups")
        ident: int = groups.reference_id(group, field="group", acting_as=self._acting_as)
        return ident

    @property
    def groups(self) -> tuple[Group, ...]:
        """The groups with any access, as objects (no request)."""
        groups = self._manager_for("groups")
        return tuple(
            groups._handle(int(ident), acting_as=self._acting_as, unit=self._unit)
            for ident in (self.group_ids or {})
        )

    def group_access(self, group: Group | int | str) -> list[str]:
        """The access levels to ``group`` (an object, id or name), e.g. ``["full"]``; empty
        without access."""
        return list((self.group_ids or {}).get(str(self._group_id(group)), []))

    def set_group_access(self, group: Group | int | str, access: Iterable[str]) -> None:
        """Grant ``access`` to ``group`` (an object, id or name), replacing the levels held;
        an empty ``access`` takes the group away. Recorded as a change of ``group_ids``.

        :raises ValueError: an unknown access level (nothing is recorded)
        """
        if isinstance(access, str):
            raise TypeError(f"access is a list of levels such as ['read'], got {access!r}")
        levels = list(dict.fromkeys(access))
        unknown = [level for level in levels if level not in ACCESS_LEVELS]
        if unknown:
            raise ValueError(
                f"unknown access level(s) {', '.join(map(repr, unknown))}; Zammad knows "
                + ", ".join(map(repr, ACCESS_LEVELS))
            )
        key = str(self._group_id(group))
        current = dict(self.group_ids or {})
        if levels:
            current[key] = levels
        else:
            current.pop(key, None)
        self.group_ids = current
