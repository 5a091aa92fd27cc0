"""Organizations (``/organizations``): the companies customers belong to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zammad_orm.fields import Field, RelationList
from zammad_orm.manager import SearchableManager
from zammad_orm.resource import Resource
from zammad_orm.resources.history import HistoryEntry, history_of

if TYPE_CHECKING:
    from collections.abc import Iterator

    from zammad_orm.resources.tickets import Ticket
    from zammad_orm.resources.users import User
    from zammad_orm.unit_of_work import UnitOfWork

__all__ = ["Organization", "Organizations"]


class Organization(Resource):
    """An organization; :attr:`members` are its users."""

    __slots__ = ()
    manager_name = "organizations"
    asset_key = "Organization"

    name = Field[str](doc="The organization's name.")
    shared = Field[bool](doc="Whether members see each other's tickets.")
    domain = Field[str | None](doc="The email domain of its members.")
    domain_assignment = Field[bool](doc="Whether new users of :attr:`domain` join it.")
    active = Field[bool](doc="Whether it is in use.")
    vip = Field[bool](doc="Whether it is a VIP.")
    note = Field[str | None](doc="A note for agents.")
    members: RelationList[User] = RelationList(
        "users", ids_field="member_ids", doc="Users whose primary organization it is."
    )
    secondary_members: RelationList[User] = RelationList(
        "users", ids_field="secondary_member_ids", doc="Users who belong to it besides."
    )

    @property
    def weburl(self) -> str:
        """The organization's profile page in Zammad's web interface."""
        return f"{self.client.weburl}/#organization/profile/{self._path()[1]}"

    def history(self) -> list[HistoryEntry]:
        """What changed on the organization, oldest first (one request; agents and
        organization admins)."""
        return history_of(self, "organizations", "history", self._path()[1])

    @property
    def tickets(self) -> Iterator[Ticket]:
        """The tickets of this organization: a lazy search (see :meth:`Tickets.of_organization()
        <zammad_orm.resources.tickets.Tickets.of_organization>`)."""
        with self._acting():
            return self.client.tickets.of_organization(self)


class Organizations(SearchableManager[Organization]):
    """Manages the ``/organizations`` endpoint."""

    resource_class = Organization
    endpoint = "organizations"

    def _is_named(self, ident: int, name: str, acting_as: str | None) -> bool:
        """Whether organization ``ident`` is called ``name``."""
        return bool(self._record_of(ident, acting_as).get("name") == name)

    def by_reference(
        self, name: str, *, acting_as: str | None = None, unit: UnitOfWork | None = None
    ) -> Organization:
        """The organization called ``name`` (one search request).

        :raises LookupError: no organization has that name
        """
        with self.client._acting(acting_as):
            for organization in self.search(name, per_page=self.search_page_cap, page=1):
                if organization._data.get("name") == name:
                    ident = organization._data["id"]
                    return self._handle(ident, acting_as=acting_as, unit=unit)
        raise LookupError(f"no organization is named {name!r}")
