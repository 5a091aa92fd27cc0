"""The fake server's endpoint families, one module each.

To add a family: write a module here whose handlers are registered with
:func:`zammad_orm.testing.router.route` (see that module for what a handler receives and
returns), then add its name to :data:`ENDPOINT_MODULES`. Shared building blocks:

* :mod:`zammad_orm.testing.endpoints.common`: index/show/create/update/destroy as Zammad's
  generic controllers do them, name-to-id conversion, parameter clean-up;
* :class:`zammad_orm.testing.store.Store`: records, permissions (``store.get_ticket(id, actor,
  change=True)`` checks ticket access), history entries, online notifications, tags, links,
  files;
* :mod:`zammad_orm.testing.render`: the plain, ids and expand shapes, ``assets``, sorting and
  pagination.

Order matters only where two templates could match the same path: list the more specific
route first inside a module.
"""

from __future__ import annotations

import importlib

__all__ = ["ENDPOINT_MODULES", "load"]

#: the endpoint modules, imported (once) when the first fake server starts
ENDPOINT_MODULES: tuple[str, ...] = (
    "system",
    "tickets",
    "articles",
    "users",
    "organizations",
    "lookups",
    "notifications",
    "tags",
    "links",
    "merge",
    "time_accountings",
    "object_manager_attributes",
    "mentions",
    "global_search",
    "record_history",
    "user_settings",
    "ticket_views",
    "admin_records",
    "admin_rules",
    "overviews",
)

_loaded = False


def load() -> None:
    """Import every module of :data:`ENDPOINT_MODULES`, registering its routes (once)."""
    global _loaded
    if _loaded:
        return
    for name in ENDPOINT_MODULES:
        importlib.import_module(f"{__name__}.{name}")
    _loaded = True
