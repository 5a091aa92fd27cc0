"""The fake server's time accounting: bookings per ticket and globally, and their types."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from zammad_orm import Client, Forbidden, NotFound, UnprocessableEntity
from zammad_orm.testing import FakeZammad

NewTicket = Callable[..., int]  # the ``new_ticket`` fixture of tests/conftest.py
BOOKING_KEYS = {
    "id",
    "ticket_id",
    "ticket_article_id",
    "time_unit",
    "type_id",
    "created_by_id",
    "created_at",
    "updated_at",
}


def book(client: Client, path_ticket_id: int, **fields: Any) -> dict[str, Any]:
    booking: dict[str, Any] = client.post(
        "tickets", path_ticket_id, "time_accountings", json={"time_unit": "1.5", **fields}
    )
    return booking


def ticket_time(client: Client, ticket_id: int) -> Any:
    return client.get("tickets", ticket_id)["time_unit"]


def first_article(client: Client, ticket_id: int) -> int:
    article_id: int = client.get("ticket_articles/by_ticket", ticket_id)[0]["id"]
    return article_id


# --- booking -------------------------------------------------------------------------------------


def test_booking_time_answers_201_with_the_booking(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket()
    booking = book(zammad_client, ticket_id, time_unit="1.23")
    assert zammad_server.requests[-1].status == 201
    assert set(booking) == BOOKING_KEYS
    assert (booking["ticket_id"], booking["time_unit"], booking["created_by_id"]) == (
        ticket_id,
        "1.23",
        3,
    )
    assert (booking["ticket_article_id"], booking["type_id"]) == (None, None)


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("15", "15.0"),
        (15, "15.0"),
        (2.5, "2.5"),
        ("2.50", "2.5"),
        ("1.234", "1.23"),
        (100, "100.0"),
    ],
)
def test_time_unit_is_kept_as_a_two_place_decimal_string(
    zammad_client: Client, new_ticket: NewTicket, given: object, stored: str
) -> None:
    assert book(zammad_client, new_ticket(), time_unit=given)["time_unit"] == stored


@pytest.mark.parametrize("body", [{}, {"time_unit": None}, {"time_unit": ""}])
def test_time_unit_is_required(
    zammad_client: Client, new_ticket: NewTicket, body: dict[str, Any]
) -> None:
    with pytest.raises(UnprocessableEntity) as raised:
        zammad_client.post("tickets", new_ticket(), "time_accountings", json=body)
    assert raised.value.error == "Time unit can't be blank"


def test_a_non_numeric_time_unit_is_unprocessable(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    with pytest.raises(UnprocessableEntity):
        book(zammad_client, new_ticket(), time_unit="a while")


def test_the_ticket_comes_from_the_path(zammad_client: Client, new_ticket: NewTicket) -> None:
    in_path, in_body = new_ticket(), new_ticket()
    assert book(zammad_client, in_path, ticket_id=in_body)["ticket_id"] == in_path


def test_booking_on_an_unknown_ticket_is_not_found(zammad_client: Client) -> None:
    with pytest.raises(NotFound) as raised:
        book(zammad_client, 9999)
    assert raised.value.error == "Couldn't find Ticket with 'id'=9999"


def test_a_booking_can_name_an_article_of_the_ticket(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket(article={"body": "worked on it"})
    article_id = first_article(zammad_client, ticket_id)
    booking = book(zammad_client, ticket_id, ticket_article_id=article_id)
    assert booking["ticket_article_id"] == article_id


def test_the_article_must_belong_to_the_ticket(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    other = new_ticket(article={"body": "elsewhere"})
    with pytest.raises(UnprocessableEntity) as raised:
        book(zammad_client, new_ticket(), ticket_article_id=first_article(zammad_client, other))
    assert raised.value.error == "This article is not part of the ticket."


def test_an_unknown_article_is_an_invalid_value(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    with pytest.raises(UnprocessableEntity) as raised:
        book(zammad_client, new_ticket(), ticket_article_id=9999)
    assert raised.value.error == "Invalid value for param 'ticket_article_id': 9999"


def test_an_article_carries_one_booking_at_most(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket(article={"body": "worked on it"})
    article_id = first_article(zammad_client, ticket_id)
    book(zammad_client, ticket_id, ticket_article_id=article_id)
    with pytest.raises(UnprocessableEntity):
        book(zammad_client, ticket_id, ticket_article_id=article_id)


def test_a_booking_can_have_a_type(zammad_client: Client, new_ticket: NewTicket) -> None:
    type_id = zammad_client.post("time_accounting/types", json={"name": "Research"})["id"]
    assert book(zammad_client, new_ticket(), type_id=type_id)["type_id"] == type_id


def test_an_unknown_type_is_an_invalid_value(zammad_client: Client, new_ticket: NewTicket) -> None:
    with pytest.raises(UnprocessableEntity) as raised:
        book(zammad_client, new_ticket(), type_id=9999)
    assert raised.value.error == "Invalid value for param 'type_id': 9999"


def test_booking_through_the_global_endpoint_names_the_ticket_in_the_body(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket()
    booking = zammad_client.post(
        "time_accountings", json={"ticket_id": ticket_id, "time_unit": "2"}
    )
    assert zammad_server.requests[-1].status == 201
    assert (booking["ticket_id"], booking["time_unit"]) == (ticket_id, "2.0")


# --- the ticket's sum ----------------------------------------------------------------------------


def test_a_ticket_without_bookings_has_no_time(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    assert ticket_time(zammad_client, new_ticket()) is None


def test_the_ticket_time_unit_is_the_sum_of_its_bookings(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket()
    book(zammad_client, ticket_id, time_unit="1.5")
    book(zammad_client, ticket_id, time_unit="2.25")
    assert ticket_time(zammad_client, ticket_id) == "3.75"


def test_the_sum_follows_updates(zammad_client: Client, new_ticket: NewTicket) -> None:
    ticket_id = new_ticket()
    booking = book(zammad_client, ticket_id, time_unit="1")
    zammad_client.put("time_accountings", booking["id"], json={"time_unit": "4"})
    assert ticket_time(zammad_client, ticket_id) == "4.0"


def test_the_sum_follows_deletes_down_to_zero(zammad_client: Client, new_ticket: NewTicket) -> None:
    ticket_id = new_ticket()
    booking = book(zammad_client, ticket_id, time_unit="1")
    zammad_client.delete("time_accountings", booking["id"])
    assert ticket_time(zammad_client, ticket_id) == "0.0"


def test_the_ticket_lists_its_booking_ids(zammad_client: Client, new_ticket: NewTicket) -> None:
    ticket_id = new_ticket()
    booking = book(zammad_client, ticket_id)
    updated = zammad_client.put("tickets", ticket_id, json={"title": "booked"})
    assert updated["ticket_time_accounting_ids"] == [booking["id"]]


# --- reading, changing, deleting -----------------------------------------------------------------


def test_a_ticket_lists_only_its_own_bookings(zammad_client: Client, new_ticket: NewTicket) -> None:
    ticket_id, other = new_ticket(), new_ticket()
    mine = [book(zammad_client, ticket_id)["id"], book(zammad_client, ticket_id)["id"]]
    book(zammad_client, other)
    listed = zammad_client.get("tickets", ticket_id, "time_accountings")
    assert [booking["id"] for booking in listed] == mine


def test_the_global_list_has_every_booking(zammad_client: Client, new_ticket: NewTicket) -> None:
    ids = [book(zammad_client, new_ticket())["id"] for _ in range(3)]
    assert [booking["id"] for booking in zammad_client.get("time_accountings")] == ids


def test_a_booking_reads_the_same_through_both_paths(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket()
    booking = book(zammad_client, ticket_id)
    assert zammad_client.get("time_accountings", booking["id"]) == booking
    assert zammad_client.get("tickets", ticket_id, "time_accountings", booking["id"]) == booking


def test_a_booking_of_another_ticket_is_not_found_under_this_one(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    ticket_id, other = new_ticket(), new_ticket()
    booking_id = book(zammad_client, other)["id"]
    with pytest.raises(NotFound) as raised:
        zammad_client.get("tickets", ticket_id, "time_accountings", booking_id)
    assert raised.value.error.startswith(
        f"Couldn't find Ticket::TimeAccounting with 'id'={booking_id}"
    )


def test_an_unknown_booking_is_not_found(zammad_client: Client) -> None:
    with pytest.raises(NotFound) as raised:
        zammad_client.get("time_accountings", 9999)
    assert raised.value.error == "Couldn't find Ticket::TimeAccounting with 'id'=9999"


def test_updating_a_booking_is_partial(zammad_client: Client, new_ticket: NewTicket) -> None:
    ticket_id = new_ticket()
    type_id = zammad_client.post("time_accounting/types", json={"name": "Research"})["id"]
    booking = book(zammad_client, ticket_id, type_id=type_id)
    updated = zammad_client.put(
        "tickets", ticket_id, "time_accountings", booking["id"], json={"time_unit": "2.34"}
    )
    assert (updated["time_unit"], updated["type_id"]) == ("2.34", type_id)
    assert updated["updated_at"] >= booking["updated_at"]


def test_deleting_a_booking_answers_an_empty_object(
    zammad_client: Client, zammad_server: FakeZammad, new_ticket: NewTicket
) -> None:
    booking_id = book(zammad_client, new_ticket())["id"]
    assert zammad_client.delete("time_accountings", booking_id) == {}
    assert zammad_server.requests[-1].status == 200
    with pytest.raises(NotFound):
        zammad_client.get("time_accountings", booking_id)


# --- permissions ---------------------------------------------------------------------------------


def test_an_agent_of_the_group_can_book_and_read(
    zammad_client: Client, new_ticket: NewTicket
) -> None:
    ticket_id = new_ticket()
    with zammad_client.impersonation_of("agent@example.com"):
        booking = book(zammad_client, ticket_id)
        assert zammad_client.get("tickets", ticket_id, "time_accountings") == [booking]
    assert booking["created_by_id"] == 4


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_only_admins_change_bookings(
    zammad_client: Client, new_ticket: NewTicket, method: str
) -> None:
    booking_id = book(zammad_client, new_ticket())["id"]
    with zammad_client.impersonation_of("agent@example.com"), pytest.raises(Forbidden):
        zammad_client.request(method, "time_accountings", booking_id, json={"time_unit": "9"})


def test_a_customer_cannot_book_time(zammad_client: Client, new_ticket: NewTicket) -> None:
    ticket_id = new_ticket()
    with zammad_client.impersonation_of(2), pytest.raises(Forbidden):
        book(zammad_client, ticket_id)


def test_a_customer_cannot_read_bookings(zammad_client: Client, new_ticket: NewTicket) -> None:
    ticket_id = new_ticket()
    book(zammad_client, ticket_id)
    with zammad_client.impersonation_of(2), pytest.raises(Forbidden):
        zammad_client.get("tickets", ticket_id, "time_accountings")


# --- types ---------------------------------------------------------------------------------------


def test_creating_a_type_answers_201_with_the_type(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    created = zammad_client.post("time_accounting/types", json={"name": "Research", "note": None})
    assert zammad_server.requests[-1].status == 201
    assert set(created) == {
        "id",
        "name",
        "note",
        "active",
        "created_by_id",
        "updated_by_id",
        "created_at",
        "updated_at",
    }
    assert (created["name"], created["active"]) == ("Research", True)


def test_types_are_listed_by_id(zammad_client: Client) -> None:
    ids = [
        zammad_client.post("time_accounting/types", json={"name": name})["id"]
        for name in ("Research", "Meeting")
    ]
    assert [kind["id"] for kind in zammad_client.get("time_accounting/types")] == ids


def test_updating_a_type_is_partial(zammad_client: Client) -> None:
    kind = zammad_client.post("time_accounting/types", json={"name": "Research", "note": "n"})
    updated = zammad_client.put("time_accounting/types", kind["id"], json={"active": False})
    assert (updated["name"], updated["note"], updated["active"]) == ("Research", "n", False)


def test_a_type_name_is_required(zammad_client: Client) -> None:
    with pytest.raises(UnprocessableEntity):
        zammad_client.post("time_accounting/types", json={"note": "nameless"})


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_a_type_cannot_be_read_or_deleted_alone(zammad_client: Client, method: str) -> None:
    kind_id = zammad_client.post("time_accounting/types", json={"name": "Research"})["id"]
    with pytest.raises(NotFound):
        zammad_client.request(method, "time_accounting/types", kind_id)
