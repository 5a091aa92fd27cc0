"""The tables of Zammad's admin rules: overviews, triggers, webhooks, macros, SLAs, calendars.

Importing this module adds them to :data:`zammad_orm.testing.models.TABLES` (the store does
so). Columns and defaults follow Zammad 6.2's schema (``db/migrate/20120101000001_create_base.rb``
and ``..._create_ticket.rb``); ``role_ids``, ``user_ids`` and ``group_ids`` are kept on the
record, as the fake keeps a user's ``role_ids``.
"""

from __future__ import annotations

from zammad_orm.testing.models import TABLES, Table

__all__ = ["ADMIN_TABLES"]

ADMIN_TABLES: tuple[Table, ...] = (
    Table(
        "overviews",
        "Overview",
        "Overview",
        {
            "name": "",
            "link": "",
            "prio": None,
            "condition": {},
            "order": {"by": "created_at", "direction": "ASC"},
            "group_by": None,
            "group_direction": None,
            "organization_shared": False,
            "out_of_office": False,
            "view": {},
            "active": True,
            "role_ids": [],
            "user_ids": [],
        },
    ),
    Table(
        "triggers",
        "Trigger",
        "Trigger",
        {
            "name": "",
            "condition": {},
            "perform": {},
            "disable_notification": True,
            "note": None,
            "activator": "action",
            "execution_condition_mode": "selective",
            "localization": None,
            "timezone": None,
            "active": True,
        },
    ),
    Table(
        "webhooks",
        "Webhook",
        "Webhook",
        {
            "name": "",
            "endpoint": "",
            "signature_token": "",
            "ssl_verify": True,
            "customized_payload": False,
            "custom_payload": None,
            "pre_defined_webhook_type": None,
            "preferences": {},
            "note": None,
            "active": True,
        },
    ),
    Table(
        "macros",
        "Macro",
        "Macro",
        {
            "name": "",
            "perform": {},
            "ux_flow_next_up": "none",
            "note": None,
            "active": True,
            "group_ids": [],
        },
    ),
    Table(
        "slas",
        "Sla",
        "Sla",
        {
            "calendar_id": None,
            "name": "",
            "first_response_time": None,
            "update_time": None,
            "solution_time": None,
            "condition": {},
        },
    ),
    Table(
        "calendars",
        "Calendar",
        "Calendar",
        {
            "name": "",
            "timezone": "UTC",
            "business_hours": {},
            "default": False,
            "ical_url": None,
            "public_holidays": {},
            "last_log": None,
            "last_sync": None,
            "note": None,
        },
    ),
)

for _table in ADMIN_TABLES:
    TABLES.setdefault(_table.name, _table)
