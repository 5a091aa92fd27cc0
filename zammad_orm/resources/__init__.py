"""The resource families: one module each, declaring fields, relations and the manager."""

from zammad_orm.resources.articles import Article, Articles
from zammad_orm.resources.groups import Group, Groups
from zammad_orm.resources.notifications import Notification, Notifications
from zammad_orm.resources.organizations import Organization, Organizations
from zammad_orm.resources.roles import Role, Roles
from zammad_orm.resources.tags import Tags
from zammad_orm.resources.ticket_priorities import Priorities, Priority
from zammad_orm.resources.ticket_states import State, States
from zammad_orm.resources.tickets import Ticket, Tickets
from zammad_orm.resources.time_accountings import TimeAccounting, TimeAccountings
from zammad_orm.resources.users import User, Users

__all__ = [
    "Article",
    "Articles",
    "Group",
    "Groups",
    "Notification",
    "Notifications",
    "Organization",
    "Organizations",
    "Priorities",
    "Priority",
    "Role",
    "Roles",
    "State",
    "States",
    "Tags",
    "Ticket",
    "Tickets",
    "TimeAccounting",
    "TimeAccountings",
    "User",
    "Users",
]
