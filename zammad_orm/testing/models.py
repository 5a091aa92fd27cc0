"""The fake server's tables: their columns with Zammad's defaults, and Zammad's model names.

Records are stored as plain dicts holding their columns only; fields Zammad derives from
other tables (``article_ids``, ``member_ids``, ``user_ids``, ...) are computed when a record is
rendered (:mod:`zammad_orm.testing.render`), so they can never go stale.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

__all__ = ["TABLES", "Table", "new_record"]


@dataclass(frozen=True)
class Table:
    """One table: its name in the store, Zammad's model and asset names, and its columns."""

    #: key in the store, also the REST endpoint of most tables
    name: str
    #: Zammad's model class, as in ``Couldn't find Ticket::State with 'id'=9``
    model: str
    #: the key of its records in ``assets`` (``Ticket::State`` becomes ``TicketState``)
    asset_key: str
    #: column defaults, besides id and the timestamps and *_by_id columns
    columns: dict[str, Any]
    #: whether the table has ``updated_by_id`` (time accountings do not)
    has_updated_by: bool = True
    #: the column that names a record, for ``No lookup value found`` and expand
    label: str = "name"


_TICKET_COLUMNS: dict[str, Any] = {
    "group_id": None,
    "priority_id": None,
    "state_id": None,
    "organization_id": None,
    "number": "",
    "title": "",
    "owner_id": 1,
    "customer_id": None,
    "note": None,
    "first_response_at": None,
    "first_response_escalation_at": None,
    "first_response_in_min": None,
    "first_response_diff_in_min": None,
    "close_at": None,
    "close_escalation_at": None,
    "close_in_min": None,
    "close_diff_in_min": None,
    "update_escalation_at": None,
    "update_in_min": None,
    "update_diff_in_min": None,
    "last_close_at": None,
    "last_contact_at": None,
    "last_contact_agent_at": None,
    "last_contact_customer_at": None,
    "last_owner_update_at": None,
    "create_article_type_id": None,
    "create_article_sender_id": None,
    "article_count": 0,
    "escalation_at": None,
    "pending_time": None,
    "type": None,
    "time_unit": None,
    "preferences": {},
}

_USER_COLUMNS: dict[str, Any] = {
    "organization_id": None,
    "login": "",
    "firstname": "",
    "lastname": "",
    "email": "",
    "image": None,
    "image_source": None,
    "web": "",
    "phone": "",
    "fax": "",
    "mobile": "",
    "department": None,
    "street": "",
    "zip": "",
    "city": "",
    "country": "",
    "address": None,
    "vip": False,
    "verified": False,
    "active": True,
    "note": "",
    "last_login": None,
    "source": None,
    "login_failed": 0,
    "out_of_office": False,
    "out_of_office_start_at": None,
    "out_of_office_end_at": None,
    "out_of_office_replacement_id": None,
    "preferences": {},
    "role_ids": [],
    "organization_ids": [],
    "group_ids": {},
    "two_factor_preference_ids": [],
    "authorization_ids": [],
    "overview_sorting_ids": [],
}

