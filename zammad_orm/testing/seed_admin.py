"""The admin records a new install holds: the signature Zammad seeds
(``db/seeds/signatures.rb``) and the sender address the group "Users" points at."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zammad_orm.testing.store import Store

__all__ = ["DEFAULT_SIGNATURE", "seed_admin_records"]

#: the body of signature 1, ``text2html`` of Zammad's seeded text
DEFAULT_SIGNATURE = (
    "<div>&nbsp; #{user.firstname} #{user.lastname}</div><div><br></div><div>--</div>"
    "<div>&nbsp;Super Support - Waterford Business Park</div>"
    "<div>&nbsp;5201 Blue Lagoon Drive - 8th Floor &amp; 9th Floor - Miami, 33126 USA</div>"
    '<div>&nbsp;Email: hot@example.com - Web: <a href="http://www.example.com/" '
    'rel="nofollow noreferrer noopener" target="_blank">http://www.example.com/</a></div>'
    "<div>--</div>"
)


def seed_admin_records(store: Store) -> None:
    """Insert signature 1 and email address 1 (the group "Users" refers to both)."""
    store.insert("signatures", {"id": 1, "name": "default", "body": DEFAULT_SIGNATURE}, 1)
    store.counters.values["signatures"] = 1
    store.insert(
        "email_addresses",
        {"id": 1, "channel_id": 1, "realname": "Zammad Helpdesk", "email": "zammad@localhost"},
        1,
    )
    store.counters.values["email_addresses"] = 1
