"""Time accountings and their activity types: types as a lookup table, a booking's type by
object, id or name."""

from __future__ import annotations

import pytest
from support import NewTicket, last, wire

from zammad_orm import Client, ResourceLookupError
from zammad_orm.resources.time_accountings import TimeAccountingType
from zammad_orm.testing import FakeZammad


@pytest.fixture
def billable(zammad_client: Client, zammad_server: FakeZammad) -> int:
    """The id of a type ``Billable`` (raw request, cleared)."""
    ident = int(zammad_client.post("time_accounting/types", json={"name": "Billable"})["id"])
    zammad_client.post("time_accounting/types", json={"name": "Research"})
    zammad_server.clear_requests()
    return ident


def test_types_are_created_and_listed(zammad_client: Client) -> None:
    created = zammad_client.time_accountings.types.create(name="Travel", note="on the road")
    assert [kind.name for kind in zammad_client.time_accountings.types] == ["Travel"]
    assert created.active is True


def test_a_type_is_changed_with_a_partial_update(
    zammad_client: Client, billable: int, zammad_server: FakeZammad
) -> None:
    kind = zammad_client.time_accountings.types.by_name("Billable")
    kind.update(note="invoiced")
    assert (last(zammad_server).method, last(zammad_server).endpoint) == (
        "PUT",
        f"/time_accounting/types/{billable}",
    )
    assert last(zammad_server).json == {"note": "invoiced"}


def test_reading_a_type_reads_the_list_as_zammad_has_no_single_type_request(
    zammad_client: Client, billable: int, zammad_server: FakeZammad
) -> None:
    assert zammad_client.time_accountings.types(billable).name == "Billable"
    assert wire(zammad_server) == [("GET", "/time_accounting/types")]


def test_a_type_cannot_be_deleted_and_says_why(
    zammad_client: Client, billable: int, zammad_server: FakeZammad
) -> None:
    with pytest.raises(TypeError, match="never deletes time accounting types; set active"):
        zammad_client.time_accountings.types(billable).delete()
    assert zammad_server.requests == []


@pytest.mark.parametrize("given", ["Billable", "id", "object"])
def test_a_booking_takes_its_type_by_name_id_or_object(
    zammad_client: Client, billable: int, new_ticket: NewTicket, given: str
) -> None:
    kind = {
        "Billable": "Billable",
        "id": billable,
        "object": zammad_client.time_accountings.types(billable),
    }[given]
    booking = zammad_client.time_accountings.create(ticket=new_ticket(), time_unit=1.5, type=kind)
    assert booking["type_id"] == billable
    assert isinstance(booking.type, TimeAccountingType)
    assert booking.type.name == "Billable"
    assert booking.time_unit == "1.5"


def test_an_unknown_type_name_is_refused_before_sending(
    zammad_client: Client, billable: int, new_ticket: NewTicket, zammad_server: FakeZammad
) -> None:
    ticket = new_ticket()
    with pytest.raises(ResourceLookupError, match="'Billable', 'Research'"):
        zammad_client.time_accountings.create(ticket=ticket, time_unit="1", type="Billabel")
    assert {method for method, _ in wire(zammad_server)} == {"GET"}


def test_a_booking_is_changed_and_listed(
    zammad_client: Client, billable: int, new_ticket: NewTicket, zammad_server: FakeZammad
) -> None:
    booking = zammad_client.time_accountings.create(ticket=new_ticket(), time_unit="2")
    booking.type = "Research"
    booking.time_unit = 2.25
    booking.save()
    assert last(zammad_server).json == {"type_id": billable + 1, "time_unit": "2.25"}
    assert [b.time_unit for b in zammad_client.time_accountings] == ["2.25"]


def test_a_time_unit_that_is_no_number_is_refused(zammad_client: Client) -> None:
    with pytest.raises(TypeError, match="takes a number or a decimal string"):
        zammad_client.time_accountings.new(time_unit=True)