TABLES: dict[str, Table] = {
    table.name: table
    for table in (
        Table("tickets", "Ticket", "Ticket", _TICKET_COLUMNS, label="number"),
        Table(
            "ticket_articles",
            "Ticket::Article",
            "TicketArticle",
            {
                "ticket_id": None,
                "type_id": 10,
                "sender_id": 1,
                "from": None,
                "to": None,
                "cc": None,
                "subject": None,
                "reply_to": None,
                "message_id": None,
                "message_id_md5": None,
                "in_reply_to": None,
                "content_type": "text/plain",
                "references": None,
                "body": "",
                "internal": False,
                "preferences": {},
                "origin_by_id": None,
            },
            label="subject",
        ),
        Table("users", "User", "User", _USER_COLUMNS, label="login"),
        Table(
            "organizations",
            "Organization",
            "Organization",
            {
                "name": "",
                "shared": True,
                "domain": "",
                "domain_assignment": False,
                "active": True,
                "vip": False,
                "note": "",
            },
        ),
        Table(
            "groups",
            "Group",
            "Group",
            {
                "signature_id": None,
                "email_address_id": None,
                "name": "",
                "name_last": "",
                "parent_id": None,
                "assignment_timeout": None,
                "follow_up_possible": "yes",
                "reopen_time_in_days": None,
                "follow_up_assignment": True,
                "active": True,
                "shared_drafts": True,
                "note": None,
            },
        ),
        Table(
            "roles",
            "Role",
            "Role",
            {
                "name": "",
                "preferences": {},
                "default_at_signup": False,
                "active": True,
                "note": None,
                "permission_ids": [],
                "knowledge_base_permission_ids": [],
                "group_ids": {},
            },
        ),
        Table(
            "ticket_states",
            "Ticket::State",
            "TicketState",
            {
                "state_type_id": 1,
                "name": "",
                "next_state_id": None,
                "ignore_escalation": False,
                "default_create": False,
                "default_follow_up": False,
                "note": None,
                "active": True,
            },
        ),
        Table(
            "ticket_priorities",
            "Ticket::Priority",
            "TicketPriority",
            {
                "name": "",
                "default_create": False,
                "ui_icon": None,
                "ui_color": None,
                "note": None,
                "active": True,
            },
        ),
        Table(
            "online_notifications",
            "OnlineNotification",
            "OnlineNotification",
            {
                "o_id": None,
                "object_lookup_id": 1,
                "type_lookup_id": 2,
                "user_id": None,
                "seen": False,
            },
            label="o_id",
        ),
        Table(
            "time_accountings",
            "Ticket::TimeAccounting",
            "TicketTimeAccounting",
            {"ticket_id": None, "ticket_article_id": None, "time_unit": "0.0", "type_id": None},
            has_updated_by=False,
            label="time_unit",
        ),
        Table(
            "time_accounting_types",
            "Ticket::TimeAccounting::Type",
            "TicketTimeAccountingType",
            {"name": "", "note": None, "active": True},
        ),
    )
}


#: tables of the endpoints added in round two (object manager, mentions, admin records)
TABLES.update(
    (table.name, table)
    for table in (
        Table(
            "object_manager_attributes",
            "ObjectManager::Attribute",
            "ObjectManagerAttribute",
            {
                "object_lookup_id": None,
                "name": "",
                "display": "",
                "data_type": "",
                "data_option": {},
                "data_option_new": {},
                "editable": True,
                "active": True,
                "screens": {},
                "to_create": False,
                "to_migrate": False,
                "to_delete": False,
                "to_config": False,
                "position": 0,
            },
        ),
        Table(
            "mentions",
            "Mention",
            "Mention",
            {"mentionable_type": "Ticket", "mentionable_id": None, "user_id": None},
            label="user_id",
        ),
        Table(
            "email_addresses",
            "EmailAddress",
            "EmailAddress",
            {
                "channel_id": None,
                "realname": "",
                "email": "",
                "active": True,
                "note": None,
                "preferences": {},
            },
            label="email",
        ),
        Table(
            "signatures",
            "Signature",
            "Signature",
            {"name": "", "body": None, "active": True, "note": None},
        ),
        Table(
            "text_modules",
            "TextModule",
            "TextModule",
            {
                "user_id": None,
                "name": "",
                "keywords": None,
                "content": "",
                "note": None,
                "active": True,
                "foreign_id": None,
                "group_ids": [],
            },
        ),
        Table(
            "templates",
            "Template",
            "Template",
            {"user_id": None, "name": "", "options": {}, "active": True},
        ),
        Table(
            "recent_views",
            "RecentView",
            "RecentView",
            {"recent_view_object_id": None, "o_id": None},
            has_updated_by=False,
            label="o_id",
        ),
    )
)


def new_record(table: str, values: dict[str, Any]) -> dict[str, Any]:
    """A record of ``table`` with Zammad's defaults for the columns ``values`` lacks."""
    record = copy.deepcopy(TABLES[table].columns)
    record.update(values)
    return record
