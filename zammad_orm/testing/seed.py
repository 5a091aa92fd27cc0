"""What a new Zammad install holds (after its setup wizard created the first admin).

Names and attributes follow Zammad's own seeds (``db/seeds/*.rb``): the system user 1 (login
``-``), Nicole Braun (2) of the Zammad Foundation with the welcome ticket, the group "Users",
the roles Admin, Agent and Customer, the ticket states, state types and priorities, the article
types and senders. The admin agent (3) owns the API token; a plain agent (4) helps tests of
permissions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zammad_orm.testing.custom_fields import seed_attributes
from zammad_orm.testing.seed_admin import seed_admin_records

if TYPE_CHECKING:
    from zammad_orm.testing.store import Store

__all__ = ["ARTICLE_SENDERS", "ARTICLE_TYPES", "STATE_TYPES", "seed_store"]

#: Zammad's ticket state types
STATE_TYPES: dict[int, str] = {
    1: "new",
    2: "open",
    3: "pending reminder",
    4: "pending action",
    5: "closed",
    6: "merged",
}

#: Zammad's article types
ARTICLE_TYPES: dict[int, str] = {
    1: "email",
    2: "sms",
    3: "chat",
    4: "fax",
    5: "phone",
    6: "twitter status",
    7: "twitter direct-message",
    8: "facebook feed post",
    9: "facebook feed comment",
    10: "note",
    11: "web",
    12: "telegram personal-message",
    13: "facebook direct-message",
    14: "whatsapp message",
}

#: Zammad's article senders
ARTICLE_SENDERS: dict[int, str] = {1: "Agent", 2: "Customer", 3: "System"}

WELCOME_BODY = (
    "Welcome!\n\nThank you for choosing Zammad.\n\nYou will find updates and patches at "
    "https://zammad.org/. Online documentation is available at https://zammad.org/documentation. "
    "Get involved (discussions, contributing, ...) at https://zammad.org/participate.\n\n"
    "Regards,\n\nYour Zammad Team\n"
)


#: seeded users (made by the installer, not the API) hold empty strings where API-made ones
#: hold null, as the captured samples show
_INSTALLED_USER = {"address": "", "department": ""}


def seed_store(store: Store, *, token: str, password: str, full: bool = True) -> None:
    """Fill an empty ``store``. ``full=False`` leaves out Nicole, her organization, the plain
    agent and the welcome ticket."""
    insert = store.insert
    seed_attributes(store)
    seed_admin_records(store)
    insert(
        "roles",
        {
            "id": 1,
            "name": "Admin",
            "note": "To configure your system.",
            "permission_ids": [1, 43, 55, 65],
        },
        1,
    )
    insert(
        "roles",
        {
            "id": 2,
            "name": "Agent",
            "note": "To work on Tickets.",
            "permission_ids": [43, 57, 60, 62, 66],
        },
        1,
    )
    insert(
        "roles",
        {
            "id": 3,
            "name": "Customer",
            "default_at_signup": True,
            "note": "People who create Tickets ask for help.",
            "permission_ids": [44, 47, 48, 50, 54, 58],
        },
        1,
    )
    store.counters.values["roles"] = 3

    insert(
        "users",
        {
            **_INSTALLED_USER,
            "id": 1,
            "login": "-",
            "firstname": "-",
            "lastname": "",
            "email": "",
            "active": False,
            "role_ids": [3],
        },
        1,
    )
    insert(
        "groups",
        {
            "id": 1,
            "name": "Users",
            "name_last": "Users",
            "note": "Standard Group/Pool for Tickets.",
            "email_address_id": 1,
            "signature_id": 1,
        },
        1,
    )
    store.counters.values["groups"] = 1

    states: list[tuple[int, str, int, dict[str, Any]]] = [
        (1, "new", 1, {"default_create": True}),
        (2, "open", 2, {"default_follow_up": True}),
        (3, "pending reminder", 3, {"ignore_escalation": True}),
        (4, "closed", 5, {"ignore_escalation": True}),
        (5, "merged", 6, {"ignore_escalation": True}),
        (6, "pending close", 4, {"ignore_escalation": True, "next_state_id": 4}),
    ]
    for ident, name, state_type, extra in states:
        insert(
            "ticket_states", {"id": ident, "name": name, "state_type_id": state_type, **extra}, 1
        )
    store.counters.values["ticket_states"] = len(states)
    priorities: list[tuple[int, str, dict[str, Any]]] = [
        (1, "1 low", {"ui_icon": "low-priority", "ui_color": "low-priority"}),
        (2, "2 normal", {"default_create": True}),
        (3, "3 high", {"ui_icon": "important", "ui_color": "high-priority"}),
    ]
    for ident, name, extra in priorities:
        insert("ticket_priorities", {"id": ident, "name": name, **extra}, 1)
    store.counters.values["ticket_priorities"] = 3

    if full:
        insert("organizations", {"id": 1, "name": "Zammad Foundation"}, 1)
        store.counters.values["organizations"] = 1
        insert(
            "users",
            {
                **_INSTALLED_USER,
                "id": 2,
                "login": "nicole.braun@zammad.org",
                "firstname": "Nicole",
                "lastname": "Braun",
                "email": "nicole.braun@zammad.org",
                "organization_id": 1,
                "role_ids": [3],
            },
            1,
        )
        store.passwords[2] = password
    admin = insert(
        "users",
        {
            **_INSTALLED_USER,
            "id": 3,
            "login": "admin@example.com",
            "firstname": "Test",
            "lastname": "Admin",
            "email": "admin@example.com",
            "role_ids": [1, 2],
            "group_ids": {"1": ["full"]},
        },
        1,
    )
    store.passwords[admin["id"]] = password
    store.tokens[token] = admin["id"]
    if full:
        insert(
            "users",
            {
                **_INSTALLED_USER,
                "id": 4,
                "login": "agent@example.com",
                "firstname": "Agnes",
                "lastname": "Agent",
                "email": "agent@example.com",
                "role_ids": [2],
                "group_ids": {"1": ["full"]},
            },
            3,
        )
        store.passwords[4] = password
    store.counters.values["users"] = 4

    if full:
        store.ticket_counter = 1
        ticket = insert(
            "tickets",
            {
                "id": 1,
                "number": "31001",
                "title": "Welcome to Zammad!",
                "group_id": 1,
                "customer_id": 2,
                "organization_id": 1,
                "state_id": 1,
                "priority_id": 2,
                "owner_id": 1,
                "create_article_type_id": 5,
                "create_article_sender_id": 2,
                "article_count": 1,
            },
            2,
        )
        store.counters.values["tickets"] = 1
        article = insert(
            "ticket_articles",
            {
                "id": 1,
                "ticket_id": 1,
                "type_id": 5,
                "sender_id": 2,
                "from": "Zammad Feedback <feedback@zammad.org>",
                "to": None,
                "subject": "Welcome to Zammad!",
                "body": WELCOME_BODY,
            },
            2,
        )
        store.counters.values["ticket_articles"] = 1
        store.add_history(ticket["id"], "Ticket", "created", 2)
        store.add_history(article["id"], "Ticket::Article", "created", 2, related=("Ticket", 1))

    from zammad_orm.testing.admin_seed import seed_overviews

    seed_overviews(store)
