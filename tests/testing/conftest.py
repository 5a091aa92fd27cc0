"""Fixtures of the fake server's own tests, on the plugin's per-test-reset server."""

from __future__ import annotations

import pytest
from raw_api import Api

from zammad_orm.testing import FakeZammad


@pytest.fixture
def server(zammad_server: FakeZammad) -> FakeZammad:
    """The fake server, reset to its seed for this test."""
    return zammad_server


@pytest.fixture
def api(server: FakeZammad) -> Api:
    """Raw requests as the admin."""
    return Api(server)


@pytest.fixture
def agent(server: FakeZammad) -> Api:
    """Raw requests as the plain agent (basic auth)."""
    return Api(server, ("agent@example.com", server.admin_password))


@pytest.fixture
def nicole(server: FakeZammad) -> Api:
    """Raw requests as the customer Nicole Braun (basic auth)."""
    return Api(server, ("nicole.braun@zammad.org", server.admin_password))
