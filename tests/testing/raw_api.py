"""Raw JSON requests to the fake server, for specification-style tests of the server itself."""

from __future__ import annotations

from typing import Any

import requests

from zammad_orm.testing import FakeZammad


class Api:
    """Requests as one user: the admin's token unless ``auth`` gives a login and password."""

    def __init__(self, server: FakeZammad, auth: tuple[str, str] | None = None) -> None:
        self.server = server
        self.session = requests.Session()
        if auth is None:
            self.session.headers["Authorization"] = f"Token token={server.token}"
        else:
            self.session.auth = auth

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """The raw response to ``method path``."""
        return self.session.request(method, f"{self.server.url}{path}", timeout=10, **kwargs)

    def ok(self, method: str, path: str, **kwargs: Any) -> Any:
        """The decoded body of a request that must succeed (None when empty)."""
        response = self.call(method, path, **kwargs)
        assert response.ok, response.text
        return response.json() if response.content else None

    def error(self, method: str, path: str, **kwargs: Any) -> tuple[int, str]:
        """The status and Zammad ``error`` text of a request that fails."""
        response = self.call(method, path, **kwargs)
        return response.status_code, response.json()["error"]

    def ticket(self, **fields: Any) -> dict[str, Any]:
        """Create a ticket for Nicole in Users, with ``fields`` on top."""
        response = self.try_ticket(**fields)
        assert response.ok, response.text
        return dict(response.json())

    def try_ticket(self, **fields: Any) -> requests.Response:
        """The raw response to creating a ticket for Nicole in Users with ``fields`` on top."""
        body = {"title": "Ticket", "group": "Users", "customer_id": 2, **fields}
        return self.call("POST", "/tickets", json=body)

    def acting_as(self, user: str) -> Api:
        """The same token, impersonating ``user`` (an id, login or email)."""
        other = Api(self.server)
        other.session.headers["X-On-Behalf-Of"] = user
        return other
