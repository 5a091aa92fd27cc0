"""Dirty tracking and saving: minimal PUTs, nothing for clean objects, nothing lost on failure."""

from __future__ import annotations

import datetime as dt

import pytest
import requests
from support import NewTicket, last, wire

from zammad_orm import Client, ServerError, UnprocessableEntity, UnsavedResourceError
from zammad_orm.testing import FakeZammad

# -- tracking --------------------------------------------------------------------------------


def test_assignment_records_a_change(zammad_client: Client, new_ticket: NewTicket) -> None:
    ticket = zammad_client.tickets.get(new_ticket(title="Old"))
    ticket.title = "New"
    assert ticket.is_dirty
    assert ticket.changes == {"title": ("Old", "New")}


def test_assigning_the_original_back_unrecords_it(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets.get(new_ticket(title="Old"))
    ticket.title = "New"
    ticket.title = "Old"
    assert not ticket.is_dirty
    assert ticket.changes == {}


def test_reading_containers_does_not_mark_them_changed(zammad_client: Client) -> None:
    user = zammad_client.users.get(3)
    _ = user.preferences
    _ = user.role_ids
    _ = user.roles
    assert user.changes == {}


def test_in_place_dict_edit_is_detected(zammad_client: Client) -> None:
    user = zammad_client.users.get(2)
    before = dict(user.preferences)
    user.preferences["notification_sound"] = {"enabled": False}
    assert user.changes == {
        "preferences": (before, {**before, "notification_sound": {"enabled": False}})
    }


def test_in_place_list_edit_is_detected(zammad_client: Client) -> None:
    user = zammad_client.users.get(2)
    user.role_ids.append(2)
    old, new = user.changes["role_ids"]
    assert new == [*old, 2]


def test_edits_that_escape_proxies_are_detected(zammad_client: Client) -> None:
    user = zammad_client.users.get(2)
    user.preferences.setdefault("locale", "de-de")
    user.preferences.pop("locale")
    user.preferences.setdefault("locale", "fr-fr")
    assert "preferences" in user.changes


def test_discard_changes_restores_assigned_and_edited_fields(
    zammad_client: Client,
) -> None:
    user = zammad_client.users.get(2)
    before = dict(user.preferences)
    firstname = user.firstname
    user.firstname = "Someone"
    user.preferences["x"] = 1
    user.discard_changes()
    assert user.firstname == firstname
    assert user.preferences == before
    assert not user.is_dirty


def test_read_only_fields_refuse_assignment(zammad_client: Client) -> None:
    ticket = zammad_client.tickets(1)
    with pytest.raises(AttributeError, match="read-only"):
        ticket.number = "123"  # type: ignore[misc]


def test_unknown_attribute_assignment_is_refused_with_a_hint(zammad_client: Client) -> None:
    ticket = zammad_client.tickets.get(1)
    with pytest.raises(AttributeError, match=r"obj\['titel'\] = value"):
        ticket.titel = "typo"


def test_item_assignment_sends_any_field(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets(new_ticket())
    ticket["custom_field"] = "x"
    ticket.save()
    assert last(zammad_server).json == {"custom_field": "x"}


# -- saving ----------------------------------------------------------------------------------


def test_clean_save_sends_nothing(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets.get(new_ticket())
    zammad_server.clear_requests()
    ticket.save()
    assert zammad_server.requests == []


def test_save_sends_only_the_changed_field(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets.get(new_ticket())
    zammad_client.ticket_states.id_for("closed")  # the states table, asked once beforehand
    zammad_server.clear_requests()
    ticket.state = "closed"
    ticket.save()
    assert wire(zammad_server) == [("PUT", f"/tickets/{ticket.id}")]
    assert last(zammad_server).json == {"state_id": 4}


def test_unloaded_handle_saves_with_one_put_and_no_get(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets(new_ticket())
    ticket.title = "Blind edit"
    ticket.save()
    assert wire(zammad_server) == [("PUT", f"/tickets/{ticket.id}")]
    assert last(zammad_server).json == {"title": "Blind edit"}


def test_save_merges_the_reply_and_clears_changes(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets(new_ticket())
    ticket.title = "Merged"
    ticket.save()
    zammad_server.clear_requests()
    assert not ticket.is_dirty
    assert ticket.title == "Merged"
    assert ticket.number
    assert zammad_server.requests == []


def test_save_keeps_fields_the_reply_lacks(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket()
    ticket = zammad_client.tickets(
        ticket_id, info=zammad_client.get("tickets", ticket_id, params={"expand": True})
    )
    ticket.title = "Kept"
    ticket.save()
    assert ticket["group"] == "Users"


def test_in_place_edit_is_saved(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets.get(new_ticket())
    ticket.preferences["channel"] = "phone"
    ticket.save()
    assert last(zammad_server).json == {"preferences": {"channel": "phone"}}
    assert zammad_client.get("tickets", ticket.id)["preferences"]["channel"] == "phone"
    assert not ticket.is_dirty


def test_failed_save_keeps_every_change(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets.get(new_ticket(title="Old"))
    ticket.title = "New"
    ticket.preferences["x"] = 1
    zammad_server.fail_next(status=500, method="PUT")
    with pytest.raises(ServerError):
        ticket.save()
    assert ticket.changes["title"] == ("Old", "New")
    assert ticket.preferences["x"] == 1
    ticket.save()
    assert zammad_client.get("tickets", ticket.id)["title"] == "New"


def test_timed_out_save_keeps_every_change(
    zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    client = Client(zammad_server.url, http_token=zammad_server.token, timeout=0.3)
    ticket = client.tickets(new_ticket())
    ticket.title = "Slow"
    zammad_server.fail_next(status=0, delay=1.5, method="PUT")
    with pytest.raises(requests.Timeout):
        ticket.save()
    assert ticket.changes == {"title": (None, "Slow")}


def test_rejected_save_keeps_every_change(zammad_client: Client, new_ticket: NewTicket) -> None:
    ticket = zammad_client.tickets(new_ticket())
    ticket.owner = "nobody@nowhere.invalid"
    with pytest.raises(UnprocessableEntity):
        ticket.save()
    assert ticket.changes == {"owner": (None, "nobody@nowhere.invalid")}


def test_datetime_assignment_is_sent_in_zammads_format(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets(new_ticket())
    moment = dt.datetime(2030, 1, 2, 3, 4, 5, 678000, tzinfo=dt.timezone.utc)
    ticket.pending_time = moment
    ticket.save()
    assert last(zammad_server).json == {"pending_time": "2030-01-02T03:04:05.678Z"}
    assert ticket.pending_time == moment


# -- creating, updating, deleting ------------------------------------------------------------


def test_new_builds_an_unsaved_object_without_requests(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    zammad_server.clear_requests()
    ticket = zammad_client.tickets.new(title="Draft", customer_id=2)
    assert ticket.is_new
    assert ticket.id is None
    assert zammad_server.requests == []


def test_save_of_a_new_object_posts_it_and_caches_it(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    ticket = zammad_client.tickets.new(title="Posted", customer_id=2, group_id=1)
    ticket.save()
    assert wire(zammad_server)[-1] == ("POST", "/tickets")
    assert last(zammad_server).json == {"title": "Posted", "customer_id": 2, "group_id": 1}
    assert not ticket.is_new
    assert zammad_client.tickets(ticket.id) is ticket


def test_create_posts_names_and_the_article(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    ticket = zammad_client.tickets.create(
        title="Created",
        group="Users",
        customer="nicole.braun@zammad.org",
        article={"body": "Hello"},
    )
    assert last(zammad_server).json == {
        "title": "Created",
        "group_id": 1,
        "customer": "nicole.braun@zammad.org",
        "article": {"body": "Hello"},
    }
    assert ticket.customer is not None
    assert ticket.customer.id == 2
    assert ticket.article_count == 1


def test_write_only_keys_are_not_kept_after_create(zammad_client: Client) -> None:
    ticket = zammad_client.tickets.create(
        title="Write-only", group="Users", customer="nicole.braun@zammad.org", article={"body": "x"}
    )
    assert "article" not in ticket
    assert "customer" not in ticket
    assert ticket.customer is not None
    assert ticket.customer.id == 2


def test_failed_create_keeps_the_object_new_with_its_fields(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    ticket = zammad_client.tickets.new(title="No group", customer_id=2)
    with pytest.raises(UnprocessableEntity):
        ticket.save()
    assert ticket.is_new
    assert ticket.changes == {"title": (None, "No group"), "customer_id": (None, 2)}
    ticket.group = "Users"
    ticket.save()
    assert not ticket.is_new


def test_update_changes_and_saves_at_once(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets(new_ticket())
    ticket.update(title="Immediately")
    assert wire(zammad_server) == [("PUT", f"/tickets/{ticket.id}")]
    assert last(zammad_server).json == {"title": "Immediately"}


def test_manager_update_needs_no_get(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket()
    zammad_client.tickets.update(ticket_id, note="noted")
    assert wire(zammad_server) == [("PUT", f"/tickets/{ticket_id}")]
    assert zammad_client.tickets(ticket_id).note == "noted"


def test_delete_sends_delete_and_evicts(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets.get(new_ticket())
    ticket.delete()
    assert wire(zammad_server)[-1] == ("DELETE", f"/tickets/{ticket.id}")
    assert zammad_client.tickets(ticket.id) is not ticket


def test_a_deleted_object_refuses_further_writes(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets.get(new_ticket())
    ticket.delete()
    with pytest.raises(UnsavedResourceError):
        ticket.title = "ghost"
    with pytest.raises(UnsavedResourceError):
        ticket.delete()


def test_manager_delete(zammad_client: Client, zammad_server: FakeZammad) -> None:
    organization = zammad_client.organizations.create(name="Short-lived")
    zammad_client.organizations.delete(organization.id)
    assert wire(zammad_server)[-1] == ("DELETE", f"/organizations/{organization.id}")


def test_roles_cannot_be_deleted(zammad_client: Client) -> None:
    with pytest.raises(TypeError, match="no delete"):
        zammad_client.roles.delete(3)


def test_saving_a_ticket_whose_relation_is_unsaved_names_the_unsaved_object(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    ticket = zammad_client.tickets.new(title="x", group="Users", customer_id=2)
    ticket.organization = zammad_client.organizations.new(name="Not yet")
    zammad_server.clear_requests()
    with pytest.raises(UnsavedResourceError, match=r"Not yet.*not saved yet"):
        ticket.save()
    assert zammad_server.requests == []
