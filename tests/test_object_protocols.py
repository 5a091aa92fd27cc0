"""dir(), copy, pickle and freshness of resource objects."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import pytest

from zammad_orm import Client, signals
from zammad_orm.resources import Ticket
from zammad_orm.testing import FakeZammad


def test_dir_lists_declared_and_held_fields(zammad_client: Client) -> None:
    ticket = zammad_client.tickets.get(1)
    names = dir(ticket)
    assert {"title", "state", "save", "state_id", "article_count"} <= set(names)
    assert names == sorted(names)


@pytest.mark.parametrize("protocol", [copy.copy, copy.deepcopy, pickle.dumps])
def test_copying_or_pickling_an_object_is_refused_with_what_to_do(
    zammad_client: Client, protocol: object
) -> None:
    ticket = zammad_client.tickets.get(1)
    with pytest.raises(TypeError, match=r"obj\.view\(\) \(a plain dict\).*client\.tickets\(id"):
        protocol(ticket)  # type: ignore[operator]


def test_the_view_of_an_object_pickles_and_gives_the_object_back(zammad_client: Client) -> None:
    ticket = zammad_client.tickets.get(1)
    data = pickle.loads(pickle.dumps(ticket.view()))
    assert zammad_client.tickets(data["id"], info=data) is ticket


def test_age_counts_from_when_the_data_arrived(zammad_server: FakeZammad) -> None:
    now = [100.0]
    client = Client(zammad_server.url, http_token=zammad_server.token, timer=lambda: now[0])
    handle = client.tickets(1)
    assert handle.age is None
    handle.reload()
    now[0] += 7.5
    assert handle.age == 7.5


def test_saved_objects_are_hashable_by_family_and_id(zammad_client: Client) -> None:
    ticket, user = zammad_client.tickets(1), zammad_client.users(1)
    assert {ticket: "t", user: "u"}[zammad_client.tickets(1)] == "t"


def test_an_unsaved_object_is_unhashable(zammad_client: Client) -> None:
    with pytest.raises(TypeError, match="an unsaved Ticket is unhashable"):
        hash(zammad_client.tickets.new(title="x"))


def test_reprs_name_the_family_and_never_load(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    assert repr(zammad_client.tickets(1)) == "<Ticket id=1>"
    assert repr(zammad_client.tags) == f"<Tags '{zammad_client.url}/tags'>"
    assert repr(zammad_client.roles) == f"<Roles '{zammad_client.url}/roles'>"
    assert repr(zammad_client) == f"<Client '{zammad_client.url}' auth=token>"
    assert zammad_server.requests == []


def test_a_client_closes_its_session_on_leaving_a_with_block(zammad_server: FakeZammad) -> None:
    closed: list[bool] = []
    with Client(zammad_server.url, http_token=zammad_server.token) as client:
        client.session.close = lambda: closed.append(True)  # type: ignore[method-assign]
        assert client.users.me().id == 3
    assert closed == [True]


def test_receivers_get_an_object_created_in_the_same_commit_as_itself(
    zammad_client: Client,
) -> None:
    received: list[dict[str, tuple[object, object]]] = []

    def receiver(sender: object, **kwargs: Any) -> None:
        received.append(kwargs["changes"])

    signals.updated.connect(receiver, sender=Ticket)
    ticket = zammad_client.tickets.get(1)
    with zammad_client.unit_of_work() as work:
        ticket = zammad_client.tickets.get(1)
        customer = zammad_client.users.new(firstname="New", email="new@example.com")
        ticket.customer = customer
        work.commit()
    assert received[0]["customer_id"][1] is customer
