"""Who may read and write ``/groups`` and ``/roles``, per Zammad release.

Zammad 6.2 (``app/policies/controllers/groups_controller_policy.rb`` and
``roles_controller_policy.rb``, 2021 to 2024 revisions): ``default_permit!('admin.group')`` /
``default_permit!('admin.role')`` for every action. The 6.6.x development line that became
7.0 adds ``permit! %i[index show], to: ['ticket.agent', 'admin.group'|'admin.role',
'ticket.customer']``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from raw_api import Api

from zammad_orm.testing import FakeZammad


@pytest.fixture(scope="module")
def newer() -> Iterator[FakeZammad]:
    """One 7.0 server for the tests of the newer rules."""
    with FakeZammad(version="7.0") as server:
        yield server


def _as(server: FakeZammad, login: str) -> Api:
    return Api(server, (login, server.admin_password))


@pytest.mark.parametrize("path", ["/groups", "/groups/1", "/roles", "/roles/2"])
def test_an_agent_may_not_read_groups_or_roles_in_6_2(agent: Api, path: str) -> None:
    """groups_controller_policy.rb / roles_controller_policy.rb (6.2): ``default_permit!``
    of the admin permission covers ``index`` and ``show``; a controller denial is 403
    ``Not authorized (user)!``."""
    assert agent.error("GET", path) == (403, "Not authorized (user)!")


@pytest.mark.parametrize("path", ["/groups", "/roles/1"])
def test_a_customer_may_not_read_groups_or_roles_in_6_2(nicole: Api, path: str) -> None:
    """groups_controller_policy.rb / roles_controller_policy.rb (6.2): customers have
    neither admin permission."""
    assert nicole.error("GET", path) == (403, "Not authorized (user)!")


def test_an_admin_reads_groups_and_roles_in_6_2(api: Api) -> None:
    """groups_controller_policy.rb (6.2): ``admin.group`` (the Admin role has ``admin``)."""
    assert [group["name"] for group in api.ok("GET", "/groups")] == ["Users"]
    assert api.ok("GET", "/roles/1")["name"] == "Admin"


def test_an_agent_may_not_write_groups(agent: Api) -> None:
    """groups_controller_policy.rb: ``create``/``update``/``destroy`` need ``admin.group``
    in every release."""
    assert agent.error("POST", "/groups", json={"name": "Sales"}) == (
        403,
        "Not authorized (user)!",
    )
    assert agent.error("PUT", "/groups/1", json={"note": "x"})[0] == 403


def test_an_agent_reads_groups_and_roles_from_7_0(newer: FakeZammad) -> None:
    """groups_controller_policy.rb (6.6.x/7.0): ``permit! %i[index show], to:
    ['ticket.agent', ...]``; ``GroupPolicy::Scope`` gives agents every group."""
    agent = _as(newer, "agent@example.com")
    assert [group["name"] for group in agent.ok("GET", "/groups")] == ["Users"]
    assert agent.ok("GET", "/groups/1")["name"] == "Users"
    assert [role["name"] for role in agent.ok("GET", "/roles")] == ["Admin", "Agent", "Customer"]


def test_a_customer_reads_groups_from_7_0(newer: FakeZammad) -> None:
    """groups_controller_policy.rb (7.0): ``ticket.customer`` may index groups; with the
    setting ``customer_ticket_create_group_ids`` blank (a new install) the scope is all."""
    nicole = _as(newer, "nicole.braun@zammad.org")
    assert [group["name"] for group in nicole.ok("GET", "/groups")] == ["Users"]


def test_an_agent_still_may_not_write_roles_from_7_0(newer: FakeZammad) -> None:
    """roles_controller_policy.rb (7.0): ``default_permit!('admin.role')`` for the rest."""
    agent = _as(newer, "agent@example.com")
    assert agent.error("PUT", "/roles/3", json={"note": "x"}) == (403, "Not authorized (user)!")
