"""dir(), copy, pickle and freshness of resource objects."""

from __future__ import annotations

import copy
import pickle

import pytest

from zammad_orm import Client
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
