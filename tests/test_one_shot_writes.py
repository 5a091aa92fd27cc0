"""One-shot writes are all or nothing: a refused value or a refused write leaves the object
exactly as it was before the call."""

from __future__ import annotations

import pytest
from support import NewTicket, last, wire

from zammad_orm import Client, ResourceLookupError, UnprocessableEntity
from zammad_orm.testing import FakeZammad


def test_an_unknown_name_in_manager_update_leaves_nothing_pending(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket()
    with pytest.raises(ResourceLookupError, match="No Such Group"):
        zammad_client.tickets.update(ticket_id, state="closed", group="No Such Group")
    assert not zammad_client.tickets(ticket_id).is_dirty
    zammad_server.clear_requests()
    zammad_client.tickets.update(ticket_id, title="x")
    assert last(zammad_server).json == {"title": "x"}


def test_a_refused_manager_update_is_not_sent_again(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket()
    with pytest.raises(UnprocessableEntity):
        zammad_client.tickets.update(ticket_id, owner="typo@example.com")
    zammad_server.clear_requests()
    zammad_client.tickets.update(ticket_id, title="Fine")
    assert last(zammad_server).json == {"title": "Fine"}


def test_manager_update_sends_only_its_fields_and_keeps_the_units_changes(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket()
    draft = zammad_client.tickets(ticket_id)
    draft.title = "Draft"
    zammad_client.tickets.update(ticket_id, state="open")
    assert last(zammad_server).json == {"state_id": 2}
    assert draft.changes == {"title": ("Test ticket", "Draft")}


def test_manager_update_keeps_an_in_place_edit_pending(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket()
    ticket = zammad_client.tickets.get(ticket_id)
    ticket.preferences["mine"] = 1
    zammad_client.tickets.update(ticket_id, state="open")
    assert last(zammad_server).json == {"state_id": 2}
    assert ticket.changes["preferences"][1] == {"mine": 1}


def test_a_failed_obj_update_leaves_only_the_earlier_changes(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets.get(new_ticket())
    ticket.note = "earlier"
    with pytest.raises(ResourceLookupError):
        ticket.update(title="New", state="No such state")
    assert ticket.changes == {"note": (None, "earlier")}


def test_an_obj_update_refused_by_the_server_leaves_only_the_earlier_changes(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets.get(new_ticket())
    ticket.note = "earlier"
    zammad_server.fail_next(status=422, method="PUT")
    with pytest.raises(UnprocessableEntity):
        ticket.update(title="Refused")
    assert ticket.changes == {"note": (None, "earlier")}
    assert ticket.title == "Test ticket"


def test_a_failed_obj_update_puts_back_an_in_place_edit(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets.get(new_ticket())
    prefs = ticket.preferences
    prefs["kept"] = 1
    zammad_server.fail_next(status=500, method="PUT")
    with pytest.raises(Exception, match=r"500|Internal"):
        ticket.update(title="Refused")
    assert ticket.preferences is prefs
    assert prefs == {"kept": 1}
    assert set(ticket.changes) == {"preferences"}


def test_a_wrong_type_in_update_is_refused_before_anything_is_sent(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket()
    with pytest.raises(TypeError, match=r"Ticket.title takes str, got 42"):
        zammad_client.tickets.update(ticket_id, state="open", title=42)
    assert "PUT" not in [method for method, _endpoint in wire(zammad_server)]
    assert not zammad_client.tickets(ticket_id).is_dirty


def test_a_misspelt_field_in_create_raises_like_an_assignment(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    with pytest.raises(AttributeError, match="no field 'mobil'; did you mean 'mobile'"):
        zammad_client.users.create(firstname="Ann", email="ann@example.com", mobil="+49 1")
    # only the custom field list is read (to know mobil is none of them); nothing is written
    assert wire(zammad_server) == [("GET", "/object_manager_attributes")]
    assert zammad_client.current_unit_of_work().pending == []


def test_a_misspelt_field_in_new_adds_nothing_to_the_unit(zammad_client: Client) -> None:
    with pytest.raises(AttributeError, match="titel"):
        zammad_client.tickets.new(titel="x")
    assert zammad_client.current_unit_of_work().pending == []


def test_a_create_refused_by_the_server_leaves_nothing_in_the_unit(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    zammad_server.fail_next(status=422, method="POST")
    with pytest.raises(UnprocessableEntity):
        zammad_client.tickets.create(title="x", group="Users", customer_id=2)
    assert zammad_client.current_unit_of_work().pending == []


def test_raw_keys_still_send_fields_the_library_does_not_declare(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets(new_ticket())
    ticket["custom_field"] = "value"
    ticket.save()
    assert last(zammad_server).json == {"custom_field": "value"}
