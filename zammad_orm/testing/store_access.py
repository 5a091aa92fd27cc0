"""Who may read and change what in the fake server: the permissions of a user's roles, group
access, and Zammad's ``TicketPolicy`` for reading, listing and changing tickets. :class:`Access`
is mixed into :class:`~zammad_orm.testing.store.Store`, so every check is a method of the store
(``store.can_read_ticket(user, ticket)``)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zammad_orm.testing.indexes import Table

__all__ = ["PERMISSIONS", "Access"]

#: permission ids of the seeded roles and their names (``admin`` implies every ``admin.*``)
PERMISSIONS: dict[int, str] = {
    1: "admin",
    43: "user_preferences",
    44: "user_preferences.password",
    47: "user_preferences.language",
    48: "user_preferences.avatar",
    50: "user_preferences.device",
    54: "user_preferences.notifications",
    55: "report",
    57: "ticket.agent",
    58: "ticket.customer",
    60: "chat.agent",
    62: "cti.agent",
    65: "knowledge_base.editor",
    66: "knowledge_base.reader",
}


class Access:
    """The permission and access checks of :class:`~zammad_orm.testing.store.Store`: a mixin
    that reads the store's roles, groups, users and organizations."""

    #: the tables of the store (see :class:`~zammad_orm.testing.store.Store`)
    tables: dict[str, Table]
    #: whether an agent owning a ticket may access it whatever its group (Zammad < 6.5)
    owners_bypass_groups: bool

    def permissions(self, user: dict[str, Any]) -> set[str]:
        """The permission names ``user``'s active roles grant."""
        names: set[str] = set()
        for role_id in user["role_ids"]:
            role = self.tables["roles"].get(role_id)
            if role is not None and role["active"]:
                names.update(
                    PERMISSIONS.get(pid, f"permission.{pid}") for pid in role["permission_ids"]
                )
        return names

    def has_permission(self, user: dict[str, Any], wanted: str) -> bool:
        """Whether ``user`` has ``wanted`` (``admin`` grants ``admin.user`` and the like)."""
        return any(
            wanted == name or wanted.startswith(name + ".") for name in self.permissions(user)
        )

    def is_agent(self, user: dict[str, Any]) -> bool:
        """Whether ``user`` works on tickets as an agent."""
        return self.has_permission(user, "ticket.agent")

    def group_access(self, user: dict[str, Any], group_id: int | None) -> set[str]:
        """The access ``user`` has to group ``group_id`` (``full`` implies all)."""
        group = self.tables["groups"].get(group_id) if group_id is not None else None
        if group is None or not group["active"] or not user["active"]:
            return set()
        access: set[str] = set(user["group_ids"].get(str(group_id), []))
        for role_id in user["role_ids"]:
            role = self.tables["roles"].get(role_id)
            if role is not None and role["active"]:
                access.update(role["group_ids"].get(str(group_id), []))
        if "full" in access:
            access.update({"read", "create", "change", "overview"})
        return access

    def customer_may_see(self, user: dict[str, Any], ticket: dict[str, Any]) -> bool:
        """A customer sees their own tickets and those of their shared organizations."""
        if ticket["customer_id"] == user["id"]:
            return True
        organization_ids = {user["organization_id"], *user["organization_ids"]} - {None}
        if ticket["organization_id"] in organization_ids:
            organization = self.tables["organizations"].get(ticket["organization_id"])
            return bool(organization and organization["shared"])
        return False

    def agent_access(self, user: dict[str, Any], ticket: dict[str, Any], wanted: str) -> bool:
        """Zammad's ``TicketPolicy#agent_access?``: an agent with ``wanted`` (or ``full``) on
        the ticket's group; before 6.5 also the agent who owns the ticket, whatever the group."""
        if not self.is_agent(user):
            return False
        if self.owners_bypass_groups and ticket.get("owner_id") == user["id"]:
            return True
        return wanted in self.group_access(user, ticket["group_id"])

    def in_read_scope(self, user: dict[str, Any], ticket: dict[str, Any]) -> bool:
        """Zammad's ``TicketPolicy::ReadScope`` (lists and searches): read access to the group,
        or the customer's own and shared-organization tickets; owning grants nothing here."""
        if self.is_agent(user) and "read" in self.group_access(user, ticket["group_id"]):
            return True
        return self.has_permission(user, "ticket.customer") and self.customer_may_see(user, ticket)

    def can_read_ticket(self, user: dict[str, Any], ticket: dict[str, Any]) -> bool:
        """Zammad's ticket read access (``change`` alone does not grant it)."""
        if self.agent_access(user, ticket, "read"):
            return True
        return self.has_permission(user, "ticket.customer") and self.customer_may_see(user, ticket)

    def readable_tickets(
        self, user: dict[str, Any], among: Collection[int] | None = None
    ) -> list[dict[str, Any]]:
        """The tickets ``user`` sees in lists and searches (:meth:`in_read_scope`), by id (of
        those with the ids ``among``, when given): group access is worked out once per group,
        not once per ticket."""
        tickets = self.tables["tickets"]
        if among is not None:
            ordered: Iterable[dict[str, Any]] = [
                tickets[ident] for ident in sorted(among) if ident in tickets
            ]
        elif tickets.ascending:
            ordered = tickets.values()
        else:
            ordered = [t for _, t in sorted(tickets.items())]
        groups: set[Any] = set()
        if self.is_agent(user):
            candidates = {*self.tables["groups"], *map(int, user["group_ids"])}
            for role_id in user["role_ids"]:
                role = self.tables["roles"].get(role_id)
                if role is not None:
                    candidates.update(map(int, role["group_ids"]))
            groups = {g for g in candidates if "read" in self.group_access(user, g)}
        if not self.has_permission(user, "ticket.customer"):
            return [ticket for ticket in ordered if ticket["group_id"] in groups]
        return [
            ticket
            for ticket in ordered
            if ticket["group_id"] in groups or self.customer_may_see(user, ticket)
        ]

    def can_change_ticket(self, user: dict[str, Any], ticket: dict[str, Any]) -> bool:
        """Zammad's ticket change access."""
        if self.agent_access(user, ticket, "change"):
            return True
        return self.has_permission(user, "ticket.customer") and self.customer_may_see(user, ticket)

    def group_agents(self, group_id: int) -> list[dict[str, Any]]:
        """The active agents with access to group ``group_id``."""
        key = str(group_id)
        granting_roles = {
            ident
            for ident, role in self.tables["roles"].items()
            if role["active"] and role["group_ids"].get(key)
        }
        return [
            user
            for user in self.tables["users"].values()
            if user["active"]
            and (user["group_ids"].get(key) or granting_roles.intersection(user["role_ids"]))
            and self.is_agent(user)
        ]
