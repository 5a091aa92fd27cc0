"""Every resource class declares typed fields for what Zammad 6.2 sends, and a user script
using them (tests/data/typed_example.py) passes ``mypy --strict``."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from mypy import api as mypy_api

from zammad_orm import Client
from zammad_orm.resource import Resource
from zammad_orm.resources import Group, Notification, Organization, Priority, Role, State, User
from zammad_orm.resources.time_accountings import TimeAccounting, TimeAccountingType
from zammad_orm.testing import FakeZammad

DATA = Path(__file__).parent / "data"
SAMPLES = DATA / "zammad-6.2-samples"
EXAMPLE = DATA / "typed_example.py"

#: the recorded replies of each class (a list reply counts each record)
REPLIES: dict[type[Resource], list[str]] = {
    User: ["get_users_id_200", "get_users_me_200", "post_users_201"],
    Organization: ["post_organizations_201"],
    Group: ["get_groups_id_200", "post_groups_201"],
    Role: ["get_roles_id_200", "get_roles_id_expand_200", "get_roles_200", "post_roles_201"],
    State: ["get_ticket_states_id_200", "post_ticket_states_201", "put_ticket_states_id_200"],
    Priority: ["get_ticket_priorities_id_200", "post_ticket_priorities_201"],
    Notification: ["get_online_notifications_expand_200", "get_online_notifications_id_expand_200"],
    TimeAccounting: ["get_time_accountings_id_200", "post_time_accountings_201"],
    TimeAccountingType: ["get_time_accounting_types_200", "post_time_accounting_types_201"],
}


def records(sample: str) -> list[dict[str, Any]]:
    reply = json.loads((SAMPLES / f"{sample}.json").read_text())["response"]["json"]
    return reply if isinstance(reply, list) else [reply]


def undeclared(cls: type[Resource], record: dict[str, Any]) -> set[str]:
    """Keys of ``record`` that ``cls`` declares neither as a field, a relation (id or
    expanded name) nor a property."""
    return {
        key
        for key in record
        if key not in cls._declared_keys
        and key not in cls._name_keys
        and not isinstance(getattr(cls, key, None), property)
    }


@pytest.mark.parametrize("cls", list(REPLIES), ids=lambda cls: cls.__name__)
def test_every_field_zammad_sends_is_declared(cls: type[Resource]) -> None:
    missing = {
        key for sample in REPLIES[cls] for r in records(sample) for key in undeclared(cls, r)
    }
    assert missing == set()


def test_the_typed_example_passes_mypy_strict() -> None:
    stdout, stderr, status = mypy_api.run(["--strict", "--no-error-summary", str(EXAMPLE)])
    assert (stdout, stderr, status) == ("", "", 0)


def test_the_typed_example_runs(zammad_server: FakeZammad) -> None:
    spec = importlib.util.spec_from_file_location("typed_example", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    client = Client(
        zammad_server.url, http_token=zammad_server.token, resource_classes=[module.MyTicket]
    )
    seen = module.run(client)
    assert (seen["number"], seen["access"], seen["state_type"]) == (None, ["full"], "closed")
    assert "ticket.agent" in seen["permissions"]
    assert seen["refused"] is True
