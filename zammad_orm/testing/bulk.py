"""Fill a fake server with many records fast: straight into the store, no HTTP, no history.

Creating 50,000 tickets through ``POST /tickets`` takes minutes; :func:`add_tickets` writes
them into the store in about a second, as a Zammad import would (no history entries, no online
notifications). The records have Zammad's columns and defaults, consistent timestamps (the
newest first by ``updated_at``, one second apart) and unique numbers, and every endpoint serves
them as it serves records made through the API::

    from zammad_orm.testing import FakeZammad
    from zammad_orm.testing.bulk import add_tickets, add_users

    with FakeZammad() as server:
        customers = add_users(server.app.store, 20)
        add_tickets(server.app.store, 50_000, customer_ids=customers)

Call these between requests (they take the store's lock), never from inside a handler.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from zammad_orm.testing.callbacks import CLOSED_TYPES
from zammad_orm.testing.models import TABLES
from zammad_orm.testing.store import format_time

if TYPE_CHECKING:
    from zammad_orm.testing.store import Store

__all__ = ["add_tickets", "add_users"]

#: the customer role of the seed
_CUSTOMER_ROLE = 3
#: the admin of the seed, who "imports" the records
_IMPORTER = 3


def _timestamps(count: int) -> list[str]:
    """``count`` timestamps one second apart, the last one now."""
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    return [format_time(now - dt.timedelta(seconds=count - index)) for index in range(count)]


def _template(table: str, actor_id: int) -> dict[str, Any]:
    template = copy.deepcopy(TABLES[table].columns)
    template["created_by_id"] = actor_id
    if TABLES[table].has_updated_by:
        template["updated_by_id"] = actor_id
    return template


def _check_count(count: int) -> None:
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ValueError(f"count must be a non-negative int, got {count!r}")


def _check_ids(store: Store, table: str, ids: Sequence[int], what: str) -> None:
    if not ids:
        raise ValueError(f"{what} must name at least one record")
    missing = [ident for ident in ids if ident not in store.tables[table]]
    if missing:
        raise ValueError(f"{what}: no {table} with the ids {missing}")


def add_users(
    store: Store,
    count: int,
    *,
    login: str = "bulk-{n}@example.com",
    role_ids: Sequence[int] = (_CUSTOMER_ROLE,),
    organization_id: int | None = None,
    preferences: Callable[[int], dict[str, Any]] | None = None,
) -> list[int]:
    """Add ``count`` active users and return their ids.

    :param login: the login and email, ``{n}`` replaced by 1, 2, ... (per call)
    :param role_ids: their roles (Customer by default)
    :param organization_id: their organization, if any
    :param preferences: ``preferences(n)`` builds the preferences of the n-th user
    """
    _check_count(count)
    _check_ids(store, "roles", role_ids, "role_ids")
    if organization_id is not None:
        _check_ids(store, "organizations", [organization_id], "organization_id")
    with store.lock:
        template = _template("users", _IMPORTER)
        table = store.tables["users"]
        taken = {str(user["login"]).lower() for user in table.values()}
        ids = []
        for n, moment in enumerate(_timestamps(count), start=1):
            name = login.format(n=n)
            if name.lower() in taken:
                raise ValueError(f"a user with the login {name!r} exists already")
            record = {**template, "role_ids": list(role_ids), "organization_ids": [],
                      "group_ids": {}, "two_factor_preference_ids": [], "authorization_ids": [],
                      "overview_sorting_ids": []}  # fmt: skip
            record.update(
                id=store.next_id("users"),
                login=name.lower(),
                email=name.lower(),
                firstname="Bulk",
                lastname=f"User {n}",
                organization_id=organization_id,
                preferences=preferences(n) if preferences is not None else {},
                created_at=moment,
                updated_at=moment,
            )
            ids.append(store.put("users", record)["id"])
        return ids


def add_tickets(
    store: Store,
    count: int,
    *,
    title: str = "Bulk ticket {n}",
    group_id: int = 1,
    customer_ids: Sequence[int] = (2,),
    owner_ids: Sequence[int] = (1,),
    state_ids: Sequence[int] = (2,),
    priority_id: int = 2,
    articles: int = 1,
    body: str = "Bulk body {n}.{a}",
) -> list[int]:
    """Add ``count`` tickets, each with ``articles`` articles, and return their ids.

    The n-th ticket (from 1) takes its customer, owner and state round-robin from the given
    ids; its organization follows its customer, as Zammad sets it.

    :param title: the title, ``{n}`` replaced by the ticket's position in this call
    :param body: the articles' body, ``{n}`` and ``{a}`` (the article's position, from 1)
        replaced
    """
    _check_count(count)
    if isinstance(articles, bool) or not isinstance(articles, int) or articles < 0:
        raise ValueError(f"articles must be a non-negative int, got {articles!r}")
    _check_ids(store, "groups", [group_id], "group_id")
    _check_ids(store, "users", customer_ids, "customer_ids")
    _check_ids(store, "users", owner_ids, "owner_ids")
    _check_ids(store, "ticket_states", state_ids, "state_ids")
    _check_ids(store, "ticket_priorities", [priority_id], "priority_id")
    with store.lock:
        ticket_template = _template("tickets", _IMPORTER)
        article_template = _template("ticket_articles", _IMPORTER)
        users = store.tables["users"]
        organizations = {ident: users[ident]["organization_id"] for ident in customer_ids}
        ids = []
        for n, moment in enumerate(_timestamps(count), start=1):
            customer_id = customer_ids[(n - 1) % len(customer_ids)]
            store.ticket_counter += 1
            ticket = {**ticket_template, "preferences": {}}
            ticket.update(
                id=store.next_id("tickets"),
                number=f"31{store.ticket_counter:03d}",
                title=title.format(n=n),
                group_id=group_id,
                customer_id=customer_id,
                organization_id=organizations[customer_id],
                owner_id=owner_ids[(n - 1) % len(owner_ids)],
                state_id=state_ids[(n - 1) % len(state_ids)],
                priority_id=priority_id,
                create_article_type_id=5 if articles else None,
                create_article_sender_id=2 if articles else None,
                article_count=articles,
                created_at=moment,
                updated_at=moment,
            )
            _close_timestamps(store, ticket, moment)
            ticket = store.put("tickets", ticket)
            ids.append(ticket["id"])
            for a in range(1, articles + 1):
                _add_article(store, article_template, ticket, body.format(n=n, a=a), moment)
        return ids


def _close_timestamps(store: Store, ticket: dict[str, Any], moment: str) -> None:
    if store.tables["ticket_states"][ticket["state_id"]]["state_type_id"] in CLOSED_TYPES:
        ticket["close_at"] = ticket["last_close_at"] = moment


def _add_article(
    store: Store, template: Mapping[str, Any], ticket: dict[str, Any], body: str, moment: str
) -> None:
    article = {**template, "preferences": {}}
    article.update(
        id=store.next_id("ticket_articles"),
        ticket_id=ticket["id"],
        type_id=5,
        sender_id=2,
        subject=ticket["title"],
        body=body,
        internal=False,
        created_at=moment,
        updated_at=moment,
    )
    store.put("ticket_articles", article)
