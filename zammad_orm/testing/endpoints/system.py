"""``GET /version``."""

from __future__ import annotations

from typing import Any

from zammad_orm.testing.endpoints.common import require_permission
from zammad_orm.testing.router import Call, route


@route("GET", "/version")
def version(call: Call) -> Any:
    """The server's release (needs ``admin.version``)."""
    require_permission(call, "admin.version")
    major, minor = call.version
    return {"version": f"{major}.{minor}.0-1709189301.fake"}
