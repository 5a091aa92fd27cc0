"""Change tracking guarantees: each test is a defect an adversarial review found, fixed.

Every test counts what went over the wire through the fake server's request log.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from typing import Any

import pytest
import requests
from support import NewTicket, last, wire

from zammad_orm import Client, signals
from zammad_orm.resource import Resource
from zammad_orm.resources.tickets import Ticket
from zammad_orm.testing import FakeZammad

# -- containers ----------------------------------------------------------------------------------


def test_a_held_dict_stays_tracked_after_save(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    user = zammad_client.users.get(3)
    prefs = user.preferences
    prefs["a"] = 1
    user.save()
    prefs["b"] = 2
    user.save()
    assert user.preferences is prefs
    assert last(zammad_server).json["preferences"] == {**prefs}
    assert {"a", "b"} <= set(zammad_client.get("users", 3)["preferences"])


def test_an_edit_of_a_merged_container_sends_only_the_changed_keys(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets.get(new_ticket(preferences={"theirs": 1}))
    ticket.preferences["mine"] = 2
    ticket.save()
    assert last(zammad_server).json == {"preferences": {"mine": 2}}
    assert ticket.preferences == {"theirs": 1, "mine": 2}
    assert not ticket.is_dirty


def test_an_assigned_dict_stays_tracked_after_save(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets.get(new_ticket())
    prefs = {"a": 1}
    ticket.preferences = prefs
    ticket.save()
    prefs["b"] = 2
    assert ticket.preferences is prefs
    ticket.save()
    assert last(zammad_server).json == {"preferences": {"b": 2}}
    assert zammad_client.get("tickets", ticket.id)["preferences"] == {"a": 1, "b": 2}


def test_relation_lists_refuse_in_place_edits_with_the_way_to_do_it(
    zammad_client: Client,
) -> None:
    user = zammad_client.users.get(2)
    role = zammad_client.roles.by_name("Agent")
    with pytest.raises(TypeError, match=r"assign a new list.*obj.roles = \[\*obj.roles"):
        user.roles.append(role)  # type: ignore[attr-defined]
    assert not user.is_dirty


def test_reload_then_discard_shows_the_servers_container_values(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets.get(new_ticket())
    ticket.preferences["mine"] = 1
    zammad_client.put("tickets", ticket.id, json={"preferences": {"theirs": 2}})
    ticket.reload()
    ticket.discard_changes()
    assert ticket.preferences == {"theirs": 2}
    assert not ticket.is_dirty
    ticket.preferences["later"] = 3
    zammad_server.clear_requests()
    ticket.save()
    assert last(zammad_server).json == {"preferences": {"later": 3}}
    assert ticket.preferences == {"theirs": 2, "later": 3}


def test_an_edit_laid_over_another_writers_keys_keeps_them(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    user = zammad_client.users.get(2)
    user.preferences["mine"] = 1
    zammad_client.put("users", 2, json={"preferences": {**user.preferences, "theirs": 2}})
    user.reload()
    assert user.preferences["theirs"] == 2
    assert user.preferences["mine"] == 1


def test_true_and_1_inside_containers_are_different_changes(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket(preferences={"flag": 1})
    ticket = zammad_client.tickets.get(ticket_id)
    ticket.preferences["flag"] = True
    assert ticket.is_dirty
    ticket.save()
    assert last(zammad_server).json == {"preferences": {"flag": True}}


# -- loading -------------------------------------------------------------------------------------


def test_users_me_does_not_mark_the_user_loaded(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    zammad_client.put("users", 3, json={"note": "real note"})
    me = zammad_client.users.me()
    zammad_server.clear_requests()
    assert zammad_client.users.get(me.id).note == "real note"
    assert wire(zammad_server) == [("GET", "/users/3")]


def test_appending_to_a_note_after_me_keeps_the_real_note(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    zammad_client.put("users", 3, json={"note": "real note"})
    user = zammad_client.users.me()
    user.note = (user.note or "") + "x"
    user.save()
    assert last(zammad_server).json == {"note": "real notex"}


def test_hasattr_on_a_handle_never_loads_it(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    zammad_server.clear_requests()
    assert not hasattr(zammad_client.tickets(1), "no_such_field")
    assert not hasattr(zammad_client.tickets(2), "no_such_field")
    # the custom field list is read once per cache lifetime; the tickets never
    assert [request.path for request in zammad_server.requests] == [
        "/api/v1/object_manager_attributes"
    ]


def test_info_is_copied_not_kept(zammad_client: Client) -> None:
    info: dict[str, Any] = {"preferences": {"a": 1}}
    ticket = zammad_client.tickets(1, info=info)
    info["preferences"]["a"] = 2
    assert ticket.preferences == {"a": 1}


# -- expanded names ------------------------------------------------------------------------------


def test_an_expanded_name_follows_a_pending_id(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket()
    expanded = zammad_client.get("tickets", ticket_id, params={"expand": True})
    ticket = zammad_client.tickets(ticket_id, info=expanded)
    assert ticket["state"] == "new"
    ticket.state = "open"
    assert ticket["state"] == "open"


def test_expanded_role_names_follow_pending_role_ids(zammad_client: Client) -> None:
    expanded = zammad_client.get("users", 2, params={"expand": True})
    user = zammad_client.users(2, info=expanded)
    assert user["roles"] == ["Customer"]
    user.roles = ["Agent", "Customer"]
    assert user["roles"] == ["Agent", "Customer"]


def test_an_expanded_name_is_dropped_when_fresh_data_moves_the_id(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket()
    expanded = zammad_client.get("tickets", ticket_id, params={"expand": True})
    ticket = zammad_client.tickets(ticket_id, info=expanded)
    zammad_client.put("tickets", ticket_id, json={"state_id": 2})
    ticket.reload()
    assert ticket["state"] == "open"


# -- dates ---------------------------------------------------------------------------------------


def test_date_only_columns_are_dates(zammad_client: Client, zammad_server: FakeZammad) -> None:
    user = zammad_client.users.get(3)
    user.out_of_office_start_at = dt.date(2024, 1, 12)
    user.out_of_office_end_at = dt.date(2024, 1, 19)
    user.save()
    assert last(zammad_server).json == {
        "out_of_office_start_at": "2024-01-12",
        "out_of_office_end_at": "2024-01-19",
    }
    reread = zammad_client.users.get(3).reload()
    assert reread.out_of_office_start_at == dt.date(2024, 1, 12)
    reread.out_of_office_start_at = reread.out_of_office_start_at
    assert not reread.is_dirty


def test_a_datetime_for_a_date_column_is_refused(zammad_client: Client) -> None:
    moment = dt.datetime(2024, 1, 12, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    with pytest.raises(TypeError, match=r"datetime.date.*value.date\(\)"):
        zammad_client.users(3).out_of_office_start_at = moment  # type: ignore[assignment]


# -- relations -----------------------------------------------------------------------------------


def test_relations_refuse_objects_of_another_client(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    other = Client(zammad_server.url, http_token=zammad_server.token)
    with pytest.raises(ValueError, match="another Client"):
        zammad_client.tickets(1).group = other.groups(1)


def test_renaming_a_lookup_record_refreshes_its_name(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets.get(new_ticket())
    assert ticket.group is not None
    assert ticket.group.name == "Users"
    group = zammad_client.groups.get(1)
    group.name = "Customers"
    group.save()
    ticket.group = "Customers"  # the same group by its new name: no change
    assert ticket.changes == {}
    with pytest.raises(LookupError, match="'Users'"):
        ticket.group = "Users"


def test_a_created_lookup_record_resolves_without_a_refused_name(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    zammad_client.ticket_states.id_for("open")  # the names are read once
    created = zammad_client.ticket_states.create(name="waiting", state_type_id=2)
    zammad_server.clear_requests()
    assert zammad_client.ticket_states.id_for("waiting") == created.id
    assert wire(zammad_server) == [("GET", "/ticket_states")]


def test_names_resolve_as_the_objects_user(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    with zammad_client.impersonation_of("agent@example.com"):
        ticket = zammad_client.tickets(1)
    zammad_server.clear_requests()
    ticket.state = "open"
    listing = zammad_server.requests[0]
    assert listing.endpoint == "/ticket_states"
    assert listing.headers.get("x-on-behalf-of") == "agent@example.com"


def test_assigning_the_current_owner_by_name_changes_nothing(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets.get(new_ticket(owner_id=3))
    ticket.owner = "admin@example.com"
    assert ticket.changes == {}
    zammad_server.clear_requests()
    ticket.save()
    assert [r.method for r in zammad_server.requests] == []


def test_a_new_owner_by_name_reports_the_old_owner(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets.get(new_ticket(owner_id=3))
    ticket.owner = "agent@example.com"
    old, new = ticket.changes["owner"]
    assert (old, new) == ("admin@example.com", "agent@example.com")


def test_replying_through_update_needs_no_get(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets(new_ticket())
    ticket.update(article={"body": "Reply", "type": "note", "internal": True})
    assert wire(zammad_server) == [("PUT", f"/tickets/{ticket.id}")]
    assert last(zammad_server).json == {
        "article": {"body": "Reply", "type": "note", "internal": True}
    }
    assert "article" not in ticket


# -- concurrency ---------------------------------------------------------------------------------


class _SignalledAdapter(requests.adapters.HTTPAdapter):
    """Sets ``sent`` as a request leaves, so a test can act while it is in flight."""

    def __init__(self) -> None:
        super().__init__()
        self.sent = threading.Event()

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        self.sent.set()
        return super().send(request, **kwargs)


def _run_together(*jobs: Any) -> None:
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job: Any) -> None:
        barrier.wait()
        try:
            job()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def test_two_threads_saving_one_object_send_it_once(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket = zammad_client.tickets(new_ticket())
    ticket.article = {"body": "Once", "type": "note"}
    zammad_server.latency = 0.05
    _run_together(ticket.save, ticket.save)
    assert wire(zammad_server) == [("PUT", f"/tickets/{ticket.id}")]


def test_two_threads_saving_one_new_object_create_it_once(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    ticket = zammad_client.tickets.new(title="Once", group="Users", customer_id=2)
    zammad_server.clear_requests()
    zammad_server.latency = 0.05
    _run_together(ticket.save, ticket.save)
    assert wire(zammad_server) == [("POST", "/tickets")]


def test_an_assigned_dict_edited_while_its_save_is_in_flight_keeps_the_edit(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    adapter = _SignalledAdapter()
    zammad_client.session.mount("http://", adapter)
    ticket = zammad_client.tickets.get(new_ticket())
    prefs = {"sent": 1}
    ticket.preferences = prefs
    zammad_server.fail_next(status=0, delay=0.2, method="PUT")
    adapter.sent.clear()
    saver = threading.Thread(target=ticket.save)
    saver.start()
    adapter.sent.wait(5)
    prefs["late"] = 2
    saver.join()
    assert ticket.changes == {"preferences": ({"sent": 1}, {"sent": 1, "late": 2})}


def test_concurrent_resolvers_of_one_name_send_one_list_request(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    zammad_server.latency = 0.05
    _run_together(*[lambda: zammad_client.ticket_states.id_for("open")] * 8)
    assert wire(zammad_server) == [("GET", "/ticket_states")]


def test_concurrent_views_of_one_handle_send_one_get(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    handle = zammad_client.tickets(1)
    zammad_server.latency = 0.05
    _run_together(*[handle.view] * 4)
    assert wire(zammad_server) == [("GET", "/tickets/1")]


def test_threads_with_their_own_units_share_one_get(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    zammad_server.latency = 0.05
    _run_together(*[lambda: zammad_client.tickets(1).title] * 4)
    assert wire(zammad_server) == [("GET", "/tickets/1")]


# -- signals -------------------------------------------------------------------------------------


def test_a_raising_created_receiver_does_not_fail_the_create(
    zammad_client: Client, zammad_server: FakeZammad, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(sender: type[Resource], **kwargs: Any) -> None:
        raise RuntimeError("receiver bug")

    signals.created.connect(broken, sender=Ticket)
    try:
        with caplog.at_level(logging.ERROR, logger="zammad_orm"):
            ticket = zammad_client.tickets.create(title="Once", group="Users", customer_id=2)
    finally:
        signals.created.disconnect(broken, sender=Ticket)
    assert ticket.id is not None
    assert wire(zammad_server)[-1] == ("POST", "/tickets")
    assert "receiver bug" in caplog.text
    assert "the write stands" in caplog.text


def test_receivers_get_copies_of_the_changes(zammad_client: Client, new_ticket: NewTicket) -> None:
    ticket = zammad_client.tickets.get(new_ticket())
    ticket.preferences["a"] = 1

    def meddle(sender: type[Resource], **kwargs: Any) -> None:
        kwargs["changes"]["preferences"][1]["a"] = "meddled"
        kwargs["changes"]["preferences"][0]["x"] = "meddled"

    signals.updating.connect(meddle, sender=Ticket)
    try:
        ticket.save()
    finally:
        signals.updating.disconnect(meddle, sender=Ticket)
    assert ticket.preferences == {"a": 1}
    assert not ticket.is_dirty


def test_a_user_who_may_not_list_groups_sends_the_group_by_name(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket(owner_id=4)
    with zammad_client.impersonation_of("agent@example.com"):
        ticket = zammad_client.tickets(ticket_id)
        ticket.group = "Users"
        ticket.save()
    assert last(zammad_server).json == {"group": "Users"}
    assert last(zammad_server).status == 200
