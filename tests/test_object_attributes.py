"""``client.object_attributes``: admins create, change and delete custom fields, then run the
migrations; and subclasses declaring custom fields for type checkers."""

from __future__ import annotations

from typing import Any

import pytest
from support import last, wire

from zammad_orm import Client
from zammad_orm.fields import Field
from zammad_orm.manager import Manager
from zammad_orm.resources import Ticket, User
from zammad_orm.resources.object_attributes import ObjectAttribute
from zammad_orm.testing import FakeZammad


def text_input() -> dict[str, Any]:
    """An input field's type and options (fresh each time: a saved object keeps tracking the
    containers it was given)."""
    return {"data_type": "input", "data_option": {"type": "text", "maxlength": 20}}


def new_attribute(client: Client, name: str = "customer_no") -> ObjectAttribute:
    return client.object_attributes.create(object=Ticket, name=name, display="No.", **text_input())


def test_creating_an_attribute_leaves_it_pending_until_the_migrations(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    attribute = new_attribute(zammad_client)
    assert last(zammad_server).json == {
        "object": "Ticket", "name": "customer_no", "display": "No.", **text_input()
    }  # fmt: skip
    assert attribute.to_create is True
    zammad_client.object_attributes.execute_migrations()
    assert zammad_client.object_attributes.get(attribute.id).to_create is False


def test_an_object_takes_a_resource_class_or_one_of_the_customizable_names(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    with pytest.raises(ValueError, match="object must be one of Group, Organization, Ticket"):
        zammad_client.object_attributes.create(object="TicketArticle", name="x", **text_input())
    assert zammad_server.requests == []


def test_the_attributes_of_one_object_come_by_position(zammad_client: Client) -> None:
    names = [attribute.name for attribute in zammad_client.object_attributes.of(User)]
    assert names[:3] == ["login", "firstname", "lastname"]


def test_changing_an_attribute_sends_what_zammad_finds_it_by(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    ident = new_attribute(zammad_client).id
    zammad_client.object_attributes.execute_migrations()
    with zammad_client.unit_of_work():
        zammad_client.object_attributes.invalidate()
        attribute = zammad_client.object_attributes.get(ident)  # a single GET lacks "object"
        attribute.display = "Customer number"
        attribute.save()
    sent = last(zammad_server).json
    assert sent is not None
    assert (sent["object"], sent["name"], sent["display"]) == (
        "Ticket",
        "customer_no",
        "Customer number",
    )
    assert zammad_client.object_attributes.get(ident).display == "Customer number"


def test_deleting_a_pending_attribute_removes_it_at_once(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    attribute = new_attribute(zammad_client)
    attribute.delete()
    assert "customer_no" not in [a.name for a in zammad_client.object_attributes.of("Ticket")]


def test_the_migrations_make_held_records_load_their_new_column(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    ticket = zammad_client.tickets.get(1)
    _ = ticket.title
    new_attribute(zammad_client)
    zammad_client.object_attributes.execute_migrations()
    zammad_server.clear_requests()
    assert ticket.customer_no is None
    assert wire(zammad_server) == [("GET", "/object_manager_attributes"), ("GET", "/tickets/1")]


def test_discarding_the_changes_drops_a_pending_attribute(zammad_client: Client) -> None:
    new_attribute(zammad_client)
    zammad_client.object_attributes.discard_changes()
    assert "customer_no" not in [a.name for a in zammad_client.object_attributes.of(Ticket)]


class MyTicket(Ticket):
    """A ticket with the install's custom field declared for type checkers."""

    customer_no = Field[str | None](doc="The customer's number.")


def test_a_registered_subclass_is_what_the_family_builds(
    zammad_server: FakeZammad, zammad_client: Client
) -> None:
    new_attribute(zammad_client)
    zammad_client.object_attributes.execute_migrations()
    client = Client(zammad_server.url, http_token=zammad_server.token, resource_classes=[MyTicket])
    tickets: Manager[MyTicket] = client.manager_for(MyTicket)
    assert tickets is client.tickets
    ticket = tickets.get(1)
    assert isinstance(ticket, MyTicket)
    ticket.update(customer_no="C-7")
    assert last(zammad_server).json == {"customer_no": "C-7"}


def test_a_class_that_is_no_subclass_of_its_family_is_refused(zammad_server: FakeZammad) -> None:
    class Stranger(User):
        manager_name = "tickets"

    with pytest.raises(TypeError, match="Stranger is no subclass of Ticket"):
        Client(zammad_server.url, http_token=zammad_server.token, resource_classes=[Stranger])


def test_manager_for_an_unregistered_subclass_says_how_to_register_it(
    zammad_client: Client,
) -> None:
    with pytest.raises(TypeError, match=r"pass Client\(\.\.\., resource_classes=\[MyTicket\]\)"):
        zammad_client.manager_for(MyTicket)
