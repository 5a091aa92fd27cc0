"""Users (``/users``): agents, customers and admins."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zammad_orm.fields import (
    DateField,
    DateTimeField,
    Field,
    Relation,
    RelationList,
    WriteOnlyField,
)
from zammad_orm.manager import SearchableManager
from zammad_orm.resources.group_access import GroupAccess
from zammad_orm.resources.history import HistoryEntry, history_of

if TYPE_CHECKING:
    from collections.abc import Iterator

    from zammad_orm.resources.organizations import Organization
    from zammad_orm.resources.roles import Role
    from zammad_orm.resources.tickets import Ticket
    from zammad_orm.unit_of_work import UnitOfWork

__all__ = ["User", "Users"]


class User(GroupAccess):
    """A Zammad user. Assign :attr:`roles` by name, id or object; organizations by object or
    id; group access with :meth:`set_group_access`."""

    __slots__ = ()
    manager_name = "users"
    asset_key = "User"
    label_field = "login"

    login = Field[str](doc="The login name (often the email address).")
    firstname = Field[str](doc="First name.")
    lastname = Field[str](doc="Last name.")
    email = Field[str | None](doc="Email address.")
    organization: Relation[Organization] = Relation(
        "organizations", doc="The user's primary organization."
    )
    organizations: RelationList[Organization] = RelationList(
        "organizations", ids_field="organization_ids", doc="Secondary organizations."
    )
    roles: RelationList[Role] = RelationList("roles", ids_field="role_ids", doc="The roles.")
    active = Field[bool](doc="Whether the user may log in.")
    vip = Field[bool](doc="Whether the user is a VIP.")
    verified = Field[bool](doc="Whether the email address was verified.")
    note = Field[str | None](doc="A note for agents.")
    phone = Field[str | None](doc="Phone number.")
    mobile = Field[str | None](doc="Mobile number.")
    fax = Field[str | None](doc="Fax number.")
    web = Field[str | None](doc="Web site.")
    department = Field[str | None](doc="Department.")
    street = Field[str | None](doc="Street.")
    zip = Field[str | None](doc="Postal code.")
    city = Field[str | None](doc="City.")
    country = Field[str | None](doc="Country.")
    address = Field[str | None](doc="Postal address.")
    preferences = Field[dict[str, Any]](doc="Settings such as ``locale``.")
    out_of_office = Field[bool](doc="Whether the agent is away.")
    out_of_office_start_at = DateField(doc="The first day of the absence (a date).")
    out_of_office_end_at = DateField(doc="The last day of the absence (a date).")
    out_of_office_replacement: Relation[User] = Relation("users", doc="Who stands in.")
    last_login = DateTimeField(read_only=True, doc="When the user last logged in.")
    login_failed = Field[int](read_only=True, doc="Failed logins since the last success.")
    image = Field[str | None](read_only=True, doc="The avatar's hash.")
    image_source = Field[str | None](doc="Where the avatar came from (a URL), if anywhere.")
    source = Field[str | None](doc="Where the user came from (e.g. an import), if recorded.")
    authorization_ids = Field[list[int]](read_only=True, doc="Third-party logins (OAuth).")
    overview_sorting_ids = Field[list[int]](read_only=True, doc="The agent's overview order.")
    two_factor_preference_ids = Field[list[int]](
        read_only=True, doc="Configured two-factor methods."
    )
    password = WriteOnlyField[str](doc="A new password (sent, never read back).")

    @property
    def fullname(self) -> str:
        """First and last name; the login or email when both are empty."""
        name = " ".join(part for part in (self.firstname, self.lastname) if part).strip()
        return name or self.email or self.login

    @property
    def longname(self) -> str:
        """:attr:`fullname` with the organization's name in brackets, when the user has one
        (reading it may load the organization)."""
        organization = self.organization
        if organization is None:
            return self.fullname
        return f"{self.fullname} ({organization.name})"

    @property
    def weburl(self) -> str:
        """The user's profile page in Zammad's web interface."""
        return f"{self.client.weburl}/#user/profile/{self._path()[1]}"

    def history(self) -> list[HistoryEntry]:
        """What changed on the user, oldest first (one request; agents and user admins)."""
        return history_of(self, "users", "history", self._path()[1])

    @property
    def tickets(self) -> Iterator[Ticket]:
        """The tickets this user is the customer of: a lazy search (see :meth:`Tickets.of_customer()
        <zammad_orm.resources.tickets.Tickets.of_customer>`)."""
        with self._acting():
            return self.client.tickets.of_customer(self)


class Users(SearchableManager[User]):
    """Manages the ``/users`` endpoint."""

    resource_class = User
    endpoint = "users"

    def me(self) -> User:
        """The authenticated user (or, inside ``impersonation_of``, the impersonated one).

        Zammad's ``/users/me`` leaves out the contact fields (phone, address, note, ...), so
        the user is not marked loaded: reading one of those loads the whole record.
        """
        acting_as = self.client.acting_as
        record = self.client.get(self.endpoint, "me")
        return self._absorb(record, acting_as=acting_as, complete=False)

    def _is_named(self, ident: int, name: str, acting_as: str | None) -> bool:
        """Whether user ``ident`` has the login or email ``name`` (case does not matter)."""
        record = self._record_of(ident, acting_as)
        wanted = name.strip().lower()
        return wanted in (
            str(record.get("login") or "").lower(),
            str(record.get("email") or "").lower(),
        )

    def by_reference(
        self, name: str, *, acting_as: str | None = None, unit: UnitOfWork | None = None
    ) -> User:
        """The user whose login or email is ``name`` (one search request).

        :raises LookupError: no user has that login or email
        """
        wanted = name.strip().lower()
        with self.client._acting(acting_as):
            for user in self.search(name, per_page=self.search_page_cap, page=1):
                if wanted in (
                    str(user._data.get("login", "")).lower(),
                    str(user._data.get("email") or "").lower(),
                ):
                    return self._handle(user._data["id"], acting_as=acting_as, unit=unit)
        raise LookupError(f"no user has the login or email {name!r}")
