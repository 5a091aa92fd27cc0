"""Lazy loading: handles cost nothing, the first read of a missing field costs one GET."""

from __future__ import annotations

import pytest
from support import NewTicket, wire

from zammad_orm import Client, NotFound
from zammad_orm.testing import FakeZammad


def test_handle_makes_no_request(zammad_client: Client, zammad_server: FakeZammad) -> None:
    zammad_server.clear_requests()
    zammad_client.tickets(1)
    assert zammad_server.requests == []


def test_first_read_makes_one_get_and_later_reads_none(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets(new_ticket(title="Lazy"))
    assert ticket.title == "Lazy"
    assert ticket.number
    assert ticket.created_at is not None
    assert ticket["state_id"] == 1
    assert wire(zammad_server) == [("GET", f"/tickets/{ticket.id}")]


def test_id_of_a_handle_needs_no_request(zammad_client: Client, zammad_server: FakeZammad) -> None:
    zammad_server.clear_requests()
    assert zammad_client.tickets(1).id == 1
    assert zammad_server.requests == []


def test_repr_never_loads(zammad_client: Client, zammad_server: FakeZammad) -> None:
    zammad_server.clear_requests()
    assert repr(zammad_client.tickets(1)) == "<Ticket id=1>"
    assert zammad_server.requests == []


def test_repr_shows_the_label_once_known(zammad_client: Client) -> None:
    ticket = zammad_client.tickets.get(1)
    assert repr(ticket) == f"<Ticket id=1 title={ticket.title!r}>"


def test_reading_a_missing_record_raises_not_found(zammad_client: Client) -> None:
    with pytest.raises(NotFound):
        _ = zammad_client.tickets(999_999).title


def test_a_404_evicts_the_handle_from_the_cache(zammad_client: Client) -> None:
    handle = zammad_client.tickets(999_999)
    with pytest.raises(NotFound):
        _ = handle.title
    assert zammad_client.tickets(999_999) is not handle


def test_get_loads_at_once(zammad_client: Client, zammad_server: FakeZammad) -> None:
    zammad_server.clear_requests()
    ticket = zammad_client.tickets.get(1)
    assert ticket.is_loaded
    assert wire(zammad_server) == [("GET", "/tickets/1")]


def test_get_of_a_missing_record_raises_not_found(zammad_client: Client) -> None:
    with pytest.raises(NotFound):
        zammad_client.ticket_states.get(999)


def test_info_form_holds_data_without_a_request(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    zammad_server.clear_requests()
    ticket = zammad_client.tickets(77, info={"title": "From elsewhere"})
    assert ticket.title == "From elsewhere"
    assert zammad_server.requests == []


def test_page_data_fills_the_cache(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket(title="On a page")
    listed = {ticket.id: ticket for ticket in zammad_client.tickets.iter(per_page=100)}
    zammad_server.clear_requests()
    handle = zammad_client.tickets(ticket_id)
    assert handle is listed[ticket_id]
    assert handle.title == "On a page"
    assert zammad_server.requests == []


def test_reload_fetches_again(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets.get(new_ticket(title="Before"))
    zammad_client.put("tickets", ticket.id, json={"title": "After"})
    ticket.reload()
    assert ticket.title == "After"


def test_reload_keeps_unsaved_changes(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets.get(new_ticket(title="Before"))
    ticket.title = "Mine"
    zammad_client.put("tickets", ticket.id, json={"title": "Theirs", "note": "theirs too"})
    ticket.reload()
    assert ticket.title == "Mine"
    assert ticket.note == "theirs too"
    assert ticket.changes == {"title": ("Theirs", "Mine")}


def test_reload_can_discard_unsaved_changes(zammad_client: Client, new_ticket: NewTicket) -> None:
    ticket = zammad_client.tickets.get(new_ticket(title="Server"))
    ticket.title = "Mine"
    ticket.reload(discard_changes=True)
    assert ticket.title == "Server"
    assert not ticket.is_dirty


def test_view_is_a_plain_copy_with_pending_changes(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets.get(new_ticket(title="Viewed"))
    ticket.title = "Changed"
    view = ticket.view()
    assert isinstance(view, dict)
    assert view["title"] == "Changed"
    view["preferences"]["touched"] = True
    assert "touched" not in ticket.preferences


def test_getitem_reads_raw_json(zammad_client: Client) -> None:
    ticket = zammad_client.tickets.get(1)
    assert ticket["created_at"].endswith("Z")
    with pytest.raises(KeyError):
        _ = ticket["no_such_field"]


def test_undeclared_fields_the_server_sends_are_attributes(zammad_client: Client) -> None:
    user = zammad_client.users.get(3)
    assert user.authorization_ids == []


def test_an_undeclared_attribute_of_a_handle_raises_without_loading_it(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    zammad_server.clear_requests()
    ticket = zammad_client.tickets(1)
    with pytest.raises(AttributeError, match="no field 'titel'; did you mean 'title'"):
        _ = ticket.titel
    assert not hasattr(ticket, "titel")
    assert wire(zammad_server) == [("GET", "/object_manager_attributes")]  # never the ticket


def test_an_undeclared_server_field_is_read_with_brackets(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    zammad_server.clear_requests()
    ticket = zammad_client.tickets(1)
    with pytest.raises(KeyError):
        _ = ticket["titel"]
    assert wire(zammad_server) == [("GET", "/tickets/1")]


def test_datetime_fields_are_timezone_aware(zammad_client: Client) -> None:
    created = zammad_client.tickets.get(1).created_at
    assert created is not None
    assert created.utcoffset() is not None
